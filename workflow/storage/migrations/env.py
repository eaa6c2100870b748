"""Alembic runs on the connection `workflow.storage.db.upgrade` hands it, inside its transaction."""
from alembic import context
from sqlmodel import SQLModel

import workflow.storage.models  # noqa: F401  (registers the tables in the metadata)

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
