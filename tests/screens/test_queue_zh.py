"""The queue and its forms in Chinese (zh-CN), by keys at 80×24: a contact logged, a member
found by name, a note added, each checked in the database; snapshots of the queue, the
contact form and the help at 80×24 and 120×36; and no English word left on those screens
but data (names, products, member numbers) and the Latin names of keys."""

from __future__ import annotations

import re

import pytest
from rich.text import Text

from fixture_shop import NOW, build_fixture_shop
from pilot import ready, screen_lines, settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import Callback, Contact, MemberNote
from tui.screens.contact_form import ContactForm
from tui.screens.help import HelpScreen
from tui.screens.lookup import LookupScreen
from tui.screens.member import MemberScreen
from tui.screens.note_form import NoteForm
from tui.screens.queue import QueueScreen

SIZES = [(80, 24), (120, 36)]


def make_app(settings, shop) -> ShopfloorApp:
    return ShopfloorApp(settings.with_language("zh-CN"), user_id=shop["boss"],
                        clock=Clock.frozen(NOW))


#: Latin words a Chinese screen may show: key names, the settings file and its table, the
#: example query of the lookup, and the shop's name (data: "贝贝母婴 Beibei Mother & Baby")
LATIN = {"Enter", "Esc", "esc", "ctrl", "tab", "PgUp", "PgDn", "settings", "toml", "keys",
         "zhangsan", "staff", "guides_see_whole_shop", "Beibei", "Mother", "Baby",
         "Excel"}  # and the spreadsheet program, by its name (导出到 Excel)
#: the app's own keys (tui/app.py's bindings and Textual's palette), translated with the
#: app, not here: in the footer, and the help's lines whose id starts "app."
ID = re.compile(r"\b[a-z_]+\.[a-z_]+\b")  # a binding's id, shown dim in the help


def english_words(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        for word in re.findall(r"[A-Za-z]{3,}", ID.sub("", line)):
            if word not in LATIN:
                found.append(word)
    return found


async def test_a_contact_logged_from_the_queue_in_chinese(shop, settings):
    app = make_app(settings, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = "\n".join(screen_lines(app))
        assert "陈晓燕" in screen and "到期" in screen and "逾期" in screen
        assert "回访原因" in screen and "上次联系" in screen
        await pilot.press("enter")                      # the form, on the outcome
        await settle(app, pilot)
        assert isinstance(app.screen, ContactForm)
        form = "\n".join(screen_lines(app))
        assert "记录联系 · 陈晓燕" in form
        assert "1 电话" in form and "2 微信" in form and "2 未接通" in form
        assert "关怀回访（不是推销电话）" in form
        await pilot.press("2", "tab", *"+3", "ctrl+s")   # no answer, next call in 3 days
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        notices = [n.message for n in app._notifications]
        assert notices[-1] == "已记录与陈晓燕的联系；完成 2 个回访；下次联系 2026-11-26。"
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.member_id, contact.staff_id, contact.channel, contact.outcome,
            str(contact.next_contact_on)) == (shop["chenxiaoyan"], shop["boss"], "phone",
                                              "no_answer", "2026-11-26")
    assert Callback.select().where(Callback.contact == contact.id).count() == 2


async def test_a_past_date_is_refused_in_chinese(shop, settings):
    before = Contact.select().count()
    app = make_app(settings, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "1", "tab", *"11-01", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactForm)
        assert str(app.screen.query_one("#form-error").render()) == (
            "下次联系 2026-11-01 已经过去；请填今天或以后（明年请填 2027-11-01）")
        await pilot.press("escape", "y")
        await settle(app, pilot)
    assert Contact.select().count() == before


async def test_a_member_found_by_name_in_chinese(shop, settings):
    app = make_app(settings, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen)
        assert "查找会员：手机尾号 4 位" in "\n".join(screen_lines(app))
        await pilot.press(*"王芳")
        await settle(app, pilot)
        lines = screen_lines(app)
        screen = "\n".join(lines)
        assert "会员号" in screen and "姓名" in screen and "匹配" in screen
        assert "找到 1 位 · ↑↓ 选择 · Enter 打开 · Esc 关闭" in screen
        assert english_words(lines) == []
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.card.member_id == shop["wangfang"]


async def test_no_member_found_says_so_in_chinese(shop, settings):
    app = make_app(settings, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"0000")
        await settle(app, pilot)
        assert str(app.screen.query_one("#lookup-status").render()).startswith("没有找到会员。")
        await pilot.press(*["backspace"] * 4, *"#!")   # a query it cannot take
        await settle(app, pilot)
        assert str(app.screen.query_one("#lookup-status").render()).startswith(
            "请输入手机尾号 4 位")


async def test_a_note_from_the_queue_in_chinese(shop, settings):
    app = make_app(settings, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteForm)
        form = "\n".join(screen_lines(app))
        assert "陈晓燕的备注，署名" in form and "Enter 保存 · Esc 取消" in form
        assert english_words(screen_lines(app)) == []
        await pilot.press(*"宝宝对牛奶蛋白过敏", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert [n.message for n in app._notifications][-1] == "陈晓燕的备注已保存。"
    note = MemberNote.get()
    assert (note.member_id, note.staff_id, note.text) == (
        shop["chenxiaoyan"], shop["boss"], "宝宝对牛奶蛋白过敏")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
async def test_no_english_word_on_the_queue_form_and_help_zh(shop, settings, size):
    app = make_app(settings, shop)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert english_words(screen_lines(app)) == []
        await pilot.press("enter")
        await settle(app, pilot)
        assert english_words(screen_lines(app)) == []
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        # the whole text, the part scrolled out of sight too, markup taken off
        assert english_words(Text.from_markup(app.screen.text).plain.splitlines()) == []
        assert english_words(screen_lines(app)) == []


# -- snapshots ---------------------------------------------------------------------

@pytest.fixture
def zh_app(db, settings):
    shop = build_fixture_shop(settings)
    return make_app(settings, shop)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_queue_zh(zh_app, snap_compare, size):
    assert snap_compare(zh_app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_contact_form_zh(zh_app, snap_compare, size):
    async def open_form(pilot):
        await ready(pilot)
        await pilot.press("enter", "1", "tab", "tab", *"下周三来店")
        await ready(pilot)

    assert snap_compare(zh_app, terminal_size=size, run_before=open_form)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_help_zh(zh_app, snap_compare, size):
    async def open_help(pilot):
        await ready(pilot)
        await pilot.press("question_mark")
        await ready(pilot)

    assert snap_compare(zh_app, terminal_size=size, run_before=open_help)


def test_lookup_zh(zh_app, snap_compare):
    async def find(pilot):
        await ready(pilot)
        await pilot.press("slash", *"zh")
        await ready(pilot)

    assert snap_compare(zh_app, terminal_size=(80, 24), run_before=find)


async def test_the_due_column_holds_the_latest_a_call_can_be_in_chinese(shop, settings):
    """"逾期 14 天" is ten columns, one more than "14 d late": at 80 columns the Due column
    is as wide as the stale limit's words (a call later than that leaves the queue)."""
    from rich.cells import cell_len

    from tui.i18n import late_words

    app = make_app(settings, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        latest = late_words(settings.callbacks.stale_after_days)
        assert latest == f"逾期 {settings.callbacks.stale_after_days} 天"
        assert app.screen.shown_widths["due"] == cell_len(latest) == 10
