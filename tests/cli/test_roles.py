"""The command line acts as a named, signed-in person, with the screens' role checks; every
refusal and sign-in is in the audit log with where it came from. The shop: fixture_shop.py
with the PINs of sign_in_shop.py (王店长 8888, 张丽 1234, 刘芳 2468); 陈晓燕 (M000003,
13700003456) is 刘芳's member, 王芳 (M000001) 张丽's."""

from __future__ import annotations

import json

import pytest

from sign_in_shop import shop  # noqa: F401 (its fixtures, used by name)
from tui.cli import main
from tui.db.models import AuditLog, Staff
from tui.db.staff import pin_matches


@pytest.fixture(autouse=True)
def at_the_shops_computer(monkeypatch):
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SHOPFLOOR_PIN", raising=False)
    monkeypatch.delenv("SHOPFLOOR_NEW_PIN", raising=False)


def run(settings, clock, capsys, *argv):
    code = main(["--db", str(settings.database.path), *argv], clock=clock)
    out = capsys.readouterr()
    return code, out.out, out.err


def audit_lines():
    return [(a.staff_id, a.action, a.detail) for a in AuditLog.select().order_by(AuditLog.id)]


@pytest.mark.parametrize("argv", [["member", "M000003"], ["lookup", "3456"], ["queue"],
                                  ["leaderboard", "--board", "visits", "--guide", "张丽",
                                   "--drill", "contacts"]])
def test_personal_data_needs_a_signed_in_person(shop, settings, clock, capsys, argv):
    code, out, err = run(settings, clock, capsys, *argv)
    assert (code, out) == (2, "")
    command = "leaderboard --drill" if argv[0] == "leaderboard" else argv[0]
    assert err == (f"shopfloor: {command} shows members' personal data: say who you are with "
                   "--as NAME (the PIN is asked, or read from SHOPFLOOR_PIN)\n")


def test_a_guide_sees_another_guides_member_masked_a_manager_whole(shop, settings, clock,
                                                                   capsys, monkeypatch):
    monkeypatch.setenv("SHOPFLOOR_PIN", "1234")
    code, out, _ = run(settings, clock, capsys, "member", "M000003", "--as", "张丽", "--format", "json")
    card = json.loads(out)
    assert (code, card["fields"]["phone"], card["hidden"]) == (
        0, "137****3456", ["phone", "birthday", "email", "address"])
    code, out, _ = run(settings, clock, capsys, "lookup", "3456", "--as", "张丽", "--format", "json")
    assert [h["phone"] for h in json.loads(out)["hits"]] == ["137****3456"]
    monkeypatch.setenv("SHOPFLOOR_PIN", "8888")
    code, out, _ = run(settings, clock, capsys, "member", "M000003", "--as", "王店长", "--format", "json")
    assert json.loads(out)["fields"]["phone"] == "13700003456"
    assert [(a, d) for _, a, d in audit_lines()] == [
        ("sign in", "from local terminal"), ("sign in", "from local terminal"),
        ("sign in", "from local terminal")]


def test_a_guides_queue_is_her_own_as_on_the_screen(shop, settings, clock, capsys, monkeypatch):
    monkeypatch.setenv("SHOPFLOOR_PIN", "1234")
    monkeypatch.setenv("SSH_CLIENT", "203.0.113.5 52311 22")
    code, out, _ = run(settings, clock, capsys, "queue", "--date", "2026-11-23", "--as", "张丽",
                       "--format", "json")
    doc = json.loads(out)
    assert (code, doc["guide"], [ln["name"] for ln in doc["lines"]]) == (
        0, "张丽", ["李娜", "孙丽丽", "王芳"])
    code, out, err = run(settings, clock, capsys, "queue", "--as", "张丽", "--guide", "刘芳")
    assert (code, out) == (3, "")
    refusal = ("guides see their own queue; a manager can allow the whole shop in settings "
               "([staff] guides_see_whole_shop)")
    assert err == f"shopfloor: refused: {refusal}\n"
    code, _, err = run(settings, clock, capsys, "queue", "--as", "张丽", "--whole-shop")
    assert (code, err) == (3, f"shopfloor: refused: {refusal}\n")
    zhang = shop["zhang"]
    assert audit_lines()[-2:] == [(zhang, "sign in", "from ssh 203.0.113.5"),
                                  (zhang, "refused", f"{refusal}; from ssh 203.0.113.5")]
    monkeypatch.setenv("SHOPFLOOR_PIN", "8888")
    code, out, _ = run(settings, clock, capsys, "queue", "--date", "2026-11-23", "--as", "王店长",
                       "--format", "json")
    assert json.loads(out)["counts"]["due"] == 7  # the manager's default: the whole shop


def test_a_wrong_pin_is_refused_and_audited_with_the_ssh_address(shop, settings, clock, capsys,
                                                                 monkeypatch):
    monkeypatch.setenv("SHOPFLOOR_PIN", "0000")
    monkeypatch.setenv("SSH_CONNECTION", "198.51.100.9 40100 10.0.0.2 22")
    code, out, err = run(settings, clock, capsys, "member", "M000001", "--as", "张丽")
    assert (code, out) == (2, "")
    assert err == "shopfloor: --as 张丽: wrong PIN; 4 more tries before 张丽 is locked\n"
    assert audit_lines() == [(shop["zhang"], "sign in refused",
                              "wrong PIN; 4 more tries before 张丽 is locked; from ssh 198.51.100.9")]


def test_a_forced_commands_guide_is_who_acts(shop, settings, clock, capsys, monkeypatch):
    monkeypatch.setenv("SHOPFLOOR_PIN", "1234")
    code, out, _ = run(settings, clock, capsys, "--guide", "张丽", "member", "M000003", "--format", "json")
    assert (code, json.loads(out)["fields"]["phone"]) == (0, "137****3456")
    code, out, err = run(settings, clock, capsys, "--guide", "张丽", "member", "M000003",
                         "--as", "王店长")
    assert (code, out) == (3, "")
    assert err == "shopfloor: refused: this session is 张丽's (--guide); it cannot act as 王店长\n"
    assert audit_lines()[-1][1:] == ("refused", "this session is 张丽's (--guide); it cannot act "
                                                "as 王店长; from local terminal")


def test_a_pin_is_reset_only_by_a_manager_or_its_owner(shop, settings, clock, capsys, monkeypatch):
    monkeypatch.setenv("SHOPFLOOR_NEW_PIN", "3690")
    code, out, err = run(settings, clock, capsys, "pin", "王店长")
    assert (code, out) == (3, "")
    assert err == ("shopfloor: refused: 王店长 has a PIN already; a manager resets it: "
                   "shopfloor pin 王店长 --as MANAGER (or 王店长 changes it with --as 王店长)\n")
    monkeypatch.setenv("SHOPFLOOR_PIN", "1234")
    code, _, err = run(settings, clock, capsys, "pin", "刘芳", "--as", "张丽")
    assert (code, err) == (3, "shopfloor: refused: only a manager can reset another's PIN; "
                              "张丽 is a guide\n")
    assert pin_matches("8888", Staff.get_by_id(shop["boss"]).pin_hash)
    assert pin_matches("2468", Staff.get_by_id(shop["liu"]).pin_hash)
    code, out, _ = run(settings, clock, capsys, "pin", "张丽", "--as", "张丽")
    assert (code, out) == (0, "PIN set for 张丽; any lock is lifted.\n")
    monkeypatch.setenv("SHOPFLOOR_PIN", "8888")
    code, out, _ = run(settings, clock, capsys, "pin", "刘芳", "--as", "王店长")
    assert (code, out) == (0, "PIN set for 刘芳; any lock is lifted.\n")
    assert pin_matches("3690", Staff.get_by_id(shop["liu"]).pin_hash)
    assert [(s, a) for s, a, _ in audit_lines()] == [
        (None, "refused"), (shop["zhang"], "sign in"), (shop["zhang"], "refused"),
        (shop["zhang"], "sign in"), (shop["zhang"], "pin reset"),
        (shop["boss"], "sign in"), (shop["boss"], "pin reset")]


def test_a_first_pin_needs_nobody_only_in_an_empty_shop_or_at_the_shops_computer(
        shop, settings, clock, capsys, monkeypatch):
    monkeypatch.setenv("SHOPFLOOR_NEW_PIN", "3690")
    Staff.update(pin_hash="").where(Staff.id == shop["liu"]).execute()
    monkeypatch.setenv("SSH_CLIENT", "203.0.113.5 52311 22")
    code, _, err = run(settings, clock, capsys, "pin", "刘芳")  # over SSH, others have PINs
    assert (code, err) == (3, "shopfloor: refused: 刘芳 has no PIN yet; over SSH a manager "
                              "sets it: shopfloor pin 刘芳 --as MANAGER\n")
    assert Staff.get_by_id(shop["liu"]).pin_hash == ""
    Staff.update(pin_hash="").execute()  # an empty shop: nobody has a PIN yet
    code, out, _ = run(settings, clock, capsys, "pin", "王店长")
    assert (code, out) == (0, "PIN set for 王店长; any lock is lifted.\n")
    assert pin_matches("3690", Staff.get_by_id(shop["boss"]).pin_hash)


def test_the_end_of_day_sheet_without_a_person_names_no_member(shop, settings, clock, capsys,
                                                               monkeypatch):
    from tui.db.members.archive import register_member

    register_member({"phone": "13911112222", "name": "欧阳娜"}, shop["zhang"], clock.now(), settings)
    code, out, _ = run(settings, clock, capsys, "report", "eod", "--width", "48")
    assert code == 0 and "欧阳娜" not in out, out
    # 48 columns: the number fills 43 (48 less the owner's 4 and a space), then the owner
    assert "  M000010" + " " * 35 + "张丽" in out.splitlines()
    monkeypatch.setenv("SHOPFLOOR_PIN", "8888")
    code, out, _ = run(settings, clock, capsys, "report", "eod", "--width", "48", "--as", "王店长")
    assert code == 0 and "  M000010 欧阳娜" + " " * 28 + "张丽" in out.splitlines()
