"""The settings of the installation: how the service runs, how mail is retried, how much text is
taken. They are not the bases (the call file keeps only what the bases decide) and they are the
same for every call in the database. Each has a default; an admin changes one with `convoca ajustes
fijar`, an audited act (engine/settings_acts.py), and the table `ajuste` keeps the values changed.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workflow.errors import ConvocaError
from workflow.storage.tables import AJUSTE

if TYPE_CHECKING:
    from sqlalchemy import Connection


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    intervalo_minutos: int = Field(15, ge=1, le=1440, description="cada cuántos minutos corre `vigilar` en el servicio")
    hora_resumen: str = Field("08:00", description="hora de Lima (HH:MM) del resumen diario de cada monitor")
    dias_resumen: int = Field(7, ge=1, le=90, description="el resumen lista los plazos de los próximos N días")
    dia_informe: int = Field(0, ge=0, le=28, description="día del mes (1 a 28) en que el servicio envía a la Dirección "
                             "y a los auditores el informe de cartera del mes anterior, en PDF; 0: no lo envía")
    intentos_envio: int = Field(5, ge=1, le=50, description="intentos antes de marcar un correo como fallido")
    espera_reintento_minutos: int = Field(1, ge=1, le=1440, description="primera espera antes de reintentar un "
                                                                          "correo; se duplica cada vez")
    largo_maximo_texto: int = Field(4000, ge=10, le=1_000_000, description="caracteres de una nota o un dato de texto")
    largo_resumen_intento: int = Field(500, ge=10, le=100_000, description="caracteres que guarda la auditoría de un "
                                                                            "intento rechazado")

    max_archivo_mb: int = Field(50, ge=1, le=10_000, description="tamaño máximo de un archivo que se importa o se "
                                                               "aplica con lote (MB)")
    max_descomprimido_mb: int = Field(200, ge=1, le=50_000, description="tamaño máximo de una hoja .xlsx u .ods una "
                                                                        "vez descomprimida (MB)")
    max_filas: int = Field(200_000, ge=1, le=10_000_000, description="filas máximas de un archivo que se importa o "
                                                                     "se aplica con lote")
    max_celda: int = Field(100_000, ge=10, le=10_000_000, description="caracteres máximos de una celda de un archivo")

    @field_validator("hora_resumen")
    @classmethod
    def _hour(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError("debe ser una hora HH:MM, p. ej. 08:00")
        return value


DEFAULTS = Settings()
KEYS = tuple(Settings.model_fields)


def read(conn: Connection) -> Settings:
    """The settings in force: the defaults, with the values an admin changed."""
    changed = {k: v for k, v in conn.execute(AJUSTE.select()) if k in KEYS}
    return Settings(**changed)


def validated(clave: str, valor: str) -> Any:
    """The value typed for `clave`, as the setting takes it, or a Spanish refusal."""
    if clave not in KEYS:
        raise ConvocaError(f"Ajuste desconocido: {clave}. Ajustes: {', '.join(KEYS)}.")
    try:
        return getattr(Settings(**{clave: valor}), clave)
    except ValidationError as exc:
        problem = exc.errors()[0]
        text = {"int_parsing": "debe ser un número entero", "greater_than_equal": "es demasiado pequeño",
                "less_than_equal": "es demasiado grande"}.get(problem["type"], problem["msg"].removeprefix("Value error, "))
        raise ConvocaError(f"Valor inválido para {clave}: {valor!r} {text}.") from None
