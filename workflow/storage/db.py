"""Opening the database and bringing its schema up to date with Alembic.

SQLite in the working directory is the default for one officer; any SQLAlchemy URL works through
`--db` or `CONVOCA_DB`.
"""
from __future__ import annotations

import os
import re
import sys
import weakref
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

from workflow.errors import ConvocaError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

DEFAULT_URL = "sqlite:///convoca.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def shown(url: str) -> str:
    """A database URL as it may be printed or logged: never with its password."""
    if "://" not in url:  # not a URL: say only what comes after any credentials
        return url.split("@")[-1]
    return re.sub(r"^([^:/]+://[^:/@]*):.*@", r"\1:***@", url)


def invalid_url(url: str) -> ConvocaError:
    return ConvocaError(f"La URL de la base de datos no es válida: {url.split('@')[-1]} (use una ruta de archivo "
                        "SQLite o una URL como postgresql+psycopg://login@servidor/base).")


def cannot_open(url: str) -> ConvocaError:
    return ConvocaError(f"No se puede abrir la base de datos {shown(url)}: revise la URL (--db o CONVOCA_DB), que el "
                        "servidor esté en marcha y que su login tenga acceso.")


def wait_seconds() -> int:
    """How long a command waits for a lock another transaction holds (the chain's head, a table
    someone locked by hand) before it gives up with a message: SQLite's busy timeout, PostgreSQL's
    lock_timeout. `CONVOCA_ESPERA_S` (seconds, by default 30) for an installation that needs another."""
    value = os.environ.get("CONVOCA_ESPERA_S", "")
    return int(value) if value.isdigit() and 0 < int(value) <= 3600 else 30


DB_PROBLEMS = (
    ("readonly", "La base de datos es de solo lectura (una copia protegida, o sin permiso de escritura): se puede "
                 "consultar y verificar, no escribir. No se escribió nada."),
    ("read-only", "La base de datos es de solo lectura: se puede consultar y verificar, no escribir. No se escribió "
                  "nada."),
    ("permission denied", "Su login no tiene permiso para esa escritura en la base (un auditor solo lee; un oficial "
                          "escribe solo a través de convoca): no se escribió nada."),
    ("disk is full", "El disco de la base de datos está lleno: no se escribió nada. Libere espacio y repita."),
    ("no space left", "El disco está lleno: no se escribió nada. Libere espacio y repita."),
    ("database is locked", "La base de datos sigue ocupada por otra operación después de {espera} s de espera: no se "
                           "escribió nada. Repita en un momento; si persiste, vea si quedó un `convoca servicio` o un "
                           "programa con la base abierta."),
    ("lock timeout", "Otra transacción retiene la base (la cabeza del registro o una tabla) después de {espera} s de "
                     "espera: no se escribió nada. Repita en un momento; si persiste, el administrador de la base "
                     "puede ver quién la retiene en pg_stat_activity."),
)


def spoken(exc: BaseException) -> ConvocaError | None:
    """A database's failure an officer can act on, said in Spanish, without the SQL or its data;
    None for anything else (a defect of convoca)."""
    if type(exc).__module__.split(".")[0] in ("sqlite3", "psycopg"):  # the plain reading's (plain.py)
        said = str(exc)
    elif "sqlalchemy.exc" in sys.modules and isinstance(exc, sys.modules["sqlalchemy.exc"].DBAPIError):
        said = str(exc.orig)
    else:
        return None
    if said.startswith("convoca: "):  # a guard of the database (migration 0011) refused the write
        first = said.splitlines()[0].removeprefix("convoca: ")
        return ConvocaError(f"La base de datos rechazó la escritura: {first}. No se escribió nada.")
    text = said.lower()
    for needle, message in DB_PROBLEMS:
        if needle in text:
            return ConvocaError(message.replace("{espera}", str(wait_seconds())))
    return None


def url_from(option: str | None) -> str:
    """The database's URL; a plain path (`--db convoca.db`) names an SQLite file."""
    value = option or os.environ.get("CONVOCA_DB") or DEFAULT_URL
    return value if "://" in value else f"sqlite:///{value}"


def sqlite_file(url: str) -> tuple[str, bool] | None:
    """What `sqlite3.connect` opens for an SQLite URL, as SQLAlchemy's driver reads the URL: the file
    (or, with `?uri=true`, the URI, such as `file:copia.db?mode=ro`) and whether it is a URI; None for
    any other database."""
    scheme, _, rest = url.partition("://")
    if scheme not in ("sqlite", "sqlite+pysqlite"):
        return None
    database, _, query = rest.removeprefix("/").partition("?")
    params = dict(parse_qsl(query))
    if params.pop("uri", "").lower() == "true":
        return (f"{database}?{urlencode(params)}" if params else database), True
    return database or ":memory:", False


def check_reachable(url: str, creating: bool) -> None:
    """An SQLite file that is not there is not created by a command that only reads or acts on it,
    and a folder that is not there is said as such, instead of a driver's error."""
    database = (sqlite_file(url) or ("", False))[0]
    if database in ("", ":memory:"):
        return
    path = Path(database.removeprefix("file:").split("?")[0])  # also `file:…?mode=ro&uri=true`
    if not path.parent.exists():
        raise ConvocaError(f"No se puede abrir la base de datos {path}: la carpeta {path.parent} no existe.")
    if not creating and not path.exists():
        raise ConvocaError(f"La base de datos {path} no existe: ejecute `convoca init` para crearla "
                           "(o indique otra con --db o CONVOCA_DB).")


def connect(url: str) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        postgresql = url.split("://", 1)[0].startswith("postgresql")
        engine = create_engine(url, **({"connect_args": {"options": f"-c lock_timeout={wait_seconds() * 1000}"}}
                                       if postgresql else {}))
    except (ArgumentError, NoSuchModuleError):
        raise invalid_url(url) from None
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={wait_seconds() * 1000}")
            cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the one writer
            cur.close()
        _SQLITE.add(engine)
    return engine


_SQLITE: weakref.WeakSet = weakref.WeakSet()


_CHECKED: dict[str, Engine] = {}
"""The engines a command has found at the current schema, by URL: a command that opens the
database twice (a case code's spelling, then its work) connects and checks it once."""


def close_all() -> None:
    """Ends a command's use of its databases: forgets their engines and closes every SQLite engine
    this process opened. The last connection to close checkpoints the write-ahead log into the
    database file and removes it, so that a plain copy of the `.db` after a command is the whole
    database."""
    _CHECKED.clear()
    for engine in list(_SQLITE):
        engine.dispose()
    if "workflow.storage.plain" in sys.modules:
        sys.modules["workflow.storage.plain"].close_plain()


def upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def grant(conn, group: str, solo_lectura: bool = False) -> None:
    """PostgreSQL: what a group role of officers needs, nothing more (README «Para auditores»). The log
    takes only INSERT, and its trigger chains each row at the head, at the server's clock, from the
    login of the user it names; the head is never theirs to write. Users, calls, calendar, registry,
    settings and outbox take a write only in a transaction that wrote the accepted act it projects
    (their guards, migration 0011). Cases and deadlines are the fold's to write: `auditoria verificar`
    rebuilds them. No table takes DELETE but the settings, whose guard asks for the act too.
    The auditors' group (`solo_lectura`) reads everything and writes nothing."""
    from sqlalchemy import text

    if conn.dialect.name != "postgresql":
        raise ConvocaError("--grupo es para PostgreSQL: en SQLite los permisos del archivo son el límite.")
    role = conn.execute(text("SELECT quote_ident(rolname) FROM pg_roles WHERE rolname = :g"), {"g": group}).scalar()
    if role is None:
        raise ConvocaError(f"No existe el rol {group}: créelo antes con CREATE ROLE {group} NOLOGIN.")
    reading = (f"GRANT USAGE ON SCHEMA public TO {role}", f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
               f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    for statement in reading if solo_lectura else (
        *reading,
        f"GRANT INSERT ON auditoria, feriado TO {role}",
        f"GRANT INSERT, UPDATE ON convocatoria, usuario, caso, plazo, mensaje, registro, dia_no_laborable TO {role}",
        f"GRANT INSERT, UPDATE, DELETE ON ajuste TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ):
        conn.execute(text(statement))


def snapshot(session):
    """The session's connection, reading one snapshot of the whole database until its transaction
    ends: what `auditoria verificar` compares (the log, its head, its tree and every table) is then
    one moment, whatever others commit meanwhile. PostgreSQL: REPEATABLE READ; SQLite: an explicit
    BEGIN, since its driver opens no transaction for reads (each SELECT would see the latest commit)."""
    if session.get_bind().dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    conn = session.connection()
    conn.exec_driver_sql("BEGIN")
    return conn


def head_revision() -> str:
    """The newest migration, read from the file names (`0004_…py`) without loading Alembic."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def schema_version(engine: Engine, url: str) -> str | None:
    """The schema's revision, None for an empty database; what cannot be opened, said in Spanish
    (the driver's words, in English, stay out; `CONVOCA_DEPURAR=1` shows the traceback)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError

    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError, DatabaseError) as exc:
        if os.environ.get("CONVOCA_DEPURAR") and "alembic_version" not in str(exc):
            raise
        return unopened(str(exc), url)


def unopened(said: str, url: str) -> None:
    """What a failed read of the schema's revision means, from the driver's words: no revision table
    is an empty database (None); anything else cannot be opened, said in Spanish."""
    if "alembic_version" in said:
        return None
    if "file is not a database" in said:
        raise ConvocaError(f"{shown(url)}: el archivo no es una base de datos SQLite de convoca.") from None
    raise cannot_open(url) from None


def newer_than_this_convoca(current: str | None) -> bool:
    return current is not None and current > head_revision()


def open_session(url: str):
    """A session (SQLModel) on a database at the current schema, for the commands that write."""
    from sqlmodel import Session

    return Session(_current(url))


def open_reading(url: str) -> Connection:
    """A Core connection for the commands that only read with SQLAlchemy: they need neither SQLModel
    nor the ORM. The busiest ones need not even SQLAlchemy (workflow/storage/plain.py)."""
    return _current(url).connect()


def _current(url: str) -> Engine:
    """The engine of a database at the current schema; a clear message when `convoca init` is due."""
    if url in _CHECKED:
        return _CHECKED[url]
    check_reachable(url, creating=False)
    engine = connect(url)
    check_schema(schema_version(engine, url), url)
    _CHECKED[url] = engine
    return engine


def check_schema(current: str | None, url: str) -> None:
    """The schema's revision `current` is this convoca's; otherwise what to do, in Spanish."""
    if current is None:
        raise ConvocaError(f"La base de datos {shown(url)} no está inicializada: ejecute `convoca init`.")
    if newer_than_this_convoca(current):
        raise ConvocaError(f"La base de datos {shown(url)} está en la versión {current} del esquema, más nueva que la de "
                           f"esta instalación de convoca ({head_revision()}): actualice convoca; no ejecute init.")
    if current != head_revision():
        raise ConvocaError(f"La base de datos {shown(url)} está en la versión {current} del esquema y esta versión de convoca "
                           f"usa la {head_revision()}: ejecute `convoca init` para actualizarla.")
