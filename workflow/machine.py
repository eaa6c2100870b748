"""The one `transitions` machine every case shares, compiled once from `states.lifecycle`.

A case is never added to the machine (`add_model` is O(n²), binds ~80 methods per model and
resets the state): events are fired with `machine.events[name].trigger(case, ctx=...)` on a light
object carrying the state loaded from the database. Each transition has a single composite guard
that runs every rule of the event and raises a `Refusal` with all the reasons, because
`transitions` stops at the first false condition and keeps no reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from transitions import Machine
from transitions.core import MachineError

from states.context import Context, merge
from states.definition import Event, Lifecycle, Rule, Transition
from states.lifecycle import CICLO
from workflow.errors import NotFound, Refusal


@dataclass
class Case:
    """What the machine moves: the state and facts of one case, loaded from its row."""

    codigo: str
    estado: str
    hechos: dict[str, Any]
    patch: dict[str, Any] = field(default_factory=dict)
    reglas: list[str] = field(default_factory=list)


def failures(rules: tuple[Rule, ...], ctx: Context, with_data: bool = True) -> list[str]:
    out: list[str] = []
    for rule in rules:
        if not with_data and rule.sobre_datos:
            continue
        reason = rule.check(ctx)
        if isinstance(reason, list):
            out += reason
        elif reason:
            out.append(f"{rule.fuente}: {reason}")
    return out


def _guard(event: Event, transition: Transition):
    def guard(event_data) -> bool:
        ctx: Context = event_data.kwargs["ctx"]
        if event.destino_por and ctx.datos.get(event.destino_por) != transition.destino:
            return False
        reasons = failures(transition.reglas, ctx)
        if reasons:
            raise Refusal(event.nombre, ctx.codigo, reasons)
        event_data.model.reglas = [f"{r.codigo} ({r.fuente})" for r in transition.reglas]
        return True

    return guard


def _record(event: Event):
    def record(event_data) -> None:
        ctx: Context = event_data.kwargs["ctx"]
        if event.registra is None:
            return
        facts = dict(ctx.datos)
        if event.deriva:
            facts.update(event.deriva(ctx))
        case: Case = event_data.model
        case.patch = {event.registra: facts}
        case.hechos = merge(case.hechos, case.patch)

    return record


def build(lifecycle: Lifecycle) -> Machine:
    transitions = []
    for ev in lifecycle.eventos:
        for t in ev.transiciones:
            transitions.append({
                "trigger": ev.nombre, "source": list(t.origen), "dest": t.destino,
                "conditions": [_guard(ev, t)], "after": [_record(ev)],
            })
    return Machine(model=None, states=[s.nombre for s in lifecycle.estados], initial=lifecycle.inicial,
                   transitions=transitions, auto_transitions=False, send_event=True,
                   model_attribute="estado")


MACHINE = build(CICLO)


def event_or_fail(nombre: str) -> Event:
    event = CICLO.event(nombre)
    if event is None:
        valid = ", ".join(e.nombre for e in CICLO.eventos)
        raise NotFound(f"Evento desconocido: {nombre}. Eventos válidos: {valid}")
    return event


def fire(case: Case, event: Event, ctx: Context) -> None:
    """Moves `case` in memory; raises `Refusal` with every reason, leaving `case` as it was."""
    if not event.transitions_from(case.estado):
        raise Refusal(event.nombre, case.codigo, [_wrong_state(event, case.estado)])
    ctx.hechos = merge(case.hechos, {event.registra: ctx.datos} if event.registra else {})
    case.patch, case.reglas = {}, []
    try:
        fired = MACHINE.events[event.nombre].trigger(case, ctx=ctx)
    except MachineError:
        fired = False
    if not fired:
        raise Refusal(event.nombre, case.codigo, [f"{event.destino_por} no corresponde a ningún destino"])


def _wrong_state(event: Event, estado: str) -> str:
    return (f"{event.nombre} no procede en estado '{estado}' "
            f"(procede desde: {', '.join(event.origenes)})")


def why_not(case: Case, event: Event, ctx: Context) -> list[str]:
    """The reasons an event is not allowed now, judged on the case alone (no data given yet)."""
    transitions = event.transitions_from(case.estado)
    if not transitions:
        return [_wrong_state(event, case.estado)]
    ctx.hechos = case.hechos
    per_target = [failures(t.reglas, ctx, with_data=False) for t in transitions]
    return [] if any(not reasons for reasons in per_target) else per_target[0]
