"""The rules of the bases, one module per stage; each rule names its source section."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from states.context import Context
from states.definition import Rule, Unproven


def _shown(value: Any) -> str:
    if value is True:
        return "sí"
    if value is False:
        return "no"
    return str(value)


NO_APLICA = "no_aplica"
"""What an officer records for a requirement that does not apply to the proposal."""


def fact_is(path: str, expected: bool, fuente: str, requisito: str) -> Rule:
    """A yes/no fact the officer must have recorded with the value the bases require ("no aplica"
    satisfies it where the datum admits it)."""

    def check(ctx: Context) -> str | None:
        value = ctx.get(path)
        if value is None:
            return Unproven(f"{requisito}: no acreditado (falta registrar '{path}')")
        if value == NO_APLICA:
            return None
        if value is not expected:
            return f"{requisito}: no cumple ('{path}' = {_shown(value)})"
        return None

    check.__name__ = f"{path.replace('.', '_')}_{'si' if expected else 'no'}"
    return Rule(fuente, requisito, check, datos=(path.rsplit(".", 1)[-1],))


def money(value: Any) -> str:
    """Soles with two decimals and thousands separated as FONDECYT writes them."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"S/ {amount:,.2f}".replace(",", " ")
