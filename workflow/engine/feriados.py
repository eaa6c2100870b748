"""Peru's national holidays kept in the database, so that it is the one source of the calendar and
a command that counts business days reads one table instead of importing the `holidays` package.

`init` stores the years a call needs (`calendario.anios_feriados` from the launch year), generated
from the package (never typed by hand) and with its version, as an audited act like any other
change of the calendar. A year outside them is still counted right: the calendar asks the package.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, select

from states.calendar import FUENTE_FERIADOS
from states.call import Call
from workflow.storage.tables import FERIADO

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.storage.models import User


def years_of(call: Call) -> range:
    start = call.convocatoria.lanzamiento.year
    return range(start, start + call.calendario.anios_feriados)


def stored(conn: Session | Connection) -> dict[int, dict[date, str]]:
    out: dict[int, dict[date, str]] = {}
    for fecha, nombre in conn.execute(select(FERIADO.c.fecha, FERIADO.c.nombre)):
        out.setdefault(fecha.year, {})[fecha] = nombre
    return out


def missing_years(conn: Session | Connection, call: Call) -> list[int]:
    have = stored(conn)
    return [y for y in years_of(call) if y not in have]


def store(session: Session, call: Call, by: User | None, today: date) -> list[int]:
    """The call's years not stored yet, written with their audit row in the caller's transaction
    (the caller commits). Returns the years stored."""
    import holidays

    from workflow.engine.acting import record

    missing = missing_years(session, call)
    if not missing:
        return []
    fuente = f"holidays {holidays.__version__} ({FUENTE_FERIADOS})"
    peru = holidays.country_holidays("PE", years=missing, language="es")
    rows = [{"fecha": d, "nombre": n, "fuente": fuente} for d, n in sorted(peru.items())]
    record(session, "guardar_feriados", f"convocatoria:{call.codigo}", by, today,
           {"anios": missing, "dias": len(rows), "fuente": fuente,
            "feriados": [[r["fecha"].isoformat(), r["nombre"]] for r in rows]})
    session.connection().execute(insert(FERIADO), rows)  # after the act that lists them (their guard)
    return missing
