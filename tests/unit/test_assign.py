"""Assigning members in tui/db: segments, the even split's balance worked out by hand, the
stale preview, refusals from tui/db itself, the hand-over. The shop: assign_shop.py."""

from __future__ import annotations

import pytest

from assign_shop import add_guide, add_member, owners  # noqa: F401 (its fixtures, used by name)
from fixture_shop import NOW, TODAY, utc
from tui.db.assign.apply import apply_hand_over, apply_split, assign_members, hand_over
from tui.db.assign.plan import AssignError, StalePlan, balance, plan_even_split, plan_hand_over
from tui.db.audit import PermissionDenied
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.members.archive import erase_member
from tui.db.members.purchases import SaleLine, record_purchase
from tui.db.members.segments import Segment, SegmentError, parse_segment, segment_member_ids
from tui.db.models import AuditLog, Callback, Member, Product, Staff


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


def test_a_long_list_of_brands_is_cut_and_says_how_many_more(shop, settings):
    from tui.db.members.segments import ON_FILE_LISTED

    assert ON_FILE_LISTED == 40
    for i in range(40):  # B00 … B39 sort before 好孩子, 帮宝适, 飞鹤: 43 brands on file
        Product.create(sku=f"B-{i}", name=f"样品{i}", brand=f"B{i:02d}", category="sample",
                       unit="piece", price_cents=100)
    with pytest.raises(SegmentError) as refused:
        plan_even_split(parse_segment("brand:雀巢"), settings, TODAY)
    listed = ", ".join(f"B{i:02d}" for i in range(40))
    assert str(refused.value) == (f"brand:雀巢: no product has that brand; on file: {listed} "
                                  "and 3 more")
