"""Periods a manager asks about: today, this week, this month, or a range of days.

A period is whole shop-local days, first to last inclusive; queries use its UTC
bounds [start, end), because times are stored in UTC. The leaderboards, the PDCA
check and the end-of-day sheet all read periods through `parse_period`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tui.clock import day_start_utc, outside_days
from tui.errors import ShopfloorError
from tui.i18n import N_, _

#: what a period may be typed as, for help texts and error lines
PERIOD_WORDS = N_("today, week, month or FROM..TO (YYYY-MM-DD..YYYY-MM-DD)")


class PeriodError(ShopfloorError, ValueError):
    """A period that cannot be read as typed; str() is the one line to print."""


@dataclass(frozen=True)
class Period:
    kind: str  #: "today", "week", "month" or "range"
    first_day: date  #: shop-local, inclusive
    last_day: date  #: shop-local, inclusive
    start: datetime  #: naive UTC: the first day's midnight in the shop
    end: datetime  #: naive UTC: the midnight after the last day (exclusive)

    @property
    def text(self) -> str:
        """What to type to get this period again (the CLI's --period)."""
        if self.kind in ("today", "week", "month"):
            return self.kind
        return f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"

    @property
    def label(self) -> str:
        """A heading: "today 2026-11-23", "this week 2026-11-23..2026-11-29"."""
        span = (self.first_day.isoformat() if self.first_day == self.last_day
                else f"{self.first_day.isoformat()}..{self.last_day.isoformat()}")
        if self.kind == "month":
            return _("this month {month}").format(month=f"{self.first_day:%Y-%m}")
        if self.kind == "today":
            return _("today {span}").format(span=span)
        if self.kind == "week":
            return _("this week {span}").format(span=span)
        return span

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def each_day(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range(self.days)]


def make_period(kind: str, first_day: date, last_day: date, zone: ZoneInfo) -> Period:
    if last_day < first_day:
        raise PeriodError(_("{first}..{last} ends before it starts; give the earlier day "
                            "first").format(first=first_day.isoformat(), last=last_day.isoformat()))
    return Period(kind, first_day, last_day, day_start_utc(first_day, zone),
                  day_start_utc(last_day + timedelta(days=1), zone))


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(_("{text!r} is not a day; use YYYY-MM-DD, e.g. "
                            "2026-11-01..2026-11-15").format(text=text.strip())) from None
    if outside_days(day):
        raise PeriodError(outside_days(day))
    return day


def parse_period(text: str, today: date, zone: ZoneInfo, week_starts_on: str = "monday") -> Period:
    """today | week | month | YYYY-MM-DD..YYYY-MM-DD (one day alone is a one-day range).

    "week" and "month" are the whole calendar week or month that holds `today`, so
    their last days may lie ahead.
    """
    words = text.strip().lower()
    # the Chinese words too, as a Chinese form shows them (今天, 本周, 本月)
    if words in ("today", "day", "今天"):
        return make_period("today", today, today, zone)
    if words in ("week", "this-week", "本周"):
        first_weekday = 6 if week_starts_on == "sunday" else 0
        first = today - timedelta(days=(today.weekday() - first_weekday) % 7)
        return make_period("week", first, first + timedelta(days=6), zone)
    if words in ("month", "this-month", "本月"):
        last = calendar.monthrange(today.year, today.month)[1]
        return make_period("month", today.replace(day=1), today.replace(day=last), zone)
    if not words:
        raise PeriodError(_("no period given; use {words}").format(words=_(PERIOD_WORDS)))
    if ".." in words:
        left, _dots, right = words.partition("..")
        if not left.strip() or not right.strip():
            raise PeriodError(_("{text!r}: give both days, FROM..TO, e.g. "
                                "2026-11-01..2026-11-15").format(text=text.strip()))
        return make_period("range", _day(left), _day(right), zone)
    if words[:1].isdigit():
        day = _day(words)
        return make_period("range", day, day, zone)
    raise PeriodError(_("{text!r} is not a period; use {words}").format(
        text=text.strip(), words=_(PERIOD_WORDS)))
