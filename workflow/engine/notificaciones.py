"""The notifications of the cases as an officer follows them: each with its evidence (channel,
addressee, Message-ID, content hash, instant sent) and its effect, or what is still owed.

Their life is the case's (states/notificaciones.py): this only reads it beside the outbox row that
carried it, and says, for one still owed, the command that records its acknowledgment or delivery.
"""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from notifications.events import outbox_key
from notifications.outbox import MENSAJE
from states.books import book_of
from workflow.clock import LIMA
from workflow.engine.calls import Calls
from workflow.storage.tables import CASO


def notifications(conn: Connection, codigo: str | None = None, pendientes: bool = False) -> list[dict[str, Any]]:
    query = select(CASO.c.id, CASO.c.codigo, CASO.c.hechos, CASO.c.convocatoria).order_by(CASO.c.codigo)
    if codigo:
        query = query.where(CASO.c.codigo == codigo)
    calls = Calls(conn)
    cases = [(r.id, r.codigo, r.hechos, book_of(calls.call(r.convocatoria))) for r in conn.execute(query)
             if (r.hechos or {}).get("notificaciones")]
    keys = {outbox_key(c, n["tipo"], n.get("hito"), date.fromisoformat(n["enviada"]), b.redaccion.repetidas): (c, k)
            for _, c, h, b in cases for k, n in h["notificaciones"].items()}
    mensajes = {}
    for i in range(0, len(keys), 500):
        chunk = list(keys)[i:i + 500]
        for m in conn.execute(select(MENSAJE).where(MENSAJE.c.clave.in_(chunk))):
            mensajes[keys[m.clave]] = m
    out = []
    for _, c, hechos, book in cases:
        for k, n in sorted(hechos["notificaciones"].items(), key=lambda kv: (kv[1]["enviada"], kv[0])):
            if pendientes and n.get("efectiva"):
                continue
            m = mensajes.get((c, k))
            quien = hechos.get(n["para"]) or {}
            out.append({
                "codigo": c, "notificacion": k, "tipo": n["tipo"], "hito": n.get("hito"), "para": n["para"],
                "nombre": quien.get("nombre") or "", "correo": quien.get("email") or "",
                "correo_autorizado": bool(n.get("correo_autorizado")), "enviada": n["enviada"],
                "mensaje": m.id if m else None, "envio": m.estado if m else "",
                "enviado_en": m.enviado_en.astimezone(LIMA).isoformat(timespec="minutes") if m and m.enviado_en else "",
                "message_id": m.message_id if m else "",
                "sha256": hashlib.sha256(m.texto.encode()).hexdigest() if m else "",
                "efectiva": n.get("efectiva") or "", "medio": n.get("medio") or "", "evidencia": n.get("evidencia") or "",
                "registrar": "" if n.get("efectiva") else record_command(c, n, book.plazos.notificar),
            })
    return out


def record_command(codigo: str, n: dict[str, Any], evento: str) -> str:
    """What records a notification's effect (`evento`, the book's): its acknowledgment by e-mail only
    when authorised."""
    medio = "correo|domicilio" if n.get("correo_autorizado") else "domicilio"
    hito = f" --dato hito={n['hito']}" if n.get("hito") else ""
    return (f"convoca avanzar {codigo} {evento} --fecha AAAA-MM-DD --dato notificacion={n['tipo']}"
            f"{hito} --dato medio={medio} --dato evidencia=…")
