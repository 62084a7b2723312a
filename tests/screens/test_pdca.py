"""PDCA plans by keys, on the shop of pdca_shop.py: the plan form, the check panel and what
the command line prints, act, the drill-down, the history."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from textual.widgets import DataTable, Input

from fixture_shop import NOW, TODAY, utc
from pdca_shop import SEGMENT, frozen, month, plan, shop  # noqa: F401 (its fixtures, used by name)
from pilot import settle
from tui.cli import main
from tui.clock import Clock
from tui.db.models import Callback, Plan, PlanAdjustment, PlanCycle, PlanSpotCheck, PlanTarget
from tui.db.pdca.act import close_cycle, start_next_cycle
from tui.db.pdca.form import plan_period


# --- the screens, by keys ------------------------------------------------------------------------------


def app_at(settings, shop, when: datetime, who: str = "boss"):
    from tui.app import ShopfloorApp

    return ShopfloorApp(settings, user_id=shop[who], clock=Clock.frozen(when))


async def open_pdca(app, pilot) -> None:
    from tui.screens.pdca import open_pdca as show

    await settle(app, pilot)
    show(app)
    await settle(app, pilot)


async def test_a_manager_makes_a_plan_by_keys(shop, settings):
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.pdca import CheckPanelScreen
    from tui.screens.pdca_form import PlanForm

    app = app_at(settings, shop, NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanForm)
        await pilot.press(*"飞鹤复购", "enter",            # name
                          "1", *"飞鹤", "enter",           # members: brand 飞鹤
                          *"2026-05-01..2026-11-30", "enter",  # bought within
                          "enter", "enter",              # period next-month, completion 100
                          *"60", "enter", *"3000", "enter",   # success 60%, performance ¥3,000
                          "1", "enter", *"满6罐送玩偶", "enter")  # methods
        await settle(app, pilot)
        await pilot.press("enter")                       # responsible: each member's owner
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "6 target members: 刘芳 3, 张丽 3" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
    p = Plan.get()
    assert (p.name, p.segment, p.responsible, p.target_completion_pct, p.target_success_pct,
            p.target_sales_cents) == ("飞鹤复购", SEGMENT, "owner", 100, 60, 300_000)
    assert json.loads(p.methods) == ["running-out reminder", "满6罐送玩偶"]
    cycle = PlanCycle.get()
    assert (cycle.first_day, cycle.last_day, cycle.frozen_on) == (
        date(2026, 12, 1), date(2026, 12, 31), TODAY)
    assert PlanTarget.select().count() == 6
    assert Callback.select().where(Callback.reason == "campaign").count() == 5


async def test_a_guide_is_told_plans_are_a_managers(shop, settings):
    from tui.screens.pdca import PdcaScreen

    app = app_at(settings, shop, NOW, who="zhang")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, PdcaScreen)
    assert Plan.select().count() == 0


def panel_rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_panel_shows_what_the_cli_prints(month, settings, frozen, capsys):
    from tui.screens.pdca import CheckPanelScreen
    from tui.screens.pdca_drill import PlanDrillScreen

    assert main(["--db", str(settings.database.path), "pdca", "飞鹤复购", "--format", "json"], clock=frozen) == 0
    doc = json.loads(capsys.readouterr().out)[0]
    printed = []
    for g in [doc["whole"], *doc["guides"]]:
        for key in ("completion", "success", "sales"):
            name, act, tgt, exp, pace, spot = g["cells"][key]
            printed.append([name, act, spot, tgt, exp, pace])
    app = app_at(settings, month, utc("2026-12-16 18:00"))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
        rows = panel_rows(app)
        assert [[r[1], r[3], r[4], r[5], r[6], r[7]] for r in rows] == printed
        assert [r[0] for r in rows] == ["plan", "", "", "刘芳", "", "", "张丽", "", ""]
        # down to 张丽's success, Enter: the members behind it
        await pilot.press("down", "down", "down", "down", "down", "down", "down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDrillScreen)
        drill = app.screen.page
        assert (drill.guide, drill.figure, drill.total, drill.counted) == ("张丽", "success", 3, 2)
        assert "contact 12-02 10:00 张丽 · phone · no answer" in str(
            app.screen.query_one("#pdca-contacts").render())


async def test_act_by_keys_adjust_spot_check_close_and_next(month, settings):
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.pdca import CheckPanelScreen
    from tui.screens.pdca_spot import SpotCheckScreen

    app = app_at(settings, month, utc("2026-12-16 18:00"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        # a: 1 a target, 3 performance, the new value, why
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        await pilot.press("3", *"2800", "enter", *"两周后看得更清楚", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
        assert app.screen.check.targets.sales_cents == 280_000
        # s: the spot-check; d draws, v verified, x not
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, SpotCheckScreen)
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen.check.drawn == 6  # all six of the period's contacts (fewer than 10)
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert (app.screen.check.checked, app.screen.check.verified) == (2, 1)
        await pilot.press("escape")
        await settle(app, pilot)
        assert panel_rows(app)[0][4] == "1/2 verified"
        # c closes after a yes; n starts the next cycle with the period offered
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen.check.final
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen.query_one("#f-period", Input).value == "2027-01-01..2027-01-31"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
        assert app.screen.check.cycle_number == 2
    last = PlanAdjustment.select().order_by(PlanAdjustment.id.desc()).first()
    assert (last.subject, last.old, last.new, last.why) == (
        "performance target", "¥3,000", "¥2,800", "两周后看得更清楚")
    assert [c.status for c in PlanCycle.select().order_by(PlanCycle.number)] == ["closed", "running"]
    assert PlanSpotCheck.select().where(PlanSpotCheck.verified.is_null(False)).count() == 2


async def test_help_gives_the_definitions(month, settings):
    from tui.screens.help import HelpScreen

    app = app_at(settings, month, utc("2026-12-16 18:00"))
    async with app.run_test(size=(100, 40)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("enter", "question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Completion rate = target members with a contact in the period / target members." \
            in app.screen.text


# --- snapshots --------------------------------------------------------------------------------------

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_check_panel_snapshot(month, settings, snap_compare, size):
    async def open_panel(pilot):
        await open_pdca(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)

    assert snap_compare(app_at(settings, month, utc("2026-12-16 18:00")), terminal_size=size,
                        run_before=open_panel)


def test_plan_form_snapshot(shop, settings, snap_compare):
    async def open_form(pilot):
        await open_pdca(pilot.app, pilot)
        await pilot.press("n", *"飞鹤复购", "enter", "1", *"飞鹤")
        await settle(pilot.app, pilot)

    assert snap_compare(app_at(settings, shop, NOW), terminal_size=(80, 24), run_before=open_form)


def test_drill_down_snapshot(month, settings, snap_compare):
    async def open_drill(pilot):
        await open_pdca(pilot.app, pilot)
        await pilot.press("enter", "down", "enter")
        await settle(pilot.app, pilot)

    assert snap_compare(app_at(settings, month, utc("2026-12-16 18:00")), terminal_size=(80, 24),
                        run_before=open_drill)


def test_history_snapshot(month, settings, snap_compare):
    close_cycle(month["cycle"], month["boss"], utc("2027-01-05 10:00"), settings)
    start_next_cycle(month["plan"], plan_period("2027-01-01..2027-01-31", date(2027, 1, 5),
                                                settings.shop.zone),
                     month["boss"], utc("2027-01-05 12:00"), settings)

    async def open_history(pilot):
        await open_pdca(pilot.app, pilot)
        await pilot.press("h")
        await settle(pilot.app, pilot)

    assert snap_compare(app_at(settings, month, utc("2027-01-06 10:00")), terminal_size=(120, 36),
                        run_before=open_history)


async def test_enter_never_starts_a_plan(shop, settings):
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.pdca_form import PlanForm

    app = app_at(settings, shop, NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"飞鹤复购", "enter", "1", *"飞鹤", "enter",
                          *"2026-05-01..2026-11-30", "enter", "enter", "enter",
                          *"60", "enter", *"3000", "enter", "1", "enter", "enter")
        await settle(app, pilot)
        await pilot.press("enter")                       # responsible: each member's owner
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")                       # Enter is no to starting a plan
        await settle(app, pilot)
        assert isinstance(app.screen, PlanForm)          # what was typed stays
    assert Plan.select().count() == 0
    assert Callback.select().where(Callback.reason == "campaign").count() == 0


async def test_the_empty_plan_list_lays_out_its_headings(shop, settings):
    app = app_at(settings, shop, NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        table = app.screen.query_one("#pdca-plans", DataTable)
        header = table.render_lines(table.size.region)[0].text.rstrip()
        # widths 16+1, 2+1, 12+1, 7+1, then 10, 10 and 11 to the right and a space each
        assert header == ("Plan             #  Period       State   Completion    Success "
                          "Performance")


async def test_the_check_panel_footer_fits_80_columns_to_help(month, settings):
    app = app_at(settings, month, utc("2026-12-16 18:00"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pdca(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        update = app.screen._compositor.render_full_update()
        footer = "".join(segment.text for segment in update.strips[-1])
        # before, one entry per manager key pushed "esc Back" and "? Help" off the end
        assert footer.startswith(" ⏎ Members  s a c n Manage  h History  esc Back  ? Help  ")
