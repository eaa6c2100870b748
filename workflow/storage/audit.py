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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, insert, select, text, update

from workflow.clock import wall_clock
from workflow.errors import ConvocaError
from workflow.storage import merkle, verificador
from workflow.storage.identity import os_login
from workflow.storage.tables import AUDITORIA
from workflow.storage.tables import AUDITORIA_CABEZA as CABEZA

GENESIS = "0" * 64
SISTEMA = "sistema"
"""The role of the rows convoca writes on its own (deadline service, calendar, outbox): they never
move a case."""
FIELDS = ("id", "caso_id", "codigo", "evento", "estado_origen", "estado_destino", "usuario", "rol", "registrado_en",
          "fecha_efectiva", "nota", "datos", "reglas", "plazos", "aceptado", "motivos")
LATER = ("login", "entrada", "refiere", "efectos")
"""Columns added after the first rows were written: covered by the hash when they hold something."""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def content_of(row: dict[str, Any]) -> dict[str, Any]:
    """What a row's hash covers, as JSON values (the exported line, without its two hashes)."""
    content = {f: _plain(row.get(f)) for f in FIELDS}
    for later in LATER:  # rows written before these were recorded keep their hash
        if row.get(later) is not None:
            content[later] = row[later]
    return content


class ClockWentBack(ConvocaError):
    """The machine's clock says a time before the last registered row (SQLite)."""


class HeadMismatch(ConvocaError):
    """The chain's head was written around convoca (SQLite): appending on it would break the chain."""


def chain_hash(previous: str, row: dict[str, Any]) -> str:
    return verificador.chain_hash(previous, content_of(row))


CLOCK_FIX = verificador.CLOCK_FIX


@dataclass
class Head:
    """The chain's head as a writer holds it: the last row, and who and when the next rows are."""

    ultimo_id: int
    ultimo_hash: str
    login: str
    instante: datetime
    ultimo_instante: datetime | None = None
    """When the last row was registered (SQLite; None on PostgreSQL, whose trigger keeps the order)."""


def lock(conn: Connection, clock_back: bool = False) -> Head:
    """Takes the chain's lock before reading its head, so two transactions never chain onto the same
    head. On PostgreSQL the database owner's function `convoca_cabeza` takes the row lock and answers
    with the server's login and clock (the officers may not write the head: it moves when the
    transaction commits, to its last row); on SQLite writing the head takes the file's write lock,
    and the machine's clock may not go back before the last row."""
    if conn.dialect.name == "postgresql":
        r = conn.execute(text("SELECT ultimo_id, ultimo_hash, login, instante FROM convoca_cabeza()")).one()
        return Head(r.ultimo_id, r.ultimo_hash, r.login, r.instante)
    conn.execute(update(CABEZA).where(CABEZA.c.id == 1).values(filas=CABEZA.c.filas))
    head = conn.execute(select(CABEZA).where(CABEZA.c.id == 1)).one()
    now = wall_clock()
    tail = conn.execute(select(AUDITORIA.c.id, AUDITORIA.c.hash, AUDITORIA.c.registrado_en)
                        .order_by(AUDITORIA.c.id.desc()).limit(1)).first()
    if ((tail.id, tail.hash) if tail else (0, GENESIS)) != (head.ultimo_id, head.ultimo_hash):
        raise HeadMismatch("La cabeza de la cadena de auditoría no coincide con su última fila: alguien la cambió "
                           "fuera de convoca. No se escribió nada. Ejecute `convoca auditoria verificar` y avise al "
                           "administrador de la base.")
    last = tail.registrado_en if tail else None
    if last is not None and now < last and not clock_back:
        raise ClockWentBack(f"El reloj de esta máquina marca {now.isoformat(timespec='seconds')}, antes de la última "
                            f"fila del registro ({last.astimezone(now.tzinfo).isoformat(timespec='seconds')}): el "
                            "registro no retrocede en el tiempo, y no se escribió nada. Si la hora de esta máquina es "
                            "la correcta (la de esa fila estaba adelantada), un admin lo reconoce con `convoca "
                            "auditoria reloj --corregir`; si no, corrija la hora del sistema y repita.")
    return Head(head.ultimo_id, head.ultimo_hash, os_login(), now, last)


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
    efectos: dict[str, Any] | None = None
    """What the act wrote outside its case, so the log rebuilds it too: registry flags."""


def append(conn: Connection, entries: list[Entry]) -> list[int]:
    """Appends the entries at the chain's head inside the caller's transaction; returns their ids."""
    if not entries:
        return []
    return _written(conn, lock(conn), entries)


def append_clock_fix(conn: Connection, entry_for: Callable[[Head], Entry]) -> Head:
    """The one row registered before the last one (SQLite): `entry_for(head)` writes the admin's
    acknowledgment that the rows since `head.instante` were registered with the clock ahead, naming
    the instant it goes back from (`verificador.CLOCK_FIX`). Returns the head it went back from."""
    head = lock(conn, clock_back=True)
    entry = entry_for(head)
    if entry.evento != CLOCK_FIX:
        raise ValueError(f"solo {CLOCK_FIX} vuelve atrás en el registro")
    _written(conn, head, [entry])
    return head


def _written(conn: Connection, head: Head, entries: list[Entry]) -> list[int]:
    last_id, last_hash = head.ultimo_id, head.ultimo_hash
    out = []
    for entry in entries:
        full = {**vars(entry), "id": last_id + 1, "login": head.login, "registrado_en": head.instante}
        full["hash_previo"] = last_hash
        full["hash"] = chain_hash(last_hash, full)
        out.append(full)
        last_id, last_hash = full["id"], full["hash"]
    conn.execute(insert(AUDITORIA), out)
    if conn.dialect.name != "postgresql":  # there, the head moves at commit (0012) and the tree grows by trigger (0013)
        conn.execute(update(CABEZA).where(CABEZA.c.id == 1).values(ultimo_id=last_id, ultimo_hash=last_hash,
                                                                    filas=CABEZA.c.filas + len(out)))
        merkle.grow(conn, out[0]["id"], [r["hash"] for r in out])
    return [r["id"] for r in out]


@dataclass
class Verdict:
    ok: bool
    filas: int
    ultimo_hash: str
    problema: str | None = None


@dataclass(frozen=True)
class Seal:
    """A head of the chain kept outside the database: how many rows it had, and the last one's hash."""

    hash: str
    filas: int | None = None
    instante: str | None = None

    def line(self) -> str:
        return f"{self.instante} filas={self.filas} hash={self.hash}"


def parse_seal(text_: str) -> Seal | None:
    """`HASH`, `FILAS:HASH` or a line of a seals file (`INSTANTE filas=N hash=H`)."""
    words = dict(w.split("=", 1) for w in text_.split() if "=" in w)
    if "hash" in words:
        value, filas = words["hash"], words.get("filas")
        instante = text_.split()[0] if "=" not in text_.split()[0] else None
    else:
        filas, _, value = text_.strip().rpartition(":")
        instante = None
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value) or (filas and not filas.isdigit()):
        return None
    return Seal(value, int(filas) if filas else None, instante)


def verify(conn: Connection, sellos: list[Seal] = ()) -> Verdict:
    """Recomputes the chain by the standalone verifier's own rules (workflow/storage/verificador.py);
    names the first row whose content, order, time or presence does not match, and any seal the
    chain does not hold (a copy older or shorter than the seal, or rewritten)."""
    chain = verificador.Chain()
    at = {s.filas: s for s in sellos if s.filas}
    seen = {s.hash for s in sellos if s.filas is None}
    for r in conn.execute(select(AUDITORIA).order_by(AUDITORIA.c.id)).mappings():
        if problem := chain.feed(content_of(r), r["hash_previo"], r["hash"]):
            return Verdict(False, chain.count, chain.previous, problem)
        count, previous = chain.count, chain.previous
        if count in at and at[count].hash != previous:
            return Verdict(False, count, previous, f"el sello de {count} filas dice {at[count].hash} y la fila {count} "
                                                   f"tiene {previous}: el registro fue reescrito desde el sello")
        seen.discard(previous)
    count, previous = chain.count, chain.previous
    head = conn.execute(select(CABEZA).where(CABEZA.c.id == 1)).one()
    if (head.ultimo_id, head.ultimo_hash) != (count, previous):
        return Verdict(False, count, previous,
                       f"la cabeza de la cadena dice {head.ultimo_id} filas y la tabla tiene {count}: "
                       "se eliminaron o agregaron filas al final")
    longest = max(at, default=0)
    if longest > count:
        s = at[longest]
        return Verdict(False, count, previous, f"el sello {s.hash[:16]}… ({s.instante or 'sin fecha'}) es de {longest} "
                                               f"filas y esta base tiene {count}: es una copia más antigua que el "
                                               "sello o truncada")
    if seen:
        return Verdict(False, count, previous, f"el sello {sorted(seen)[0]} no está en la cadena: el registro fue "
                                               "reescrito, o esta copia es más antigua que el sello")
    if problem := merkle.problem(conn, count):
        return Verdict(False, count, previous, problem)
    return Verdict(True, count, previous)


def verify_since(conn: Connection, n: int, hash_n: str) -> Verdict:
    """`verify` of the rows after the first `n`, whose last one a verification saw with `hash_n`: the
    chain goes on from that row, the head is its last row, and the tree's nodes above them are theirs
    (merkle.problem_since). What changed among the first `n` rows only the whole `verify` sees."""
    chain = verificador.Chain()
    if n:
        row = conn.execute(select(AUDITORIA.c.hash, AUDITORIA.c.registrado_en).where(AUDITORIA.c.id == n)).first()
        if row is None or row.hash != hash_n:
            return Verdict(False, n, hash_n, f"la fila {n}, la última de la verificación anterior, ya no es la que se "
                                            f"verificó (hash {hash_n[:16]}…): el registro fue reescrito desde entonces")
        chain.previous, chain.count, chain.instant = hash_n, n, row.registrado_en
    for r in conn.execute(select(AUDITORIA).where(AUDITORIA.c.id > n).order_by(AUDITORIA.c.id)).mappings():
        if problem := chain.feed(content_of(r), r["hash_previo"], r["hash"]):
            return Verdict(False, chain.count, chain.previous, problem)
    head = conn.execute(select(CABEZA).where(CABEZA.c.id == 1)).one()
    if (head.ultimo_id, head.ultimo_hash) != (chain.count, chain.previous):
        return Verdict(False, chain.count, chain.previous,
                       f"la cabeza de la cadena dice {head.ultimo_id} filas y la tabla tiene {chain.count}: "
                       "se eliminaron o agregaron filas al final")
    if problem := merkle.problem_since(conn, n, chain.count):
        return Verdict(False, chain.count, chain.previous, problem)
    return Verdict(True, chain.count, chain.previous)


def seal(conn: Connection, now: datetime) -> Seal:
    """The head as this transaction leaves it. On PostgreSQL the head moves when a transaction
    commits (migration 0012), so the rows this one has appended so far come after it."""
    head = conn.execute(select(CABEZA).where(CABEZA.c.id == 1)).one()
    last_id, last_hash = head.ultimo_id, head.ultimo_hash
    if conn.dialect.name == "postgresql":
        own = conn.execute(select(AUDITORIA.c.id, AUDITORIA.c.hash).where(AUDITORIA.c.id > last_id)
                           .order_by(AUDITORIA.c.id.desc()).limit(1)).first()
        last_id, last_hash = own if own else (last_id, last_hash)
    return Seal(last_hash, last_id, now.isoformat(timespec="seconds"))
