"""Signing in, the staff screen and a person's own language, in Chinese (issue 13): by keys
at 80x24, the database checked after the keys; snapshots of the sign-in and staff screens."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input

from fixture_shop import NOW
from pilot import ready, screen_text, settle
from sign_in_shop import shop  # noqa: F401 (its fixtures, used by name)
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import AuditLog, Staff
from tui.i18n import language
from tui.screens.queue import QueueScreen
from tui.screens.sign_in import SignInScreen
from tui.screens.staff import StaffScreen

#: Latin words allowed on a Chinese screen: key names and the data of the fixture shop
KEY_NAMES = {"enter", "esc", "tab", "ctrl"}


def english_words(app, data: tuple[str, ...] = ()) -> list[str]:
    """Latin words of three letters or more on screen, other than key names and `data`."""
    text = screen_text(app)
    for words in data + (app.settings.shop.name,):
        text = text.replace(words, "")
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in KEY_NAMES]


def footer_words(app) -> str:
    return screen_text(app).splitlines()[-1]


@pytest.fixture
def zh(settings):
    return settings.with_language("zh-CN")


async def test_zh_sign_in_by_keys(shop, zh):
    app = ShopfloorApp(zh, clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen) and language() == "zh-CN"
        text = screen_text(app)
        assert "您是哪位？↑↓ 选名字 · 输密码 · Enter" in text
        assert "王店长  · 店长" in text and "张丽  · 导购" in text
        assert "登录" in footer_words(app) and "清除" in footer_words(app)
        assert english_words(app) == []
        await pilot.press("down", *"9999", "enter")     # 张丽, a wrong PIN
        await settle(app, pilot)
        assert str(app.screen.query_one("#sign-in-status").render()) == \
            "密码错误；再错 4 次 张丽 将被锁定"
        assert app.screen.query_one(Input).placeholder == "张丽 的密码，按 Enter"
        assert english_words(app) == []
        await pilot.press(*"1234", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen) and app.user_id == shop["zhang"]
        assert "查找" in footer_words(app)               # the app's keys, in Chinese
    zhang = Staff.get_by_id(shop["zhang"])
    assert (zhang.failed_pins, zhang.language) == (0, None)
    assert [a.action for a in AuditLog.select().order_by(AuditLog.id)] == \
        ["sign in refused", "sign in"]


async def test_a_guide_in_english_signs_in_in_english_and_the_next_in_chinese(shop, zh):
    app = ShopfloorApp(zh, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")                            # the staff list
        await settle(app, pilot)
        assert isinstance(app.screen, StaffScreen)
        assert "员工 · a 添加" in screen_text(app)
        assert english_words(app) == []
        await pilot.press("down", "l")                    # 张丽: English after sign-in
        await settle(app, pilot)
        assert Staff.get_by_id(shop["zhang"]).language == "en"
        table = app.screen.query_one("#staff-table")
        assert [str(c).strip() for c in table.get_row_at(1)][:2] == ["张丽", "导购"]
        assert str(table.get_row_at(1)[4]) == "English"
        assert str(table.get_row_at(0)[4]) == "随店铺"
        assert language() == "zh-CN"                      # the manager's own is unchanged
        await pilot.press("escape", "g")                  # back, sign out
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "您是哪位？" in screen_text(app)            # the sign-in speaks the shop's
        await pilot.press("down", *"1234", "enter")       # 张丽
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen) and app.user_id == shop["zhang"]
        assert language() == "en"
        assert "Find" in footer_words(app) and "查找" not in footer_words(app)
        await pilot.press("g")
        await settle(app, pilot)
        assert "您是哪位？" in screen_text(app) and language() == "zh-CN"
        await pilot.press("down", *"2468", "enter")       # 刘芳: the shop's, Chinese
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen) and app.user_id == shop["liu"]
        assert language() == "zh-CN" and "查找" in footer_words(app)
    assert {s.name: s.language for s in Staff.select()} == \
        {"王店长": None, "张丽": "en", "刘芳": None}
    assert AuditLog.get(AuditLog.action == "staff language").subject == "张丽"


async def test_a_manager_switches_her_own_language_and_back_without_restarting(shop, zh):
    app = ShopfloorApp(zh, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("S", "l")                       # herself, the first row: English
        await settle(app, pilot)
        assert language() == "en" and Staff.get_by_id(shop["boss"]).language == "en"
        assert isinstance(app.screen, StaffScreen)        # the staff list again, in English
        assert "Staff · a add" in screen_text(app)
        assert [type(s) for s in app.screen_stack[1:]] == [QueueScreen, StaffScreen]
        await pilot.press("escape")                       # the queue under it: English too
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen) and "Find" in footer_words(app)
        await pilot.press("S", "l")                       # back to the shop's
        await settle(app, pilot)
        assert language() == "zh-CN" and Staff.get_by_id(shop["boss"]).language is None
        assert "员工 · a 添加" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "查找" in footer_words(app)


async def test_zh_the_staff_form_says_why_not_in_chinese(shop, zh):
    app = ShopfloorApp(zh, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("S", "a", *"小王", "tab", "tab", *"5555", "tab", *"5556", "ctrl+s")
        await settle(app, pilot)
        assert str(app.screen.query_one("#staff-form-status").render()) == \
            "两次密码不一致；请输入相同的密码两次。"
        assert "新员工" in screen_text(app) and english_words(app) == []
        await pilot.press("backspace", "5", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, StaffScreen)
        assert any("已添加 小王，职位：导购。" == str(n.message) for n in app._notifications)
        await pilot.press("down", "d")                    # 张丽: the question on one line
        await settle(app, pilot)
        assert "停用张丽？停用后不能再登录，历史记录保留。请先交接其会员（分配）。" in screen_text(app)
        assert english_words(app) == []
        await pilot.press("enter", "L")                   # Enter: no; the audit log
        await settle(app, pilot)
        table = app.screen.query_one("#audit-table")
        assert [str(c).strip() for c in table.get_row_at(0)][1:4] == ["王店长", "添加员工", "小王"]
        assert "审计日志 · 最新在前" in screen_text(app) and english_words(app) == []
    assert Staff.get(Staff.name == "小王").role == "guide"
    assert Staff.get_by_id(shop["zhang"]).active


async def test_zh_the_palette_and_the_quit_question(shop, zh):
    app = ShopfloorApp(zh, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert names[:3] == ["主题", "退出", "按键"] and "查找会员" in names
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert app.screen.query_one(Input).placeholder == "搜索命令…"
        await pilot.press(*"zzzz")                        # nothing found, said in Chinese
        await pilot.pause(0.8)
        assert "没有找到" in screen_text(app) and "matches" not in screen_text(app)
        await pilot.press("escape", "q")
        await settle(app, pilot)
        text = screen_text(app)
        assert "退出本程序？" in text and "只有 y 才继续" in text
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)


# --- snapshots -------------------------------------------------------------------------------

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_sign_in_zh_snapshot(shop, zh, snap_compare, size):
    app = ShopfloorApp(zh, clock=Clock.frozen(NOW))
    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_staff_zh_snapshot(shop, zh, snap_compare, size):
    app = ShopfloorApp(zh, user_id=shop["boss"], clock=Clock.frozen(NOW))

    async def open_staff(pilot) -> None:
        await ready(pilot)
        await pilot.press("S")
        await ready(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_staff)


async def test_zh_help_on_the_staff_screen_says_what_it_is_in_chinese(shop, zh):
    from tui.screens.help import HelpScreen

    app = ShopfloorApp(zh, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("S", "question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.text.startswith("员工（店长专用）：添加、停用或重新启用")
