"""Text is clean at the door and harmless on the way out: a control character is refused where it
is typed or imported, naming the field, and written as its escape wherever an old one is shown."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlalchemy import select, update
from sqlmodel import Session

from states.historia import write_csv
from states.pct_2019.demo_data import proposals
from tests.cli import convoca
from tests.conftest import Walker
from workflow.storage.db import connect
from workflow.storage.models import CaseRecord


def env(url: str, **extra: str) -> dict[str, str]:
    return {"CONVOCA_DB": url, "CONVOCA_AHORA": "2020-12-31T10:00", "COLUMNS": "200", **extra}


def test_a_nul_in_a_note_or_an_escape_in_a_datum_is_refused_naming_the_field(walker: Walker, db_url: str):
    c = walker.to("E062-0001", "hitos")
    nota = convoca("avanzar", c, "registrar_visita", "--dato", "anunciada=si", "--dato", "acta=A1", "--nota",
                   "visita\x00", "--usuario", "monitor", env=env(db_url))
    assert nota.code == 2 and "'nota' contiene un carácter de control (U+0000)" in nota.err
    dato = convoca("avanzar", c, "registrar_visita", "--dato", "anunciada=si", "--dato", "acta=A\x1b[31m1",
                   "--usuario", "monitor", env=env(db_url))
    assert dato.code == 2 and "'acta'" in dato.err and "U+001B" in dato.err and "\x1b" not in dato.err
    ok = convoca("avanzar", c, "registrar_visita", "--dato", "anunciada=si", "--dato", "acta=A1", "--dato",
                 "observaciones=línea uno\nlínea dos", "--usuario", "monitor", env=env(db_url))
    assert ok.code == 0, ok.err  # a free text keeps its line breaks


def test_a_code_with_a_line_break_or_an_address_with_a_nul_is_not_importable(db_url: str, tmp_path: Path):
    rows = proposals(3)
    rows[1]["codigo"] = "E062-0002\r\nX"
    rows[2]["coordinador_email"] = "c@example.org\x00"
    done = convoca("importar", str(write_csv(rows, tmp_path / "p.csv")), "--usuario", "mesa", env=env(db_url))
    assert done.code == 2 and "'codigo' contiene un carácter de control (U+000D)" in done.err
    assert "'coordinador_email' contiene un carácter de control (U+0000)" in done.err
    assert "\r" not in done.err and "\x00" not in done.err


def test_an_old_escape_is_shown_escaped_in_the_terminal_and_in_a_spreadsheet(walker: Walker, db_url: str,
                                                                             tmp_path: Path):
    walker.to("E062-0001", "apta")
    engine = connect(db_url)
    with Session(engine) as s:  # written before the door was closed (or around convoca)
        hechos = s.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == "E062-0001")).scalar_one()
        hechos["entidad"]["razon_social"] = "\x1b[31mUniversidad\x01"
        s.execute(update(CaseRecord).where(CaseRecord.codigo == "E062-0001").values(hechos=hechos))
        s.commit()
    engine.dispose()
    shown = convoca("ver", "E062-0001", env=env(db_url))
    lines = [line for line in shown.out.splitlines() if "\x1b" in line]
    assert shown.code == 0 and not lines and "\\x1b[31m" in shown.out, lines
    xlsx = tmp_path / "casos.xlsx"
    assert convoca("listar", "--xlsx", str(xlsx), env=env(db_url)).code == 0
    cells = [c.value for row in openpyxl.load_workbook(xlsx).active.iter_rows() for c in row]
    assert "\\x1b[31mUniversidad\\x01" in cells


def test_a_note_is_shown_as_typed_not_as_markup_or_emoji(walker: Walker, db_url: str):
    """«:x:» or «[bold]» in a note are what the officer typed: no ❌, no bold, no lost brackets."""
    c = walker.to("E062-0001", "hitos")
    nota = "visita :x: sin acta [bold]pendiente[/bold] :warning:"
    done = convoca("avanzar", c, "registrar_visita", "--dato", "anunciada=si", "--dato", "acta=A1", "--nota", nota,
                   "--usuario", "monitor", env=env(db_url))
    assert done.code == 0, done.err
    shown = convoca("ver", c, env=env(db_url, COLUMNS="400"))
    assert shown.code == 0 and nota in shown.out and "❌" not in shown.out and "⚠" not in shown.out
