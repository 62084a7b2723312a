"""Who sees which member's details, by keys: 张丽 finds 刘芳's 陈晓燕 (13700003456) at the
register with a masked phone and no birthday; 王店长 sees her whole. [staff]
guides_see_whole_shop is false in settings.toml."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import Member
from tui.screens.member import MemberScreen


def body(app) -> str:
    return str(app.screen.query_one("#card-body", Static).render())


async def test_a_guide_finds_another_guides_member_masked(shop, settings):
    Member.update(address="上海市徐汇区漕溪路1号").where(Member.id == shop["chenxiaoyan"]).execute()
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"3456")
        await settle(app, pilot)
        row = str(app.screen.query_one(DataTable).get_row_at(0)[0])
        assert "陈晓燕" in row and "137****3456" in row and "13700003456" not in row
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        text = body(app)
        assert text.splitlines()[0] == "陈晓燕  M000003  137 **** 3456"
        assert "漕溪路" not in text and "1992" not in text
        assert "  address         hidden: 刘芳's member" in text.splitlines()


async def test_a_manager_sees_the_same_member_whole(shop, settings):
    Member.update(address="上海市徐汇区漕溪路1号").where(Member.id == shop["chenxiaoyan"]).execute()
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"3456", "enter")
        await settle(app, pilot)
        text = body(app)
        assert text.splitlines()[0] == "陈晓燕  M000003  137 0000 3456"
        assert "  address         上海市徐汇区漕溪路1号" in text.splitlines()


async def test_a_guide_cannot_edit_another_guides_member_and_the_refusal_is_audited(
        shop, settings, monkeypatch):
    from tui.db.models import AuditLog

    monkeypatch.setenv("SSH_CLIENT", "203.0.113.5 52311 22")
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"3456", "enter")
        await settle(app, pilot)
        await pilot.press("e")                       # the form would show her whole archive
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)  # no form
        await pilot.press("escape", "S")             # the staff list: a manager's
        await settle(app, pilot)
    refused = "陈晓燕 M000003 is 刘芳's member: she or a manager edits the whole archive"
    assert [(a.staff_id, a.action, a.subject, a.detail) for a in AuditLog.select()] == [
        (shop["zhang"], "refused", "张丽", f"{refused}; from ssh 203.0.113.5"),
        (shop["zhang"], "refused", "张丽", "The staff list is a manager's; sign in as a manager "
                                          "(g); from ssh 203.0.113.5")]
    assert Member.get_by_id(shop["chenxiaoyan"]).phone == "13700003456"


async def test_signing_in_by_keys_is_audited_right_or_wrong(shop, settings, monkeypatch):
    from tui.db.models import AuditLog, Staff
    from tui.db.staff import hash_pin
    from tui.screens.queue import QueueScreen

    Staff.update(pin_hash=hash_pin("1234")).where(Staff.id == shop["zhang"]).execute()
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "198.51.100.9 40100 10.0.0.2 22")
    app = ShopfloorApp(settings, clock=Clock.frozen(NOW), preselect="张丽")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"9999", "enter")
        await settle(app, pilot)
        await pilot.press(*"1234", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    assert [(a.staff_id, a.action, a.detail) for a in AuditLog.select()] == [
        (shop["zhang"], "sign in refused",
         "wrong PIN; 4 more tries before 张丽 is locked; from ssh 198.51.100.9"),
        (shop["zhang"], "sign in", "from ssh 198.51.100.9")]
