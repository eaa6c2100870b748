"""Counting periods as Peru's administrative-procedure law does (TUO Ley 27444, arts. 144-151).

No database here: the officers' non-working days and suspensions are passed in, so the arithmetic
can be checked against an independent oracle over whole years.
"""
from __future__ import annotations

import calendar as _cal
import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

FUENTE_FERIADOS = "DL 713"
"""The law that lists Peru's national holidays (the `holidays` package generates them)."""

SEED_FILE = Path(str(files("states") / "no_laborables-PE.toml"))
"""A country's declared days ship as `no_laborables-PAIS.toml` beside this one (Peru's)."""
TIPOS = ("no_laborable", "suspension", "laborable")
"""A day declared non-working; a suspension of administrative deadlines (no count runs); a day a
decree declares working (a holiday moved or made working), which overrides the national list."""


@dataclass(frozen=True)
class NonWorkingDay:
    desde: date
    hasta: date
    tipo: str
    alcance: str
    norma: str
    origen: str = "archivo"

    def days(self) -> list[date]:
        return [self.desde + timedelta(days=i) for i in range((self.hasta - self.desde).days + 1)]


@lru_cache(maxsize=4)
def seed_days(pais: str) -> tuple[NonWorkingDay, ...]:
    """The days a country's decrees declared, shipped with the package (`no_laborables-PAIS.toml`; none
    for a country without one)."""
    path = SEED_FILE.with_name(f"no_laborables-{pais}.toml")
    if not path.is_file():
        return ()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for d in data.get("dia", []):
        desde = d.get("fecha", d.get("desde"))
        out.append(NonWorkingDay(desde, d.get("hasta", desde), d["tipo"], d["alcance"], d["norma"]))
    return tuple(out)


class Calendar:
    """Business days: not Saturday, Sunday, national holiday (DL 713), declared non-working day or
    suspension; calendar-day periods skip only suspensions (their count stops)."""

    def __init__(self, extra: tuple[NonWorkingDay, ...] = (), sede: str = "",
                 feriados: dict[int, dict[date, str]] | None = None, *, pais: str):
        self._holidays = None
        self.pais = pais
        """The country whose national holidays count (the call's jurisdiction's)."""
        self._anuales: dict[int, dict[date, str]] = dict(feriados or {})
        """Holidays by year: those the database stores, then any other year from the package."""
        entries = [e for e in (*seed_days(pais), *extra) if e.alcance in ("nacional", sede)]
        self._laborables = {d for e in entries if e.tipo == "laborable" for d in e.days()}
        self._no_laborables = {d for e in entries if e.tipo != "laborable" for d in e.days()} - self._laborables
        self._suspendidos = {d for e in entries if e.tipo == "suspension" for d in e.days()}
        self._years: set[int] = set()
        self._por_anio: dict[int, list[date]] = {}
        self._no_habiles: set[date] = set(self._no_laborables)
        """Holidays of the years seen so far plus the declared days: one set lookup per day counted."""

    def feriados_de(self, year: int) -> dict[date, str]:
        """The country's national holidays of a year. The database stores those of the years a call
        needs (`convoca init`); only another year imports the `holidays` package, which costs a command
        ~0.1 s because resolving a country loads every country it knows."""
        if year not in self._anuales:
            if self._holidays is None:
                import holidays

                self._holidays = holidays.country_holidays(self.pais, language="es")
            _ = date(year, 1, 1) in self._holidays  # the package expands a year on its first lookup
            self._anuales[year] = {d: n for d, n in self._holidays.items() if d.year == year}
        return self._anuales[year]

    def is_business_day(self, d: date) -> bool:
        if d in self._laborables:
            return True
        if d.weekday() >= 5:
            return False
        if d.year not in self._years:
            self._no_habiles.update(self.feriados_de(d.year))
            self._years.add(d.year)
        return d not in self._no_habiles

    def holiday_name(self, d: date) -> str | None:
        return self.feriados_de(d.year).get(d)

    def next_business_day(self, d: date) -> date:
        """`d` itself when it is a business day (art. 145.2: a period ending on a holiday extends)."""
        while not self.is_business_day(d):
            d += timedelta(days=1)
        return d

    def business_days_of(self, year: int) -> list[date]:
        """The year's business days, in order: counting is then a lookup, not a walk day by day."""
        if year not in self._por_anio:
            first = date(year, 1, 1)
            days = (first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days))
            self._por_anio[year] = [d for d in days if self.is_business_day(d)]
        return self._por_anio[year]

    def add_business_days(self, start: date, n: int) -> date:
        """The n-th business day strictly after `start` (art. 144.1); n = 0 gives `start` rolled forward."""
        if n == 0:
            return self.next_business_day(start)
        year, remaining = start.year, n
        days = self.business_days_of(year)
        i = bisect_right(days, start)
        while i + remaining > len(days):
            remaining -= len(days) - i
            year, i = year + 1, 0
            days = self.business_days_of(year)
        return days[i + remaining - 1]

    def add_calendar_days(self, start: date, n: int, extend: bool) -> date:
        """n calendar days after `start`, suspended days not counted; rolled to a business day if `extend`."""
        d = start
        while n:
            d += timedelta(days=1)
            if d not in self._suspendidos:
                n -= 1
        return self.next_business_day(d) if extend else d

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in (start, end]; negative when `end` is before `start`."""
        sign = 1 if end >= start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        count = 0
        for year in range(lo.year, hi.year + 1):  # a lookup per year, not a walk day by day
            days = self.business_days_of(year)
            count += bisect_right(days, hi) - bisect_right(days, lo)
        return sign * count


MESES_SIN_DIA_IGUAL = ("tuo", "codigo_civil")
"""When the final month has no day equal to the starting one: TUO Ley 27444 art. 145.3 (the first
business day of the following month) or Código Civil art. 183 (the last day of that month)."""


def add_months(start: date, months: int, politica: str = "codigo_civil", calendario: Calendar | None = None) -> date:
    """Date to date (art. 145.3). A day the target month lacks: its last day (Código Civil art. 183)
    or, under the TUO rule, the first business day of the following month (needs the calendar)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = _cal.monthrange(year, month)[1]
    if start.day <= last:
        return date(year, month, start.day)
    if politica == "tuo":
        return calendario.next_business_day(date(year, month, last) + timedelta(days=1))
    return date(year, month, last)
