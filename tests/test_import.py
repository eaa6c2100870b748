"""Import is all or nothing and names every bad row."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from workflow.cases import call_of
from workflow.demo_data import proposals, write_csv
from workflow.importer import ImportRefused, import_file
from workflow.models import AuditRecord, CaseRecord


def count(session) -> int:
    return session.execute(select(func.count()).select_from(CaseRecord)).scalar_one()


def test_good_file_imports_every_row_with_its_audit_row(session, tmp_path: Path):
    rows = proposals(12)
    assert import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa") == 12
    assert count(session) == 12
    assert session.execute(select(func.count()).select_from(AuditRecord)
                           .where(AuditRecord.evento == "postular")).scalar_one() == 12


def test_json_file_imports_too(session, tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(proposals(3)), encoding="utf-8")
    assert import_file(session, call_of(session), path, "mesa") == 3


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("entidad_ruc", "20123456789", "RUC inválido"),
    ("fecha_postulacion", "2019-13-40", "fecha_postulacion inválida"),
    ("fecha_postulacion", "2019-10-11T13:01", "Bases §3.4"),
    ("monto_solicitado", "25000.01", "Bases §2.3.1"),
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


def test_bases_3_1_2_one_concept_per_coordinator(session, tmp_path: Path):
    rows = proposals(4)
    rows[2]["coordinador_dni"] = rows[0]["coordinador_dni"]
    with pytest.raises(ImportRefused, match="E062-0003.*ya postuló con E062-0001"):
        import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa")
    assert count(session) == 0


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
