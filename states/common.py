"""What every rule book's rules use: the datum «no aplica», a yes/no fact a rule requires, and an
amount read exactly and within the bounds of the record."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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


MONTO_MAXIMO = Decimal("999999999999.99")
"""The largest amount convoca reads (999 999 999 999.99): far above any fund's budget, and within
what every sum, report and spreadsheet computes exactly. Not a rule of a call: a bound of the record."""


def amount(text: str) -> Decimal:
    """An amount as an officer or a form writes it; a Spanish ValueError for anything that is not a
    finite, non-negative number within `MONTO_MAXIMO` with at most 20 digits (`Infinity`, `NaN`,
    `1e28`, thirty digits)."""
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ValueError("debe ser un monto, p. ej. 1500.00") from None
    if not value.is_finite() or value < 0:
        raise ValueError("debe ser un monto no negativo")
    if value > MONTO_MAXIMO or len(value.as_tuple().digits) > 20:
        raise ValueError(f"es demasiado grande o largo para un monto (a lo más {grouped(MONTO_MAXIMO)})")
    return value


def grouped(value: Any) -> str:
    """An amount with two decimals, thousands separated by a space (25 000.00): how the funds write
    it, after their currency's symbol."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}".replace(",", " ")
