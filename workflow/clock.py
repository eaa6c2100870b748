"""The only place that reads the wall clock; everything else is handed a `Clock`.

Two instants are kept apart on purpose. The *working* clock (`Clock`) says what day it is for the
rules and the deadlines; a rehearsal database may pin it (`CONVOCA_AHORA`) to replay 2019–2020.
The *registration* instant of an audit row is never pinned: `wall_clock` is what the machine says,
so the log shows when a fact was really written.
"""
from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LIMA = ZoneInfo("America/Lima")


def wall_clock() -> datetime:
    return datetime.now(LIMA)


class Clock:
    """The real time: the machine's, or on PostgreSQL the server's (`sync`), so that an officer's
    machine with a wrong clock neither sends notices that are not due nor dates an act ahead."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return wall_clock() + self.offset

    def today(self) -> date:
        return self.now().date()

    def sync(self, server: datetime | None) -> Clock:
        """Takes the server's time (`storage.plain.server_now`: PostgreSQL's; None on SQLite, which has
        no other clock)."""
        if server is not None:
            self.offset = server - wall_clock()
        return self


class FixedClock(Clock):
    """A clock that stays where it is told: tests, replays, and `CONVOCA_AHORA` on a rehearsal database."""

    def __init__(self, instant: datetime):
        self.instant = instant if instant.tzinfo else instant.replace(tzinfo=LIMA)

    def now(self) -> datetime:
        return self.instant

    def sync(self, server: datetime | None) -> Clock:
        return self


def pinned_instant() -> str | None:
    """`CONVOCA_AHORA=2019-12-16T09:00`, when set: only a rehearsal database accepts it."""
    return os.environ.get("CONVOCA_AHORA") or None
