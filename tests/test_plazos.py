"""The deadline ledger P1–P12 and `vigilar`, walked on the 2019–2020 calendar with due dates
worked by hand (TUO Ley 27444 arts. 144–151; Guía §3.2–§3.6)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from states.pct_2019.demo_data import RESULTS
from tests.conftest import CLOCK, Walker
from workflow.clock import LIMA
from workflow.engine.vigilance import run_pass, simulate
from workflow.errors import Refusal
from workflow.storage.models import AuditRecord, Deadline, Message


def ledger(session, codigo: str) -> dict[str, tuple[str, str]]:
    session.rollback()
    rows = session.execute(select(Deadline).where(Deadline.codigo == codigo).order_by(Deadline.id)).scalars()
    return {f"{d.tipo}{'/' + d.hito if d.hito else ''}": (d.vence.isoformat(), d.estado) for d in rows}


def vigilar(session, when: str) -> list:
    actions = run_pass(session, datetime.fromisoformat(when).replace(tzinfo=LIMA))
    session.commit()
    return actions


def snapshot(session):
    session.rollback()
    return (session.execute(select(func.count()).select_from(AuditRecord)).scalar_one(),
            session.execute(select(func.count()).select_from(Message)).scalar_one(),
            [tuple(r) for r in session.execute(select(Deadline.id, Deadline.estado, Deadline.escalamiento,
                                                      Deadline.vence)).all()])


def test_walk_from_contract_to_close(walker: Walker, session):
    c = walker.to("E062-0001", "aprobada")  # public university, Arequipa
    # the invitation to sign, e-mailed Mon 2019-11-18 to a representative who authorised e-mail: its
    # acknowledgment is due within 2 business days (TUO art. 20.4); the signing period waits for it
    assert ledger(session, c) == {"NF": ("2019-11-20", "pendiente")}
    walker.notify(c, "invitacion_firma", date(2019, 11, 19), medio="correo")
    # PF: from the acknowledgment on Tue 11-19, 10 business days (Bases §4.3 [policy]) = Tue 12-03
    assert ledger(session, c) == {"NF": ("2019-11-20", "cumplido"), "PF": ("2019-12-03", "pendiente")}
    for ev in ("registrar_proveedor", "aprobar_proveedor", "registrar_presupuesto"):
        walker.step(c, ev)
    walker.step(c, "firmar_contrato")  # 2019-12-02
    # P1: 2019-12-02 + 30 calendar days = Wed 2020-01-01, New Year → Thu 2020-01-02 (art. 145.2)
    assert ledger(session, c) == {"NF": ("2019-11-20", "cumplido"), "PF": ("2019-12-03", "cumplido"),
                                  "P1": ("2020-01-02", "pendiente")}

    walker.step(c, "registrar_cuenta")
    walker.step(c, "desembolsar")  # 2019-12-16; 6 months → ends 2020-06-16
    # P2: +20 = Sun 2020-01-05 → Mon 01-06. P7: 2020-06-16 − 7 = 06-09. P11: 06-16. P12: public entity, none.
    assert ledger(session, c) == {"NF": ("2019-11-20", "cumplido"), "PF": ("2019-12-03", "cumplido"),
                                  "P1": ("2020-01-02", "pendiente"), "P2": ("2020-01-06", "pendiente"),
                                  "P7": ("2020-06-09", "pendiente"), "P11": ("2020-06-16", "pendiente")}

    walker.fire(c, "registrar_induccion", date(2020, 1, 3), asistio_coordinador="no")  # not attended: stays open
    assert ledger(session, c)["P1"] == ("2020-01-02", "pendiente")
    walker.fire(c, "registrar_induccion", date(2020, 1, 3), asistio_coordinador="si")  # one day late
    walker.step(c, "registrar_negociacion")  # 2019-12-27
    walker.step(c, "registrar_po")
    walker.step(c, "aprobar_po")  # 2020-01-03
    led = ledger(session, c)
    assert led["P1"] == ("2020-01-02", "cumplido_tarde") and led["P2"] == ("2020-01-06", "cumplido")
    # P3 per milestone: Sun 2020-02-16 → Mon 02-17; Thu 04-16; Tue 06-16. P6 for all but the final milestone.
    assert {k: v for k, v in led.items() if k[:2] in ("P3", "P6")} == {
        "P3/1": ("2020-02-17", "pendiente"), "P3/2": ("2020-04-16", "pendiente"), "P3/3": ("2020-06-16", "pendiente"),
        "P6/1": ("2020-02-17", "pendiente"), "P6/2": ("2020-04-16", "pendiente")}

    walker.fire(c, "presentar_itf", date(2020, 2, 16), hito=1, indicadores_cumplidos=3, declaracion_contrapartida="DJ")
    walker.fire(c, "observar_itf", date(2020, 2, 19), hito=1, observaciones="faltan actas")
    led = ledger(session, c)
    assert led["P3/1"] == ("2020-02-17", "cumplido") and led["P6/1"] == ("2020-02-17", "anulado")
    # the observations are a notification: no P4 until it takes effect; acknowledged Thu 02-20
    assert "P4/1" not in led and led["N4/1"] == ("2020-02-21", "pendiente")
    walker.notify(c, "observaciones_itf", date(2020, 2, 20), hito=1, medio="correo")
    # P4: 45 calendar days from Fri 02-21, the business day after: Sun 04-05 → Mon 04-06
    assert ledger(session, c)["P4/1"] == ("2020-04-06", "pendiente")
    walker.fire(c, "levantar_observaciones", date(2020, 2, 26), hito=1)
    walker.fire(c, "aprobar_itf", date(2020, 2, 28), hito=1)
    # P5: 15 business days from Fri 02-28: Mar 2–6 (5), 9–13 (10), 16–20 (15) → 2020-03-20
    assert ledger(session, c)["P5/1"] == ("2020-03-20", "pendiente")
    assert ledger(session, c)["P4/1"] == ("2020-04-06", "cumplido")

    # The paper ITF does not arrive: the escalation of Guía §3.3.2, one step per pass
    # a deadline expires at the end of its day (art. 151.1): late on the 20th it is still open
    assert [a.accion for a in vigilar(session, "2020-03-20T23:30") if a.plazo == "P5/1"] == ["recordatorio"]
    acts = [a.accion for a in vigilar(session, "2020-03-23T09:00") if a.plazo == "P5/1"]
    assert acts == ["plazo_vencido", "carta_simple"]
    # reply within 5 business days of Mon 03-23: 24, 25, 26, 27, 30 → 03-30
    p5 = session.execute(select(Deadline).where(Deadline.codigo == c, Deadline.tipo == "P5")).scalar_one()
    assert (p5.estado, p5.escalamiento, p5.escalamiento_vence) == ("vencido", 1, date(2020, 3, 30))
    before = snapshot(session)
    assert vigilar(session, "2020-03-23T09:00") == []  # the same instant again: nothing
    assert snapshot(session) == before
    assert [a.accion for a in vigilar(session, "2020-03-30T09:00") if a.plazo == "P5/1"] == []
    assert [a.accion for a in vigilar(session, "2020-03-31T09:00") if a.plazo == "P5/1"] == ["carta_notarial"]
    # carta notarial: 5 business days from Tue 03-31: Apr 1, 2, 3, 6, 7 → 04-07
    assert [a.accion for a in vigilar(session, "2020-04-08T09:00") if a.plazo == "P5/1"] == ["propuesta_resolucion"]
    assert [a.accion for a in vigilar(session, "2020-04-20T09:00") if a.plazo == "P5/1"] == []  # waits for the DE
    assert ledger(session, c)["P5/1"] == ("2020-03-20", "vencido")
    walker.fire(c, "recibir_itf_fisico", date(2020, 4, 13), hito=1)
    assert ledger(session, c)["P5/1"] == ("2020-03-20", "cumplido_tarde")
    kinds = [m for m, in session.execute(select(Message.tipo).where(Message.codigo == c, Message.plazo_id == p5.id))]
    assert sorted(kinds) == sorted(["recordatorio", "vencido", "carta_simple", "carta_notarial", "propuesta_resolucion"])

    walker.fire(c, "presentar_itf", date(2020, 4, 16), hito=2, indicadores_cumplidos=3, declaracion_contrapartida="DJ")
    walker.fire(c, "aprobar_itf", date(2020, 4, 20), hito=2)
    # P5/2: from Mon 04-20: 21–24 (4), 27–30 (8), May 1 holiday, 4–8 (13), 11, 12 (15) → 2020-05-12
    assert ledger(session, c)["P5/2"] == ("2020-05-12", "pendiente")
    walker.fire(c, "recibir_itf_fisico", date(2020, 5, 5), hito=2)
    vigilar(session, "2020-06-10T09:00")  # P7 lapses: the right to ask for an extension is gone, no e-mail
    assert ledger(session, c)["P7"] == ("2020-06-09", "vencido")
    walker.fire(c, "presentar_itf", date(2020, 6, 16), hito=3, indicadores_cumplidos=3, declaracion_contrapartida="DJ")
    walker.fire(c, "terminar_ejecucion", date(2020, 6, 16))
    led = ledger(session, c)
    # P8: 2020-06-16 + 15 = Wed 07-01
    assert led["P11"] == ("2020-06-16", "cumplido") and led["P8"] == ("2020-07-01", "pendiente")
    walker.fire(c, "aprobar_itf", date(2020, 6, 19), hito=3)
    # P5/3: from Fri 06-19: 22–26 (5), 29 San Pedro y San Pablo, 30 (6), Jul 1–3 (9), 6–10 (14), 13 (15)
    assert ledger(session, c)["P5/3"] == ("2020-07-13", "pendiente")
    walker.fire(c, "recibir_itf_fisico", date(2020, 6, 30), hito=3)
    walker.fire(c, "presentar_ifr", date(2020, 6, 30))
    walker.fire(c, "observar_ifr", date(2020, 7, 6), observaciones="falta la copia PCT")
    walker.notify(c, "observaciones_ifr", date(2020, 7, 6))  # delivered at the domicile the same day
    # P9: 15 calendar days from Tue 07-07, the business day after: Tue 07-21
    assert ledger(session, c)["P9"] == ("2020-07-21", "pendiente")
    walker.fire(c, "levantar_observaciones_ifr", date(2020, 7, 15))
    walker.fire(c, "aprobar_ifr", date(2020, 7, 20), gestion_tecnica="satisfactoria", gestion_financiera="satisfactoria")
    # P10: from Mon 07-20: 21–24 (4), 27 (5), 28–29 Fiestas Patrias, 30, 31 (7), Aug 3–7 (12), 10–12 (15) → 08-12
    assert ledger(session, c)["P10"] == ("2020-08-12", "pendiente")
    walker.fire(c, "recibir_ifr_fisico", date(2020, 8, 5))
    walker.fire(c, "registrar_resultados", date(2020, 8, 5), **RESULTS)
    walker.step(c, "registrar_devolucion")
    walker.step(c, "cerrar")
    led = ledger(session, c)
    assert all(estado != "pendiente" for _, estado in led.values()), led
    assert led["P8"][1] == "cumplido" and led["P9"][1] == "cumplido" and led["P10"][1] == "cumplido"


def test_extension_moves_deadlines(walker: Walker, session):
    c = walker.to(next(k for k, r in walker.rows.items() if r["entidad_regimen"] == "privada_con_fines_de_lucro"),
                  "hitos")
    assert ledger(session, c)["P12"] == ("2020-07-31", "pendiente")
    walker.fire(c, "ampliar_hito", date(2020, 2, 14), hito=1, fecha_solicitud="2020-02-12", nueva_fecha="2020-03-02")
    led = ledger(session, c)
    assert led["P3/1"] == ("2020-03-02", "pendiente")
    assert list(led).count("P6/1") == 1  # the id-keyed view keeps the latest; the first was closed
    walker.ready(c, "aprobar_ampliacion")  # request, PO v2 ending 2020-08-16, fianza renewed to 2020-09-30
    walker.step(c, "aprobar_ampliacion")
    led = ledger(session, c)
    assert led["P11"] == ("2020-08-16", "pendiente") and led["P3/3"] == ("2020-08-17", "pendiente")  # Sun → Mon
    assert led["P12"] == ("2020-09-30", "pendiente")
    assert led["P7"] == ("2020-08-09", "pendiente")  # a fresh window for a second extension


def test_leaving_the_path_voids_open_deadlines_with_the_reason(walker: Walker, session):
    c = walker.to("E062-0001", "hitos")
    walker.fire(c, "resolver_contrato", date(2020, 3, 2), causa="fuerza_mayor", carta_notarial="CN-1")
    rows = session.execute(select(Deadline).where(Deadline.codigo == c, Deadline.estado == "anulado")).scalars().all()
    assert [r.motivo for r in rows if r.tipo == "NF"] == ["ya no aplica: firmar_contrato"]  # TUO art. 27.2
    rows = [r for r in rows if r.tipo != "NF"]
    assert rows and all(r.motivo == "el caso pasó a resuelta (resolver_contrato)" for r in rows)
    assert not session.execute(select(Deadline).where(Deadline.codigo == c, Deadline.estado == "pendiente")).first()


def test_p8_missed_records_recommendations(walker: Walker, session):
    c = walker.to(next(k for k, r in walker.rows.items() if r["entidad_regimen"] == "privada_con_fines_de_lucro"),
                  "ifr")
    vigilar(session, "2020-07-02T09:00")  # P8 due 2020-07-01
    p8 = session.execute(select(Deadline).where(Deadline.codigo == c, Deadline.tipo == "P8")).scalar_one()
    assert p8.estado == "vencido"
    assert p8.motivo == "recomendación: ejecutar la carta fianza y registrar a la entidad en RENOES (Guía §3.3.2)"


def test_p7_reminder_names_the_last_day(walker: Walker, session):
    c = walker.to("E062-0001", "hitos")
    vigilar(session, "2020-06-02T09:00")  # P7 due 2020-06-09: 7 days left
    m = session.execute(select(Message).join(Deadline, Deadline.id == Message.plazo_id).where(
        Message.codigo == c, Deadline.tipo == "P7")).scalars().one()
    assert "Solicitud de ampliación del proyecto vence en 7 días" in m.asunto
    assert "Vence: 09/06/2020" in m.texto and "Guía §3.6" in m.texto


def test_p6_guard_reads_the_ledger(walker: Walker, session):
    c = walker.to("E062-0001", "hitos")
    vigilar(session, "2020-02-18T09:00")  # P6/1 (milestone Sun 2020-02-16 → Mon 02-17) lapsed
    with pytest.raises(Refusal, match=r"P6 \(solicitud de ampliación del hito 1\) venció el 2020-02-17; "
                                      r"la solicitud es del 2020-02-18"):
        walker.fire(c, "ampliar_hito", date(2020, 2, 18), hito=1, fecha_solicitud="2020-02-18",
                    nueva_fecha="2020-03-02")
    # asked on the last day (the ledger's, extended past the Sunday), approved the day after: valid
    walker.fire(c, "ampliar_hito", date(2020, 2, 18), hito=1, fecha_solicitud="2020-02-17", nueva_fecha="2020-03-02")


def test_simulation_writes_nothing(walker: Walker, session):
    walker.to("E062-0001", "hitos")
    before = snapshot(session)
    actions = simulate(session, date(2020, 2, 10), date(2020, 2, 20))
    assert {a.accion for a in actions} >= {"recordatorio", "plazo_vencido"}
    assert snapshot(session) == before


def test_pass_cost_follows_due_deadlines_not_cases(walker: Walker, session):
    """The pass queries by (estado, vence), an indexed pair: the database's plan uses the index."""
    walker.to("E062-0001", "hitos")
    conn = session.connection()
    query = "SELECT id FROM plazo WHERE estado = 'pendiente' AND vence < '2020-01-01'"
    if conn.dialect.name == "sqlite":
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}").all()
    else:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
        plan = conn.exec_driver_sql(f"EXPLAIN {query}").all()
    assert any("ix_plazo_estado_vence" in str(row) for row in plan), plan


def test_guia_3_2_1_the_induction_workshop_is_fondecyts_to_convene(walker: Walker, session):
    """P1: "es convocado por FONDECYT con la participación de INDECOPI"; the coordinator must attend.
    FONDECYT's monitor owes it, and its reminder reaches both the monitor and the coordinator."""
    from workflow.engine.users import change_email

    change_email(session, "monitor", "monitor@fondecyt.gob.pe", "admin", CLOCK.today())
    c = walker.to("E062-0001", "contratada")  # signed 2019-12-02: P1 due 2020-01-02
    p1 = session.execute(select(Deadline).where(Deadline.codigo == c, Deadline.tipo == "P1")).scalar_one()
    assert p1.responsable == "monitor"
    vigilar(session, "2019-12-30T09:00")  # 3 days before
    reminder = session.execute(select(Message).where(Message.codigo == c, Message.tipo == "recordatorio")).scalar_one()
    assert set(reminder.destinatarios) == {"monitor@fondecyt.gob.pe", walker.rows[c]["coordinador_email"]}
    assert "FONDECYT convoca el taller con INDECOPI" in reminder.texto


def test_a_pass_that_fails_midway_leaves_everything_as_it_was(walker: Walker, session, monkeypatch):
    """Deadlines marked and messages queued in the same transaction as the audit rows: a failure at
    the last write undoes the first ones, and the next pass does the whole work once."""
    from workflow.storage import audit

    for codigo in ("E062-0001", "E062-0002"):
        walker.to(codigo, "hitos")
    before = snapshot(session)

    def broken(conn, rows):
        raise OSError("disco lleno")

    monkeypatch.setattr(audit, "append", broken)
    with pytest.raises(OSError):
        vigilar(session, "2020-02-18T09:00")
    session.rollback()
    assert snapshot(session) == before
    monkeypatch.undo()
    first = vigilar(session, "2020-02-18T09:00")
    assert {a.accion for a in first} >= {"plazo_vencido"} and vigilar(session, "2020-02-18T09:00") == []


def test_a_pass_costs_the_same_statements_for_two_or_six_cases(walker: Walker, session):
    """Batched: the statements a pass sends do not grow with the actions it takes."""
    from sqlalchemy import event

    def statements(codes: list[str], when: str) -> tuple[int, int]:
        for codigo in codes:
            walker.to(codigo, "hitos")
        sent = []
        engine = session.get_bind()

        def count(*_args):
            sent.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            acted = len(vigilar(session, when))
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(sent), acted

    few, acted_few = statements(["E062-0001", "E062-0002"], "2020-02-18T09:00")
    many, acted_many = statements(["E062-0004", "E062-0005", "E062-0006", "E062-0007", "E062-0008", "E062-0009"],
                                  "2020-02-19T09:00")
    assert acted_many > 2 * acted_few and many <= few + 2


def test_tuo_144_1_calendar_days_count_from_the_business_day_after(walker: Walker, session):
    """Observations whose notification took effect on Friday 2020-02-21: the 45 days run from Monday
    02-24 (day one), so they end on Wednesday 2020-04-08, not on Monday 04-06 as counting from Saturday
    would."""
    c = walker.to("E062-0001", "hitos")
    walker.fire(c, "presentar_itf", date(2020, 2, 14), hito=1, indicadores_cumplidos=3)
    walker.fire(c, "observar_itf", date(2020, 2, 20), hito=1, observaciones="faltan actas")
    walker.notify(c, "observaciones_itf", date(2020, 2, 21), hito=1)
    assert ledger(session, c)["P4/1"] == ("2020-04-08", "pendiente")
