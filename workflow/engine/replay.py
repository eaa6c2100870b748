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
from workflow.engine.cases import load_cases
from workflow.storage.models import AuditRecord, CaseRecord, Deadline

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
    estado, hechos, plazos, eventos, desde = None, {}, {}, 0, None
    for row in session.execute(query).scalars():
        desde = desde or row.fecha_efectiva
        estado = row.estado_destino
        hechos = merge(hechos, row.datos)
        for op in row.plazos:
            _apply(plazos, op)
        eventos += 1
    if estado is None:
        first = session.execute(select(AuditRecord.fecha_efectiva).where(
            AuditRecord.codigo == codigo, AuditRecord.aceptado.is_(True)).order_by(AuditRecord.id).limit(1)).scalar()
        desde = first
    return {"codigo": codigo, "al": al.isoformat() if al else None, "estado": estado,
            "desde": desde.isoformat() if desde else None, "hechos": hechos,
            "eventos": eventos,
            "plazos": sorted((p for p in plazos.values() if p["estado"] in OPEN), key=lambda p: (p["vence"], p["id"]))}


def _shown(deadlines: list[tuple[int, str, str, str]]) -> str:
    return ", ".join(f"{tipo} {estado} al {vence}" for _, tipo, estado, vence in deadlines) or "ninguno"


def altered_cases(session: Session) -> list[str]:
    """Every case whose stored state, facts or open deadlines differ from what its log rebuilds:
    a write made under the log, around convoca (an UPDATE in the database, say)."""
    a = AuditRecord.__table__
    rebuilt: dict[int, dict[str, Any]] = {}
    rows = session.execute(select(a.c.caso_id, a.c.estado_destino, a.c.datos, a.c.plazos)
                           .where(a.c.aceptado.is_(True), a.c.caso_id.is_not(None)).order_by(a.c.id))
    for caso_id, estado, datos, ops in rows:
        case = rebuilt.setdefault(caso_id, {"estado": None, "hechos": {}, "plazos": {}})
        case["estado"] = estado
        case["hechos"] = merge(case["hechos"], datos)
        for op in ops:
            _apply(case["plazos"], op)
    p = Deadline.__table__
    stored_open: dict[int, list[tuple[int, str, str, str]]] = {}
    for r in session.execute(select(p.c.caso_id, p.c.id, p.c.tipo, p.c.estado, p.c.vence)
                             .where(p.c.estado.in_(OPEN)).order_by(p.c.id)):
        stored_open.setdefault(r.caso_id, []).append((r.id, r.tipo, r.estado, r.vence.isoformat()))
    out = []
    c = CaseRecord.__table__
    for case in session.execute(select(c.c.id, c.c.codigo, c.c.estado, c.c.hechos).order_by(c.c.codigo)):
        log = rebuilt.get(case.id, {"estado": None, "hechos": {}, "plazos": {}})
        problems = []
        if case.estado != log["estado"]:
            problems.append(f"guardado {case.estado}, según la auditoría {log['estado'] or 'no existe'}")
        if case.hechos != log["hechos"]:
            keys = sorted(k for k in case.hechos.keys() | log["hechos"].keys()
                          if case.hechos.get(k) != log["hechos"].get(k))
            problems.append(f"hechos distintos de los de la auditoría en: {', '.join(keys)}")
        replayed = sorted((d["id"], d["tipo"], d["estado"], d["vence"]) for d in log["plazos"].values()
                          if d["estado"] in OPEN)
        if stored_open.get(case.id, []) != replayed:
            problems.append(f"plazos abiertos guardados: {_shown(stored_open.get(case.id, []))}; "
                            f"según la auditoría: {_shown(replayed)}")
        out += [f"CASO ALTERADO {case.codigo}: {p}" for p in problems]
    return out
