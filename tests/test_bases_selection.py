"""Selection, waitlist and vacancies: rule book §4 and §5 (Bases §4.1.2.1, §4.1.2.2, §4.3)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from states.historia import write_csv
from states.pct_2019.demo_data import COMITE, proposals
from tests.conftest import CLOCK, Walker, assign_monitor, snapshot, state_of
from workflow.engine.calls import call_of
from workflow.engine.cases import Request, apply
from workflow.engine.importer import import_file
from workflow.engine.selection import BadActa, publish, rank
from workflow.errors import Refusal
from workflow.storage.models import CaseRecord

PUB = date(2019, 11, 18)


@pytest.fixture
def many(session, tmp_path: Path) -> Walker:
    rows = [r for r in proposals(36) if r["entidad_tipo"] != "centro_internacional"]
    import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa")
    assign_monitor(session)
    return Walker(session, {r["codigo"]: r for r in rows})


def evaluate(walker: Walker, n: int, grades=None) -> list[str]:
    """The first n proposals evaluated; the rest withdraw, so that every proposal is decided before
    the one publication (Bases §4.1.2, §4.2)."""
    codes = list(walker.rows)[:n]
    for i, c in enumerate(codes):
        walker.to(c, "apta")
        walker.fire(c, "evaluar", date(2019, 11, 8), **(grades(i) if grades else
                                                         {"presencia": 5, "relevancia": 4, "inventivo": 3 + i % 3}))
    apply(walker.session, [Request(c, "desistir", {"causa": "renuncia"}, "ues", date(2019, 11, 10))
                           for c in list(walker.rows)[n:]], CLOCK)
    return codes


def states(session) -> dict[str, str]:
    session.rollback()
    return dict(session.execute(select(CaseRecord.codigo, CaseRecord.estado)).all())


def test_bases_4_1_2_1_all_approved_selected_when_within_places(many: Walker, session):
    codes = evaluate(many, 5, lambda i: {"presencia": 4, "relevancia": 4, "inventivo": 4 if i < 4 else 1})
    counts = publish(session, call_of(session), "RDE-1", PUB, "direccion", CLOCK)
    assert counts == {"aprobada": 4, "desaprobada": 1}
    assert states(session)[codes[4]] == "desaprobada"


def test_bases_4_1_2_1_tie_break_is_declared_and_deterministic(many: Walker, session):
    # same final score 3.75: (5,5,2.5)… novelty 0.25×5+0.25×5=2.50 beats 0.25×4+0.25×4=2.00
    grades = [{"presencia": 4, "relevancia": 4, "inventivo": 4}, {"presencia": 5, "relevancia": 5, "inventivo": 3},
              {"presencia": 5, "relevancia": 5, "inventivo": 3}]
    codes = evaluate(many, 3, lambda i: grades[i])
    ranking = rank(session, call_of(session))
    assert ranking.desempate == ("puntaje final, luego mayor novedad, luego mayor actividad inventiva, "
                                 "luego postulación más temprana")
    first_two = sorted(codes[1:], key=lambda c: many.rows[c]["fecha_postulacion"])
    assert [r.codigo for r in ranking.filas] == [*first_two, codes[0]]


def test_bases_4_1_2_2_committee_acta_required_beyond_places(many: Walker, session):
    evaluate(many, 30)
    before = snapshot(session)
    with pytest.raises(BadActa, match="30 propuestas aprobadas para 28 plazas: Bases §4.1.2.2 exige el acta"):
        publish(session, call_of(session), "RDE-1", PUB, "direccion", CLOCK)
    assert snapshot(session) == before


def test_bases_4_1_2_2_committee_acta_selects_and_waitlists(many: Walker, session):
    evaluate(many, 30)
    pre = [r.codigo for r in rank(session, call_of(session)).preseleccion()]
    acta = {"numero": "ACTA-1", "fecha": "2019-11-14", **COMITE,
            "seleccionadas": pre[:28], "accesitarias": pre[28:]}
    assert publish(session, call_of(session), "RDE-1", PUB, "direccion", CLOCK, acta) == {"aprobada": 28, "accesitaria": 2}
    assert states(session)[pre[28]] == "accesitaria"


@pytest.mark.parametrize(("change", "reason"), [
    (lambda a: a.update(seleccionadas=a["seleccionadas"][:-1],
                        accesitarias=a["seleccionadas"][-1:] + a["accesitarias"]),
     "el acta selecciona 27 propuestas: las bases fijan al menos 28"),
    (lambda a: a.update(accesitarias=a["accesitarias"][1:]), "faltan: "),
    (lambda a: a.update(miembros=a["miembros"][:2]), "3 miembros con voto"),
    (lambda a: a.update(miembros=[{**m, "sector": "concytec"} for m in a["miembros"]]),
     "uno de cada sector: concytec, universidad_o_instituto, sector_privado"),
    (lambda a: a.pop("secretario"), "falta el secretario de la UES"),
])
def test_bases_4_1_2_2_invalid_acta_refused(many: Walker, session, change, reason):
    evaluate(many, 30)
    pre = [r.codigo for r in rank(session, call_of(session)).preseleccion()]
    acta = {"numero": "A", "fecha": "2019-11-14", **COMITE,
            "seleccionadas": pre[:28], "accesitarias": pre[28:]}
    change(acta)
    with pytest.raises(BadActa, match=reason):
        publish(session, call_of(session), "RDE-1", PUB, "direccion", CLOCK, acta)


def test_bases_4_1_2_1_result_must_match_score(many: Walker, session):
    codigo = evaluate(many, 1, lambda i: {"presencia": 2, "relevancia": 2, "inventivo": 2})[0]
    with pytest.raises(Refusal, match=r"no alcanzó el puntaje mínimo 3.0 \(puntaje = 2.00\): no puede quedar aprobada"):
        many.fire(codigo, "publicar", PUB, resultado="aprobada", resolucion="R")


def published_with_waitlist(many: Walker, session) -> tuple[list[str], list[str]]:
    evaluate(many, 30)
    pre = [r.codigo for r in rank(session, call_of(session)).preseleccion()]
    publish(session, call_of(session), "RDE-1", PUB, "direccion", CLOCK,
            {"numero": "A", "fecha": "2019-11-14", **COMITE,
             "seleccionadas": pre[:28], "accesitarias": pre[28:]})
    return pre[:28], pre[28:]


def test_bases_4_3_promotion_needs_a_free_place(many: Walker, session):
    _, waitlist = published_with_waitlist(many, session)
    with pytest.raises(Refusal, match="X no es una propuesta de esta convocatoria: no dejó ninguna plaza"):
        many.fire(waitlist[0], "promover", date(2019, 11, 25), vacante="X")


def test_bases_2_3_1_at_least_28_is_a_floor_not_a_ceiling(many: Walker, session):
    """«al menos 28»: the committee may select 29 when their amounts fit the call's budget."""
    evaluate(many, 30)
    pre = [r.codigo for r in rank(session, call_of(session)).preseleccion()]
    acta = {"numero": "A", "fecha": "2019-11-14", **COMITE, "seleccionadas": pre[:29], "accesitarias": pre[29:]}
    assert publish(session, call_of(session), "RDE-1", PUB, "direccion", CLOCK, acta) == {"aprobada": 29,
                                                                                          "accesitaria": 1}


def test_bases_4_1_2_2_invention_patents_before_utility_models(many: Walker, session):
    """A utility model (technical-advantage route) may not be selected while an invention patent is
    left on the waitlist."""
    productos = [i for i, c in enumerate(many.rows) if many.rows[c]["tipo_concepto"] == "producto"][:2]
    modelo = {"presencia": 5, "relevancia": 5, "inventivo": 0, "ventaja": 5, "producto": "si"}
    codes = evaluate(many, 30, lambda i: modelo if i in productos else {"presencia": 5, "relevancia": 4,
                                                                           "inventivo": 3 + i % 3})
    modelos = [codes[i] for i in productos]
    invenciones = [c for c in codes if c not in modelos]
    acta = {"numero": "A", "fecha": "2019-11-14", **COMITE, "seleccionadas": [*modelos, *invenciones[:26]],
            "accesitarias": invenciones[26:]}
    with pytest.raises(BadActa, match=f"selecciona {modelos[0]}, {modelos[1]} y deja accesitaria"):
        publish(session, call_of(session), "RDE-1", PUB, "direccion", CLOCK, acta)
    pre = [r.codigo for r in rank(session, call_of(session)).preseleccion()]
    assert set(pre[28:]) == set(modelos)  # the proposed preselection already puts them last


def test_bases_4_3_promotion_follows_merit_order(many: Walker, session):
    selected, waitlist = published_with_waitlist(many, session)
    many.fire(selected[0], "desistir", date(2019, 11, 22), causa="renuncia")
    with pytest.raises(Refusal, match=f"antes corresponde a {waitlist[0]}"):
        many.fire(waitlist[1], "promover", date(2019, 11, 25), vacante=selected[0])
    many.fire(waitlist[0], "promover", date(2019, 11, 25), vacante=selected[0])
    assert states(session)[waitlist[0]] == "aprobada"


def test_bases_4_3_not_signing_in_time_counts_business_days(many: Walker, session):
    selected, _ = published_with_waitlist(many, session)
    many.notify(selected[0], "invitacion_firma", date(2019, 11, 18))  # delivered the day it was published
    # 10 business days from Mon 2019-11-18: Nov 19–22 (4), 25–29 (9), Dec 2 (10) → due 2019-12-02
    with pytest.raises(Refusal, match="vence el 2019-12-02; aún no ha vencido al 2019-12-02"):
        many.fire(selected[0], "desistir", date(2019, 12, 2), causa="no_firmo_en_plazo")
    many.fire(selected[0], "desistir", date(2019, 12, 3), causa="no_firmo_en_plazo")
    assert state_of(session, selected[0]) == "desistida"


def test_bases_4_2_one_resolution_for_the_call(walker: Walker, session):
    """The results of the call have one resolution: a proposal published after the others (left out,
    or back to `evaluada` by an annulment) takes the same one."""
    primera = walker.to("E062-0001", "aprobada")  # the walker decides every other proposal first
    otra = next(c for c, e in states(session).items() if e == "evaluada")
    with pytest.raises(Refusal, match="ya se publicaron con la resolución RDE-1: una sola resolución"):
        walker.fire(otra, "publicar", PUB, resultado="aprobada", resolucion="RDE-2", orden_merito=2)
    walker.fire(otra, "publicar", PUB, resultado="aprobada", resolucion="RDE-1", orden_merito=2)
    assert states(session)[otra] == states(session)[primera] == "aprobada"


def test_bases_4_1_2_2_the_acta_is_judged_through_the_cli(many: Walker, session, db_url, tmp_path):
    """`seleccionar --publicar --acta`: a committee without its UES secretary is refused, naming it,
    and nothing is published; with it, 29 selected within the budget are published."""
    import json

    from tests.cli import convoca

    evaluate(many, 30)
    pre = [r.codigo for r in rank(session, call_of(session)).preseleccion()]
    session.close()
    acta = {"numero": "ACTA-CC-1", "fecha": "2019-11-14", **COMITE, "seleccionadas": pre[:29], "accesitarias": pre[29:]}
    sin_secretario = {k: v for k, v in acta.items() if k != "secretario"}
    (tmp_path / "mala.json").write_text(json.dumps(sin_secretario), encoding="utf-8")
    (tmp_path / "acta.json").write_text(json.dumps(acta), encoding="utf-8")
    env = {"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-12-31T10:00"}
    publicar = ("seleccionar", "--publicar", "--resolucion", "RDE 123-2019", "--fecha", "2019-11-18", "--usuario",
                "direccion", "--acta")
    bad = convoca(*publicar, str(tmp_path / "mala.json"), env=env)
    assert bad.code == 2 and "falta el secretario de la UES (con voz y sin voto)" in bad.err
    assert "evaluada" == states(session)[pre[0]]
    good = convoca(*publicar, str(tmp_path / "acta.json"), env=env)
    assert good.code == 0 and "29 aprobadas, 1 accesitaria" in good.out


def test_the_published_merit_order_is_re_exported_with_its_resolution(many: Walker, session, db_url, tmp_path):
    """After publication `seleccionar` has nothing left to rank; `--publicado` gives what was published."""
    import json

    from openpyxl import load_workbook

    from tests.cli import convoca

    evaluate(many, 30)
    pre = [r.codigo for r in rank(session, call_of(session)).preseleccion()]
    session.close()
    env = {"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-12-31T10:00"}
    assert "aún no tiene resultados publicados" in convoca("seleccionar", "--publicado", env=env).err
    acta = {"numero": "ACTA-CC-1", "fecha": "2019-11-14", **COMITE, "seleccionadas": pre[:29], "accesitarias": pre[29:]}
    (tmp_path / "acta.json").write_text(json.dumps(acta), encoding="utf-8")
    done = convoca("seleccionar", "--publicar", "--resolucion", "RDE 123-2019", "--fecha", "2019-11-18", "--usuario",
                   "direccion", "--acta", str(tmp_path / "acta.json"), env=env)
    assert done.code == 0, done.err
    rows = json.loads(convoca("seleccionar", "--publicado", "--json", env=env).out)
    assert [r["codigo"] for r in rows] == pre[:30] and [r["orden_merito"] for r in rows] == list(range(1, 31))
    assert {(r["resultado"], r["resolucion"], r["acta"]) for r in rows[:29]} == {("aprobada", "RDE 123-2019",
                                                                                  "ACTA-CC-1")}
    assert rows[29]["resultado"] == "accesitaria"
    written = convoca("seleccionar", "--publicado", "--xlsx", str(tmp_path / "r.xlsx"), env=env)
    assert written.code == 0 and "Escritas 30 filas" in written.out
    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))][1:3] == [1, pre[0]]
    assert "RDE 123-2019" in convoca("seleccionar", "--publicado", env={**env, "COLUMNS": "200"}).out
