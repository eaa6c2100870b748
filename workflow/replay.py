"""A case as it stood at the end of a date, rebuilt from its audit rows alone.

The state is the last accepted row's target; the facts are the rows' patches merged in order;
the deadlines are the ledger changes each row recorded. If this ever disagreed with the stored
case, something would have written around the log: the tests replay every case of the demo.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from states.context import merge
from workflow.cases import load_cases
from workflow.models import AuditRecord

OPEN = ("pendiente", "vencido")


def _apply(plazos: dict[int, dict[str, Any]], op: dict[str, Any]) -> None:
    accion, pid = op["accion"], op.get("id")
    if accion == "abrir":
        plazos[pid] = {"id": pid, "tipo": op["tipo"], "hito": op["hito"], "vence": op["vence"],
                       "estado": "pendiente", "escalamiento": 0}
    elif pid in plazos:
        row = plazos[pid]
        if accion == "cerrar":
            row["estado"] = op["estado"]
        elif accion == "mover":
            row["vence"] = op["vence"]
        elif accion == "anular":
            row["estado"] = "anulado"
        elif accion == "plazo_vencido":
            row["estado"] = "vencido"
        elif "escalamiento" in op:
            row["escalamiento"] = op["escalamiento"]


def replay(session: Session, codigo: str, al: date | None = None) -> dict[str, Any]:
    load_cases(session, [codigo])
    query = (select(AuditRecord).where(AuditRecord.codigo == codigo, AuditRecord.aceptado.is_(True))
             .order_by(AuditRecord.id))
    if al is not None:
        query = query.where(AuditRecord.fecha_efectiva <= al)
    estado, hechos, plazos, eventos = None, {}, {}, 0
    for row in session.execute(query).scalars():
        estado = row.estado_destino
        hechos = merge(hechos, row.datos)
        for op in row.plazos:
            _apply(plazos, op)
        eventos += 1
    return {"codigo": codigo, "al": al.isoformat() if al else None, "estado": estado, "hechos": hechos,
            "eventos": eventos,
            "plazos": sorted((p for p in plazos.values() if p["estado"] in OPEN), key=lambda p: (p["vence"], p["id"]))}
