"""What a case counts in its call's portfolio report (`convoca cartera`), as its book reads its facts:
the engine adds these up by call, month, budget line and region, and names no fact of any book."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

CERO = Decimal("0.00")

CONCEPTOS = (("solicitado", "Solicitado por todas las propuestas"), ("aprobado", "Aprobado (propuestas ganadoras)"),
             ("comprometido", "Comprometido al firmar los contratos"), ("desembolsado", "Desembolsado"),
             ("ejecutado", "Ejecutado (gastos registrados)"), ("devuelto", "Devuelto"),
             ("por_devolver", "Por devolver"))
"""The money lines of every portfolio, in the order a reader follows the fund's money (what each
means for a call is its book's `Dinero`)."""


def importe(value: Any) -> Decimal:
    """A stored amount (text, as facts keep money) with two decimals; absent is zero."""
    return CERO if value in (None, "") else Decimal(str(value)).quantize(CERO)


@dataclass(frozen=True)
class Dinero:
    """One case's money as of a date."""

    solicitado: Decimal = CERO
    aprobado: Decimal = CERO
    """What the fund decided to give (zero while not selected)."""
    comprometido: dict[str, Decimal] = field(default_factory=dict)
    """Budget line → the amount its contract commits."""
    desembolsado: Decimal = CERO
    """What the fund paid out: what «desembolsado» means for the book."""
    desembolsos: tuple[tuple[date | str, Decimal], ...] = ()
    """(when, how much) of it, by act, for the report's months."""
    gastos: tuple[tuple[date | str, str, Decimal], ...] = ()
    """(registered, budget line, amount) of each expense accepted."""
    devuelto: tuple[date | str | None, Decimal] = (None, CERO)
    por_devolver: Decimal = CERO
    region: str | None = None


@dataclass(frozen=True)
class LibroDeCartera:
    partidas: tuple[str, ...]
    """The budget lines, in the report's order."""
    notables: tuple[str, ...]
    """The events the report lists as the period's notable ones (promotions, extensions, the ways out)."""
    dinero: Callable[[dict[str, Any], str, list[dict[str, Any]]], Dinero]
    """(the case's facts, its state, its acts in effect) → what it counts."""
