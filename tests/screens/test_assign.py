"""Assigning members by keys: the split, a segment typed on the screen, a guide's refusal,
the hand-over and the card. The shop: assign_shop.py."""

from __future__ import annotations

from assign_shop import add_guide, add_member, owners  # noqa: F401 (its fixtures, used by name)
from fixture_shop import NOW
from pilot import settle
from tui.clock import Clock
from tui.db.models import AuditLog, Member, Staff


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
    # nothing is written but the refusals themselves: at the screen's check and at y
    assert owners(new) == [None] and AuditLog.select().where(AuditLog.action != "refused").count() == 0
    assert {(a.staff_id, a.detail) for a in AuditLog.select()} == {
        (shop["zhang"], "only a manager can assign members; 张丽 is a guide; from local terminal")}


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
    # nothing is written but the refusal itself
    assert owners(shop["wangfang"]) == [shop["zhang"]] and AuditLog.select().where(
        AuditLog.action != "refused").count() == 0
    assert [(a.staff_id, a.detail) for a in AuditLog.select()] == [
        (shop["zhang"], "only a manager can assign members; 张丽 is a guide; from local terminal")]


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


#: twelve more brands than the fixture shop's 好孩子, 帮宝适 and 飞鹤 (which sorts last)
MORE_BRANDS = ("贝亲", "花王", "好奇", "惠氏", "爱他美", "美素佳儿", "君乐宝", "全棉时代", "子初",
               "可优比", "a2", "Jellycat")


def add_brands() -> None:
    from tui.db.models import Product

    for i, brand in enumerate(MORE_BRANDS):
        Product.create(sku=f"X-{i}", name=f"{brand}样品", brand=brand, category="sample",
                       unit="piece", price_cents=100)


async def test_a_brand_not_on_file_lists_every_brand(shop, settings):
    from tui.app import ShopfloorApp
    from tui.screens.assign import AssignScreen

    add_brands()
    before = owners(*range(1, 10))
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_assign(app, pilot)
        await pilot.press("2", *"雀巢", "enter", "enter")   # brand 雀巢, since: ever
        await settle(app, pilot)
        assert isinstance(app.screen, AssignScreen)
        assert app.screen.plan is None
        status = str(app.screen.query_one("#assign-status").render())
        # all 15, in the database's order; 飞鹤, the shop's own, at the end and not cut off
        assert status == ("brand:雀巢: no product has that brand; on file: Jellycat, a2, 全棉时代, "
                          "可优比, 君乐宝, 好奇, 好孩子, 子初, 帮宝适, 惠氏, 爱他美, 美素佳儿, 花王, "
                          "贝亲, 飞鹤")
        # the whole line is on screen: the status grows to as many lines as it takes
        assert app.screen.query_one("#assign-status").size.height == 3
    assert owners(*range(1, 10)) == before                 # nothing assigned


async def test_enter_never_hands_over(shop, settings):
    from tui.app import ShopfloorApp
    from tui.screens.assign import AssignScreen
    from tui.screens.confirm import ConfirmScreen

    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_assign(app, pilot)
        await pilot.press("h")                         # who is leaving: 张丽 is first
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")                     # apply … asks first
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith("Hand over 张丽's 5 members")
        await pilot.press("enter")                     # Enter is no to a hand-over
        await settle(app, pilot)
        assert isinstance(app.screen, AssignScreen)
    assert Member.select().where(Member.owner == shop["zhang"]).count() == 5
    assert AuditLog.select().count() == 0
