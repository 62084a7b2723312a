"""PDCA plans in tui/db and tui/reports, on the shop built by hand in pdca_shop.py (its
docstring has every figure). Definitions: docs/pdca.md (the same text as
tui.reports.pdca.DEFINITIONS)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from fixture_shop import NOW, TODAY, utc
from pdca_shop import DEC16, SEGMENT, buy, contact, december  # noqa: F401 (its fixtures, used by name)
from pdca_shop import draft, month, plan, shop, songyu  # noqa: F401
from tui.db.audit import PermissionDenied
from tui.db.connection import DatabaseUnavailable
from tui.db.callbacks.queue import callback_queue
from tui.db.callbacks.raising import ensure_generated, generated_on, refresh_shop
from tui.db.callbacks.rules import CampaignFacts, MemberFacts, desired_callbacks
from tui.db.members.purchases import SaleLine
from tui.db.members.segments import SegmentError, parse_segment, segment_member_ids
from tui.db.models import (
    AuditLog,
    Callback,
    Member,
    Plan,
    PlanAdjustment,
    PlanCycle,
    PlanSpotCheck,
    PlanTarget,
)
from tui.db.pdca.act import (
    change_target,
    close_cycle,
    decide_method,
    draw_spot_check,
    mark_spot_check,
    reassign_targets,
    spot_check,
    start_next_cycle,
)
from tui.db.pdca.check import plan_check
from tui.db.pdca.form import (
    PlanDraft,
    PlanError,
    PlanFieldErrors,
    Targets,
    plan_period,
    read_plan_form,
)
from tui.db.pdca.plans import create_plan, preview_plan
from tui.db.pdca.view import plan_drill, plan_history, plan_list
from tui.reports.pdca import DEFINITIONS, figure_cells


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


def campaign_calls() -> set[tuple[int, int, date, str]]:
    return {(c.member_id, c.owner_id, c.due_on, c.source_key) for c in Callback.select().where(
        (Callback.reason == "campaign") & (Callback.status == "open"))}


def test_a_plan_start_cut_short_before_its_calls_raises_them_at_the_next_open(shop, settings,
                                                                               monkeypatch):
    """The plan and its targets are saved in one transaction, its campaign calls raised
    right after in another. If that second one does not happen (the database busy past the
    bound, the process killed), the calls are owed: the next open of the queue raises them,
    the same day, not the next day's rule run."""
    from tui.db.callbacks import raising

    write = raising._write
    cut: list[bool] = []

    def busy_once(changed, now):
        if not cut:
            cut.append(True)
            raise DatabaseUnavailable("database is locked")
        return write(changed, now)

    monkeypatch.setattr(raising, "_write", busy_once)
    cycle = create_plan(draft(settings), shop["boss"], NOW, settings)
    assert cut and PlanCycle.get_by_id(cycle).status == "running"
    assert campaign_calls() == set()
    # the next session to open the queue today (the day's rule run is done already)
    assert generated_on() == TODAY
    assert ensure_generated(TODAY, settings.callbacks, settings.shop.zone, NOW)
    key = f"cycle:{cycle}:2026-12-01"
    s = shop
    assert campaign_calls() == {(s[m], s[g], date(2026, 12, 1), key) for m, g in (
        ("wangfang", "zhang"), ("linxiao", "zhang"), ("zhaomin", "liu"), ("hejia", "liu"),
        ("mali", "liu"))}
    # owed once: the open after that has nothing left to raise
    assert not ensure_generated(TODAY, settings.callbacks, settings.shop.zone, NOW)


def test_the_daily_run_also_pays_the_calls_owed(shop, settings, monkeypatch):
    from tui.db.callbacks import raising

    monkeypatch.setattr(raising, "_write", lambda changed, now: (_ for _ in ()).throw(
        DatabaseUnavailable("database is locked")))
    create_plan(draft(settings), shop["boss"], NOW, settings)
    monkeypatch.undo()
    assert campaign_calls() == set()
    tomorrow = TODAY + timedelta(days=1)
    refresh_shop(tomorrow, settings.callbacks, settings.shop.zone, NOW + timedelta(days=1))
    assert len(campaign_calls()) == 5
    assert not ensure_generated(tomorrow, settings.callbacks, settings.shop.zone,
                                NOW + timedelta(days=1))


START_AND_KILL = """
import os, signal, sys
sys.path.insert(0, {tests!r})
from pdca_shop import draft
from tui.db.callbacks import raising
from tui.db.connection import open_database
from tui.db.pdca import plans
from tui.settings import DEFAULT_SETTINGS, load_settings
from fixture_shop import NOW
settings = load_settings(DEFAULT_SETTINGS).with_database({db!r})
open_database(settings.database.path)
module, name = {{"targets": (plans, "_store_targets"), "calls": (raising, "_write")}}[{at!r}]
real = getattr(module, name)

def then_killed(*args):
    real(*args)  # written, not yet committed
    os.kill(os.getpid(), signal.SIGKILL)

setattr(module, name, then_killed)
plans.create_plan(draft(settings), {boss}, NOW, settings)
"""


@pytest.mark.parametrize("at", ["targets", "calls"])
def test_a_plan_start_killed_leaves_no_plan_or_the_plan_and_all_its_calls(shop, settings, at):
    """kill -9 in the middle of a plan start, with the targets written but not committed,
    or the calls written but not committed: either there is no plan, or there is the plan
    and, from the next open on, every one of its calls."""
    import subprocess
    import sys

    from tui.db.connection import close_database, open_database

    close_database()
    tests = str(Path(__file__).resolve().parents[1])
    proc = subprocess.run([sys.executable, "-c", START_AND_KILL.format(
        tests=tests, db=str(settings.database.path), at=at, boss=shop["boss"])],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr[-800:]
    open_database(settings.database.path)
    if at == "targets":
        assert Plan.select().count() == 0 and PlanCycle.select().count() == 0
        assert PlanTarget.select().count() == 0 and campaign_calls() == set()
        return
    cycle = PlanCycle.get()
    assert PlanTarget.select().where(PlanTarget.cycle == cycle.id).count() == 6
    ensure_generated(TODAY, settings.callbacks, settings.shop.zone, NOW)
    assert len(campaign_calls()) == 5
    assert {k for *_, k in campaign_calls()} == {f"cycle:{cycle.id}:2026-12-01"}


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


# --- the definitions are written out -------------------------------------------------------------


def test_the_definitions_in_the_docs_are_the_ones_in_the_help():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "pdca.md").read_text(encoding="utf-8")
    assert DEFINITIONS in docs


def test_adjustments_refuse_escapes_and_lose_bidi_controls(plan, settings):
    from payloads import CLEAR, CLIPBOARD, LONG, NUL, RED, RLO, TITLE

    boss = plan["boss"]
    for bad in (CLEAR, RED, CLIPBOARD, TITLE, NUL, "\x9b31m"):
        for write, what in ((lambda: change_target(plan["plan"], "success", "70", f"好{bad}",
                                                   boss, NOW), "reason"),
                            (lambda: decide_method(plan["plan"], f"满{bad}12罐", "added", "why",
                                                   boss, NOW), "method")):
            with pytest.raises(PlanError) as caught:
                write()
            assert str(caught.value) == f"the {what} has control characters; type it again as plain text"
    with pytest.raises(PlanError) as caught:
        decide_method(plan["plan"], "满12罐", "added", LONG, boss, NOW)
    assert str(caught.value) == "the reason is 10000 characters; keep it to 500"
    assert PlanAdjustment.select().count() == 0
    assert decide_method(plan["plan"], f"{RLO}满12罐送婴儿床", "added", f"bigger{RLO} prize",
                         boss, NOW) == "满12罐送婴儿床: added"
    assert PlanAdjustment.get().why == "bigger prize"
