"""Sign-in with a PIN, the lock after wrong PINs, roles, and the staff actions of a manager."""

from __future__ import annotations

from pilot import settle
from datetime import timedelta

import pytest

from fixture_shop import NOW, build_fixture_shop
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.audit import PermissionDenied
from tui.db.models import AuditLog, Staff
from tui.db.staff import (SignInError, StaffError, add_staff, audit_entries, hash_pin, pin_matches,
                          reset_pin, set_active, sign_in)
from tui.screens.lookup import LookupScreen
from tui.screens.queue import QueueScreen
from tui.screens.sign_in import SignInScreen


@pytest.fixture
def shop(db, settings):
    ids = build_fixture_shop(settings)
    for key, pin in (("boss", "8888"), ("zhang", "1234"), ("liu", "2468")):
        Staff.update(pin_hash=hash_pin(pin)).where(Staff.id == ids[key]).execute()
    return ids


# --- the data layer ------------------------------------------------------------------------


def test_the_pin_is_never_stored(shop):
    stored = Staff.get_by_id(shop["zhang"]).pin_hash
    assert "1234" not in stored and stored.startswith("scrypt$16384$8$1$")
    assert pin_matches("1234", stored) and not pin_matches("1235", stored)
    # the same PIN, another salt: another hash
    assert hash_pin("1234") != hash_pin("1234")


def test_five_wrong_pins_lock_the_name(shop, settings):
    rules = settings.staff  # 5 attempts, 15 minutes
    messages = []
    for minute in range(5):
        with pytest.raises(SignInError) as caught:
            sign_in(shop["zhang"], "0000", NOW + timedelta(minutes=minute), rules)
        messages.append(str(caught.value))
    assert messages[0] == "wrong PIN; 4 more tries before 张丽 is locked"
    assert messages[3] == "wrong PIN; 1 more try before 张丽 is locked"
    assert messages[4] == "wrong PIN; 张丽 is now locked for 15 min"
    # locked from the fifth wrong PIN at NOW+4 min until NOW+19 min: the right PIN is refused
    with pytest.raises(SignInError, match="locked after 5 wrong PINs; try again in 5 min"):
        sign_in(shop["zhang"], "1234", NOW + timedelta(minutes=14), rules)
    assert AuditLog.get(AuditLog.action == "lock").subject == "张丽"
    # once the lock has run out, the right PIN works and the count starts again
    assert sign_in(shop["zhang"], "1234", NOW + timedelta(minutes=19), rules).id == shop["zhang"]
    assert Staff.get_by_id(shop["zhang"]).failed_pins == 0


def test_a_right_pin_resets_the_count(shop, settings):
    for _ in range(4):
        with pytest.raises(SignInError):
            sign_in(shop["liu"], "1111", NOW, settings.staff)
    sign_in(shop["liu"], "2468", NOW, settings.staff)
    with pytest.raises(SignInError, match="4 more tries"):
        sign_in(shop["liu"], "1111", NOW, settings.staff)


def test_no_pin_or_inactive_cannot_sign_in(shop, settings):
    Staff.update(pin_hash="").where(Staff.id == shop["liu"]).execute()
    with pytest.raises(SignInError, match="刘芳 has no PIN yet; ask a manager to set one"):
        sign_in(shop["liu"], "2468", NOW, settings.staff)
    Staff.update(active=False).where(Staff.id == shop["zhang"]).execute()
    with pytest.raises(SignInError, match="not an active member of staff"):
        sign_in(shop["zhang"], "1234", NOW, settings.staff)


def test_a_guide_is_refused_every_staff_action(shop, settings):
    rules = settings.staff
    with pytest.raises(PermissionDenied, match="only a manager can add staff; 张丽 is a guide"):
        add_staff("小王", "guide", "5555", shop["zhang"], NOW, rules)
    with pytest.raises(PermissionDenied, match="only a manager can change the staff list"):
        set_active(shop["liu"], False, shop["zhang"], NOW)
    with pytest.raises(PermissionDenied, match="only a manager can reset another's PIN"):
        reset_pin(shop["liu"], "9999", shop["zhang"], NOW, rules)
    with pytest.raises(PermissionDenied, match="only a manager can read the audit log"):
        audit_entries(shop["zhang"])
    assert Staff.select().count() == 3 and Staff.get_by_id(shop["liu"]).active
    assert pin_matches("2468", Staff.get_by_id(shop["liu"]).pin_hash)
    assert AuditLog.select().count() == 0


def test_a_manager_adds_deactivates_and_resets(shop, settings):
    rules = settings.staff
    new = add_staff("小王", "guide", "5555", shop["boss"], NOW, rules)
    assert sign_in(new, "5555", NOW, rules).name == "小王"
    with pytest.raises(StaffError, match="already on the staff list"):
        add_staff("小王", "guide", "5555", shop["boss"], NOW, rules)
    with pytest.raises(StaffError, match="at least 4 digits"):
        add_staff("小李", "guide", "12", shop["boss"], NOW, rules)
    with pytest.raises(StaffError, match="digits only"):
        add_staff("小李", "guide", "12ab", shop["boss"], NOW, rules)
    set_active(new, False, shop["boss"], NOW)
    with pytest.raises(SignInError):
        sign_in(new, "5555", NOW, rules)
    with pytest.raises(StaffError, match="cannot deactivate yourself"):
        set_active(shop["boss"], False, shop["boss"], NOW)
    # a locked guide: the reset lifts the lock at once
    Staff.update(locked_until=NOW + timedelta(minutes=10), failed_pins=5).where(
        Staff.id == shop["zhang"]).execute()
    reset_pin(shop["zhang"], "4321", shop["boss"], NOW, rules)
    assert sign_in(shop["zhang"], "4321", NOW, rules).id == shop["zhang"]
    lines = audit_entries(shop["boss"])
    assert [(a.who, a.action, a.subject) for a in lines] == [
        ("王店长", "pin reset", "张丽"), ("王店长", "staff deactivate", "小王"),
        ("王店长", "staff add", "小王")]


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


def test_an_unknown_guide_name_is_one_line(shop, settings, capsys, clock):
    from tui.cli import main

    assert main(["--db", str(settings.database.path), "--guide", "无名"], clock=clock) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no active staff named '无名'" in err


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


def test_the_first_pin_is_set_at_the_shops_computer(shop, settings, capsys, monkeypatch, clock):
    from tui.cli import main

    Staff.update(pin_hash="").where(Staff.id == shop["liu"]).execute()
    monkeypatch.setenv("SHOPFLOOR_NEW_PIN", "12")
    assert main(["--db", str(settings.database.path), "pin", "刘芳"], clock=clock) == 2
    assert capsys.readouterr().err == "shopfloor: a PIN has at least 4 digits\n"
    monkeypatch.setenv("SHOPFLOOR_NEW_PIN", "3690")
    assert main(["--db", str(settings.database.path), "pin", "刘芳"], clock=clock) == 0
    assert capsys.readouterr().out == "PIN set for 刘芳; any lock is lifted.\n"
    assert sign_in(shop["liu"], "3690", NOW, settings.staff).id == shop["liu"]
    assert AuditLog.get(AuditLog.action == "pin reset").detail == "PIN set at the command line"


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
