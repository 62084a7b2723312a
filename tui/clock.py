"""The shop's one clock: "now" (UTC, stored without a zone) and "today" (the shop's day).

The app, the command line and every db function that needs the time are given a
`Clock`; nothing else reads the wall clock, so the whole suite runs on any date with a
frozen one (`Clock.frozen`), and under faketime too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")


def system_now() -> datetime:
    """The machine's time in UTC, without zone: the only read of the wall clock."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local_day(moment_utc: datetime, zone: ZoneInfo) -> date:
    """The shop's calendar day of a stored UTC time."""
    return zone.fromutc(moment_utc.replace(tzinfo=zone)).date()


@dataclass(frozen=True)
class Clock:
    """Where "now" comes from, and the zone in which "today" is the shop's day."""

    source: Callable[[], datetime] = system_now
    zone: ZoneInfo = UTC

    def now(self) -> datetime:
        """UTC now, without zone (as times are stored)."""
        return self.source()

    def today(self) -> date:
        """The shop's calendar day now."""
        return local_day(self.source(), self.zone)

    def in_zone(self, zone: ZoneInfo) -> "Clock":
        """The same clock, its "today" in the shop's zone."""
        return replace(self, zone=zone)

    @classmethod
    def frozen(cls, moment_utc: datetime, zone: ZoneInfo = UTC) -> "Clock":
        """A clock that stays at `moment_utc` (naive UTC): the tests' and the demo's."""
        moment = moment_utc
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        return cls(lambda: moment, zone)
