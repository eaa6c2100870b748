"""Delivering the outbox over SMTP: at least once, never as two different messages.

Each message is sent, then marked `enviado` with the server's answer in its own commit. A crash
between the two re-sends it on the next pass with the same Message-ID (derived from its key), so a
mail server or a reader sees one message twice, never two messages. Temporary and permanent
failures are retried with exponential backoff; after the call's number of tries it is `fallido`
and the monitor hears of it in the next digest.
"""
from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import or_, select, update
from sqlmodel import Session

from notifications.outbox import (
    LEASE,
    addresses,
    change_states,
    declarations,
    deliver,
    misdirected,
    queued_by,
    state,
    unaudited,
    unofficial,
)
from notifications.settings import SmtpSettings, load
from states.plural import cuantos
from states.servicios import INTENTO_FALLIDO, RETIRAR
from workflow.storage import settings
from workflow.storage.identity import is_rehearsal
from workflow.storage.models import Message

MENSAJE = Message.__table__


def stale(session: Session, m, book, now: datetime) -> str | None:
    """Why a message about a deadline no longer holds when its turn comes: the deadline was met or
    annulled meanwhile, or a reminder (its book's, whose text is true only on the day it was written:
    how many days are left, «vence hoy») is past its day or its deadline. Such a message is withdrawn
    with that reason, never sent."""
    from workflow.clock import LIMA
    from workflow.storage.tables import PLAZO

    if m.plazo_id is None or book is None or m.tipo != book.plazos.recordatorio:
        return None
    row = session.execute(select(PLAZO.c.estado, PLAZO.c.vence, PLAZO.c.cerrado_el).where(PLAZO.c.id == m.plazo_id)
                          ).first()
    hoy = now.astimezone(LIMA).date()
    if row is None or row.estado == "anulado":
        return "el plazo se anuló"
    if row.estado in ("cumplido", "cumplido_tarde"):
        return f"el plazo ya se cumplió ({row.cerrado_el.isoformat() if row.cerrado_el else 'fecha no registrada'})"
    if row.vence < hoy:
        return f"el plazo venció el {row.vence.isoformat()}: un recordatorio ya no sirve"
    escrito = m.creado_en.astimezone(LIMA).date()
    if escrito != hoy:
        return f"se escribió el {escrito.isoformat()} y su cuenta de días ya no es cierta el {hoy.isoformat()}"
    return None



def compose(m, remitente: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = remitente
    msg["To"] = ", ".join(m.destinatarios)
    msg["Subject"] = m.asunto
    msg["Message-ID"] = m.message_id
    msg["Date"] = format_datetime(m.creado_en)
    msg.set_content(m.texto)
    msg.add_alternative(m.html, subtype="html")
    adjunto = (m.contexto or {}).get("adjunto")
    if adjunto:
        maintype, subtype = adjunto["tipo"].split("/")
        msg.add_attachment(attachment(m), maintype=maintype, subtype=subtype, filename=adjunto["nombre"])
    return msg


def attachment(m) -> bytes:
    """The file a message carries (the monthly report's PDF), as queued."""
    import base64

    return base64.b64decode((m.contexto or {})["adjunto"]["contenido"])


def _known(session: Session, m) -> set[str]:
    """The addresses a message may go to: the users' and its case's parties' (notifications/outbox.py)."""
    from workflow.storage.tables import CASO, USUARIO

    known = {e for (e,) in session.execute(select(USUARIO.c.email)) if e}
    if m.caso_id is not None:
        known |= addresses(session.execute(select(CASO.c.hechos).where(CASO.c.id == m.caso_id)).scalar() or {})
    return known


def _tls(settings: SmtpSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.ca:
        context.load_verify_locations(settings.ca)
    return context


class _Answer:
    """Keeps the server's answer to DATA, which smtplib's send_message does not return."""

    def data(self, msg):
        self.last_answer = super().data(msg)
        return self.last_answer


class _SMTP(_Answer, smtplib.SMTP):
    pass


class _SMTPS(_Answer, smtplib.SMTP_SSL):
    pass


def connect(settings: SmtpSettings, timeout: float = 20) -> smtplib.SMTP:
    if settings.seguridad == "ssl":
        server = _SMTPS(settings.host, settings.puerto, timeout=timeout, context=_tls(settings))
    else:
        server = _SMTP(settings.host, settings.puerto, timeout=timeout)
        if settings.seguridad == "starttls":
            server.starttls(context=_tls(settings))
    if settings.usuario:
        server.login(settings.usuario, settings.clave or "")
    return server


def retry_policy(session: Session) -> tuple[int, timedelta]:
    """Tries before `fallido` and the first wait: settings of the installation, one for every call."""
    ajustes = settings.read(session.connection())
    return ajustes.intentos_envio, timedelta(minutes=ajustes.espera_reintento_minutos)


def _due(now: datetime):
    return select(MENSAJE).where(or_(
        (MENSAJE.c.estado == "pendiente") & or_(MENSAJE.c.proximo_intento.is_(None), MENSAJE.c.proximo_intento <= now),
        (MENSAJE.c.estado == "enviando") & (MENSAJE.c.proximo_intento <= now)))


def _claim(session: Session, now: datetime, skip: set[int]):
    """The next due message, taken by this sender in a transaction of its own (marked `enviando`
    with a lease), committed before the server is spoken to: no write lock is held while a slow
    server answers, and a message another sender took meanwhile is passed over."""
    while True:
        query = _due(now).where(MENSAJE.c.id.not_in(skip) if skip else True).order_by(MENSAJE.c.id).limit(1)
        m = session.execute(query.with_for_update(skip_locked=True)).first()
        if m is None:
            session.rollback()
            return None
        held = session.execute(update(MENSAJE).where(MENSAJE.c.id == m.id, MENSAJE.c.estado == m.estado,
                                                     MENSAJE.c.intentos == m.intentos)
                               .values(estado="enviando", proximo_intento=now + LEASE))
        if held.rowcount == 1:
            session.commit()
            return m
        session.rollback()
        skip.add(m.id)


class Summary(str):
    """The officer's one-line summary of a delivery, carrying how many messages the server left
    undelivered (refused for now, or not reachable), so a scheduled job can tell by its exit code."""

    sin_entregar: int

    def __new__(cls, text: str, sin_entregar: int = 0) -> "Summary":
        obj = super().__new__(cls, text)
        obj.sin_entregar = sin_entregar
        return obj


def deliver_pending(session: Session, now: datetime, settings: SmtpSettings | None = None,
                    after_send: Callable[[object], None] | None = None) -> Summary:
    """Sends what is due; returns a one-line summary for the officer. With no SMTP settings the
    messages wait by design: nothing is undelivered."""
    settings = settings or load()
    waiting = len(session.execute(_due(now)).all())
    session.rollback()
    if settings is None:
        return Summary(f"Envío de correos desactivado (no hay configuración SMTP): {cuantos(waiting, 'mensaje')} "
                       "esperan en la bandeja de salida.")
    if not waiting:
        return Summary("Correos: nada por enviar.")
    if not ((settings.usuario or "") + (settings.clave or "")).isascii():  # SMTP AUTH carries ASCII only
        return Summary(f"La configuración SMTP no sirve: el usuario o la clave (CONVOCA_SMTP_USUARIO, "
                       f"CONVOCA_SMTP_CLAVE) tiene caracteres fuera de ASCII, que el servidor no puede recibir: "
                       f"{cuantos(waiting, 'mensaje sigue pendiente', 'mensajes siguen pendientes')}.", waiting)
    try:
        server = connect(settings)
    except (OSError, smtplib.SMTPException) as exc:
        return Summary(f"Servidor SMTP no disponible ({exc.__class__.__name__}: {exc}): {cuantos(waiting, 'mensaje')} "
                       "siguen pendientes.", waiting)
    tries, backoff = retry_policy(session)
    ensayo = is_rehearsal(session.connection())
    session.rollback()
    hoy = now.date()
    sent = failed = retry = withdrawn = 0
    tried: set[int] = set()
    m = None
    try:
        while (m := _claim(session, now, tried)) is not None:
            tried.add(m.id)
            book = declarations(session.connection(), {m.caso_id})[m.caso_id]
            motivo = stale(session, m, book, now)
            if forged := unaudited(m, queued_by(session.connection(), m)) or unofficial(m, book, ensayo) \
                    or misdirected(m, _known(session, m)):
                motivo = f"no coincide con la auditoría ({forged})"
            if motivo:
                change_states(session.connection(), RETIRAR, [state(
                    m, estado="retirado", advertencia=f"retirado sin enviar: {motivo}", proximo_intento=None)],
                    hoy, motivo=motivo)
                session.commit()
                withdrawn += 1
                continue
            try:
                refused = server.send_message(compose(m, settings.remitente))
                code, answer = server.last_answer
                if after_send:
                    after_send(m)
                note = f"{code} {answer.decode(errors='replace')}" + (f"; rechazados: {', '.join(sorted(refused))}" if refused else "")
                deliver(session.connection(), m, now, note)
                sent += 1
            except smtplib.SMTPServerDisconnected:
                raise
            except smtplib.SMTPException as exc:
                code = getattr(exc, "smtp_code", None)
                text = getattr(exc, "smtp_error", b"")
                answer = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}" \
                    if code else f"{exc.__class__.__name__}: {exc}"
                intentos = m.intentos + 1
                final = intentos >= tries
                change_states(session.connection(), INTENTO_FALLIDO, [state(
                    m, estado="fallido" if final else "pendiente", intentos=intentos,
                    proximo_intento=None if final else now + backoff * 2 ** (intentos - 1))], hoy, respuesta=answer)
                session.execute(update(MENSAJE).where(MENSAJE.c.id == m.id).values(respuesta=answer))
                failed += final
                retry += not final
                server.rset()
            session.commit()
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        session.rollback()
        if m is not None:  # the one taken when the connection dropped goes back to the queue at once
            session.execute(update(MENSAJE).where(MENSAJE.c.id == m.id, MENSAJE.c.estado == "enviando")
                            .values(estado="pendiente", proximo_intento=None))
            session.commit()
        return Summary(f"Se perdió la conexión SMTP ({exc}): {cuantos(sent, 'enviado')}; el resto sigue pendiente.",
                       waiting - sent)
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            pass
    retirados = f", {cuantos(withdrawn, 'retirado')} sin enviar por desactualizados" if withdrawn else ""
    return Summary(f"Correos: {cuantos(sent, 'enviado')}, {retry} por reintentar, {cuantos(failed, 'fallido')}{retirados}.",
                   retry + failed)
