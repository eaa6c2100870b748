"""The deadline ledger: what each event opens, closes, moves or voids, written in the event's
transaction. The scheduler only reads it and acts (workflow/engine/vigilance.py)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select, update

from states.calendar import Calendar
from states.call import Call
from states.context import Context
from states.definition import Event
from states.plazos import PLAZOS, SALIDAS
from workflow.storage.tables import CASO, PLAZO

if TYPE_CHECKING:
    from sqlmodel import Session
OPEN = ("pendiente", "vencido")
RELEVANT = {name for k in PLAZOS for name in (*k.abre, *k.cierra, *k.mueve, *k.anula)}


def open_deadlines(session: Session, caso_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in caso_ids}
    for i in range(0, len(caso_ids), 500):
        rows = session.execute(select(PLAZO).where(PLAZO.c.caso_id.in_(caso_ids[i:i + 500]),
                                                   PLAZO.c.estado.in_(OPEN))).all()
        for r in rows:
            out[r.caso_id].append(dict(r._mapping))
    return out


def ops_for(event: Event, origen: str, destino: str, ctx: Context, rows: list[dict[str, Any]],
            cal: Calendar) -> list[dict[str, Any]]:
    """The ledger changes of one accepted event, judged on the facts after it."""
    ops: list[dict[str, Any]] = []
    hito = str(ctx.datos["hito"]) if "hito" in ctx.datos else None
    live = list(rows)
    for kind in PLAZOS:
        mine = [r for r in live if r["tipo"] == kind.tipo and (hito is None or not kind.por_hito or r["hito"] == hito)]
        if event.nombre in kind.cierra and (kind.cumple_si is None or kind.cumple_si(ctx)):
            for r in mine:
                estado = "cumplido" if r["estado"] == "pendiente" and ctx.fecha <= r["vence"] else "cumplido_tarde"
                ops.append({"accion": "cerrar", "id": r["id"], "tipo": kind.tipo, "hito": r["hito"], "estado": estado,
                            "cerrado_por": event.nombre, "cerrado_el": ctx.fecha})
                live.remove(r)
        if event.nombre in kind.anula:
            for r in [x for x in mine if x in live]:
                ops.append({"accion": "anular", "id": r["id"], "tipo": kind.tipo, "hito": r["hito"],
                            "motivo": f"ya no aplica: {event.nombre}"})
                live.remove(r)
        if event.nombre in kind.mueve:
            for r in (x for x in live if x["tipo"] == kind.tipo and x["estado"] == "pendiente"):
                due = kind.vence(ctx, cal, r["hito"])
                if due and due[1] != r["vence"]:
                    ops.append({"accion": "mover", "id": r["id"], "tipo": kind.tipo, "hito": r["hito"],
                                "vence_anterior": r["vence"], "vence": due[1]})
        if event.nombre in kind.abre:
            targets = [hito] if (kind.por_hito and hito) else \
                sorted(ctx.get("hitos") or {}, key=int) if kind.por_hito else [None]
            for h in targets:
                due = kind.vence(ctx, cal, h)
                if due:
                    ops.append({"accion": "abrir", "tipo": kind.tipo, "hito": h, "responsable": kind.responsable,
                                "cuenta": kind.cuenta, "desde": due[0], "vence": due[1], "abierto_por": event.nombre})
    if destino in SALIDAS and origen != destino:
        closed = {op["id"] for op in ops if op["accion"] == "cerrar"}
        for r in live:
            if r["id"] not in closed:
                ops.append({"accion": "anular", "id": r["id"], "tipo": r["tipo"], "hito": r["hito"],
                            "motivo": f"el caso pasó a {destino} ({event.nombre})"})
    return ops


def apply_ops(conn: Connection, caso_id: int, codigo: str, ops: list[dict[str, Any]],
              opened: dict[int, int] | None = None) -> None:
    """Writes the ops; a deadline opened in memory (negative id, see cases._Batch.follow) gets its
    real id here, in the op too, so that the audit row names the row the ledger holds."""
    opened = {} if opened is None else opened
    for op in ops:
        accion = op["accion"]
        if op.get("id") in opened:
            op["id"] = opened[op["id"]]
        if accion == "abrir":
            temporal = op.get("id")
            op["id"] = conn.execute(insert(PLAZO).returning(PLAZO.c.id).values(
                caso_id=caso_id, codigo=codigo, tipo=op["tipo"], hito=op["hito"], responsable=op["responsable"],
                cuenta=op["cuenta"], desde=op["desde"], vence=op["vence"], estado="pendiente",
                abierto_por=op["abierto_por"], escalamiento=0)).scalar_one()
            if temporal is not None:
                opened[temporal] = op["id"]
        elif accion == "cerrar":
            conn.execute(update(PLAZO).where(PLAZO.c.id == op["id"]).values(
                estado=op["estado"], cerrado_por=op["cerrado_por"], cerrado_el=op["cerrado_el"]))
        elif accion == "mover":
            conn.execute(update(PLAZO).where(PLAZO.c.id == op["id"]).values(vence=op["vence"]))
        elif accion == "anular":
            conn.execute(update(PLAZO).where(PLAZO.c.id == op["id"]).values(estado="anulado", motivo=op["motivo"]))


def as_json(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in op.items()} for op in ops]


def recount(session: Session, today: date, motivo: str) -> list[tuple[int, str, list[dict[str, Any]], Any]]:
    """After a change of the calendar (in the caller's transaction): every pending deadline counted
    again with the new calendar; those whose due date changes are moved, with the norm as reason.
    Returns (case id, code, ops, ledger row) for each case with a move."""
    from states.context import Context
    from states.plazos import BY_TYPE
    from workflow.engine.calls import calendar_for, call_of
    caso = CASO
    rows = session.execute(select(PLAZO, caso.c.estado.label("caso_estado"), caso.c.hechos, caso.c.convocatoria)
                           .join(caso, caso.c.id == PLAZO.c.caso_id).where(PLAZO.c.estado == "pendiente")
                           .order_by(PLAZO.c.caso_id, PLAZO.c.id)).all()
    calls: dict[str, tuple[Call, Calendar]] = {}
    moves: dict[int, tuple[str, list[dict[str, Any]], list[Any]]] = {}
    for r in rows:
        if r.convocatoria not in calls:
            call = call_of(session, r.convocatoria)
            calls[r.convocatoria] = (call, calendar_for(session, call))
        call, cal = calls[r.convocatoria]
        ctx = Context(r.codigo, r.caso_estado, r.hechos, {}, call, today, calendario=cal)
        due = BY_TYPE[r.tipo].vence(ctx, cal, r.hito)
        if due and due[1] != r.vence:
            entry = moves.setdefault(r.caso_id, (r.codigo, [], []))
            entry[1].append({"accion": "mover", "id": r.id, "tipo": r.tipo, "hito": r.hito,
                             "vence_anterior": r.vence, "vence": due[1], "motivo": motivo})
            entry[2].append(r)
    return [(caso_id, codigo, ops, plazos) for caso_id, (codigo, ops, plazos) in moves.items()]
