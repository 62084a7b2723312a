"""The callback rules in tui/db/callbacks/rules.py, on hand-computed dates.

The shop is in Asia/Shanghai (UTC+8, no DST). Stored times are UTC, so a local
"2026-11-22 23:30" is written here as datetime(2026, 11, 22, 15, 30). Unless a test
says otherwise the day is Monday 2026-11-23 and the rules are settings.toml's:
follow-up 24 h, running out lead 5, birthday lead 3, dormant 90/30, stale after 14,
so the oldest due day still wanted is 2026-11-23 − 14 = 2026-11-09.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tui.db.callbacks.rules import (Changes, ChildFacts, Due, Existing, LastContact, Line,
                                    MemberFacts, birthday_in, desired_callbacks, dormant_from,
                                    dormant_occurrence, follow_up_due, local_day, reconcile,
                                    run_out_date)
from tui.settings import DEFAULT_SETTINGS, CallbackSettings, load_settings

ZONE = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 23)
OWNER = 7  # the member's guide
OTHER_GUIDE = 8  # a guide who logged a contact


@pytest.fixture(scope="module")
def rules() -> CallbackSettings:
    rules = load_settings(DEFAULT_SETTINGS).callbacks
    # The hand computations below assume these values; say so if settings.toml changes.
    assert (rules.follow_up_hours, rules.running_out_lead_days, rules.birthday_lead_days,
            rules.dormant_purchase_days, rules.dormant_contact_days,
            rules.stale_after_days) == (24, 5, 3, 90, 30, 14)
    return rules


def facts(**fields) -> MemberFacts:
    base = dict(member_id=1, owner_id=OWNER, joined_on=date(2026, 1, 10), birthday=None,
                accepts_promotions=True, do_not_contact=False)
    base.update(fields)
    return MemberFacts(**base)


def formula(purchase_id: int, at_utc: datetime, quantity: int,
            name: str = "飞鹤星飞帆3段", brand: str = "飞鹤", days: float | None = 7.5) -> Line:
    return Line(purchase_id, at_utc, name, brand, quantity, days)


def stroller(purchase_id: int, at_utc: datetime) -> Line:
    return Line(purchase_id, at_utc, "婴儿推车", "好孩子", 1, None)


def of(reason: str, wanted: list[Due]) -> list[Due]:
    return [d for d in wanted if d.reason == reason]


# --- run_out_date -----------------------------------------------------------------

@pytest.mark.parametrize("bought_on, quantity, days_per_unit, expected", [
    # 12 × 7.5 = 90 days: 1 Sep + 29 = 30 Sep, + 31 = 31 Oct (60), + 30 = 30 Nov (90)
    (date(2026, 9, 1), 12, 7.5, date(2026, 11, 30)),
    # 3 × 7.5 = 22.5 → 22 whole days: 1 Sep + 22 = 23 Sep
    (date(2026, 9, 1), 3, 7.5, date(2026, 9, 23)),
    # 31 Jan + 30: Feb 2026 has 28 days, 31 Jan + 28 = 28 Feb, + 2 = 2 Mar
    (date(2026, 1, 31), 1, 30, date(2026, 3, 2)),
    # 15 Feb 2028 + 20: 2028 is a leap year, + 14 = 29 Feb, + 6 = 6 Mar
    (date(2028, 2, 15), 2, 10, date(2028, 3, 6)),
    # 100 × 0.57 is 56.99999999999999 in floating point but means 57 days:
    # 1 Sep + 29 = 30 Sep, + 28 = 28 Oct (57)
    (date(2026, 9, 1), 100, 0.57, date(2026, 10, 28)),
])
def test_run_out_date(bought_on, quantity, days_per_unit, expected):
    assert run_out_date(bought_on, quantity, days_per_unit) == expected


# --- follow_up_due and local_day ----------------------------------------------------

def test_local_day_is_the_shop_day_not_the_utc_day():
    assert local_day(datetime(2026, 11, 22, 15, 59), ZONE) == date(2026, 11, 22)  # 23:59 local
    assert local_day(datetime(2026, 11, 22, 16, 0), ZONE) == date(2026, 11, 23)  # 00:00 local


@pytest.mark.parametrize("purchased_at_utc, hours, expected", [
    # 23:30 local on 22 Nov = 15:30 UTC; + 24 h = 23 Nov 15:30 UTC = 23:30 local on 23 Nov
    (datetime(2026, 11, 22, 15, 30), 24, date(2026, 11, 23)),
    # 00:30 local on 23 Nov = 16:30 UTC on 22 Nov; + 24 h = 23 Nov 16:30 UTC
    # = 00:30 local on 24 Nov (the UTC day would wrongly say 23 Nov)
    (datetime(2026, 11, 22, 16, 30), 24, date(2026, 11, 24)),
    # 48 h: 22 Nov 15:30 UTC + 48 h = 24 Nov 15:30 UTC = 23:30 local on 24 Nov
    (datetime(2026, 11, 22, 15, 30), 48, date(2026, 11, 24)),
])
def test_follow_up_due(purchased_at_utc, hours, expected):
    assert follow_up_due(purchased_at_utc, hours, ZONE) == expected


# --- birthday_in ----------------------------------------------------------------------

@pytest.mark.parametrize("born, year, expected", [
    (date(2024, 2, 29), 2027, date(2027, 2, 28)),  # no 29 Feb in 2027: kept on the 28th
    (date(2024, 2, 29), 2028, date(2028, 2, 29)),  # leap year: the real day
    (date(1990, 5, 17), 2026, date(2026, 5, 17)),
    (date(1988, 12, 31), 2027, date(2027, 12, 31)),
    (date(2026, 2, 28), 2028, date(2028, 2, 28)),  # born on the 28th stays on the 28th
])
def test_birthday_in(born, year, expected):
    assert birthday_in(born, year) == expected


# --- dormant_from and dormant_occurrence -----------------------------------------------

@pytest.mark.parametrize("last_purchase, last_contact, expected", [
    # 1 Aug + 90: + 31 = 1 Sep, + 30 = 1 Oct (61), + 29 = 30 Oct (90)
    (date(2026, 8, 1), None, date(2026, 10, 30)),
    # never bought: joined 10 Jan + 90: + 21 = 31 Jan, + 28 = 28 Feb (49),
    # + 31 = 31 Mar (80), + 10 = 10 Apr (90)
    (None, None, date(2026, 4, 10)),
    # contact 15 Oct + 30 = 14 Nov is later than 30 Oct: the later one counts
    (date(2026, 8, 1), date(2026, 10, 15), date(2026, 11, 14)),
    # contact 1 Sep + 30 = 1 Oct is earlier than 30 Oct
    (date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 30)),
])
def test_dormant_from(last_purchase, last_contact, expected):
    assert dormant_from(last_purchase, date(2026, 1, 10), last_contact, 90, 30) == expected


@pytest.mark.parametrize("since, oldest, expected", [
    (date(2026, 11, 18), date(2026, 11, 9), date(2026, 11, 18)),  # not stale: itself
    (date(2026, 11, 9), date(2026, 11, 9), date(2026, 11, 9)),  # exactly the oldest: itself
    # 10 Oct → 9 Nov is 21 + 9 = 30 days: one cycle lands on 9 Nov, not older than it
    (date(2026, 10, 10), date(2026, 11, 9), date(2026, 11, 9)),
    # 10 Oct → 10 Nov is 31 days: 2 cycles, 10 Oct + 60 = 9 Dec (21 + 30 + 9)
    (date(2026, 10, 10), date(2026, 11, 10), date(2026, 12, 9)),
    # 1 Aug → 9 Nov is 31 + 30 + 31 + 8 = 100 days: ceil(100 / 30) = 4 cycles,
    # 1 Aug + 120 = 29 Nov (31 → 1 Sep, 30 → 1 Oct, 31 → 1 Nov, 28 → 29 Nov)
    (date(2026, 8, 1), date(2026, 11, 9), date(2026, 11, 29)),
])
def test_dormant_occurrence(since, oldest, expected):
    assert dormant_occurrence(since, oldest, 30) == expected


# --- desired_callbacks: running out -------------------------------------------------------

def test_running_out_reminder_five_days_before_the_purchase_runs_out(rules):
    # 12 cans at 10:00 local on 30 Aug (02:00 UTC): 90 days → 28 Nov
    # (30 Aug + 2 = 1 Sep, + 30 = 1 Oct, + 31 = 1 Nov, + 27 = 28 Nov); call 5 days before: 23 Nov
    member = facts(lines=(formula(1, datetime(2026, 8, 30, 2, 0), 12),))
    assert of("running_out", desired_callbacks(member, DAY, rules, ZONE)) == [
        Due("running_out", "飞鹤:2026-08-30", date(2026, 11, 23), OWNER,
            "飞鹤星飞帆3段 ×12 runs out 11-28"),
    ]


def test_running_out_counts_from_the_shop_day_of_the_purchase(rules):
    # 00:30 local on 1 Sep is 16:30 UTC on 31 Aug; bought on 1 Sep (shop day):
    # 12 × 7.5 = 90 days → 30 Nov, due 25 Nov (UTC day would give 31 Aug, 29 Nov, 24 Nov)
    member = facts(lines=(formula(1, datetime(2026, 8, 31, 16, 30), 12),))
    assert [(d.key, d.due_on) for d in of("running_out", desired_callbacks(member, DAY, rules, ZONE))] \
        == [("飞鹤:2026-09-01", date(2026, 11, 25))]


def test_a_later_purchase_of_the_brand_supersedes_the_earlier_reminder(rules):
    # 30 Aug: 12 cans × 7.5 = 90 days → 28 Nov (reminder would be 23 Nov); 20 Nov 15:00 local
    # (07:00 UTC): 2 more cans, 15 days, used after the 12: 28 Nov + 15 = 13 Dec, due 8 Dec.
    # Only the newest day's reminder stays.
    member = facts(lines=(formula(1, datetime(2026, 8, 30, 2, 0), 12),
                          formula(2, datetime(2026, 11, 20, 7, 0), 2)))
    assert of("running_out", desired_callbacks(member, DAY, rules, ZONE)) == [
        Due("running_out", "飞鹤:2026-11-20", date(2026, 12, 8), OWNER,
            "飞鹤星飞帆3段 ×2 runs out 12-13"),
    ]


def test_two_products_of_a_brand_on_one_shop_day_add_their_days(rules):
    # 1 Nov 07:00 local (31 Oct 23:00 UTC): 1 pack of rice cereal lasting 20 days;
    # 1 Nov 10:00 local (02:00 UTC): 4 cans × 7.5 = 30 days. Same shop day: 20 + 30 = 50 days,
    # 1 Nov + 50 = 21 Dec (+ 29 = 30 Nov, + 21 = 21 Dec); due 16 Dec; 1 + 4 = 5 units.
    member = facts(lines=(
        formula(5, datetime(2026, 10, 31, 23, 0), 1, name="飞鹤臻稚有机米粉", days=20),
        formula(6, datetime(2026, 11, 1, 2, 0), 4),
    ))
    assert of("running_out", desired_callbacks(member, DAY, rules, ZONE)) == [
        Due("running_out", "飞鹤:2026-11-01", date(2026, 12, 16), OWNER,
            "飞鹤臻稚有机米粉 ×5 runs out 12-21"),
    ]


def test_a_return_shortens_the_stock_it_came_from(rules):
    # 30 Aug: 12 cans × 7.5 = 90 days → 28 Nov. On 10 Sep some come back (a POS return,
    # negative quantity), taken off the stock's end: 4 cans, 30 days → 29 Oct, due 24 Oct;
    # 2 cans, 15 days → 13 Nov, due 8 Nov: both older than 9 Nov, not wanted; 1 can,
    # floor(7.5) = 7 days → 21 Nov, due 16 Nov: wanted, keyed by the purchase's day.
    bought = formula(1, datetime(2026, 8, 30, 2, 0), 12)
    for back, expected in ((4, []), (2, []),
                           (1, [Due("running_out", "飞鹤:2026-08-30", date(2026, 11, 16), OWNER,
                                    "飞鹤星飞帆3段 ×12 runs out 11-21")])):
        member = facts(lines=(bought, formula(2, datetime(2026, 9, 10, 2, 0), -back)))
        assert of("running_out", desired_callbacks(member, DAY, rules, ZONE)) == expected, back


def test_everything_taken_back_cancels_the_reminder_and_a_return_raises_no_follow_up(rules):
    # 20 Nov 15:00 local: 2 cans (15 days → 5 Dec, due 30 Nov) and a follow-up due 21 Nov;
    # 22 Nov 10:00 local both cans back: no stock, no reminder; the return is no sale to
    # follow up, the sale's own follow-up stays.
    member = facts(lines=(formula(1, datetime(2026, 11, 20, 7, 0), 2),
                          formula(2, datetime(2026, 11, 22, 2, 0), -2)))
    wanted = desired_callbacks(member, DAY, rules, ZONE)
    assert of("running_out", wanted) == []
    assert [d.key for d in of("follow_up", wanted)] == ["purchase:1"]


def test_each_brand_has_its_own_reminder(rules):
    # 飞鹤 as above: 30 Aug + 90 = 28 Nov, due 23 Nov.
    # 帮宝适: 3 packs × 10 days on 10 Nov 10:00 local: 10 Nov + 30 = 10 Dec, due 5 Dec.
    member = facts(lines=(formula(1, datetime(2026, 8, 30, 2, 0), 12),
                          Line(2, datetime(2026, 11, 10, 2, 0), "帮宝适L码", "帮宝适", 3, 10)))
    assert sorted((d.key, d.due_on) for d in of("running_out",
                                                 desired_callbacks(member, DAY, rules, ZONE))) == [
        ("帮宝适:2026-11-10", date(2026, 12, 5)),
        ("飞鹤:2026-08-30", date(2026, 11, 23)),
    ]


def test_durable_goods_raise_no_running_out_reminder(rules):
    member = facts(lines=(stroller(1, datetime(2026, 11, 20, 2, 0)),))
    assert of("running_out", desired_callbacks(member, DAY, rules, ZONE)) == []


def test_a_durable_item_of_the_same_brand_does_not_cancel_the_reminder(rules):
    # 6 packs of wipes × 10 days on 20 Oct 10:00 local: 20 Oct + 60 = 19 Dec
    # (+ 11 = 31 Oct, + 30 = 30 Nov, + 19 = 19 Dec); due 14 Dec. A bottle on 15 Nov is no repurchase.
    member = facts(lines=(Line(1, datetime(2026, 10, 20, 2, 0), "贝亲婴儿湿巾", "贝亲", 6, 10),
                          Line(2, datetime(2026, 11, 15, 2, 0), "贝亲宽口奶瓶", "贝亲", 1, None)))
    assert [(d.key, d.due_on) for d in of("running_out", desired_callbacks(member, DAY, rules, ZONE))] \
        == [("贝亲:2026-10-20", date(2026, 12, 14))]


# --- desired_callbacks: follow-up ---------------------------------------------------------------

def test_follow_up_per_sale_within_24_hours(rules):
    # sale 3 at 23:30 local on 22 Nov (15:30 UTC), two lines: due 23 Nov (see follow_up_due)
    # sale 4 at 00:30 local on 23 Nov (16:30 UTC on 22 Nov): due 24 Nov
    member = facts(lines=(stroller(3, datetime(2026, 11, 22, 15, 30)),
                          Line(3, datetime(2026, 11, 22, 15, 30), "婴儿床", "好孩子", 1, None),
                          stroller(4, datetime(2026, 11, 22, 16, 30))))
    assert of("follow_up", desired_callbacks(member, DAY, rules, ZONE)) == [
        Due("follow_up", "purchase:3", date(2026, 11, 23), OWNER, "bought 婴儿推车 +1"),
        Due("follow_up", "purchase:4", date(2026, 11, 24), OWNER, "bought 婴儿推车"),
    ]


def test_follow_up_hours_48(rules):
    # 15:30 UTC on 22 Nov + 48 h = 15:30 UTC on 24 Nov = 23:30 local on 24 Nov
    member = facts(lines=(stroller(3, datetime(2026, 11, 22, 15, 30)),))
    wanted = desired_callbacks(member, DAY, replace(rules, follow_up_hours=48), ZONE)
    assert [(d.key, d.due_on) for d in of("follow_up", wanted)] == [("purchase:3", date(2026, 11, 24))]


def test_follow_up_more_than_14_days_overdue_is_not_wanted(rules):
    # 7 Nov 10:00 local: due 8 Nov, older than 9 Nov → stale, not wanted.
    # 8 Nov 10:00 local: due 9 Nov, exactly 14 days ago → still wanted.
    member = facts(lines=(stroller(1, datetime(2026, 11, 7, 2, 0)),
                          stroller(2, datetime(2026, 11, 8, 2, 0))))
    assert [(d.key, d.due_on) for d in of("follow_up", desired_callbacks(member, DAY, rules, ZONE))] \
        == [("purchase:2", date(2026, 11, 9))]


def test_running_out_more_than_14_days_overdue_is_not_wanted(rules):
    # 3 cans on 18 Oct: 22 days → 9 Nov, due 4 Nov, older than 9 Nov → stale
    member = facts(lines=(formula(1, datetime(2026, 10, 18, 2, 0), 3),))
    assert of("running_out", desired_callbacks(member, DAY, rules, ZONE)) == []


# --- desired_callbacks: birthdays ---------------------------------------------------------------

def test_birthdays_of_member_children_and_a_baby_on_the_way(rules):
    # Wanted: due (birthday − 3 days) between 9 Nov 2026 (stale limit) and 24 Dec 2026
    # (23 Nov + 31 days look-ahead).
    member = facts(birthday=date(1990, 11, 25), children=(
        ChildFacts(11, "乐乐", date(2025, 11, 24), None),
        ChildFacts(12, None, None, date(2026, 11, 25)),
        ChildFacts(13, None, date(2020, 6, 1), None),
    ))
    assert sorted(of("birthday", desired_callbacks(member, DAY, rules, ZONE)),
                  key=lambda d: (d.due_on, d.key)) == [
        # 乐乐 turns 1 on 24 Nov 2026: 24 − 3 = 21 Nov
        Due("birthday", "child:11:2026", date(2026, 11, 21), OWNER, "乐乐 1岁 11-24"),
        # unborn, due 25 Nov: 22 Nov
        Due("birthday", "child:12:due", date(2026, 11, 22), OWNER, "baby due 11-25"),
        # member 25 Nov 2026: 22 Nov
        Due("birthday", "member:2026", date(2026, 11, 22), OWNER, "member's birthday 11-25"),
        # child 13: 29 May 2026 is stale and 29 May 2027 beyond the look-ahead; next year's
        # 乐乐 (21 Nov 2027) and member (22 Nov 2027) likewise: raised when they come near.
    ]


def test_birthday_across_the_year_end(rules):
    # day 30 Dec 2026: birthday 2 Jan 2027 − 3 days = 30 Dec 2026, keyed on 2027;
    # 2 Jan 2026 − 3 = 30 Dec 2025 is long stale (oldest 16 Dec 2026)
    member = facts(birthday=date(1990, 1, 2))
    assert of("birthday", desired_callbacks(member, date(2026, 12, 30), rules, ZONE)) == [
        Due("birthday", "member:2027", date(2026, 12, 30), OWNER, "member's birthday 01-02"),
    ]


def test_leap_day_child_is_called_before_28_february(rules):
    # day 25 Feb 2027: born 29 Feb 2024, birthday kept on 28 Feb 2027, − 3 = 25 Feb.
    # 28 Feb 2026 − 3 = 25 Feb 2026 is stale; 29 Feb 2028 − 3 = 26 Feb 2028 is past
    # 25 Feb 2027 + 365 = 25 Feb 2028.
    member = facts(children=(ChildFacts(21, "闰闰", date(2024, 2, 29), None),))
    assert [(d.key, d.due_on) for d in of("birthday",
                                          desired_callbacks(member, date(2027, 2, 25), rules, ZONE))] \
        == [("child:21:2027", date(2027, 2, 25))]


def test_leap_day_child_in_a_leap_year(rules):
    # day 26 Feb 2028: 29 Feb 2028 − 3 = 26 Feb 2028; the next, 25 Feb 2029, is far ahead.
    member = facts(children=(ChildFacts(21, "闰闰", date(2024, 2, 29), None),))
    assert [(d.key, d.due_on) for d in of("birthday",
                                          desired_callbacks(member, date(2028, 2, 26), rules, ZONE))] \
        == [("child:21:2028", date(2028, 2, 26))]


def test_leap_day_child_age_on_28_february(rules):
    member = facts(children=(ChildFacts(21, "闰闰", date(2024, 2, 29), None),))
    # 28 Feb 2027 is the third birthday: 2027 − 2024 = 3
    assert [d.detail for d in of("birthday",
                                 desired_callbacks(member, date(2027, 2, 25), rules, ZONE))] \
        == ["闰闰 3岁 02-28"]


# --- desired_callbacks: dormant -----------------------------------------------------------------

def test_dormant_after_90_days_without_a_purchase(rules):
    # last purchase (a stroller: no running-out) 20 Aug 10:00 local; 20 Aug + 90 = 18 Nov
    # (+ 11 = 31 Aug, + 30 = 30 Sep, + 31 = 31 Oct, + 18 = 18 Nov). Its follow-up (21 Aug) is stale.
    member = facts(lines=(stroller(1, datetime(2026, 8, 20, 2, 0)),))
    assert desired_callbacks(member, DAY, rules, ZONE) == [
        Due("dormant", "since:2026-11-18:2026-11-18", date(2026, 11, 18), OWNER,
            "no purchase since 2026-08-20"),
    ]


def test_dormant_waits_30_days_after_the_last_contact(rules):
    # contact 20 Oct 10:00 local + 30 = 19 Nov, later than 18 Nov
    member = facts(lines=(stroller(1, datetime(2026, 8, 20, 2, 0)),),
                   last_contact=LastContact(31, OTHER_GUIDE, datetime(2026, 10, 20, 2, 0),
                                            "reached", None))
    assert [(d.key, d.due_on) for d in of("dormant", desired_callbacks(member, DAY, rules, ZONE))] \
        == [("since:2026-11-19:2026-11-19", date(2026, 11, 19))]


def test_dormant_never_bought_comes_back_every_30_days(rules):
    # joined 10 Jan, never bought: dormant from 10 Apr. 10 Apr → 9 Nov is 213 days
    # (20 + 31 + 30 + 31 + 31 + 30 + 31 + 9); 7 cycles (210) give 6 Nov, stale;
    # 8 cycles: 10 Apr + 240 = 6 Dec (204 → 31 Oct, + 30 → 30 Nov, + 6 → 6 Dec)
    member = facts()
    assert desired_callbacks(member, DAY, rules, ZONE) == [
        Due("dormant", "since:2026-04-10:2026-12-06", date(2026, 12, 6), OWNER, "never bought"),
    ]


# --- desired_callbacks: scheduled and complaint ---------------------------------------------------

def test_scheduled_call_from_the_last_contact(rules):
    contact = LastContact(31, OTHER_GUIDE, datetime(2026, 11, 20, 2, 0), "reached",
                          date(2026, 11, 26), "想了解二段奶粉")
    member = facts(last_contact=contact)
    # the guide who logged the contact owns the call back, not the member's guide
    assert of("scheduled", desired_callbacks(member, DAY, rules, ZONE)) == [
        Due("scheduled", "contact:31", date(2026, 11, 26), OTHER_GUIDE, "想了解二段奶粉"),
    ]
    assert of("complaint", desired_callbacks(member, DAY, rules, ZONE)) == []


def test_scheduled_note_is_cut_to_40_characters_and_defaults(rules):
    long = "一二三四五六七八九十" * 5  # 50 characters
    member = facts(last_contact=LastContact(31, OTHER_GUIDE, datetime(2026, 11, 20, 2, 0),
                                            "will_come", date(2026, 11, 26), long))
    assert of("scheduled", desired_callbacks(member, DAY, rules, ZONE))[0].detail \
        == "一二三四五六七八九十" * 4
    member = facts(last_contact=LastContact(31, OTHER_GUIDE, datetime(2026, 11, 20, 2, 0),
                                            "no_answer", date(2026, 11, 24)))
    assert of("scheduled", desired_callbacks(member, DAY, rules, ZONE))[0].detail \
        == "retry: no answer last time"
    member = facts(last_contact=LastContact(31, OTHER_GUIDE, datetime(2026, 11, 20, 2, 0),
                                            "will_come", date(2026, 11, 24)))
    assert of("scheduled", desired_callbacks(member, DAY, rules, ZONE))[0].detail \
        == "call back as agreed"


def test_complaint_outcome_gives_a_complaint_callback(rules):
    member = facts(last_contact=LastContact(32, OTHER_GUIDE, datetime(2026, 11, 23, 1, 0),
                                            "complaint", date(2026, 11, 25)))
    wanted = desired_callbacks(member, DAY, rules, ZONE)
    assert of("complaint", wanted) == [
        Due("complaint", "contact:32", date(2026, 11, 25), OTHER_GUIDE, "feedback call"),
    ]
    assert of("scheduled", wanted) == []


@pytest.mark.parametrize("next_on, wanted_keys", [
    (date(2026, 11, 8), []),  # 15 days overdue: stale
    (date(2026, 11, 9), ["contact:31"]),  # 14 days overdue: still wanted
])
def test_stale_scheduled_call_is_not_wanted(rules, next_on, wanted_keys):
    member = facts(last_contact=LastContact(31, OTHER_GUIDE, datetime(2026, 11, 1, 2, 0),
                                            "reached", next_on))
    assert [d.key for d in of("scheduled", desired_callbacks(member, DAY, rules, ZONE))] == wanted_keys


# --- desired_callbacks: consent ---------------------------------------------------------------------

def busy_member(**fields) -> MemberFacts:
    """Bought 2 cans yesterday 15:00 local, birthday 25 Nov, a call back agreed for 26 Nov.

    2 × 7.5 = 15 days: 22 Nov + 15 = 7 Dec, reminder 2 Dec (inside the 31-day look-ahead).
    """
    return facts(birthday=date(1990, 11, 25),
                 lines=(formula(41, datetime(2026, 11, 22, 7, 0), 2),),
                 last_contact=LastContact(31, OTHER_GUIDE, datetime(2026, 11, 20, 2, 0),
                                          "reached", date(2026, 11, 26)),
                 **fields)


def keys(wanted: list[Due]) -> list[tuple[str, str]]:
    return sorted((d.reason, d.key) for d in wanted)


def lapsed_member(**fields) -> MemberFacts:
    """A stroller on 1 Sep (no running out), never contacted: dormant 1 Sep + 90 = 30 Nov."""
    return facts(lines=(stroller(51, datetime(2026, 9, 1, 2, 0)),), **fields)


def test_member_who_accepts_promotions_gets_every_reason(rules):
    # dormant: 22 Nov + 90 = 20 Feb 2027, beyond the 31-day look-ahead: not raised yet;
    # next year's birthday (22 Nov 2027) likewise.
    assert keys(desired_callbacks(busy_member(), DAY, rules, ZONE)) == [
        ("birthday", "member:2026"),
        ("follow_up", "purchase:41"),
        ("running_out", "飞鹤:2026-11-22"),
        ("scheduled", "contact:31"),
    ]


@pytest.mark.parametrize("accepts, sales_calls", [(False, False), (None, True), (True, True)])
def test_refused_promotions_means_no_sales_calls(rules, accepts, sales_calls):
    reasons = {d.reason for d in desired_callbacks(busy_member(accepts_promotions=accepts),
                                                   DAY, rules, ZONE)}
    service = {"follow_up", "birthday", "scheduled"}
    assert reasons == (service | {"running_out"} if sales_calls else service)
    lapsed = [(d.reason, d.due_on) for d in desired_callbacks(
        lapsed_member(accepts_promotions=accepts), DAY, rules, ZONE)]
    assert lapsed == ([("dormant", date(2026, 11, 30))] if sales_calls else [])


def test_do_not_contact_means_nothing_at_all(rules):
    assert desired_callbacks(busy_member(do_not_contact=True), DAY, rules, ZONE) == []


# --- reconcile --------------------------------------------------------------------------------------

def due(reason: str, key: str, on: date) -> Due:
    return Due(reason, key, on, OWNER)


def test_reconcile_inserts_what_is_new(rules):
    a = due("follow_up", "purchase:3", date(2026, 11, 23))
    b = due("birthday", "member:2026", date(2026, 11, 22))
    assert reconcile([], [a, b], DAY, rules) == Changes(insert=[a, b])


def test_reconcile_inserts_a_duplicate_wish_once(rules):
    a = due("follow_up", "purchase:3", date(2026, 11, 23))
    assert reconcile([], [a, a], DAY, rules) == Changes(insert=[a])


@pytest.mark.parametrize("status", ["open", "done", "missed"])
def test_reconcile_never_raises_a_key_on_file_again(rules, status):
    # (a cancelled key wanted again is reopened: see test_reconcile_reopens_...)
    wanted = [due("birthday", "member:2026", date(2026, 11, 22))]
    existing = [Existing(101, "birthday", "member:2026", status, date(2026, 11, 22))]
    changes = reconcile(existing, wanted, DAY, rules)
    assert changes == Changes()
    assert not changes


def test_reconcile_same_key_under_another_reason_is_another_callback(rules):
    wanted = [due("complaint", "contact:31", date(2026, 11, 25))]
    existing = [Existing(101, "scheduled", "contact:31", "done", date(2026, 11, 25))]
    assert reconcile(existing, wanted, DAY, rules) == Changes(insert=wanted)


def test_reconcile_cancels_the_reminder_a_repurchase_superseded(rules):
    # see test_a_later_purchase_of_the_brand_supersedes_the_earlier_reminder
    member = facts(lines=(formula(1, datetime(2026, 8, 30, 2, 0), 12),
                          formula(2, datetime(2026, 11, 20, 7, 0), 2)))
    wanted = of("running_out", desired_callbacks(member, DAY, rules, ZONE))
    existing = [Existing(101, "running_out", "飞鹤:2026-08-30", "open", date(2026, 11, 23)),
                # closed ones are history: never cancelled
                Existing(102, "running_out", "飞鹤:2026-05-02", "done", date(2026, 7, 27)),
                Existing(103, "follow_up", "purchase:9", "done", date(2026, 11, 20))]
    changes = reconcile(existing, wanted, DAY, rules)
    assert changes.cancel == [101]
    assert changes.miss == []
    assert [(d.key, d.due_on) for d in changes.insert] == [("飞鹤:2026-11-20", date(2026, 12, 8))]


def test_reconcile_marks_open_callbacks_past_stale_missed(rules):
    existing = [
        # due 8 Nov, 15 days ago: missed, even though nothing wants it any more
        Existing(101, "birthday", "member:2026", "open", date(2026, 11, 8)),
        # due 9 Nov, 14 days ago, not wanted any more: cancelled, not missed
        Existing(102, "follow_up", "purchase:3", "open", date(2026, 11, 9)),
        # due 1 Nov, done long ago: left alone
        Existing(103, "follow_up", "purchase:2", "done", date(2026, 11, 1)),
        # a campaign call overdue past stale is missed too (settings.toml: counts as missed)
        Existing(104, "campaign", "plan:3", "open", date(2026, 11, 1)),
    ]
    assert reconcile(existing, [], DAY, rules) == Changes(cancel=[102], miss=[101, 104])


def test_reconcile_leaves_a_campaign_callback_alone(rules):
    # campaigns are raised by plans, not by these rules: an open one nobody "wants" stays
    existing = [Existing(101, "campaign", "plan:3", "open", date(2026, 11, 20)),
                Existing(102, "campaign", "plan:4", "open", date(2026, 12, 1))]
    assert reconcile(existing, [], DAY, rules) == Changes()


def test_reconcile_then_reconcile_again_changes_nothing(rules):
    member = busy_member()
    wanted = desired_callbacks(member, DAY, rules, ZONE)
    existing = [
        Existing(101, "running_out", "飞鹤:2026-08-30", "open", date(2026, 11, 23)),  # superseded
        Existing(102, "follow_up", "purchase:40", "open", date(2026, 11, 1)),  # stale
        Existing(103, "scheduled", "contact:31", "open", date(2026, 11, 26)),  # still wanted
        Existing(104, "campaign", "plan:3", "open", date(2026, 11, 20)),  # not the rules'
    ]
    first = reconcile(existing, wanted, DAY, rules)
    assert (first.cancel, first.miss) == ([101], [102])
    assert keys(first.insert) == [
        ("birthday", "member:2026"), ("follow_up", "purchase:41"), ("running_out", "飞鹤:2026-11-22"),
    ]
    # apply the changes the way callbacks.py does
    status = {101: "cancelled", 102: "missed"}
    applied = [replace(e, status=status.get(e.callback_id, e.status)) for e in existing]
    applied += [Existing(200 + i, d.reason, d.key, "open", d.due_on)
                for i, d in enumerate(first.insert)]
    assert reconcile(applied, desired_callbacks(member, DAY, rules, ZONE), DAY, rules) == Changes()


# --- bookings and the look-ahead ---------------------------------------------------------------

def test_a_booked_call_survives_a_later_contact(rules):
    # 18 Nov: 张 promised to call on 26 Nov (contact 30). 22 Nov: someone else talked to the
    # member without booking anything (contact 35). The promise still stands.
    promise = LastContact(30, OTHER_GUIDE, datetime(2026, 11, 18, 2, 0), "will_come",
                          date(2026, 11, 26), "等发工资")
    later = LastContact(35, OWNER, datetime(2026, 11, 22, 2, 0), "reached", None)
    member = facts(last_contact=later, bookings=(promise,))
    assert of("scheduled", desired_callbacks(member, DAY, rules, ZONE)) == [
        Due("scheduled", "contact:30", date(2026, 11, 26), OTHER_GUIDE, "等发工资")]


def test_a_no_answer_retry_is_settled_by_the_next_contact(rules):
    retry = LastContact(30, OTHER_GUIDE, datetime(2026, 11, 21, 2, 0), "no_answer", date(2026, 11, 24))
    later = LastContact(35, OWNER, datetime(2026, 11, 22, 2, 0), "reached", None)
    member = facts(last_contact=later, bookings=(retry,))
    assert of("scheduled", desired_callbacks(member, DAY, rules, ZONE)) == []


@pytest.mark.parametrize("born, wanted", [
    # birthday 27 Dec − 3 = 24 Dec = 23 Nov + 31: the last day inside the look-ahead
    (date(1990, 12, 27), [("member:2026", date(2026, 12, 24))]),
    # 28 Dec − 3 = 25 Dec: one day too far; raised by tomorrow's run
    (date(1990, 12, 28), []),
])
def test_callbacks_are_raised_31_days_ahead(rules, born, wanted):
    member = facts(birthday=born)
    assert [(d.key, d.due_on) for d in of("birthday", desired_callbacks(member, DAY, rules, ZONE))] \
        == wanted


def test_a_brands_wipes_do_not_pool_with_its_diapers(rules):
    # 好奇 diapers (10 days) and 好奇 wipes (7 days), both 1 pack on 23 Nov 10:00 local:
    # diapers run out 3 Dec (due 28 Nov), wipes 30 Nov (due 25 Nov) — not 17 days pooled.
    at = datetime(2026, 11, 23, 2, 0)
    member = facts(lines=(Line(61, at, "好奇纸尿裤", "好奇", 1, 10.0, "diapers"),
                          Line(61, at, "好奇湿巾", "好奇", 1, 7.0, "wipes")))
    assert [(d.key, d.due_on) for d in of("running_out", desired_callbacks(member, DAY, rules, ZONE))] \
        == [("好奇/diapers:2026-11-23", date(2026, 11, 28)), ("好奇/wipes:2026-11-23", date(2026, 11, 25))]


def test_reconcile_moves_an_open_callback_whose_date_moved(rules):
    wish = due("running_out", "飞鹤:2026-11-20", date(2026, 12, 8))
    existing = [Existing(101, "running_out", "飞鹤:2026-11-20", "open", date(2026, 11, 30))]
    assert reconcile(existing, [wish], DAY, rules) == Changes(update=[(101, wish)])


def test_reconcile_reopens_a_cancelled_callback_wanted_again_but_never_a_done_one(rules):
    wish = due("running_out", "飞鹤:2026-11-20", date(2026, 11, 30))
    cancelled = [Existing(101, "running_out", "飞鹤:2026-11-20", "cancelled", date(2026, 11, 30))]
    assert reconcile(cancelled, [wish], DAY, rules) == Changes(update=[(101, wish)])
    done = [Existing(101, "running_out", "飞鹤:2026-11-20", "done", date(2026, 11, 30))]
    assert reconcile(done, [wish], DAY, rules) == Changes()
