"""From the queue to the card and back, by keys counted one by one: the card in one key,
a note in two keys and the text, a contact in three; a contact from the card for a
walk-in or a call she made, with nothing due."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import Callback, Contact, MemberNote, Staff
from tui.screens.contact_form import ContactForm
from tui.screens.member import MemberScreen
from tui.screens.note_form import NoteForm
from tui.screens.queue import QueueScreen


def make_app(settings) -> ShopfloorApp:
    """Signed in as the manager: the whole shop's queue, 陈晓燕 first (9 days late)."""
    return ShopfloorApp(settings, user_id=Staff.get(Staff.role == "manager").id,
                        clock=Clock.frozen(NOW))


def highlighted(app) -> str:
    table = app.screen.query_one(DataTable)
    return str(table.get_row_at(table.cursor_row)[0]).strip()


async def press_counted(pilot, *keys: str) -> int:
    """Press `keys`; how many they were (a typed text counts as its own keys)."""
    await pilot.press(*keys)
    return len(keys)


async def test_c_opens_the_highlighted_members_card_in_one_key(shop, settings):
    contacts = Contact.select().count()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("j")                       # the second line, not the first
        name = highlighted(app)
        line = app.screen.queue_page.lines[1]
        assert line.name == name
        assert await press_counted(pilot, "c") == 1
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.member_id == line.member_id
        assert app.screen.card.name == name
        await pilot.press("escape")                  # back on the queue, on the same line
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen) and highlighted(app) == name
    assert Contact.select().count() == contacts      # looking writes nothing


async def test_a_note_from_the_queue_is_two_keys_and_the_text(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert highlighted(app) == "陈晓燕"
        keys = await press_counted(pilot, "n")
        assert isinstance(app.screen, NoteForm)
        await pilot.press(*"宝宝对牛奶蛋白过敏")      # the text
        keys += await press_counted(pilot, "enter")
        await settle(app, pilot)
        assert keys == 2
        assert isinstance(app.screen, QueueScreen)   # still on the queue, on her line
        assert highlighted(app) == "陈晓燕"
    note = MemberNote.get()
    assert (note.member_id, note.staff_id, note.text, note.written_at) == (
        shop["chenxiaoyan"], shop["boss"], "宝宝对牛奶蛋白过敏", NOW)


async def test_a_note_through_the_card_is_three_keys_and_the_text(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = await press_counted(pilot, "c")
        await settle(app, pilot)
        keys += await press_counted(pilot, "n")
        await pilot.press(*"twins due in March")
        keys += await press_counted(pilot, "enter")
        await settle(app, pilot)
        assert keys == 3
        assert isinstance(app.screen, MemberScreen)
        assert "twins due in March" in str(app.screen.query_one("#card-body", Static).render())
    assert [(n.member_id, n.text) for n in MemberNote.select()] == [
        (shop["chenxiaoyan"], "twins due in March")]


async def test_a_contact_from_the_queue_stays_three_keys(shop, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert highlighted(app) == "陈晓燕"
        keys = await press_counted(pilot, "enter")   # the form, on the outcome
        assert isinstance(app.screen, ContactForm)
        keys += await press_counted(pilot, "1")      # reached
        keys += await press_counted(pilot, "ctrl+s")
        await settle(app, pilot)
        assert keys == 3
        assert isinstance(app.screen, QueueScreen)
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.member_id, contact.staff_id, contact.channel, contact.outcome,
            contact.contacted_at) == (shop["chenxiaoyan"], shop["boss"], "phone", "reached", NOW)
    # her two reasons (birthday, running out) are answered by it
    assert Callback.select().where(Callback.contact == contact.id).count() == 2


async def test_a_walk_in_with_nothing_due_is_logged_from_her_card(shop, settings):
    """吴静 refused promotions: no call is due her, she is on no queue; she walks in."""
    assert not Callback.select().where((Callback.member == shop["wujing"])
                                       & (Callback.status == "open")).exists()
    before = Contact.select().count()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = await press_counted(pilot, "slash", *"7890", "enter")  # her phone's tail
        await settle(app, pilot)
        assert keys == 6                              # the card from the phone's tail
        assert isinstance(app.screen, MemberScreen) and app.screen.member_id == shop["wujing"]
        await pilot.press("enter")                    # the contact form, for her
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        assert not form.query(".form-reason")         # nothing due: no reason shown
        await pilot.press("1")                        # reached; on to care
        await pilot.press("shift+tab", "shift+tab", "4")          # channel: in store
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)   # back on her card, read again
        assert app.screen.card.contacts[0].channel == "in_store"
    assert Contact.select().count() == before + 1
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.member_id, contact.staff_id, contact.channel, contact.outcome, contact.care,
            contact.contacted_at) == (shop["wujing"], shop["boss"], "in_store", "reached",
                                      False, NOW)
    assert Callback.select().where(Callback.contact == contact.id).count() == 0


async def test_a_contact_from_the_card_answers_the_call_due(shop, settings):
    """王芳's formula runs out: due today. Logged from her card, it is done as from the queue."""
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"1234", "enter")
        await settle(app, pilot)
        assert app.screen.member_id == shop["wangfang"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert [str(r.render()) for r in app.screen.query(".form-reason")][0].startswith(
            "running out")
        await pilot.press("6", "ctrl+s")              # bought
        await settle(app, pilot)
        # nothing due any more; the next call is the dormant one, 30 days after this contact
        assert [(c.reason, c.due_on) for c in app.screen.card.callbacks] == [
            ("dormant", date(2026, 12, 23))]
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.member_id, contact.outcome) == (shop["wangfang"], "bought")
    done = Callback.select().where(Callback.contact == contact.id)
    assert [(c.reason, c.status) for c in done] == [("running_out", "done")]
