"""Two guides, two sessions, one file: what one writes, the other's queue, board and card
show on the next look (the app's timer, called here by hand: no test waits on the wall
clock), without moving her highlight or touching what she is typing; and the contact
form says who reached a member in the last hour.

The other session is a thread of its own: peewee gives it its own SQLite connection to
the same file, as a second terminal's app has; its commit is what the look must see."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

from textual.widgets import DataTable, Input, Static

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.members.card import add_note
from tui.db.models import Contact, MemberNote, Staff, database
from tui.screens.contact_form import ContactForm
from tui.screens.leaderboard import LeaderboardScreen
from tui.screens.member import MemberScreen
from tui.screens.queue import QueueScreen


def make_app(settings, refresh_seconds: int = 0) -> ShopfloorApp:
    """The manager's session: the whole shop's queue, 陈晓燕 first (9 days late). Its timer
    off (0): each test looks by hand, when it means to."""
    settings = replace(settings, database=replace(settings.database,
                                                  refresh_seconds=refresh_seconds))
    return ShopfloorApp(settings, user_id=Staff.get(Staff.role == "manager").id,
                        clock=Clock.frozen(NOW))


def in_another_session(write):
    """`write()` on a connection of its own to the same file, committed and closed."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = write()
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
            outcome["error"] = exc
        finally:
            database.close()  # this thread's connection only

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def zhang_logs(settings, member_id: int, outcome: str = "reached", channel: str = "phone",
               at=NOW, note: str = ""):
    """张丽, in her own session, logs a contact with the member."""
    zhang = Staff.get(Staff.name == "张丽").id
    entry = ContactEntry(member_id=member_id, staff_id=zhang, channel=channel, outcome=outcome,
                         note=note)
    return in_another_session(
        lambda: log_contact(entry, settings.callbacks, settings.shop.zone, at))


def names(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]


def highlighted(app) -> str:
    table = app.screen.query_one(DataTable)
    return str(table.get_row_at(table.cursor_row)[0]).strip()


async def test_the_queue_drops_a_line_another_session_answered_and_keeps_the_highlight(
        shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.look_for_changes() is False        # nobody wrote: nothing read again
        before = names(app)
        assert before[0] == "陈晓燕"
        await pilot.press("j", "j")                   # the third line
        mine = highlighted(app)
        assert mine == before[2]
        zhang_logs(settings, shop["chenxiaoyan"])     # the first line, called elsewhere
        await settle(app, pilot)
        assert names(app) == before                   # nothing moves until the look
        assert app.look_for_changes() is True
        await settle(app, pilot)
        assert names(app) == before[1:]               # her line is gone …
        assert highlighted(app) == mine               # … and the highlight stayed on its member
        assert app.screen.query_one(DataTable).cursor_row == 1
        assert "1 done today" in str(app.screen.query_one("#counts", Static).render())
        assert app.look_for_changes() is False        # one write, one read again
    contact = Contact.get(Contact.member == shop["chenxiaoyan"])
    assert (contact.staff.name, contact.outcome) == ("张丽", "reached")


async def test_an_open_form_keeps_its_cursor_and_what_was_typed(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        second = names(app)[1]
        second_id = app.screen.queue_page.lines[1].member_id
        await pilot.press("enter", "1", "tab", "tab")  # 陈晓燕's form: reached; on to the note
        await pilot.press(*"下周三来")
        form = app.screen
        note = form.query_one("#note", Input)
        assert (app.focused, note.value, note.cursor_position) == (note, "下周三来", 4)
        zhang_logs(settings, second_id)               # the next line, called elsewhere
        assert app.look_for_changes() is True
        await settle(app, pilot)
        assert app.screen is form                     # the form is still open, untouched
        assert (app.focused, note.value, note.cursor_position) == (note, "下周三来", 4)
        await pilot.press(*"店", "ctrl+s")            # typing goes on where it was
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert "陈晓燕" not in names(app) and second not in names(app)
    mine = Contact.get(Contact.member == shop["chenxiaoyan"])
    assert (mine.staff_id, mine.outcome, mine.note) == (shop["boss"], "reached", "下周三来店")


async def test_a_card_on_top_reads_itself_again_and_the_queue_under_it_once_back(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")                        # 陈晓燕's card
        await settle(app, pilot)
        card = app.screen
        assert isinstance(card, MemberScreen) and card.card.notes == ()
        zhang = Staff.get(Staff.name == "张丽").id
        in_another_session(lambda: add_note(shop["chenxiaoyan"], zhang, "对牛奶蛋白过敏", NOW))
        zhang_logs(settings, shop["chenxiaoyan"], outcome="will_come")
        assert app.look_for_changes() is True
        await settle(app, pilot)
        assert [(n.staff, n.text) for n in card.card.notes] == [("张丽", "对牛奶蛋白过敏")]
        assert [(c.staff, c.outcome) for c in card.card.contacts][:1] == [("张丽", "will_come")]
        queue = app.screen_stack[-2]
        assert isinstance(queue, QueueScreen) and queue.queue_page.lines[0].name == "陈晓燕"
        await pilot.press("escape")                   # back: the queue reads itself then
        await settle(app, pilot)
        assert app.screen is queue and "陈晓燕" not in names(app)
    assert MemberNote.get().text == "对牛奶蛋白过敏"


async def test_the_leaderboard_counts_another_sessions_visit_on_the_next_look(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l", "2")                   # the visits board, today
        await settle(app, pilot)
        board = app.screen
        assert isinstance(board, LeaderboardScreen) and board.board.name == "visits"

        def zhang_visits():
            return next(r for r in board.board.rows if r.guide == "张丽").figures

        before = zhang_visits()
        table = board.query_one(DataTable)
        assert [r.guide for r in board.board.rows] == ["刘芳", "张丽"]   # 0 and 0
        await pilot.press("down")                     # the highlight on her line
        zhang_logs(settings, shop["wujing"], channel="in_store")   # she walked in
        assert app.look_for_changes() is True
        await settle(app, pilot)
        after = zhang_visits()
        assert [r.guide for r in board.board.rows] == ["张丽", "刘芳"]   # 1 ranks first
        assert table.cursor_row == 0                  # the highlight followed her up
    # nobody of the fixture shop's was contacted today by her; then one walk-in, reached,
    # a sales visit (not care)
    assert before == {"contacts": 0, "reached": 0, "care": 0}
    assert after == {"contacts": 1, "reached": 1, "care": 0}
    assert Contact.get(Contact.member == shop["wujing"]).channel == "in_store"


async def test_the_contact_form_says_who_reached_her_in_the_last_hour(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        # 25 minutes ago, at 11:05 in the shop, 张丽 called the first line; this queue has
        # not looked since, so 陈晓燕 is still on it
        zhang_logs(settings, shop["chenxiaoyan"], outcome="no_answer",
                   at=NOW - timedelta(minutes=25))
        assert names(app)[0] == "陈晓燕"
        await pilot.press("enter")
        await settle(app, pilot)
        recent = app.screen.query_one("#form-recent", Static)
        assert recent.display
        assert str(recent.render()) == (
            "Already contacted 25 min ago (11:05) by 张丽: phone, no answer.")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("j", "enter")               # the next line: nobody reached her lately
        await settle(app, pilot)
        assert isinstance(app.screen, ContactForm)
        assert not app.screen.query_one("#form-recent", Static).display
    hers = Contact.get(Contact.member == shop["chenxiaoyan"])     # the form wrote nothing
    assert (hers.staff.name, hers.outcome, hers.contacted_at) == (
        "张丽", "no_answer", NOW - timedelta(minutes=25))


async def test_a_contact_over_an_hour_ago_is_not_said(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        zhang_logs(settings, shop["chenxiaoyan"], outcome="no_answer",
                   at=NOW - timedelta(minutes=61))
        await pilot.press("enter")
        await settle(app, pilot)
        assert not app.screen.query_one("#form-recent", Static).display


async def test_the_app_looks_every_refresh_seconds_of_the_settings(shop, settings):
    app = make_app(settings, refresh_seconds=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        looks = [t for t in app._timers if t.name == "look for changes"]
        assert [t._interval for t in looks] == [7]
    app = make_app(settings, refresh_seconds=0)           # 0: never
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert not [t for t in app._timers if t.name == "look for changes"]
