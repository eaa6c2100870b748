"""A case is its dated history (TUO Ley 27444 arts. 212–213): acts recorded late, rectifications and
annulments, through the command line, on both databases, with `auditoria verificar` after each."""
from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from notifications.outbox import change_states, state
from states.servicios import INTENTO_FALLIDO
from tests.cli import convoca
from tests.conftest import Walker, state_of
from tests.smtp import smtp_server
from workflow.clock import LIMA
from workflow.engine.vigilance import run_pass
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord, Deadline, Message


def runner(url: str, **env: str):
    base = {"CONVOCA_DB": url, "CONVOCA_AHORA": "2020-12-31T10:00", "COLUMNS": "250", **env}

    def run(*args: str, code: int = 0):
        done = convoca(*args, env=base)
        assert done.code == code, (args, done.out, done.err)
        return done

    return run


def verified(run) -> None:
    assert run("auditoria", "verificar").out.startswith("OK")


def row_of(session, codigo: str, evento: str) -> int:
    session.rollback()
    return session.execute(select(AuditRecord.id).where(AuditRecord.codigo == codigo, AuditRecord.evento == evento,
                                                        AuditRecord.aceptado.is_(True))
                           .order_by(AuditRecord.id.desc())).scalars().first()


def test_tuo_212_a_negotiation_recorded_after_the_later_po_is_accepted(walker: Walker, db_url: str, session):
    c = walker.to("E062-0001", "en_ejecucion")
    walker.step(c, "registrar_po")  # 2019-12-30, before the negotiation it presupposes is recorded
    run = runner(db_url)
    done = run("avanzar", c, "registrar_negociacion", "--fecha", "2019-12-27", "--dato", "asistio_coordinador=si",
               "--usuario", "monitor")
    assert "fecha efectiva 2019-12-27." in done.out
    session.rollback()
    p2 = session.execute(select(Deadline).where(Deadline.codigo == c, Deadline.tipo == "P2")).scalars().one()
    assert p2.estado == "cumplido" and p2.cerrado_el == date(2019, 12, 27)
    verified(run)


def test_tuo_212_a_late_act_that_breaks_a_later_guard_is_refused_naming_it(walker: Walker, db_url: str, session):
    c = walker.to("E062-0001", "contratada")
    walker.step(c, "registrar_cuenta")  # 2019-12-05
    walker.step(c, "registrar_fianza")  # 2019-12-10
    walker.step(c, "desembolsar")  # 2019-12-16
    run = runner(db_url)
    desembolso = row_of(session, c, "desembolsar")
    # the disbursement moved to before the account it needs: the later record no longer holds
    done = run("rectificar", str(desembolso), "--fecha", "2019-12-03", "--motivo", "fecha mal digitada",
               "--usuario", "direccion", code=2)
    assert "cuenta" in done.err and "2019-12-03" in done.err
    assert state_of(session, c) == "en_ejecucion"
    verified(run)


def test_tuo_212_a_rectified_expense_amount_moves_the_balances(walker: Walker, db_url: str, session):
    c = walker.to("E062-0001", "hitos")
    walker.step(c, "registrar_gasto")  # 5 000.00 on servicios_tecnologicos
    run = runner(db_url)
    gasto = row_of(session, c, "registrar_gasto")
    before = json.loads(run("ver", c, "--json").out)["hechos"]["gastos"]["1"]["monto"]
    done = run("rectificar", str(gasto), "--dato", "monto=4000.00", "--motivo", "monto del comprobante",
               "--usuario", "monitor")
    assert f"registrar_gasto (auditoría {gasto}) rectificado" in done.out
    after = json.loads(run("ver", c, "--json").out)["hechos"]["gastos"]
    assert (before, list(after), after["1"]["monto"]) == ("5000.00", ["1"], "4000.00")
    historial = run("historial", c).out
    assert f"RECTIFICADA por la fila {gasto + 1}" in historial and f"rectifica la fila {gasto}" in historial
    verified(run)


def test_tuo_212_a_rectified_date_moves_the_deadlines_it_started(walker: Walker, db_url: str, session):
    c = walker.to("E062-0001", "en_ejecucion")  # disbursed 2019-12-16: P2 due 30 calendar days on
    session.rollback()
    p2 = session.execute(select(Deadline.vence).where(Deadline.codigo == c, Deadline.tipo == "P2")).scalar_one()
    run = runner(db_url)
    run("rectificar", str(row_of(session, c, "desembolsar")), "--fecha", "2019-12-11", "--motivo",
        "el desembolso fue el miércoles", "--usuario", "direccion")
    session.rollback()
    moved = session.execute(select(Deadline.vence).where(Deadline.codigo == c, Deadline.tipo == "P2")).scalar_one()
    # 20 calendar days from the business day after (art. 144.1): Thu 12-12 is day one → Tue 12-31
    assert (p2, moved) == (date(2020, 1, 6), date(2019, 12, 31))
    facts = json.loads(run("ver", c, "--json").out)["hechos"]["ejecucion"]
    assert facts["inicio"] == "2019-12-11"
    verified(run)


def test_tuo_213_an_annulled_no_apta_returns_to_postulada_and_apta_then_works(walker: Walker, db_url: str, session):
    c = walker.to("E062-0002", "no_apta")
    run = runner(db_url)
    wrong = row_of(session, c, "declarar_no_apta")
    refused = run("anular", str(wrong), "--motivo", "caso equivocado", "--resolucion", "RDE-9", "--usuario", "ues",
                  code=2)
    assert "el rol ues no puede anular; pueden: direccion" in refused.err
    run("anular", str(wrong), "--motivo", "se declaró no apta el caso equivocado", "--resolucion", "RDE 9-2019",
        "--usuario", "direccion")
    assert state_of(session, c) == "postulada"
    run("avanzar", c, "registrar_elegibilidad", "--fecha", "2019-10-26", *sum(
        (["--dato", f"{k}={v}"] for k, v in walker.valid_data(c, "registrar_elegibilidad")[1].items()), []),
        "--usuario", "ues")
    run("avanzar", c, "declarar_apta", "--fecha", "2019-10-26", "--usuario", "ues")
    assert state_of(session, c) == "apta"
    assert "ANULADA por la fila" in run("historial", c).out
    verified(run)


def test_tuo_213_an_annulled_publication_lets_results_be_published_again(walker: Walker, db_url: str, session):
    c = walker.to("E062-0001", "accesitaria")
    run = runner(db_url)
    run("anular", str(row_of(session, c, "publicar")), "--motivo", "resultado mal consignado", "--resolucion",
        "RDE 10-2019", "--usuario", "direccion")
    assert state_of(session, c) == "evaluada"
    run("avanzar", c, "publicar", "--fecha", "2019-11-19", "--dato", "resultado=aprobada", "--dato",
        "resolucion=RDE 11-2019", "--dato", "orden_merito=1", "--usuario", "direccion")
    assert state_of(session, c) == "aprobada"
    verified(run)


def test_tuo_212_a_rectification_that_changes_the_selection_after_publication_is_refused(walker: Walker,
                                                                                          db_url: str, session):
    c = walker.to("E062-0001", "aprobada")
    run = runner(db_url)
    done = run("rectificar", str(row_of(session, c, "evaluar")), "--dato", "presencia=1", "--motivo", "nota mal copiada",
               "--usuario", "evaluador", code=2)
    assert "altera lo sustancial" in done.err and "evaluacion.puntaje_final" in done.err
    assert state_of(session, c) == "aprobada"
    verified(run)


def test_tuo_212_a_stale_reminder_is_withdrawn_and_a_sent_one_rectified(walker: Walker, db_url: str, session):
    c = walker.to("E062-0001", "en_ejecucion")  # P2 (negotiation) due 2020-01-06
    run_pass(session, datetime(2019, 12, 30, 9, 0, tzinfo=LIMA))  # its 7-day reminder
    run_pass(session, datetime(2020, 1, 3, 9, 0, tzinfo=LIMA))  # and its 3-day one
    session.commit()
    p2 = session.execute(select(Deadline.id).where(Deadline.codigo == c, Deadline.tipo == "P2")).scalar_one()
    reminders = session.execute(select(Message).where(Message.plazo_id == p2, Message.tipo == "recordatorio")
                                .order_by(Message.id)).scalars().all()
    assert len(reminders) == 2 and all(m.estado == "pendiente" for m in reminders)
    with smtp_server() as (srv, box):  # one of them goes out
        first = reminders[0]
        held = session.execute(select(Message.__table__).where(Message.id != first.id, Message.codigo == c,
                                                               Message.estado == "pendiente")).all()
        change_states(session.connection(), INTENTO_FALLIDO, [  # a try refused: they wait for the next one
            state(m, intentos=m.intentos + 1, proximo_intento=datetime(2020, 1, 4, tzinfo=LIMA)) for m in held],
            date(2019, 12, 30), respuesta="421 probemos luego")
        session.commit()
        smtp = {"CONVOCA_SMTP_HOST": "127.0.0.1", "CONVOCA_SMTP_PUERTO": str(srv.port),
                "CONVOCA_SMTP_SEGURIDAD": "ninguna", "CONVOCA_SMTP_REMITENTE": "convoca@fondecyt.gob.pe"}
        runner(db_url, CONVOCA_AHORA="2019-12-30T10:00", **smtp)("correos", "enviar")  # the day it was written
        assert len(box.accepted) == 1
    run = runner(db_url)
    # the disbursement was on another day: P2 moves, so what its reminders said no longer holds
    run("rectificar", str(row_of(session, c, "desembolsar")), "--fecha", "2019-12-13", "--motivo", "fecha del voucher",
        "--usuario", "direccion")
    session.rollback()
    shown = {m.id: (m.tipo, m.estado, m.advertencia) for m in session.execute(
        select(Message).where(Message.plazo_id == p2)).scalars()}
    assert shown[first.id][1] == "enviado"
    assert all(e == "retirado" and "ya no corresponde" in (w or "") for i, (t, e, w) in shown.items()
               if t == "recordatorio" and i != first.id)
    notices = session.execute(select(Message).where(Message.tipo == "rectificacion")).scalars().all()
    assert len(notices) == 1 and notices[0].estado == "pendiente"
    assert notices[0].destinatarios == first.destinatarios and first.asunto in notices[0].texto
    assert "TUO Ley 27444 art. 212" in notices[0].texto and notices[0].html.startswith("<!DOCTYPE html>")
    assert "retirado" in run("correos").out
    verified(run)


def test_ver_al_and_segun_registro_differ_on_a_rectified_case(walker: Walker, db_url: str, session):
    c = walker.to("E062-0001", "hitos")
    walker.step(c, "registrar_gasto")
    session.rollback()
    before_fix = session.execute(select(AuditRecord.registrado_en).order_by(AuditRecord.id.desc())).scalars().first()
    run = runner(db_url)
    run("rectificar", str(row_of(session, c, "registrar_gasto")), "--dato", "monto=4000.00", "--motivo", "monto",
        "--usuario", "monitor")
    as_known = json.loads(run("ver", c, "--al", "2020-02-03", "--json").out)
    as_seen = json.loads(run("ver", c, "--segun-registro", before_fix.isoformat(), "--json").out)
    assert as_known["hechos"]["gastos"]["1"]["monto"] == "4000.00"
    assert as_seen["hechos"]["gastos"]["1"]["monto"] == "5000.00"
    assert as_known["al"] == "2020-02-03" and as_seen["segun_registro"] is not None


def test_tampering_is_still_detected_after_a_correction(walker: Walker, db_url: str, session):
    c = walker.to("E062-0002", "no_apta")
    run = runner(db_url)
    run("anular", str(row_of(session, c, "declarar_no_apta")), "--motivo", "error", "--resolucion", "RDE-9",
        "--usuario", "direccion")
    verified(run)
    engine = connect(db_url)
    with Session(engine) as s:
        s.connection().exec_driver_sql(f"UPDATE caso SET estado = 'no_apta' WHERE codigo = '{c}'")
        s.commit()
    engine.dispose()
    done = run("auditoria", "verificar", code=4)
    assert f"CASO ALTERADO {c}: guardado no_apta, según la auditoría postulada" in done.err


def test_tuo_212_money_facts_are_not_rectified_after_the_disbursement(walker: Walker, db_url: str, session):
    """Bases §4.3: the project's account receives the disbursement; once it has, its CCI, the budget
    it was computed from and the amount paid change only by annulment or a new act."""
    c = walker.to("E062-0001", "en_ejecucion")
    run = runner(db_url)
    done = run("rectificar", str(row_of(session, c, "registrar_cuenta")), "--dato", "cci=" + "9" * 20, "--motivo",
               "otra cuenta", "--usuario", "direccion", code=2)
    assert "altera lo sustancial" in done.err and "cuenta.cci después del desembolso" in done.err, done.err
    assert "art. 213" in done.err
    verified(run)
