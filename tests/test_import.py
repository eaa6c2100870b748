"""Import is all or nothing and names every bad row."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from states.historia import write_csv
from states.pct_2019.demo_data import proposals
from workflow.engine.calls import call_of
from workflow.engine.importer import ImportRefused, import_file
from workflow.errors import Refusal
from workflow.storage.models import AuditRecord, CaseRecord


def count(session) -> int:
    return session.execute(select(func.count()).select_from(CaseRecord)).scalar_one()


def test_good_file_imports_every_row_with_its_audit_row(session, tmp_path: Path):
    rows = proposals(12)
    assert import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa").total == 12
    assert count(session) == 12
    assert session.execute(select(func.count()).select_from(AuditRecord)
                           .where(AuditRecord.evento == "postular")).scalar_one() == 12


def test_json_file_imports_too(session, tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(proposals(3)), encoding="utf-8")
    assert import_file(session, call_of(session), path, "mesa").total == 3


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("fecha_postulacion", "2019-13-40", "fecha_postulacion inválida"),
    # the import's dates obey the bounds of every act: not after today, not before the launch
    ("fecha_postulacion", "2030-01-01T10:00", "fecha_postulacion 2030-01-01T10:00: la fecha efectiva 2030-01-01 es "
                                              "posterior a hoy"),
    ("fecha_postulacion", "1900-01-01T10:00", "es anterior al lanzamiento de la convocatoria (2019-09-24)"),
    ("monto_solicitado", "mucho", "monto_solicitado inválido"),
    ("coordinador_dni", "1234", "DNI inválido"),
    ("titulo", "", "faltan valores: titulo"),
    ("coordinador_email", "a@b\nBcc: x@y", "coordinador_email inválido"),
])
def test_one_bad_row_imports_nothing_and_is_named(session, tmp_path: Path, column, value, reason):
    rows = proposals(8)
    rows[5][column] = value
    with pytest.raises(ImportRefused) as exc:
        import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa")
    assert "línea 7 (E062-0006)" in str(exc.value) and reason in str(exc.value)
    assert count(session) == 0


def test_duplicate_code_is_named_with_both_lines(session, tmp_path: Path):
    rows = proposals(4)
    rows[3]["codigo"] = rows[1]["codigo"]
    with pytest.raises(ImportRefused, match=r"línea 5 \(E062-0002\): código duplicado \(ya en la línea 3\)"):
        import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa")
    assert count(session) == 0


def test_bases_2_2_1_3_1_2_3_4_2_3_1_what_the_bases_object_to_is_imported_as_defects(session,
                                                                                       tmp_path: Path):
    """The SIG received these applications: a bad RUC, a coordinator repeated across two concepts, an
    entity type the bases exclude, a late submission and an amount over the maximum are all recorded,
    each defect with its source, and `declarar_no_apta` cites them. Judging is the UES's."""
    from states.pct_2019.lifecycle import CICLO
    from tests.conftest import Walker

    rows = proposals(8)
    rows[1]["entidad_ruc"] = "20123456789"
    rows[2]["coordinador_dni"] = rows[0]["coordinador_dni"]
    rows[3]["entidad_tipo"] = "sociedad_colectiva"
    rows[4]["fecha_postulacion"] = "2019-10-11T13:01"
    rows[5]["monto_solicitado"] = "25000.01"
    hecho = import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa")
    assert hecho.total == 8 and count(session) == 8
    defectos = hecho.con_defectos
    assert "Bases §2.2.1: RUC inválido: 20123456789 (11 dígitos con dígito verificador)" in defectos["E062-0002"]
    assert any("Bases §3.1.2" in d and "E062-0003" in d for d in defectos["E062-0001"])  # both flagged
    assert any("Bases §3.1.2" in d and "E062-0001" in d for d in defectos["E062-0003"])
    assert any("Bases §2.2.1: tipo de entidad no elegible: sociedad_colectiva" in d for d in defectos["E062-0004"])
    assert any(d.startswith("Bases §3.4: enviada el 2019-10-11T13:01") for d in defectos["E062-0005"])
    assert any(d.startswith("Bases §2.3.1: monto_solicitado 25000.01") for d in defectos["E062-0006"])
    assert set(defectos) == {"E062-0001", "E062-0002", "E062-0003", "E062-0004", "E062-0005", "E062-0006"}
    walker = Walker(session, {r["codigo"]: r for r in rows})
    for codigo, defecto in (("E062-0002", "RUC inválido"), ("E062-0003", "ya postuló con E062-0001"),
                            ("E062-0004", "sociedad_colectiva")):
        walker.step(codigo, "registrar_elegibilidad")
        with pytest.raises(Refusal, match=defecto):
            walker.step(codigo, "declarar_apta")
        walker.step(codigo, "declarar_no_apta")
        assert any(defecto in r for r in walker.facts(codigo)["elegibilidad"]["requisitos_incumplidos"])
    assert CICLO.event("declarar_no_apta")
    # once the repeated proposal is out of the call, the other is no longer flagged
    walker.step("E062-0001", "registrar_elegibilidad")
    walker.step("E062-0001", "declarar_apta")


def test_missing_column_is_named(session, tmp_path: Path):
    rows = [{k: v for k, v in r.items() if k != "entidad_regimen"} for r in proposals(2)]
    with pytest.raises(ImportRefused, match="faltan columnas: entidad_regimen"):
        import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa")


def test_reimport_of_same_code_is_refused(session, tmp_path: Path):
    path = write_csv(proposals(2), tmp_path / "p.csv")
    import_file(session, call_of(session), path, "mesa")
    with pytest.raises(ImportRefused, match="código ya importado"):
        import_file(session, call_of(session), path, "mesa")
    assert count(session) == 2


def test_defects_show_in_ver_and_in_the_eligibility_checklist(session, db_url: str, tmp_path: Path):
    from tests.cli import convoca

    rows = proposals(3)
    rows[2]["coordinador_dni"] = rows[0]["coordinador_dni"]
    import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa")
    env = {"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-12-31T10:00", "COLUMNS": "250"}
    shown = convoca("ver", "E062-0001", env=env).out
    assert "Defectos registrados al importar" in shown and "ya postuló con E062-0003" in shown
    checklist = convoca("elegibilidad", "E062-0003", env=env).out
    assert "un concepto patentable por coordinador" in checklist
    assert "no cumple: el coordinador" in next(line for line in checklist.splitlines() if "coordinador (DNI" in line)


def test_a_spanish_excel_csv_is_read_and_says_how(session, tmp_path: Path):
    """Semicolons and Windows-1252, as a Spanish-locale Excel writes them: detected and said."""
    import csv

    rows = proposals(3)
    path = tmp_path / "excel.csv"
    with path.open("w", encoding="cp1252", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    hecho = import_file(session, call_of(session), path, "mesa")
    assert hecho.total == 3 and hecho.leido_como == "CSV en Windows-1252, separado por «;»"
    nombre = session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == "E062-0001")).scalar_one()
    assert nombre["coordinador"]["nombre"] == rows[0]["coordinador_nombre"]  # accents intact


def test_a_file_with_many_bad_rows_lists_the_first_fifty_and_counts_the_rest(session, tmp_path: Path):
    rows = proposals(120)
    for r in rows:
        r["monto_solicitado"] = "mucho"
    with pytest.raises(ImportRefused) as exc:
        import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa")
    message = str(exc.value)
    assert "120 filas con errores" in message and "… y 70 filas más con errores." in message
    assert message.count("monto_solicitado inválido") == 50


@pytest.mark.parametrize("value", ["Infinity", "NaN", "1e28", "123456789012345678901234567890", "-5"])
def test_an_amount_no_report_can_sum_is_refused_at_import_and_nothing_breaks(db_url: str, tmp_path: Path, value):
    """Infinity, 1e28 or thirty digits once entered a case and broke `listar` and `informe` for the
    whole database (and the case could be neither rectified nor annulled): refused at the door."""
    from tests.cli import convoca

    rows = proposals(3)
    rows[1]["monto_solicitado"] = value
    env = {"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2019-10-15T10:00"}
    done = convoca("importar", str(write_csv(rows, tmp_path / "p.csv")), "--usuario", "mesa", env=env)
    assert done.code != 0 and "monto_solicitado" in done.err and "fila 3" in done.err.replace("línea 3", "fila 3"), done.err
    assert convoca("listar", "--json", env=env).out.strip() == "[]"
    assert convoca("informe", env=env).code == 0
