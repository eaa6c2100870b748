"""The monitor's daily digest: their cases' overdue deadlines, those of the next days (the call's
`servicio.dias_resumen`), and the e-mails that could not be delivered."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from notifications.outbox import queue
from states.actos import ASIGNADO
from states.mensajes import RESUMEN
from workflow.engine.agenda import agenda
from workflow.engine.calls import all_calls, local_date
from workflow.storage import settings
from workflow.storage.models import CaseRecord, Message, User


def digest_context(session: Session, monitor: str, today, convocatoria: str | None = None) -> dict | None:
    """What a monitor's digest says today (None for a monitor with no cases), of every call or of
    one: the one context the daily e-mail and `correos resumen` render."""
    horizonte = timedelta(days=settings.read(session.connection()).dias_resumen)
    mine = select(CaseRecord.codigo, CaseRecord.convocatoria).where(CaseRecord.monitor == monitor)
    if convocatoria:
        mine = mine.where(CaseRecord.convocatoria == convocatoria)
    casos = dict(session.execute(mine).all())
    codigos = set(casos)
    if not codigos:
        return None
    rows = [r for r in agenda(session, today, hasta=today + horizonte) if r["codigo"] in codigos]
    fallidos = [{"codigo": m.codigo, "asunto": m.asunto, "destinatarios": m.destinatarios, "respuesta": m.respuesta}
                for m in session.execute(select(Message).where(Message.estado == "fallido",
                                                               Message.codigo.in_(codigos))).scalars()]
    varias = len(set(casos.values())) > 1  # the monitor follows cases of several calls: each line says its
    return {"monitor": monitor, "hoy": today, "dias": horizonte.days, "varias": varias,
            "vencidos": [r for r in rows if r["estado"] == "vencido"],
            "proximos": [r for r in rows if r["estado"] == "pendiente"], "fallidos": fallidos}


def queue_digests(session: Session, instant: datetime) -> int:
    """One digest per active monitor with cases, keyed by day: a second run the same day adds none.
    The day is the earliest of the loaded calls' time zones: no call's digest speaks of a day that has
    not begun where that call counts."""
    calls = all_calls(session.connection())
    today = min((local_date(c, instant) for c in calls), default=instant.date())
    usuarios = session.execute(select(User).where(User.rol == ASIGNADO, User.activo.is_(True))).scalars().all()
    queued = 0
    conn = session.connection()
    for u in usuarios:
        contexto = digest_context(session, u.nombre, today)
        if contexto is None:
            continue
        queued += queue(conn, clave=f"{RESUMEN}:{u.nombre}:{today.isoformat()}", tipo=RESUMEN, contexto=contexto,
                        destinatarios=[u.email] if u.email else [], faltan=[] if u.email else [f"monitor {u.nombre}"],
                        now=instant)
    session.commit()
    return queued
