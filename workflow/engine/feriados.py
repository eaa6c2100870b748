"""Peru's national holidays kept in the database, so that it is the one source of the calendar and
a command that counts business days reads one table instead of importing the `holidays` package.

`init` stores the years a call needs (`calendario.anios_feriados` from the launch year) and at least
through the year after the act's date, generated from the package (never typed by hand) and with
its version, as an audited act like any other change of the calendar. The service keeps them
through next year as time passes (`agenda.keep_holidays_current`), so a call that outlives its
years still counts from the table. A year outside them is still counted right: the calendar asks the package.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from states.books import book_of
from states.call import Call, call_key
from workflow.storage.plain import select_rows, select_value

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.storage.models import User


def years_of(call: Call, through: int) -> range:
    """The call's years and every year up to `through`."""
    start = call.convocatoria.lanzamiento.year
    return range(start, max(start + call.calendario.anios_feriados, through + 1))


def stored(conn: Any, pais: str) -> dict[int, dict[date, str]]:
    out: dict[int, dict[date, str]] = {}
    for fecha, nombre in select_rows(conn, "SELECT fecha, nombre FROM feriado WHERE pais = :pais ORDER BY fecha",
                                     pais=pais):
        out.setdefault(fecha.year, {})[fecha] = nombre
    return out


def official(years: list[int], pais: str) -> list[list[str]]:
    """A country's holidays of those years by the `holidays` package, as the row that stores them lists
    them ([ISO date, name]): `auditoria verificar` asks the package again."""
    import holidays

    found = holidays.country_holidays(pais, years=years, language="es")
    return [[d.isoformat(), n] for d, n in sorted(found.items())]


def missing_years(conn: Any, call: Call, through: int) -> list[int]:
    have = stored(conn, book_of(call).jurisdiccion.pais)
    return [y for y in years_of(call, through) if y not in have]


def store(session: Session, call: Call, by: User | None, today: date, through: int | None = None) -> list[int]:
    """The call's years not stored yet, through `through` (by default the year after `today`),
    written with their audit row in the caller's transaction (the caller commits): the act of
    `by`, or with no user the service's own row (`calendario`, as when a decree moves deadlines).
    Returns the years stored."""
    import holidays
    from sqlalchemy import insert

    from workflow.engine.acting import record
    from workflow.storage import audit
    from workflow.storage.tables import FERIADO

    missing = missing_years(session, call, through or today.year + 1)
    if not missing:
        return []
    jurisdiccion = book_of(call).jurisdiccion
    fuente = f"holidays {holidays.__version__} ({jurisdiccion.fuente_feriados})"
    rows = [{"pais": jurisdiccion.pais, "fecha": date.fromisoformat(d), "nombre": n, "fuente": fuente}
            for d, n in official(missing, jurisdiccion.pais)]
    datos = {"pais": jurisdiccion.pais, "anios": missing, "dias": len(rows), "fuente": fuente,
             "feriados": [[r["fecha"].isoformat(), r["nombre"]] for r in rows]}
    codigo = call_key(call.codigo)
    if by is None and select_value(session, "SELECT count(*) FROM usuario"):
        audit.append(session.connection(), [audit.Entry(codigo, "guardar_feriados", "calendario", today, rol=audit.SISTEMA,
                                                        datos=datos)])
    else:  # an officer's act, or the installation's before it has users
        record(session, "guardar_feriados", codigo, by, today, datos)
    session.connection().execute(insert(FERIADO), rows)  # after the act that lists them (their guard)
    return missing

