"""Whose work a listing shows: `--mios` (the officer running the command) or `--monitor NOMBRE`.

Reading is not an act: nothing is logged and nobody is refused for looking. The officer is the user
linked to the login (`--usuario` may name anyone only on a rehearsal database, as for acts); a
monitor's work is the cases assigned to them, the UES's and the Dirección's the deadlines they owe.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from states.actos import ASIGNADO
from states.books import all_books
from workflow.errors import ConvocaError, NotFound
from workflow.storage.identity import current_login, is_rehearsal
from workflow.storage.plain import select_rows


@dataclass(frozen=True)
class Whose:
    monitor: str | None = None
    responsable: str | None = None


def monitor_named(conn: Any, nombre: str) -> Whose:
    monitores = [r.nombre for r in select_rows(conn, "SELECT nombre FROM usuario WHERE rol = :rol ORDER BY nombre",
                                         rol=ASIGNADO)]
    if nombre not in monitores:
        raise NotFound(f"Monitor desconocido: {nombre}. Monitores: {', '.join(monitores) or 'ninguno todavía'}.")
    return Whose(monitor=nombre)


def mine(conn: Any, claimed: str | None) -> Whose:
    """The work of the officer running the command."""
    login = current_login(conn)
    if claimed and is_rehearsal(conn):
        found = select_rows(conn, "SELECT nombre, rol FROM usuario WHERE nombre = :nombre", nombre=claimed)
    else:
        found = select_rows(conn, "SELECT nombre, rol FROM usuario WHERE login = :login", login=login)
    user = found[0] if found else None
    if user is None:
        who = f"el usuario {claimed}" if claimed and is_rehearsal(conn) else f"el login {login}"
        raise ConvocaError(f"--mios: {who} no es de ningún usuario de convoca"
                           + (" (en una base de ensayo, indique --usuario NOMBRE)." if is_rehearsal(conn) else "."))
    if user.rol == ASIGNADO:
        return Whose(monitor=user.nombre)
    del_rol = {r: resp for b in all_books() for r, resp in b.plazos.del_rol.items()}
    if user.rol in del_rol:
        return Whose(responsable=del_rol[user.rol])
    raise ConvocaError(f"--mios: {user.nombre} tiene el rol {user.rol}, que no tiene casos ni plazos propios; "
                       "use --monitor NOMBRE o --responsable.")
