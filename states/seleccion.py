"""What a book's selection policy is: pure functions over the evaluated cases' facts that return the
requests the engine applies (one transaction), the merit order as published, and the next case a
freed place goes to. A book without one decides case by case (no shared ranking, no waitlist)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from states.errors import ConvocaError

Filas = list[tuple[str, dict[str, Any]]]
"""(code, facts) of each case a policy reads."""


class BadActa(ConvocaError):
    """A committee's acta that cannot decide: unreadable, incomplete, or against the book's rules."""

    exit_code = 2


@dataclass(frozen=True)
class Solicitud:
    """A request the policy asks the engine to apply: an event on a case, with its data and note."""

    codigo: str
    evento: str
    datos: dict[str, Any]
    nota: str | None = None
    cuenta: str = ""
    """What the summary of a publication counts it as (its result)."""


@dataclass(frozen=True)
class Orden:
    """A merit order as shown before it is published: its rows (labelled columns), its title, what the
    committee must decide, and what the JSON export says of it."""

    columnas: tuple[str, ...]
    filas: list[dict[str, Any]]
    """One per ranked case: column → what it shows."""
    titulo: str
    nota: str | None
    resumen: dict[str, Any]


@dataclass(frozen=True)
class Seleccion:
    espera: str
    """The state the cases ranked together wait in."""
    evento: str
    """The event that publishes each case: who may publish is who may fire it."""
    ordenar: Callable[[Filas, Any], Any]
    """(the waiting cases, the call) → its ranking (the policy's own value)."""
    mostrar: Callable[[Any], Orden]
    """The ranking as the officer reads it."""
    publicar: Callable[[Any, dict[str, Any] | None, Any, str, date], list[Solicitud]]
    """(ranking, acta or None, call, resolution, date of publication) → the requests that publish it,
    in the order they are applied (raises BadActa)."""
    publicado: Callable[[list[tuple[str, str, dict[str, Any]]]], list[dict[str, Any]]]
    """(code, state, facts) of every case of the call → the merit order as published."""
    mostrar_publicado: Callable[[list[dict[str, Any]], str], Orden]
    """(the published order, the call's code) → the table the officer reads of it."""
    lista: str
    """The state of the waitlist a freed place is offered from."""
    promover: Callable[[Filas, str], Solicitud | None]
    """(the waitlisted cases, the code whose place is free) → the request that fills it; None: nobody."""
    fuente_promocion: str
    """Where the waitlist's rule is written (the refusal when nobody is left names it)."""
