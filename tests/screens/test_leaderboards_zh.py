"""The leaderboards in Chinese (zh-CN) by keys at 80x24, on the shop of board_shop.py: the
boards, periods, a range typed in and refused in Chinese, the drill-down; snapshots; and no
English word on the screen but data and key names."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable, Input

from board_shop import NOW, TODAY, board, period, shop, table  # noqa: F401 (its fixtures)
from pilot import screen_text
from tui.clock import Clock
from tui.db.boards.boards import leaderboard
from tui.db.boards.periods import parse_period


def _app(settings, shop):
    from tui.app import ShopfloorApp

    return ShopfloorApp(settings.with_language("zh-CN"), user_id=shop["boss"],
                        clock=Clock.frozen(NOW))


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


#: Latin words allowed on a Chinese screen: key names, and Textual's palette key in the
#: footer (the app's own words, not this area's)
LATIN_OK = {"tab", "esc", "Enter", "ctrl", "palette"}


def english_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in LATIN_OK]


def _rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(c).strip() for c in table.get_row(k)] for k in table.rows]


def _words_on_board(settings, name: str, text: str) -> list[list[str]]:
    """What the database says the board is, in the figures' own words (the same in both
    languages: numbers)."""
    from tui.reports.leaderboards import figure_words

    b = leaderboard(name, parse_period(text, TODAY, settings.shop.zone), settings, TODAY)
    return [[str(r.rank), r.guide] + [figure_words(r.figures[c.key], c.kind) for c in b.columns]
            for r in b.rows]


def _english_on(app, shop_name: str) -> list[str]:
    # the shop's name is data (贝贝母婴 Beibei Mother & Baby); "Find" is the app's own key
    return [w for w in english_words(screen_text(app).replace(shop_name, ""))
            if w not in {"Find"}]


async def test_zh_keys_switch_boards_and_periods(shop, settings):
    from tui.screens.leaderboard import LeaderboardScreen

    app = _app(settings, shop)
    steps = ((["2"], "visits", "today", "联系 · 今天 2026-11-25"),
             (["w"], "visits", "week", "联系 · 本周 2026-11-23..2026-11-29"),
             (["tab"], "callbacks", "week", "按时完成回访 · 本周"),
             (["m"], "callbacks", "month", "按时完成回访 · 本月 2026-11"),
             (["4"], "follow_up", "month", "跟进成交 · 本月 2026-11"),
             (["tab"], "archive", "month", "档案完整度 · 本月 2026-11"),
             (["t"], "archive", "today", "档案完整度 · 今天 2026-11-25"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        assert isinstance(app.screen, LeaderboardScreen)
        for keys, name, text, heading in steps:
            await pilot.press(*keys)
            await _settle(pilot)
            shown = screen_text(app)
            assert heading in shown and "3 位导购" in shown, shown
            assert _rows(app) == _words_on_board(settings, name, text), (name, text)
            assert not _english_on(app, settings.shop.name), (name, text, shown)
        assert "导购" in shown and "会员" in shown and "已完整" in shown
        assert "⏎ 查看  tab 榜单  t w m c 时段  esc 返回  ? 帮助" in shown
        # a range typed in: a reversed one is refused in Chinese, a good one shows
        await pilot.press("2", "c")
        await _settle(pilot)
        assert "要排名的日期" in screen_text(app)
        await pilot.press(*"2026-11-22..2026-11-01", "enter")
        await _settle(pilot)
        assert "结束早于开始" in str(app.screen.query_one("#period-status").render())
        assert not _english_on(app, settings.shop.name)
        app.screen.query_one(Input).value = "2026-11-01..2026-11-22"
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen.board.period.text == "2026-11-01..2026-11-22"
        assert _rows(app) == _words_on_board(settings, "visits", "2026-11-01..2026-11-22")


async def test_zh_drill_down_lists_in_chinese(shop, settings):
    from tui.screens.leaderboard import DrillDownScreen

    app = _app(settings, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("l", "3", "w", "down", "right")
        await _settle(pilot)
        assert "张丽 · 延迟 1 · 第 2 名" in str(app.screen.query_one("#lb-detail").render())
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, DrillDownScreen)
        shown = screen_text(app)
        assert "张丽 — 回访 — 延迟 — 本周 2026-11-23..2026-11-29：1 个回访" in shown
        cells = _rows(app)[0]
        assert cells[0] == "11-24" and cells[1] == "M000001" and cells[2] == "王芳"
        assert cells[4] == "延迟"
        assert "到期" in shown and "原因" in shown


# -- snapshots -------------------------------------------------------------------------------------

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_zh_archive_board_snapshot(shop, settings, snap_compare, size):
    async def open_board(pilot):
        await _settle(pilot)
        await pilot.press("l", "m")
        await _settle(pilot)

    assert snap_compare(_app(settings, shop), terminal_size=size, run_before=open_board)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_zh_callbacks_board_snapshot(shop, settings, snap_compare, size):
    async def open_board(pilot):
        await _settle(pilot)
        await pilot.press("l", "3", "w")
        await _settle(pilot)

    assert snap_compare(_app(settings, shop), terminal_size=size, run_before=open_board)
