"""Counting periods as Peru's administrative-procedure law does (TUO Ley 27444, arts. 144-151).

No database here: the officers' added non-working days are passed in, so the arithmetic can be
checked against an independent oracle over whole years.
"""
from __future__ import annotations

import calendar as _cal
import tomllib
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

SEED_FILE = Path(__file__).parent / "no_laborables.toml"


@lru_cache(maxsize=1)
def seed_days() -> frozenset[date]:
    data = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))
    return frozenset(d["fecha"] for d in data.get("dia", []))


class Calendar:
    """Business days: not Saturday, Sunday, national holiday (DL 713) or declared non-working."""

    def __init__(self, no_laborables: frozenset[date] | None = None):
        import holidays  # heavy; only commands that count days pay for it

        self._feriados = holidays.country_holidays("PE")
        self._extra = seed_days() if no_laborables is None else no_laborables

    def is_business_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self._feriados and d not in self._extra

    def next_business_day(self, d: date) -> date:
        """`d` itself when it is a business day (art. 145.2: a period ending on a holiday extends)."""
        while not self.is_business_day(d):
            d += timedelta(days=1)
        return d

    def add_business_days(self, start: date, n: int) -> date:
        """The n-th business day strictly after `start` (art. 144.1); n = 0 gives `start` rolled forward."""
        d = start
        if n == 0:
            return self.next_business_day(d)
        while n:
            d += timedelta(days=1)
            if self.is_business_day(d):
                n -= 1
        return d

    def add_calendar_days(self, start: date, n: int, extend: bool) -> date:
        end = start + timedelta(days=n)
        return self.next_business_day(end) if extend else end


def add_months(start: date, months: int) -> date:
    """Date to date (art. 145.3); a day the target month lacks becomes its last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, _cal.monthrange(year, month)[1]))
