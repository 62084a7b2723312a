"""The queue screen driven by real key presses; every test ends by reading the database."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import Callback, Contact, Member
from tui.screens.confirm import ConfirmScreen
from tui.screens.contact_form import ContactForm
from tui.screens.queue import QueueScreen


def make_app(settings, guide_id=None) -> ShopfloorApp:
    """Signed in already: as the guide given, else as the first manager."""
    from tui.db.models import Staff

    if guide_id is None:
        guide_id = Staff.get(Staff.role == "manager").id
    return ShopfloorApp(settings, user_id=guide_id, clock=Clock.frozen(NOW))


def rows(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]


async def test_log_a_contact_by_keys(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert rows(app)[0] == "陈晓燕"
        await pilot.press("enter")
        assert isinstance(app.screen, ContactForm)
        await pilot.press("2")               # outcome (focused first): no answer; focus → care
        await pilot.press("tab", "tab")      # → next call → note
        await pilot.press(*"no pickup")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert "陈晓燕" not in rows(app)
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.member_id, contact.staff_id, contact.channel, contact.outcome, contact.care,
            contact.note, contact.contacted_at, contact.next_contact_on) == (
        shop["chenxiaoyan"], shop["boss"], "phone", "no_answer", True, "no pickup", NOW,
        date(2026, 11, 24))
    done = Callback.select().where(Callback.contact == contact.id)
    assert sorted(c.reason for c in done) == ["birthday", "running_out"]
    assert all(c.status == "done" for c in done)


async def test_move_with_j_and_k_then_pick_channel_and_outcome(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "k")          # row 2: 黄小梅
        await pilot.press("enter")
        await pilot.press("1")                          # outcome: reached; focus → care
        await pilot.press("space")                      # untick care contact
        await pilot.press("shift+tab", "shift+tab")     # back to channel
        await pilot.press("2")                          # WeChat
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.member_id, contact.channel, contact.outcome, contact.care) == (
        shop["huangxiaomei"], "wechat", "reached", False)


async def test_escape_writes_nothing(shop, settings):
    before = Contact.select().count()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "1", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert len(rows(app)) == 7
    assert Contact.select().count() == before
    assert Callback.select().where(Callback.member == shop["chenxiaoyan"],
                                   Callback.status == "done").count() == 0


async def test_escape_with_a_typed_note_asks_first(shop, settings):
    before = Contact.select().count()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "1", "tab", "tab", *"宝宝过敏")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")                          # keep typing
        assert isinstance(app.screen, ContactForm)
        assert app.screen.query_one("#note", Input).value == "宝宝过敏"
        await pilot.press("escape", "y")                # now discard
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    assert Contact.select().count() == before


async def test_enter_on_discard_keeps_what_was_typed(shop, settings):
    """Esc and then Enter, quick at the register, must never throw away a note: only y
    discards, and the box says Enter is no."""
    before = Contact.select().count()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "1", "tab", "tab", *"宝宝过敏")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Enter no: only y goes ahead" in str(app.screen.query_one("#confirm-keys").render())
        await pilot.press("enter")
        assert isinstance(app.screen, ContactForm)
        assert app.screen.query_one("#note", Input).value == "宝宝过敏"
        await pilot.press("escape", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    assert Contact.select().count() == before


async def test_save_without_outcome_or_with_a_past_date_is_refused(shop, settings):
    before = Contact.select().count()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "ctrl+s")
        form = app.screen
        assert isinstance(form, ContactForm)
        assert "Pick the outcome" in str(form.query_one("#form-error").render())
        await pilot.press("1", "tab", *"2026-11-01", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactForm)
        assert "in the past" in str(form.query_one("#form-error").render())
    assert Contact.select().count() == before


async def test_declined_promotions_by_keys_opts_the_member_out(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "j", "j")     # 王芳, running out
        await pilot.press("enter", "3", "ctrl+s")
        await settle(app, pilot)
        assert "王芳" not in rows(app)
    assert Member.get_by_id(shop["wangfang"]).accepts_promotions is False


def shop_visible(settings):
    """The settings with guides allowed to see the whole shop's queue."""
    from dataclasses import replace

    return replace(settings, staff=replace(settings.staff, guides_see_whole_shop=True))


async def test_mine_and_whole_shop_toggle(shop, settings):
    app = make_app(shop_visible(settings), guide_id=shop["zhang"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert rows(app) == ["李娜", "孙丽丽", "王芳"]
        await pilot.press("s")
        await settle(app, pilot)
        assert len(rows(app)) == 7
        await pilot.press("s")
        await settle(app, pilot)
        assert rows(app) == ["李娜", "孙丽丽", "王芳"]
        # logging as 张丽 signs the contact with her name
        await pilot.press("enter", "1", "ctrl+s")
        await settle(app, pilot)
    assert Contact.select().order_by(Contact.id.desc()).first().staff_id == shop["zhang"]


async def test_a_guide_keeps_to_her_queue_unless_settings_allow(shop, settings):
    assert settings.staff.guides_see_whole_shop is False
    app = make_app(settings, guide_id=shop["zhang"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert rows(app) == ["李娜", "孙丽丽", "王芳"]
        assert app.mine is True


async def test_a_manager_starts_on_the_whole_shop(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert len(rows(app)) == 7
        await pilot.press("s")                          # mine: a manager has no calls of her own
        await settle(app, pilot)
        assert rows(app) == []


async def test_notes_with_brackets_are_shown_as_typed(shop, settings):
    from datetime import date as _date

    from tui.db.callbacks.contacts import ContactEntry, log_contact

    # a guide's note with square brackets becomes the detail of a booked call
    log_contact(ContactEntry(shop["lina"], shop["zhang"], "phone", "will_come", True,
                             "送[小礼物] [/b] 带[red]券", _date(2026, 11, 23)),
                settings.callbacks, settings.shop.zone, NOW)
    app = make_app(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        row = rows(app).index("李娜")
        for _ in range(row):
            await pilot.press("j")
        await settle(app, pilot)
        assert "送[小礼物] [/b] 带[red]券" in str(app.screen.query_one("#detail").render())
        await pilot.press("enter")
        assert isinstance(app.screen, ContactForm)
        assert any("送[小礼物] [/b] 带[red]券" in str(s.render())
                   for s in app.screen.query(".form-reason"))


async def test_a_slow_older_read_never_overwrites_a_newer_one(shop, settings, monkeypatch):
    import time

    import tui.screens.queue as screen_module

    real = screen_module.callback_queue

    def slow_for_a_guide(*args, **kwargs):
        if kwargs.get("guide_id") is not None:
            time.sleep(0.5)  # the "mine" read is slow ...
        return real(*args, **kwargs)

    monkeypatch.setattr(screen_module, "callback_queue", slow_for_a_guide)
    app = make_app(shop_visible(settings), guide_id=shop["zhang"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "s")  # shop, then mine: the slow read starts ...
        await pilot.pause(0.1)
        await pilot.press("s")       # ... and the whole shop is asked for before it ends
        await pilot.pause(0.8)
        await settle(app, pilot)
        assert app.mine is False
        assert len(rows(app)) == 7  # the whole shop, not 张丽's three lines
        assert "whole shop" in str(app.screen.query_one("#title").render())
