"""What every call file holds, whatever its rule book: the book it names, the call's identity and
dates, and its calendar. Each book's schema extends it with the sections of its bases; the file is
read and validated by states/books.py `parse_call`.

The engine never holds a number of the bases; it asks the call.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

CALLS_DIR = Path(str(files("states") / "calls"))
"""Shipped in the wheel as package data: the call files of the rule book."""
DEFAULT_CALL = CALLS_DIR / "E062-2019-01.toml"


CALL_KEY = "convocatoria:"
"""How the log names a call's own rows (its load, its holidays, an import refused as a whole)."""


def call_key(codigo: str) -> str:
    return f"{CALL_KEY}{codigo}"


def shipped(name: str | Path) -> Path:
    """A call file by its path, or by the code of one shipped with convoca (`ANDE-BPD-2025`) when no
    file of that name is there."""
    path = Path(name)
    if not path.exists() and (CALLS_DIR / f"{path.name}.toml").is_file():
        return CALLS_DIR / f"{path.name}.toml"
    return path


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Convocatoria(_Section):
    codigo: str
    nombre: str
    zona_horaria: str
    """The jurisdiction's (states/jurisdicciones.py): a call file that names another is refused."""
    lanzamiento: date
    cierre: datetime
    publicacion_resultados: date | None = None


class CalendarioBase(_Section):
    """What every call says of its calendar: the seat whose regional holidays count, and how many
    years of national holidays its load stores."""

    sede: str
    anios_feriados: int = Field(ge=1)


class CallBase(_Section):
    """What every call file holds, whatever its book: the book it names, the call's identity and
    dates, and its calendar. Each book's schema (its `esquema`) adds its own sections."""

    reglamento: str
    convocatoria: Convocatoria
    calendario: CalendarioBase

    @property
    def codigo(self) -> str:
        return self.convocatoria.codigo


Call = CallBase
"""A call of any book, as the engine handles it."""


@dataclass(frozen=True)
class Decisivo:
    """A key of the call file whose value has already decided an outcome once an event happened or a
    deadline was opened: a reload that changes it must cite the act that modified the bases."""

    clave: str
    por: str
    """What happened that the value decided, in the officer's words."""
    evento: str | None = None
    plazos: tuple[str, ...] = ()

    def cubre(self, clave: str) -> bool:
        return clave == self.clave or (self.clave.endswith(".*") and clave.startswith(self.clave[:-1]))
