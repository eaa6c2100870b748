"""Who is acting, as something real authenticated it, and what kind of database this is.

On PostgreSQL the acting login is the role the server authenticated (`session_user`); on SQLite it
is the operating-system account running the command (the file's permissions are the boundary).
Each convoca user is linked to one login, and a command acts as the user linked to its login:
`--usuario` may only repeat that name. Only a rehearsal database (demo, training, tests) lets a
command name any user, because nothing there is official.
"""
from __future__ import annotations

import os
import pwd
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from workflow.clock import wall_clock
from workflow.errors import Rejected
from workflow.storage.plain import dialect_of, select_rows, select_value

if TYPE_CHECKING:
    from sqlalchemy import Connection


@lru_cache(maxsize=1)
def os_login() -> str:
    """The account the kernel says runs this process (not $USER, which anyone can set)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return f"uid{os.geteuid()}"


def current_login(conn: Any) -> str:
    if dialect_of(conn) == "postgresql":
        return select_value(conn, "SELECT session_user")
    return os_login()


def is_rehearsal(conn: Any) -> bool:
    """A database that was never marked is treated as production: the safe side. The kind never
    changes once fixed, so it is read once per database connection (the outbox asks per message)."""
    if "convoca_ensayo" not in conn.info:
        conn.info["convoca_ensayo"] = bool(select_value(conn, "SELECT ensayo FROM instalacion WHERE id = 1"))
    return conn.info["convoca_ensayo"]


def mark(conn: Connection, ensayo: bool) -> bool:
    """Fixes the kind of a new database; refuses to turn one kind into the other. Returns the kind."""
    from sqlalchemy import insert

    from workflow.storage.tables import INSTALACION

    current = select_value(conn, "SELECT ensayo FROM instalacion WHERE id = 1")
    conn.info.pop("convoca_ensayo", None)
    if current is None:
        conn.execute(insert(INSTALACION).values(id=1, ensayo=ensayo, creada_en=wall_clock()))
        return ensayo
    if ensayo and not current:
        raise Rejected("Esta base es de producción: no puede convertirse en una base de ensayo. "
                              "Para practicar, cree otra con `convoca --db OTRA init --ensayo`.")
    return current


def linked_user(session, login: str):
    """The user row linked to a login, or None."""
    found = select_rows(session, "SELECT * FROM usuario WHERE login = :login", login=login)
    return found[0] if found else None
