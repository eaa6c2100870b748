"""Users, their roles and logins, and the monitor assigned to each case.

Every change of a user is an audited act (`usuario:NOMBRE` in the log), refusals too. The first
user of a database must be an admin; after that only an admin manages users, and the last active
admin can neither be deactivated nor lose the role, so a database always has someone to manage it.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlmodel import Session

from states.actos import ACTO, ADMINISTRA, ASIGNADO, ASIGNAR
from states.roles import ROLES
from workflow.clock import Clock
from workflow.engine.acting import authorised, record, refusal
from workflow.errors import ConvocaError, NotFound
from workflow.files.clean import control_problem
from workflow.storage.identity import current_login, is_rehearsal
from workflow.storage.models import User

USUARIO = User.__table__


def active_user(session: Session, nombre: str) -> User:
    user = session.get(User, nombre)
    if user is None:
        raise NotFound(f"Usuario desconocido: {nombre}. Vea `convoca usuarios listar`.")
    if not user.activo:
        raise ConvocaError(f"El usuario {nombre} está desactivado.")
    return user


def _admin(session: Session, actor: str | None, evento: str, nombre: str, today: date) -> User:
    return authorised(session, actor, ACTO[evento], f"usuario:{nombre}", today)


def add_user(session: Session, nombre: str, rol: str, email: str | None, login: str | None, actor: str | None,
             today: date) -> str | None:
    """Adds a user linked to a login; returns the login recorded."""
    sucios = [p for k, v in (("nombre", nombre), ("email", email), ("login", login)) if (p := control_problem(k, v))]
    if sucios:
        raise ConvocaError("No se agregó el usuario: " + "; ".join(sucios) + ".")
    codigo = f"usuario:{nombre}"
    first = session.execute(select(User.nombre).limit(1)).first() is None
    conn = session.connection()
    if first:
        # Nobody can authorise the first user: it must be an admin, and on a production database
        # it is linked to the login that creates it, so that someone real holds the keys.
        if rol != ADMINISTRA:
            raise refusal(session, "agregar_usuario", codigo, nombre, today,
                          [f"El primer usuario debe tener el rol {ADMINISTRA}: convoca usuarios agregar NOMBRE "
                           f"--rol {ADMINISTRA}"])
        if not is_rehearsal(conn):
            login = login or current_login(conn)
        by = None
    else:
        by = _admin(session, actor, "agregar_usuario", nombre, today)
    problems = []
    if rol not in ROLES:
        problems.append(f"Rol desconocido: {rol}. Roles: {', '.join(ROLES)}")
    if email and ("@" not in email or any(c.isspace() for c in email)):
        problems.append(f"Correo inválido: {email!r}")
    if session.get(User, nombre):
        problems.append(f"El usuario {nombre} ya existe.")
    if login and session.execute(select(User.nombre).where(User.login == login)).first():
        problems.append(f"El login {login} ya está vinculado a otro usuario.")
    if not login and not is_rehearsal(conn):
        problems.append("Indique el login que autentica a este usuario (--login): en una base de producción "
                        "cada usuario actúa desde su propio login.")
    if problems:
        raise refusal(session, "agregar_usuario", codigo, by.nombre if by else nombre, today, problems,
                      rol=by.rol if by else None, datos={"rol": rol, "login": login})
    # the act first, then the row it projects (on PostgreSQL the table's guard asks for the act)
    record(session, "agregar_usuario", codigo, by, today, {"usuario": {"nombre": nombre, "rol": rol,
                                                                        "email": email, "login": login}})
    session.execute(insert(USUARIO).values(nombre=nombre, rol=rol, email=email, activo=True, login=login))
    session.commit()
    return login


def list_users(session: Session) -> list[dict[str, Any]]:
    return [{"nombre": u.nombre, "rol": u.rol, "email": u.email, "login": u.login, "activo": u.activo}
            for u in session.execute(select(User).order_by(User.nombre)).scalars()]


def _last_admin(session: Session, nombre: str) -> bool:
    others = session.execute(select(func.count()).select_from(USUARIO).where(
        USUARIO.c.rol == ADMINISTRA, USUARIO.c.activo.is_(True), USUARIO.c.nombre != nombre)).scalar_one()
    return others == 0


def _change(session: Session, nombre: str, actor: str | None, evento: str, today: date,
            values: dict[str, Any]) -> None:
    """One audited change of a user; refused when it would leave no active admin."""
    by = _admin(session, actor, evento, nombre, today)
    user = session.get(User, nombre)
    problems = []
    if user is None:
        problems.append(f"Usuario desconocido: {nombre}. Vea `convoca usuarios listar`.")
    elif "rol" in values and values["rol"] not in ROLES:
        problems.append(f"Rol desconocido: {values['rol']}. Roles: {', '.join(ROLES)}")
    elif user.rol == ADMINISTRA and user.activo and (values.get("activo") is False
                                                     or values.get("rol", ADMINISTRA) != ADMINISTRA) \
            and _last_admin(session, nombre):
        problems.append(f"{nombre} es el último admin activo: agregue otro admin antes.")
    elif all(getattr(user, k) == v for k, v in values.items()):
        problems.append(f"Nada que cambiar: {nombre} ya tiene " + ", ".join(f"{k} = {v}" for k, v in values.items()))
    if problems:
        raise refusal(session, evento, f"usuario:{nombre}", by.nombre, today, problems, rol=by.rol, datos=values)
    before = {k: getattr(user, k) for k in values}
    record(session, evento, f"usuario:{nombre}", by, today, {"usuario": {"nombre": nombre, "antes": before,
                                                                          "despues": values}})
    session.execute(update(USUARIO).where(USUARIO.c.nombre == nombre).values(**values))
    session.commit()


def deactivate(session: Session, nombre: str, actor: str | None, today: date) -> None:
    _change(session, nombre, actor, "desactivar_usuario", today, {"activo": False})


def reactivate(session: Session, nombre: str, actor: str | None, today: date) -> None:
    _change(session, nombre, actor, "reactivar_usuario", today, {"activo": True})


def change_role(session: Session, nombre: str, rol: str, actor: str | None, today: date) -> None:
    _change(session, nombre, actor, "cambiar_rol", today, {"rol": rol})


def change_email(session: Session, nombre: str, email: str, actor: str | None, today: date) -> None:
    if "@" not in email or any(c.isspace() for c in email) or control_problem("email", email):
        raise ConvocaError(f"Correo inválido: {email!r}")
    _change(session, nombre, actor, "cambiar_correo", today, {"email": email})


def assign(session: Session, codigo: str, monitor: str, actor: str, clock: Clock, fecha: date | None = None) -> None:
    """An event like any other (`asignar_monitor`): audited, versioned, refused for the wrong role."""
    from workflow.engine.cases import Request, apply

    user = active_user(session, monitor)
    if user.rol != ASIGNADO:
        raise ConvocaError(f"{monitor} tiene el rol {user.rol}; solo se asigna un usuario con rol {ASIGNADO}.")
    apply(session, [Request(codigo, ASIGNAR, {"monitor": monitor}, actor, fecha)], clock)
