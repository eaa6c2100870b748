"""One `transitions` machine per rule book, compiled once from its lifecycle, shared by every case of
its calls.

A case is never added to the machine (`add_model` is O(n²), binds ~80 methods per model and
resets the state): events are fired with `machine.events[name].trigger(case, ctx=...)` on a light
object carrying the state loaded from the database; the machine is its call's book's. Each transition has a single composite guard
that runs every rule of the event and raises a `Refusal` with all the reasons, because
`transitions` stops at the first false condition and keeps no reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from transitions import Machine
from transitions.core import MachineError

from states.book import Book
from states.books import book_of
from states.context import Context, MissingFact, merge
from states.definition import Event, Failure, Lifecycle, Rule, Transition, Unproven, label
from workflow.errors import NotFound, Refusal, nearest


@dataclass
class Case:
    """What the machine moves: the state and facts of one case, loaded from its row."""

    codigo: str
    estado: str
    hechos: dict[str, Any]
    patch: dict[str, Any] = field(default_factory=dict)
    reglas: list[str] = field(default_factory=list)
    registro: list[dict[str, Any]] = field(default_factory=list)


def failures(rules: tuple[Rule, ...], ctx: Context, with_data: bool = True) -> list[Failure]:
    """Every rule that fails, each a `Failure`: its text, and its source, rule and reason apart."""
    out: list[Failure] = []
    for rule in rules:
        if not with_data and rule.sobre_datos:
            continue
        try:
            reason = rule.check(ctx)
        except MissingFact as missing:  # said by the rule itself; any other exception is a bug
            reason = Unproven(f"no se puede verificar «{label(rule.requisito, ctx.call)}»: {missing}")
        if isinstance(reason, list):  # each reason already names its own source
            out += [Failure("", rule.codigo, r, isinstance(r, Unproven)) for r in reason]
        elif reason:
            out.append(Failure(rule.fuente, rule.codigo, reason, isinstance(reason, Unproven)))
    return out


def _guard(event: Event, transition: Transition):
    def guard(event_data) -> bool:
        ctx: Context = event_data.kwargs["ctx"]
        if event.destino_por and ctx.datos.get(event.destino_por) != transition.destino:
            return False
        if transition.cuando and not transition.cuando(ctx):
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
        case: Case = event_data.model
        patch: dict[str, Any] = {}
        if event.registra is not None:
            facts = dict(ctx.datos)
            if event.deriva:
                facts.update(event.deriva(ctx))
            patch[event.registra] = facts
        if event.efectos:
            patch = merge(patch, event.efectos(ctx))
        case.patch = patch
        case.hechos = merge(case.hechos, patch)
        case.registro = event.registro(ctx) if event.registro else []

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


@cache
def machines(book: Book) -> tuple[Machine, Machine | None]:
    """The book's machine of cases, and of reports when it has them: compiled once per process."""
    return build(book.ciclo), build(book.informe) if book.informe else None


def event_or_fail(book: Book, nombre: str) -> Event:
    event = book.ciclo.event(nombre)
    if event is None:
        raise NotFound(unknown_event(book, nombre))
    return event


def unknown_event(book: Book, nombre: str) -> str:
    """The refusal of an event the rule book does not declare: the nearest one, and where to read
    them all (not 42 names in a row)."""
    cerca = nearest(nombre, [e.nombre for e in book.ciclo.eventos])
    return (f"Evento desconocido: «{nombre}»." + (f" ¿Quiso decir {cerca}?" if cerca else "")
            + " `convoca eventos` los lista con quién puede dispararlos, desde qué estados y sus datos.")


def fire(case: Case, event: Event, ctx: Context) -> None:
    """Moves `case` in memory; raises `Refusal` with every reason, leaving `case` as it was."""
    if not event.transitions_from(case.estado):
        raise Refusal(event.nombre, case.codigo, [_wrong_state(event, case.estado)])
    book = book_of(ctx.call)
    report_patch = _fire_report(case, event, ctx, book) if event.informe else {}
    ctx.hechos = merge(case.hechos, {event.registra: ctx.datos} if event.registra else {})
    case.patch, case.reglas, case.registro = {}, [], []
    try:
        fired = machines(book)[0].events[event.nombre].trigger(case, ctx=ctx)
    except MachineError:
        fired = False
    if not fired:
        raise Refusal(event.nombre, case.codigo, [f"{event.destino_por} no corresponde a ningún destino"])
    for patch in (report_patch, book.enviado(event, case.estado, ctx) if book.enviado else {}):
        if patch:
            case.patch = merge(case.patch, patch)
            case.hechos = merge(case.hechos, patch)


def _fire_report(case: Case, event: Event, ctx: Context, book: Book) -> dict[str, Any]:
    """Moves one report (a milestone's ITF or the IFR) on the report machine; returns its patch."""
    clave = book.clave_informe(event.informe[0], ctx.datos)
    probe = replace(ctx, estado=case.estado, hechos=case.hechos, datos={})
    facts = probe.get(clave)
    if not isinstance(facts, dict) or "estado" not in facts:
        where = book.informe_ausente(event.informe[0], ctx.datos, probe.hechos)
        raise Refusal(event.nombre, case.codigo, [f"{book.fuente_informes}: {where}"])
    step = book.informe.event(event.informe[1])
    if not step.transitions_from(facts["estado"]):
        raise Refusal(event.nombre, case.codigo, [
            f"{book.fuente_informes}: {book.titulo_informe(clave)} está "
            f"'{facts['estado']}'; {event.nombre} procede desde: {', '.join(step.origenes)}"])
    datos = {k: v for k, v in ctx.datos.items() if k != "hito"}
    report = Case(f"{case.codigo} {clave}", facts["estado"], {})
    report_ctx = replace(ctx, estado=facts["estado"], datos=datos, clave=clave, hechos=case.hechos)
    try:
        machines(book)[1].events[step.nombre].trigger(report, ctx=report_ctx)
    except Refusal as refusal:
        raise Refusal(event.nombre, case.codigo, refusal.motivos) from None
    group, _, key = clave.partition(".")
    facts_patch = {**report.patch.get("informe", {}), "estado": report.estado}
    return {group: {key: facts_patch}} if key else {group: facts_patch}


def _wrong_state(event: Event, estado: str) -> str:
    return (f"{event.nombre} no procede en estado '{estado}' "
            f"(procede desde: {', '.join(event.origenes)})")


def why_not(case: Case, event: Event, ctx: Context, with_data: bool = False) -> list[str]:
    """The reasons an event is not allowed now, judged on the case alone (no data given yet), or,
    `with_data`, on the data given too — without firing anything."""
    transitions = event.transitions_from(case.estado)
    if not transitions:
        return [_wrong_state(event, case.estado)]
    ctx.hechos = case.hechos
    if with_data:
        ctx.hechos = merge(case.hechos, {event.registra: ctx.datos} if event.registra else {})
        if event.destino_por:
            transitions = [t for t in transitions if t.destino == ctx.datos.get(event.destino_por)] or transitions
    transitions = [t for t in transitions if t.cuando is None or t.cuando(ctx)] or transitions
    per_target = [failures(t.reglas, ctx, with_data=with_data) for t in transitions]
    return [] if any(not reasons for reasons in per_target) else per_target[0]
