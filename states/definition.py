"""The vocabulary a lifecycle is written in, and the check that runs when one loads.

A lifecycle is plain data (states, events, the rules each event must satisfy, the facts it
records) so that an officer can read it and a test can walk it. `Lifecycle.check` refuses a
definition that names an unknown state, leaves a state unreachable or gives an event no source:
such mistakes must stop the program at start-up, not surface on the first case that hits them.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from states.context import Context


@dataclass(frozen=True)
class State:
    nombre: str
    titulo: str
    final: bool = False


class Unproven(str):
    """A rule's reason that a fact it needs was never recorded, as opposed to recorded and failing:
    the eligibility checklist shows it as "sin acreditar"."""


class Failure(str):
    """A rule that failed: the text an officer reads ("source: reason"), and its parts for a view,
    which never searches the text."""

    fuente: str
    codigo: str
    motivo: str
    sin_acreditar: bool

    def __new__(cls, fuente: str, codigo: str, motivo: str, sin_acreditar: bool = False) -> "Failure":
        obj = super().__new__(cls, f"{fuente}: {motivo}" if fuente else motivo)
        obj.fuente, obj.codigo, obj.motivo, obj.sin_acreditar = fuente, codigo, motivo, sin_acreditar
        return obj


@dataclass(frozen=True)
class Rule:
    """One requirement of the bases. `check` returns the reason it fails, or None; a rule that
    groups several requirements (the budget caps) returns a list, each reason with its own source."""

    fuente: str
    requisito: str
    check: Callable[["Context"], str | list[str] | None]
    sobre_datos: bool = False
    """True when the rule judges the data given with the event, so a preview without data skips it."""
    datos: tuple[str, ...] = ()
    """The data (`--dato clave=valor`) an officer records to prove it, each a datum of some event:
    the eligibility checklist names them, so the officer knows what to type."""
    aplica: Callable[["Context"], bool] | None = None
    """When false the requirement does not apply to this proposal (a university's licence, for a
    company): the checklist says «no aplica» instead of «cumple»."""

    @property
    def codigo(self) -> str:
        return self.check.__name__


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\.([a-z_]+)(?::([^}]*))?\}")


def in_words(n: int) -> str:
    """A number as the bases write it: «seis (06)»."""
    from num2words import num2words

    return f"{num2words(n, lang='es')} ({n:02d})"


def label(text: str, call) -> str:
    """A rule's or a datum's label with the call's own numbers: `{seccion.clave}` (optionally
    `{seccion.clave:.0%}`, or `{seccion.clave:palabras}` for «seis (06)») becomes the value of that
    key, so a label never repeats a number."""
    def value(m: re.Match) -> str:
        v = getattr(getattr(call, m[1]), m[2])
        return in_words(v) if m[3] == "palabras" else format(v, m[3] or "")

    return _PLACEHOLDER.sub(value, text)


def unknown_keys(text: str, esquema) -> list[str]:
    """Placeholders that name no key of a call file's schema (a book's `esquema`)."""
    sections = esquema.model_fields
    return [f"{m[1]}.{m[2]}" for m in _PLACEHOLDER.finditer(text)
            if m[1] not in sections or m[2] not in sections[m[1]].annotation.model_fields]


FIELD_TYPES = ("texto", "fecha", "decimal", "entero", "booleano", "fechas", "opcion", "ruc", "documento")


@dataclass(frozen=True)
class Field:
    """A datum an event records (`--dato nombre=valor`)."""

    nombre: str
    tipo: str  # one of FIELD_TYPES
    ayuda: str
    requerido: bool = True
    opciones: tuple[str, ...] = ()
    no_aplica: bool = False
    """A requirement that may not apply to a proposal: the officer may record "no aplica"."""


@dataclass(frozen=True)
class Transition:
    origen: tuple[str, ...]
    destino: str | None  # None: the event records facts and the state stays
    reglas: tuple[Rule, ...] = ()
    cuando: Callable[["Context"], bool] | None = None
    """For an event with several targets from one state, which one applies, read from the case's
    facts (declaring apta a proposal already evaluated leads to `evaluada`); not a rule: a
    transition whose `cuando` is false is skipped, never a refusal."""


@dataclass(frozen=True)
class Event:
    nombre: str
    titulo: str
    roles: tuple[str, ...]
    transiciones: tuple[Transition, ...]
    campos: tuple[Field, ...] = ()
    registra: str | None = None
    """The group of facts (`hechos[registra]`) where the event's data is kept."""
    deriva: Callable[["Context"], dict[str, Any]] | None = None
    """Facts computed from the data once the rules pass (a score, an end date)."""
    destino_por: str | None = None
    """For an event with several targets: the field whose value names the target state."""
    efectos: Callable[["Context"], dict[str, Any]] | None = None
    """Facts the event changes outside its own group (a visit refused marks the milestone)."""
    informe: tuple[str, str] | None = None
    """For report events: which report (`itf` with `--dato hito=N`, or `ifr`) and its step."""
    registro: Callable[["Context"], list[dict[str, Any]]] | None = None
    """Flags the event puts in the registry of barred entities and coordinators."""
    lee_plazos: bool = False
    """Its rules read the case's deadline ledger (P6, P7)."""
    mensajes: tuple[str, ...] = ()
    """The kinds of message (states/mensajes.py) the event queues in its own transaction."""

    def transitions_from(self, estado: str) -> list[Transition]:
        return [t for t in self.transiciones if estado in t.origen]

    @property
    def origenes(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.transiciones:
            seen.update(dict.fromkeys(t.origen))
        return list(seen)


CITA = re.compile(r"Bases §|Guía §|Contrato cl\.|Cartilla|Anexo \d|Disposición (final|complementaria)|"
                  r"TUO|Ley \d{4,5}|\bDL \d+|\bDS \d{3}-\d{4}|art\. \d")
"""What a citation of the bases or the law looks like: only the rule book (`states/`) writes one;
the engine, the notifications and the templates take them from its declarations."""


class DefinitionError(Exception):
    """A lifecycle that cannot be run; raised at load time."""


@dataclass(frozen=True)
class Lifecycle:
    nombre: str
    estados: tuple[State, ...]
    inicial: str
    eventos: tuple[Event, ...]
    roles: tuple[str, ...] = ()
    """The roles that exist: an event may only name these."""
    mensajes: tuple[str, ...] = ()
    """The message kinds that exist: an event may only queue one of these."""
    _by_state: dict[str, State] = field(init=False, repr=False, compare=False)
    _by_event: dict[str, Event] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_state", {s.nombre: s for s in self.estados})
        object.__setattr__(self, "_by_event", {e.nombre: e for e in self.eventos})
        self.check()

    def state(self, nombre: str) -> State:
        return self._by_state[nombre]

    def event(self, nombre: str) -> Event | None:
        return self._by_event.get(nombre)

    def exigido_por(self, dato: str) -> list[str]:
        """The events whose rules need this datum recorded (its `Rule.datos`)."""
        return [ev.nombre for ev in self.eventos
                if any(dato in r.datos for t in ev.transiciones for r in t.reglas)]

    @property
    def no_finales(self) -> tuple[str, ...]:
        return tuple(s.nombre for s in self.estados if not s.final)

    def check(self) -> None:
        problems: list[str] = []
        names = [s.nombre for s in self.estados]
        problems += [f"estado duplicado: {n}" for n in names if names.count(n) > 1][:1]
        if self.inicial not in self._by_state:
            problems.append(f"estado inicial desconocido: {self.inicial}")
        events = [e.nombre for e in self.eventos]
        problems += [f"evento duplicado: {n}" for n in set(events) if events.count(n) > 1]
        for ev in self.eventos:
            if not ev.transiciones or any(not t.origen for t in ev.transiciones):
                problems.append(f"evento sin estado de origen: {ev.nombre}")
            for t in ev.transiciones:
                for s in (*t.origen, *([t.destino] if t.destino else [])):
                    if s not in self._by_state:
                        problems.append(f"evento {ev.nombre}: estado desconocido '{s}'")
                if t.destino is None and ev.registra is None and ev.informe is None and ev.efectos is None:
                    problems.append(f"evento {ev.nombre}: no cambia de estado ni registra hechos")
            if ev.destino_por and ev.destino_por not in {c.nombre for c in ev.campos}:
                problems.append(f"evento {ev.nombre}: destino_por '{ev.destino_por}' no es uno de sus datos")
            problems += [f"evento {ev.nombre}: rol desconocido '{r}'" for r in ev.roles if r not in self.roles]
            problems += [f"evento {ev.nombre}: el dato '{c.nombre}' tiene un tipo desconocido '{c.tipo}'"
                         for c in ev.campos if c.tipo not in FIELD_TYPES]
            problems += [f"evento {ev.nombre}: el dato '{c.nombre}' es una opción sin opciones"
                         for c in ev.campos if c.tipo == "opcion" and not c.opciones]
            problems += [f"evento {ev.nombre}: mensaje desconocido '{m}'" for m in ev.mensajes
                         if m not in self.mensajes]
        campos = {c.nombre for ev in self.eventos for c in ev.campos}
        problems += sorted({f"regla {r.codigo}: el dato '{d}' no es un dato de ningún evento"
                            for ev in self.eventos for t in ev.transiciones for r in t.reglas for d in r.datos
                            if d not in campos})
        problems += self._reachability_problems()
        if problems:
            raise DefinitionError(f"ciclo de vida '{self.nombre}' inválido:\n  " + "\n  ".join(problems))

    def _reachability_problems(self) -> list[str]:
        edges: dict[str, set[str]] = {s: set() for s in self._by_state}
        for ev in self.eventos:
            for t in ev.transiciones:
                for s in t.origen:
                    if t.destino and s in edges:
                        edges[s].add(t.destino)
        reached, frontier = {self.inicial}, [self.inicial]
        while frontier:
            for nxt in edges.get(frontier.pop(), ()):
                if nxt not in reached:
                    reached.add(nxt)
                    frontier.append(nxt)
        problems = [f"estado inalcanzable desde '{self.inicial}': {s}" for s in self._by_state if s not in reached]
        problems += [
            f"estado no final sin salida: {s.nombre}"
            for s in self.estados
            if not s.final and not edges[s.nombre]
        ]
        problems += [
            f"estado final con salida: {s.nombre}"
            for s in self.estados
            if s.final and edges[s.nombre]
        ]
        return problems
