"""Signing in by keys, and a manager's staff screen."""

from __future__ import annotations

from fixture_shop import NOW
from pilot import settle
from sign_in_shop import shop  # noqa: F401 (its fixtures, used by name)
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import Staff
from tui.db.staff import pin_matches
from tui.screens.lookup import LookupScreen
from tui.screens.queue import QueueScreen
from tui.screens.sign_in import SignInScreen


# --- the screens ---------------------------------------------------------------------------


async def test_sign_in_by_keys_and_a_guide_sees_her_queue(shop, settings):
    app = ShopfloorApp(settings, clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("slash")                      # the archive is closed until sign-in
        assert isinstance(app.screen, SignInScreen)
        # 王店长 (manager) first, then 张丽, 刘芳
        await pilot.press("down", *"9999", "enter")
        await settle(app, pilot)
        status = str(app.screen.query_one("#sign-in-status").render())
        assert status == "Wrong PIN; 4 more tries before 张丽 is locked"
        await pilot.press(*"1234", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert (app.user_id, app.mine) == (shop["zhang"], True)
        assert [str(r[0]).strip() for r in map(app.screen.query_one("#queue").get_row_at,
                                                range(app.screen.query_one("#queue").row_count))] \
            == ["李娜", "孙丽丽", "王芳"]
        await pilot.press("g")                          # sign out: the next person
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen) and app.user_id == 0


async def test_guide_name_given_asks_only_the_pin(shop, settings):
    app = ShopfloorApp(settings, clock=Clock.frozen(NOW), preselect="王店长")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"8888", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert (app.user_id, app.mine) == (shop["boss"], False)   # a manager: the whole shop
        await pilot.press("slash")
        assert isinstance(app.screen, LookupScreen)


async def test_a_manager_adds_a_guide_by_keys(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("S", "a", *"小王", "tab", "tab", *"5555", "tab", *"5556", "ctrl+s")
        await settle(app, pilot)
        assert str(app.screen.query_one("#staff-form-status").render()) == \
            "The two PINs differ; type the same PIN twice."
        await pilot.press("backspace", "5", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("L")                        # the audit log shows the addition
        await settle(app, pilot)
        table = app.screen.query_one("#audit-table")
        assert [str(c).strip() for c in table.get_row_at(0)][1:4] == ["王店长", "staff add", "小王"]
    new = Staff.get(Staff.name == "小王")
    assert (new.role, new.active, pin_matches("5555", new.pin_hash)) == ("guide", True, True)


async def test_a_guide_is_kept_out_of_the_staff_list(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    assert Staff.select().count() == 3


async def test_only_a_demo_shop_shows_its_pins(shop, settings):
    from tui.db.models import DEMO_KEY, Meta

    app = ShopfloorApp(settings, clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert not app.screen.query("#sign-in-demo")    # a real shop: nothing to show
    Meta.create(key=DEMO_KEY, value="Demo shop PINs · managers 8888 · guides 1234")
    app = ShopfloorApp(settings, clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert str(app.screen.query_one("#sign-in-demo").render()) == (
            "Demo shop PINs · managers 8888 · guides 1234")


# --- the name stays where the person put it (issue 12, item 7) ------------------------------------


def highlighted_name(app) -> str:
    from textual.widgets import OptionList

    screen = app.screen
    return screen.staff[screen.query_one(OptionList).highlighted].name


async def test_the_name_stays_chosen_through_a_sign_out_and_a_wrong_pin(shop, settings):
    app = ShopfloorApp(settings, clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", *"2468", "enter")     # 刘芳, the third name
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen) and app.user_id == shop["liu"]
        await pilot.press("g")                                  # she signs out
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen)
        assert highlighted_name(app) == "刘芳"                   # not back on 王店长
        await pilot.press(*"0000", "enter")
        await settle(app, pilot)
        assert highlighted_name(app) == "刘芳"
        assert str(app.screen.query_one("#sign-in-status").render()) == \
            "Wrong PIN; 4 more tries before 刘芳 is locked"
    counts = {s.name: s.failed_pins for s in Staff.select()}
    assert counts == {"王店长": 0, "张丽": 0, "刘芳": 1}


async def test_guide_name_given_stays_fixed(shop, settings):
    app = ShopfloorApp(settings, clock=Clock.frozen(NOW), preselect="张丽")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("up", "up")                           # ↑ does not move it
        await settle(app, pilot)
        assert highlighted_name(app) == "张丽"
        assert str(app.screen.query_one("#sign-in-status").render()) == \
            "This terminal signs in 张丽 only (--guide); type the PIN, then Enter."
        await pilot.press(*"1234", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen) and app.user_id == shop["zhang"]
        await pilot.press("g")                                  # the next sign-in: still 张丽
        await settle(app, pilot)
        await pilot.press("down", *"8888", "enter")             # 王店长's PIN: not hers
        await settle(app, pilot)
        assert highlighted_name(app) == "张丽"
        assert str(app.screen.query_one("#sign-in-status").render()) == \
            "Wrong PIN; 4 more tries before 张丽 is locked"
        assert app.user_id == 0
    counts = {s.name: s.failed_pins for s in Staff.select()}
    assert counts == {"王店长": 0, "张丽": 1, "刘芳": 0}
