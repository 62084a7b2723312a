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


def test_cli_lookup_says_how_many_when_the_page_is_full(members, settings, capsys, clock,
                                                        manager_pin):
    from datetime import date

    from tui.db.models import Member

    for i in range(22):  # with 王芳 and 王芳芳: 24 members named 王…
        Member.create(member_no=f"M{100 + i:06d}", name=f"王同{i}", phone=f"1510000{i:04d}",
                      phone_tail=f"{i:04d}", joined_on=date(2026, 1, 1), created_at=NOW)
    db = str(settings.database.path)
    assert main(["--db", db, "lookup", "王", "--as", "张丽"], clock=clock) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 + 20 + 1   # the heading, a page, how many more
    assert out[-1] == "20 shown of 24: type more of the phone or name to narrow."
    assert main(["--db", db, "lookup", "王", "--format", "json", "--as", "张丽"], clock=clock) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["found"], len(doc["hits"])) == (24, 20)
    assert main(["--db", db, "lookup", "王芳", "--as", "张丽"], clock=clock) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + 2   # 王芳, 王芳芳: no count line
