"""Assigning members from the command line: the preview, the PIN, the one-line refusals,
the hand-over. The shop: assign_shop.py."""

from __future__ import annotations

import json

import pytest

from assign_shop import add_guide, add_member, owners  # noqa: F401 (its fixtures, used by name)
from fixture_shop import NOW
from tui.clock import Clock
from tui.db.models import AuditLog, Member, Staff


# --- the command-line twin -------------------------------------------------------------------


def run_cli(settings, capsys, *argv: str) -> tuple[int, str, str]:
    from tui.cli import main

    clock = Clock.frozen(NOW, settings.shop.zone)

    code = main(["--db", str(settings.database.path), "assign", *argv], clock=clock)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def pins(shop, monkeypatch):
    """Every staff member's PIN is 2580, and the CLI reads it from SHOPFLOOR_PIN."""
    from tui.db.staff import hash_pin

    digest = hash_pin("2580")
    Staff.update(pin_hash=digest).execute()
    monkeypatch.setenv("SHOPFLOOR_PIN", "2580")


def test_cli_dry_run_prints_the_preview_and_writes_nothing(shop, settings, capsys, pins):
    chen = add_guide("陈静")
    new = [add_member(10 + i, f"新会员{i}", callbacks=n) for i, n in enumerate([3, 2, 1, 1, 0, 0, 0])]
    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned", "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Even split of unassigned over 3 guides: 7 members (7 change owner), 7 open callbacks "
        "change owner.",
        "from: unassigned 7",
        "",
        "                  members                  open callbacks",
        "guide              now   +in  -out after     now   +in  -out after",
        "张丽                 5    +0    -0     5       5    +0    -0     5",
        "刘芳                 4    +1    -0     5       7    +0    -0     7",
        "陈静                 0    +6    -0     6       0    +7    -0     7",
        "",
        "Preview only: nothing changed.",
    ]
    assert owners(*new) == [None] * 7 and AuditLog.select().count() == 0

    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned",
                             "--as", "王店长", "--format", "json")
    doc = json.loads(out)
    assert (code, doc["applied"]["members"], doc["applied"]["callbacks"]) == (0, 7, 7)
    assert owners(*new).count(chen) == 6


def test_the_cli_asks_the_pin_of_whoever_acts(shop, settings, capsys, pins, monkeypatch):
    add_member(10, "甲")
    monkeypatch.setenv("SHOPFLOOR_PIN", "0000")
    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned", "--as", "王店长")
    assert (code, out, err) == (2, "", "shopfloor: --as 王店长: wrong PIN; 4 more tries before "
                                       "王店长 is locked\n")
    monkeypatch.delenv("SHOPFLOOR_PIN")
    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned", "--as", "王店长")
    assert (code, err) == (2, "shopfloor: a PIN is needed: run this at a terminal, or set "
                              "SHOPFLOOR_PIN\n")
    assert owners(Member.get(Member.member_no == "M000010").id) == [None]


def test_cli_refusals_and_mistakes_are_one_line(shop, settings, capsys, pins):
    add_member(10, "甲")
    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned", "--as", "张丽")
    assert (code, out, err) == (3, "", "shopfloor: refused: only a manager can assign members; "
                                       "张丽 is a guide\n")
    code, out, err = run_cli(settings, capsys, "split", "--segment", "unassigned")
    assert (code, err) == (2, "shopfloor: say who is assigning: --as NAME (a manager), or "
                              "preview with --dry-run\n")
    code, _, err = run_cli(settings, capsys, "split", "--segment", "tier", "--dry-run")
    assert (code, err) == (2, "shopfloor: 'tier': say which tier, as tier:NAME\n")
    code, _, err = run_cli(settings, capsys, "handover", "--from", "小王", "--dry-run")
    assert (code, err) == (2, "shopfloor: --from: nobody named '小王' on the staff list; "
                              "staff: 刘芳, 王店长, 张丽\n")
    assert owners(Member.get(Member.member_no == "M000010").id) == [None]
    # nothing but 张丽's sign-in and her refusal, which are audited (tests/cli/test_roles.py)
    assert AuditLog.select().where(AuditLog.action.not_in(["sign in", "refused"])).count() == 0
    assert [(a.staff_id, a.action) for a in AuditLog.select().order_by(AuditLog.id)] == [
        (shop["zhang"], "sign in"), (shop["zhang"], "refused")]


def test_cli_hand_over_and_members(shop, settings, capsys, pins):
    code, out, _ = run_cli(settings, capsys, "handover", "--from", "张丽", "--dry-run")
    assert code == 0 and "Preview only: nothing changed." in out
    assert Staff.get_by_id(shop["zhang"]).active is True
    code, out, _ = run_cli(settings, capsys, "handover", "--from", "张丽", "--to", "刘芳",
                           "--deactivate", "--as", "王店长")
    assert code == 0
    assert out.splitlines()[-1] == ("Done: 5 members and 5 open callbacks moved: 刘芳 +5 members "
                                    "+5 callbacks; 张丽 deactivated.")
    assert Staff.get_by_id(shop["zhang"]).active is False
    assert Member.select().where(Member.owner == shop["liu"]).count() == 9
    chen = add_guide("陈静")
    code, out, _ = run_cli(settings, capsys, "members", "M000001,m9", "--to", "陈静",
                           "--as", "王店长")
    assert (code, out) == (0, "Done: 2 members and 4 open callbacks moved: 陈静 +2 members "
                              "+4 callbacks.\n")
    assert owners(shop["wangfang"], shop["huangxiaomei"]) == [chen, chen]
