"""Every transition of the lifecycle table: accepted from its source, refused from the others,
and a refusal leaves the database exactly as it was."""
from __future__ import annotations

import pytest

from states.pct_2019 import BOOK
from states.pct_2019.lifecycle import CICLO
from tests.conftest import GOOD_GRADES, POOR_GRADES, Walker, snapshot, state_of
from workflow.engine.machine import machines
from workflow.errors import Refusal

STATES = [s.nombre for s in CICLO.estados]
ACCEPTED = [(ev.nombre, origen, t.destino) for ev in CICLO.eventos for t in ev.transiciones for origen in t.origen]


@pytest.mark.parametrize(("evento", "origen", "destino"), ACCEPTED,
                         ids=[f"{e}:{o}->{d or o}" for e, o, d in ACCEPTED])
def test_transition_accepted_from_its_source(walker: Walker, session, evento, origen, destino):
    grades = POOR_GRADES if destino == "desaprobada" else GOOD_GRADES
    codigo = walker.to(next(iter(walker.rows)), origen, grades)
    hito = 3 if origen == "ifr" else 1
    walker.ready(codigo, evento, hito)
    if (evento, destino) == ("declarar_apta", "evaluada"):  # evaluated while its documents were checked
        walker.step(codigo, "evaluar")
    walker.step(codigo, evento, destino, hito)
    assert state_of(session, codigo) == (destino or origen)


def test_every_event_refused_from_every_other_state(walker: Walker, session):
    """The states before the publication are checked before it: once published, every proposal of
    the call has been decided (Bases §4.1.2, §4.2)."""
    codes = (c for c, r in walker.rows.items() if r["entidad_tipo"] != "centro_internacional")
    antes = ("postulada", "apta", "no_apta")
    checked = _refused_elsewhere(walker, session, {estado: walker.to(next(codes), estado) for estado in antes})
    checked += _refused_elsewhere(walker, session, {estado: walker.to(next(codes), estado)
                                                    for estado in STATES if estado not in antes})
    assert checked > 150


def _refused_elsewhere(walker: Walker, session, cases: dict[str, str]) -> int:
    checked = 0
    for ev in CICLO.eventos:
        for estado, codigo in cases.items():
            if estado in ev.origenes:
                continue
            before = snapshot(session)
            fecha, datos = walker.valid_data(codigo, ev.nombre)
            with pytest.raises(Refusal) as refusal:
                walker.fire(codigo, ev.nombre, max(fecha, walker.last_date(codigo) or fecha), **datos)
            assert f"no procede en estado '{estado}'" in str(refusal.value)
            assert snapshot(session) == before
            checked += 1
    return checked


def test_machine_is_shared_and_holds_no_case(walker: Walker):
    walker.to(next(iter(walker.rows)), "contratada")
    assert machines(BOOK)[0].models == []


def test_a_case_missing_facts_is_explained_not_crashed(walker: Walker, session):
    """A case whose facts lack what a rule reads (an imported legacy case, say): `ver` explains."""
    from sqlalchemy import update

    from tests.conftest import CLOCK
    from workflow.engine.queries import case_detail
    from workflow.storage.models import CaseRecord

    session.execute(update(CaseRecord.__table__).where(CaseRecord.__table__.c.codigo == "E062-0001")
                    .values(estado="hitos"))
    session.commit()
    detail = case_detail(session, "E062-0001", CLOCK)
    terminar = next(e for e in detail["eventos"] if e["evento"] == "terminar_ejecucion")
    assert terminar["permitido"] is False
    assert terminar["motivos"] == ["Bases §2.3.1: el caso no tiene registrado el periodo de ejecución (desembolsar)"]
