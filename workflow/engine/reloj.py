"""A machine's clock that was ahead, acknowledged by an admin in the record itself (SQLite).

On SQLite a row is registered at the machine's clock, and the record never goes back in time: once a
command ran with the clock 400 days ahead, every later write is refused until that day comes. No
outside clock can say which of the two instants was the true one; an admin can. `corregir_reloj` is
that admin's act: the one row registered before the row it follows, naming the instant it goes back
from and the rows registered after the true time (whose instants, and any effective date taken from
them, were the wrong clock's: rectify those acts). The chain's verifier, convoca's and the auditor's,
accepts a step back only there (workflow/storage/verificador.py). On PostgreSQL the instant is the
server's, and its trigger keeps the order.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlmodel import Session

from states.actos import ACTO
from workflow.engine.acting import authorised
from workflow.errors import Rejected
from workflow.storage import audit
from workflow.storage.tables import AUDITORIA

CORREGIR = ACTO[audit.CLOCK_FIX]


@dataclass
class Corrected:
    desde: datetime
    """When the last row was registered, by the clock that was ahead."""
    hasta: datetime
    """The true time the record goes on from."""
    filas: list[tuple[int, str, str, date]]
    """(id, object, event, effective date) of the rows registered after the true time."""


def correct_clock(session: Session, claimed: str | None, today: date) -> Corrected:
    """The admin's acknowledgment, committed; refused unless the machine's clock is now behind the
    record's last row."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        raise Rejected("En PostgreSQL el registro toma la hora del servidor y no retrocede: no hay un reloj de esta "
                       "máquina que corregir.")
    user = authorised(session, claimed, CORREGIR, "reloj", today)
    found: list[tuple[int, str, str, date]] = []

    def entry_for(head: audit.Head) -> audit.Entry:
        if head.ultimo_instante is None or head.instante >= head.ultimo_instante:
            raise Rejected(f"El reloj de esta máquina ({head.instante.isoformat(timespec='seconds')}) no está atrás de "
                           "la última fila del registro: no hay nada que corregir.")
        found.extend(tuple(r) for r in conn.execute(
            select(AUDITORIA.c.id, AUDITORIA.c.codigo, AUDITORIA.c.evento, AUDITORIA.c.fecha_efectiva)
            .where(AUDITORIA.c.registrado_en > head.instante).order_by(AUDITORIA.c.id)))
        return audit.Entry("reloj", CORREGIR.nombre, user.nombre, today, rol=user.rol, datos={"reloj": {
            "desde": head.ultimo_instante.astimezone(timezone.utc).isoformat(),
            "hasta": head.instante.astimezone(timezone.utc).isoformat(), "filas": [f[0] for f in found]}})

    try:
        head = audit.append_clock_fix(conn, entry_for)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return Corrected(head.ultimo_instante, head.instante, found)
