"""One transaction per fact: optimistic locking, audit rows, effective dates."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select
from sqlmodel import Session

from states.pct_2019.demo_data import eligibility_facts
from tests.conftest import CLOCK, Walker, snapshot
from workflow.engine.cases import Request, commit, prepare
from workflow.errors import Conflict, Refusal
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord


def test_stale_version_is_refused_and_nothing_is_lost(walker: Walker, db_url: str):
    codigo = next(iter(walker.rows))
    walker.step(codigo, "registrar_elegibilidad")
    with Session(connect(db_url)) as officer_a, Session(connect(db_url)) as officer_b:
        plan_a = prepare(officer_a, [Request(codigo, "declarar_apta", {}, "ana", date(2019, 10, 25))], CLOCK)
        plan_b = prepare(officer_b, [Request(codigo, "descalificar", {"causa": "plagio", "motivo": "copia"},
                                             "beto", date(2019, 10, 26))], CLOCK)
        commit(plan_a)
        before = snapshot(officer_a)
        with pytest.raises(Conflict, match="otra persona modificó"):
            commit(plan_b)
        assert snapshot(officer_a) == before
    with Session(connect(db_url)) as s:
        audit = s.execute(select(AuditRecord.evento, AuditRecord.usuario).where(AuditRecord.codigo == codigo)
                          .order_by(AuditRecord.id)).all()
    assert audit[-1] == ("declarar_apta", "ana")


def test_accepted_event_writes_one_audit_row_with_both_dates(walker: Walker, session):
    """The effective date is the officer's; the registration instant is the machine's real clock,
    even on a rehearsal database whose working clock is pinned (CLOCK, in 2020)."""
    codigo = next(iter(walker.rows))
    walker.fire(codigo, "registrar_elegibilidad", date(2019, 10, 24), "ana", **eligibility_facts())
    before = datetime.now(timezone.utc)
    walker.fire(codigo, "declarar_apta", date(2019, 10, 25), "ana")
    after = datetime.now(timezone.utc)
    row = session.execute(select(AuditRecord).where(AuditRecord.codigo == codigo)
                          .order_by(AuditRecord.id.desc())).scalars().first()
    assert (row.evento, row.estado_origen, row.estado_destino) == ("declarar_apta", "postulada", "apta")
    assert row.fecha_efectiva == date(2019, 10, 25)
    assert row.registrado_en.tzinfo is not None and before <= row.registrado_en <= after
    assert row.registrado_en != CLOCK.now()
    assert any("Bases §2.2.1" in r for r in row.reglas)


def test_fact_event_keeps_the_state_and_is_audited(walker: Walker, session):
    codigo = next(iter(walker.rows))
    walker.step(codigo, "registrar_elegibilidad")
    row = session.execute(select(AuditRecord).where(AuditRecord.codigo == codigo)
                          .order_by(AuditRecord.id.desc())).scalars().first()
    assert row.estado_origen == row.estado_destino == "postulada"
    assert row.datos["elegibilidad"]["coordinador_redam"] is False


def test_future_effective_date_is_refused(walker: Walker, session):
    codigo = next(iter(walker.rows))
    before = snapshot(session)
    with pytest.raises(Refusal, match="posterior a hoy"):
        walker.fire(codigo, "registrar_elegibilidad", date(2021, 1, 5), **eligibility_facts())
    assert snapshot(session) == before


def test_bad_data_names_key_and_changes_nothing(walker: Walker, session):
    codigo = next(iter(walker.rows))
    before = snapshot(session)
    with pytest.raises(Exception, match="'presencia'.*entero|'ruc_activo' = 'tal vez'"):
        walker.fire(codigo, "registrar_elegibilidad", date(2019, 10, 25), ruc_activo="tal vez")
    assert snapshot(session) == before
