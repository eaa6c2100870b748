"""Alembic migrations bring an empty database to the models, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import workflow.storage.models  # noqa: F401  (the tables)
from workflow.storage.db import connect, upgrade


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


def upgrade_to(conn, revision: str) -> None:
    """Alembic up to one revision, on the caller's connection: an installation as it was then."""
    from alembic import command
    from alembic.config import Config

    from workflow.storage.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def test_an_old_schema_asks_for_init(empty_db_url: str):
    from workflow.errors import ConvocaError
    from workflow.storage.db import open_session

    engine = connect(empty_db_url)
    with engine.begin() as conn:
        upgrade_to(conn, "0003")
    engine.dispose()
    try:
        open_session(empty_db_url)
        raise AssertionError("an old schema must be refused")
    except ConvocaError as exc:
        assert "está en la versión 0003 del esquema" in str(exc) and "ejecute `convoca init`" in str(exc)


def test_a_log_written_before_the_chain_existed_is_chained_and_verifies_after_upgrade(empty_db_url: str,
                                                                                      monkeypatch):
    """Rows of an installation at revision 0003 are chained by 0004 (with its frozen hash) in a way
    today's `verificar` accepts, zone of the registration instant included: on a machine set to Lima
    time, a naive instant read back from SQLite must still mean UTC."""
    import time

    from sqlalchemy import text

    from workflow.storage import audit

    monkeypatch.setenv("TZ", "America/Lima")
    time.tzset()
    engine = connect(empty_db_url)
    with engine.begin() as conn:
        upgrade_to(conn, "0003")
        conn.execute(text("INSERT INTO convocatoria (codigo, nombre, definicion, cargada_en) "
                          "VALUES ('C', 'C', '', '2019-09-24 10:00:00')"))
        conn.execute(text("INSERT INTO caso (id, codigo, convocatoria, estado, version, hechos) "
                          "VALUES (1, 'E062-0001', 'C', 'postulada', 1, '{}')"))
        for i, evento in enumerate(("postular", "registrar_elegibilidad"), start=1):
            conn.execute(text("INSERT INTO auditoria (id, caso_id, codigo, evento, estado_origen, estado_destino, "
                              "usuario, registrado_en, fecha_efectiva, nota, datos, reglas, plazos) VALUES "
                              f"({i}, 1, 'E062-0001', '{evento}', NULL, 'postulada', 'ues', "
                              f"'2019-10-2{i} 15:00:00', '2019-10-2{i}', NULL, '{{}}', '[]', '[]')"))
    upgrade(engine)
    with engine.connect() as conn:
        verdict = audit.verify(conn)
    engine.dispose()
    monkeypatch.undo()
    time.tzset()
    assert verdict.ok and verdict.filas == 2
