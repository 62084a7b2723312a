"""Register, edit, add a child, merge, export and erase by keys, asserting on the database."""

from __future__ import annotations

import json
from pilot import settle
from datetime import date


from fixture_shop import NOW
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import AuditLog, Child, Member, Purchase
from tui.screens.confirm import ConfirmScreen, TypedConfirmScreen
from tui.screens.lookup import LookupScreen
from tui.screens.member import MemberScreen
from tui.screens.member_form import MemberForm
from tui.screens.queue import QueueScreen


def error_under(app, field: str) -> str:
    line = app.screen.query_one(f"#e-{field}")
    return str(line.render()) if line.display else ""


async def open_card(app, pilot, query: str) -> None:
    await settle(app, pilot)
    await pilot.press("slash", *query)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, MemberScreen)


async def test_register_from_the_lookup_by_keys(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"13912340000")
        await settle(app, pilot)
        await pilot.press("ctrl+n")          # nobody has this phone: register them
        await settle(app, pilot)
        assert isinstance(app.screen, MemberForm)
        # the phone typed in the lookup is already in the form; the cursor is in the name
        await pilot.press(*"曾小单", "enter", "f", "enter", *"1995-02-30", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberForm)      # not saved: the birthday is not a day
        assert error_under(app, "birthday") == "1995-02-30 is not a real date; use YYYY-MM-DD"
        assert Member.select().where(Member.phone == "13912340000").count() == 0
        await pilot.press(*["backspace"] * 2, *"28", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        m = Member.get(Member.phone == "13912340000")
        assert (m.name, m.gender, m.birthday, m.owner_id, m.member_no) == (
            "曾小单", "女", date(1995, 2, 28), shop["zhang"], "M000010")
        assert app.screen.card.member_id == m.id


async def test_ctrl_n_keeps_the_digits_and_starts_in_the_name(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"13912340000", "ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberForm)
        assert app.focused.id == "f-name"    # the first empty field, not the phone
        assert app.screen.query_one("#f-phone").value == "13912340000"
        await pilot.press(*"周小美", "ctrl+s")   # typed at once: nothing replaces the phone
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    m = Member.get(Member.phone == "13912340000")
    assert (m.name, m.owner_id) == ("周小美", shop["zhang"])


async def test_ctrl_n_after_a_name_starts_in_the_phone_with_the_name_kept(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"周小美", "ctrl+n")
        await settle(app, pilot)
        assert app.focused.id == "f-phone"   # the phone comes first and is empty
        await pilot.press(*"13912340001", "enter")
        assert app.focused.id == "f-name"
        await pilot.press(*"子", "ctrl+s")   # the name kept: not selected, added to at its end
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert Member.get(Member.phone == "13912340001").name == "周小美子"


async def test_a_phone_on_file_offers_that_member(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.action_register()
        await settle(app, pilot)
        await pilot.press(*"138 0000 1234", "enter")   # 王芳's phone, typed with spaces
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.card.member_id == shop["wangfang"]
    assert Member.select().count() == 9  # nobody new


async def test_every_bad_field_is_marked_and_nothing_written(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.action_register()
        await settle(app, pilot)
        await pilot.press(*"12345", "tab", "tab", *"x", "tab", *"2030-01-01", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberForm)
        assert error_under(app, "phone") == ("12345 is not a phone number here: 11 digits "
                                             "starting with 1, such as 13812345678")
        assert error_under(app, "name") == "required"
        assert error_under(app, "gender") == "type 女 or 男 (F or M), or leave it empty"
        assert error_under(app, "birthday") == "2030-01-01 is in the future"
        assert app.focused.id == "f-phone"       # the first wrong field has the cursor
        await pilot.press("escape")              # typed something: asks first
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, MemberForm)
    assert Member.select().count() == 9


async def test_edit_every_field_from_the_card(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "王芳")
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberForm)
        form = app.screen
        form.query_one("#f-occupation").focus()
        await pilot.press(*"护士", "tab", *"老公在外地", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        # hard 4/9, soft 2/9: 0.2 × 4/9 + 0.8 × 2/9 = 0.2667 → 27 %
        assert app.screen.card.completeness.percent == 27
    m = Member.get_by_id(shop["wangfang"])
    assert (m.occupation, m.family, m.phone) == ("护士", "老公在外地", "13800001234")


async def test_add_a_baby_on_the_way(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "李娜")
        await pilot.press("c", "enter", *"2027-04-10", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert [(c.name, c.due_date) for c in Child.select().where(Child.member == shop["lina"])] == [
        (None, date(2027, 4, 10))]


async def test_merge_by_keys(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "王芳")
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen) and app.screen.pick
        await pilot.press(*"4567", "enter")     # 赵敏's phone tail
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert len(app.screen.card.purchases) == 2
    assert Member.get_or_none(Member.id == shop["zhaomin"]) is None
    assert Purchase.select().where(Purchase.member == shop["wangfang"]).count() == 2
    assert AuditLog.get().action == "merge"


async def test_a_guide_cannot_erase_and_nothing_changes(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "黄小梅")
        await pilot.press("D")                 # refused at once: nothing to type in vain
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert [str(n.message) for n in app._notifications] == [
            "Only a manager can erase a member; sign in as a manager (g on the queue)."]
    assert Member.get_by_id(shop["huangxiaomei"]).name == "黄小梅"
    # nothing is written but the refusal itself (tests/screens/test_privacy.py)
    assert AuditLog.select().where(AuditLog.action != "refused").count() == 0
    assert [(a.staff_id, a.detail) for a in AuditLog.select()] == [
        (shop["zhang"], "Only a manager can erase a member; sign in as a manager (g on the "
                        "queue); from local terminal")]


async def test_a_manager_erases_after_typing_the_number(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "黄小梅")
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, TypedConfirmScreen)
        await pilot.press("y", "enter")       # not the number: nothing happens
        await settle(app, pilot)
        assert isinstance(app.screen, TypedConfirmScreen)
        assert Member.get_by_id(shop["huangxiaomei"]).erased_at is None
        await pilot.press("backspace", *"m000009", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.card.erased_at is not None
        await pilot.press("n")                 # nothing can be added to an erased member
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert Member.get_by_id(shop["huangxiaomei"]).phone is None
    assert AuditLog.get().action == "erase"


async def test_a_manager_exports_to_a_private_file(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "黄小梅")
        await pilot.press("E", "y")
        await settle(app, pilot)
    path = settings.database.path.parent / "exports" / "M000009-20261123.json"
    assert path.stat().st_mode & 0o777 == 0o600
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["member"]["name"] == "黄小梅"
    assert AuditLog.get().action == "export"


async def test_escape_on_an_untouched_form_closes_at_once(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.action_register()
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_the_audit_log_shows_labels_not_field_names(shop, settings):
    from tui.screens.staff import AuditScreen

    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "王芳")
        await pilot.press("e")
        await settle(app, pilot)
        # the first field, then Enter past phone, name, gender, birthday, age, nationality,
        # e-mail, address, occupation, family and personality to shopping habits
        await pilot.press(*["enter"] * 11, *"周末来店", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        await pilot.press("escape", "S", "L")               # back to the queue, staff, audit log
        await settle(app, pilot)
        assert isinstance(app.screen, AuditScreen)
        table = app.screen.query_one("#audit-table")
        assert [str(c).strip() for c in table.get_row_at(0)][1:] == [
            "王店长", "archive", "M000001", "filled shopping habits"]
    line = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert (line.action, line.subject, line.detail) == ("archive", "M000001",
                                                        "filled shopping_habits")
    assert Member.get_by_id(shop["wangfang"]).shopping_habits == "周末来店"


async def test_a_guide_is_refused_an_export_before_being_asked(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "黄小梅")
        await pilot.press("E")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)   # no question to say yes to in vain
        assert [str(n.message) for n in app._notifications] == [
            "Only a manager can export a member's data; sign in as a manager (g on the queue)."]
    assert not (settings.database.path.parent / "exports").exists()
    assert [(a.staff_id, a.action) for a in AuditLog.select()] == [(shop["zhang"], "refused")]
