"""The monthly portfolio report, e-mailed by the service to the Dirección and the auditors.

On the day of the month the installation sets (`dia_informe`; 0: never), the report of each call as
of the last day of the previous month goes, as a PDF, through the outbox like every message. The
PDF travels inside the queued message with its SHA-256, which the body states, so the body hash the
audit row keeps covers the attachment too: a swapped file is withdrawn at delivery, not sent. Keyed
by call, month and addressee, so a restart or a repeated pass queues nothing twice.
"""
from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from notifications.outbox import queue
from states.books import book_of
from states.mensajes import CARTERA
from states.roles import AUDITOR, DIRECCION
from workflow.engine.calls import all_calls, local_date
from workflow.engine.cartera import portfolio
from workflow.storage import settings
from workflow.storage.identity import is_rehearsal
from workflow.storage.models import Message, User


def queue_reports(session: Session, instant: datetime) -> int:
    """This month's report of every call launched by the end of last month, for every active user of
    the Dirección or auditor, on the day the settings name as it is in the call's time zone; returns
    how many messages were queued."""
    conn = session.connection()
    dia = settings.read(conn).dia_informe
    if not dia:
        session.rollback()
        return 0
    lectores = session.execute(select(User).where(User.rol.in_((DIRECCION, AUDITOR)), User.activo.is_(True))
                               .order_by(User.nombre)).scalars().all()
    ensayo, queued = is_rehearsal(conn), 0
    for call in all_calls(conn):
        hoy = local_date(call, instant)
        al = hoy.replace(day=1) - timedelta(days=1)
        if hoy.day != dia or al < call.convocatoria.lanzamiento:
            continue  # not its day in the call's time zone, or the call had not begun last month
        mes = al.strftime("%Y-%m")
        claves = {u.nombre: f"cartera:{call.codigo}:{mes}:{u.nombre}" for u in lectores}
        hechas = set(session.execute(select(Message.clave).where(Message.clave.in_(list(claves.values())))).scalars())
        if not set(claves.values()) - hechas:
            continue  # already queued this month: the PDF is not drawn again
        from workflow.files.informe import pdf

        r = portfolio(conn, call, al, None, instant).as_dict()
        data, money = pdf(r, ensayo), book_of(call).jurisdiccion.dinero
        contexto = {
            "convocatoria": {"codigo": call.codigo, "nombre": r["titulo"]}, "al": al.isoformat(), "casos": r["casos"],
            "desembolsado": money(r["dinero"]["desembolsado"]), "ejecutado": money(r["dinero"]["ejecutado"]),
            "incumplidos": sum(t["incumplido"] for t in r["plazos_tipo"]), "escalamiento": len(r["escalamiento"]),
            "adjunto": {"nombre": f"cartera-{call.codigo}-{mes}.pdf", "sha256": hashlib.sha256(data).hexdigest(),
                        "tipo": "application/pdf", "contenido": base64.b64encode(data).decode("ascii")}}
        for u in lectores:
            if claves[u.nombre] in hechas:
                continue
            queued += queue(conn, clave=claves[u.nombre], tipo=CARTERA, contexto=contexto,
                            destinatarios=[u.email] if u.email else [],
                            faltan=[] if u.email else [f"{u.rol} {u.nombre}"], now=instant)
    session.commit()
    return queued
