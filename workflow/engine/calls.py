"""The calls loaded in a database, and the calendar each one counts with: the one place that reads
them, so that every command, pass and preview works the same with one call or several.

A call's text is parsed once per process (it changes only through `init`, which stores a new
text); a calendar is built once per `Calls` (a unit of work: a command, a batch, a pass), because
an officer may add a non-working day between two passes of a long-running service.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from states.books import book_of, parse_stored
from states.calendar import Calendar, NonWorkingDay
from states.call import Call
from workflow.errors import NotFound
from workflow.storage.plain import select_rows


def _stored(session: Any) -> list[tuple[str, str]]:
    return [tuple(r) for r in select_rows(session, "SELECT codigo, definicion FROM convocatoria ORDER BY codigo")]


def all_calls(session: Any) -> list[Call]:
    """Every call stored, in the order of their codes."""
    return [parse_stored(code, text) for code, text in _stored(session)]


def call_of(session: Any, codigo: str | None = None) -> Call:
    """The call stored with this code; with no code, the only one there (several: say which)."""
    rows = _stored(session)
    if not rows:
        raise NotFound("No hay convocatorias cargadas: ejecute `convoca init`.")
    if codigo is None:
        if len(rows) > 1:
            raise NotFound("Hay varias convocatorias: indique --convocatoria "
                           f"({', '.join(r[0] for r in rows)}).")
        codigo = rows[0][0]
    for code, text in rows:
        if code == codigo:
            return parse_stored(code, text)
    raise NotFound(f"Convocatoria desconocida: {codigo}. Cargadas: {', '.join(r[0] for r in rows)}")


def zone(call: Call) -> ZoneInfo:
    """The call's time zone (its jurisdiction's, checked at load): where its days begin and end."""
    return ZoneInfo(call.convocatoria.zona_horaria)


def local_date(call: Call, instant: datetime) -> date:
    """The day it is in the call's time zone at that instant: the day its deadlines count."""
    return instant.astimezone(zone(call)).date()


def calendar_for(session: Any, call: Call) -> Calendar:
    """The law's calendar from the database, in the call's jurisdiction: its country's stored national
    holidays, the shipped seed and the days officers added, with the call's seat."""
    from workflow.engine.feriados import stored

    pais = book_of(call).jurisdiccion.pais
    rows = select_rows(session, "SELECT desde, hasta, tipo, alcance, norma FROM dia_no_laborable WHERE pais = :pais "
                                "ORDER BY id", pais=pais)
    added = tuple(NonWorkingDay(r.desde, r.hasta, r.tipo, r.alcance, r.norma, "base de datos") for r in rows)
    return Calendar(added, call.calendario.sede, stored(session, pais), pais=pais)


def country(session: Any, pais: str | None) -> str:
    """The country a calendar command is about: the one given, or the only one of the loaded calls'
    jurisdictions; a Spanish refusal when it is not one of them or several could be meant."""
    paises = sorted({book_of(c).jurisdiccion.pais for c in all_calls(session)})
    if pais is None and len(paises) == 1:
        return paises[0]
    if pais is None:
        raise NotFound(f"Las convocatorias cargadas son de varios países: indique --pais ({', '.join(paises)}).")
    if pais.upper() not in paises:
        raise NotFound(f"País desconocido: {pais}. Los de las convocatorias cargadas: {', '.join(paises) or 'ninguno'}.")
    return pais.upper()


class Calls:
    """The calls and their calendars for one unit of work, each read on first use."""

    def __init__(self, session: Any):
        self.session = session
        self._calls: dict[str, Call] = {}
        self._calendars: dict[str, Calendar] = {}

    def call(self, codigo: str) -> Call:
        if codigo not in self._calls:
            self._calls[codigo] = call_of(self.session, codigo)
        return self._calls[codigo]

    def calendar(self, codigo: str) -> Calendar:
        if codigo not in self._calendars:
            self._calendars[codigo] = calendar_for(self.session, self.call(codigo))
        return self._calendars[codigo]

    def codes(self) -> list[str]:
        return [code for code, _ in _stored(self.session)]
