"""Sign-in with a PIN, the lock after wrong PINs, roles, and the staff actions of a manager."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from fixture_shop import NOW
from sign_in_shop import shop  # noqa: F401 (its fixtures, used by name)
from tui.db.audit import PermissionDenied
from tui.db.models import AuditLog, Staff
from tui.db.staff import (
    SignInError,
    StaffError,
    add_staff,
    audit_entries,
    hash_pin,
    pin_matches,
    reset_pin,
    set_active,
    sign_in,
)


# --- the data layer ------------------------------------------------------------------------


def test_the_pin_is_never_stored(shop):
    stored = Staff.get_by_id(shop["zhang"]).pin_hash
    assert "1234" not in stored and stored.startswith("scrypt$16384$8$1$")
    assert pin_matches("1234", stored) and not pin_matches("1235", stored)
    # the same PIN, another salt: another hash
    assert hash_pin("1234") != hash_pin("1234")


def test_five_wrong_pins_lock_the_name(shop, settings):
    rules = settings.staff  # 5 attempts, 15 minutes
    messages = []
    for minute in range(5):
        with pytest.raises(SignInError) as caught:
            sign_in(shop["zhang"], "0000", NOW + timedelta(minutes=minute), rules)
        messages.append(str(caught.value))
    assert messages[0] == "wrong PIN; 4 more tries before 张丽 is locked"
    assert messages[3] == "wrong PIN; 1 more try before 张丽 is locked"
    assert messages[4] == "wrong PIN; 张丽 is now locked for 15 min"
    # locked from the fifth wrong PIN at NOW+4 min until NOW+19 min: the right PIN is refused
    with pytest.raises(SignInError, match="locked after 5 wrong PINs; try again in 5 min"):
        sign_in(shop["zhang"], "1234", NOW + timedelta(minutes=14), rules)
    assert AuditLog.get(AuditLog.action == "lock").subject == "张丽"
    # once the lock has run out, the right PIN works and the count starts again
    assert sign_in(shop["zhang"], "1234", NOW + timedelta(minutes=19), rules).id == shop["zhang"]
    assert Staff.get_by_id(shop["zhang"]).failed_pins == 0


def test_a_right_pin_resets_the_count(shop, settings):
    for _ in range(4):
        with pytest.raises(SignInError):
            sign_in(shop["liu"], "1111", NOW, settings.staff)
    sign_in(shop["liu"], "2468", NOW, settings.staff)
    with pytest.raises(SignInError, match="4 more tries"):
        sign_in(shop["liu"], "1111", NOW, settings.staff)


def test_no_pin_or_inactive_cannot_sign_in(shop, settings):
    Staff.update(pin_hash="").where(Staff.id == shop["liu"]).execute()
    with pytest.raises(SignInError, match="刘芳 has no PIN yet; ask a manager to set one"):
        sign_in(shop["liu"], "2468", NOW, settings.staff)
    Staff.update(active=False).where(Staff.id == shop["zhang"]).execute()
    with pytest.raises(SignInError, match="not an active member of staff"):
        sign_in(shop["zhang"], "1234", NOW, settings.staff)


def during_the_pin_check(monkeypatch, step) -> list[bool]:
    """Run `step` (another session's turn) while sign_in checks the PIN (scrypt, some
    40 ms); returns whether each check ran outside any transaction of this session."""
    from tui.db.models import database
    from tui.db.staff import pins

    check, outside = pins.pin_matches, []

    def checking(pin: str, stored: str) -> bool:
        outside.append(not database.in_transaction())
        if len(outside) == 1:
            step()
        return check(pin, stored)

    monkeypatch.setattr(pins, "pin_matches", checking)
    return outside


def other_session(settings) -> sqlite3.Connection:
    """Another session's connection; timeout 0: it never waits for the write lock."""
    return sqlite3.connect(settings.database.path, timeout=0, isolation_level=None)


def test_others_write_while_a_pin_is_checked(shop, settings, monkeypatch):
    """The PIN check (scrypt) is the slow part of a sign-in: it runs before the write lock
    is taken, so another session's sale is not held up behind it."""
    wrote = []

    def another_session_writes() -> None:
        con = other_session(settings)
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE staff SET created_at = created_at WHERE id = ?", (shop["boss"],))
        con.execute("COMMIT")
        con.close()
        wrote.append(True)

    outside = during_the_pin_check(monkeypatch, another_session_writes)
    assert sign_in(shop["zhang"], "1234", NOW, settings.staff).id == shop["zhang"]
    assert wrote == [True] and outside[0]


def test_a_wrong_pin_meanwhile_in_another_session_counts_too(shop, settings, monkeypatch):
    """Two sessions typing wrong PINs under one name at once: both count (the count is read
    again under the write lock, after the PIN check)."""

    def four_wrong_elsewhere() -> None:
        con = other_session(settings)
        con.execute("UPDATE staff SET failed_pins = 4 WHERE id = ?", (shop["zhang"],))
        con.close()

    during_the_pin_check(monkeypatch, four_wrong_elsewhere)
    with pytest.raises(SignInError, match="wrong PIN; 张丽 is now locked for 15 min"):
        sign_in(shop["zhang"], "0000", NOW, settings.staff)
    assert Staff.get_by_id(shop["zhang"]).failed_pins == 5


def test_a_pin_reset_while_the_old_pin_is_checked_refuses_the_old_pin(shop, settings,
                                                                        monkeypatch):
    def manager_resets_it() -> None:
        con = other_session(settings)
        con.execute("UPDATE staff SET pin_hash = ? WHERE id = ?",
                    (hash_pin("5678"), shop["zhang"]))
        con.close()

    during_the_pin_check(monkeypatch, manager_resets_it)
    with pytest.raises(SignInError, match="wrong PIN; 4 more tries"):
        sign_in(shop["zhang"], "1234", NOW, settings.staff)
    assert sign_in(shop["zhang"], "5678", NOW, settings.staff).id == shop["zhang"]


def test_a_lock_set_while_the_pin_is_checked_refuses_the_right_pin(shop, settings,
                                                                    monkeypatch):
    def locked_elsewhere() -> None:
        con = other_session(settings)
        con.execute("UPDATE staff SET failed_pins = 5, locked_until = ? WHERE id = ?",
                    (str(NOW + timedelta(minutes=15)), shop["zhang"]))
        con.close()

    during_the_pin_check(monkeypatch, locked_elsewhere)
    with pytest.raises(SignInError, match="locked after 5 wrong PINs; try again in 15 min"):
        sign_in(shop["zhang"], "1234", NOW, settings.staff)


def test_a_guide_is_refused_every_staff_action(shop, settings):
    rules = settings.staff
    with pytest.raises(PermissionDenied, match="only a manager can add staff; 张丽 is a guide"):
        add_staff("小王", "guide", "5555", shop["zhang"], NOW, rules)
    with pytest.raises(PermissionDenied, match="only a manager can change the staff list"):
        set_active(shop["liu"], False, shop["zhang"], NOW)
    with pytest.raises(PermissionDenied, match="only a manager can reset another's PIN"):
        reset_pin(shop["liu"], "9999", shop["zhang"], NOW, rules)
    with pytest.raises(PermissionDenied, match="only a manager can read the audit log"):
        audit_entries(shop["zhang"])
    assert Staff.select().count() == 3 and Staff.get_by_id(shop["liu"]).active
    assert pin_matches("2468", Staff.get_by_id(shop["liu"]).pin_hash)
    assert AuditLog.select().count() == 0


def test_a_manager_adds_deactivates_and_resets(shop, settings):
    rules = settings.staff
    new = add_staff("小王", "guide", "5555", shop["boss"], NOW, rules)
    assert sign_in(new, "5555", NOW, rules).name == "小王"
    with pytest.raises(StaffError, match="already on the staff list"):
        add_staff("小王", "guide", "5555", shop["boss"], NOW, rules)
    with pytest.raises(StaffError, match="at least 4 digits"):
        add_staff("小李", "guide", "12", shop["boss"], NOW, rules)
    with pytest.raises(StaffError, match="digits only"):
        add_staff("小李", "guide", "12ab", shop["boss"], NOW, rules)
    set_active(new, False, shop["boss"], NOW)
    with pytest.raises(SignInError):
        sign_in(new, "5555", NOW, rules)
    with pytest.raises(StaffError, match="cannot deactivate yourself"):
        set_active(shop["boss"], False, shop["boss"], NOW)
    # a locked guide: the reset lifts the lock at once
    Staff.update(locked_until=NOW + timedelta(minutes=10), failed_pins=5).where(
        Staff.id == shop["zhang"]).execute()
    reset_pin(shop["zhang"], "4321", shop["boss"], NOW, rules)
    assert sign_in(shop["zhang"], "4321", NOW, rules).id == shop["zhang"]
    lines = audit_entries(shop["boss"])
    # every sign-in is audited too (tests/unit/test_audit_trail.py); the manager's actions:
    assert [(a.who, a.action, a.subject) for a in lines if not a.action.startswith("sign in")] == [
        ("王店长", "pin reset", "张丽"), ("王店长", "staff deactivate", "小王"),
        ("王店长", "staff add", "小王")]
    assert [(a.who, a.action, a.subject) for a in lines if a.action.startswith("sign in")] == [
        ("张丽", "sign in", "张丽"), ("小王", "sign in refused", "小王"), ("小王", "sign in", "小王")]
