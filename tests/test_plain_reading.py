"""The plain reading (workflow/storage/plain.py): the commands an officer lives in answer without
importing SQLAlchemy, and every value they read is the value SQLAlchemy's types would have given."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import ON_POSTGRES
from workflow.storage.db import close_all, connect
from workflow.storage.plain import open_plain, select_rows
from workflow.storage.tables import metadata

PROBE = """import atexit, sys
atexit.register(lambda: sys.stderr.write("\\nSQLALCHEMY=" + str(any(m.split(".")[0] == "sqlalchemy"
                                                                   for m in sys.modules))))
sys.argv = ["convoca", *sys.argv[1:]]
from workflow.cli.app import main
main()
"""

BUSY = (["ver", "E062-0001"], ["ver", "E062-0001", "--json"], ["listar"], ["plazos"], ["historial", "E062-0001"],
        ["registro"], ["eventos", "apta"])


def _everything(conn, core: bool) -> dict[str, list[dict]]:
    """Every row of every table, as dicts, in key order: through Core's typed columns or through `filas`."""
    out = {}
    for table in metadata.sorted_tables:
        keys = [c.name for c in table.primary_key.columns]
        if core:
            rows = [dict(r._mapping) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
        else:
            rows = [dict(r._mapping) for r in select_rows(conn, f"SELECT * FROM {table.name} ORDER BY {', '.join(keys)}")]
        out[table.name] = rows
    return out


def _compare(url: str) -> None:
    engine = connect(url)
    try:
        with engine.connect() as core:
            typed = _everything(core, core=True)
            through_sqlalchemy = _everything(core, core=False)
        plain = _everything(open_plain(url), core=False)
    finally:
        close_all()
        engine.dispose()
    assert sum(len(rows) for rows in typed.values()) > 50
    for name, rows in typed.items():
        assert plain[name] == rows, name
        assert through_sqlalchemy[name] == rows, name


def test_every_column_reads_as_sqlalchemy_reads_it(db_url, walker):
    """Dates, instants with their zone, booleans and JSON (including JSON null) from every table,
    after a case went through signing, deadlines, letters and the outbox."""
    walker.to("E062-0001", "hitos")
    walker.session.commit()
    _compare(db_url)


@pytest.mark.skipif(ON_POSTGRES, reason="the demo is an SQLite file")
def test_every_column_of_the_demo_reads_as_sqlalchemy_reads_it(demo_db: Path):
    _compare(f"sqlite:///{demo_db}")


def test_the_commands_an_officer_lives_in_do_not_import_sqlalchemy(db_url, walker):
    walker.to("E062-0001", "contratada")
    walker.session.commit()
    env = {**os.environ, "CONVOCA_DB": db_url, "COLUMNS": "100"}
    for args in BUSY:
        done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, (args, done.stderr)
        assert done.stderr.rstrip().endswith("SQLALCHEMY=False"), (args, done.stderr[-500:])
    done = subprocess.run([sys.executable, "-c", PROBE, "cartas"], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr.rstrip().endswith("SQLALCHEMY=True")  # the probe can see it


def test_a_list_parameter_is_an_in_list_and_an_empty_one_matches_nothing(db_url, imported):
    conn = open_plain(db_url)
    try:
        codes = [r.codigo for r in select_rows(conn, "SELECT codigo FROM caso WHERE codigo IN (:c) ORDER BY codigo",
                                         c=["E062-0002", "E062-0001", "X"])]
        assert codes == ["E062-0001", "E062-0002"]
        assert select_rows(conn, "SELECT codigo FROM caso WHERE codigo IN (:c)", c=[]) == []
    finally:
        close_all()


def test_a_database_that_is_not_there_or_not_initialised_is_said_as_for_the_commands_that_write(tmp_path,
                                                                                                  empty_db_url):
    from workflow.errors import ConvocaError

    with pytest.raises(ConvocaError, match="no existe: ejecute `convoca init`"):
        open_plain(f"sqlite:///{tmp_path / 'nada.db'}")
    if not ON_POSTGRES:
        (tmp_path / "vacia.db").touch()
    url = empty_db_url if ON_POSTGRES else f"sqlite:///{tmp_path / 'vacia.db'}"
    with pytest.raises(ConvocaError, match="no está inicializada: ejecute `convoca init`"):
        open_plain(url)
    with pytest.raises(ConvocaError, match="La URL de la base de datos no es válida: foo://bar"):
        open_plain("foo://bar")
