"""The tables `convoca ver` shows of a case beyond its groups of facts (a book's milestones, budget,
tranches, endorsing firms): each a pure function of the case's facts that its book declares, so the
terminal view names no fact of any book."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tabla:
    titulo: str
    columnas: tuple[str, ...]
    filas: list[tuple[str, ...]]


Vista = Callable[[dict[str, Any]], "Tabla | None"]
"""The case's facts → its table, or None when the case has nothing of it yet."""
