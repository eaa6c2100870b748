"""The one ledger function (`ledger.advance`), folded over the log, gives the deadlines the database
stores and those the replay shows, whatever accepted events and passes of `vigilar` came before."""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import CLOCK, TEMPLATE_ROWS, Walker, import_rows, state_of
from workflow.clock import LIMA
from workflow.engine.cases import last_effective_dates
from workflow.engine.ledger import OPEN, advance
from workflow.engine.replay import COMPARED, altered_cases, replay
from workflow.engine.vigilance import run_pass
from workflow.errors import ConvocaError
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord, CaseRecord, Deadline

CODES = ("E062-0001", "E062-0002", "E062-0003")
CHAIN = ("postulada", "apta", "evaluada", "aprobada", "contratada", "en_ejecucion", "hitos", "ifr", "cerrada")
MOVES = {"apta": "declarar_apta", "evaluada": "evaluar", "aprobada": "publicar", "contratada": "firmar_contrato",
         "en_ejecucion": "desembolsar", "hitos": "aprobar_po", "ifr": "terminar_ejecucion", "cerrada": "cerrar"}
SIDE = ("presentar_itf", "observar_itf", "levantar_observaciones", "aprobar_itf", "recibir_itf_fisico", "ampliar_hito",
        "registrar_induccion", "registrar_visita", "registrar_gasto", "solicitar_ampliacion", "registrar_fianza",
        "presentar_ifr", "observar_ifr", "desistir", "resolver_contrato", "descalificar")

COMPOSITE = {"itf_observado": ("presentar_itf", "observar_itf"), "itf_aprobado": ("presentar_itf", "aprobar_itf")}
"""Two events in a row on one milestone, so that the escalation chain (P4, P5 missed) is reached often."""

step = st.one_of(
    st.tuples(st.sampled_from(tuple(COMPOSITE)), st.sampled_from(CODES), st.integers(1, 2)),
    st.tuples(st.just("avanzar"), st.sampled_from(CODES), st.integers(1, 8)),
    st.tuples(st.sampled_from(SIDE), st.sampled_from(CODES), st.integers(1, 3)),
    st.tuples(st.just("vigilar"), st.sampled_from(CODES), st.integers(0, 120)),
)


def progress(walker: Walker, codigo: str) -> None:
    """The next state of the main path, through the real events and their prerequisites."""
    estado = state_of(walker.session, codigo)
    if estado not in CHAIN[:-1]:
        return
    nxt = CHAIN[CHAIN.index(estado) + 1]
    if nxt == "ifr":
        for n in (1, 2):
            for ev in ("presentar_itf", "aprobar_itf", "recibir_itf_fisico"):
                walker.step(codigo, ev, hito=n)
    walker.ready(codigo, MOVES[nxt], hito=3)
    walker.step(codigo, MOVES[nxt], "aprobada" if nxt == "aprobada" else None, hito=3)


def play(walker: Walker, accion: str, codigo: str, n: int, now: datetime) -> datetime:
    """One step: `avanzar` n states, a pass of `vigilar` n days after the latest fact, or an event
    (or two, COMPOSITE) on milestone n. Returns the instant of the latest pass."""
    if accion == "avanzar":
        for _ in range(n):
            progress(walker, codigo)
    elif accion == "vigilar":
        now = vigilar(walker.session, now, n)
    else:
        for evento in COMPOSITE.get(accion, (accion,)):
            walker.step(codigo, evento, hito=n)
    return now


def fresh_database(postgres, sqlite_imported, folder) -> str:
    if postgres:
        url = postgres.url(postgres.new_database(template="prueba_1"))
        import_rows(url, TEMPLATE_ROWS[:len(CODES)], folder)
        return url
    shutil.copy(sqlite_imported, folder / "convoca.db")
    return f"sqlite:///{folder / 'convoca.db'}"


def vigilar(session: Session, now: datetime, days: int) -> datetime:
    """A pass `days` after the latest fact of any case (never before the last pass)."""
    session.rollback()
    ids = list(session.execute(select(CaseRecord.id)).scalars())
    last = max(last_effective_dates(session, ids).values())
    now = min(max(now, datetime.combine(last + timedelta(days=days), now.timetz())), CLOCK.now())
    run_pass(session, now)
    session.commit()
    return now


def folded(session: Session) -> dict[int, dict[int, dict[str, Any]]]:
    """Each case's deadlines, from its accepted audit rows alone, by the one function."""
    out: dict[int, dict[int, dict[str, Any]]] = {}
    for caso_id, ops in session.execute(select(AuditRecord.caso_id, AuditRecord.plazos)
                                        .where(AuditRecord.aceptado.is_(True), AuditRecord.caso_id.is_not(None))
                                        .order_by(AuditRecord.id)):
        out[caso_id] = advance(out.get(caso_id, {}), ops)
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(start=st.lists(st.sampled_from(("postulada", "aprobada", "en_ejecucion", "hitos")), min_size=len(CODES),
                      max_size=len(CODES)),
       steps=st.lists(step, min_size=3, max_size=30))
def test_the_ledger_function_gives_the_stored_rows_and_the_replay(start, steps, postgres, sqlite_imported,
                                                                 tmp_path_factory):
    url = fresh_database(postgres, sqlite_imported, tmp_path_factory.mktemp("libro"))
    engine = connect(url)
    with Session(engine) as session:
        walker = Walker(session, {r["codigo"]: r for r in TEMPLATE_ROWS})
        for codigo, estado in zip(CODES, start):
            walker.to(codigo, estado)
        now = datetime(2019, 10, 20, 9, 0, tzinfo=LIMA)
        for accion, codigo, n in steps:
            try:
                now = play(walker, accion, codigo, n, now)
            except ConvocaError:
                session.rollback()  # a refusal changes nothing: the next step goes on from the same record
        vigilar(session, now, 60)  # and a last pass, after every event: what is missed by then is acted on
        for evento in session.execute(select(AuditRecord.evento).where(AuditRecord.rol == "sistema").distinct()).scalars():
            event(f"vigilar: {evento}")
        by_log = folded(session)
        stored: dict[int, dict[int, dict[str, Any]]] = {}
        for row in session.execute(select(Deadline)).scalars():
            stored.setdefault(row.caso_id, {})[row.id] = {c: getattr(row, c) for c in COMPARED}
        assert {c: {i: {k: r[k] for k in COMPARED} for i, r in rows.items()} for c, rows in by_log.items() if rows} \
            == stored
        codes = dict(session.execute(select(CaseRecord.id, CaseRecord.codigo)).all())
        for caso_id, rows in by_log.items():
            shown = replay(session, codes[caso_id])["plazos"]
            assert [(p["id"], p["estado"], p["vence"]) for p in shown] == sorted(
                ((r["id"], r["estado"], r["vence"].isoformat()) for r in rows.values() if r["estado"] in OPEN),
                key=lambda t: (t[2], t[0]))
        assert altered_cases(session) == []
    engine.dispose()
