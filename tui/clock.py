"""The shop's one clock: "now" (UTC, stored without a zone) and "today" (the shop's day),
and the one place where a stored UTC time and the shop's time are turned into each other.

The app, the command line and every db function that needs the time are given a
`Clock`; nothing else reads the wall clock, so the whole suite runs on any date with a
frozen one (`Clock.frozen`), and under faketime too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")


#: the days the program takes: a date outside is a typing mistake, and date arithmetic
#: near year 1 or 9999 overflows
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def outside_days(day: date) -> str | None:
    """The words for a day outside FIRST_DAY..LAST_DAY; None for a day the program takes."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"{day.isoformat()} is outside the years {FIRST_DAY.year}–{LAST_DAY.year}"


def system_now() -> datetime:
    """The machine's time in UTC, without zone: the only read of the wall clock."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local_day(moment_utc: datetime, zone: ZoneInfo) -> date:
    """The shop's calendar day of a stored UTC time."""
    return zone.fromutc(moment_utc.replace(tzinfo=zone)).date()


def stored(value: str | datetime) -> datetime:
    """A stored time as a datetime: raw SQL rows give text, peewee's fields datetimes."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def stored_text(moment: datetime) -> str:
    """A stored time as SQLite compares it (peewee writes 'YYYY-MM-DD HH:MM:SS[.ffffff]')."""
    return str(moment)


def shop_time(value: str | datetime | None, zone: ZoneInfo) -> datetime | None:
    """A stored UTC time as the shop's wall-clock time (without zone); None stays None."""
    if value is None:
        return None
    return stored(value).replace(tzinfo=timezone.utc).astimezone(zone).replace(tzinfo=None)


def from_shop_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """The shop's wall-clock time (without zone, as a POS writes it) as the stored UTC time;
    the inverse of shop_time."""
    return moment.replace(tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)


def day_start_utc(day: date, zone: ZoneInfo) -> datetime:
    """The stored (naive UTC) time at which the shop's `day` begins."""
    return datetime.combine(day, time.min, zone).astimezone(timezone.utc).replace(tzinfo=None)


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


#: seconds in a day
DAY = 86_400


class ShopSeconds:
    """Shop-local moments as whole seconds (`ordinal * 86400 + second of day`) and their stored
    UTC text, each day's offset worked out once: the demo writes a year of times this way."""

    def __init__(self, zone: ZoneInfo):
        self.zone = zone
        self._offset: dict[int, int] = {}
        self._day: dict[int, str] = {}

    def day_text(self, ordinal: int) -> str:
        text = self._day.get(ordinal)
        if text is None:
            text = self._day[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def offset(self, ordinal: int) -> int:
        off = self._offset.get(ordinal)
        if off is None:
            noon = datetime.combine(date.fromordinal(ordinal), time(12))
            off = self._offset[ordinal] = int(self.zone.utcoffset(noon).total_seconds())
        return off

    def utc_text(self, t: int) -> str:
        u = t - self.offset(t // DAY)
        d, s = divmod(u, DAY)
        return f"{self.day_text(d)} {s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"

    def local(self, moment_utc: datetime) -> int:
        m = moment_utc.replace(tzinfo=timezone.utc).astimezone(self.zone)
        return m.date().toordinal() * DAY + m.hour * 3600 + m.minute * 60 + m.second
