"""A case as it stood at the end of a date, rebuilt from its audit rows alone.

The state is the last accepted row's target; the facts are the rows' patches merged in order;
the deadlines are the ledger changes each row recorded. If this ever disagreed with the stored
case, something would have written around the log: the tests replay every case of the demo.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from workflow.engine import history
from workflow.engine.cases import monitor_of
from workflow.engine.ledger import OPEN, advance
from workflow.engine.reading import load_cases
from workflow.storage.models import AuditRecord, CaseRecord, Deadline

COMPARED = ("tipo", "hito", "estado", "vence", "desde", "escalamiento", "escalamiento_vence", "motivo",
            "cerrado_por", "cerrado_el")
"""The columns of a deadline row that its operations in the log give, and that `verificar` compares."""


def fold_deadlines(plazos: dict[int, dict[str, Any]], ops: list[dict[str, Any]], problems: list[str]) -> dict:
    """The rows after one audit row's operations, by the ledger's one function; an operation the
    rows do not admit (a log written around convoca) is named in `problems` and passed over."""
    for op in ops:
        try:
            plazos = advance(plazos, [op])
        except ValueError as exc:
            problems.append(str(exc))
    return plazos


LOG_COLUMNS = ("id", "caso_id", "evento", "estado_origen", "estado_destino", "rol", "fecha_efectiva", "datos", "plazos",
               "refiere", "registrado_en")


def as_of(rows: list[dict[str, Any]], al: date | None) -> tuple[list[dict[str, Any]], str | None, dict[str, Any],
                                                               dict[int, dict[str, Any]]]:
    """One case's log rows (in registration order) folded as they stood at the end of `al`: the acts
    in effect, the state, the facts and every deadline row, closed ones included. The one fold of a
    case by effective date: `ver --al` and the portfolio report read through it."""
    acts = [x for x in history.effective(rows) if al is None or x["fecha_efectiva"] <= al]
    estado, hechos = history.record_fold(acts)
    plazos: dict[int, dict[str, Any]] = {}
    for row in rows:
        if al is None or row["fecha_efectiva"] <= al:
            plazos = fold_deadlines(plazos, row["plazos"], [])
    return acts, estado, hechos, plazos


def replay(session: Session, codigo: str, al: date | None = None, segun: datetime | None = None) -> dict[str, Any]:
    """The case rebuilt from its log alone, on either axis: `al` a date, the case as it stood at the end
    of that day as the record knows it today (acts recorded late included); `segun` an instant, the
    case as the record showed it then (what an officer saw, before any later record or correction)."""
    load_cases(session, [codigo])
    a = AuditRecord.__table__
    query = (select(*(a.c[k] for k in LOG_COLUMNS)).where(a.c.codigo == codigo, a.c.aceptado.is_(True),
                                                          a.c.caso_id.is_not(None)).order_by(a.c.id))
    if segun is not None:
        query = query.where(a.c.registrado_en <= segun)
    rows = [dict(r._mapping) for r in session.execute(query)]
    acts, estado, hechos, plazos = as_of(rows, al)
    first = min((r["fecha_efectiva"] for r in rows), default=None)
    return {"codigo": codigo, "al": al.isoformat() if al else None,
            "segun_registro": segun.isoformat(timespec="seconds") if segun else None, "estado": estado,
            "desde": first.isoformat() if first else None, "hechos": hechos, "eventos": len(acts),
            "plazos": [{**p, "vence": p["vence"].isoformat()} for p in sorted(
                (p for p in plazos.values() if p["estado"] in OPEN), key=lambda p: (p["vence"], p["id"]))]}


def shown(value: Any) -> str:
    return "(ninguno)" if value is None else str(value)


def _shown(deadlines: list[tuple[int, str, str, str]]) -> str:
    return ", ".join(f"{tipo} {estado} al {vence}" for _, tipo, estado, vence in deadlines) or "ninguno"


def _row_differences(stored: dict[int, dict[str, Any]], log: dict[int, dict[str, Any]]) -> list[str]:
    """Every deadline, closed ones too, column by column (escalation, reasons, closing)."""
    out = []
    for pid in sorted(stored.keys() | log.keys()):
        a, b = stored.get(pid), log.get(pid)
        if a is None or b is None:
            out.append(f"plazo {pid}: {'no existe' if a is None else 'guardado'} en la tabla, "
                       f"{'no existe' if b is None else 'existe'} según la auditoría")
            continue
        for col in COMPARED:
            if a.get(col) != b.get(col):
                out.append(f"plazo {pid} ({a['tipo']}) {col}: guardado {shown(a.get(col))}, según la auditoría "
                           f"{shown(b.get(col))}")
    return out


def altered_cases(session: Session, only=None) -> list[str]:
    """Every case whose stored state, facts or open deadlines differ from what its log rebuilds:
    a write made under the log, around convoca (an UPDATE in the database, say). `only`: just the
    cases of this query of ids (those a verification since the last one touches)."""
    a = AuditRecord.__table__
    rebuilt: dict[int, dict[str, Any]] = {}
    by_case: dict[int, list[dict[str, Any]]] = {}
    scope = a.c.caso_id.is_not(None) if only is None else a.c.caso_id.in_(only)
    for r in session.execute(select(*(a.c[k] for k in LOG_COLUMNS))
                             .where(a.c.aceptado.is_(True), scope).order_by(a.c.id)):
        by_case.setdefault(r.caso_id, []).append(dict(r._mapping))
    for caso_id, log_rows in by_case.items():
        case = rebuilt.setdefault(caso_id, {"estado": None, "hechos": {}, "plazos": {}, "ilegales": []})
        case["estado"], case["hechos"] = history.record_fold(history.effective(log_rows))
        for row in log_rows:
            case["plazos"] = fold_deadlines(case["plazos"], row["plazos"], case["ilegales"])
    p = Deadline.__table__
    stored_open: dict[int, list[tuple[int, str, str, str]]] = {}
    stored_rows: dict[int, dict[int, dict[str, Any]]] = {}
    for r in session.execute(select(p).where(True if only is None else p.c.caso_id.in_(only)).order_by(p.c.id)):
        stored_rows.setdefault(r.caso_id, {})[r.id] = dict(r._mapping)
        if r.estado in OPEN:
            stored_open.setdefault(r.caso_id, []).append((r.id, r.tipo, r.estado, r.vence.isoformat()))
    out = []
    c = CaseRecord.__table__
    for case in session.execute(select(c.c.id, c.c.codigo, c.c.estado, c.c.hechos, c.c.monitor)
                                .where(True if only is None else c.c.id.in_(only)).order_by(c.c.codigo)):
        log = rebuilt.get(case.id, {"estado": None, "hechos": {}, "plazos": {}, "ilegales": []})
        problems = []
        if case.estado != log["estado"]:
            problems.append(f"guardado {case.estado}, según la auditoría {log['estado'] or 'no existe'}")
        if case.hechos != log["hechos"]:
            keys = sorted(k for k in case.hechos.keys() | log["hechos"].keys()
                          if case.hechos.get(k) != log["hechos"].get(k))
            problems.append(f"hechos distintos de los de la auditoría en: {', '.join(keys)}")
        if case.monitor != monitor_of(log["hechos"]):
            problems.append(f"monitor guardado {case.monitor or 'ninguno'}, según la auditoría "
                            f"{monitor_of(log['hechos']) or 'ninguno'}")
        replayed = sorted((d["id"], d["tipo"], d["estado"], d["vence"].isoformat()) for d in log["plazos"].values()
                          if d["estado"] in OPEN)
        if stored_open.get(case.id, []) != replayed:
            problems.append(f"plazos abiertos guardados: {_shown(stored_open.get(case.id, []))}; "
                            f"según la auditoría: {_shown(replayed)}")
        else:
            problems += _row_differences(stored_rows.get(case.id, {}), log["plazos"])
        problems += [f"la auditoría no admite la operación: {m}" for m in log["ilegales"]]
        out += [f"CASO ALTERADO {case.codigo}: {p}" for p in problems]
    return out
