"""Deadline e-mails through the outbox, delivered to a real SMTP server (aiosmtpd)."""
from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta

import pytest
import trustme
from sqlalchemy import select, true
from sqlmodel import Session

from notifications.delivery import deliver_pending
from notifications.outbox import withdraw
from notifications.render import render
from notifications.settings import SmtpSettings
from states.books import message
from states.pct_2019 import BOOK
from tests.cli import convoca
from tests.conftest import CLOCK, Walker
from tests.smtp import free_port, smtp_server
from workflow.clock import LIMA
from workflow.engine.cartera_mensual import queue_reports
from workflow.engine.digest import queue_digests
from workflow.engine.sellos import queue_seals
from workflow.engine.users import add_user, assign
from workflow.engine.vigilance import run_pass
from workflow.storage.db import connect as connect_url
from workflow.storage.models import AuditRecord, Message

T0 = datetime(2020, 2, 10, 9, 0, tzinfo=LIMA)


def settings(port: int, **kw) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", puerto=port, seguridad=kw.pop("seguridad", "ninguna"),
                        remitente="convoca@fondecyt.gob.pe", **kw)


SET_ASIDE = "apartado por la prueba"
"""The messages queued before a test's own: withdrawn by an audited act of the outbox (the log keeps
them), and left out of `messages`."""


def messages(session, **where) -> list[Message]:
    session.rollback()
    query = select(Message).where(Message.advertencia.is_distinct_from(f"retirado: {SET_ASIDE}")).order_by(Message.id)
    for k, v in where.items():
        query = query.where(getattr(Message, k) == v)
    return list(session.execute(query).scalars())


@pytest.fixture
def reminders(walker: Walker, session) -> str:
    """A case in execution whose milestone 1 is 7 days away on T0: two reminders queued by `vigilar`."""
    c = walker.to("E062-0001", "hitos")
    walker.step(c, "registrar_induccion")
    withdraw(session.connection(), true(), SET_ASIDE, CLOCK.today())  # keep vigilar's
    session.commit()
    add_user(session, "usm.luis", "monitor", "luis@fondecyt.gob.pe", None, "admin", CLOCK.today())
    assign(session, c, "usm.luis", "ues", CLOCK)
    run_pass(session, T0)
    session.commit()
    return c


def test_pass_delivers_exactly_the_expected_messages_and_a_second_pass_nothing(reminders, session):
    expected = messages(session, estado="pendiente")
    assert [m.tipo for m in expected] == ["recordatorio", "recordatorio"]
    with smtp_server() as (srv, box):
        assert deliver_pending(session, T0, settings(srv.port)) == "Correos: 2 enviados, 0 por reintentar, 0 fallidos."
        run_pass(session, T0)
        session.commit()
        assert deliver_pending(session, T0, settings(srv.port)) == "Correos: nada por enviar."
    assert len(box.accepted) == 2
    for (sender, rcpts, msg), m in zip(box.accepted, expected):
        assert sender == "convoca@fondecyt.gob.pe" and rcpts == ["coord1@example.org"]
        assert msg["Subject"] == m.asunto and msg["Message-ID"] == m.message_id
        assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == m.texto
        html = msg.get_body(("html",)).get_content()
        assert "Guía §3.3.2" in html or "Guía §3.4" in html
    assert all(m.estado == "enviado" and m.respuesta.startswith("250") for m in messages(session))


def test_server_down_keeps_messages_pending_then_delivers_once(reminders, session):
    port = free_port()
    summary = deliver_pending(session, T0, settings(port))
    assert "Servidor SMTP no disponible" in summary and "2 mensajes siguen pendientes" in summary
    assert [m.estado for m in messages(session)] == ["pendiente", "pendiente"]
    with smtp_server(port=port) as (_, box):
        deliver_pending(session, T0 + timedelta(minutes=15), settings(port))
        deliver_pending(session, T0 + timedelta(minutes=30), settings(port))
    assert len(box.accepted) == 2


def test_temporary_failure_is_retried_and_delivered_once(reminders, session):
    with smtp_server(replies=["451 4.3.0 Intente más tarde"]) as (srv, box):
        assert "1 por reintentar" in deliver_pending(session, T0, settings(srv.port))
        first = messages(session)[0]
        assert (first.estado, first.intentos, first.respuesta) == ("pendiente", 1, "451 4.3.0 Intente más tarde")
        assert first.proximo_intento == T0 + timedelta(minutes=1)
        deliver_pending(session, T0 + timedelta(seconds=30), settings(srv.port))  # backoff not over: only the other
        deliver_pending(session, T0 + timedelta(minutes=2), settings(srv.port))
    assert len(box.accepted) == 2 and box.refused == 1
    assert [m.estado for m in messages(session)] == ["enviado", "enviado"]


def test_permanent_failure_becomes_fallido_after_n_tries_and_reaches_the_digest(reminders, session):
    n = 5  # intentos_envio in the call file
    with smtp_server(replies=["550 5.1.1 Buzón inexistente"] * 20) as (srv, box):
        when = T0
        for attempt in range(n):
            deliver_pending(session, when, settings(srv.port))
            when += timedelta(minutes=2 ** attempt + 1)  # past each backoff: 1, 2, 4, 8 minutes
    failed = messages(session, estado="fallido")
    assert len(failed) == 2 and all(m.intentos == n for m in failed)
    assert not box.accepted
    queue_digests(session, T0 + timedelta(hours=1))
    digest = next(m for m in messages(session, tipo="resumen") if m.clave.startswith("resumen:usm.luis:"))
    assert digest.destinatarios == ["luis@fondecyt.gob.pe"]
    assert "Correos que no pudieron entregarse (2)" in digest.texto and "550 5.1.1 Buzón inexistente" in digest.texto


def test_crash_between_send_and_commit_resends_the_same_message_id(reminders, session):
    class Killed(Exception):
        pass

    def crash(_message):
        raise Killed

    with smtp_server() as (srv, box):
        with pytest.raises(Killed):
            deliver_pending(session, T0, settings(srv.port), after_send=crash)
        session.rollback()  # the one taken stays the dead sender's until its lease runs out
        assert [m.estado for m in messages(session)] == ["enviando", "pendiente"]
        deliver_pending(session, T0 + timedelta(minutes=11), settings(srv.port))
    ids = [msg["Message-ID"] for _, _, msg in box.accepted]
    assert len(ids) == 3 and ids[0] == ids[1] and len(set(ids)) == 2  # the first one twice, never a new one
    assert [m.estado for m in messages(session)] == ["enviado", "enviado"]


def test_starttls_and_auth_with_a_certificate_the_test_trusts(reminders, session, tmp_path):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with smtp_server(tls_cert=cert, user="convoca", password="s3creta") as (srv, box):
        untrusted = settings(srv.port, seguridad="starttls", usuario="convoca", clave="s3creta")
        assert "Servidor SMTP no disponible (SSLCertVerificationError" in deliver_pending(session, T0, untrusted)
        trusted = settings(srv.port, seguridad="starttls", usuario="convoca", clave="s3creta", ca=str(ca_file))
        assert "2 enviados" in deliver_pending(session, T0, trusted)
    assert len(box.accepted) == 2


def test_a_name_cannot_break_the_subject_or_inject_html():
    ctx = {"convocatoria": {"codigo": "E062-2019-01", "nombre": "PCT"}, "hoy": T0.date(), "que_hacer": "x",
           "caso": {"codigo": "E062-0001", "titulo": "Bcc: x@evil\r\nSubject: <b>", "entidad": "<script>alert(1)</script>",
                    "coordinador": "Ana\nBcc: evil@x", "representante": "R"},
           "plazo": {"tipo": "P3", "titulo": "ITF", "fuente": "Guía §3.3.2", "vence": T0.date(), "hito": "1",
                     "dias_restantes": 3, "unidad": "calendario", "consecuencia": "c"}}
    subject, text, html = render(message("recordatorio", BOOK), ctx)
    assert "\n" not in subject and "\r" not in subject
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Guía §3.3.2" in text and "vence en 3 días" in text


def test_missing_email_is_a_warning_not_a_failure(walker: Walker, session):
    c = walker.to("E062-0001", "hitos")
    walker.step(c, "registrar_induccion")
    run_pass(session, datetime(2020, 2, 18, 9, 0, tzinfo=LIMA))  # P3/1 overdue: coordinator and monitor
    session.commit()
    vencido = messages(session, tipo="vencido", codigo=c)[0]
    assert vencido.destinatarios == ["coord1@example.org"] and vencido.advertencia == "sin correo para: monitor"


def test_event_messages_are_queued_with_the_fact(walker: Walker, session):
    c = walker.to("E062-0001", "aprobada")
    tipos = [m.tipo for m in messages(session, codigo=c)]
    assert tipos == ["resultado", "invitacion_firma"]
    invitacion = messages(session, codigo=c, tipo="invitacion_firma")[0]
    # a notification: its 10 business days run from its effect, unknown when it is sent
    assert invitacion.destinatarios == ["rl1@example.org", "coord1@example.org"]
    assert "10 días hábiles; contados desde el día hábil siguiente a aquel en que esta notificación surta efecto" \
        in invitacion.texto and "Confírmela escribiendo a su monitor" in invitacion.texto


def test_cli_vigilar_delivers_and_previews(reminders, db_url):
    with smtp_server() as (srv, box):
        env = {**os.environ, "CONVOCA_DB": db_url, "CONVOCA_SMTP_HOST": "127.0.0.1",
               "CONVOCA_SMTP_PUERTO": str(srv.port), "CONVOCA_SMTP_SEGURIDAD": "ninguna",
               "CONVOCA_SMTP_REMITENTE": "convoca@fondecyt.gob.pe", "COLUMNS": "200"}
        done = convoca("vigilar", "--ahora", "2020-02-14T09:00", env=env)
        assert done.returncode == 0, done.stderr
        # the 3-day reminders go; the two written at T0 ("vence en 7 días") are stale four days later
        assert "Correos: 2 enviados, 0 por reintentar, 0 fallidos, 2 retirados sin enviar" in done.stdout
    assert len(box.accepted) == 2
    env["CONVOCA_SMTP_HOST"] = None  # no SMTP configured
    listed = convoca("correos", env=env).stdout
    assert "Envío desactivado" in listed
    shown = convoca("correos", "previsualizar", "E062-0001", "carta_simple",
                    env={**env, "CONVOCA_AHORA": "2020-02-20T09:00"}).stdout
    assert "Asunto: Carta simple:" in shown and "Unidad de Seguimiento y Monitoreo" in shown


def test_a_reminder_whose_deadline_was_met_is_withdrawn_never_sent(reminders, walker: Walker, session, db_url):
    """The ITF presented after the reminders were queued and before they leave: they are withdrawn in
    the same transaction, a real SMTP server receives nothing, and `correos` says why."""
    walker.fire(reminders, "presentar_itf", T0.date(), "usm.luis", hito=1, indicadores_cumplidos=3)
    with smtp_server() as (srv, box):
        assert deliver_pending(session, T0, settings(srv.port)) == "Correos: nada por enviar."
    assert box.accepted == []
    assert all(m.estado == "retirado" and m.advertencia for m in messages(session, tipo="recordatorio"))
    listed = convoca("correos", env={"CONVOCA_DB": db_url, "COLUMNS": "250"}).stdout
    assert "retirado" in listed


def test_a_reminder_past_its_day_or_its_deadline_is_withdrawn_never_sent(reminders, session):
    """Written on T0 ("vence en 7 días"); the server is down until after the deadline: sending it then
    would lie, so it is withdrawn with the reason."""
    with smtp_server() as (srv, box):
        later = T0 + timedelta(days=8)
        assert deliver_pending(session, later, settings(srv.port)) == (
            "Correos: 0 enviados, 0 por reintentar, 0 fallidos, 2 retirados sin enviar por desactualizados.")
        assert box.accepted == []
    assert {m.advertencia for m in messages(session, tipo="recordatorio")} == {
        "retirado sin enviar: el plazo venció el 2020-02-17: un recordatorio ya no sirve"}


def test_every_kind_renders_in_both_parts_through_the_demo(tmp_path):
    """The demo queues every kind of message of E062's book and of the installation through the real
    events and passes, and ANDE's of its story; each has a subject, a text part and an HTML part, and
    names the case and the rule's source."""
    from states.books import book
    from states.mensajes import INSTALACION
    from workflow.cli.demo import run

    KINDS = {m.tipo for m in (*book("pct-2019").mensajes, *INSTALACION)}
    ANDE = {m.tipo for m in book("ande-bpd-2025").mensajes}

    run(tmp_path / "demo.db")
    assert convoca("--db", str(tmp_path / "demo.db"), "ajustes", "fijar", "dia_informe", "2", "--usuario",
                   "admin").code == 0
    engine = connect_url(f"sqlite:///{tmp_path / 'demo.db'}")
    with Session(engine) as s:
        queue_digests(s, datetime(2020, 3, 2, 8, 0, tzinfo=LIMA))
        assert queue_seals(s, datetime(2020, 3, 2, 8, 0, tzinfo=LIMA)) == 1  # the demo's auditor
        assert queue_seals(s, datetime(2020, 3, 3, 8, 0, tzinfo=LIMA)) == 0  # once a month
        assert queue_reports(s, datetime(2020, 3, 2, 8, 0, tzinfo=LIMA)) == 2  # the Dirección and the auditor
        # (of E062 only: ANDE's call was launched in 2025)
        seen = {}
        for m in s.execute(select(Message).order_by(Message.id)).scalars():
            seen.setdefault(m.tipo, m)
    engine.dispose()
    # a rectification notice follows a message already sent, and the demo sends nothing: test_historia
    # renders it through the real outbox
    assert KINDS - {"rectificacion"} <= set(seen) and set(seen) - KINDS <= ANDE
    seal = re.search(r"--sello (\d+:[0-9a-f]{64})", seen["sello"].texto).group(1)  # the auditor's copy of the head
    checked = convoca("--db", str(tmp_path / "demo.db"), "auditoria", "verificar", "--sello", seal)
    assert checked.code == 0 and "contiene el sello" in checked.out, checked.err
    for tipo, m in seen.items():
        assert m.asunto and "\n" not in m.asunto, tipo
        assert m.texto.strip() and m.html.lstrip().startswith("<!DOCTYPE html>"), tipo
        if tipo not in ("resumen", "sello", "cartera"):  # a monitor's or an auditor's, about no single case
            assert m.codigo in m.texto and m.codigo in m.html, tipo
            assert any(src in m.texto for src in ("Bases §", "Guía §", "Contrato cl.", "TUO Ley 27444", "B «")), tipo


def test_a_slow_mail_server_does_not_block_another_officer(reminders, session, db_url):
    """Each message takes the server 2 s; while `correos enviar` talks to it, another process writes."""
    import subprocess
    import time

    from tests.test_cli import CONVOCA

    assert len(messages(session, estado="pendiente")) == 2
    with smtp_server(delay=2) as (srv, box):
        env = {**os.environ, "CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-02-10T09:00", "CONVOCA_USUARIO": "admin",
               "CONVOCA_SMTP_HOST": "127.0.0.1", "CONVOCA_SMTP_PUERTO": str(srv.port),
               "CONVOCA_SMTP_SEGURIDAD": "ninguna", "CONVOCA_SMTP_REMITENTE": "convoca@fondecyt.gob.pe"}
        sender = subprocess.Popen([CONVOCA, "correos", "enviar"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        time.sleep(1.5)  # the first message is with the server now
        start = time.monotonic()
        other = subprocess.run([CONVOCA, "usuarios", "agregar", "otra.persona", "--rol", "ues"], env=env,
                               capture_output=True, text=True, timeout=60)
        took = time.monotonic() - start
        out, _ = sender.communicate(timeout=60)
    assert other.returncode == 0, other.stderr
    assert took < 3, f"the other officer waited {took:.1f} s"
    assert sender.returncode == 0 and "2 enviados" in out, out
    assert len(box.accepted) == 2


def test_the_officer_previews_a_message_by_its_number_and_withdraws_one_with_a_reason(reminders, db_url, session):
    env = {"CONVOCA_DB": db_url, "COLUMNS": "250", "CONVOCA_AHORA": "2020-02-10T10:00"}
    first, second = messages(session, estado="pendiente")
    shown = convoca("correos", "previsualizar", str(second.id), env=env)
    assert shown.code == 0 and f"[mensaje {second.id} de la bandeja (pendiente)]" in shown.out
    assert f"Para: {', '.join(second.destinatarios)}" in shown.out and second.asunto in shown.out
    assert "No hay un mensaje con número 999" in convoca("correos", "previsualizar", "999", env=env).err
    listed = json.loads(convoca("correos", "--caso", reminders, "--json", env=env).out)
    assert {m["id"] for m in listed if m["estado"] == "pendiente"} == {first.id, second.id}
    assert json.loads(convoca("correos", "--caso", "E062-0099", "--json", env=env).out) == []
    done = convoca("correos", "retirar", str(first.id), "--motivo", "la entidad ya presentó en mesa de partes",
                   "--usuario", "usm.luis", env=env)
    assert done.code == 0, done.err
    [m] = [m for m in messages(session) if m.id == first.id]
    assert (m.estado, m.advertencia) == ("retirado", "retirado: la entidad ya presentó en mesa de partes (usm.luis)")
    again = convoca("correos", "retirar", str(first.id), "--motivo", "x", "--usuario", "usm.luis", env=env)
    assert again.code == 2 and "está 'retirado': solo se retira uno que aún no se envió" in again.err
    audit = session.execute(select(AuditRecord).where(AuditRecord.evento == "retirar_mensaje")
                            .order_by(AuditRecord.id)).scalars().all()
    assert [(a.usuario, a.aceptado) for a in audit] == [("usm.luis", True), ("usm.luis", False)]
    assert convoca("auditoria", "verificar", env=env).code == 0


def test_previewing_a_message_of_an_event_not_yet_happened_shows_it_as_of_today(walker: Walker, db_url):
    """The induction notice of a case still to sign: what it would say if the contract were signed
    today, never a traceback."""
    c = walker.to("E062-0001", "aprobada")
    done = convoca("correos", "previsualizar", c, "induccion", env={"CONVOCA_DB": db_url,
                                                                     "CONVOCA_AHORA": "2019-12-02T10:00"})
    assert done.code == 0 and "vista previa con los hechos actuales" in done.out
    assert "Vence: 02/01/2020" in done.out  # P1: 30 calendar days from the signing, as if today


def test_a_monitor_reads_the_digest_on_demand_as_the_mail_would_say_it(reminders, session, db_url):
    env = {"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-02-10T09:00"}
    shown = convoca("correos", "resumen", "--mios", "--usuario", "usm.luis", env=env)
    assert shown.code == 0 and "Resumen de plazos de sus casos al 10/02/2020." in shown.out
    assert messages(session, tipo="resumen") == []  # seeing it queues nothing
    queue_digests(session, T0)
    [queued] = messages(session, clave="resumen:usm.luis:2020-02-10")
    assert shown.out.split("\n\n", 1)[1].strip() in queued.texto
    assert "Monitor desconocido: nadie" in convoca("correos", "resumen", "--monitor", "nadie", env=env).err


def test_the_monthly_report_goes_to_the_direccion_and_the_auditors_as_a_pdf(tmp_path):
    """On the day the installation sets, the report as of the previous month's last day, attached;
    once a month; an attachment swapped in the outbox is withdrawn, never sent."""
    import io

    from pypdf import PdfReader
    from sqlalchemy import update

    from workflow.cli.demo import run
    from workflow.storage.tables import MENSAJE

    run(tmp_path / "demo.db")
    db = str(tmp_path / "demo.db")
    dia = datetime(2020, 4, 3, 8, 0, tzinfo=LIMA)
    engine = connect_url(f"sqlite:///{db}")
    with Session(engine) as s:
        assert queue_reports(s, dia) == 0  # the default: the service sends none
    assert convoca("--db", db, "ajustes", "fijar", "dia_informe", "3", "--usuario", "admin").code == 0
    with Session(engine) as s:
        assert queue_reports(s, dia - timedelta(days=1)) == 0  # not its day
        assert queue_reports(s, dia) == 2
        assert queue_reports(s, dia + timedelta(hours=2)) == 0  # a repeated pass or a restart: none again
        queued = messages(s, tipo="cartera")
        assert {m.clave for m in queued} == {"cartera:E062-2019-01:2020-03:de.director",
                                             "cartera:E062-2019-01:2020-03:oci.auditora"}
        tampered = queued[1]
        s.execute(update(MENSAJE).where(MENSAJE.c.id == tampered.id).values(
            contexto={**tampered.contexto, "adjunto": {**tampered.contexto["adjunto"], "contenido": "JVBERi0x"}}))
        s.commit()
        with smtp_server() as (srv, box):
            deliver_pending(s, dia, settings(srv.port))
        got = [msg for _, _, msg in box.accepted if "Informe de cartera" in msg["Subject"]]
        assert len(got) == 1 and "al 31/03/2020" in got[0]["Subject"]
        (pdf,) = [part for part in got[0].iter_attachments()]
        assert pdf.get_filename() == "cartera-E062-2019-01-2020-03.pdf" and pdf.get_content_type() == "application/pdf"
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
        assert "Informe de cartera" in text and "31/03/2020" in text and "ENSAYO" in text
        withdrawn = s.get(Message, tampered.id)
        s.refresh(withdrawn)
        assert withdrawn.estado == "retirado" and "adjunto" in withdrawn.advertencia
        sent, tampered_id = queued[0], tampered.id  # the one that left: its attachment renamed, as an executable
        sent_id, contexto = sent.id, sent.contexto
        s.execute(update(MENSAJE).where(MENSAJE.c.id == sent_id).values(
            contexto={**contexto, "adjunto": {**contexto["adjunto"], "nombre": "informe.exe",
                                              "tipo": "application/x-msdownload"}}))
        s.commit()
    engine.dispose()
    err = convoca("--db", db, "auditoria", "verificar").err
    assert f"MENSAJE ALTERADO {tampered_id} (cartera, sin caso): su adjunto (cartera-E062-2019-01-2020-03.pdf, " \
           "application/pdf) no es el que se encoló" in err
    assert f"MENSAJE ALTERADO {sent_id} (cartera, sin caso): su adjunto (informe.exe, application/x-msdownload) no es " \
           "el que se encoló (cartera-E062-2019-01-2020-03.pdf)" in err
