"""PDCA plans in Chinese (zh-CN) by keys at 80x24, on the shop of pdca_shop.py: a manager
starts a plan (its field errors in Chinese first), a guide is refused, the check panel and its
figures; snapshots of the panel; no English word on it but data and key names."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from fixture_shop import NOW, TODAY, utc
from pdca_shop import SEGMENT, frozen, month, plan, shop  # noqa: F401 (its fixtures, used by name)
from pilot import screen_text, settle
from tui.clock import Clock
from tui.db.models import Callback, Plan, PlanCycle, PlanTarget

PANEL_NOW = utc("2026-12-16 18:00")


def app_at(settings, shop, when, who: str = "boss"):
    from tui.app import ShopfloorApp

    return ShopfloorApp(settings.with_language("zh-CN"), user_id=shop[who],
                        clock=Clock.frozen(when))


async def open_pdca(app, pilot) -> None:
    from tui.screens.pdca import open_pdca as show

    await settle(app, pilot)
    show(app)
    await settle(app, pilot)


#: Latin words that may stay on a Chinese screen: key names (data, the shop's name, is
#: given to english_words)
LATIN_OK = {"tab", "esc", "Enter", "ctrl"}


def english_words(text: str, *data: str) -> list[str]:
    for words in data:
        text = text.replace(words, "")
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in LATIN_OK]


def _field_error(app, field: str) -> str:
    return str(app.screen.query_one(f"#e-{field}").render())


async def test_zh_a_manager_starts_a_plan_by_keys_errors_in_chinese(shop, settings):
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.pdca import CheckPanelScreen
    from tui.screens.pdca_form import PlanForm

    app = app_at(settings, shop, NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        assert "还没有计划" in screen_text(app)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanForm)
        shown = screen_text(app)
        assert "新计划" in shown and "负责人" in shown and "用量提醒" in shown
        assert "下月" in shown  # the period's default, as a Chinese manager types it
        # saved at once: every field to change says so in Chinese
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "请给计划起个名称" in _field_error(app, "name")
        assert "用数字键选择哪些会员" in _field_error(app, "kind")
        assert "0 到 100 的整数百分比" in _field_error(app, "success")
        assert "金额（元）" in _field_error(app, "sales")
        assert "处需要修改" in str(app.screen.query_one("#pdca-form-status").render())
        assert not english_words(screen_text(app), settings.shop.name)
        assert Plan.select().count() == 0
        # then filled in by keys, as in English
        app.screen.query_one("#f-name").focus()
        await pilot.press(*"飞鹤复购", "enter",
                          "1", *"飞鹤", "enter",
                          *"2026-05-01..2026-11-30", "enter",
                          "enter", "enter",
                          *"60", "enter", *"3000", "enter",
                          "1", "enter", *"满6罐送玩偶", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "6 位目标会员：刘芳 3, 张丽 3" in app.screen.question
        assert app.screen.question.startswith("开始 飞鹤复购，时段 2026-12-01..2026-12-31？")
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
        assert "计划已开始" in " ".join(str(n.message) for n in app._notifications)
        assert "方法：用量提醒；满6罐送玩偶" in screen_text(app)
    p = Plan.get()
    assert (p.name, p.segment, p.responsible, p.target_completion_pct, p.target_success_pct,
            p.target_sales_cents) == ("飞鹤复购", SEGMENT, "owner", 100, 60, 300_000)
    # a method picked from the form's choices is kept in its stable words (shown in the
    # language of whoever reads the plan, above); one typed as free text is kept as typed
    assert json.loads(p.methods) == ["running-out reminder", "满6罐送玩偶"]
    cycle = PlanCycle.get()
    assert (cycle.first_day, cycle.last_day, cycle.frozen_on) == (
        date(2026, 12, 1), date(2026, 12, 31), TODAY)
    assert PlanTarget.select().count() == 6
    assert Callback.select().where(Callback.reason == "campaign").count() == 5


async def test_zh_a_guide_is_told_plans_are_a_managers(shop, settings):
    app = app_at(settings, shop, NOW, who="zhang")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "计划由店长制定" in said, said
    assert Plan.select().count() == 0


async def test_zh_the_check_panel_in_chinese(month, settings):
    from textual.widgets import DataTable

    from tui.db.pdca.check import FIGURES, plan_check
    from tui.i18n import use_language
    from tui.reports.pdca import figure_cells
    from tui.screens.pdca import CheckPanelScreen

    app = app_at(settings, month, PANEL_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        shown = screen_text(app)
        assert "1 个计划，1 个进行中" in shown and "进行中" in shown
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
        shown = screen_text(app)
        assert "飞鹤复购 · 第 1 周期（进行中） · 2026-12-01..2026-12-31" in shown
        assert "第 16/31 天（截至 2026-12-16） · 6 位目标会员，2026-11-23 锁定" in shown
        for words in ("完成率", "成交率", "业绩", "进度正常", "落后", "今日应达", "整个计划"):
            assert words in shown, words
        assert "⏎ 会员  s a c n 管理  h 历史  esc 返回  ? 帮助" in shown
        table = app.screen.query_one(DataTable)
        rows = [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]
        # the same cells as the database's check, in Chinese
        use_language("zh-CN")
        check = plan_check(month["cycle"], date(2026, 12, 16), settings)
        expected = []
        for g in check.rows:
            for key in FIGURES:
                name, act, tgt, exp, pace, spot = figure_cells(g, key)
                expected.append([name, act, spot, tgt, exp, pace])
        assert [[r[1], r[3], r[4], r[5], r[6], r[7]] for r in rows] == expected
        assert [r[0] for r in rows] == ["计划", "", "", "刘芳", "", "", "张丽", "", ""]
        assert rows[5][7] == "落后" and rows[0][3] == "5/6 83%"
        # the segment and the methods in Chinese too: only the shop's name is data
        assert "购买过品牌 飞鹤 2026-05-01..2026-11-30" in shown and "用量提醒；累计赠礼" in shown
        assert not english_words(shown, settings.shop.name), english_words(shown, settings.shop.name)


async def test_zh_help_gives_the_definitions_in_chinese(month, settings):
    from tui.reports.pdca import DEFINITIONS
    from tui.screens.help import HelpScreen

    app = app_at(settings, month, PANEL_NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("enter", "question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        assert "计划·执行·检查·改进" in text and "目标会员：周期开始当天" in text
        assert "stale_after_days 天再来一次" in text and "过期 14 天" in text
        assert DEFINITIONS.splitlines()[0] not in text  # the English block is not shown


# --- snapshots --------------------------------------------------------------------------------------

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_zh_check_panel_snapshot(month, settings, snap_compare, size):
    async def open_panel(pilot):
        await open_pdca(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)

    assert snap_compare(app_at(settings, month, PANEL_NOW), terminal_size=size,
                        run_before=open_panel)
