"""Technical evaluation, rule book §3 (Bases §4.1.2.1; Cartilla de Evaluación)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.conftest import Walker, snapshot, state_of
from workflow.engine.fields import BadData
from workflow.errors import Refusal
from workflow.storage.models import CaseRecord

D = date(2019, 11, 8)


def apta(walker: Walker, tipo: str = "producto") -> str:
    codigo = next(c for c, r in walker.rows.items()
                  if r["tipo_concepto"] == tipo and r["entidad_tipo"] != "centro_internacional")
    return walker.to(codigo, "apta")


def evaluation(session, codigo: str) -> dict:
    session.rollback()
    return session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == codigo)).scalar_one()["evaluacion"]


@pytest.mark.parametrize(("grades", "score", "aprobado"), [
    # 0.25×4 + 0.25×4 + 0.50×2 = 3.00: the threshold is inclusive
    ({"presencia": 4, "relevancia": 4, "inventivo": 2}, "3.00", True),
    # 0.25×3 + 0.25×4 + 0.50×2 = 2.75
    ({"presencia": 3, "relevancia": 4, "inventivo": 2}, "2.75", False),
    # 0.25×5 + 0.25×5 + 0.50×5 = 5.00
    ({"presencia": 5, "relevancia": 5, "inventivo": 5}, "5.00", True),
    # presence 0 excludes even with 0 + 0.25×5 + 0.50×5 = 3.75
    ({"presencia": 0, "relevancia": 5, "inventivo": 5}, "3.75", False),
    # utility-model route: 0.25×5 + 0.25×5 + 0.25×5 = 3.75, the route's maximum
    ({"presencia": 5, "relevancia": 5, "inventivo": 0, "ventaja": 5}, "3.75", True),
])
def test_bases_4_1_2_1_score(walker: Walker, session, grades, score, aprobado):
    codigo = apta(walker)
    walker.fire(codigo, "evaluar", D, **grades)
    ev = evaluation(session, codigo)
    assert Decimal(ev["puntaje"]).quantize(Decimal("0.01")) == Decimal(score)
    assert ev["aprobado"] is aprobado


def test_bases_4_1_2_1_bonus_only_for_approved(walker: Walker, session):
    codigo = apta(walker)
    # 0.25×4 + 0.25×4 + 0.50×3 = 3.50 → ×1.04 = 3.64
    walker.fire(codigo, "evaluar", D, presencia=4, relevancia=4, inventivo=3, bono_discapacidad="si")
    ev = evaluation(session, codigo)
    assert Decimal(ev["puntaje_final"]) == Decimal("3.64") and ev["bono_aplicado"] is True
    other = next(c for c, r in walker.rows.items() if c != codigo and r["entidad_tipo"] != "centro_internacional")
    walker.to(other, "apta")
    # 2.75 is not approved: no bonus, even though 2.75 × 1.04 = 2.86 would still fail
    walker.fire(other, "evaluar", D, presencia=3, relevancia=4, inventivo=2, bono_discapacidad="si")
    ev = evaluation(session, other)
    assert Decimal(ev["puntaje_final"]) == Decimal("2.75") and ev["bono_aplicado"] is False


def test_bases_4_1_2_1_grades_outside_scale_refused(walker: Walker, session):
    codigo = apta(walker)
    before = snapshot(session)
    with pytest.raises(Refusal, match="notas fuera de la escala 0–5: presencia = 6, inventivo = -1"):
        walker.fire(codigo, "evaluar", D, presencia=6, relevancia=3, inventivo=-1)
    assert snapshot(session) == before


def test_anexo_3_ventaja_only_without_inventive_level(walker: Walker, session):
    codigo = apta(walker)
    with pytest.raises(Refusal, match=r"ventaja técnica solo se califica cuando el nivel inventivo es 0 \(nivel inventivo = 3\)"):
        walker.fire(codigo, "evaluar", D, presencia=4, relevancia=4, inventivo=3, ventaja=4)


def test_cartilla_v_ventaja_only_for_products(walker: Walker, session):
    codigo = apta(walker, "proceso")
    with pytest.raises(Refusal, match="la ventaja técnica solo aplica a productos, no a proceso"):
        walker.fire(codigo, "evaluar", D, presencia=4, relevancia=4, inventivo=0, ventaja=4)


def test_bases_4_1_1_evaluation_in_parallel_with_the_document_check(walker: Walker, session):
    """INDECOPI may evaluate a proposal still `postulada`; it is ranked only once declared apta, and
    a second sheet does not replace the first."""
    codigo = next(c for c, r in walker.rows.items() if r["entidad_tipo"] != "centro_internacional")
    walker.fire(codigo, "evaluar", D, presencia=4, relevancia=4, inventivo=3)
    assert state_of(session, codigo) == "postulada" and walker.facts(codigo)["evaluacion"]["puntaje"] == "3.50"
    with pytest.raises(Refusal, match="ya tiene su ficha de evaluación"):
        walker.fire(codigo, "evaluar", D, presencia=5, relevancia=5, inventivo=5)
    walker.ready(codigo, "declarar_apta")
    walker.fire(codigo, "declarar_apta", D)
    assert state_of(session, codigo) == "evaluada"


def test_evaluation_of_a_case_not_apta_refused(walker: Walker):
    codigo = walker.to(next(iter(walker.rows)), "no_apta")
    with pytest.raises(Refusal, match="evaluar no procede en estado 'no_apta'"):
        walker.fire(codigo, "evaluar", D, presencia=4, relevancia=4, inventivo=3)


def test_non_numeric_grade_refused_with_key(walker: Walker):
    codigo = apta(walker)
    with pytest.raises(BadData, match="'relevancia' = 'alta': debe ser un número entero"):
        walker.fire(codigo, "evaluar", D, presencia=4, relevancia="alta", inventivo=3)


def test_bases_4_1_2_1_presence_zero_excludes_the_proposal_everywhere(walker: Walker, session, db_url: str):
    """Presence of novel elements 0 is excluding: the sum (here 3.75) is never shown as a passing score."""
    import json

    from tests.cli import convoca
    from workflow.engine.calls import call_of
    from workflow.engine.selection import rank

    codigo = apta(walker)
    env = {"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-12-31T10:00", "COLUMNS": "200"}
    done = convoca("evaluar", codigo, "--presencia", "0", "--relevancia", "5", "--inventivo", "5", "--fecha",
                   "2019-11-08", "--usuario", "evaluador", env=env)
    assert done.code == 0 and "excluida (presencia de elementos novedosos = 0 es excluyente)" in done.out
    assert "3.75" not in done.out
    ev = evaluation(session, codigo)
    assert (Decimal(ev["puntaje"]), Decimal(ev["puntaje_final"]), ev["aprobado"]) == (Decimal("3.75"), 0, False)
    listed = json.loads(convoca("listar", "--json", env=env).out)
    assert next(r for r in listed if r["codigo"] == codigo)["excluida"] is True
    assert "excluida" in next(line for line in convoca("listar", env=env).out.splitlines() if codigo in line)
    ranked = next(r for r in rank(session, call_of(session)).filas if r.codigo == codigo)
    assert ranked.excluida and ranked.puntaje_final == 0 and ranked.puesto == len(rank(session, call_of(session)).filas)
