"""The leaderboards from the command line, on the shop of board_shop.py."""

from __future__ import annotations

import json

import pytest

from board_shop import NOW, board, shop  # noqa: F401 (its fixtures, used by name)
from tui.cli import main
from tui.db.boards.figures import BOARDS
from tui.reports.leaderboards import board_records


def test_cli_prints_what_the_query_returns(shop, settings, clock, capsys, manager_pin):
    path = str(settings.database.path)
    for name in BOARDS:
        for text in ("today", "week", "month", "2026-11-01..2026-11-22"):
            assert main(["--db", path, "leaderboard", "--board", name, "--period", text,
                         "--format", "json"], clock=clock) == 0
            doc = json.loads(capsys.readouterr().out)
            assert doc["rows"] == board_records(board(name, text, settings))
    assert main(["--db", path, "leaderboard", "--board", "visits", "--period", "week",
                 "--guide", "张丽", "--drill", "contacts", "--format", "json",
                 "--as", manager_pin], clock=clock) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [ln["contact_id"] for ln in doc["lines"]] == [shop["c1"], shop["c2"], shop["c4"]]


@pytest.mark.parametrize("args, words", [
    (["--board", "visits", "--period", "2026-11-30..2026-11-01"], "--period: 2026-11-30..2026-11-01 ends before"),
    (["--board", "visits", "--period", "fortnight"], "--period: 'fortnight' is not a period"),
    (["--board", "visits", "--by", "speed"], "board visits has no figure 'speed'"),
    (["--board", "visits", "--drill", "contacts"], "--drill and --guide go together"),
    (["--board", "visits", "--drill", "contacts", "--guide", "赵雪"], "no active guide named '赵雪'"),
    (["--board", "sales"], "invalid choice: 'sales'"),
])
def test_cli_mistakes_are_one_line_and_exit_2(shop, settings, clock, capsys, args, words,
                                              manager_pin):
    try:
        code = main(["--db", str(settings.database.path), "leaderboard", *args,
                     "--as", manager_pin], clock=clock)
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and words in err and err.count("\n") == 1
