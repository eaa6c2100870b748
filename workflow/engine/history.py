"""A case is its dated history: the fold, in effective-date order, of the acts in effect.

The log keeps every row it was given and both of its times: when a thing happened (`fecha_efectiva`)
and when convoca learnt it (`registrado_en`, the row's order). An act recorded late takes its place
by its date; a rectification (states/rectificacion.py) stands in the place of the act it corrects;
an annulment takes its act out. `effective` gives the acts in effect, in order, and
`record_fold` their state and facts: the engine writes the case's row from it and `auditoria
verificar` rebuilds the case by it, so the two cannot disagree.

`rejudge` fires the acts again, from the first one a change touches, each on the facts dated before
it: a change is accepted only when every later act still passes its rules and still reaches the
state it reached. It also counts the deadlines the new history gives (the ledger's own function),
which `reconcile` turns into operations on the stored rows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from states.books import escalones, operacion
from states.context import merge
from states.definition import Event
from states.plazos import MOVER_RESPUESTA, PLAZO_VENCIDO, RECORDATORIO
from workflow.engine.context import Scope, rule_context
from workflow.engine.ledger import OPEN, advance, moves_deadlines, ops_for
from workflow.engine.machine import Case, fire
from workflow.errors import Refusal
from workflow.storage import audit

ANULAR = "anular"
SISTEMA = audit.SISTEMA


def effective_date(row: dict[str, Any]) -> date:
    value = row["fecha_efectiva"]
    return value if isinstance(value, date) else date.fromisoformat(value)


def is_act(row: dict[str, Any]) -> bool:
    """A row of the case's lifecycle (not the service's marks, not an annulment)."""
    return row.get("aceptado", True) and row.get("rol") != SISTEMA and row["evento"] != ANULAR


def root_of(rows: list[dict[str, Any]], row: dict[str, Any], by_id: dict[int, dict[str, Any]] | None = None) -> int:
    """The act a row stands for: itself, or the first of the rectifications it ends."""
    by_id = by_id if by_id is not None else {r["id"]: r for r in rows}
    while row.get("refiere") is not None and row["evento"] != ANULAR and row["refiere"] in by_id:
        row = by_id[row["refiere"]]
    return row["id"]


def effective(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The acts in effect, by effective date, ties by the registration of the act they stand for."""
    quitados = {r["refiere"] for r in rows if r.get("refiere") is not None and r.get("aceptado", True)
                and r.get("rol") != SISTEMA}  # only an officer's rectificar or anular takes an act out
    live = [r for r in rows if is_act(r) and r["id"] not in quitados]
    by_id = {r["id"]: r for r in rows}
    return sorted(live, key=lambda r: (effective_date(r), root_of(rows, r, by_id)))


def fold_step(estado: str | None, hechos: dict[str, Any], a: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """One act more: the state it moves to (if it moves the case), and its patch on the facts."""
    if a.get("estado_origen") != a.get("estado_destino") or estado is None:
        estado = a["estado_destino"]
    return estado, merge(hechos, a.get("datos") or {})


def record_fold(acts: list[dict[str, Any]]) -> tuple[str | None, dict[str, Any]]:
    """The state (of the last act that moved it) and the facts (every act's patch, in order)."""
    estado: str | None = None
    hechos: dict[str, Any] = {}
    for a in acts:
        estado, hechos = fold_step(estado, hechos, a)
    return estado, hechos


@dataclass
class Folded:
    """The case after a change, as its history now reads."""

    estado: str
    hechos: dict[str, Any]
    plazos: dict[int, dict[str, Any]] = field(default_factory=dict)
    """The deadlines the new history gives, with ids of their own (negative): see `reconcile`."""
    nuevo: Case | None = None
    """The act added or corrected, fired in its place: its patch, rules and registry flags."""


def rejudge(scope: Scope, codigo: str, acts: list[dict[str, Any]], nuevo: dict[str, Any] | None,
            desde: int, servicio: list[dict[str, Any]] = ()) -> Folded:
    """Fires the acts again in order from `desde` (the first one the change touches; those before it
    stand as recorded); `nuevo` (one of `acts`, or None for an annulment) gets its patch here. Raises
    `Refusal` naming the first later act that would no longer be accepted."""
    # the deadline service's rows (overdue, letters sent, reply periods moved), replayed among the acts
    pendientes = sorted(servicio, key=lambda r: (effective_date(r), r["id"]))
    estado: str | None = None
    hechos: dict[str, Any] = {}
    plazos: dict[int, dict[str, Any]] = {}
    opened, fired = 0, None
    for i, a in enumerate(acts):
        event: Event | None = scope.book.ciclo.event(a["evento"])
        origen, fecha, entrada = estado, effective_date(a), dict(a.get("entrada") or {})
        while pendientes and effective_date(pendientes[0]) <= fecha:  # the service passes at the start of a day
            plazos = _service_acts(plazos, pendientes.pop(0).get("plazos") or [])
        if event is None:  # postular: the case's first facts
            estado, hechos = a["estado_destino"], merge(hechos, a.get("datos") or {})
            continue
        if estado is None:
            raise Refusal(event.nombre, codigo, [f"con fecha {fecha.isoformat()}, el acto es anterior a la "
                                                 "postulación del caso: el caso aún no existía"])
        if i >= desde and (a is nuevo or a.get("entrada") is not None):
            plazos_abiertos = [p for p in plazos.values() if p["estado"] in OPEN] if event.lee_plazos else None
            ctx = rule_context(scope, codigo, estado, hechos, fecha, entrada, plazos_abiertos)
            case = Case(codigo, estado, hechos)
            try:
                fire(case, event, ctx)
            except Refusal as refusal:
                cual = f"con fecha {fecha.isoformat()}, en su lugar en la historia del caso" if a is nuevo else \
                    f"el evento posterior {a['evento']} del {fecha.isoformat()} (auditoría {a['id']}) ya no procedería"
                raise Refusal(event.nombre, codigo, [f"{cual}: {m}" for m in refusal.motivos]) from None
            if a is nuevo:
                a["datos"], a["estado_origen"], a["estado_destino"], fired = case.patch, origen, case.estado, case
            elif case.estado != a["estado_destino"]:
                raise Refusal(event.nombre, codigo, [
                    f"el evento posterior {a['evento']} del {fecha.isoformat()} (auditoría {a['id']}) llevaría el "
                    f"caso a '{case.estado}' y no a '{a['estado_destino']}', como se registró"])
        if a.get("estado_origen") != a.get("estado_destino"):
            estado = a["estado_destino"]
        hechos = merge(hechos, a.get("datos") or {})
        if moves_deadlines(scope.book, event, origen, estado):
            after = rule_context(scope, codigo, estado, hechos, fecha, entrada)
            ops = ops_for(event, origen, estado, after, [p for p in plazos.values() if p["estado"] in OPEN],
                          scope.calendario)
            for op in ops:
                if op["accion"] == "abrir":
                    opened += 1
                    op["id"] = -opened
            plazos = advance(plazos, ops)
    for resto in pendientes:
        plazos = _service_acts(plazos, resto.get("plazos") or [])
    return Folded(estado, hechos, plazos, fired)


def original_act(rows: list[dict[str, Any]], refiere: int, evento: str, codigo: str) -> dict[str, Any]:
    """The act in effect a rectification or an annulment refers to, or the refusal that says why
    the row it names is not one."""
    original = next((r for r in effective(rows) if r["id"] == refiere), None)
    if original is None:
        en_caso = any(r["id"] == refiere for r in rows)
        raise Refusal(evento, codigo, [
            f"la fila {refiere} de la auditoría " + ("ya fue rectificada o anulada, o no es un acto del caso (vea "
                                                     "`convoca historial`)" if en_caso else f"no es un acto de {codigo}")])
    if original["evento"] == "postular":
        raise Refusal(evento, codigo, ["la postulación registrada no se rectifica ni se anula aquí: es el expediente "
                                       "que recibió el SIG"])
    return original


@dataclass
class Change:
    """A case's history with an act recorded late, rectified or annulled, judged whole."""

    acts: list[dict[str, Any]]
    """The acts in effect afterwards, in order."""
    folded: Folded
    estado: str
    hechos: dict[str, Any]
    nuevo: dict[str, Any] | None
    """The act added or corrected (None for an annulment), with its patch and states filled in."""
    motivo: str
    """Why the deadlines change, as their corrections say it."""


def judge_change(scope: Scope, codigo: str, rows: list[dict[str, Any]], original: dict[str, Any] | None,
                 event: Event | None, entrada: dict[str, Any] | None, fecha: date, rol: str,
                 resolucion: str | None) -> Change:
    """The one judgment of a change to a case's history (`rows`: its accepted log rows): `event`
    None annuls `original`; otherwise the act `event` with `entrada` on `fecha`, in the place of
    `original` when it rectifies one. Raises `Refusal` when the change or any later act would not
    pass, or when a rectification alters the substance of the act. The engine judges a change with
    it, and `auditoria verificar` judges each such row of the log again with it."""
    before = effective(rows)
    nuevo: dict[str, Any] | None = None
    if event is None:
        if not resolucion:
            raise Refusal(ANULAR, codigo, [f"{scope.book.jurisdiccion.fuente_anular}: falta la resolución que anula "
                                           "(--resolucion)"])
        acts = [a for a in before if a is not original]
        desde = before.index(original)
    else:
        nuevo = {"id": 1 << 62, "evento": event.nombre, "fecha_efectiva": fecha, "entrada": entrada, "datos": None,
                 "refiere": original["id"] if original else None, "rol": rol, "aceptado": True}
        acts = effective([*rows, nuevo])
        desde = min(acts.index(nuevo), before.index(original) if original else len(before))
    folded = rejudge(scope, codigo, acts, nuevo, desde, [r for r in rows if r.get("rol") == SISTEMA])
    estado, hechos = record_fold(acts)
    if original is not None and event is not None:
        sustancial = scope.book.sustancia(event.nombre, original["datos"], nuevo["datos"],
                                          {a["evento"] for a in acts if a is not nuevo})
        if sustancial:
            raise Refusal(event.nombre, codigo, [sustancial])
    motivo = (f"{'anulación' if event is None else 'rectificación' if original else 'registro tardío'} de "
              f"{original['evento'] if original else event.nombre}"
              + (f" (auditoría {original['id']})" if original else f" del {fecha.isoformat()}"))
    return Change(acts, folded, estado, hechos, nuevo, motivo)


SERVICIO = {PLAZO_VENCIDO, RECORDATORIO, MOVER_RESPUESTA, *escalones()}
"""The deadline service's operations the new history keeps: the rules that read the ledger (a carta's
delivery needs the carta sent) judge later acts on them."""


def _service_acts(plazos: dict[int, dict[str, Any]], ops: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The service's acts on the folded deadlines they still apply to (same kind and milestone, the
    latest opened, in a state the operation leaves from); one the new history makes moot (the deadline
    now met in time) is not replayed, as the service would not have acted."""
    for op in ops:
        if op.get("accion") not in SERVICIO:
            continue
        declared = operacion(op["accion"])
        target = next((r for r in sorted(plazos.values(), key=lambda r: r["id"])
                       if r["tipo"] == op.get("tipo") and r["hito"] == op.get("hito") and r["estado"] in declared.desde),
                      None)
        if target is not None:
            plazos = advance(plazos, [{**op, "id": target["id"]}])
    return plazos


COMPARED = ("estado", "vence", "desde", "cerrado_por", "cerrado_el")


def reconcile(stored: list[dict[str, Any]], folded: dict[int, dict[str, Any]], motivo: str,
              new_id: Callable[[], int]) -> list[dict[str, Any]]:
    """The operations that make the stored deadlines those of the new history: each (kind,
    milestone) matched in order of opening; a new one opened, one no longer due voided, one whose
    dates or closing changed corrected. A deadline the service marked overdue stays so (with its
    escalation) while the new history gives it the same due date and leaves it open."""
    ops: list[dict[str, Any]] = []
    by_key: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for row in sorted(stored, key=lambda r: r["id"]):
        by_key.setdefault((row["tipo"], row["hito"]), []).append(row)
    for new in sorted(folded.values(), key=lambda r: -r["id"]):
        same = by_key.get((new["tipo"], new["hito"]))
        old = same.pop(0) if same else None
        if old is None:
            temporal = new_id()
            ops.append({"accion": "abrir", "id": temporal, **{k: new[k] for k in (
                "tipo", "hito", "responsable", "cuenta", "desde", "vence", "abierto_por")}})
            if new["estado"] != "pendiente":
                ops.append({"accion": "corregir", "id": temporal, "tipo": new["tipo"], "hito": new["hito"],
                            **_corrected(new, motivo)})
            continue
        if old["estado"] == "vencido" and new["estado"] == "pendiente" and old["vence"] == new["vence"]:
            continue
        if any(old.get(k) != new.get(k) for k in COMPARED):
            ops.append({"accion": "corregir", "id": old["id"], "tipo": old["tipo"], "hito": old["hito"],
                        **_corrected(new, motivo)})
    for rest in by_key.values():
        for old in rest:
            if old["estado"] != "anulado":
                ops.append({"accion": "corregir", "id": old["id"], "tipo": old["tipo"], "hito": old["hito"],
                            "estado": "anulado", "vence": old["vence"], "desde": old["desde"],
                            "cerrado_por": old.get("cerrado_por"), "cerrado_el": old.get("cerrado_el"),
                            "motivo": f"ya no corresponde: {motivo}", "escalamiento": 0, "escalamiento_vence": None})
    return ops


def _corrected(new: dict[str, Any], motivo: str) -> dict[str, Any]:
    return {"estado": new["estado"], "vence": new["vence"], "desde": new["desde"], "cerrado_por": new["cerrado_por"],
            "cerrado_el": new["cerrado_el"], "motivo": new["motivo"] or (motivo if new["estado"] == "anulado" else None),
            "escalamiento": 0, "escalamiento_vence": None}
