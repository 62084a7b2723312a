"""Yes or no by keys at 80×24: the whole question shown, the default answer said, and Enter
never a yes to a weighty question (do-not-contact, merge, export, deactivate, a plan,
a hand-over)."""

from __future__ import annotations

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import AuditLog, Callback, Member, Staff
from tui.screens.confirm import ConfirmScreen, TypedConfirmScreen
from tui.screens.member import MemberScreen
from tui.screens.staff import StaffScreen


async def open_card(app, pilot, query: str) -> None:
    await settle(app, pilot)
    await pilot.press("slash", *query)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, MemberScreen)


def lines_on_screen(app, selector: str) -> list[str]:
    """The lines of one widget as painted, each as the terminal shows it."""
    widget = app.screen.query_one(selector)
    return [strip.text.rstrip() for strip in widget.render_lines(widget.size.region)]


def inside_the_screen(app, selector: str) -> bool:
    region = app.screen.query_one(selector).region
    return region.x >= 0 and region.y >= 0 and region.right <= 80 and region.bottom <= 24


async def test_a_long_question_wraps_whole_inside_80_columns(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "王芳")
        await pilot.press("m", *"4567", "enter")      # merge 赵敏's record into 王芳's
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        # a 72-column box: 66 columns of text between the border and the padding
        assert lines_on_screen(app, "#confirm-question") == [
            "Merge the record you picked into 王芳 M000001? Its purchases,",
            "contacts, notes and children move here and it is removed; fields",
            "that differ are kept in a note.",
        ]
        assert lines_on_screen(app, "#confirm-keys") == [
            "y yes   n no   Enter no: only y goes ahead"]
        assert inside_the_screen(app, "#confirm")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("D")                         # erase: typed, and whole as well
        await settle(app, pilot)
        assert isinstance(app.screen, TypedConfirmScreen)
        assert lines_on_screen(app, "#confirm-question")[-1].endswith("This cannot be undone.")
        assert inside_the_screen(app, "#confirm")


async def test_enter_never_says_yes_to_do_not_contact(shop, settings):
    wangfang = shop["wangfang"]
    open_calls = Callback.select().where(Callback.member == wangfang,
                                         Callback.status == "open").count()
    assert open_calls >= 1
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "王芳")
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert lines_on_screen(app, "#confirm-question") == [
            "Never contact 王芳 again? Every open call is cancelled."]
        await pilot.press("enter")                    # the default: no
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert Member.get_by_id(wangfang).do_not_contact is False
        assert Callback.select().where(Callback.member == wangfang,
                                       Callback.status == "open").count() == open_calls
        await pilot.press("x", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert Member.get_by_id(wangfang).do_not_contact is True
    assert Callback.select().where(Callback.member == wangfang,
                                   Callback.status == "open").count() == 0


async def test_enter_says_yes_to_a_light_question_and_the_box_says_so(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "王芳")          # promotions not asked yet
        await pilot.press("p")
        await settle(app, pilot)
        assert lines_on_screen(app, "#confirm-keys") == ["y yes   n no   Enter yes"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert Member.get_by_id(shop["wangfang"]).accepts_promotions is True


async def test_enter_never_deactivates_a_guide(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")
        await settle(app, pilot)
        assert isinstance(app.screen, StaffScreen)
        while app.screen.chosen().name != "张丽":
            await pilot.press("down")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert lines_on_screen(app, "#confirm-question") == [
            "Deactivate 张丽? They can no longer sign in; their history stays.",
            "Hand their members over first (assignment).",
        ]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, StaffScreen)
        assert Staff.get_by_id(shop["zhang"]).active is True
        assert not AuditLog.select().where(AuditLog.action.contains("deactivate")).exists()
        await pilot.press("d", "y")
        await settle(app, pilot)
    assert Staff.get_by_id(shop["zhang"]).active is False


async def test_enter_never_exports(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "黄小梅")
        await pilot.press("E", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert not (settings.database.path.parent / "exports").exists()
    assert AuditLog.select().where(AuditLog.action == "export").count() == 0
