"""A shop's first run, by keys at 80x24: the app on a database with nobody on the staff list
asks the shop's name and time zone and the first manager with her PIN twice; the errors
beside their fields; once saved, the settings file has the name and zone, she is signed in
and the staff screen takes the guides. One snapshot in Chinese."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Static

from fixture_shop import NOW
from pilot import ready, screen_text, settle
from settings_files import english_text
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import AuditLog, Staff
from tui.db.staff import pin_matches
from tui.screens.first_run import FirstRunScreen
from tui.screens.queue import QueueScreen
from tui.screens.staff import StaffScreen
from tui.settings import load_settings


@pytest.fixture
def new_shop(db, settings, tmp_path):
    """The settings of a new shop, read from a file of the test's own (the screen rewrites
    it), over the empty database of the `db` fixture."""
    path = tmp_path / "settings.toml"
    path.write_text(english_text(), encoding="utf-8")
    return replace(settings, source=path)


def error(app, field: str) -> str:
    line = app.screen.query_one(f"#re-{field}", Static)
    return str(line.render()) if line.display else ""


async def test_a_new_shop_begins_by_keys_and_adds_a_guide(new_shop):
    app = ShopfloorApp(new_shop, clock=Clock.frozen(NOW))
    before = new_shop.source.read_text(encoding="utf-8")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert app.screen.typed()["zone"] == "Asia/Shanghai"  # the settings' zone to start from
        await pilot.press(*"小星星母婴", "tab", "ctrl+u", *"Asia/Urumqi", "tab", *"李娜", "tab",
                          *"2580", "tab", *"2580", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, StaffScreen)
        assert (app.user_name, app.user_role) == ("李娜", "manager")
        assert (app.settings.shop.name, app.settings.shop.timezone) == ("小星星母婴", "Asia/Urumqi")
        assert [type(s) for s in app.screen_stack[1:]] == [QueueScreen, StaffScreen]
        await pilot.press("a", *"王芳", "tab", "tab", *"1234", "tab", *"1234", "ctrl+s")
        await settle(app, pilot)
        assert "王芳" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert screen_text(app).splitlines()[0].startswith(" 小星星母婴 ·")
    assert [(s.name, s.role) for s in Staff.select().order_by(Staff.id)] == \
        [("李娜", "manager"), ("王芳", "guide")]
    assert pin_matches("2580", Staff.get(Staff.name == "李娜").pin_hash)
    assert [a.action for a in AuditLog.select().order_by(AuditLog.id)] == ["shop started", "staff add"]
    after = new_shop.source.read_text(encoding="utf-8")
    assert [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b] == [
        ('name = "贝贝母婴 Beibei Mother & Baby"', 'name = "小星星母婴"'),
        ('timezone = "Asia/Shanghai"', 'timezone = "Asia/Urumqi"')]
    reread = load_settings(new_shop.source)
    assert (reread.shop.name, reread.shop.timezone) == ("小星星母婴", "Asia/Urumqi")


async def test_each_mistake_is_said_beside_its_field_and_nothing_is_written(new_shop):
    app = ShopfloorApp(new_shop, clock=Clock.frozen(NOW))
    before = new_shop.source.read_text(encoding="utf-8")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "ctrl+u", *"Mars/Olympus", "tab", "tab", *"12", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert error(app, "shop") == "the shop's name is empty; type the name on the shop's sign"
        assert error(app, "zone") == \
            "'Mars/Olympus' is not an IANA time zone; type one such as Asia/Shanghai"
        assert error(app, "manager") == "the name is empty; type the name the staff member goes by"
        assert error(app, "pin") == "a PIN has at least 4 digits"
        assert app.screen.focused.id == "r-shop"
        await pilot.press(*"小星星", "tab", "ctrl+u", *"Asia/Shanghai", "tab", *"李娜", "tab",
                          "ctrl+u", *"2580", "tab", *"2581", "enter")  # Enter on the last field saves
        await settle(app, pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert (error(app, "shop"), error(app, "zone"), error(app, "pin")) == ("", "", "")
        assert error(app, "pin2") == "The two PINs differ; type the same PIN twice."
    assert Staff.select().count() == 0 and AuditLog.select().count() == 0
    assert new_shop.source.read_text(encoding="utf-8") == before


def test_first_run_zh_snapshot(new_shop, snap_compare):
    app = ShopfloorApp(new_shop.with_language("zh-CN"), clock=Clock.frozen(NOW))
    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
