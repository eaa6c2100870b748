"""The tables, defined once, here. Table and column names are Spanish: auditors query them directly.

Writes go through these SQLModel classes. The read commands must not pay for importing SQLModel and
the ORM, so `workflow/storage/tables.py` holds the same tables as plain SQLAlchemy Core; the busiest
(`ver`, `listar`, `plazos`…) not even for SQLAlchemy, so `workflow/storage/column_kinds.py` holds the
kind of each column their plain reading converts. Both are generated from these classes (`make
tablas`, which runs this module) and checked against them by the suite: change a class here,
regenerate, and the test says if you forgot.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from workflow.storage.coltypes import AwareDateTime


class CallRecord(SQLModel, table=True):
    """A call loaded with `convoca init`, with the text of its file as it was then."""

    __tablename__ = "convocatoria"
    codigo: str = Field(primary_key=True)
    nombre: str
    definicion: str
    cargada_en: datetime = Field(sa_column=Column(AwareDateTime, nullable=False))


class Installation(SQLModel, table=True):
    """What kind of database this is, fixed when it is created: a rehearsal database (demo,
    training, tests) may pin the clock and let anyone name any user; a production one never."""

    __tablename__ = "instalacion"
    id: int = Field(primary_key=True)
    ensayo: bool
    creada_en: datetime = Field(sa_column=Column(AwareDateTime, nullable=False))


class Setting(SQLModel, table=True):
    """A setting of the installation an admin changed from its default (`convoca ajustes fijar`);
    each change is an audited act, so the log rebuilds this table."""

    __tablename__ = "ajuste"
    clave: str = Field(primary_key=True)
    valor: Any = Field(sa_column=Column(JSON, nullable=False))


class User(SQLModel, table=True):
    __tablename__ = "usuario"
    nombre: str = Field(primary_key=True)
    rol: str
    email: str | None = None
    activo: bool = True
    login: str | None = Field(default=None, unique=True)
    """The login something real authenticated (PostgreSQL role, or OS account on SQLite)."""


class CaseRecord(SQLModel, table=True):
    __tablename__ = "caso"
    __table_args__ = (Index("ix_caso_estado_codigo", "estado", "codigo"),)
    """One state's first page, in code order, read straight from the index (`listar --estado`)."""
    id: int | None = Field(default=None, primary_key=True)
    codigo: str = Field(unique=True, index=True)
    convocatoria: str = Field(foreign_key="convocatoria.codigo", index=True)
    estado: str = Field(index=True)
    version: int = 1
    hechos: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    monitor: str | None = Field(default=None, foreign_key="usuario.nombre", index=True)


class AuditRecord(SQLModel, table=True):
    """One row per accepted event: who, when (recorded and effective), what, under which rules."""

    __tablename__ = "auditoria"
    id: int | None = Field(default=None, primary_key=True, sa_column_kwargs={"autoincrement": False})
    caso_id: int | None = Field(default=None, foreign_key="caso.id", index=True)
    codigo: str = Field(index=True)
    evento: str = Field(index=True)
    estado_origen: str | None
    estado_destino: str | None
    usuario: str
    rol: str | None = None
    login: str | None = None
    """Who the database saw acting: filled by the server on PostgreSQL, the OS account on SQLite."""
    registrado_en: datetime = Field(sa_column=Column(AwareDateTime, nullable=False))
    fecha_efectiva: date
    nota: str | None = None
    datos: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reglas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    plazos: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False,
                                                                                server_default="[]"))
    """The deadline ledger changes this event made, so the log alone rebuilds the deadlines too."""
    aceptado: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    motivos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"))
    """For a refused attempt: every reason given."""
    entrada: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    """The data the event was given (its `--dato`s, typed): what the fold fires it with again when an
    earlier act is recorded late, rectified or annulled."""
    refiere: int | None = None
    """The row this one rectifies (the same event, corrected) or annuls (`anular`)."""
    efectos: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    """What the act wrote outside its case (registry flags), so that the log rebuilds it too."""
    hash_previo: str = Field(default="", sa_column_kwargs={"server_default": ""})
    hash: str = Field(default="", sa_column_kwargs={"server_default": ""})


class AuditHead(SQLModel, table=True):
    """The head of the audit chain: one row, locked by every append."""

    __tablename__ = "auditoria_cabeza"
    id: int = Field(primary_key=True)
    ultimo_id: int = 0
    ultimo_hash: str
    filas: int = 0


class AuditTreeNode(SQLModel, table=True):
    """One complete subtree of the log's Merkle tree (RFC 6962): level 0 holds each row's leaf,
    level k the node over leaves [i·2^k, (i+1)·2^k). Kept so that a root at any size and any proof
    come from O(log n) stored nodes, never from re-reading the log; written in the transaction of
    the rows it covers (on PostgreSQL by the owner's trigger only, migration 0013)."""

    __tablename__ = "auditoria_arbol"
    nivel: int = Field(primary_key=True)
    indice: int = Field(primary_key=True)
    hash: str


class RegistryFlag(SQLModel, table=True):
    """An entity or coordinator barred for a time (each flag carries its source, from the rule that
    raised it); eligibility of every later call reads it."""

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


class Deadline(SQLModel, table=True):
    """The deadline ledger: the single source of truth the scheduler reads and acts on."""

    __tablename__ = "plazo"
    __table_args__ = (Index("ix_plazo_estado_vence", "estado", "vence"),)
    id: int | None = Field(default=None, primary_key=True)
    caso_id: int = Field(foreign_key="caso.id", index=True)
    codigo: str = Field(index=True)
    tipo: str
    hito: str | None = None
    responsable: str
    cuenta: str
    desde: date | None = None
    vence: date
    estado: str = "pendiente"
    abierto_por: str
    cerrado_por: str | None = None
    cerrado_el: date | None = None
    motivo: str | None = None
    escalamiento: int = 0
    escalamiento_vence: date | None = None


class Message(SQLModel, table=True):
    """The outbox: written in the transaction of the fact that caused it, sent afterwards."""

    __tablename__ = "mensaje"
    id: int | None = Field(default=None, primary_key=True)
    clave: str = Field(unique=True)
    caso_id: int | None = Field(default=None, foreign_key="caso.id", index=True)
    codigo: str | None = None
    tipo: str
    plazo_id: int | None = Field(default=None, foreign_key="plazo.id")
    destinatarios: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    asunto: str
    texto: str
    html: str
    estado: str = Field(default="pendiente", index=True)
    advertencia: str | None = None
    intentos: int = 0
    proximo_intento: datetime | None = Field(default=None, sa_column=Column(AwareDateTime))
    respuesta: str | None = None
    message_id: str
    contexto: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    """For a letter (a carta): what its templates were given, so that it can be printed again."""
    creado_en: datetime = Field(sa_column=Column(AwareDateTime, nullable=False))
    auditoria_id: int | None = None
    """The audit row that queued it, which holds its recipients and the fingerprint of its text."""
    enviado_en: datetime | None = Field(default=None, sa_column=Column(AwareDateTime))


class Holiday(SQLModel, table=True):
    """The national holidays of a country (a call's jurisdiction, states/jurisdicciones.py) of the years a
    call needs, generated at `init` from the `holidays` package (its version in `fuente`): the database is
    the one source of the calendar."""

    __tablename__ = "feriado"
    pais: str = Field(primary_key=True)
    fecha: date = Field(primary_key=True)
    nombre: str
    fuente: str


class AddedNonWorkingDay(SQLModel, table=True):
    """A non-working day or suspension an officer added, with the decree that declared it."""

    __tablename__ = "dia_no_laborable"
    id: int | None = Field(default=None, primary_key=True)
    pais: str
    """The country whose calendar the decree changes (its jurisdiction's)."""
    desde: date
    hasta: date
    tipo: str
    alcance: str
    norma: str
    agregado_por: str
    agregado_en: datetime = Field(sa_column=Column(AwareDateTime, nullable=False))


def core_source() -> str:
    """The text of `workflow/storage/tables.py`: each table's columns (name, type, key, nullability) in Core."""
    from sqlalchemy import Boolean, Date, Integer, String

    kinds = ((AwareDateTime, "AwareDateTime()"), (JSON, "JSON()"), (Boolean, "Boolean()"), (Date, "Date()"),
             (Integer, "Integer()"), (String, "String()"))
    lines = ['"""The tables in SQLAlchemy Core, for the read commands. GENERATED from workflow/storage/models.py by',
             '`make tablas`: do not edit; the suite checks that it matches the models."""',
             "from sqlalchemy import JSON, Boolean, Column, Date, Integer, MetaData, String, Table", "",
             "from workflow.storage.coltypes import AwareDateTime", "", "metadata = MetaData()", ""]
    for table in SQLModel.metadata.sorted_tables:
        lines.append(f"{table.name.upper()} = Table(")
        lines.append(f"    {table.name!r}, metadata,")
        for c in table.columns:
            plain = c.type if isinstance(c.type, AwareDateTime) else getattr(c.type, "impl", c.type)  # AutoString
            kind = next(text for cls, text in kinds if isinstance(plain, cls))
            extra = (", primary_key=True" if c.primary_key else "") + ("" if c.nullable else ", nullable=False")
            lines.append(f"    Column({c.name!r}, {kind}{extra}),")
        lines.append(")")
    return "\n".join(lines) + "\n"


def kinds_source() -> str:
    """The text of `workflow/storage/column_kinds.py`: the columns whose values the plain reading
    (workflow/storage/plain.py) must turn from what SQLite stores into Python, by column name; a
    name must mean one kind in every table, or a query could not say which it reads."""
    from sqlalchemy import Boolean, Date

    kinds = ((AwareDateTime, "instant"), (JSON, "json"), (Boolean, "bool"), (Date, "date"))
    found: dict[str, str] = {}
    for table in SQLModel.metadata.sorted_tables:
        for c in table.columns:
            plain = c.type if isinstance(c.type, AwareDateTime) else getattr(c.type, "impl", c.type)
            kind = next((text for cls, text in kinds if isinstance(plain, cls)), "")
            if found.setdefault(c.name, kind) != kind:
                raise SystemExit(f"column {c.name} is of two kinds ({found[c.name] or 'text'} and {kind or 'text'})")
    lines = ['"""The kind of every column that SQLite does not store as Python reads it, by name. GENERATED from',
             'workflow/storage/models.py by `make tablas`: do not edit; the suite checks that it matches the models."""',
             "", "KINDS = {"]
    lines += [f"    {name!r}: {kind!r}," for name, kind in sorted(found.items()) if kind]
    return "\n".join(lines + ["}"]) + "\n"


if __name__ == "__main__":
    here = Path(__file__).parent
    (here / "tables.py").write_text(core_source(), encoding="utf-8")
    (here / "column_kinds.py").write_text(kinds_source(), encoding="utf-8")
