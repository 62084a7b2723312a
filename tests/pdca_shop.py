"""PDCA plans on a small shop built by hand built here for the PDCA tests (tests/*/test_pdca.py),
every figure worked out. Definitions: docs/pdca.md (the same text as tui.reports.pdca.DEFINITIONS).

The fixture shop (tests/fixture_shop.py) is today Monday 2026-11-23 in Asia/Shanghai
(UTC+8), now 11:30 there; 王店长 is the manager, 张丽 and 刘芳 the guides. Among its
members, 飞鹤 (FH-3, 350 yuan a can) was bought by:
  王芳 (张丽's)  12 cans on 30 Aug
  赵敏 (刘芳's)  1 can on 27 May
  吴静 (张丽's)  12 cans on 30 Aug; she refused promotions: no sales calls
This module adds, each with one can of 飞鹤:
  林晓 (张丽's)  15 Oct
  何佳 (刘芳's)  2 Nov
  马丽 (nobody's) 20 Nov

The plan "飞鹤复购", made now (23 Nov) for next month, 2026-12-01..2026-12-31 (31 days):
  members: bought brand 飞鹤 since 2026-05-01 until 2026-11-30 → 王芳 赵敏 吴静 林晓 何佳 马丽,
    6 targets frozen today; responsible: each member's owner; 马丽 has none, so the even
    split gives her to the guide with fewer: 张丽 has 王芳 吴静 林晓 (3), 刘芳 赵敏 何佳 (2)
    → 刘芳. So 张丽 3, 刘芳 3.
  targets: completion 100%, success 50%, performance 3,000 yuan (300,000 cents).

December, shop time:
  12-02 10:00 张丽 calls 王芳: no answer          (her first contact)
  12-02 11:00 赵敏 buys 1 can (35,000)           (before her first contact: not a success)
  12-03 15:00 张丽 calls 王芳: reached             (a second contact: she counts once)
  12-04 10:00 刘芳 calls 赵敏
  12-05 12:00 宋雨, a new member of 张丽's, buys 飞鹤 (joins the segment's brand, but after
              its until-day and after the freeze: never a target)
  12-05 16:00 王芳 buys 2 cans (70,000) and 1 pack of diapers (12,900): success; only the
              飞鹤 line counts as buying again: 70,000
  12-08 10:00 张丽 calls 林晓
  12-10 09:00 何佳 (not contacted yet) reassigned 刘芳 → 张丽 ("刘芳 is on leave")
  12-11 10:00 张丽 calls 何佳
  12-12 09:00 the success target changed 50% → 70% ("first two weeks went well")
  12-12 10:00 何佳 buys 3 cans (105,000): success, 张丽's
  12-15 10:00 刘芳 calls 马丽
  12-16 09:00 马丽 buys 1 can (35,000): success, 刘芳's
  2027-01-02  林晓 buys 1 can: after the period, never counted

As of 12-16 (day 16 of 31):
  whole plan: contacted 王芳 赵敏 林晓 何佳 马丽 = 5/6 (吴静 not); bought again after the first
    contact: 王芳 何佳 马丽 = 3/5; performance 70,000 + 105,000 + 35,000 = 210,000.
    expected: completion 100% × 16/31 = 51.6% (5/6 = 83% ≥ → on pace); success 70% × 16/31
    = 36.1% (60% → on pace); performance 300,000 × 16/31 = 154,838.7 (210,000 → on pace).
  张丽 (now responsible for 王芳 吴静 林晓 何佳): 3/4 contacted, 2/3 bought again, 175,000;
    her performance target 300,000 × 4/6 = 200,000, expected 200,000 × 16/31 = 103,225.8 →
    on pace.
  刘芳 (赵敏 马丽): 2/2, 1/2, 35,000; target 300,000 × 2/6 = 100,000, expected 51,612.9 →
    behind.
"""

from __future__ import annotations

from datetime import date

import pytest

from fixture_shop import NOW, TODAY, build_fixture_shop, utc
from tui.clock import Clock
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.members.purchases import SaleLine, record_purchase
from tui.db.members.segments import parse_segment
from tui.db.models import Member, PlanCycle, Product
from tui.db.pdca.act import change_target, reassign_targets
from tui.db.pdca.form import PlanDraft, Targets, plan_period
from tui.db.pdca.plans import create_plan


SEGMENT = "brand:飞鹤 since 2026-05-01 until 2026-11-30"
DEC16 = date(2026, 12, 16)


@pytest.fixture
def shop(db, settings):
    ids = build_fixture_shop(settings)
    rules, zone = settings.callbacks, settings.shop.zone
    ids["fh"] = Product.get(Product.sku == "FH-3").id
    ids["diapers"] = Product.get(Product.sku == "BBS-L").id

    def member(key: str, no: int, name: str, owner: int | None, bought: str) -> None:
        m = Member.create(member_no=f"M{no:06d}", name=name, phone=f"139000100{no:02d}",
                          phone_tail=f"00{no:02d}", owner=owner, joined_on=date(2026, 1, 10),
                          created_at=NOW)
        record_purchase(m.id, owner, [SaleLine(ids["fh"], 1, 35_000)], rules, zone, utc(bought))
        ids[key] = m.id

    member("linxiao", 10, "林晓", ids["zhang"], "2026-10-15 10:00")
    member("hejia", 11, "何佳", ids["liu"], "2026-11-02 10:00")
    member("mali", 12, "马丽", None, "2026-11-20 10:00")
    return ids


def draft(settings, name: str = "飞鹤复购", responsible: str = "owner") -> PlanDraft:
    return PlanDraft(name, parse_segment(SEGMENT), plan_period("next-month", TODAY,
                                                                settings.shop.zone),
                     Targets(100, 50, 300_000), ("running-out reminder", "cumulative gifts"),
                     responsible)


def contact(settings, member: int, staff: int, when: str, outcome: str = "reached",
            note: str = "问奶粉喝完没有") -> int:
    return log_contact(ContactEntry(member, staff, "phone", outcome, False, note),
                       settings.callbacks, settings.shop.zone, utc(when)).contact_id


def buy(settings, member: int, staff: int | None, when: str, lines: list[SaleLine]) -> None:
    record_purchase(member, staff, lines, settings.callbacks, settings.shop.zone, utc(when))


def december(shop, settings, cycle: int, until: str = "12-16") -> None:
    """The month as told in the module's docstring, up to and including `until`."""
    s, fh, boss = shop, shop["fh"], shop["boss"]
    steps = [
        ("12-02", lambda: contact(settings, s["wangfang"], s["zhang"], "2026-12-02 10:00",
                                  "no_answer")),
        ("12-02", lambda: buy(settings, s["zhaomin"], s["liu"], "2026-12-02 11:00",
                              [SaleLine(fh, 1, 35_000)])),
        ("12-03", lambda: contact(settings, s["wangfang"], s["zhang"], "2026-12-03 15:00")),
        ("12-04", lambda: contact(settings, s["zhaomin"], s["liu"], "2026-12-04 10:00")),
        ("12-05", lambda: songyu(shop, settings)),
        ("12-05", lambda: buy(settings, s["wangfang"], s["zhang"], "2026-12-05 16:00",
                              [SaleLine(fh, 2, 70_000), SaleLine(s["diapers"], 1, 12_900)])),
        ("12-08", lambda: contact(settings, s["linxiao"], s["zhang"], "2026-12-08 10:00")),
        ("12-10", lambda: reassign_targets(cycle, "刘芳 is on leave", boss,
                                           utc("2026-12-10 09:00"), settings,
                                           to_guide_id=s["zhang"], member_ids=[s["hejia"]])),
        ("12-11", lambda: contact(settings, s["hejia"], s["zhang"], "2026-12-11 10:00")),
        ("12-12", lambda: change_target(s["plan"], "success", "70", "first two weeks went well",
                                        boss, utc("2026-12-12 09:00"))),
        ("12-12", lambda: buy(settings, s["hejia"], s["zhang"], "2026-12-12 10:00",
                              [SaleLine(fh, 3, 105_000)])),
        ("12-15", lambda: contact(settings, s["mali"], s["liu"], "2026-12-15 10:00")),
        ("12-16", lambda: buy(settings, s["mali"], s["liu"], "2026-12-16 09:00",
                              [SaleLine(fh, 1, 35_000)])),
    ]
    for day, step in steps:
        if day <= until:
            step()


def songyu(shop, settings) -> None:
    m = Member.create(member_no="M000013", name="宋雨", phone="13900010013", phone_tail="0013",
                      owner=shop["zhang"], joined_on=date(2026, 12, 5), created_at=NOW)
    buy(settings, m.id, shop["zhang"], "2026-12-05 12:00", [SaleLine(shop["fh"], 1, 35_000)])
    shop["songyu"] = m.id


@pytest.fixture
def plan(shop, settings):
    """The plan made now; its cycle's id in shop["cycle"], the plan's in shop["plan"]."""
    shop["cycle"] = create_plan(draft(settings), shop["boss"], NOW, settings)
    shop["plan"] = PlanCycle.get_by_id(shop["cycle"]).plan_id
    return shop


@pytest.fixture
def month(plan, settings):
    december(plan, settings, plan["cycle"])
    return plan


# --- the command-line twin ------------------------------------------------------------------------


@pytest.fixture
def frozen(settings):
    """The command line's clock on the plan's last evening (18:00 on 2026-12-16 UTC)."""
    return Clock.frozen(utc("2026-12-16 18:00"), settings.shop.zone)
