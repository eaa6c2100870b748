"""Letters on paper: the demo's escalation chain gives a carta simple, a carta notarial and a
proposal of resolution; each is numbered per call and year, printed to PDF with the domicile of the
contract (read back with a PDF library), rendered by `pdftoppm`, and its delivery recorded."""
from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from states.pct_2019.rules import money
from tests.cli import convoca
from tests.conftest import ON_POSTGRES, _checkpointed

ON_THE_DEMO = pytest.mark.skipif(ON_POSTGRES, reason="the demo is an SQLite file")


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> dict[str, str]:
    shutil.copy(_checkpointed(demo_db), tmp_path / "demo.db")  # the demo ran in-process: its WAL into the file
    return {"CONVOCA_DB": str(tmp_path / "demo.db"), "COLUMNS": "200", "CONVOCA_AHORA": "2020-12-31T10:00"}


@ON_THE_DEMO
def test_contrato_cl_12_the_carta_notarial_prints_with_its_number_domicile_and_amount(demo, tmp_path):
    cartas = json.loads(convoca("cartas", "--json", env=demo).out)
    # each unit numbers the letters it signs: the USM its cartas simples and proposals, the DE its notariales
    assert [c["numero"] for c in cartas] == ["Carta simple N.° 0001-2020-FONDECYT-USM",
                                            "Carta notarial N.° 0001-2020-FONDECYT-DE",
                                            "Propuesta de resolución del contrato N.° 0002-2020-FONDECYT-USM"]
    notarial = cartas[1]
    hechos = json.loads(convoca("ver", notarial["codigo"], "--json", env=demo).out)["hechos"]
    pdf = tmp_path / "carta.pdf"
    done = convoca("carta", str(notarial["id"]), "--pdf", str(pdf), env=demo)
    assert done.code == 0, done.err
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Carta notarial N.° 0001-2020-FONDECYT-DE" in " ".join(text.split())
    assert hechos["contrato"]["domicilio"] in text
    assert money(Decimal(hechos["ejecucion"]["monto_desembolsado"])) in text
    assert "ENSAYO" in text and "Dirección Ejecutiva" in text  # a rehearsal letter says so; who signs
    png = tmp_path / "pagina"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(png)], check=True)
    [page] = list(tmp_path.glob("pagina*.png"))
    assert page.stat().st_size > 5_000


@ON_THE_DEMO
def test_contrato_cl_12_a_letter_without_the_domicile_is_not_printed_and_says_how(demo, tmp_path):
    carta = json.loads(convoca("cartas", "--json", env=demo).out)[0]
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{demo['CONVOCA_DB']}")
    with engine.begin() as conn:  # a case signed before the domicile was asked for
        conn.execute(text("UPDATE caso SET hechos = json_remove(hechos, '$.contrato.domicilio') WHERE codigo = :c"),
                     {"c": carta["codigo"]})
    engine.dispose()
    done = convoca("carta", str(carta["id"]), "--pdf", str(tmp_path / "c.pdf"), env=demo)
    assert done.code != 0 and "registrar_domicilio" in done.err and not (tmp_path / "c.pdf").exists()


def test_contrato_cl_12_the_reply_period_of_a_carta_runs_from_its_delivery(tmp_path, db_url):
    """A carta simple sent on Tue 2020-04-07 with 5 business days to answer, delivered at the domicile
    on Tue 04-14: the period runs from the delivery (to Tue 04-21), and the record still verifies."""
    from tests.test_dinero import Project

    p = Project(db_url, tmp_path, "hitos", "publica")
    p.hito(1, "presentar_itf", "2020-02-14", "indicadores_cumplidos=3")
    p.hito(1, "observar_itf", "2020-02-20", "observaciones=faltan actas")
    p.ev("registrar_notificacion", "2020-02-20", "ues", "notificacion=observaciones_itf", "hito=1", "medio=domicilio",
         "evidencia=cargo C-0")
    p.run("vigilar", "--ahora", "2020-04-07T09:00")
    [carta] = json.loads(p.run("cartas", "--caso", p.codigo, "--json"))
    assert (carta["plazo"], carta["numero"]) == ("P4/1", "Carta simple N.° 0001-2020-FONDECYT-USM")
    antes = [r for r in json.loads(p.run("plazos", "--caso", p.codigo, "--json")) if r["tipo"] == "P4"]
    assert "no tiene una carta en curso" in p.ev("registrar_cargo", "2020-04-14", "monitor", f"carta={carta['id']}",
                                                 "plazo=P3/2", "cargo=C-1", code=2)
    p.ev("registrar_cargo", "2020-04-14", "monitor", f"carta={carta['id']}", "plazo=P4/1", "notario=Mensajería Olva",
         "cargo=C-4471")
    [again] = json.loads(p.run("cartas", "--caso", p.codigo, "--json"))
    assert (again["entregada"], again["cargo"]) == ("2020-04-14", "Mensajería Olva C-4471")
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as conn:
        vence = conn.execute(text("SELECT escalamiento_vence FROM plazo WHERE codigo = :c AND tipo = 'P4'"),
                             {"c": p.codigo}).scalar_one()
    engine.dispose()
    assert str(vence)[:10] == "2020-04-21" and antes  # 5 business days after Tue 04-14
    # a day declared non-working afterwards moves it one more day, still counted from the delivery
    p.run("calendario", "agregar", "2020-04-16", "--tipo", "no_laborable", "--norma", "DS 999-2020-PCM",
          "--usuario", "direccion")
    with engine.connect() as conn:
        vence = conn.execute(text("SELECT escalamiento_vence FROM plazo WHERE codigo = :c AND tipo = 'P4'"),
                             {"c": p.codigo}).scalar_one()
    engine.dispose()
    assert str(vence)[:10] == "2020-04-22"
    assert "OK" in p.run("auditoria", "verificar")
