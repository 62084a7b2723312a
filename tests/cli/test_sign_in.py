"""Staff at the command line: an unknown name, the first PIN set at the shop's computer."""

from __future__ import annotations

from fixture_shop import NOW
from sign_in_shop import shop  # noqa: F401 (its fixtures, used by name)
from tui.db.models import AuditLog, Staff
from tui.db.staff import sign_in


def test_an_unknown_guide_name_is_one_line(shop, settings, capsys, clock):
    from tui.cli import main

    assert main(["--db", str(settings.database.path), "--guide", "无名"], clock=clock) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no active staff named '无名'" in err


def test_the_first_pin_is_set_at_the_shops_computer(shop, settings, capsys, monkeypatch, clock):
    from tui.cli import main

    Staff.update(pin_hash="").where(Staff.id == shop["liu"]).execute()
    monkeypatch.setenv("SHOPFLOOR_NEW_PIN", "12")
    assert main(["--db", str(settings.database.path), "pin", "刘芳"], clock=clock) == 2
    assert capsys.readouterr().err == "shopfloor: a PIN has at least 4 digits\n"
    monkeypatch.setenv("SHOPFLOOR_NEW_PIN", "3690")
    assert main(["--db", str(settings.database.path), "pin", "刘芳"], clock=clock) == 0
    assert capsys.readouterr().out == "PIN set for 刘芳; any lock is lifted.\n"
    assert sign_in(shop["liu"], "3690", NOW, settings.staff).id == shop["liu"]
    assert AuditLog.get(AuditLog.action == "pin reset").detail == "PIN set at the command line"
