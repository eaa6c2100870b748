"""Whatever the order in which acts are recorded, rectified or annulled, the record holds: after
every step the chain verifies, each case's row is the fold in effective order of its acts in effect,
and its deadlines are the ledger function folded over the log."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import Session

from states.pct_2019.lifecycle import CICLO
from tests.conftest import CLOCK, TEMPLATE_ROWS, Walker
from tests.test_ledger_property import CODES, SIDE, folded, fresh_database, play
from workflow.clock import LIMA
from workflow.engine import history
from workflow.engine.cases import Request, apply
from workflow.engine.replay import COMPARED, altered_cases
from workflow.errors import ConvocaError
from workflow.storage import audit
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord, CaseRecord, Deadline

step = st.one_of(
    st.tuples(st.just("avanzar"), st.sampled_from(CODES), st.integers(1, 6)),
    st.tuples(st.sampled_from(SIDE), st.sampled_from(CODES), st.integers(1, 2)),
    st.tuples(st.just("tarde"), st.sampled_from(CODES), st.integers(1, 40)),
    st.tuples(st.just("rectificar"), st.sampled_from(CODES), st.integers(-20, 20)),
    st.tuples(st.just("anular"), st.sampled_from(CODES), st.integers(0, 50)),
    st.tuples(st.just("vigilar"), st.sampled_from(CODES), st.integers(0, 60)),
)


def acts_of(session: Session, codigo: str) -> list[dict]:
    session.rollback()
    rows = [dict(r._mapping) for r in session.execute(
        select(AuditRecord.__table__).where(AuditRecord.codigo == codigo, AuditRecord.aceptado.is_(True),
                                            AuditRecord.caso_id.is_not(None)).order_by(AuditRecord.id))]
    return [a for a in history.effective(rows) if a["evento"] != "postular"]


def holds(session: Session) -> None:
    session.rollback()
    assert audit.verify(session.connection()).ok
    assert altered_cases(session) == []
    stored = {}
    for row in session.execute(select(Deadline)).scalars():
        stored.setdefault(row.caso_id, {})[row.id] = {c: getattr(row, c) for c in COMPARED}
    assert {c: {i: {k: r[k] for k in COMPARED} for i, r in rows.items()} for c, rows in folded(session).items()
            if rows} == stored


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(start=st.lists(st.sampled_from(("postulada", "evaluada", "en_ejecucion", "hitos")), min_size=len(CODES),
                      max_size=len(CODES)),
       steps=st.lists(step, min_size=3, max_size=20))
def test_late_records_rectifications_and_annulments_keep_the_record_whole(start, steps, postgres, sqlite_imported,
                                                                         tmp_path_factory):
    engine = connect(fresh_database(postgres, sqlite_imported, tmp_path_factory.mktemp("historia")))
    with Session(engine) as session:
        walker = Walker(session, {r["codigo"]: r for r in TEMPLATE_ROWS})
        for codigo, estado in zip(CODES, start):
            walker.to(codigo, estado)
        now = datetime(2019, 10, 20, 9, 0, tzinfo=LIMA)
        for accion, codigo, n in steps:
            try:
                if accion == "tarde":  # a visit or an induction recorded n days before the latest fact
                    last = walker.last_date(codigo) or date(2019, 12, 1)
                    evento = "registrar_visita" if n % 2 else "registrar_induccion"
                    _, datos = walker.valid_data(codigo, evento)
                    walker.fire(codigo, evento, max(last - timedelta(days=n), date(2019, 9, 24)), **datos)
                    event("registro tardío aceptado")
                elif accion in ("rectificar", "anular"):
                    acts = acts_of(session, codigo)
                    if not acts:
                        continue
                    act = acts[abs(n) % len(acts)]
                    if accion == "anular":
                        apply(session, [Request(codigo, "anular", {}, "direccion", None, "prueba", refiere=act["id"],
                                                resolucion="RDE-1")], CLOCK)
                    else:
                        fecha = min(max(act["fecha_efectiva"] + timedelta(days=n), date(2019, 9, 24)), CLOCK.today())
                        apply(session, [Request(codigo, act["evento"], {}, CICLO.event(act["evento"]).roles[0], fecha,
                                                "prueba", refiere=act["id"])], CLOCK)
                    event(f"{accion} aceptada")
                else:
                    now = play(walker, accion, codigo, n, now)
            except ConvocaError:
                session.rollback()
            holds(session)
        session.rollback()
        assert session.execute(select(CaseRecord.id)).first()
    engine.dispose()
