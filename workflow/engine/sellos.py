"""The monthly seal of the log, e-mailed to the auditors: a head of the chain kept outside the
database, in their own mailboxes, that a later copy or rewrite cannot contain unless it is whole.
With the installation's signing key it is also a signed checkpoint, with the consistency proof from
the previous month's: what a witness checks before it cosigns (workflow/engine/checkpoints.py).

Keyed by month and auditor, so the service queues it on its first daily pass of a month and never
twice (a restart or a repeated pass adds none)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from notifications.outbox import queue
from states.mensajes import SELLO
from states.roles import AUDITOR
from workflow.clock import LIMA
from workflow.engine import checkpoints
from workflow.errors import ConvocaError
from workflow.storage import audit
from workflow.storage.models import Message, User


def _signing_key() -> checkpoints.SigningKey | None:
    """The installation's key, when it has one that loads; the plain seal goes out regardless."""
    path = checkpoints.default_path()
    try:
        return checkpoints.load(path) if path.exists() else None
    except ConvocaError:
        return None


def _last_sealed(session: Session, auditor: str) -> int | None:
    """The size of the log this auditor's previous seal stated: the row before the one that queued it
    (the seal is read, then its own audit row appended)."""
    row = session.execute(select(Message.auditoria_id).where(Message.tipo == SELLO,
                                                            Message.clave.like(f"sello:%:{auditor}"))
                          .order_by(Message.id.desc()).limit(1)).scalar()
    return row - 1 if row else None


def _signed(conn, key: checkpoints.SigningKey, size: int, previous: int | None) -> dict:
    import json

    context = {"punto_control": checkpoints.sign(conn, key, size).text()}
    if previous and 0 < previous < size:
        proof = checkpoints.consistency_proof(conn, previous, size, None)
        context |= {"desde": previous, "prueba": json.dumps(proof, ensure_ascii=False)}
    return context


def queue_seals(session: Session, instant: datetime) -> int:
    """This month's seal for every active auditor; returns how many were queued."""
    conn = session.connection()
    auditores = session.execute(select(User).where(User.rol == AUDITOR, User.activo.is_(True))
                                .order_by(User.nombre)).scalars().all()
    mes = instant.astimezone(LIMA).strftime("%Y-%m")
    key = _signing_key() if auditores else None
    queued = 0
    for u in auditores:
        seal = audit.seal(conn, instant)  # read again after each message's own audit row: the latest head
        contexto = {"filas": seal.filas, "hash": seal.hash, "instante": seal.instante, "linea": seal.line(),
                    "punto_control": "", "prueba": "", "desde": 0}
        if key:
            contexto |= _signed(conn, key, seal.filas, _last_sealed(session, u.nombre))
        queued += queue(conn, clave=f"{SELLO}:{mes}:{u.nombre}", tipo=SELLO, contexto=contexto,
                        destinatarios=[u.email] if u.email else [], faltan=[] if u.email else [f"auditor {u.nombre}"],
                        now=instant)
    session.commit()
    return queued
