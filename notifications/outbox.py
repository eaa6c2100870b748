"""Queuing a message in the outbox, inside the caller's transaction.

The key (case, deadline, kind, offset) is unique, so a repeated pass cannot queue a message twice;
the Message-ID is derived from the key, so a message re-sent after a crash is recognisably the
same one. A recipient without an e-mail is recorded as a warning on the message, not an error.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from notifications.render import render
from workflow.models import Message

MENSAJE = Message.__table__


def message_id(clave: str) -> str:
    return f"<{hashlib.sha256(clave.encode()).hexdigest()[:32]}@convoca.fondecyt.invalid>"


def case_context(codigo: str, hechos: dict[str, Any]) -> dict[str, Any]:
    return {"codigo": codigo, "titulo": (hechos.get("postulacion") or {}).get("titulo", ""),
            "entidad": (hechos.get("entidad") or {}).get("razon_social", ""),
            "coordinador": (hechos.get("coordinador") or {}).get("nombre", ""),
            "representante": (hechos.get("representante") or {}).get("nombre", "")}


def recipients(hechos: dict[str, Any], roles: tuple[str, ...], monitor_email: str | None) -> tuple[list[str], list[str]]:
    """(addresses, missing roles) for the roles a message goes to."""
    found, missing = [], []
    for role in roles:
        email = monitor_email if role == "monitor" else (hechos.get(role) or {}).get("email")
        (found if email else missing).append(email or role)
    return list(dict.fromkeys(found)), missing


def queue(conn: Connection, *, clave: str, tipo: str, contexto: dict[str, Any], destinatarios: list[str],
          faltan: list[str], now: datetime, caso_id: int | None = None, codigo: str | None = None,
          plazo_id: int | None = None) -> bool:
    """Renders and inserts the message unless its key is already there; True when queued. The
    insert itself ignores a duplicate key, so two schedulers racing on the same key queue it once."""
    if conn.execute(select(MENSAJE.c.id).where(MENSAJE.c.clave == clave)).first():
        return False
    asunto, texto, html = render(tipo, contexto)
    advertencia = f"sin correo para: {', '.join(faltan)}" if faltan else None
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    dialect_insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}.get(conn.dialect.name)
    stmt = (dialect_insert or insert)(MENSAJE).values(
        clave=clave, caso_id=caso_id, codigo=codigo, tipo=tipo, plazo_id=plazo_id, destinatarios=destinatarios,
        asunto=asunto, texto=texto, html=html, estado="pendiente" if destinatarios else "sin_destinatario",
        advertencia=advertencia, intentos=0, message_id=message_id(clave), creado_en=now)
    if dialect_insert:
        stmt = stmt.on_conflict_do_nothing(index_elements=["clave"])
    return conn.execute(stmt.returning(MENSAJE.c.id)).first() is not None
