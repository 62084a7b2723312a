"""Assigning members: segments, the even split's balance worked out by hand, the stale
preview, refusals from tui/db itself, the hand-over, the command-line twin and the screen.

The fixture shop (tests/fixture_shop.py) on 2026-11-23, with its open callbacks:
  张丽 owns 王芳 (running out, dormant 28 Nov), 李娜 (follow-up), 孙丽丽 (dormant 20 Dec,
       a call back she booked herself), 吴静, 郑雪: 5 members, 5 open callbacks;
  刘芳 owns 陈晓燕 (running out, birthday), 赵敏 (dormant), 周婷 (dormant 19 Dec, the
       complaint's feedback call she booked), 黄小梅 (running out, child's birthday):
       4 members, 7 open callbacks.
"""

from __future__ import annotations

import json
from pilot import settle
from datetime import date

import pytest

from fixture_shop import NOW, TODAY, utc
from tui.clock import Clock
from tui.db.assign.apply import apply_hand_over, apply_split, assign_members, hand_over
from tui.db.assign.plan import AssignError, StalePlan, balance, plan_even_split, plan_hand_over
from tui.db.audit import PermissionDenied
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.members.archive import erase_member
from tui.db.members.purchases import SaleLine, record_purchase
from tui.db.members.segments import Segment, SegmentError, parse_segment, segment_member_ids
from tui.db.models import AuditLog, Callback, Member, Product, Staff


def add_guide(name: str, active: bool = True) -> int:
    return Staff.create(name=name, role="guide", active=active, created_at=NOW).id


def add_member(no: int, name: str, owner: int | None = None, callbacks: int = 0,
               callback_owner: int | None = None, **fields) -> int:
    """A member with `callbacks` open campaign callbacks (the rules leave those alone)."""
    m = Member.create(member_no=f"M{no:06d}", name=name, owner=owner, joined_on=date(2026, 1, 10),
                      created_at=NOW, **fields)
    for i in range(callbacks):
        Callback.create(member=m.id, reason="campaign", source_key=f"test:{i}", due_on=TODAY,
                        owner=callback_owner if callback_owner is not None else owner,
                        created_at=NOW)
    return m.id


def owners(*member_ids: int) -> list[int | None]:
    return [Member.get_by_id(i).owner_id for i in member_ids]


def open_calls(staff_id: int) -> int:
    return Callback.select().where((Callback.owner == staff_id)
                                   & (Callback.status == "open")).count()


def names(ids: list[int]) -> list[str]:
    return [Member.get_by_id(i).name for i in ids]


# --- segments ------------------------------------------------------------------------------


def test_segment_text_is_read_and_written_back():
    seg = parse_segment(" Brand: 飞鹤  since 2026/09/01 &unassigned")
    assert seg.text == "brand:飞鹤 since 2026-09-01 & unassigned"
    assert parse_segment(seg.text) == seg
    assert seg.words == "bought brand 飞鹤 since 2026-09-01 and unassigned"
    assert Segment.of("tier", " 金卡 ") == parse_segment("tier:金卡")


@pytest.mark.parametrize("text, error", [
    ("", "no segment given; try one of: unassigned, dormant, tier:金卡, owner:张丽, "
         "brand:飞鹤 since 2026-09-01, category:formula"),
    ("vip", "'vip': not a segment; the kinds are unassigned, brand, product, category, tier, "
            "dormant, owner, all (e.g. unassigned, dormant, tier:金卡, owner:张丽, "
            "brand:飞鹤 since 2026-09-01, category:formula)"),
    ("brand", "'brand': say which brand, as brand:NAME"),
    ("dormant:90", "'dormant:90': dormant takes no value"),
    ("tier:金卡 since 2026-01-01", "'tier:金卡 since 2026-01-01': only brand, product and "
                                  "category take 'since'"),
    ("brand:飞鹤 since 2026-02-30", "'brand:飞鹤 since 2026-02-30': 2026-02-30 is not a real "
                                   "date; use YYYY-MM-DD"),
    ("unassigned & ", "'unassigned & ': an empty condition around '&'"),
])
def test_a_bad_segment_is_one_line(text, error):
    with pytest.raises(SegmentError) as caught:
        parse_segment(text)
    assert str(caught.value) == error


def test_segments_select_the_members_by_hand(shop, settings):
    def members_of(text: str) -> list[str]:
        return names(segment_member_ids(parse_segment(text), settings, TODAY))

    # 王芳 and 吴静 bought 12 cans of 飞鹤 on 30 Aug (10:00 and 12:00 in the shop), 赵敏 one
    # can on 27 May: 420,000 cents each for the first two
    assert members_of("brand:飞鹤") == ["王芳", "赵敏", "吴静"]
    assert members_of("product:FH-3") == ["王芳", "赵敏", "吴静"]
    assert members_of("brand:飞鹤 since 2026-08-30") == ["王芳", "吴静"]
    assert members_of("brand:飞鹤 since 2026-08-31") == []
    # diapers: 陈晓燕 20 Oct, 郑雪 22 Nov, 黄小梅 15 Nov
    assert members_of("category:diapers") == ["陈晓燕", "郑雪", "黄小梅"]
    assert members_of("category:DIAPERS since 2026-11-16") == ["郑雪"]
    # 银卡 from 2,000 yuan = 200,000 cents, 金卡 from 800,000
    assert members_of("tier:银卡") == ["王芳", "吴静"]
    assert members_of("tier:金卡") == []
    assert len(members_of("tier:普通会员")) == 7
    # dormant today: no purchase for 90 days and no contact for 30. Only 赵敏 (27 May, never
    # called); 王芳 (30 Aug) becomes dormant on 28 Nov; 孙丽丽 and 周婷 never bought but
    # were called on 20 and 19 Nov
    assert members_of("dormant") == ["赵敏"]
    assert members_of("owner:刘芳") == ["陈晓燕", "赵敏", "周婷", "黄小梅"]
    assert members_of("category:diapers & owner:张丽") == ["郑雪"]
    assert members_of("unassigned") == []
    assert len(members_of("all")) == 9


def test_since_and_dormant_count_shop_days_not_utc_days(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    wipes = Product.get(Product.sku == "BBS-L")
    # 90 days before 23 Nov is 25 Aug. Bought at 23:00 on 25 Aug in the shop: dormant today.
    # Bought at 00:30 on 26 Aug in the shop (still 25 Aug in UTC): not yet.
    late = add_member(20, "晚买")
    early = add_member(21, "早买")
    record_purchase(late, None, [SaleLine(wipes.id, 1, 100)], rules, zone, utc("2026-08-25 23:00"))
    record_purchase(early, None, [SaleLine(wipes.id, 1, 100)], rules, zone, utc("2026-08-26 00:30"))
    # 30 days before 23 Nov is 24 Oct: a call at 23:00 on 24 Oct still leaves one dormant,
    # a call at 00:30 on 25 Oct (24 Oct in UTC) does not
    called_24 = add_member(22, "廿四")
    called_25 = add_member(23, "廿五")
    for mid, when in ((called_24, "2026-10-24 23:00"), (called_25, "2026-10-25 00:30")):
        log_contact(ContactEntry(mid, shop["liu"], "phone", "reached", True, ""), rules, zone,
                    utc(when))
    dormant = segment_member_ids(parse_segment("dormant"), settings, TODAY)
    assert names(dormant) == ["赵敏", "晚买", "廿四"]
    # since 26 Aug counts the purchase at 00:30 on 26 Aug, shop time
    assert names(segment_member_ids(parse_segment("category:diapers since 2026-08-26"),
                                    settings, TODAY)) == ["陈晓燕", "郑雪", "黄小梅", "早买"]


def test_erased_members_are_in_no_segment(shop, settings):
    erase_member(shop["huangxiaomei"], shop["boss"], NOW)
    Member.update(owner=None).where(Member.id == shop["huangxiaomei"]).execute()
    assert names(segment_member_ids(parse_segment("category:diapers"), settings, TODAY)) == [
        "陈晓燕", "郑雪"]
    assert segment_member_ids(parse_segment("unassigned"), settings, TODAY) == []


def test_a_segment_naming_what_is_not_on_file_is_refused(shop, settings):
    with pytest.raises(SegmentError, match="brand:雀巢: no product has that brand; on file: "
                                           "好孩子, 帮宝适, 飞鹤"):
        plan_even_split(parse_segment("brand:雀巢"), settings, TODAY)
    with pytest.raises(SegmentError, match="tier:钻石: no such VIP tier; the tiers are "
                                           "普通会员, 银卡, 金卡"):
        plan_even_split(parse_segment("tier:钻石"), settings, TODAY)
    with pytest.raises(SegmentError, match="owner:小王: nobody of that name"):
        plan_even_split(parse_segment("owner:小王"), settings, TODAY)


# --- the even split: balance by hand -------------------------------------------------------


def test_the_rule_itself_on_plain_numbers():
    # three guides with 5, 4 and 0 members and 5, 7 and 0 open callbacks; seven members
    # with 3, 2, 1, 1, 0, 0, 0 callbacks (see the next test for the working)
    placed = balance([5, 4, 0], [5, 7, 0],
                     [(10, 3, None), (11, 2, None), (12, 1, None), (13, 1, None),
                      (14, 0, None), (15, 0, None), (16, 0, None)], [2, 3, 4])
    assert placed == {10: 2, 11: 2, 12: 2, 13: 2, 14: 1, 15: 2, 16: 2}
    # a member already with the guide the rule would pick anyway stays put
    assert balance([0, 0], [0, 0], [(1, 1, 8), (2, 0, 7)], [7, 8]) == {1: 1, 2: 0}


def test_seven_unassigned_members_over_three_guides(shop, settings):
    chen = add_guide("陈静")
    new = [add_member(10 + i, f"新会员{i}", callbacks=n) for i, n in enumerate([3, 2, 1, 1, 0, 0, 0])]
    plan = plan_even_split(parse_segment("unassigned"), settings, TODAY)

    # Members first. Loads 张丽 5, 刘芳 4, 陈静 0; seven to place, each to the fewest:
    # 陈静 takes four (0→4), then ties with 刘芳 at 4 and wins on callbacks (0 < 7): 5;
    # then 刘芳 4→5; then all three at 5, 陈静 has the fewest callbacks: 6.
    # So 陈静 receives 6, 刘芳 1, 张丽 none.
    # Callbacks next, the most first, each to the fewest among those with room:
    # 3 → 陈静 (0 → 3), 2 → 陈静 (3 → 5), 1 → 陈静 (5 → 6), 1 → 陈静 (6 < 刘芳's 7: 7).
    # The three without callbacks fill the room left: 刘芳's one, then 陈静's two.
    assert [(g.name, g.members_now, g.members_in, g.members_after,
             g.callbacks_now, g.callbacks_in, g.callbacks_after) for g in plan.guides] == [
        ("张丽", 5, 0, 5, 5, 0, 5),
        ("刘芳", 4, 1, 5, 7, 0, 7),
        ("陈静", 0, 6, 6, 0, 7, 7),
    ]
    assert (plan.members, plan.members_moving, plan.callbacks_moving) == (7, 7, 7)
    assert plan.from_counts == (("unassigned", 7),)
    # the preview wrote nothing
    assert owners(*new) == [None] * 7 and AuditLog.select().count() == 0

    result = apply_split(plan, shop["boss"], NOW)
    assert owners(*new) == [chen, chen, chen, chen, shop["liu"], chen, chen]
    # every open callback went with its member
    assert [c.owner_id for c in Callback.select().where(Callback.member.in_(new))
            .order_by(Callback.member, Callback.id)] == [chen] * 7
    assert (open_calls(shop["zhang"]), open_calls(shop["liu"]), open_calls(chen)) == (5, 7, 7)
    assert (result.members, result.callbacks) == (7, 7)
    log = AuditLog.get()
    assert (log.staff_id, log.action, log.subject, log.at) == (
        shop["boss"], "assign_split", "unassigned", NOW)
    assert log.detail == ("unassigned: 7 of 7 members and 7 open callbacks moved over 3 guides; "
                          "张丽 +0 members +0 callbacks; 刘芳 +1 member +0 callbacks; "
                          "陈静 +6 members +7 callbacks")


def test_a_split_moves_callbacks_but_not_promises_booked_by_someone_active(shop, settings):
    # every member of the shop split over 张丽 and 刘芳: 9 members. Members: 张丽 5, 刘芳 4.
    # Callbacks moving with members exclude the two booked calls (孙丽丽's by 张丽,
    # 周婷's by 刘芳), which stay with whoever booked them: 1 and 1 left as base.
    plan = plan_even_split(parse_segment("all"), settings, TODAY)
    apply_split(plan, shop["boss"], NOW)
    booked = {c.reason: c.owner_id for c in Callback.select().where(
        Callback.reason.in_(["scheduled", "complaint"]) & (Callback.status == "open"))}
    assert booked == {"scheduled": shop["zhang"], "complaint": shop["liu"]}
    # after: 5 and 4 members, and 6 and 6 open callbacks (12 in all, even)
    assert [(g.members_after, g.callbacks_after) for g in plan.guides] == [(5, 6), (4, 6)]
    assert (open_calls(shop["zhang"]), open_calls(shop["liu"])) == (6, 6)


def test_a_stale_preview_is_refused_and_nothing_changes(shop, settings):
    a = add_member(10, "甲", callbacks=1)
    b = add_member(11, "乙")
    plan = plan_even_split(parse_segment("unassigned"), settings, TODAY)
    # meanwhile another session gives 乙 to 张丽
    assign_members([b], shop["zhang"], shop["boss"], NOW)
    before = AuditLog.select().count()
    with pytest.raises(StalePlan) as caught:
        apply_split(plan, shop["boss"], NOW)
    assert str(caught.value) == ("M000011 changed owner since the preview (unassigned then, "
                                 "张丽 now): another session assigned members meanwhile; "
                                 "preview again")
    assert owners(a, b) == [None, shop["zhang"]]
    assert Callback.get(Callback.member == a).owner_id is None
    assert AuditLog.select().count() == before


def test_a_receiver_gone_inactive_makes_the_preview_stale(shop, settings):
    add_member(10, "甲")
    plan = plan_even_split(parse_segment("unassigned"), settings, TODAY)
    Staff.update(active=False).where(Staff.id == shop["liu"]).execute()
    with pytest.raises(StalePlan, match="刘芳 is no longer an active guide; preview again"):
        apply_split(plan, shop["boss"], NOW)


def test_nobody_to_split_among_or_nobody_to_split(shop, settings):
    with pytest.raises(AssignError, match="nobody is in the segment"):
        apply_split(plan_even_split(parse_segment("unassigned"), settings, TODAY),
                    shop["boss"], NOW)
    Staff.update(active=False).where(Staff.role == "guide").execute()
    with pytest.raises(AssignError, match="no active guide to split among"):
        plan_even_split(parse_segment("all"), settings, TODAY)


# --- refused in tui/db itself ----------------------------------------------------------------


def test_a_guide_is_refused_by_the_data_layer_and_nothing_changes(shop, settings):
    new = add_member(10, "甲", callbacks=2)
    plan = plan_even_split(parse_segment("unassigned"), settings, TODAY)
    refusal = "only a manager can assign members; 张丽 is a guide"
    with pytest.raises(PermissionDenied, match=refusal):
        apply_split(plan, shop["zhang"], NOW)
    with pytest.raises(PermissionDenied, match=refusal):
        assign_members([new], shop["zhang"], shop["zhang"], NOW)
    with pytest.raises(PermissionDenied, match=refusal):
        hand_over(shop["liu"], None, shop["zhang"], NOW)
    with pytest.raises(PermissionDenied, match=refusal):
        apply_hand_over(plan_hand_over(shop["liu"], None, TODAY), shop["zhang"], NOW, True)
    assert owners(new) == [None]
    assert Staff.get_by_id(shop["liu"]).active is True
    assert owners(shop["chenxiaoyan"]) == [shop["liu"]]
    assert AuditLog.select().count() == 0


def test_an_inactive_manager_is_refused_too(shop, settings):
    new = add_member(10, "甲")
    Staff.update(active=False).where(Staff.id == shop["boss"]).execute()
    with pytest.raises(PermissionDenied, match="sign in"):
        assign_members([new], shop["zhang"], shop["boss"], NOW)


# --- manual assignment -------------------------------------------------------------------------


def test_manual_assignment_moves_the_member_and_their_calls(shop, settings):
    # 陈晓燕 (刘芳's) to 张丽: her two rule callbacks follow; 周婷's complaint feedback call,
    # booked by 刘芳 who is still here, stays 刘芳's promise
    result = assign_members([shop["chenxiaoyan"], shop["zhouting"]], shop["zhang"],
                            shop["boss"], NOW)
    assert owners(shop["chenxiaoyan"], shop["zhouting"]) == [shop["zhang"]] * 2
    assert (result.members, result.callbacks) == (2, 3)
    calls = {(c.member_id, c.reason): c.owner_id for c in Callback.select().where(
        Callback.member.in_([shop["chenxiaoyan"], shop["zhouting"]]) & (Callback.status == "open"))}
    assert calls == {(shop["chenxiaoyan"], "running_out"): shop["zhang"],
                     (shop["chenxiaoyan"], "birthday"): shop["zhang"],
                     (shop["zhouting"], "dormant"): shop["zhang"],
                     (shop["zhouting"], "complaint"): shop["liu"]}
    rows = [(a.action, a.subject, a.detail) for a in AuditLog.select().order_by(AuditLog.id)]
    assert rows == [("assign", "M000003", "刘芳 → 张丽; 2 open callbacks moved"),
                    ("assign", "M000006", "刘芳 → 张丽; 1 open callback moved")]


def test_manual_assignment_refuses_what_cannot_receive(shop, settings):
    gone = add_guide("离职导购", active=False)
    with pytest.raises(AssignError, match="^王店长 is a manager, not a guide; members go to guides$"):
        assign_members([shop["lina"]], shop["boss"], shop["boss"], NOW)
    with pytest.raises(AssignError, match="^离职导购 is not active; reactivate them or choose "
                                          "another guide$"):
        assign_members([shop["lina"]], gone, shop["boss"], NOW)
    erase_member(shop["lina"], shop["boss"], NOW)
    with pytest.raises(AssignError, match="^M000002 was erased on request; it cannot be assigned$"):
        assign_members([shop["lina"]], shop["liu"], shop["boss"], NOW)
    assert owners(shop["lina"]) == [shop["zhang"]]


# --- hand-over ---------------------------------------------------------------------------------


def test_hand_over_a_leaving_guide_with_open_callbacks_and_deactivate(shop, settings):
    chen = add_guide("陈静")
    theirs = [add_member(10 + i, f"陈客{i}", chen, callbacks=n) for i, n in enumerate([2, 1, 1])]
    # 张丽 booked calls on 刘芳's 赵敏 and on an unassigned member
    loner = add_member(20, "无主")
    for mid in (shop["zhaomin"], loner):
        Callback.create(member=mid, reason="scheduled", source_key=f"contact:9{mid}",
                        due_on=TODAY, owner=shop["zhang"], created_at=NOW)

    plan = plan_hand_over(shop["zhang"], None, TODAY)
    # 张丽's 5 members, with 王芳 2, 孙丽丽 2 (her own booking goes too: she is leaving),
    # 李娜 1, 吴静 0, 郑雪 0 callbacks. Loads: 刘芳 4 members / 7 calls, 陈静 3 / 4.
    # Members: 陈静 3→4, 陈静 4→5 (tie at 4, fewer calls), 刘芳 4→5, 陈静 5→6, 刘芳 5→6:
    # 陈静 receives 3, 刘芳 2.
    # Calls: 王芳 2 → 陈静 (4 → 6), 孙丽丽 2 → 陈静 (6 < 7: 8), 李娜 1 → 刘芳 (7 < 8: 8);
    # 吴静 → 刘芳's last place, 郑雪 → 陈静's. Then 张丽's bookings: 赵敏's to her owner 刘芳
    # (9), the unassigned member's to the fewest after, 陈静 (8 → 9).
    assert [(g.name, g.leaving, g.members_after, g.callbacks_in, g.callbacks_after)
            for g in plan.guides] == [("张丽", True, 0, 0, 0),
                                      ("刘芳", False, 6, 2, 9),
                                      ("陈静", False, 6, 5, 9)]
    result = apply_hand_over(plan, shop["boss"], NOW, deactivate=True)

    assert owners(shop["wangfang"], shop["sunlili"], shop["zhengxue"]) == [chen] * 3
    assert owners(shop["lina"], shop["wujing"]) == [shop["liu"]] * 2
    assert owners(*theirs) == [chen] * 3
    assert open_calls(shop["zhang"]) == 0
    assert (open_calls(shop["liu"]), open_calls(chen)) == (9, 9)
    assert Callback.get(Callback.member == loner).owner_id == chen
    assert Callback.get((Callback.member == shop["sunlili"])
                        & (Callback.reason == "scheduled")).owner_id == chen
    assert Staff.get_by_id(shop["zhang"]).active is False
    assert (result.members, result.callbacks, result.deactivated) == (5, 7, "张丽")
    log = AuditLog.get(AuditLog.action == "hand_over")
    assert (log.staff_id, log.subject) == (shop["boss"], "张丽")
    assert log.detail == ("张丽's members: 5 of 5 members and 7 open callbacks moved over "
                          "2 guides; 刘芳 +2 members +2 callbacks; 陈静 +3 members +5 callbacks; "
                          "张丽 deactivated")


def test_hand_over_to_named_guides_only(shop, settings):
    chen = add_guide("陈静")
    result = hand_over(shop["liu"], [chen], shop["boss"], NOW)
    assert owners(shop["chenxiaoyan"], shop["zhaomin"], shop["zhouting"],
                  shop["huangxiaomei"]) == [chen] * 4
    # 刘芳 stays active without --deactivate; all 7 of her open callbacks moved, the
    # complaint call she booked included
    assert Staff.get_by_id(shop["liu"]).active is True
    assert (result.members, result.callbacks, open_calls(shop["liu"]), open_calls(chen)) == (
        4, 7, 0, 7)


def test_hand_over_refusals_are_one_line(shop, settings):
    with pytest.raises(AssignError, match="^张丽 is the one leaving; hand over to others$"):
        plan_hand_over(shop["zhang"], [shop["zhang"], shop["liu"]], TODAY)
    with pytest.raises(AssignError, match="^王店长 is a manager, not a guide"):
        plan_hand_over(shop["zhang"], [shop["boss"]], TODAY)
    Staff.update(active=False).where(Staff.id == shop["liu"]).execute()
    with pytest.raises(AssignError, match="^no other active guide to take over 张丽's members"):
        plan_hand_over(shop["zhang"], None, TODAY)
    # a guide who already left without a hand-over can still be handed over from
    Staff.update(active=True).where(Staff.id == shop["liu"]).execute()
    Staff.update(active=False).where(Staff.id == shop["zhang"]).execute()
    assert hand_over(shop["zhang"], None, shop["boss"], NOW).members == 5
    with pytest.raises(AssignError, match="you cannot deactivate yourself"):
        hand_over(shop["boss"], None, shop["boss"], NOW, deactivate=True)


# --- the command-line twin -------------------------------------------------------------------


def run_cli(settings, capsys, *argv: str) -> tuple[int, str, str]:
    from tui.cli import main

    clock = Clock.frozen(NOW, settings.shop.zone)

    code = main(["--db", str(settings.database.path), "assign", *argv], clock=clock)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def pins(shop, monkeypatch):
    """Every staff member's PIN is 2580, and the CLI reads it from SHOPFLOOR_PIN."""
    from tui.db.staff import hash_pin

    digest = hash_pin("2580")
    Staff.update(pin_hash=digest).execute()
    monkeypatch.setenv("SHOPFLOOR_PIN", "2580")


def test_cli_dry_run_prints_the_preview_and_writes_nothing(shop, settings, capsys, pins):
    chen = add_guide("陈静")
    new = [add_member(10 + i, f"新会员{i}", callbacks=n) for i, n in enumerate([3, 2, 1, 1, 0, 0, 0])]
    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned", "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Even split of unassigned over 3 guides: 7 members (7 change owner), 7 open callbacks "
        "change owner.",
        "from: unassigned 7",
        "",
        "                  members                  open callbacks",
        "guide              now   +in  -out after     now   +in  -out after",
        "张丽                 5    +0    -0     5       5    +0    -0     5",
        "刘芳                 4    +1    -0     5       7    +0    -0     7",
        "陈静                 0    +6    -0     6       0    +7    -0     7",
        "",
        "Preview only: nothing changed.",
    ]
    assert owners(*new) == [None] * 7 and AuditLog.select().count() == 0

    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned",
                             "--as", "王店长", "--format", "json")
    doc = json.loads(out)
    assert (code, doc["applied"]["members"], doc["applied"]["callbacks"]) == (0, 7, 7)
    assert owners(*new).count(chen) == 6


def test_the_cli_asks_the_pin_of_whoever_acts(shop, settings, capsys, pins, monkeypatch):
    add_member(10, "甲")
    monkeypatch.setenv("SHOPFLOOR_PIN", "0000")
    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned", "--as", "王店长")
    assert (code, out, err) == (2, "", "shopfloor: --as 王店长: wrong PIN; 4 more tries before "
                                       "王店长 is locked\n")
    monkeypatch.delenv("SHOPFLOOR_PIN")
    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned", "--as", "王店长")
    assert (code, err) == (2, "shopfloor: a PIN is needed: run this at a terminal, or set "
                              "SHOPFLOOR_PIN\n")
    assert owners(Member.get(Member.member_no == "M000010").id) == [None]


def test_cli_refusals_and_mistakes_are_one_line(shop, settings, capsys, pins):
    add_member(10, "甲")
    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned", "--as", "张丽")
    assert (code, out, err) == (3, "", "shopfloor: refused: only a manager can assign members; "
                                       "张丽 is a guide\n")
    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned")
    assert (code, err) == (2, "shopfloor: say who is assigning: --as NAME (a manager), or "
                              "preview with --dry-run\n")
    code, _, err = run_cli(settings, capsys, "split", "--segment", "tier", "--dry-run")
    assert (code, err) == (2, "shopfloor: 'tier': say which tier, as tier:NAME\n")
    code, _, err = run_cli(settings, capsys, "handover", "--from", "小王", "--dry-run")
    assert (code, err) == (2, "shopfloor: --from: nobody named '小王' on the staff list; "
                              "staff: 刘芳, 张丽, 王店长\n")
    assert owners(Member.get(Member.member_no == "M000010").id) == [None]
    assert AuditLog.select().count() == 0


def test_cli_hand_over_and_members(shop, settings, capsys, pins):
    code, out, _ = run_cli(settings, capsys, "handover", "--from", "张丽", "--dry-run")
    assert code == 0 and "Preview only: nothing changed." in out
    assert Staff.get_by_id(shop["zhang"]).active is True
    code, out, _ = run_cli(settings, capsys, "handover", "--from", "张丽", "--to", "刘芳",
                           "--deactivate", "--as", "王店长")
    assert code == 0
    assert out.splitlines()[-1] == ("Done: 5 members and 5 open callbacks moved: 刘芳 +5 members "
                                    "+5 callbacks; 张丽 deactivated.")
    assert Staff.get_by_id(shop["zhang"]).active is False
    assert Member.select().where(Member.owner == shop["liu"]).count() == 9
    chen = add_guide("陈静")
    code, out, _ = run_cli(settings, capsys, "members", "M000001,m9", "--to", "陈静",
                           "--as", "王店长")
    assert (code, out) == (0, "Done: 2 members and 4 open callbacks moved: 陈静 +2 members "
                              "+4 callbacks.\n")
    assert owners(shop["wangfang"], shop["huangxiaomei"]) == [chen, chen]


# --- the screen, by keys -------------------------------------------------------------------------


async def open_assign(app, pilot) -> None:
    from tui.screens.assign import AssignScreen

    await settle(app, pilot)
    app.push_screen(AssignScreen())
    await settle(app, pilot)


async def test_a_manager_splits_the_unassigned_by_keys(shop, settings):
    from tui.app import ShopfloorApp
    from tui.screens.assign import AssignScreen
    from tui.screens.confirm import ConfirmScreen

    chen = add_guide("陈静")
    new = [add_member(10 + i, f"新会员{i}", callbacks=n) for i, n in enumerate([3, 2, 1, 1, 0, 0, 0])]
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_assign(app, pilot)
        await pilot.press("1")                       # unassigned: the preview at once
        await settle(app, pilot)
        assert owners(*new) == [None] * 7            # a preview changes nothing
        await pilot.press("enter")                   # apply … asks first
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, AssignScreen)
        assert "Done: 7 members and 7 open callbacks moved" in str(
            app.screen.query_one("#assign-status").render())
    assert owners(*new) == [chen, chen, chen, chen, shop["liu"], chen, chen]
    assert AuditLog.get().action == "assign_split"


async def test_a_brand_segment_typed_on_the_screen_and_escape_cancels(shop, settings):
    from tui.app import ShopfloorApp
    from tui.screens.assign import AssignScreen

    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_assign(app, pilot)
        await pilot.press("2", *"飞鹤", "enter", *"2026-08-30", "enter")
        await settle(app, pilot)
        screen = app.screen
        assert screen.plan is not None and screen.plan.title == "bought brand 飞鹤 since 2026-08-30"
        assert screen.plan.members == 2                # 王芳 and 吴静
        await pilot.press("escape")                    # cancel the preview
        assert screen.plan is None and isinstance(app.screen, AssignScreen)
        await pilot.press("y")                         # nothing to apply now
        await settle(app, pilot)
        await pilot.press("escape")                    # and back
        assert not isinstance(app.screen, AssignScreen)
    assert AuditLog.select().count() == 0


async def test_a_guide_sees_the_refusal_and_nothing_changes(shop, settings):
    from tui.app import ShopfloorApp

    new = add_member(10, "甲", callbacks=1)
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_assign(app, pilot)
        await pilot.press("1", "y")
        await settle(app, pilot)
        status = str(app.screen.query_one("#assign-status").render())
        assert status == "only a manager can assign members; 张丽 is a guide"
        await pilot.press("h")
        await settle(app, pilot)
        assert app.screen.query_one("#assign-status")  # still the assign screen, no picker
    assert owners(new) == [None] and AuditLog.select().count() == 0


async def test_hand_over_by_keys(shop, settings):
    from tui.app import ShopfloorApp

    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_assign(app, pilot)
        await pilot.press("h")                         # who is leaving: 张丽 is first
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.plan.kind == "handover"
        await pilot.press("d", "d")                    # deactivate: no, then yes again
        await pilot.press("y")
        await settle(app, pilot)
        await pilot.press("y")                         # the confirm
        await settle(app, pilot)
    assert Member.select().where(Member.owner == shop["liu"]).count() == 9
    assert Staff.get_by_id(shop["zhang"]).active is False
    assert AuditLog.get().action == "hand_over"


async def test_assign_one_member_from_the_card(shop, settings):
    from tui.app import ShopfloorApp
    from tui.screens.member import MemberScreen

    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"王芳", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        await pilot.press("a")                         # the guides: 张丽, 刘芳
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.card.owner == "刘芳"
    assert owners(shop["wangfang"]) == [shop["liu"]]
    assert AuditLog.get().detail == "张丽 → 刘芳; 2 open callbacks moved"


async def test_a_guide_cannot_assign_from_the_card(shop, settings):
    from tui.app import ShopfloorApp
    from tui.screens.member import MemberScreen

    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"王芳", "enter")
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)    # no picker: refused at once
    assert owners(shop["wangfang"]) == [shop["zhang"]] and AuditLog.select().count() == 0


def test_assign_screen_snapshot(shop, settings, snap_compare):
    from tui.app import ShopfloorApp

    add_guide("陈静")
    for i, n in enumerate([3, 2, 1, 1, 0, 0, 0]):
        add_member(10 + i, f"新会员{i}", callbacks=n)
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))

    async def preview(pilot):
        await open_assign(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=preview)
