"""The export's rows without a file: the span's words, the shop's wall clock a million rows
fast (an offset looked up once an hour), the kinds the command line offers."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tui.db.exports import KINDS, Span, _ShopTimes


def test_a_span_in_the_audit_line():
    assert Span().text == "all"
    assert Span(date(2026, 11, 1), date(2026, 11, 30)).text == "2026-11-01..2026-11-30"
    assert Span(None, date(2026, 11, 30)).text == "..2026-11-30"
    assert Span(date(2026, 11, 1)).text == "2026-11-01.."


def test_shop_times_follow_summer_time_hour_by_hour():
    times = _ShopTimes(ZoneInfo("Europe/Berlin"))
    # summer time ends 2026-10-25 01:00 UTC: 00:30 UTC is 02:30 CEST, 01:30 UTC 02:30 CET
    assert times("2026-10-25 00:30:00") == datetime(2026, 10, 25, 2, 30)
    assert times("2026-10-25 01:30:00") == datetime(2026, 10, 25, 2, 30)
    assert times("2026-10-25 00:59:59.999999") == datetime(2026, 10, 25, 2, 59, 59)
    assert times(None) is None
    shanghai = _ShopTimes(ZoneInfo("Asia/Shanghai"))
    assert shanghai("2026-11-22 16:00:00") == datetime(2026, 11, 23, 0, 0)


def test_the_command_line_offers_every_kind():
    from tui.cli.export import KINDS as offered

    assert offered == KINDS == ("members", "purchases", "contacts", "callbacks", "boards")
