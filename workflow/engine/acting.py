"""Who acts on a command, and the audited acts that touch no case: users, calendar, call files.

A change of rules, calendar or users is an event in the same chain as the cases' events, so the
log shows under which rules each decision was taken and who changed them. A refusal of any of
them is logged too, with the login that tried.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from states.actos import Acto
from states.roles import SOLO_CASOS_ASIGNADOS
from workflow.errors import Rejected
from workflow.storage import audit
from workflow.storage.identity import current_login, is_rehearsal, linked_user

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.storage.models import User


SIN_USUARIO = "(sin usuario)"
"""Who a refused attempt is recorded under when its login is nobody's in convoca."""


def refusal(session: Session, evento: str, codigo: str, usuario: str, today: date, motivos: list[str],
            rol: str | None = None, datos: dict[str, Any] | None = None) -> Rejected:
    """Logs a refused attempt (nothing else is written) and returns the error to raise. In a
    production database the attempt is the login's own user's, never the name it gave: a refusal
    cannot be put on another officer's record (the name given is kept as `se_presento_como`)."""
    session.rollback()
    conn = session.connection()
    if not is_rehearsal(conn):
        user = linked_user(session, current_login(conn))
        autor = user.nombre if user else SIN_USUARIO
        if usuario != autor:
            datos = {**(datos or {}), **({"se_presento_como": usuario} if usuario else {})}
            usuario, rol = autor, user.rol if user else None
    audit.append(conn, [audit.Entry(codigo, evento, usuario, today, rol=rol, aceptado=False,
                                    motivos=motivos, datos=datos or {})])
    session.commit()
    return Rejected(f"Rechazado: {evento}\n" + "\n".join(f"  - {m}" for m in motivos))


def record(session: Session, evento: str, codigo: str, user: User | None, today: date, datos: dict[str, Any],
           nota: str | None = None) -> None:
    """Appends an accepted act to the chain inside the caller's transaction (the caller commits)."""
    audit.append(session.connection(), [audit.Entry(codigo, evento, user.nombre if user else "(instalación)", today,
                                                    rol=user.rol if user else None, nota=nota, datos=datos)])


def acting_user(session: Session, claimed: str | None, evento: str, codigo: str, today: date) -> str:
    """The name of the convoca user this command acts as.

    Production: the user linked to the authenticated login; `--usuario` may only repeat it.
    Rehearsal: the user named, or else the one linked to the login."""
    conn = session.connection()
    login = current_login(conn)
    user = linked_user(session, login)
    if is_rehearsal(conn):
        if claimed:
            return claimed
        if user is None:
            raise Rejected("Indique quién actúa: --usuario NOMBRE o la variable CONVOCA_USUARIO "
                                  "(base de ensayo).")
        return user.nombre
    if user is None:
        problem = (f"el login {login} no está vinculado a ningún usuario de convoca: un admin debe ejecutar "
                   f"`convoca usuarios agregar NOMBRE --rol ROL --login {login}`")
    elif claimed and claimed != user.nombre:
        problem = (f"el login {login} corresponde al usuario {user.nombre}: no puede actuar como {claimed} "
                   "(fuera de una base de ensayo, --usuario solo puede repetir el propio usuario)")
    else:
        return user.nombre
    raise refusal(session, evento, codigo, claimed or "", today, [f"Identidad: {problem}"])


def permission_problem(actor: Any, nombre: str, accion: str, roles: tuple[str, ...], en_caso: bool = False,
                       monitor: str | None = None) -> str | None:
    """The one permission check, for events and acts alike: the declared roles of what is done,
    and, for the roles that act only on their own cases, the case's assigned monitor."""
    if actor is None:
        return f"Permisos: usuario desconocido {nombre!r} (vea `convoca usuarios listar`)"
    if not actor.activo:
        return f"Permisos: el usuario {nombre} está desactivado"
    if actor.rol not in roles:
        return f"Permisos: el rol {actor.rol} no puede {accion}; pueden: {', '.join(roles)}"
    if en_caso and actor.rol in SOLO_CASOS_ASIGNADOS and monitor != actor.nombre:
        if not monitor:
            return f"Permisos: el caso no tiene monitor asignado y solo su monitor lo mueve, no {nombre} (convoca asignar)"
        return f"Permisos: el caso está asignado a {monitor}, no a {nombre} (convoca asignar)"
    return None


def authorised(session: Session, claimed: str | None, acto: Acto, codigo: str, today: date) -> User:
    """The acting user, refused (and logged) unless active and in one of the act's roles."""
    from workflow.storage.models import User

    nombre = acting_user(session, claimed, acto.nombre, codigo, today)
    user = session.get(User, nombre)
    problem = permission_problem(user, nombre, acto.nombre, acto.roles)
    if problem is None:
        return user
    raise refusal(session, acto.nombre, codigo, nombre, today, [problem], rol=user.rol if user else None)
