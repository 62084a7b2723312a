"""Starting a plan spreads its campaign calls over the period by each guide's daily
capacity (tui/db/pdca/spread.py), the calls already due counted, the likeliest members
first; the end-of-day figures count a campaign call only from its own day. Every day
below is worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from fixture_shop import NOW, TODAY
from pdca_shop import SEGMENT, shop  # noqa: F401 (its fixture, used by name)
from tui.db.callbacks.queue import callback_queue
from tui.db.callbacks.raising import refresh_shop
from tui.db.members.segments import parse_segment
from tui.db.models import Callback, Member, PlanTarget
from tui.db.pdca.form import PlanDraft, Targets, plan_period
from tui.db.pdca.plans import create_plan
from tui.db.pdca.spread import spread_calls
from tui.settings import load_settings
from settings_files import variant


DEC = [date(2026, 12, d) for d in range(1, 11)]  # a ten-day plan, 12-01..12-10
A, B, C = 1, 2, 3  # three guides


def test_twenty_targets_of_three_guides_over_ten_days_at_five_a_day():
    """Capacity 5 calls a guide a day.
    A (8 targets, m1..m8): 12-01 holds 5 calls already (full), 12-02 holds 3, 12-03 holds
      4: m1 m2 on 12-02 (3 → 5), m3 on 12-03 (4 → 5), m4..m8 on 12-04 (0 → 5).
    B (7 targets, m9..m15): 12-01 holds 2: m9 m10 m11 on 12-01, m12..m15 on 12-02.
    C (5 targets, m16..m20): 5 calls every day already but 4 on 12-07: m16 on 12-07;
      then no day has room, each goes to the day with the fewest calls (all 5 now, the
      earliest first): m17 12-01, m18 12-02, m19 12-03, m20 12-04."""
    load = {(A, DEC[0]): 5, (A, DEC[1]): 3, (A, DEC[2]): 4, (B, DEC[0]): 2}
    load.update({(C, d): 5 for d in DEC})
    load[(C, DEC[6])] = 4
    targets = ([(m, A) for m in range(1, 9)] + [(m, B) for m in range(9, 16)]
               + [(m, C) for m in range(16, 21)])
    days = spread_calls(targets, DEC, 5, load)
    day = {m: d.day for m, d in days.items()}
    assert day == {1: 2, 2: 2, 3: 3, 4: 4, 5: 4, 6: 4, 7: 4, 8: 4,
                   9: 1, 10: 1, 11: 1, 12: 2, 13: 2, 14: 2, 15: 2,
                   16: 7, 17: 1, 18: 2, 19: 3, 20: 4}
    # no guide's day over capacity where the period had room
    per_day = {}
    for m, g in targets:
        per_day[(g, days[m])] = per_day.get((g, days[m]), 0) + 1
    assert all(load.get(k, 0) + n <= 5 for k, n in per_day.items() if k[0] in (A, B))


def test_a_member_called_anyway_gets_the_campaign_call_with_it():
    """A's days 12-01..12-03 are full (5), 12-04 holds 4. m1 is in A's queue on 12-03
    anyway, before the first day with room (12-04): her campaign call rides on that call,
    taking no room. m2 takes 12-04's last place, m3 goes to 12-05. m4 is in the queue on
    12-09, later than the first day with room (12-05): capacity decides, 12-05."""
    load = {(A, d): 5 for d in DEC[:3]}
    load[(A, DEC[3])] = 4
    in_queue = {(1, A): DEC[2], (4, A): DEC[8]}
    days = spread_calls([(1, A), (2, A), (3, A), (4, A)], DEC, 5, load, in_queue)
    assert {m: d.day for m, d in days.items()} == {1: 3, 2: 4, 3: 5, 4: 5}


def test_a_period_without_days_places_nobody():
    assert spread_calls([(1, A)], [], 5, {}) == {}


# --- on the database: the pdca shop (tests/pdca_shop.py), plan started now ----------------------

# The fixture shop on Monday 2026-11-23, before any plan (open callbacks within 14 days):
#   张丽's queue today: 王芳 (running out 11-23), 李娜 (follow-up), 孙丽丽 (call back) = 3;
#     on 11-28: 王芳 (dormant).
#   刘芳's queue today: 陈晓燕 (11-14, 11-22), 周婷 (11-21), 黄小梅 (11-21), 赵敏 (dormant
#     11-23) = 4; on 11-30: 黄小梅 (running out).
#   马丽's follow-up (11-21) and running-out (11-22) calls have no owner (she has none).
# The plan 飞鹤复购 for 2026-11-23..2026-11-30 freezes 王芳 吴静 林晓 (张丽's) and 赵敏 何佳
# 马丽 (刘芳's; 马丽 by the even split). 吴静 refused promotions: no call, no room taken.
# Likeliest first: a running-out reminder in the window, soonest first, then the latest
# purchase: 张丽: 王芳 (runs out, 11-23), 林晓 (bought 10-15; her reminder of 10-17 is
# stale); 刘芳: 马丽 (runs out, 11-22), 何佳 (bought 11-02), 赵敏 (bought 05-27).
# Capacity 3 a day:
#   张丽: 王芳 is in her queue today anyway: today, no room taken; 林晓: today is full
#     (3): 11-24.
#   刘芳: today is full (4 > 3): 马丽 11-24, 何佳 11-24; 赵敏 is in her queue today anyway:
#     today.

WEEK = "2026-11-23..2026-11-30"


def capacity(settings, n: int):
    return replace(settings, callbacks=replace(settings.callbacks, guide_daily_capacity=n))


def start(settings, shop, period: str = WEEK) -> int:
    draft = PlanDraft("飞鹤复购", parse_segment(SEGMENT),
                      plan_period(period, TODAY, settings.shop.zone), Targets(100, 50, 300_000),
                      ("running-out reminder",), "owner")
    return create_plan(draft, shop["boss"], NOW, settings)


def campaign_days(shop) -> dict[str, str]:
    return {Member.get_by_id(c.member_id).name: c.due_on.isoformat()
            for c in Callback.select().where(Callback.reason == "campaign")}


def test_starting_a_plan_spreads_its_calls_by_capacity(shop, settings):
    settings = capacity(settings, 3)
    cycle = start(settings, shop)
    assert campaign_days(shop) == {"王芳": "2026-11-23", "赵敏": "2026-11-23",
                                   "林晓": "2026-11-24", "马丽": "2026-11-24",
                                   "何佳": "2026-11-24"}
    assert {Member.get_by_id(t.member_id).name: t.call_on for t in
            PlanTarget.select().where(PlanTarget.cycle == cycle)} == {
        "王芳": TODAY, "赵敏": TODAY, "吴静": None, "林晓": date(2026, 11, 24),
        "马丽": date(2026, 11, 24), "何佳": date(2026, 11, 24)}
    rules, zone = settings.callbacks, settings.shop.zone
    # today's queues as before the plan: 张丽 3, 刘芳 4; the whole shop 8 (马丽's own calls)
    assert [callback_queue(TODAY, rules, zone, guide_id=g, limit=0).counts.due
            for g in (shop["zhang"], shop["liu"], None)] == [3, 4, 8]
    # tomorrow: 林晓 for 张丽; 马丽 何佳 for 刘芳, with 陈晓燕 周婷 黄小梅 赵敏 still open
    assert [callback_queue(TODAY + timedelta(days=1), rules, zone, guide_id=g,
                           limit=0).counts.due
            for g in (shop["zhang"], shop["liu"])] == [4, 6]


def test_the_daily_run_keeps_each_call_on_its_day(shop, settings):
    settings = capacity(settings, 3)
    start(settings, shop)
    refresh_shop(TODAY + timedelta(days=1), settings.callbacks, settings.shop.zone,
                 NOW + timedelta(days=1))
    assert campaign_days(shop) == {"王芳": "2026-11-23", "赵敏": "2026-11-23",
                                   "林晓": "2026-11-24", "马丽": "2026-11-24",
                                   "何佳": "2026-11-24"}


def test_a_plan_for_next_month_spreads_from_its_first_day(shop, settings):
    """December: nobody's queue holds anything on 12-01 but what the plan brings, so at
    3 a day 张丽's 王芳 林晓 and 刘芳's 马丽 何佳 赵敏 all fall on 12-01."""
    start(capacity(settings, 3), shop, "next-month")
    assert set(campaign_days(shop).values()) == {"2026-12-01"}


def test_at_two_a_day_the_third_call_waits_a_day(shop, settings):
    """12-01 holds nothing yet; 刘芳's 马丽 何佳 on 12-01, 赵敏 on 12-02."""
    start(capacity(settings, 2), shop, "next-month")
    assert campaign_days(shop) == {"王芳": "2026-12-01", "林晓": "2026-12-01",
                                   "马丽": "2026-12-01", "何佳": "2026-12-01",
                                   "赵敏": "2026-12-02"}


def test_at_one_a_day_the_likeliest_are_called_first(shop, settings):
    """One call a day from 12-01. 张丽: 王芳's 飞鹤 runs out now (reminder 11-23) though she
    last bought on 08-30: before 林晓, who bought on 10-15 but runs out of nothing. 刘芳:
    马丽 (runs out, reminder 11-22), then by the latest purchase 何佳 (11-02), 赵敏 (05-27)."""
    start(capacity(settings, 1), shop, "next-month")
    assert campaign_days(shop) == {"王芳": "2026-12-01", "林晓": "2026-12-02",
                                   "马丽": "2026-12-01", "何佳": "2026-12-02",
                                   "赵敏": "2026-12-03"}


def test_the_next_cycle_is_spread_too(shop, settings):
    """The week's cycle closed today (its open calls cancelled) and the next one started
    for 12-01..12-08: 12-01 holds nothing, so at 2 a day 刘芳's 赵敏 (her last purchase
    the oldest) waits for 12-02, as in the first cycle of next month above."""
    from tui.db.boards.periods import make_period
    from tui.db.models import PlanCycle
    from tui.db.pdca.act import close_cycle, start_next_cycle

    settings = capacity(settings, 2)
    first = start(settings, shop)
    close_cycle(first, shop["boss"], NOW, settings)
    plan_id = PlanCycle.get_by_id(first).plan_id
    start_next_cycle(plan_id, make_period("range", date(2026, 12, 1), date(2026, 12, 8),
                                          settings.shop.zone), shop["boss"], NOW, settings)
    assert {Member.get_by_id(c.member_id).name: c.due_on.isoformat() for c in
            Callback.select().where((Callback.reason == "campaign")
                                    & (Callback.status == "open"))} == {
        "王芳": "2026-12-01", "林晓": "2026-12-01", "马丽": "2026-12-01", "何佳": "2026-12-01",
        "赵敏": "2026-12-02"}


def test_the_sheet_counts_a_campaign_call_missed_only_from_its_own_day(shop, settings):
    """The end-of-day sheet of 11-23: 刘芳 has 赵敏's dormant call and now her campaign call
    due today (2 calls), neither made: 2 missed; 马丽's and 何佳's campaign calls are
    11-24's, not counted on 11-23 at all. 张丽: 王芳's running-out and campaign calls, 李娜's
    follow-up, 孙丽丽's call back: 4 due, 4 missed (林晓's call is 11-24's). The sheet of
    11-24 then counts 刘芳's two."""
    from tui.reports.eod import eod_summary

    settings = capacity(settings, 3)
    start(settings, shop)
    rows = {r.guide: (r.due, r.missed) for r in eod_summary(TODAY, settings).callbacks}
    assert rows == {"张丽": (4, 4), "刘芳": (2, 2)}
    rows = {r.guide: (r.due, r.missed)
            for r in eod_summary(TODAY + timedelta(days=1), settings).callbacks}
    assert rows == {"张丽": (1, 1), "刘芳": (2, 2)}


def test_guide_daily_capacity_is_read_from_settings(tmp_path):
    path = variant(tmp_path, "guide_daily_capacity = 40", "guide_daily_capacity = 12")
    assert load_settings(path).callbacks.guide_daily_capacity == 12


def test_a_settings_file_without_it_takes_forty(tmp_path):
    path = variant(tmp_path, "guide_daily_capacity = 40\n", "")
    assert load_settings(path).callbacks.guide_daily_capacity == 40


@pytest.mark.parametrize("value", ["0", "1001", '"many"'])
def test_guide_daily_capacity_out_of_range_is_one_line(tmp_path, value):
    from tui.settings import SettingsError

    path = variant(tmp_path, "guide_daily_capacity = 40", f"guide_daily_capacity = {value}")
    with pytest.raises(SettingsError, match="callbacks.guide_daily_capacity: expected a whole "
                                            "number from 1 to 1000"):
        load_settings(path)
