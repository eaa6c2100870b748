"""The monthly seal of the log, e-mailed to the auditors: a head of the chain kept outside the
database, in their own mailboxes, that a later copy or rewrite cannot contain unless it is whole.

Keyed by month and auditor, so the service queues it on its first daily pass of a month and never
twice (a restart or a repeated pass adds none)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from notifications.outbox import queue
from states.lifecycle import AUDITOR
from workflow.clock import LIMA
from workflow.storage import audit
from workflow.storage.models import User


def queue_seals(session: Session, instant: datetime) -> int:
    """This month's seal for every active auditor; returns how many were queued."""
    conn = session.connection()
    auditores = session.execute(select(User).where(User.rol == AUDITOR, User.activo.is_(True))
                                .order_by(User.nombre)).scalars().all()
    mes = instant.astimezone(LIMA).strftime("%Y-%m")
    queued = 0
    for u in auditores:
        seal = audit.seal(conn, instant)  # read again after each message's own audit row: the latest head
        contexto = {"filas": seal.filas, "hash": seal.hash, "instante": seal.instante, "linea": seal.line()}
        queued += queue(conn, clave=f"sello:{mes}:{u.nombre}", tipo="sello", contexto=contexto,
                        destinatarios=[u.email] if u.email else [], faltan=[] if u.email else [f"auditor {u.nombre}"],
                        now=instant)
    session.commit()
    return queued
