"""The calendar the law and the decrees describe (TUO Ley 27444 arts. 144–151): days a decree declares
working, and suspensions or new non-working days that move the deadlines already running."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from states.calendar import Calendar, NonWorkingDay
from tests.conftest import Walker
from workflow.clock import LIMA
from workflow.engine.vigilance import run_pass
from workflow.storage.models import AuditRecord, Deadline, Message


def test_tuo_145_1_a_day_a_decree_declares_working_is_a_business_day():
    san_pedro = date(2020, 6, 29)  # a national holiday
    assert not Calendar(pais="PE").is_business_day(san_pedro)
    declared = Calendar((NonWorkingDay(san_pedro, san_pedro, "laborable", "nacional", "DS 999-2020-PCM"),), pais="PE")
    assert declared.is_business_day(san_pedro)
    # P5 from Fri 2020-06-19, 15 business days: with the 29th working it ends one day earlier
    assert Calendar(pais="PE").add_business_days(date(2020, 6, 19), 15) == date(2020, 7, 13)
    assert declared.add_business_days(date(2020, 6, 19), 15) == date(2020, 7, 10)


def ledger(session, codigo: str) -> dict[str, tuple[str, str]]:
    session.rollback()
    rows = session.execute(select(Deadline).where(Deadline.codigo == codigo).order_by(Deadline.id)).scalars()
    return {f"{d.tipo}{'/' + d.hito if d.hito else ''}": (d.vence.isoformat(), d.estado) for d in rows}


def test_tuo_145_a_suspension_moves_the_deadlines_already_running(walker: Walker, session, db_url: str):
    from tests.cli import convoca

    c = walker.to("E062-0001", "hitos")  # P3 and P6 of milestone 2 due Thu 2020-04-16
    assert ledger(session, c)["P3/2"] == ("2020-04-16", "pendiente")
    session.close()
    done = convoca("calendario", "agregar", "2020-03-16", "--hasta", "2020-06-10", "--tipo", "suspension",
                   "--norma", "DU 026-2020 y prórrogas", "--usuario", "direccion",
                   env={"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-03-16T09:00"})
    assert done.code == 0 and "plazos en curso se prorrogaron; se avisó a quienes los deben" in done.out
    moved = int(done.out.split("). ")[1].split(" plazo")[0])
    led = ledger(session, c)
    # the milestone date falls inside the suspension: it extends to the first business day after it
    assert led["P3/2"] == ("2020-06-11", "pendiente") and led["P6/2"] == ("2020-06-11", "pendiente")
    assert led["P3/1"] == ("2020-02-17", "pendiente")  # before the suspension: unchanged
    assert moved >= 2
    row = session.execute(select(AuditRecord).where(AuditRecord.codigo == c, AuditRecord.evento == "prorrogar_plazos")
                          ).scalars().one()
    assert "DU 026-2020 y prórrogas" in row.nota and {op["tipo"] for op in row.plazos} >= {"P3", "P6"}
    assert all(op["accion"] == "mover" and op["motivo"] == "DU 026-2020 y prórrogas" for op in row.plazos)
    notice = session.execute(select(Message).where(Message.codigo == c, Message.tipo == "prorroga")
                             .order_by(Message.id)).scalars().first()
    assert "se prorrogó al 11/06/2020" in notice.texto and "DU 026-2020" in notice.texto
    assert notice.destinatarios  # whoever owes it is told
    # on 2020-04-20 nothing of milestone 2 is overdue any more
    acts = run_pass(session, datetime(2020, 4, 20, 9, 0, tzinfo=LIMA))
    assert not [a for a in acts if a.codigo == c and a.plazo in ("P3/2", "P6/2")]


def test_a_declared_working_day_is_recorded_from_the_cli(walker: Walker, db_url: str):
    from tests.cli import convoca

    env = {"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-12-31T10:00", "COLUMNS": "200"}
    done = convoca("calendario", "agregar", "2020-06-29", "--tipo", "laborable", "--norma", "DS 999-2020-PCM",
                   "--usuario", "direccion", env=env)
    assert done.code == 0, done
    listed = convoca("calendario", "2020", env=env).out
    assert "laborable" in next(line for line in listed.splitlines() if "2020-06-29" in line and "DS 999" in line)


def test_tuo_145_a_decree_moves_the_reply_period_of_a_carta_already_sent(walker: Walker, session, db_url: str):
    """The carta simple's reply period runs in business days too: a day declared non-working inside
    it moves it, whoever must answer is told, and the record still verifies."""
    from tests.cli import convoca

    c = walker.to("E062-0001", "hitos")
    walker.fire(c, "presentar_itf", date(2020, 2, 14), hito=1, indicadores_cumplidos=3)
    walker.fire(c, "observar_itf", date(2020, 2, 20), hito=1, observaciones="faltan actas")
    walker.notify(c, "observaciones_itf", date(2020, 2, 20), hito=1)  # P4: 2020-04-06
    run_pass(session, datetime(2020, 4, 7, 9, 0, tzinfo=LIMA))
    session.commit()
    p4 = session.execute(select(Deadline).where(Deadline.codigo == c, Deadline.tipo == "P4")).scalars().one()
    antes = p4.escalamiento_vence
    assert (p4.estado, p4.escalamiento) == ("vencido", 1) and antes > date(2020, 4, 7)
    session.close()
    done = convoca("calendario", "agregar", "2020-04-08", "--tipo", "no_laborable", "--norma", "DS 061-2020-PCM",
                   "--usuario", "direccion", env={"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-04-07T15:00"})
    assert done.code == 0, done.err
    session.rollback()
    p4 = session.execute(select(Deadline).where(Deadline.codigo == c, Deadline.tipo == "P4")).scalars().one()
    despues = p4.escalamiento_vence
    assert despues > antes and Calendar(pais="PE").business_days_between(antes, despues) == 1
    notice = session.execute(select(Message).where(Message.codigo == c, Message.tipo == "prorroga")).scalars().one()
    assert "respuesta a la carta simple" in notice.asunto.lower() and "DS 061-2020-PCM" in notice.texto
    assert convoca("auditoria", "verificar", env={"CONVOCA_DB": db_url}).code == 0
