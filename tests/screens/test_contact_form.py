"""The contact form by keys at 80×24: its digits, its next-call date, its layout; each test
ends by reading the database. The day is the fixture shop's, 2026-11-23."""

from __future__ import annotations

from datetime import date

from textual.geometry import Region

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import Contact, Staff
from tui.screens.contact_form import ContactForm
from tui.screens.queue import QueueScreen


def make_app(settings) -> ShopfloorApp:
    return ShopfloorApp(settings, user_id=Staff.get(Staff.role == "manager").id,
                        clock=Clock.frozen(NOW))


def error_line(app) -> str:
    return str(app.screen.query_one("#form-error").render())


async def test_a_channel_digit_moves_on_to_the_outcome(shop, settings):
    before = Contact.select().count()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")                      # 陈晓燕, first in the queue
        assert isinstance(app.screen, ContactForm)
        await pilot.press("shift+tab")                  # back to the channel
        await pilot.press("2")                          # WeChat; focus → outcome
        assert app.focused.id == "outcome"
        await pilot.press("5")                          # will come in; focus → care
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    assert Contact.select().count() == before + 1
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.member_id, contact.channel, contact.outcome) == (
        shop["chenxiaoyan"], "wechat", "will_come")


async def test_a_past_month_day_is_refused_not_moved_a_year_on(shop, settings):
    before = Contact.select().count()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "1", "tab", *"11-01", "ctrl+s")   # reached, next 11-01
        await settle(app, pilot)
        assert isinstance(app.screen, ContactForm)
        assert error_line(app) == ("next contact 2026-11-01 is in the past; give today or "
                                   "later (2027-11-01 for next year)")
        assert app.focused.id == "next"
        assert Contact.select().count() == before       # nothing booked for 2027
        await pilot.press(*["backspace"] * 5, *"+3", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.member_id, contact.outcome, contact.next_contact_on) == (
        shop["chenxiaoyan"], "reached", date(2026, 11, 26))


async def test_a_month_day_still_ahead_is_this_years(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "1", "tab", *"12-01", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert contact.next_contact_on == date(2026, 12, 1)


def choice_lines(choice) -> list[str]:
    """The text of a digit choice as painted, inside its border."""
    width, height = choice.size
    return [strip.text.strip("▊▎▌▐ ") for strip in choice.render_lines(Region(0, 0, width, height))]


async def test_no_option_is_split_over_two_lines(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        lines = [line for line in choice_lines(app.screen.query_one("#outcome")) if line.strip()]
        # at 80 columns the outcomes take two lines, each option whole on one of them
        assert [line.split("  ") for line in lines] == [
            ["1 reached", "2 no answer", "3 declined promotions", "4 wrong number"],
            ["5 will come in", "6 bought", "7 complaint", "8 do not contact me"]]
        await pilot.press("escape")
    assert Contact.select().where(Contact.member == shop["chenxiaoyan"]).count() == 0
