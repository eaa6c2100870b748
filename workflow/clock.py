"""The only place that reads the wall clock; everything else is handed a `Clock`."""
from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

LIMA = ZoneInfo("America/Lima")


class Clock:
    def now(self) -> datetime:
        return datetime.now(LIMA)

    def today(self) -> date:
        return self.now().date()


class FixedClock(Clock):
    """A clock that stays where it is told: tests, replays, and `CONVOCA_AHORA`."""

    def __init__(self, instant: datetime):
        self.instant = instant if instant.tzinfo else instant.replace(tzinfo=LIMA)

    def now(self) -> datetime:
        return self.instant


def from_environment() -> Clock:
    """`CONVOCA_AHORA=2019-12-16T09:00` pins the clock, to reproduce what an officer saw."""
    value = os.environ.get("CONVOCA_AHORA")
    return FixedClock(datetime.fromisoformat(value)) if value else Clock()
