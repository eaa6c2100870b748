"""The tables. Table and column names are Spanish: auditors query them directly."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, DateTime, TypeDecorator
from sqlmodel import Field, SQLModel


class AwareDateTime(TypeDecorator):
    """Stored in UTC, always returned timezone-aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamp without timezone")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class CallRecord(SQLModel, table=True):
    """A call loaded with `convoca init`, with the text of its file as it was then."""

    __tablename__ = "convocatoria"
    codigo: str = Field(primary_key=True)
    nombre: str
    definicion: str
    cargada_en: datetime = Field(sa_column=Column(AwareDateTime, nullable=False))


class CaseRecord(SQLModel, table=True):
    __tablename__ = "caso"
    id: int | None = Field(default=None, primary_key=True)
    codigo: str = Field(unique=True, index=True)
    convocatoria: str = Field(foreign_key="convocatoria.codigo", index=True)
    estado: str = Field(index=True)
    version: int = 1
    hechos: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class AuditRecord(SQLModel, table=True):
    """One row per accepted event: who, when (recorded and effective), what, under which rules."""

    __tablename__ = "auditoria"
    id: int | None = Field(default=None, primary_key=True)
    caso_id: int = Field(foreign_key="caso.id", index=True)
    codigo: str
    evento: str
    estado_origen: str | None
    estado_destino: str
    usuario: str
    registrado_en: datetime = Field(sa_column=Column(AwareDateTime, nullable=False))
    fecha_efectiva: date
    nota: str | None = None
    datos: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reglas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class RegistryFlag(SQLModel, table=True):
    """An entity or coordinator barred for a time (Bases §2.2.1, Disposición final segunda;
    Contrato cl. 10); eligibility of every later call reads it."""

    __tablename__ = "registro"
    id: int | None = Field(default=None, primary_key=True)
    tipo: str = Field(index=True)
    documento: str = Field(index=True)
    nombre: str | None = None
    desde: date
    hasta: date | None = None
    motivo: str
    fuente: str
    caso: str
    auditoria_id: int | None = Field(default=None, foreign_key="auditoria.id")
