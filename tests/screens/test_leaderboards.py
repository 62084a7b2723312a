"""The leaderboards screen by keys, on the shop of board_shop.py: the same figures as the
command line, the drill-down, the definitions."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable, Input

from board_shop import NOW, board, period, shop, table  # noqa: F401 (its fixtures, used by name)
from tui.cli import main
from tui.clock import Clock


# -- the screen, by keys ---------------------------------------------------------------------------

def _app(settings, shop):
    from tui.app import ShopfloorApp

    return ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _screen_rows(app) -> list[dict]:
    table = app.screen.query_one(DataTable)
    out = []
    for row_key in table.rows:
        cells = [str(c).strip() for c in table.get_row(row_key)]
        out.append({"guide_id": int(row_key.value), "rank": int(cells[0]), "guide": cells[1],
                    "words": cells[2:]})
    return out


async def test_keys_switch_board_and_period_and_match_the_cli(shop, settings, clock, capsys):
    from tui.screens.leaderboard import LeaderboardScreen

    steps = ((["2"], "visits", "today"), (["w"], "visits", "week"), (["tab"], "callbacks", "week"),
             (["m"], "callbacks", "month"), (["4"], "follow_up", "month"),
             (["tab"], "archive", "month"), (["t"], "archive", "today"))
    printed = {}
    for _, name, text in steps:  # the twin first: the app takes over stdout while it runs
        assert main(["--db", str(settings.database.path), "leaderboard", "--board", name,
                     "--period", text, "--format", "json"], clock=clock) == 0
        doc = json.loads(capsys.readouterr().out)
        printed[name, text] = [{"guide_id": r["guide_id"], "rank": r["rank"], "guide": r["guide"],
                                "words": [r["words"][c["key"]] for c in doc["columns"]]}
                               for r in doc["rows"]]
        assert len(printed[name, text]) == 3
    app = _app(settings, shop)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        assert isinstance(app.screen, LeaderboardScreen)
        for keys, name, text in steps:
            await pilot.press(*keys)
            await _settle(pilot)
            assert (app.screen.board.name, app.screen.board.period.text) == (name, text)
            assert _screen_rows(app) == printed[name, text], (name, text)
        # a range typed in: a reversed one is refused in the form, a good one shows
        await pilot.press("2", "c")
        await _settle(pilot)
        await pilot.press(*"2026-11-22..2026-11-01", "enter")
        await _settle(pilot)
        assert "ends before it starts" in str(app.screen.query_one("#period-status").render())
        field = app.screen.query_one(Input)
        field.value = "2026-11-01..2026-11-22"
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, LeaderboardScreen)
        assert app.screen.board.period.text == "2026-11-01..2026-11-22"
        assert [r["words"] for r in _screen_rows(app)] == [["2", "1", "1"], ["1", "1", "1"],
                                                         ["0", "0", "0"]]


async def test_enter_on_a_number_lists_what_is_behind_it(shop, settings):
    from tui.screens.leaderboard import DrillDownScreen, LeaderboardScreen

    app = _app(settings, shop)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("l", "3", "w")
        await _settle(pilot)
        # the cursor starts on the ranking figure of the first guide: 刘芳's on-time rate;
        # down to 张丽, then right to "Late"
        await pilot.press("down", "right")
        await _settle(pilot)
        assert "张丽 · Late 1" in str(app.screen.query_one("#lb-detail").render())
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, DrillDownScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        cells = [str(c) for c in table.get_row_at(0)]
        assert cells[:5] == ["11-24", "M000001", "王芳", "call back", "late"]  # a label, not the code
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, LeaderboardScreen)
        # s ranks on the highlighted column: 张丽 has the most late callbacks
        await pilot.press("s")
        await _settle(pilot)
        assert app.screen.board.rank_by == "late"
        assert _screen_rows(app)[0]["guide"] == "张丽"
        # Enter on a contact count, then on to the member's card
        await pilot.press("2", "enter")
        await _settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 3  # 刘芳 this week: c8, c7, c9
        await pilot.press("enter")
        await _settle(pilot)
        from tui.screens.member import MemberScreen

        assert isinstance(app.screen, MemberScreen)


async def test_help_gives_the_definitions(shop, settings):
    from tui.screens.help import HelpScreen

    app = _app(settings, shop)
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("l", "question_mark")
        await _settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        assert "14 shop days" in text and "day 15 does not" in text and "80%" in text


async def test_the_footer_fits_80_columns_to_its_last_key(shop, settings):
    app = _app(settings, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        update = app.screen._compositor.render_full_update()
        footer = "".join(segment.text for segment in update.strips[-1])
        # the four periods are one entry: before, "? Help" was cut to "? H" by the palette
        assert footer.startswith(" ⏎ Open  tab Board  t w m c Period  esc Back  ? Help  ")
        assert footer.rstrip().endswith("^p palette")


# -- snapshots -------------------------------------------------------------------------------------

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_archive_board_snapshot(shop, settings, snap_compare, size):
    async def open_board(pilot):
        await _settle(pilot)
        await pilot.press("l", "m")
        await _settle(pilot)

    assert snap_compare(_app(settings, shop), terminal_size=size, run_before=open_board)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_callbacks_board_snapshot(shop, settings, snap_compare, size):
    async def open_board(pilot):
        await _settle(pilot)
        await pilot.press("l", "3", "w")
        await _settle(pilot)

    assert snap_compare(_app(settings, shop), terminal_size=size, run_before=open_board)


def test_drill_down_snapshot(shop, settings, snap_compare):
    async def open_drill(pilot):
        await _settle(pilot)
        await pilot.press("l", "4", "m", "right", "enter")
        await _settle(pilot)

    assert snap_compare(_app(settings, shop), terminal_size=(80, 24), run_before=open_drill)
