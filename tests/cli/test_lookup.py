"""The lookup from the command line lists what the screen would."""

from __future__ import annotations

import json

from lookup_shop import NOW, members  # noqa: F401 (its fixtures, used by name)
from tui.cli import main
from tui.db.members.lookup import lookup_members


def test_cli_lookup_is_the_same_list(members, settings, capsys, clock, manager_pin):
    assert main(["--db", str(settings.database.path), "lookup", "zs", "--format", "json",
                 "--as", "张丽"], clock=clock) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [h["member_no"] for h in doc["hits"]] == [h.member_no for h in lookup_members("zs")]
    assert [h["name"] for h in doc["hits"]] == ["张珊", "张三", "赵四"]
    assert main(["--db", str(settings.database.path), "lookup", "#!", "--as", "张丽"],
                clock=clock) == 2
    assert "last 4 digits" in capsys.readouterr().err
