"""Users, their roles, and the monitor assigned to each case."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from states.lifecycle import ROLES
from workflow.clock import Clock
from workflow.errors import ConvocaError, NotFound
from workflow.models import User


def require(session: Session, actor: str | None, roles: tuple[str, ...], what: str) -> User:
    if not actor:
        raise ConvocaError(f"Permisos: indique quién actúa (--usuario o CONVOCA_USUARIO) para {what}.")
    user = active_user(session, actor)
    if user.rol not in roles:
        raise ConvocaError(f"Permisos: el rol {user.rol} no puede {what}; pueden: {', '.join(roles)}")
    return user


def add_user(session: Session, nombre: str, rol: str, email: str | None, actor: str | None) -> None:
    """The first user of a database must be an admin; after that only an admin adds users."""
    if session.execute(select(User.nombre).limit(1)).first() is None:
        if rol != "admin":
            raise ConvocaError("El primer usuario debe tener el rol admin: convoca usuarios agregar NOMBRE --rol admin")
    else:
        require(session, actor, ("admin",), "agregar usuarios")
    if rol not in ROLES:
        raise ConvocaError(f"Rol desconocido: {rol}. Roles: {', '.join(ROLES)}")
    if email and ("@" not in email or any(c.isspace() for c in email)):
        raise ConvocaError(f"Correo inválido: {email!r}")
    if session.get(User, nombre):
        raise ConvocaError(f"El usuario {nombre} ya existe.")
    session.add(User(nombre=nombre, rol=rol, email=email, activo=True))
    session.commit()


def list_users(session: Session) -> list[dict[str, Any]]:
    return [{"nombre": u.nombre, "rol": u.rol, "email": u.email, "activo": u.activo}
            for u in session.execute(select(User).order_by(User.nombre)).scalars()]


def active_user(session: Session, nombre: str) -> User:
    user = session.get(User, nombre)
    if user is None:
        raise NotFound(f"Usuario desconocido: {nombre}. Vea `convoca usuarios listar`.")
    if not user.activo:
        raise ConvocaError(f"El usuario {nombre} está desactivado.")
    return user


def deactivate(session: Session, nombre: str, actor: str | None) -> None:
    require(session, actor, ("admin",), "desactivar usuarios")
    active_user(session, nombre)
    session.execute(update(User.__table__).where(User.__table__.c.nombre == nombre).values(activo=False))
    session.commit()


def assign(session: Session, codigo: str, monitor: str, actor: str | None, clock: Clock | None = None) -> None:
    """An event like any other (`asignar_monitor`): audited, versioned, refused for the wrong role."""
    from workflow.cases import Request, apply

    user = active_user(session, monitor)
    if user.rol != "monitor":
        raise ConvocaError(f"{monitor} tiene el rol {user.rol}; solo se asigna un monitor.")
    apply(session, [Request(codigo, "asignar_monitor", {"monitor": monitor}, actor or "")], clock or Clock())
