"""The rules of the bases, one module per stage; each rule names its source section."""
from __future__ import annotations

from states.common import NO_APLICA, amount, fact_is
from states.jurisdicciones import PERU

__all__ = ["NO_APLICA", "amount", "fact_is", "money"]

money = PERU.dinero
"""Soles with two decimals and thousands separated as FONDECYT writes them."""
