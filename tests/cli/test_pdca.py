"""PDCA plans from the command line, on the shop of pdca_shop.py."""

from __future__ import annotations

import json

import pytest

from pdca_shop import DEC16, frozen, month, plan, shop  # noqa: F401 (its fixtures, used by name)
from tui.cli import main
from tui.db.pdca.check import plan_check
from tui.reports.pdca import check_json_record, checks_csv, checks_text


def test_the_cli_prints_what_the_query_returns(month, settings, frozen, capsys, manager_pin):
    path = str(settings.database.path)
    assert main(["--db", path, "pdca", "飞鹤复购", "--date", "2026-12-16", "--format", "json"], clock=frozen) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc == [check_json_record(plan_check(month["cycle"], DEC16, settings))]
    whole = doc[0]["whole"]
    assert (whole["targets"], whole["contacted"], whole["succeeded"], whole["sales_cents"]) == (
        6, 5, 3, 210_000)
    assert whole["figures"]["success"] == {"done": 3, "of": 5, "actual_percent": 60.0,
                                           "target": 70.0, "expected": 36.13, "on_pace": True,
                                           "pace": "on pace", "words": "3/5 60%"}
    # without a plan: every running plan; the date defaults to today (12-16 here)
    assert main(["--db", path, "pdca", "--format", "json"], clock=frozen) == 0
    assert json.loads(capsys.readouterr().out) == doc
    assert main(["--db", path, "pdca", "1", "--format", "csv"], clock=frozen) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 1 + 3 * 3
    assert rows[3] == ('飞鹤复购,1,running,2026-12-01,2026-12-31,2026-12-16,whole plan,6,sales,'
                       '210000,,"¥2,100","¥3,000","¥1,548",on pace,0,0,0')
    assert main(["--db", path, "pdca", "飞鹤复购", "--width", "100"], clock=frozen) == 0
    text = capsys.readouterr().out
    assert text == checks_text([plan_check(month["cycle"], DEC16, settings)],
                               settings.shop.name, 100)
    assert "  performance  " in text and "behind" in text
    assert main(["--db", path, "pdca", "飞鹤复购", "--drill", "success", "--guide", "张丽",
                 "--format", "json", "--as", manager_pin], clock=frozen) == 0
    drill = json.loads(capsys.readouterr().out)
    assert [(m["name"], m["counted"]) for m in drill["members"]] == [
        ("王芳", True), ("何佳", True), ("林晓", False)]
    assert main(["--db", path, "pdca", "飞鹤复购", "--history"], clock=frozen) == 0
    assert "success target: 50% → 70% — first two weeks went well" in capsys.readouterr().out
    assert checks_csv([]) == ",".join(["plan", "cycle", "status", "first_day", "last_day",
                                       "as_of", "guide", "targets", "figure", "done", "of",
                                       "actual", "target", "expected", "pace", "spot_drawn",
                                       "spot_checked", "spot_verified"]) + "\n"


@pytest.mark.parametrize("args, words", [
    (["雀巢计划"], "no plan '雀巢计划'; plans on file: 飞鹤复购"),
    (["--drill", "success"], "--drill, --history and --cycle need a PLAN (its name or id)"),
    (["飞鹤复购", "--cycle", "3"], "no cycle 3; this plan has cycles 1 to 1"),
    (["飞鹤复购", "--guide", "张丽"], "--guide goes with --drill FIGURE"),
    (["飞鹤复购", "--history", "--format", "csv"],
     "--drill and --history print text or json; --format csv is for the check"),
])
def test_cli_mistakes_are_one_line(plan, settings, frozen, capsys, args, words):
    assert main(["--db", str(settings.database.path), "pdca", *args], clock=frozen) == 2
    assert capsys.readouterr().err == f"shopfloor: {words}\n"
