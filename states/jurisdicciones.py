"""A call's jurisdiction as data: the country whose holidays count, the time zone its instants are
read in, its currency, and the administrative law whose articles a correction and an annulment cite.

A rule book names its jurisdiction (states/book.py); the engine reads these values, never a country
of its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from states.common import grouped


@dataclass(frozen=True)
class Jurisdiccion:
    nombre: str
    pais: str
    """The country of the holidays (ISO 3166, as the `holidays` package names it)."""
    zona_horaria: str
    desfase: str
    """The zone's offset as a call file writes it in an instant (-05:00)."""
    moneda: str
    """ISO 4217."""
    simbolo: str
    """How an amount is written: S/ 25 000.00."""
    fuente_feriados: str
    fuente_rectificar: str
    """The article by which an act's material error is corrected without changing its substance."""
    fuente_anular: str
    """The article by which an act is annulled and ceases to have effect."""
    monedas: str
    """The currency's name as a report says its amounts are in («soles»)."""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zona_horaria)

    @property
    def hora(self) -> str:
        """Whose clock an instant is read on, as a page says it («hora de Lima»)."""
        return "hora de " + self.zona_horaria.rsplit("/", 1)[-1].replace("_", " ")

    def dinero(self, value: Any) -> str:
        """An amount as the jurisdiction's funds write it: S/ 25 000.00."""
        return f"{self.simbolo} {grouped(value)}"


PERU = Jurisdiccion("Perú", "PE", "America/Lima", "-05:00", "PEN", "S/", "DL 713", "TUO Ley 27444 art. 212",
                    "TUO Ley 27444 art. 213", "soles")
URUGUAY = Jurisdiccion("Uruguay", "UY", "America/Montevideo", "-03:00", "UYU", "$",
                       "feriados nacionales de Uruguay (paquete holidays, UY)",
                       "[policy] corrección de un error material, sin cambiar lo decidido",
                       "[policy] revocación del acto por quien lo dictó", "pesos uruguayos")
"""Uruguay (ANDE's calls): the documents quote no article of its administrative law, so a correction
and an annulment cite the [policy] they are, never an invented article."""
