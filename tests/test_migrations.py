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
