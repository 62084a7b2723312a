"""q and Esc by keys at 80×24: q quits only from the queue and asks first (y; Enter is no);
below the queue q does what Esc does, so two q on a card never end the app."""

from __future__ import annotations

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import Contact
from tui.screens.confirm import ConfirmScreen
from tui.screens.leaderboard import LeaderboardScreen
from tui.screens.member import MemberScreen
from tui.screens.pdca import PdcaScreen
from tui.screens.queue import QueueScreen


def footer(app) -> str:
    update = app.screen._compositor.render_full_update()
    return "".join(segment.text for segment in update.strips[-1])


async def test_two_q_on_a_card_go_back_then_ask(shop, settings):
    contacts = Contact.select().count()
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"王芳", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        await pilot.press("q", "q")
        await settle(app, pilot)
        assert app.is_running
        assert isinstance(app.screen, ConfirmScreen)          # back on the queue, asked
        assert app.screen.question == "Quit Shopfloor? (g signs out instead, for the next person.)"
        await pilot.press("enter")                            # Enter is no
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, QueueScreen)
        await pilot.press("q", "q")                           # asked again; q is no yes
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, QueueScreen)
        await pilot.press("enter", "escape")                  # and Enter on the queue still logs
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert " q Quit " in footer(app)
        await pilot.press("q", "y")
        await settle(app, pilot)
        assert not app.is_running
    assert Contact.select().count() == contacts     # the contact form was opened, not saved


async def test_q_is_back_where_it_used_to_quit_and_esc_is_back_too(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")                                 # leaderboards: q used to quit
        await settle(app, pilot)
        assert isinstance(app.screen, LeaderboardScreen)
        assert "Quit" not in footer(app)
        await pilot.press("q")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, QueueScreen)
        await pilot.press("P")                                 # PDCA plans: q used to quit
        await settle(app, pilot)
        assert isinstance(app.screen, PdcaScreen)
        await pilot.press("q")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, QueueScreen)
        await pilot.press("l", "escape", "P", "escape")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, QueueScreen)
