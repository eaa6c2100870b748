"""Peru's holidays stored in the database at `init`: one source of the calendar, the same answers
as the `holidays` package, and no import of the package on a command that counts business days."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import holidays
import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.cli import convoca
from tests.conftest import ON_POSTGRES
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord, Holiday


def test_init_stores_the_years_the_call_needs_from_the_package(db_url: str):
    engine = connect(db_url)
    with Session(engine) as s:
        rows = s.execute(select(Holiday)).scalars().all()
        acto = s.execute(select(AuditRecord).where(AuditRecord.evento == "guardar_feriados")).scalar_one()
    engine.dispose()
    peru = holidays.country_holidays("PE", years=range(2019, 2025), language="es")
    assert {(r.fecha, r.nombre) for r in rows} == set(peru.items())
    assert {r.fuente for r in rows} == {f"holidays {holidays.__version__} (DL 713)"}
    assert acto.datos["anios"] == [2019, 2020, 2021, 2022, 2023, 2024] and acto.datos["dias"] == len(rows)
    listed = json.loads(convoca("calendario", "2020", "--json", env={"CONVOCA_DB": db_url}).out)
    feriados = [r for r in listed if r["tipo"] == "feriado"]
    assert len(feriados) == len([d for d in peru if d.year == 2020])
    assert all("guardado en la base" in r["fuente"] for r in feriados)


def _everything(db: Path) -> list[str]:
    env = {"CONVOCA_DB": str(db)}
    codes = [r["codigo"] for r in json.loads(convoca("listar", "--por-pagina", "1000", "--json", env=env).out)]
    return [convoca("listar", "--json", env=env).out, convoca("plazos", "--json", env=env).out,
            *(convoca("ver", c, "--json", env=env).out for c in codes)]


@pytest.mark.skipif(ON_POSTGRES, reason="the demo is an SQLite file")
def test_ver_and_listar_are_identical_with_stored_holidays_and_with_the_package(demo_db: Path, tmp_path: Path):
    """A golden comparison over every demo case: the stored calendar answers as the package did."""
    stored = _everything(demo_db)
    without = tmp_path / "sin_feriados.db"
    with sqlite3.connect(demo_db) as source, sqlite3.connect(without) as copy:
        source.backup(copy)  # the whole database, its write-ahead log included
        copy.execute("DELETE FROM feriado")
    assert len(stored) == 2 + 42 + 3 and stored == _everything(without)


@pytest.mark.skipif(ON_POSTGRES, reason="the demo is an SQLite file")
def test_counting_business_days_does_not_import_the_package(demo_db: Path):
    """`ver` of a case with business-day deadlines, today, reads the stored days: no `holidays`
    import (the demo, explored years after its story, stores them through next year)."""
    script = ("import sys\nfrom workflow.cli.app import main\nsys.argv = ['convoca', 'ver', 'E062-0010']\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print('holidays' in sys.modules, 'states.calendar' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={"CONVOCA_DB": str(demo_db), "PATH": "/usr/bin:/bin"})
    assert "E062-0010" in done.stdout and done.stderr.strip().splitlines()[-1] == "False True"


def test_the_service_keeps_the_holidays_through_next_year_as_time_passes(db_url: str):
    """A call that outlives its years: the daily job stores each missing year once, as an act."""
    from datetime import date

    from workflow.clock import wall_clock
    from workflow.engine.agenda import keep_holidays_current

    today = wall_clock().date()  # an act is never dated after the server's clock
    engine = connect(db_url)
    with Session(engine) as s:
        assert keep_holidays_current(s, date(2023, 3, 1)) == []  # 2019–2024 stored: through 2024, nothing to add
    with Session(engine) as s:
        added = keep_holidays_current(s, today)
        assert keep_holidays_current(s, today) == []  # a repeated pass stores nothing again
        actos = s.execute(select(AuditRecord).where(AuditRecord.evento == "guardar_feriados")).scalars().all()
        years = {r.fecha.year for r in s.execute(select(Holiday)).scalars()}
    engine.dispose()
    assert added == list(range(2025, today.year + 2)) and actos[-1].datos["anios"] == added and len(actos) == 2
    assert years == set(range(2019, today.year + 2))
    assert convoca("auditoria", "verificar", env={"CONVOCA_DB": db_url}).code == 0
