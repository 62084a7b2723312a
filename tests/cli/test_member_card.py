"""A member's card from the command line."""

from __future__ import annotations

import json

from tui.cli import main


def test_cli_member_card(shop, settings, capsys, clock, manager_pin):
    assert main(["--db", str(settings.database.path), "member", "M000009", "--format", "json",
                 "--as", manager_pin], clock=clock) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["name"], doc["completeness"]["percent"], doc["tier"]["name"]) == ("黄小梅", 18, "普通会员")
    assert main(["--db", str(settings.database.path), "member", "M000009",
                 "--as", manager_pin], clock=clock) == 0
    text = capsys.readouterr().out
    assert "archive 18%" in text and "ask next: occupation" in text and "乐乐 11 months" in text
    assert main(["--db", str(settings.database.path), "member", "M999999",
                 "--as", manager_pin], clock=clock) == 2
    assert "no member" in capsys.readouterr().err
