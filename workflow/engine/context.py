"""The one way to build what a rule reads (`states.context.Context`): from a call's scope (the
call, its calendar, its other cases, the registry), a case (code, state, facts), its open deadlines
and the date it is judged on. Commands, `lote`, the publication, `ver`, the eligibility checklist,
the import, the previews and the calendar's recount all build it here, so a rule sees the same
thing whoever asks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from states.book import Book
from states.books import book_of
from states.calendar import Calendar
from states.call import Call
from states.context import CallView, Context, Registry
from workflow.engine.calls import Calls
from workflow.storage.plain import select_rows

if TYPE_CHECKING:
    from sqlmodel import Session


def call_view(session: Session, convocatoria: str) -> CallView:
    """The other cases of a call, read when a rule first compares (places left, merit order)."""
    def load() -> dict[str, tuple[str, dict[str, Any]]]:
        rows = select_rows(session, "SELECT codigo, estado, hechos FROM caso WHERE convocatoria = :convocatoria",
                     convocatoria=convocatoria)
        return {c: (e, h) for c, e, h in rows}

    return CallView(load)


def registry(session: Session) -> Registry:
    def load() -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in select_rows(session, "SELECT * FROM registro ORDER BY id")]

    return Registry(load)


@dataclass
class Scope:
    """What the rules of one call read, built once per unit of work."""

    call: Call
    calendario: Calendar
    view: CallView
    registro: Registry

    @property
    def book(self) -> Book:
        """The rule book the call names: its lifecycle, its machine, its declarations."""
        return book_of(self.call)


@dataclass
class Scopes:
    """The scope of each call a unit of work touches, each built on first use."""

    session: Session
    calls: Calls | None = None
    _scopes: dict[str, Scope] = field(default_factory=dict)
    _registry: Registry | None = None

    def __post_init__(self) -> None:
        self.calls = self.calls or Calls(self.session)

    def of(self, convocatoria: str) -> Scope:
        if convocatoria not in self._scopes:
            if self._registry is None:
                self._registry = registry(self.session)
            self._scopes[convocatoria] = Scope(self.calls.call(convocatoria), self.calls.calendar(convocatoria),
                                               call_view(self.session, convocatoria), self._registry)
        return self._scopes[convocatoria]


def rule_context(scope: Scope, codigo: str, estado: str, hechos: dict[str, Any], fecha: date,
                 datos: dict[str, Any] | None = None, plazos: list[dict[str, Any]] | None = None) -> Context:
    """What a rule reads about `codigo` judged on `fecha`, with the data an event brings."""
    return Context(codigo, estado, hechos, datos or {}, scope.call, fecha, scope.view, scope.registro,
                   plazos=plazos, calendario=scope.calendario)
