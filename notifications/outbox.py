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
from states.mensajes import CARTAS, MONITOR
from states.servicios import BANDEJA, ENCOLAR, ENTREGAR
from workflow.storage.models import Message

MENSAJE = Message.__table__
"""The outbox's own rows in the log: messages queued, one message delivered; written as `bandeja`."""
ENSAYO = "ENSAYO: mensaje de una base de datos de ensayo (capacitación, demostración o pruebas); no es oficial."


def _marked_html(html: str) -> str:
    """The rehearsal notice as the first thing inside the body."""
    at = html.find(">", html.find("<body")) + 1 if "<body" in html else 0
    return f"{html[:at]}<p><strong>{ENSAYO}</strong></p>{html[at:]}"


def fingerprint(asunto: str, texto: str, html: str) -> str:
    """What the audit row that queues a message records of its text: a SHA-256 over the SHA-256 of
    each part (the same as the PostgreSQL guard's `convoca_huella`, migration 0011)."""
    parts = "".join(hashlib.sha256(p.encode()).hexdigest() for p in (asunto, texto, html))
    return hashlib.sha256(parts.encode()).hexdigest()


POR_FILA = 100
"""Messages one audit row queues. On PostgreSQL each message's guard reads its audit row's list
(migration 0011): a row of 500 made that read most of a publication's time, one of 100 a fifth."""


def audit_queued(conn: Connection, rows: list[dict[str, Any]], now: datetime) -> None:
    """One audit row for the messages queued in this transaction: each one's key, recipients and
    fingerprint, so that `auditoria verificar` rebuilds the outbox and `correos enviar` sends only
    what the log queued. The rows take its id."""
    from workflow.storage import audit

    [auditoria_id] = audit.append(conn, [audit.Entry(
        "bandeja", ENCOLAR, BANDEJA, now.date(), rol=audit.SISTEMA, datos={"mensajes": [
            {"clave": r["clave"], "destinatarios": r["destinatarios"],
             "sha256": fingerprint(r["asunto"], r["texto"], r["html"])} for r in rows]})])
    for r in rows:
        r["auditoria_id"] = auditoria_id


def unaudited(m: Any, datos: dict[str, Any] | None) -> str | None:
    """Why a message is not the one its audit row queued (`datos` of that row, None when there is
    none): a row written around convoca is never sent and `verificar` names it."""
    if datos is None:
        return "ninguna fila de auditoría lo encoló"
    stated = next((x for x in datos.get("mensajes", []) if x["clave"] == m.clave), None)
    if stated is None:
        return f"su fila de auditoría {m.auditoria_id} no lo encoló"
    if list(stated["destinatarios"]) != list(m.destinatarios):
        return f"destinatarios {', '.join(m.destinatarios)}; encolado para {', '.join(stated['destinatarios'])}"
    if stated["sha256"] != fingerprint(m.asunto, m.texto, m.html):
        return "su asunto o su texto no es el que se encoló"
    return None


def queued_by(conn: Connection, m: Any) -> dict[str, Any] | None:
    """The `datos` of the accepted audit row that queued the message, if there is one."""
    from workflow.storage.tables import AUDITORIA

    if m.auditoria_id is None:
        return None
    return conn.execute(select(AUDITORIA.c.datos).where(AUDITORIA.c.id == m.auditoria_id,
                                                        AUDITORIA.c.evento == ENCOLAR,
                                                        AUDITORIA.c.aceptado.is_(True))).scalar()


def audit_delivery(conn: Connection, m: Any, now: datetime, respuesta: str) -> None:
    """The delivery of a message as an audited fact, in the transaction that marks it sent."""
    from workflow.storage import audit

    audit.append(conn, [audit.Entry(f"mensaje:{m.id}", ENTREGAR, BANDEJA, now.date(), rol=audit.SISTEMA, datos={
        "mensaje": {"clave": m.clave, "message_id": m.message_id, "enviado_en": now.isoformat(),
                    "respuesta": respuesta}})])


def message_id(clave: str) -> str:
    return f"<{hashlib.sha256(clave.encode()).hexdigest()[:32]}@convoca.fondecyt.invalid>"


def domicile(hechos: dict[str, Any]) -> str | None:
    """The domicile of the communications (states/mensajes.py FUENTE_DOMICILIO): the contract's, or the
    one the entity gave in writing since."""
    return (hechos.get("domicilio") or {}).get("direccion") or (hechos.get("contrato") or {}).get("domicilio")


def case_context(codigo: str, hechos: dict[str, Any]) -> dict[str, Any]:
    from states.rules import money

    desembolsado = (hechos.get("ejecucion") or {}).get("monto_desembolsado")
    return {"codigo": codigo, "titulo": (hechos.get("postulacion") or {}).get("titulo", ""),
            "entidad": (hechos.get("entidad") or {}).get("razon_social", ""),
            "coordinador": (hechos.get("coordinador") or {}).get("nombre", ""),
            "representante": (hechos.get("representante") or {}).get("nombre", ""),
            "domicilio": domicile(hechos) or "", "desembolsado": money(desembolsado) if desembolsado else ""}


def json_safe(value: Any) -> Any:
    """What a letter's templates were given, as JSON keeps it (dates as ISO text)."""
    import json

    return json.loads(json.dumps(value, default=str))


def recipients(hechos: dict[str, Any], roles: tuple[str, ...], monitor_email: str | None) -> tuple[list[str], list[str]]:
    """(addresses, missing roles) for the roles a message goes to."""
    found, missing = [], []
    for role in roles:
        email = monitor_email if role == MONITOR else (hechos.get(role) or {}).get("email")
        (found if email else missing).append(email or role)
    return list(dict.fromkeys(found)), missing


def queue(conn: Connection, *, clave: str, tipo: str, contexto: dict[str, Any], destinatarios: list[str],
          faltan: list[str], now: datetime, caso_id: int | None = None, codigo: str | None = None,
          plazo_id: int | None = None) -> bool:
    """Renders and inserts the message unless its key is already there; True when queued."""
    return queue_many(conn, [{"clave": clave, "tipo": tipo, "contexto": contexto, "destinatarios": destinatarios,
                              "faltan": faltan, "caso_id": caso_id, "codigo": codigo, "plazo_id": plazo_id}], now) == 1


def queue_many(conn: Connection, items: list[dict[str, Any]], now: datetime) -> int:
    """Queues a batch (a whole publication's results) with one lookup, one audit row and one insert
    per `POR_FILA` messages. The insert itself ignores a duplicate key, so two schedulers racing on
    the same key queue it once."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from workflow.storage.identity import is_rehearsal

    if not items:
        return 0
    dialect_insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}.get(conn.dialect.name)
    ensayo = is_rehearsal(conn)
    queued = 0
    for i in range(0, len(items), POR_FILA):
        chunk = items[i:i + POR_FILA]
        known = set(conn.execute(select(MENSAJE.c.clave).where(MENSAJE.c.clave.in_([m["clave"] for m in chunk])))
                    .scalars())
        rows = []
        for m in chunk:
            if m["clave"] in known:
                continue
            known.add(m["clave"])
            asunto, texto, html = render(m["tipo"], m["contexto"])
            if ensayo:  # nobody may take a rehearsal's message for an official one
                asunto, texto, html = f"[ENSAYO] {asunto}", f"{ENSAYO}\n\n{texto}", _marked_html(html)
            rows.append({"clave": m["clave"], "caso_id": m.get("caso_id"), "codigo": m.get("codigo"), "tipo": m["tipo"],
                         "plazo_id": m.get("plazo_id"), "destinatarios": m["destinatarios"], "asunto": asunto,
                         "texto": texto, "html": html,
                         "estado": "pendiente" if m["destinatarios"] else "sin_destinatario",
                         "advertencia": f"sin correo para: {', '.join(m['faltan'])}" if m["faltan"] else None,
                         "intentos": 0, "message_id": message_id(m["clave"]), "creado_en": now,
                         "contexto": json_safe(m["contexto"]) if m["tipo"] in CARTAS or "adjunto" in m["contexto"]
                         else None})
        if not rows:
            continue
        audit_queued(conn, rows, now)
        stmt = (dialect_insert or insert)(MENSAJE)
        if dialect_insert:
            stmt = stmt.on_conflict_do_nothing(index_elements=["clave"])
        if len(rows) == 1:
            queued += conn.execute(stmt.values(rows[0]).returning(MENSAJE.c.id)).first() is not None
        else:
            conn.execute(stmt, rows)
            queued += len(rows)
    return queued


def withdraw(conn: Connection, where, motivo: str) -> int:
    """Messages not sent yet that no longer hold: kept, marked `retirado` with the reason."""
    from sqlalchemy import update

    return conn.execute(update(MENSAJE).where(where, MENSAJE.c.estado.in_(("pendiente", "sin_destinatario")))
                        .values(estado="retirado", advertencia=f"retirado: {motivo}")).rowcount


def rectify_sent(conn: Connection, where, motivo: str, now: datetime, base: dict[str, Any]) -> int:
    """A rectification notice (`rectificacion`) to the recipients of each message already sent that
    the change makes wrong, once per message and reason. `base`: the call and the case, as every
    message of the case names them."""
    sent = conn.execute(select(MENSAJE).where(where, MENSAJE.c.estado == "enviado")).all()
    return queue_many(conn, [{
        "clave": f"{m.clave}:rectificacion:{hashlib.sha256(motivo.encode()).hexdigest()[:8]}", "tipo": "rectificacion",
        "contexto": {**base, "codigo": m.codigo, "asunto_original": m.asunto, "enviado_en": m.enviado_en, "motivo": motivo},
        "destinatarios": list(m.destinatarios), "faltan": [], "caso_id": m.caso_id, "codigo": m.codigo,
        "plazo_id": m.plazo_id} for m in sent], now)


def retry_failed(session, id_: int) -> None:
    """A failed message goes back to the queue, with its tries counted afresh."""
    from sqlalchemy import update

    from workflow.errors import NotFound

    done = session.execute(update(MENSAJE).where(MENSAJE.c.id == id_, MENSAJE.c.estado == "fallido")
                           .values(estado="pendiente", intentos=0, proximo_intento=None))
    if done.rowcount != 1:
        session.rollback()
        raise NotFound(f"No hay un mensaje fallido con número {id_} (vea `convoca correos --estado fallido`).")
    session.commit()
