"""The audit log as a hash chain: who did what, when, under which rule, provably unaltered.

Every row stores the SHA-256 of its own canonical content chained with the previous row's hash.
Appends are serialized on the chain's head row (one line even with several officers at once); ids
are assigned from the head so that a row's id is part of what its hash covers, and a deleted,
inserted, edited or reordered row breaks the chain at that point.

Who and when are never the caller's to say: `append` takes the login and the registration instant
from the connection (on PostgreSQL the server's `session_user` and clock, which its trigger also
writes into the row; on SQLite the operating-system account and the machine's clock).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, insert, select, text, update

from workflow.clock import wall_clock
from workflow.storage.identity import os_login
from workflow.storage.tables import AUDITORIA
from workflow.storage.tables import AUDITORIA_CABEZA as CABEZA

GENESIS = "0" * 64
FIELDS = ("id", "caso_id", "codigo", "evento", "estado_origen", "estado_destino", "usuario", "rol", "registrado_en",
          "fecha_efectiva", "nota", "datos", "reglas", "plazos", "aceptado", "motivos")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical(row: dict[str, Any]) -> str:
    content = {f: _plain(row.get(f)) for f in FIELDS}
    for later in ("login", "entrada", "refiere"):  # rows written before these were recorded keep their hash
        if row.get(later) is not None:
            content[later] = row[later]
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def who_and_when(conn: Connection) -> tuple[str, datetime]:
    """The authenticated login and the registration instant, as the database will record them."""
    if conn.dialect.name == "postgresql":
        login, instant = conn.execute(text("SELECT session_user, transaction_timestamp()")).one()
        return login, instant
    return os_login(), wall_clock()


def chain_hash(previous: str, row: dict[str, Any]) -> str:
    return hashlib.sha256((previous + canonical(row)).encode()).hexdigest()


def lock(conn: Connection) -> None:
    """Writing the head takes the write lock (SQLite) or the row lock (PostgreSQL) before we read it,
    so two transactions can never chain onto the same head."""
    conn.execute(update(CABEZA).where(CABEZA.c.id == 1).values(filas=CABEZA.c.filas))


@dataclass
class Entry:
    """One row of the log as every writer states it: what was done, on which case or object, by
    whom, on which effective date and under which rules; the chain adds who was logged in, when it
    was registered and the hashes (`append`)."""

    codigo: str
    evento: str
    usuario: str
    fecha_efectiva: date
    caso_id: int | None = None
    estado_origen: str | None = None
    estado_destino: str | None = None
    rol: str | None = None
    nota: str | None = None
    datos: dict[str, Any] = field(default_factory=dict)
    reglas: list[str] = field(default_factory=list)
    plazos: list[dict[str, Any]] = field(default_factory=list)
    aceptado: bool = True
    motivos: list[str] = field(default_factory=list)
    entrada: dict[str, Any] | None = None
    refiere: int | None = None


def append(conn: Connection, entries: list[Entry]) -> list[int]:
    """Appends the entries at the chain's head inside the caller's transaction; returns their ids."""
    if not entries:
        return []
    lock(conn)
    head = conn.execute(select(CABEZA).where(CABEZA.c.id == 1)).one()
    last_id, last_hash = head.ultimo_id, head.ultimo_hash
    login, instant = who_and_when(conn)
    out = []
    for entry in entries:
        full = {**vars(entry), "id": last_id + 1, "login": login, "registrado_en": instant}
        full["hash_previo"] = last_hash
        full["hash"] = chain_hash(last_hash, full)
        out.append(full)
        last_id, last_hash = full["id"], full["hash"]
    conn.execute(insert(AUDITORIA), out)
    conn.execute(update(CABEZA).where(CABEZA.c.id == 1).values(ultimo_id=last_id, ultimo_hash=last_hash,
                                                                filas=CABEZA.c.filas + len(out)))
    return [r["id"] for r in out]


@dataclass
class Verdict:
    ok: bool
    filas: int
    ultimo_hash: str
    problema: str | None = None


def verify(conn: Connection, sello: str | None = None) -> Verdict:
    """Recomputes the chain; names the first row whose content, order or presence does not match."""
    previous, expected_id, count = GENESIS, 1, 0
    seal_seen = sello is None
    for r in conn.execute(select(AUDITORIA).order_by(AUDITORIA.c.id)).mappings():
        when = f"registrada el {_plain(r['registrado_en'])}"
        if r["id"] != expected_id:
            kind = "falta la fila" if r["id"] > expected_id else "fila repetida o reordenada antes de la"
            return Verdict(False, count, previous, f"{kind} {expected_id} (siguiente presente: {r['id']}, {when})")
        if r["hash_previo"] != previous:
            return Verdict(False, count, previous,
                           f"fila {r['id']} ({when}): no sigue a la fila anterior (insertada, eliminada o reordenada)")
        if chain_hash(previous, dict(r)) != r["hash"]:
            return Verdict(False, count, previous, f"fila {r['id']} ({when}): su contenido fue alterado")
        previous, expected_id, count = r["hash"], expected_id + 1, count + 1
        seal_seen = seal_seen or previous == sello
    head = conn.execute(select(CABEZA).where(CABEZA.c.id == 1)).one()
    if (head.ultimo_id, head.ultimo_hash) != (count, previous):
        return Verdict(False, count, previous,
                       f"la cabeza de la cadena dice {head.ultimo_id} filas y la tabla tiene {count}: "
                       "se eliminaron o agregaron filas al final")
    if not seal_seen:
        return Verdict(False, count, previous, f"el sello {sello} no está en la cadena: el registro fue reescrito")
    return Verdict(True, count, previous)


def seal(conn: Connection) -> tuple[int, str]:
    head = conn.execute(select(CABEZA).where(CABEZA.c.id == 1)).one()
    return head.ultimo_id, head.ultimo_hash
