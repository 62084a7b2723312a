"""Sign-in with a PIN, the lock after wrong PINs, roles, and the staff actions of a manager."""

from __future__ import annotations

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
