"""The end-of-day command: the golden sheet, its default day and file, bad usage."""

from __future__ import annotations

import pytest

from eod_shop import GOLDEN, shop  # noqa: F401 (its fixtures, used by name)
from tui.cli import main


# -- the command ---------------------------------------------------------------------------

@pytest.mark.parametrize("width", (32, 80))
def test_cli_prints_the_golden_sheet(shop, settings, clock, capsys, width, manager_pin):
    assert main(["--db", str(settings.database.path), "report", "eod", "--date", "2026-11-23",
                 "--width", str(width), "--as", manager_pin], clock=clock) == 0
    assert capsys.readouterr().out == (GOLDEN / f"eod-{width}.txt").read_text(encoding="utf-8")


def test_cli_defaults_to_today_at_a4_and_writes_a_file(shop, settings, clock, tmp_path, capsys,
                                                       manager_pin):
    out = tmp_path / "sheet.txt"
    assert main(["--db", str(settings.database.path), "report", "eod", "--out", str(out),
                 "--as", manager_pin], clock=clock) == 0
    assert capsys.readouterr().out == ""
    assert out.read_text(encoding="utf-8") == (GOLDEN / "eod-80.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("argv, words", [
    (["--width", "40"], "invalid choice: 40"),
    (["--date", "2026-13-01"], "is not a date"),
    (["--date", "2026-11-24"], "has not happened yet"),
])
def test_cli_bad_usage_is_status_2(shop, settings, clock, capsys, argv, words):
    try:
        code = main(["--db", str(settings.database.path), "report", "eod", *argv], clock=clock)
    except SystemExit as stop:  # argparse's own checks exit; the command's return 2
        code = stop.code
    assert code == 2
    assert words in capsys.readouterr().err


def test_cli_unwritable_out_is_status_2(shop, settings, clock, tmp_path, capsys):
    code = main(["--db", str(settings.database.path), "report", "eod",
                 "--out", str(tmp_path / "no" / "such" / "dir" / "x.txt")], clock=clock)
    assert code == 2 and "cannot write the sheet there" in capsys.readouterr().err
