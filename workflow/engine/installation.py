"""Changing a setting of the installation: an admin's audited act, like a change of the rules.

The log row carries the value before and after, so `auditoria verificar` rebuilds the table
`ajuste` from the log alone (`rebuilt`) and names any value changed around convoca.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from states.actos import ACTO
from workflow.engine.acting import authorised, record
from workflow.storage import settings
from workflow.storage.tables import AJUSTE, AUDITORIA

if TYPE_CHECKING:
    from sqlmodel import Session

FIJAR = ACTO["fijar_ajuste"]


def set_setting(session: Session, clave: str, valor: str, claimed: str | None, today: date) -> tuple[Any, Any]:
    """Validates and stores the new value with its audit row, in one transaction: (before, after)."""
    nuevo = settings.validated(clave, valor)
    by = authorised(session, claimed, FIJAR, f"ajuste:{clave}", today)
    antes = getattr(settings.read(session.connection()), clave)
    conn = session.connection()
    if nuevo == getattr(settings.DEFAULTS, clave):
        conn.execute(delete(AJUSTE).where(AJUSTE.c.clave == clave))
    elif conn.execute(select(AJUSTE.c.clave).where(AJUSTE.c.clave == clave)).first():
        conn.execute(update(AJUSTE).where(AJUSTE.c.clave == clave).values(valor=nuevo))
    else:
        conn.execute(insert(AJUSTE).values(clave=clave, valor=nuevo))
    record(session, FIJAR.nombre, f"ajuste:{clave}", by, today, {"ajuste": {"clave": clave, "antes": antes,
                                                                            "despues": nuevo}})
    session.commit()
    return antes, nuevo


def listing(session) -> list[dict[str, Any]]:
    """Each setting with its value, its default and what it is for."""
    now = settings.read(session)
    return [{"clave": k, "valor": getattr(now, k), "por_defecto": getattr(settings.DEFAULTS, k),
             "descripcion": f.description} for k, f in settings.Settings.model_fields.items()]


def altered_settings(session) -> list[str]:
    """Values of `ajuste` that the log's `fijar_ajuste` rows do not give (a write around convoca)."""
    rebuilt: dict[str, Any] = {}
    rows = session.execute(select(AUDITORIA.c.datos).where(AUDITORIA.c.evento == FIJAR.nombre,
                                                           AUDITORIA.c.aceptado.is_(True)).order_by(AUDITORIA.c.id))
    for (datos,) in rows:
        cambio = datos["ajuste"]
        rebuilt[cambio["clave"]] = cambio["despues"]
    rebuilt = {k: v for k, v in rebuilt.items() if v != getattr(settings.DEFAULTS, k, None)}
    stored = {k: v for k, v in session.execute(select(AJUSTE.c.clave, AJUSTE.c.valor))}
    return [f"AJUSTE ALTERADO {k}: guardado {stored.get(k, '(por defecto)')}, según la auditoría "
            f"{rebuilt.get(k, '(por defecto)')}" for k in sorted(stored.keys() | rebuilt.keys())
            if stored.get(k) != rebuilt.get(k)]
