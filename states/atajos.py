"""A book's stage commands (`convoca evaluar`, `convoca elegibilidad`, `convoca hito`): shortcuts of
`avanzar` for one of its events, with what that stage needs — the event's fields as options, a number
after the case, documents, a sheet of many cases, a checklist after it, the sentence it answers with.

The command line generates one command per name from every registered book's shortcuts (two books
may offer the same name: the case's book decides which runs); nothing of a stage is written per book
in the CLI.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from states.definition import Rule


@dataclass(frozen=True)
class Atajo:
    comando: str
    """The command's name, as the officer types it after `convoca`."""
    ayuda: str
    """What the command does (its help's first line)."""
    eventos: tuple[str, ...]
    """One: the command fires it. Several: the officer names which, after the case (EVENTO)."""
    opciones: bool = False
    """The (one) event's fields are the command's options (`--presencia 4`) instead of `--dato` pairs."""
    numero: tuple[str, str] | None = None
    """(key, help): a number typed after the case and recorded under that key (the milestone's)."""
    documentos: bool = False
    """`--documento clave=ruta`: files recorded by name and SHA-256."""
    archivo: str | None = None
    """What `--archivo` holds (one row per case, applied as `lote` applies it); None: no sheet."""
    dice: Callable[[str, dict[str, Any]], str] | None = None
    """(code, what its audit row records) → what the command answers once the event fired; None: the
    transition, as `avanzar` says it."""
    requisitos: tuple[Rule, ...] = ()
    """Rules shown after the command as the case's checklist, each with its source and state."""
    habilita: str | None = None
    """The event that checklist gates: the answer says whether it may fire."""
    sin_datos_muestra: bool = False
    """Run with the case alone (no data), the command only shows the checklist."""
