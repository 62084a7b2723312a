"""PDCA plans on a small shop built by hand in this file, every figure worked out below in the
comments. Definitions: docs/pdca.md (the same text as tui.reports.pdca.DEFINITIONS).

The fixture shop (tests/fixture_shop.py) is today Monday 2026-11-23 in Asia/Shanghai
(UTC+8), now 11:30 there; 王店长 is the manager, 张丽 and 刘芳 the guides. Among its
members, 飞鹤 (FH-3, 350 yuan a can) was bought by:
  王芳 (张丽's)  12 cans on 30 Aug
  赵敏 (刘芳's)  1 can on 27 May
  吴静 (张丽's)  12 cans on 30 Aug; she refused promotions: no sales calls
This file adds, each with one can of 飞鹤:
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

import json
from pilot import settle
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from tui.clock import Clock
from textual.widgets import DataTable, Input

from fixture_shop import NOW, TODAY, build_fixture_shop, utc
from tui.cli import main
from tui.db.audit import PermissionDenied
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.callbacks.queue import callback_queue
from tui.db.callbacks.raising import refresh_shop
from tui.db.callbacks.rules import CampaignFacts, MemberFacts, desired_callbacks
from tui.db.members.purchases import SaleLine, record_purchase
from tui.db.members.segments import SegmentError, parse_segment, segment_member_ids
from tui.db.models import (AuditLog, Callback, Member, Plan, PlanAdjustment, PlanCycle,
                           PlanSpotCheck, PlanTarget, Product)
from tui.db.pdca.act import (change_target, close_cycle, decide_method, draw_spot_check,
                             mark_spot_check, reassign_targets, spot_check, start_next_cycle)
from tui.db.pdca.check import plan_check
from tui.db.pdca.form import (PlanDraft, PlanError, PlanFieldErrors, Targets, plan_period,
                              read_plan_form)
from tui.db.pdca.plans import create_plan, preview_plan
from tui.db.pdca.view import plan_drill, plan_history, plan_list
from tui.reports.pdca import DEFINITIONS, check_json_record, checks_csv, checks_text, figure_cells

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


def names(ids) -> list[str]:
    return [Member.get_by_id(i).name for i in ids]


def figures(g) -> tuple:
    return (g.guide, g.targets, g.contacted, g.succeeded, g.sales_cents)


# --- segments within dates -------------------------------------------------------------------


def test_a_segment_within_dates(shop, settings):
    seg = parse_segment(SEGMENT)
    assert seg.text == SEGMENT and parse_segment(seg.text) == seg
    assert seg.words == "bought brand 飞鹤 2026-05-01..2026-11-30"
    assert names(segment_member_ids(seg, settings, TODAY)) == [
        "王芳", "赵敏", "吴静", "林晓", "何佳", "马丽"]
    # the until-day counts whole: 林晓 bought at 10:00 on 15 Oct
    assert names(segment_member_ids(parse_segment("brand:飞鹤 since 2026-10-15 until 2026-10-15"),
                                    settings, TODAY)) == ["林晓"]
    assert names(segment_member_ids(parse_segment("brand:飞鹤 until 2026-05-27"), settings,
                                    TODAY)) == ["赵敏"]
    with pytest.raises(SegmentError) as caught:
        parse_segment("brand:飞鹤 since 2026-11-30 until 2026-05-01")
    assert str(caught.value) == ("'brand:飞鹤 since 2026-11-30 until 2026-05-01': until 2026-05-01 "
                                 "is before since 2026-11-30; give the earlier day first")
    with pytest.raises(SegmentError) as caught:
        parse_segment("dormant until 2026-05-01")
    assert str(caught.value) == "'dormant until 2026-05-01': only brand, product and category take 'until'"


# --- plan: freezing the targets ----------------------------------------------------------------


def test_the_targets_are_frozen_with_their_guides(shop, settings):
    # by owner: 马丽 (nobody's) to 刘芳, who has fewer (2 against 3)
    assert preview_plan(draft(settings), settings, TODAY).words == "6 target members: 刘芳 3, 张丽 3"
    # an even split: 3 and 3, each member staying with their owner where there is room
    # (张丽 keeps 王芳 吴静 林晓; 刘芳 赵敏 何佳 and gets 马丽)
    split = preview_plan(draft(settings, responsible="split"), settings, TODAY)
    assert split.words == "6 target members: 刘芳 3, 张丽 3"
    assert dict(split.members) == {shop["wangfang"]: shop["zhang"], shop["wujing"]: shop["zhang"],
                                   shop["linxiao"]: shop["zhang"], shop["zhaomin"]: shop["liu"],
                                   shop["hejia"]: shop["liu"], shop["mali"]: shop["liu"]}


def test_later_joiners_do_not_move_the_figures(plan, settings):
    # 宋雨 buys 飞鹤 on 5 Dec; even a segment without its until-day would take her now,
    # but the targets were frozen on 23 Nov
    songyu(plan, settings)
    assert PlanTarget.select().where(PlanTarget.cycle == plan["cycle"]).count() == 6
    assert plan_check(plan["cycle"], DEC16, settings).whole.targets == 6


def test_starting_a_plan_puts_the_targets_in_the_guides_queues(plan, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    calls = {(names([c.member_id])[0], c.owner_id, c.due_on, c.detail, c.source_key)
             for c in Callback.select().where(Callback.reason == "campaign")}
    cycle = plan["cycle"]
    # due on the first day; 吴静 refused promotions: a plan call is a sales call, none for her
    key = f"cycle:{cycle}:2026-12-01"
    assert calls == {("王芳", plan["zhang"], date(2026, 12, 1), "飞鹤复购", key),
                     ("林晓", plan["zhang"], date(2026, 12, 1), "飞鹤复购", key),
                     ("赵敏", plan["liu"], date(2026, 12, 1), "飞鹤复购", key),
                     ("何佳", plan["liu"], date(2026, 12, 1), "飞鹤复购", key),
                     ("马丽", plan["liu"], date(2026, 12, 1), "飞鹤复购", key)}
    page = callback_queue(date(2026, 12, 1), rules, zone, guide_id=plan["zhang"])
    lines = {ln.name: ln for ln in page.lines}
    assert lines["林晓"].reason_labels == "campaign"
    assert [r.detail for r in lines["林晓"].reasons] == ["飞鹤复购"]
    assert "campaign" in lines["王芳"].reason_labels
    assert "马丽" not in lines  # 刘芳's
    assert AuditLog.get(AuditLog.action == "pdca_plan").detail == (
        "cycle 1 2026-12-01..2026-12-31, bought brand 飞鹤 2026-05-01..2026-11-30: 6 target "
        "members: 刘芳 3, 张丽 3; targets completion 100%, success 50%, performance ¥3,000")
    # the daily run keeps them as they are
    refresh_shop(TODAY, rules, zone, NOW)
    assert Callback.select().where((Callback.reason == "campaign")
                                   & (Callback.status == "open")).count() == 5


def test_a_contact_completes_the_campaign_call_and_it_does_not_come_back(plan, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    contact(settings, plan["linxiao"], plan["zhang"], "2026-12-02 10:00")
    call = Callback.get((Callback.reason == "campaign") & (Callback.member == plan["linxiao"]))
    assert call.status == "done"
    refresh_shop(date(2026, 12, 3), rules, zone, utc("2026-12-03 08:00"))
    assert Callback.select().where((Callback.reason == "campaign")
                                   & (Callback.member == plan["linxiao"])).count() == 1
    # a contact before the first day does not count: 王芳 called on 25 Nov keeps her call
    contact(settings, plan["wangfang"], plan["zhang"], "2026-11-25 10:00")
    assert Callback.get((Callback.reason == "campaign")
                        & (Callback.member == plan["wangfang"])).status == "open"


def test_the_campaign_rule_on_plain_facts(settings):
    rules, zone = settings.callbacks, settings.shop.zone
    campaign = CampaignFacts(7, "飞鹤复购", date(2026, 12, 1), date(2026, 12, 31),
                             date(2026, 11, 23), 3)
    base = MemberFacts(member_id=1, owner_id=2, joined_on=date(2026, 1, 1), birthday=None,
                       accepts_promotions=True, do_not_contact=False, campaigns=(campaign,))

    def wanted(facts, day):
        return [(d.key, d.due_on, d.owner_id) for d in desired_callbacks(facts, day, rules, zone)
                if d.reason == "campaign"]

    # raised ahead (31 days), due on the first day, for the responsible guide (3), not the owner
    assert wanted(base, date(2026, 11, 23)) == [("cycle:7:2026-12-01", date(2026, 12, 1), 3)]
    # a plan started mid-period: due the day it started
    later = CampaignFacts(7, "飞鹤复购", date(2026, 12, 1), date(2026, 12, 31),
                          date(2026, 12, 10), 3)
    assert wanted(MemberFacts(**{**base.__dict__, "campaigns": (later,)}),
                  date(2026, 12, 10)) == [("cycle:7:2026-12-10", date(2026, 12, 10), 3)]
    # nobody called: due 1 Dec stays until 14 days overdue (15 Dec), then again every 14 days
    assert wanted(base, date(2026, 12, 15))[0][1] == date(2026, 12, 1)
    assert wanted(base, date(2026, 12, 16)) == [("cycle:7:2026-12-15", date(2026, 12, 15), 3)]
    # the period over: no call
    assert wanted(base, date(2027, 1, 1)) == []
    # refused promotions, or do not contact: no call
    assert wanted(MemberFacts(**{**base.__dict__, "accepts_promotions": False}),
                  date(2026, 12, 1)) == []
    assert wanted(MemberFacts(**{**base.__dict__, "do_not_contact": True}), date(2026, 12, 1)) == []
    # a responsible guide no longer active (None): the member's owner
    gone = CampaignFacts(7, "飞鹤复购", date(2026, 12, 1), date(2026, 12, 31),
                         date(2026, 11, 23), None)
    assert wanted(MemberFacts(**{**base.__dict__, "campaigns": (gone,)}),
                  date(2026, 12, 1))[0][2] == 2


def test_a_campaign_call_stays_with_the_responsible_guide(plan, settings):
    from tui.db.assign.apply import assign_members
    from tui.db.callbacks.rules import Due, Existing, reconcile

    # assigning 何佳 to 张丽 moves her open calls with her, the campaign call too; the plan
    # still has 刘芳 responsible, and the next run of the rules gives it back to her
    assign_members([plan["hejia"]], plan["zhang"], plan["boss"], NOW)
    call = Callback.get((Callback.reason == "campaign") & (Callback.member == plan["hejia"]))
    assert call.owner_id == plan["zhang"]
    refresh_shop(TODAY, settings.callbacks, settings.shop.zone, NOW)
    assert Callback.get_by_id(call.id).owner_id == plan["liu"]
    # the rule itself: same key and day, another owner wanted → updated; other reasons'
    # owners are left as they are
    wanted = [Due("campaign", "cycle:1:2026-12-01", date(2026, 12, 1), 3, "飞鹤复购"),
              Due("birthday", "member:2026", date(2026, 12, 1), 3, "")]
    existing = [Existing(10, "campaign", "cycle:1:2026-12-01", "open", date(2026, 12, 1), 2),
                Existing(11, "birthday", "member:2026", "open", date(2026, 12, 1), 2)]
    assert reconcile(existing, wanted, TODAY, settings.callbacks).update == [(10, wanted[0])]


# --- check: the figures by hand ------------------------------------------------------------------


def test_every_figure_as_of_16_december(month, settings):
    check = plan_check(month["cycle"], DEC16, settings)
    assert (check.as_of, check.elapsed_days, check.period_days) == (DEC16, 16, 31)
    assert check.targets == Targets(100, 70, 300_000)  # the success target as changed on 12-12
    assert check.repurchase_words == "a purchase of brand 飞鹤"
    assert figures(check.whole) == ("whole plan", 6, 5, 3, 210_000)
    assert [figures(g) for g in check.guides] == [("刘芳", 2, 2, 1, 35_000),
                                                  ("张丽", 4, 3, 2, 175_000)]
    w = check.whole
    completion, success, sales = w.figures
    assert (completion.done, completion.of, completion.actual) == (5, 6, Fraction(5, 6))
    assert completion.expected == Fraction(16, 31)  # 100% × 16/31
    assert completion.pace == "on pace"
    assert (success.done, success.of, success.actual) == (3, 5, Fraction(3, 5))
    assert success.expected == Fraction(7, 10) * Fraction(16, 31)  # 36.1%
    assert success.pace == "on pace"
    assert (sales.done, sales.target, sales.expected) == (210_000, 300_000,
                                                          Fraction(300_000 * 16, 31))
    assert sales.pace == "on pace"
    liu, zhang = check.guides
    assert liu.figure("sales").target == 100_000  # 300,000 × 2/6
    assert liu.figure("sales").expected == Fraction(100_000 * 16, 31)  # 51,612.9 > 35,000
    assert liu.figure("sales").pace == "behind"
    assert zhang.figure("sales").target == 200_000
    assert zhang.figure("sales").pace == "on pace"
    # what the panel and the CLI print
    assert figure_cells(w, "completion") == ["completion", "5/6 83%", "100%", "52%", "on pace", ""]
    assert figure_cells(w, "success") == ["success", "3/5 60%", "70%", "36%", "on pace", ""]
    assert figure_cells(w, "sales") == ["performance", "¥2,100", "¥3,000", "¥1,548", "on pace", ""]
    assert figure_cells(liu, "sales") == ["performance", "¥350", "¥1,000", "¥516", "behind", ""]


def test_the_figures_as_of_an_earlier_day(month, settings):
    # as of 12-09 (day 9): contacted 王芳 (12-02) 赵敏 (12-04) 林晓 (12-08) = 3/6; bought again
    # after the first contact: 王芳 (12-05) = 1/3; 70,000. Per guide by who is responsible now
    # (何佳 is 张丽's since 12-10): 张丽 王芳 林晓 of 4, 刘芳 赵敏 of 2.
    check = plan_check(month["cycle"], date(2026, 12, 9), settings)
    assert figures(check.whole) == ("whole plan", 6, 3, 1, 70_000)
    assert [figures(g) for g in check.guides] == [("刘芳", 2, 1, 0, 0), ("张丽", 4, 2, 1, 70_000)]
    # expected performance 300,000 × 9/31 = 87,096.8 > 70,000: behind
    assert check.whole.figure("sales").pace == "behind"
    assert check.whole.figure("completion").pace == "on pace"  # 50% ≥ 29.0%
    # before the first day nothing counts and nothing is expected yet
    before = plan_check(month["cycle"], date(2026, 11, 30), settings)
    assert figures(before.whole) == ("whole plan", 6, 0, 0, 0)
    assert before.elapsed_days == 0 and before.whole.figure("completion").pace == "not started"


def test_a_purchase_before_the_first_contact_and_after_the_period(month, settings):
    buy(settings, month["linxiao"], month["zhang"], "2027-01-02 10:00",
        [SaleLine(month["fh"], 1, 35_000)])
    # any day after the period counts to its last day: 林晓's January purchase is not in it
    check = plan_check(month["cycle"], date(2027, 1, 5), settings)
    assert check.as_of == date(2026, 12, 31) and check.elapsed_days == 31
    assert figures(check.whole) == ("whole plan", 6, 5, 3, 210_000)
    drill = plan_drill(month["cycle"], "success", None, date(2027, 1, 5), settings, whole=True)
    by_name = {m.name: m for m in drill.members}
    assert by_name["赵敏"].bought_again is False  # bought 12-02 11:00, first contact 12-04
    assert by_name["林晓"].bought_again is False
    assert by_name["王芳"].first_contact == datetime(2026, 12, 2, 10, 0)  # the no-answer call


def test_the_drill_down_lists_the_members_and_their_contacts(month, settings):
    page = plan_drill(month["cycle"], "success", month["zhang"], DEC16, settings)
    assert (page.guide, page.total, page.counted) == ("张丽", 3, 2)
    assert [(m.name, m.in_figure, m.sales_cents) for m in page.members] == [
        ("王芳", True, 70_000), ("何佳", True, 105_000), ("林晓", False, 0)]
    wangfang = page.members[0]
    assert [(c.at, c.staff, c.outcome) for c in wangfang.contacts] == [
        (datetime(2026, 12, 2, 10, 0), "张丽", "no_answer"),
        (datetime(2026, 12, 3, 15, 0), "张丽", "reached")]
    # only the 飞鹤 line of her 5 Dec sale is buying again
    assert [(p.at, p.cents, p.products) for p in wangfang.purchases] == [
        (datetime(2026, 12, 5, 16, 0), 70_000, "飞鹤星飞帆3段")]
    whole = plan_drill(month["cycle"], "completion", None, DEC16, settings, whole=True)
    assert (whole.total, whole.counted) == (6, 5)
    assert [m.name for m in whole.members if not m.in_figure] == ["吴静"]
    sales = plan_drill(month["cycle"], "sales", month["liu"], DEC16, settings)
    assert [(m.name, m.sales_cents) for m in sales.members] == [("马丽", 35_000)]
    with pytest.raises(PlanError):
        plan_drill(month["cycle"], "visits", None, DEC16, settings, whole=True)


# --- act: people, targets, methods ----------------------------------------------------------------


def test_a_member_reassigned_mid_plan(plan, settings):
    december(plan, settings, plan["cycle"], until="12-08")
    before = plan_check(plan["cycle"], date(2026, 12, 9), settings)
    assert [(g.guide, g.targets) for g in before.guides] == [("刘芳", 3), ("张丽", 3)]
    call = Callback.get((Callback.reason == "campaign") & (Callback.member == plan["hejia"]))
    assert call.owner_id == plan["liu"]
    result = reassign_targets(plan["cycle"], "刘芳 is on leave", plan["boss"],
                              utc("2026-12-10 09:00"), settings, to_guide_id=plan["zhang"],
                              member_ids=[plan["hejia"]])
    assert result.words == "1 uncontacted target moved: 张丽 +1"
    after = plan_check(plan["cycle"], date(2026, 12, 10), settings)
    assert [(g.guide, g.targets) for g in after.guides] == [("刘芳", 2), ("张丽", 4)]
    # the campaign call follows at once; her owner stays 刘芳 (the plan does not assign members)
    assert Callback.get_by_id(call.id).owner_id == plan["zhang"]
    assert Member.get_by_id(plan["hejia"]).owner_id == plan["liu"]
    target = PlanTarget.get((PlanTarget.cycle == plan["cycle"]) & (PlanTarget.member == plan["hejia"]))
    assert (target.guide_id, target.frozen_guide_id) == (plan["zhang"], plan["liu"])
    adj = PlanAdjustment.get(PlanAdjustment.kind == "people")
    assert (adj.subject, adj.old, adj.new, adj.why) == ("M000011", "刘芳", "张丽", "刘芳 is on leave")
    # a target already contacted keeps the guide who made the contact
    with pytest.raises(PlanError) as caught:
        reassign_targets(plan["cycle"], "balance", plan["boss"], utc("2026-12-10 10:00"), settings,
                         to_guide_id=plan["liu"], member_ids=[plan["wangfang"]])
    assert str(caught.value) == ("M000001 was already contacted in this cycle; only targets not "
                                 "yet contacted are reassigned")
    # all of 刘芳's uncontacted targets (马丽; 赵敏 was called 12-04) by the even split over
    # the other active guides: 张丽
    moved = reassign_targets(plan["cycle"], "刘芳 is away", plan["boss"], utc("2026-12-10 11:00"),
                             settings, from_guide_id=plan["liu"])
    assert moved.words == "1 uncontacted target moved: 张丽 +1; 1 already contacted stays"


def test_a_target_changed_mid_cycle(plan, settings):
    december(plan, settings, plan["cycle"], until="12-11")
    assert plan_check(plan["cycle"], date(2026, 12, 11), settings).targets.success_pct == 50
    with pytest.raises(PlanError) as caught:
        change_target(plan["plan"], "success", "70", "  ", plan["boss"], utc("2026-12-12 09:00"))
    assert str(caught.value) == "say why: every adjustment is written down with its reason"
    words = change_target(plan["plan"], "success", "70%", "first two weeks went well",
                          plan["boss"], utc("2026-12-12 09:00"))
    assert words == "success target 50% → 70%"
    check = plan_check(plan["cycle"], date(2026, 12, 12), settings)
    assert check.targets.success_pct == 70
    assert check.whole.figure("success").target == Fraction(7, 10)
    assert Plan.get_by_id(plan["plan"]).target_success_pct == 70
    adj = PlanAdjustment.get(PlanAdjustment.kind == "target")
    assert (adj.subject, adj.old, adj.new, adj.why, adj.cycle_id) == (
        "success target", "50%", "70%", "first two weeks went well", plan["cycle"])
    assert change_target(plan["plan"], "sales", "2,500", "December is short", plan["boss"],
                         utc("2026-12-12 10:00")) == "performance target ¥3,000 → ¥2,500"
    with pytest.raises(PlanError) as caught:
        change_target(plan["plan"], "completion", "120", "more", plan["boss"], NOW)
    assert str(caught.value) == "completion target: a whole percent from 0 to 100, such as 80"


def test_methods_kept_dropped_and_added(plan, settings):
    boss = plan["boss"]
    assert decide_method(plan["plan"], "Running-out reminder", "kept", "two repurchases came "
                         "from it", boss, NOW) == "running-out reminder: kept"
    assert decide_method(plan["plan"], "cumulative gifts", "dropped", "nobody reached 6 cans",
                         boss, NOW) == "cumulative gifts: dropped"
    assert decide_method(plan["plan"], "满12罐送婴儿床", "added", "bigger prize", boss, NOW) == (
        "满12罐送婴儿床: added")
    assert json.loads(Plan.get_by_id(plan["plan"]).methods) == ["running-out reminder",
                                                               "满12罐送婴儿床"]
    # the running cycle keeps the methods it started with; the next cycle takes the plan's
    assert json.loads(PlanCycle.get_by_id(plan["cycle"]).methods) == ["running-out reminder",
                                                                     "cumulative gifts"]
    with pytest.raises(PlanError) as caught:
        decide_method(plan["plan"], "cumulative gifts", "dropped", "again", boss, NOW)
    assert str(caught.value) == ("cumulative gifts is not one of the plan's methods: "
                                 "running-out reminder, 满12罐送婴儿床")


# --- spot-check --------------------------------------------------------------------------------------


def test_the_spot_check_is_stored_and_the_same_when_reopened(month, settings):
    cycle, boss = month["cycle"], month["boss"]
    at = utc("2026-12-16 18:00")
    # the period's contacts to targets by 12-16: 王芳 ×2, 赵敏, 林晓, 何佳, 马丽 = 6
    assert spot_check(cycle, DEC16, settings).pool == 6
    assert draw_spot_check(cycle, 3, boss, at, settings, seed=20261216) == 3
    first = spot_check(cycle, DEC16, settings)
    assert (first.drawn, first.checked, first.pool) == (3, 0, 3)
    again = spot_check(cycle, DEC16, settings)
    assert [ln.contact_id for ln in again.lines] == [ln.contact_id for ln in first.lines]
    # the same pool and seed draw the same contacts (what "seeded" promises)
    assert {r.seed for r in PlanSpotCheck.select()} == {20261216}
    # a second draw takes from the rest only; then nothing is left
    assert draw_spot_check(cycle, 10, boss, at, settings, seed=1) == 3
    with pytest.raises(PlanError) as caught:
        draw_spot_check(cycle, 10, boss, at, settings)
    assert str(caught.value) == "no contact to target members in the period is left to draw"
    lines = spot_check(cycle, DEC16, settings).lines
    mark_spot_check(lines[0].check_id, True, boss, at)
    mark_spot_check(lines[1].check_id, True, boss, at)
    mark_spot_check(lines[2].check_id, False, boss, at, note="会员说没接到电话")
    w = plan_check(cycle, DEC16, settings).whole
    assert (w.spot_drawn, w.spot_checked, w.spot_verified) == (6, 3, 2)
    assert figure_cells(w, "completion")[-1] == "2/3 verified"
    assert AuditLog.select().where(AuditLog.action == "pdca_spot_mark").count() == 3
    # a guide may not draw or mark
    with pytest.raises(PermissionDenied):
        mark_spot_check(lines[3].check_id, True, month["zhang"], at)
    assert PlanSpotCheck.get_by_id(lines[3].check_id).verified is None


# --- act: closing a cycle and starting the next ------------------------------------------------


def test_close_the_cycle_and_start_the_next_from_the_adjusted_plan(month, settings):
    s, boss = month, month["boss"]
    contact(settings, s["wujing"], s["zhang"], "2026-12-20 15:00", note="到店，还有半罐")
    buy(settings, s["linxiao"], s["zhang"], "2027-01-02 10:00", [SaleLine(s["fh"], 1, 35_000)])
    with pytest.raises(PlanError):
        start_next_cycle(s["plan"], plan_period("2027-01-01..2027-01-31", date(2027, 1, 5),
                                                settings.shop.zone), boss, utc("2027-01-05 10:00"),
                         settings)
    final = close_cycle(s["cycle"], boss, utc("2027-01-05 10:00"), settings)
    # as of the last day: 6/6 contacted (吴静 on 12-20), 3/6 bought again, 210,000
    assert final.final and final.as_of == date(2026, 12, 31)
    assert figures(final.whole) == ("whole plan", 6, 6, 3, 210_000)
    assert final.whole.figure("success").pace == "behind"  # 50% < 70%
    # a sale recorded later but timed in the period does not change the closed figures
    buy(settings, s["wujing"], s["zhang"], "2026-12-30 10:00", [SaleLine(s["fh"], 1, 35_000)])
    assert figures(plan_check(s["cycle"], date(2027, 1, 6), settings).whole) == (
        "whole plan", 6, 6, 3, 210_000)
    assert figures(plan_check(s["cycle"], date(2027, 1, 6), settings, live=True).whole) == (
        "whole plan", 6, 6, 4, 245_000)
    # Act between the cycles: drop a method, lower the performance target
    decide_method(s["plan"], "cumulative gifts", "dropped", "nobody reached 6 cans", boss,
                  utc("2027-01-05 11:00"))
    change_target(s["plan"], "sales", "2500", "January is short", boss, utc("2027-01-05 11:05"))
    assert PlanCycle.get_by_id(s["cycle"]).target_sales_cents == 300_000  # closed: unchanged
    period = plan_period("2027-01-01..2027-01-31", date(2027, 1, 5), settings.shop.zone)
    second = start_next_cycle(s["plan"], period, boss, utc("2027-01-05 12:00"), settings)
    cycle2 = PlanCycle.get_by_id(second)
    assert (cycle2.number, cycle2.target_completion_pct, cycle2.target_success_pct,
            cycle2.target_sales_cents) == (2, 100, 70, 250_000)
    assert json.loads(cycle2.methods) == ["running-out reminder"]
    # frozen afresh: the same six (宋雨 bought after the until-day); by owner again, so 何佳
    # is 刘芳's once more
    check2 = plan_check(second, date(2027, 1, 5), settings)
    assert [(g.guide, g.targets) for g in check2.guides] == [("刘芳", 3), ("张丽", 3)]
    # 林晓 bought on 1-02 but nobody has contacted anyone in January yet
    assert figures(check2.whole) == ("whole plan", 6, 0, 0, 0)
    history = plan_history(s["plan"], date(2027, 1, 6), settings)
    assert [(c.cycle_number, c.final, figures(c.whole)) for c in history.cycles] == [
        (1, True, ("whole plan", 6, 6, 3, 210_000)), (2, False, ("whole plan", 6, 0, 0, 0))]
    assert [(a.cycle_number, a.kind, a.words) for a in history.adjustments] == [
        (1, "people", "M000011: 刘芳 → 张丽 — 刘芳 is on leave"),
        (1, "target", "success target: 50% → 70% — first two weeks went well"),
        (1, "method", "cumulative gifts: dropped — nobody reached 6 cans"),
        (1, "target", "performance target: ¥3,000 → ¥2,500 — January is short")]
    # campaign calls of the first cycle are over; the second's are raised at once
    assert Callback.select().where((Callback.reason == "campaign") & (Callback.status == "open")
                                   & Callback.source_key.startswith(f"cycle:{s['cycle']}:")).count() == 0
    assert Callback.select().where((Callback.reason == "campaign") & (Callback.status == "open")
                                   & Callback.source_key.startswith(f"cycle:{second}:")).count() == 5


def test_closing_early_cancels_the_open_campaign_calls(plan, settings):
    check = close_cycle(plan["cycle"], plan["boss"], utc("2026-11-24 10:00"), settings)
    assert check.as_of == date(2026, 11, 24) and check.elapsed_days == 0
    assert Callback.select().where((Callback.reason == "campaign")
                                   & (Callback.status == "cancelled")).count() == 5
    refresh_shop(date(2026, 12, 1), settings.callbacks, settings.shop.zone, utc("2026-12-01 08:00"))
    assert Callback.select().where((Callback.reason == "campaign")
                                   & (Callback.status == "open")).count() == 0
    with pytest.raises(PlanError) as caught:
        close_cycle(plan["cycle"], plan["boss"], utc("2026-11-24 11:00"), settings)
    assert str(caught.value) == ("cycle 1 of 飞鹤复购 is closed; its figures are final (start the "
                                 "next cycle to work on)")


# --- who may, and one-line refusals -----------------------------------------------------------------


def test_every_write_is_a_managers(plan, settings):
    zhang = plan["zhang"]
    audit_lines = AuditLog.select().count()
    refused = "only a manager can change PDCA plans; 张丽 is a guide"
    for write in (lambda: create_plan(draft(settings, "另一个"), zhang, NOW, settings),
                  lambda: change_target(plan["plan"], "success", "80", "why", zhang, NOW),
                  lambda: decide_method(plan["plan"], "cumulative gifts", "kept", "why", zhang, NOW),
                  lambda: reassign_targets(plan["cycle"], "why", zhang, NOW, settings,
                                           to_guide_id=zhang, member_ids=[plan["hejia"]]),
                  lambda: draw_spot_check(plan["cycle"], 3, zhang, NOW, settings),
                  lambda: close_cycle(plan["cycle"], zhang, NOW, settings)):
        with pytest.raises(PermissionDenied) as caught:
            write()
        assert str(caught.value) == refused
    assert Plan.select().count() == 1 and PlanAdjustment.select().count() == 0
    assert PlanCycle.get_by_id(plan["cycle"]).status == "running"
    assert AuditLog.select().count() == audit_lines


def test_the_plan_form_says_what_to_change(shop, settings):
    values = {"name": "", "kind": "brand", "value": "雀巢", "bought": "2026-05-01..soon",
              "period": "2026-10-01..2026-10-31", "completion": "110", "success": "",
              "sales": "lots", "responsible": "owner"}
    with pytest.raises(PlanFieldErrors) as caught:
        read_plan_form(values, (), settings, TODAY)
    assert caught.value.errors == {
        "name": "give the plan a name, e.g. 飞鹤复购 11月",
        "bought": "FROM..TO as YYYY-MM-DD..YYYY-MM-DD (either may be empty)",
        "period": "2026-10-01..2026-10-31 is over; plan a period that ends today or later",
        "completion": "a whole percent from 0 to 100, such as 80",
        "success": "a whole percent from 0 to 100, such as 80",
        "sales": "yuan, such as 50000 or 50,000.00",
    }
    values.update(name="雀巢", bought="", period="month", completion="100", success="50",
                  sales="1000")
    with pytest.raises(PlanFieldErrors) as caught:
        read_plan_form(values, (), settings, TODAY)
    assert caught.value.errors["value"].startswith("brand:雀巢: no product has that brand")
    good = read_plan_form({**values, "value": "飞鹤", "bought": "2026-05-01..2026-11-30"},
                          ("running-out reminder", " 满6罐 送玩偶 "), settings, TODAY)
    assert good.segment.text == SEGMENT and good.period.first_day == date(2026, 11, 1)
    assert good.methods == ("running-out reminder", "满6罐 送玩偶")


def test_one_line_refusals_when_starting(plan, settings):
    with pytest.raises(PlanError) as caught:
        create_plan(draft(settings), plan["boss"], NOW, settings)
    assert str(caught.value) == ("a plan named 飞鹤复购 is already on file; choose another name, "
                                 "or start its next cycle")
    empty = PlanDraft("空", parse_segment("tier:金卡"), plan_period("month", TODAY,
                                                                   settings.shop.zone),
                      Targets(100, 50, 0))
    with pytest.raises(PlanError) as caught:
        create_plan(empty, plan["boss"], NOW, settings)
    assert str(caught.value) == "nobody is in the segment (VIP tier 金卡); choose another"
    assert Plan.select().count() == 1


def test_the_plan_list(month, settings):
    [line] = plan_list(DEC16, settings)
    assert (line.name, line.cycle_number, line.status, line.targets) == ("飞鹤复购", 1, "running", 6)
    assert (line.completion.done, line.completion.of) == (5, 6)


# --- the command-line twin ------------------------------------------------------------------------


@pytest.fixture
def frozen(settings):
    """The command line's clock on the plan's last evening (18:00 on 2026-12-16 UTC)."""
    return Clock.frozen(utc("2026-12-16 18:00"), settings.shop.zone)


def test_the_cli_prints_what_the_query_returns(month, settings, frozen, capsys):
    path = str(settings.database.path)
    assert main(["--db", path, "pdca", "飞鹤复购", "--date", "2026-12-16", "--format", "json"], clock=frozen) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc == [check_json_record(plan_check(month["cycle"], DEC16, settings))]
    whole = doc[0]["whole"]
    assert (whole["targets"], whole["contacted"], whole["succeeded"], whole["sales_cents"]) == (
        6, 5, 3, 210_000)
    assert whole["figures"]["success"] == {"done": 3, "of": 5, "actual_percent": 60.0,
                                           "target": 70.0, "expected": 36.13, "on_pace": True,
                                           "pace": "on pace", "words": "3/5 60%"}
    # without a plan: every running plan; the date defaults to today (12-16 here)
    assert main(["--db", path, "pdca", "--format", "json"], clock=frozen) == 0
    assert json.loads(capsys.readouterr().out) == doc
    assert main(["--db", path, "pdca", "1", "--format", "csv"], clock=frozen) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 1 + 3 * 3
    assert rows[3] == ('飞鹤复购,1,running,2026-12-01,2026-12-31,2026-12-16,whole plan,6,sales,'
                       '210000,,"¥2,100","¥3,000","¥1,548",on pace,0,0,0')
    assert main(["--db", path, "pdca", "飞鹤复购", "--width", "100"], clock=frozen) == 0
    text = capsys.readouterr().out
    assert text == checks_text([plan_check(month["cycle"], DEC16, settings)],
                               settings.shop.name, 100)
    assert "  performance  " in text and "behind" in text
    assert main(["--db", path, "pdca", "飞鹤复购", "--drill", "success", "--guide", "张丽",
                 "--format", "json"], clock=frozen) == 0
    drill = json.loads(capsys.readouterr().out)
    assert [(m["name"], m["counted"]) for m in drill["members"]] == [
        ("王芳", True), ("何佳", True), ("林晓", False)]
    assert main(["--db", path, "pdca", "飞鹤复购", "--history"], clock=frozen) == 0
    assert "success target: 50% → 70% — first two weeks went well" in capsys.readouterr().out
    assert checks_csv([]) == ",".join(["plan", "cycle", "status", "first_day", "last_day",
                                       "as_of", "guide", "targets", "figure", "done", "of",
                                       "actual", "target", "expected", "pace", "spot_drawn",
                                       "spot_checked", "spot_verified"]) + "\n"


@pytest.mark.parametrize("args, words", [
    (["雀巢计划"], "no plan '雀巢计划'; plans on file: 飞鹤复购"),
    (["--drill", "success"], "--drill, --history and --cycle need a PLAN (its name or id)"),
    (["飞鹤复购", "--cycle", "3"], "no cycle 3; this plan has cycles 1 to 1"),
    (["飞鹤复购", "--guide", "张丽"], "--guide goes with --drill FIGURE"),
    (["飞鹤复购", "--history", "--format", "csv"],
     "--drill and --history print text or json; --format csv is for the check"),
])
def test_cli_mistakes_are_one_line(plan, settings, frozen, capsys, args, words):
    assert main(["--db", str(settings.database.path), "pdca", *args], clock=frozen) == 2
    assert capsys.readouterr().err == f"shopfloor: {words}\n"


# --- the definitions are written out -------------------------------------------------------------


def test_the_definitions_in_the_docs_are_the_ones_in_the_help():
    docs = (Path(__file__).resolve().parent.parent / "docs" / "pdca.md").read_text(encoding="utf-8")
    assert DEFINITIONS in docs


# --- the screens, by keys ------------------------------------------------------------------------------


def app_at(settings, shop, when: datetime, who: str = "boss"):
    from tui.app import ShopfloorApp

    return ShopfloorApp(settings, user_id=shop[who], clock=Clock.frozen(when))


async def open_pdca(app, pilot) -> None:
    from tui.screens.pdca import open_pdca as show

    await settle(app, pilot)
    show(app)
    await settle(app, pilot)


async def test_a_manager_makes_a_plan_by_keys(shop, settings):
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.pdca import CheckPanelScreen
    from tui.screens.pdca_form import PlanForm

    app = app_at(settings, shop, NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanForm)
        await pilot.press(*"飞鹤复购", "enter",            # name
                          "1", *"飞鹤", "enter",           # members: brand 飞鹤
                          *"2026-05-01..2026-11-30", "enter",  # bought within
                          "enter", "enter",              # period next-month, completion 100
                          *"60", "enter", *"3000", "enter",   # success 60%, performance ¥3,000
                          "1", "enter", *"满6罐送玩偶", "enter")  # methods
        await settle(app, pilot)
        await pilot.press("enter")                       # responsible: each member's owner
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "6 target members: 刘芳 3, 张丽 3" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
    p = Plan.get()
    assert (p.name, p.segment, p.responsible, p.target_completion_pct, p.target_success_pct,
            p.target_sales_cents) == ("飞鹤复购", SEGMENT, "owner", 100, 60, 300_000)
    assert json.loads(p.methods) == ["running-out reminder", "满6罐送玩偶"]
    cycle = PlanCycle.get()
    assert (cycle.first_day, cycle.last_day, cycle.frozen_on) == (
        date(2026, 12, 1), date(2026, 12, 31), TODAY)
    assert PlanTarget.select().count() == 6
    assert Callback.select().where(Callback.reason == "campaign").count() == 5


async def test_a_guide_is_told_plans_are_a_managers(shop, settings):
    from tui.screens.pdca import PdcaScreen

    app = app_at(settings, shop, NOW, who="zhang")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, PdcaScreen)
    assert Plan.select().count() == 0


def panel_rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_panel_shows_what_the_cli_prints(month, settings, frozen, capsys):
    from tui.screens.pdca import CheckPanelScreen
    from tui.screens.pdca_drill import PlanDrillScreen

    assert main(["--db", str(settings.database.path), "pdca", "飞鹤复购", "--format", "json"], clock=frozen) == 0
    doc = json.loads(capsys.readouterr().out)[0]
    printed = []
    for g in [doc["whole"], *doc["guides"]]:
        for key in ("completion", "success", "sales"):
            name, act, tgt, exp, pace, spot = g["cells"][key]
            printed.append([name, act, spot, tgt, exp, pace])
    app = app_at(settings, month, utc("2026-12-16 18:00"))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
        rows = panel_rows(app)
        assert [[r[1], r[3], r[4], r[5], r[6], r[7]] for r in rows] == printed
        assert [r[0] for r in rows] == ["plan", "", "", "刘芳", "", "", "张丽", "", ""]
        # down to 张丽's success, Enter: the members behind it
        await pilot.press("down", "down", "down", "down", "down", "down", "down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDrillScreen)
        drill = app.screen.page
        assert (drill.guide, drill.figure, drill.total, drill.counted) == ("张丽", "success", 3, 2)
        assert "contact 12-02 10:00 张丽 · phone · no answer" in str(
            app.screen.query_one("#pdca-contacts").render())


async def test_act_by_keys_adjust_spot_check_close_and_next(month, settings):
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.pdca import CheckPanelScreen
    from tui.screens.pdca_spot import SpotCheckScreen

    app = app_at(settings, month, utc("2026-12-16 18:00"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        # a: 1 a target, 3 performance, the new value, why
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        await pilot.press("3", *"2800", "enter", *"两周后看得更清楚", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
        assert app.screen.check.targets.sales_cents == 280_000
        # s: the spot-check; d draws, v verified, x not
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, SpotCheckScreen)
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen.check.drawn == 6  # all six of the period's contacts (fewer than 10)
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert (app.screen.check.checked, app.screen.check.verified) == (2, 1)
        await pilot.press("escape")
        await settle(app, pilot)
        assert panel_rows(app)[0][4] == "1/2 verified"
        # c closes after a yes; n starts the next cycle with the period offered
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen.check.final
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen.query_one("#f-period", Input).value == "2027-01-01..2027-01-31"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
        assert app.screen.check.cycle_number == 2
    last = PlanAdjustment.select().order_by(PlanAdjustment.id.desc()).first()
    assert (last.subject, last.old, last.new, last.why) == (
        "performance target", "¥3,000", "¥2,800", "两周后看得更清楚")
    assert [c.status for c in PlanCycle.select().order_by(PlanCycle.number)] == ["closed", "running"]
    assert PlanSpotCheck.select().where(PlanSpotCheck.verified.is_null(False)).count() == 2


async def test_help_gives_the_definitions(month, settings):
    from tui.screens.help import HelpScreen

    app = app_at(settings, month, utc("2026-12-16 18:00"))
    async with app.run_test(size=(100, 40)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("enter", "question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Completion rate = target members with a contact in the period / target members." \
            in app.screen.text


# --- snapshots --------------------------------------------------------------------------------------

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_check_panel_snapshot(month, settings, snap_compare, size):
    async def open_panel(pilot):
        await open_pdca(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)

    assert snap_compare(app_at(settings, month, utc("2026-12-16 18:00")), terminal_size=size,
                        run_before=open_panel)


def test_plan_form_snapshot(shop, settings, snap_compare):
    async def open_form(pilot):
        await open_pdca(pilot.app, pilot)
        await pilot.press("n", *"飞鹤复购", "enter", "1", *"飞鹤")
        await settle(pilot.app, pilot)

    assert snap_compare(app_at(settings, shop, NOW), terminal_size=(80, 24), run_before=open_form)


def test_drill_down_snapshot(month, settings, snap_compare):
    async def open_drill(pilot):
        await open_pdca(pilot.app, pilot)
        await pilot.press("enter", "down", "enter")
        await settle(pilot.app, pilot)

    assert snap_compare(app_at(settings, month, utc("2026-12-16 18:00")), terminal_size=(80, 24),
                        run_before=open_drill)


def test_history_snapshot(month, settings, snap_compare):
    close_cycle(month["cycle"], month["boss"], utc("2027-01-05 10:00"), settings)
    start_next_cycle(month["plan"], plan_period("2027-01-01..2027-01-31", date(2027, 1, 5),
                                                settings.shop.zone),
                     month["boss"], utc("2027-01-05 12:00"), settings)

    async def open_history(pilot):
        await open_pdca(pilot.app, pilot)
        await pilot.press("h")
        await settle(pilot.app, pilot)

    assert snap_compare(app_at(settings, month, utc("2027-01-06 10:00")), terminal_size=(120, 36),
                        run_before=open_history)
