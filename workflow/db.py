"""Opening the database and bringing its schema up to date with Alembic.

SQLite in the working directory is the default for one officer; any SQLAlchemy URL works through
`--db` or `CONVOCA_DB`.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlmodel import Session

from workflow.errors import ConvocaError

DEFAULT_URL = "sqlite:///convoca.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def url_from(option: str | None) -> str:
    return option or os.environ.get("CONVOCA_DB") or DEFAULT_URL


def connect(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the one writer
            cur.close()
    return engine


def upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_session(url: str) -> Session:
    """A session on an initialised database; a clear message when `convoca init` was not run."""
    engine = connect(url)
    try:
        ready = inspect(engine).has_table("alembic_version")
    except Exception as exc:  # an unreachable server or a bad URL, shown without a traceback
        raise ConvocaError(f"No se puede abrir la base de datos {url}: {exc.__class__.__name__}: {exc}") from None
    if not ready:
        raise ConvocaError(f"La base de datos {url} no está inicializada: ejecute `convoca init`.")
    return Session(engine)
