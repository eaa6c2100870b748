"""The schema of an ANDE «Bienes Públicos Digitales» call file: every number of the Bases and the
Pautas de evaluación, and each [policy] setting the documents leave open, with its default in the
shipped file (states/calls/ANDE-BPD-2025.toml)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field, model_validator

from states.call import CalendarioBase, CallBase, _Section

CRITERIOS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI")
"""The committee's criteria, as the Pautas number them (P I–XI)."""


class Apoyo(_Section):
    """B «Apoyo que brinda el programa», «Gastos financiables» notes 3–5."""

    tope_porcentaje: Decimal = Field(gt=0, le=1)
    tope_monto: Decimal = Field(gt=0)
    contrapartida_minima: Decimal = Field(ge=0, le=1)
    efectivo_minimo: Decimal = Field(ge=0, le=1)
    piso_efectivo_condicional: Decimal = Field(ge=0)
    tope_equipamiento: Decimal = Field(ge=0, le=1)
    tope_imprevistos: Decimal = Field(ge=0, le=1)
    tope_administracion: Decimal = Field(ge=0)
    rubros: list[str]


class Avales(_Section):
    """B «Tipos de proyectos»; I §3; P IX–X."""

    minimo: int = Field(ge=1)
    regiones: dict[str, list[str]]
    cadenas: list[str]


class Evaluacion(_Section):
    pesos: dict[str, Decimal]
    escala_maxima: int = Field(ge=1)
    puntaje_minimo: Decimal | None = None

    @model_validator(mode="after")
    def _pesos(self) -> "Evaluacion":
        if sorted(self.pesos) != sorted(CRITERIOS):
            raise ValueError(f"los pesos deben ser los de los criterios {', '.join(CRITERIOS)}")
        if sum(self.pesos.values()) != Decimal("1"):
            raise ValueError(f"los pesos suman {sum(self.pesos.values())}, no 1")
        return self


class Plazos(_Section):
    dias_habiles_aclaracion: int = Field(ge=1)
    dias_convenio: int = Field(ge=1)
    inicio_a_mas_tardar: date
    meses_maximos: int = Field(ge=1)
    dias_anticipo: int = Field(ge=1)
    dias_habiles_rendicion: int = Field(ge=1)
    recordatorios_dias: list[int]


class Desembolsos(_Section):
    anticipo: Decimal = Field(gt=0, le=1)
    segundo: Decimal = Field(gt=0, le=1)
    final: Decimal = Field(gt=0, le=1)
    rendido_minimo: Decimal = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _suman(self) -> "Desembolsos":
        if self.anticipo + self.segundo + self.final != Decimal("1"):
            raise ValueError("los tres desembolsos deben sumar el 100 % del aporte de ANDE")
        return self


class Periodo(_Section):
    nombre: str
    hasta: date


class Call(CallBase):
    calendario: CalendarioBase
    apoyo: Apoyo
    avales: Avales
    evaluacion: Evaluacion
    plazos: Plazos
    desembolsos: Desembolsos
    rendiciones: list[Periodo]
