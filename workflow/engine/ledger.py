"""The deadline ledger: what each event opens, closes, moves or voids (`ops_for`), and the one
function that applies operations to a case's rows (`advance`) by the table of states/plazos.py.

The same `advance` moves the rows in memory while a batch is judged, gives `vigilar` the new
values it writes, and folds the log in the replay behind `auditoria verificar`; `write` is the thin
SQL under it, setting exactly the columns `advance` set. The scheduler only reads and acts
(engine/vigilance.py)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from states.book import Book
from states.books import book_of, operacion
from states.calendar import Calendar
from states.context import Context
from states.definition import Event
from states.plazos import ABIERTOS, MOVER_RESPUESTA
from workflow.storage.plain import select_rows

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlmodel import Session
OPEN = ABIERTOS
DATES = ("desde", "vence", "cerrado_el", "escalamiento_vence")
"""The row's date columns: an operation read back from the log carries them as ISO text."""


def moves_deadlines(book: Book, event: Event, origen: str | None, destino: str) -> bool:
    """Whether an accepted event may change the ledger: one the book's deadlines name, or a way out
    of its lifecycle (which voids what still runs)."""
    return event.nombre in book.plazos.relevantes or (destino in book.plazos.salidas and origen != destino)


def open_deadlines(session: Any, caso_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in caso_ids}
    for i in range(0, len(caso_ids), 500):
        for r in select_rows(session, "SELECT * FROM plazo WHERE caso_id IN (:ids) AND estado IN (:abiertos) ORDER BY id",
                       ids=caso_ids[i:i + 500], abiertos=OPEN):
            out[r.caso_id].append(dict(r._mapping))
    return out


def ops_for(event: Event, origen: str, destino: str, ctx: Context, rows: list[dict[str, Any]],
            cal: Calendar) -> list[dict[str, Any]]:
    """The ledger changes of one accepted event, judged on the facts after it, by its call's book."""
    plazos = book_of(ctx.call).plazos
    ops: list[dict[str, Any]] = []
    hito = str(ctx.datos["hito"]) if "hito" in ctx.datos else None
    live = list(rows)
    for kind in plazos.tipos:
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
        if plazos.abre(kind, event.nombre, ctx):
            targets = [hito] if (kind.por_hito and hito) else \
                sorted(ctx.get(plazos.hitos) or {}, key=int) if kind.por_hito and plazos.hitos else [None]
            for h in targets:
                if kind.por_hito and not hito and any(r["tipo"] == kind.tipo and r["hito"] == h for r in live):
                    continue  # the milestone's deadline already runs: an extension opens only the new ones
                due = kind.vence(ctx, cal, h)
                if due:
                    ops.append({"accion": "abrir", "tipo": kind.tipo, "hito": h, "responsable": kind.responsable,
                                "cuenta": kind.cuenta, "desde": due[0], "vence": due[1], "abierto_por": event.nombre})
    if event.nombre == plazos.entrega:
        ops += _reply_from_delivery(ctx, live, cal)
    if destino in plazos.salidas and origen != destino:
        closed = {op["id"] for op in ops if op["accion"] == "cerrar"}
        for r in live:
            if r["id"] not in closed:
                ops.append({"accion": "anular", "id": r["id"], "tipo": r["tipo"], "hito": r["hito"],
                            "motivo": f"el caso pasó a {destino} ({event.nombre})"})
    return ops


def _reply_from_delivery(ctx: Context, live: list[dict[str, Any]], cal: Calendar) -> list[dict[str, Any]]:
    """A letter delivered at the domicile: the reply period of the step it belongs to counts from the
    delivery (the event's date)."""
    row = book_of(ctx.call).plazos.plazo_del_cargo(replace(ctx, plazos=live))
    if row is None or not row.get("escalamiento"):
        return []
    op = reply_op(row, ctx.fecha, cal, ctx.call, f"cargo de entrega {ctx.datos.get('cargo')}")
    return [op] if op else []


def reply_op(row: dict[str, Any], desde: date, cal: Calendar, call, motivo: str) -> dict[str, Any] | None:
    """The one way a carta's reply period is counted: the business days of its step of the book's
    chain (its `escalamiento`) from `desde` (its sending, or its delivery); None when it waits for the
    Dirección or does not change."""
    paso = book_of(call).plazos.escalamiento[row["escalamiento"] - 1]
    if paso.dias_habiles is None:
        return None
    nuevo = cal.add_business_days(desde, getattr(call.plazos, paso.dias_habiles))
    if nuevo == row.get("escalamiento_vence"):
        return None
    return {"accion": MOVER_RESPUESTA, "id": row["id"], "tipo": row["tipo"], "hito": row["hito"],
            "vence_anterior": row.get("escalamiento_vence"), "escalamiento_vence": nuevo, "motivo": motivo,
            "respuesta_a": paso.mensaje}


def changes(op: dict[str, Any]) -> dict[str, Any]:
    """The columns one operation sets, by its declaration: its new state and its declared values."""
    declared = operacion(op["accion"])
    out = {col: _typed(col, op.get(col, op.get("responder_hasta") if col == "escalamiento_vence" else None))
           for col in declared.escribe}
    out["estado"] = declared.hacia or op["estado"]
    if op["accion"] == "abrir":
        out["escalamiento"] = 0
    return out


def _typed(col: str, value: Any) -> Any:
    return date.fromisoformat(value) if col in DATES and isinstance(value, str) else value


def advance(rows: dict[int, dict[str, Any]], ops: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """A case's rows (by id) after the operations, in order: a new dict, the old one untouched. An
    operation on a row it does not apply to (unknown, or in a state its declaration does not leave
    from) is a bug of whoever stated it, never skipped silently: `ValueError`."""
    out = dict(rows)
    for op in ops:
        declared = operacion(op["accion"])
        if op["accion"] == "abrir":
            out[op["id"]] = {"id": op["id"], **{k: op[k] for k in ("caso_id", "codigo") if k in op},
                             "cerrado_por": None, "cerrado_el": None, "motivo": None, "escalamiento_vence": None,
                             **changes(op)}
            continue
        row = out.get(op["id"])
        if row is None or row["estado"] not in declared.desde:
            raise ValueError(f"operación {op['accion']} sobre el plazo {op['id']} "
                             f"({row['estado'] if row else 'inexistente'}): no procede")
        out[op["id"]] = {**row, **changes(op)}
    return out


def write(conn: Connection, caso_id: int, codigo: str, ops: list[dict[str, Any]],
          opened: dict[int, int] | None = None) -> None:
    """Writes the operations' changes. A deadline opened in memory (negative id, see
    cases._Batch.follow) gets its real id here, in the op too, so that the audit row names the row
    the ledger holds."""
    from sqlalchemy import insert, update

    from workflow.storage.tables import PLAZO

    opened = {} if opened is None else opened
    for op in ops:
        if op.get("id") in opened:
            op["id"] = opened[op["id"]]
        values = changes(op)
        if op["accion"] == "abrir":
            temporal = op.get("id")
            op["id"] = conn.execute(insert(PLAZO).returning(PLAZO.c.id).values(
                caso_id=caso_id, codigo=codigo, **values)).scalar_one()
            if temporal is not None:
                opened[temporal] = op["id"]
        elif values:
            conn.execute(update(PLAZO).where(PLAZO.c.id == op["id"]).values(**values))


def as_json(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in op.items()} for op in ops]


def recount(session: Session, today: date, motivo: str) -> list[tuple[int, str, list[dict[str, Any]], Any]]:
    """After a change of the calendar (in the caller's transaction): every pending deadline counted
    again with the new calendar, and every reply period of a carta still running (the escalation's
    `escalamiento_vence`); those whose date changes are moved, with the norm as reason.
    Returns (case id, code, ops, ledger rows) for each case with a move."""
    from sqlalchemy import select

    from workflow.engine.context import Scopes
    from workflow.storage.tables import AUDITORIA, CASO, PLAZO

    caso = CASO
    rows = session.execute(select(PLAZO, caso.c.estado.label("caso_estado"), caso.c.hechos, caso.c.convocatoria)
                           .join(caso, caso.c.id == PLAZO.c.caso_id)
                           .where((PLAZO.c.estado == "pendiente")
                                  | ((PLAZO.c.estado == "vencido") & PLAZO.c.escalamiento_vence.is_not(None)))
                           .order_by(PLAZO.c.caso_id, PLAZO.c.id)).all()
    scopes = Scopes(session)
    moves: dict[int, tuple[str, list[dict[str, Any]], list[Any]]] = {}
    for r in rows:
        sent = [] if r.estado != "vencido" else [dict(x._mapping) for x in session.execute(
            select(AUDITORIA.c.evento, AUDITORIA.c.fecha_efectiva, AUDITORIA.c.plazos)
            .where(AUDITORIA.c.caso_id == r.caso_id, AUDITORIA.c.aceptado.is_(True)).order_by(AUDITORIA.c.id))]
        op = moved(dict(r._mapping), r.codigo, r.caso_estado, r.hechos, sent, scopes.of(r.convocatoria), today, motivo)
        if op:
            entry = moves.setdefault(r.caso_id, (r.codigo, [], []))
            entry[1].append(op)
            entry[2].append(r)
    return [(caso_id, codigo, ops, plazos) for caso_id, (codigo, ops, plazos) in moves.items()]


def moved(row: dict[str, Any], codigo: str, estado: str, hechos: dict[str, Any], log: list[dict[str, Any]], scope, today: date,
          motivo: str) -> dict[str, Any] | None:
    """One deadline counted again after a change of the calendar: a pending one by its kind's rule
    from the case's facts, a carta's reply period from the carta's sending (the date of the row that
    sent it, among the case's `log` rows) or its later delivery at the domicile. The operation that
    moves it, or None. `recount` writes these, and `auditoria verificar` counts them again."""
    from workflow.engine.context import rule_context

    plazos = scope.book.plazos
    if row["estado"] == "pendiente":
        ctx = rule_context(scope, codigo, estado, hechos, today)
        due = plazos.tipo(row["tipo"]).vence(ctx, scope.calendario, row["hito"])
        return {"accion": "mover", "id": row["id"], "tipo": row["tipo"], "hito": row["hito"],
                "vence_anterior": row["vence"], "vence": due[1], "motivo": motivo} if due and due[1] != row["vence"] \
            else None
    paso = plazos.escalamiento[row["escalamiento"] - 1]
    fecha = next((x["fecha_efectiva"] for x in reversed(log) if x["evento"] == paso.mensaje
                  and any(op.get("id") == row["id"] for op in x["plazos"] or [])), None)
    if fecha is None:
        return None
    entregas = [d for d in plazos.entregas(hechos, row["tipo"], row["hito"]) if d >= fecha]
    return reply_op(row, max([fecha, *entregas]), scope.calendario, scope.call, motivo)
