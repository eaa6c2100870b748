"""Reading the database through its driver alone, without SQLAlchemy.

The commands an officer runs all day (`ver`, `listar`, `plazos`, `historial`) must answer within
15× `python -c pass`, and importing SQLAlchemy alone takes 8×. So every query on their path is
written once, as SQL, and runs through `select_rows`, which takes either a `PlainConnection` (a
DB-API connection: the standard `sqlite3`, or `psycopg`) or a SQLAlchemy connection or session (the
commands that write, inside their transaction): a query and the Python values it returns are the
same whoever asks. Writes, migrations and the rest stay with SQLModel and Alembic.

SQL here is portable between SQLite and PostgreSQL: `:name` parameters, and a list or tuple
parameter is an `IN (:name)` list. SQLite stores dates, instants, booleans and JSON as text or
integers; the kind of each such column (`column_kinds.py`, generated from the models) turns them
into what SQLAlchemy's types return. PostgreSQL's driver returns them typed already.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

from workflow.errors import ConvocaError
from workflow.storage.column_kinds import KINDS

PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class Row(tuple):
    """A row read by name (`row.codigo`), by position, or whole (`row._mapping`), as SQLAlchemy's
    rows are: the code that reads rows reads them one way, whichever query gave them."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self._index[name]]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def _mapping(self) -> dict[str, Any]:
        return dict(zip(self._index, self))


class PlainConnection:
    """A connection that only reads, opened by `open_plain`; `with` ends its read transaction."""

    def __init__(self, url: str, dbapi: Any, dialect_name: str):
        self.url = url
        self.dbapi = dbapi
        self.dialect_name = dialect_name
        self.info: dict[str, Any] = {}

    def run(self, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        if self.dialect_name == "postgresql":
            sql = PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(sql, params)
            return [d[0] for d in cursor.description], cursor.fetchall()
        finally:
            cursor.close()

    def rollback(self) -> None:
        self.dbapi.rollback()

    def close(self) -> None:
        if _OPEN.get(self.url) is self:
            del _OPEN[self.url]
        self.dbapi.close()

    def __enter__(self) -> PlainConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()


_OPEN: dict[str, PlainConnection] = {}
"""The plain connections a command opened, by URL: a command that reads the database twice (a case
code's spelling, then its work) opens and checks it once; closed with its engines (`db.close_all`)."""


def close_plain() -> None:
    for conn in list(_OPEN.values()):
        conn.close()


def dialect_of(conn: Any) -> str:
    """"sqlite" or "postgresql", for a `PlainConnection`, a SQLAlchemy connection or a session."""
    if isinstance(conn, PlainConnection):
        return conn.dialect_name
    return (conn.dialect if hasattr(conn, "dialect") else conn.get_bind().dialect).name


def select_rows(conn: Any, sql: str, **params: Any) -> list[Row]:
    """The rows of one query, typed by their columns' kinds, on any connection (see the module)."""
    sql, params = _expanded(sql, params)
    dialect = dialect_of(conn)
    if dialect == "sqlite":
        params = {k: _as_stored(v) for k, v in params.items()}
    if isinstance(conn, PlainConnection):
        names, raw = conn.run(sql, params)
    else:
        from sqlalchemy import text

        result = conn.execute(text(sql), params)
        names, raw = list(result.keys()), result.all()
    row_class, converters = _row_class(tuple(names), dialect)
    if not converters:
        return [row_class(r) for r in raw]
    out = []
    for values in map(list, raw):
        for i, convert in converters:
            if values[i] is not None:
                values[i] = convert(values[i])
        out.append(row_class(values))
    return out


def select_value(conn: Any, sql: str, **params: Any) -> Any:
    """The first value of the first row, or None when there is no row."""
    rows = select_rows(conn, sql, **params)
    return rows[0][0] if rows else None


def server_now(conn: Any) -> datetime | None:
    """PostgreSQL's clock, which the log trusts for registration; None on SQLite, which has no other."""
    return select_value(conn, "SELECT clock_timestamp()") if dialect_of(conn) == "postgresql" else None


def _expanded(sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Only the parameters the SQL names; a list one becomes one per item (`IN (:x_0, :x_1)`), an
    empty one NULL (which nothing equals)."""
    named = set(PARAMETER.findall(sql))
    params = {k: v for k, v in params.items() if k in named}
    lists = {k: v for k, v in params.items() if isinstance(v, (list, tuple, set, frozenset))}
    if not lists:
        return sql, params
    out = {k: v for k, v in params.items() if k not in lists}
    for name, values in lists.items():
        names = [f"{name}_{i}" for i in range(len(values))]
        out.update(zip(names, values))
        sql = re.sub(rf"(?<![:\w]):{name}\b", ", ".join(f":{n}" for n in names) or "NULL", sql)
    return sql, out


def _as_stored(value: Any) -> Any:
    """A date or instant as SQLAlchemy stores it in SQLite, so that comparisons read it right."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value.isoformat() if isinstance(value, date) else value


def _instant(text: str) -> datetime:
    """SQLite keeps an instant in UTC without its offset (workflow/storage/coltypes.py)."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


CONVERTERS = {"json": json.loads, "date": date.fromisoformat, "instant": _instant, "bool": bool}


@lru_cache(maxsize=None)
def _row_class(names: tuple[str, ...], dialect: str) -> tuple[type[Row], list[tuple[int, Any]]]:
    row_class = type("Row", (Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})
    if dialect != "sqlite":
        return row_class, []
    return row_class, [(i, CONVERTERS[KINDS[n]]) for i, n in enumerate(names) if n in KINDS]


def open_plain(url: str) -> PlainConnection:
    """A plain reading connection on a database at the current schema: the same checks and the same
    Spanish messages as the engine the commands that write open (`db.open_session`)."""
    from workflow.storage import db

    if url in _OPEN:
        return _OPEN[url]
    sqlite_file = db.sqlite_file(url)
    if sqlite_file is not None:
        import sqlite3

        db.check_reachable(url, creating=False)
        name, uri = sqlite_file
        conn = PlainConnection(url, sqlite3.connect(name, uri=uri, timeout=30), "sqlite")
        errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
    elif url.startswith("postgresql+psycopg://"):
        import psycopg

        try:
            raw = psycopg.connect("postgresql://" + url.partition("://")[2], options=f"-c lock_timeout={db.wait_seconds() * 1000}")
            conn = PlainConnection(url, raw, "postgresql")
        except psycopg.Error:
            raise db.cannot_open(url) from None
        errors = (psycopg.Error,)
    else:
        raise db.invalid_url(url)
    _OPEN[url] = conn
    try:
        try:
            version = select_value(conn, "SELECT version_num FROM alembic_version")
        except errors as exc:
            version = db.unopened(str(exc), url)
        db.check_schema(version, url)
    except ConvocaError:
        conn.close()
        raise
    return conn
