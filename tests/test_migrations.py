"""Alembic migrations bring an empty database to the models, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import workflow.models  # noqa: F401  (the tables)
from workflow.db import connect, upgrade


def test_empty_database_upgrades_to_head_with_no_pending_diff(empty_db_url: str):
    engine = connect(empty_db_url)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_is_idempotent(empty_db_url: str):
    engine = connect(empty_db_url)
    upgrade(engine)
    upgrade(engine)
    engine.dispose()


def test_an_old_schema_asks_for_init(empty_db_url: str):
    from alembic import command
    from alembic.config import Config

    from workflow.db import MIGRATIONS, open_session
    from workflow.errors import ConvocaError

    engine = connect(empty_db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    engine.dispose()
    try:
        open_session(empty_db_url)
        raise AssertionError("an old schema must be refused")
    except ConvocaError as exc:
        assert "está en la versión 0003 del esquema" in str(exc) and "ejecute `convoca init`" in str(exc)
