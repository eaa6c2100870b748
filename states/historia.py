"""The story a rule book tells in `convoca demo`: its shape, shared by every book.

A book's folder may hold `historia.py` with a `HISTORIA`: the call it runs on (one shipped with
convoca), the users it needs beyond the installation's, and `contar`, the story itself, told through a
scene (`Escena`) that the demo gives it. The story names its book's states, events and data; the scene
is generic — it imports, fires events through the one judge, publishes a selection, moves the
calendar, runs the deadline service and prints — so `workflow/` tells any book's story without
knowing one.
"""
from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Protocol

from states.call import CallBase


class Escena(Protocol):
    """What a story may do: each act goes through the same judge an officer's command does."""

    call: CallBase

    def decir(self, texto: str) -> None:
        """Prints one line of the story (a numbered step, or what a refusal said)."""

    def importar(self, filas: list[dict[str, str]], usuario: str) -> tuple[int, str]:
        """Writes the rows to the demo's import file and imports it as the call's application form
        reads it; returns how many were imported and the file."""

    def hacer(self, codigo: str, evento: str, fecha: date, usuario: str, **datos: Any) -> None:
        """Fires the event; a refusal stops the demo (the story only does what the rules accept)."""

    def intentar(self, codigo: str, evento: str, fecha: date, usuario: str, **datos: Any) -> str | None:
        """Fires the event; returns the refusal's reasons instead of raising, None when accepted."""

    def codigos(self, estado: str) -> list[str]:
        """The call's cases in that state, by code."""

    def hechos(self, codigo: str) -> dict[str, Any]:
        """A case's facts as its history folds them."""

    def asignar(self, codigo: str, monitor: str, usuario: str, fecha: date) -> None:
        """Assigns the case's monitor."""

    def clasificar(self) -> Any:
        """The call's merit order as its book's selection policy ranks it (engine/selection.rank)."""

    def publicar(self, resolucion: str, fecha: date, usuario: str, acta: dict[str, Any] | None) -> dict[str, int]:
        """Publishes the selection in one transaction; returns how many cases reached each outcome."""

    def no_laborable(self, dia: date, norma: str, usuario: str) -> int:
        """Declares a national non-working day in the call's country; returns the deadlines it moved."""

    def vigilar(self, desde: date, hasta: date, mirar: Callable[[Any], None]) -> dict[str, int]:
        """Runs the deadline service every seventh day from `desde` to `hasta` at 08:00 in the call's
        time zone, committing each pass; shows `mirar` each action; returns the actions by kind."""

    def bandeja(self) -> dict[str, int]:
        """The outbox's messages by kind."""


@dataclass(frozen=True)
class Historia:
    convocatoria: str
    """The code of the shipped call the story runs on (states/calls/<code>.toml)."""
    contar: Callable[[Escena], str]
    """Tells the story; returns the case an officer should open first to explore it."""
    fin: date
    """The story's last day: the date of its portfolio report."""
    usuarios: tuple[tuple[str, str, str | None], ...] = ()
    """(login, role, e-mail) the story acts as, beyond those an earlier story added."""


def historia(paquete: str) -> Historia | None:
    """The story of the book whose package is `paquete`, if its folder tells one."""
    modulo = f"{paquete}.historia"
    return import_module(modulo).HISTORIA if find_spec(modulo) else None


def write_csv(rows: list[dict[str, str]], path: Path) -> Path:
    """A story's rows as the import file an officer would hand over (the demo imports it); the tests
    write theirs with it too."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
