"""The portfolio report of the demonstration, as of 2020-03-31 and 2020-12-31: every number checked
against a query of this test's own on the record, the report of a past date unchanged by later acts,
and its page opened in a real browser (Debian's Chromium): no console error, no request leaves the
file, no chart blank."""
from __future__ import annotations

import io
import json
import shutil
import sqlite3
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli import convoca
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="the demo is an SQLite file")

MARZO, DICIEMBRE = "2020-03-31", "2020-12-31"
E062 = "E062-2019-01"
"""The demo holds ANDE-BPD-2025 too: a report is of one call."""


def report(db: Path, al: str, *extra: str) -> dict:
    done = convoca("informe", "--convocatoria", E062, "--al", al, "--desde", "2019-09-01", "--json", *extra, env={"CONVOCA_DB": str(db)})
    assert done.code == 0, done.err
    return json.loads(done.out)


def _acts(db: Path, al: str) -> list[sqlite3.Row]:
    """The accepted acts of the cases up to `al`, as the log holds them (the demo corrects none)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return conn.execute("SELECT codigo, evento, estado_destino, fecha_efectiva, datos FROM auditoria "
                        "WHERE aceptado AND caso_id IS NOT NULL AND rol != 'sistema' AND fecha_efectiva <= ? "
                        "ORDER BY fecha_efectiva, id", (al,)).fetchall()


def _soles(rows, evento: str, *path: str) -> Decimal:
    total = Decimal(0)
    for r in rows:
        if r["evento"] == evento:
            value = json.loads(r["datos"])
            for key in path:
                value = value[key]
            total += Decimal(value)
    return total


@pytest.mark.parametrize("al", [MARZO, DICIEMBRE])
def test_counts_and_money_are_those_of_the_record(demo_db: Path, al: str):
    r = report(demo_db, al)
    rows = _acts(demo_db, al)
    last = {}
    for row in rows:
        last[row["codigo"]] = row["estado_destino"]
    assert {e["estado"]: e["casos"] for e in r["embudo"] if e["casos"]} == dict(Counter(last.values()))
    assert r["casos"] == len(last)
    dinero = {k: Decimal(v) for k, v in r["dinero"].items()}
    assert dinero["solicitado"] == _soles(rows, "postular", "postulacion", "monto_solicitado")
    assert dinero["desembolsado"] == _soles(rows, "desembolsar", "ejecucion", "monto_desembolsado")
    assert dinero["devuelto"] == _soles(rows, "registrar_devolucion", "devolucion", "monto")
    gastos = sum((Decimal(g["monto"]) for row in rows if row["evento"] == "registrar_gasto"
                  for g in json.loads(row["datos"])["gastos"].values()), Decimal(0))
    assert dinero["ejecutado"] == gastos == sum(Decimal(p["ejecutado"]) for p in r["partidas"])
    assert sum(Decimal(m["desembolsado"]) for m in r["dinero_mes"]) == dinero["desembolsado"]
    assert sum(g["casos"] for g in r["regiones"]) == r["casos"]
    if al == DICIEMBRE:
        assert dinero["desembolsado"] > 0 and dinero["ejecutado"] > 0 and dinero["devuelto"] > 0


def test_met_and_missed_deadlines_are_those_of_the_ledger(demo_db: Path):
    """At the end of 2020 every act of the demo's cases is in: the ledger table is the record's fold."""
    r = report(demo_db, DICIEMBRE)
    conn = sqlite3.connect(demo_db)
    kinds = {t["tipo"] for t in r["plazos_tipo"]}
    from states.books import book

    derechos = {k.tipo for k in book("pct-2019").plazos.tipos if k.derecho}
    ours: Counter = Counter()
    for tipo, estado, vence in conn.execute("SELECT tipo, estado, vence FROM plazo"):
        if tipo not in kinds or estado == "anulado":
            continue
        if tipo in derechos and estado in ("pendiente", "vencido") and vence < DICIEMBRE:
            continue  # a right left unused lapsed (Guía §3.4, §3.6): nobody missed it
        outcome = {"cumplido": "a_tiempo", "cumplido_tarde": "tarde"}.get(estado) or (
            "incumplido" if vence < DICIEMBRE else "pendiente")
        ours[(tipo, outcome)] += 1
    theirs = Counter({(t["tipo"], k): t[k] for t in r["plazos_tipo"] for k in ("a_tiempo", "tarde", "incumplido",
                                                                              "pendiente") if t[k]})
    assert theirs == ours
    per_month = Counter()
    for m in r["plazos_mes"]:
        per_month["a_tiempo"] += m["a_tiempo"]
        per_month["incumplido"] += m["incumplido"]
    assert per_month["incumplido"] == sum(v for (_, k), v in ours.items() if k == "incumplido")
    open_by_monitor = dict(conn.execute(
        "SELECT c.monitor, count(*) FROM plazo p JOIN caso c ON c.id = p.caso_id WHERE p.estado IN "
        "('pendiente', 'vencido') AND p.tipo NOT IN ('NF', 'N4', 'N9') AND c.monitor IS NOT NULL AND c.estado NOT IN "
        "('no_apta', 'desaprobada', 'desistida', 'cerrada', 'resuelta', 'descalificada') GROUP BY c.monitor"))
    assert {m["monitor"]: m["plazos_abiertos"] for m in r["monitores"] if m["monitor"] in open_by_monitor} \
        == open_by_monitor


def test_a_past_report_reads_the_same_after_later_acts(demo_db: Path, tmp_path: Path):
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    before = report(db, MARZO)
    env = {"CONVOCA_DB": str(db), "CONVOCA_AHORA": "2020-12-10T10:00"}
    aprobadas = [c["codigo"] for c in json.loads(convoca("listar", "--estado", "aprobada", "--json", env=env).out)]
    done = convoca("avanzar", aprobadas[0], "desistir", "--dato", "causa=renuncia", "--fecha", "2020-12-01",
                   "--usuario", "de.director", env=env)
    assert done.code == 0, done.err
    after = report(db, MARZO)
    december = report(db, "2020-12-10")
    assert {k: v for k, v in after.items() if k != "generado"} == {k: v for k, v in before.items() if k != "generado"}
    assert {e["estado"]: e["casos"] for e in december["embudo"]}["desistida"] == \
        {e["estado"]: e["casos"] for e in report(demo_db, "2020-12-10")["embudo"]}["desistida"] + 1
    assert any(n["codigo"] == aprobadas[0] and n["evento"] == "desistir" for n in december["notables"])


def test_a_report_of_the_future_or_a_period_backwards_is_refused(demo_db: Path):
    done = convoca("informe", "--convocatoria", E062, "--al", "2999-01-01", env={"CONVOCA_DB": str(demo_db)})
    assert done.code == 2 and "es posterior a hoy" in done.err
    done = convoca("informe", "--convocatoria", E062, "--al", MARZO, "--desde", "2020-04-01", env={"CONVOCA_DB": str(demo_db)})
    assert done.code == 2 and "--desde 2020-04-01 es posterior a --al 2020-03-31" in done.err


@pytest.fixture(scope="module")
def written(demo_db: Path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("informe")
    done = convoca("informe", "--convocatoria", E062, "--al", DICIEMBRE, "--desde", "2019-09-01", "--html",
                   str(folder / "i.html"), "--xlsx", str(folder / "i.xlsx"), "--pdf", str(folder / "i.pdf"),
                   env={"CONVOCA_DB": str(demo_db)})
    assert done.code == 0, done.err
    return folder


def test_the_page_opens_in_a_real_browser_whole_and_alone(written: Path):
    from PIL import Image
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = Options()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        page = (written / "i.html").resolve().as_uri()
        driver.get(page)
        assert driver.title.startswith("Informe de cartera E062-2019-01 al 31/12/2020")
        assert not [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        requested = [json.loads(e["message"])["message"]["params"]["request"]["url"]
                     for e in driver.get_log("performance")
                     if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
        assert requested == [page]  # the page itself, nothing else: no network, no font, no script
        charts = driver.find_elements(By.CSS_SELECTOR, ".grafico svg")
        assert len(charts) == 4
        for chart in charts:
            driver.execute_script("arguments[0].scrollIntoView()", chart)
            picture = Image.open(io.BytesIO(chart.screenshot_as_png)).convert("RGB")
            colours = picture.getcolors(maxcolors=1 << 20) or []
            inked = sum(n for n, c in colours if c != (255, 255, 255))
            assert len(colours) > 10 and inked > 0.02 * picture.width * picture.height, chart.get_attribute("aria-label")
        assert "ENSAYO" in driver.find_element(By.TAG_NAME, "body").text
    finally:
        driver.quit()


def test_the_workbook_and_the_pdf_carry_the_same_report(written: Path, demo_db: Path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    r = report(demo_db, DICIEMBRE)
    book = load_workbook(written / "i.xlsx")
    assert [s.title for s in book.worksheets][:3] == ["ENSAYO Propuestas por estado", "ENSAYO Dinero",
                                                     "ENSAYO Partidas"]
    estados = book["ENSAYO Propuestas por estado"]
    assert sum(row[2].value for row in estados.iter_rows(min_row=2)) == r["casos"]
    dinero = {row[1].value: row[2].value for row in book["ENSAYO Dinero"].iter_rows(min_row=2)}
    assert dinero["Desembolsado"] == pytest.approx(float(r["dinero"]["desembolsado"]))
    text = " ".join(page.extract_text() for page in PdfReader(written / "i.pdf").pages)
    assert "Informe de cartera" in text and "ENSAYO" in text
    from states.pct_2019.rules import money

    assert money(r["dinero"]["desembolsado"]) in text


def test_the_report_does_not_move_with_the_day_it_is_made(demo_db: Path, tmp_path: Path):
    """The same date gives the same page, pictures included, byte for byte but for the instant it was made."""
    pages = []
    for name in ("a", "b"):
        convoca("informe", "--convocatoria", E062, "--al", MARZO, "--html", str(tmp_path / f"{name}.html"),
                env={"CONVOCA_DB": str(demo_db)})
        text = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
        pages.append(text[:text.index("según el registro al")])
    assert pages[0] == pages[1]
    assert date.fromisoformat(MARZO).strftime("%d/%m/%Y") in pages[0]
