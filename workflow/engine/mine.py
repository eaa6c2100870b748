"""Whose work a listing shows: `--mios` (the officer running the command) or `--monitor NOMBRE`.

Reading is not an act: nothing is logged and nobody is refused for looking. The officer is the user
linked to the login (`--usuario` may name anyone only on a rehearsal database, as for acts); a
monitor's work is the cases assigned to them, the UES's and the Dirección's the deadlines they owe.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from states.actos import ASIGNADO
from states.plazos import DEL_ROL
from workflow.errors import ConvocaError, NotFound
from workflow.storage.identity import current_login, is_rehearsal
from workflow.storage.tables import USUARIO


@dataclass(frozen=True)
class Whose:
    monitor: str | None = None
    responsable: str | None = None


def monitor_named(conn: Connection, nombre: str) -> Whose:
    monitores = list(conn.execute(select(USUARIO.c.nombre).where(USUARIO.c.rol == ASIGNADO)
                                  .order_by(USUARIO.c.nombre)).scalars())
    if nombre not in monitores:
        raise NotFound(f"Monitor desconocido: {nombre}. Monitores: {', '.join(monitores) or 'ninguno todavía'}.")
    return Whose(monitor=nombre)


def mine(conn: Connection, claimed: str | None) -> Whose:
    """The work of the officer running the command."""
    login = current_login(conn)
    query = select(USUARIO.c.nombre, USUARIO.c.rol)
    if claimed and is_rehearsal(conn):
        user = conn.execute(query.where(USUARIO.c.nombre == claimed)).first()
    else:
        user = conn.execute(query.where(USUARIO.c.login == login)).first()
    if user is None:
        who = f"el usuario {claimed}" if claimed and is_rehearsal(conn) else f"el login {login}"
        raise ConvocaError(f"--mios: {who} no es de ningún usuario de convoca"
                           + (" (en una base de ensayo, indique --usuario NOMBRE)." if is_rehearsal(conn) else "."))
    if user.rol == ASIGNADO:
        return Whose(monitor=user.nombre)
    if user.rol in DEL_ROL:
        return Whose(responsable=DEL_ROL[user.rol])
    raise ConvocaError(f"--mios: {user.nombre} tiene el rol {user.rol}, que no tiene casos ni plazos propios; "
                       "use --monitor NOMBRE o --responsable.")
