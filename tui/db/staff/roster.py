"""Staff and sign-in: PINs as salted scrypt hashes, the lock after wrong PINs, and the
manager's staff actions (add, deactivate, reactivate, reset a PIN), each audited.

A PIN is never stored or logged: only `scrypt$N$r$p$salt$hash`, checked in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import JOIN

from tui.db.audit import PermissionDenied, audit, require_manager
from tui.db.models import AuditLog, Staff, database
from tui.settings import StaffSettings

#: scrypt cost: about 40 ms and 16 MiB per check on the shop's box; slow for a guesser
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
ROLES = ("guide", "manager")


class SignInError(Exception):
    """Not signed in; str() is the one line to show."""


class StaffError(ValueError):
    """A staff change that cannot be made as asked; str() is the one line to show."""


def hash_pin(pin: str, salt: bytes | None = None, n: int = SCRYPT_N) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                             p=int(p), dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def check_pin(pin: str, rules: StaffSettings) -> str:
    """The PIN if it may be set, else StaffError saying why."""
    if not pin.isdigit() or not pin.isascii():
        raise StaffError("a PIN is digits only")
    if len(pin) < rules.pin_min_length:
        raise StaffError(f"a PIN has at least {rules.pin_min_length} digits")
    if len(pin) > 12:
        raise StaffError("a PIN has at most 12 digits")
    return pin


def sign_in(staff_id: int, pin: str, now: datetime, rules: StaffSettings) -> Staff:
    """The staff member, once their PIN is right; else SignInError.

    `rules.lockout_attempts` wrong PINs in a row lock the name for `rules.lockout_minutes`;
    while locked even the right PIN is refused. The lock is audited.
    """
    with database.atomic("IMMEDIATE"):
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None or not staff.active:
            raise SignInError("that name is not an active member of staff; ask a manager")
        if staff.locked_until is not None and staff.locked_until > now:
            minutes = max(1, round((staff.locked_until - now).total_seconds() / 60))
            raise SignInError(f"{staff.name} is locked after {rules.lockout_attempts} wrong PINs; "
                              f"try again in {minutes} min or ask a manager to reset the PIN")
        if not staff.pin_hash:
            raise SignInError(f"{staff.name} has no PIN yet; ask a manager to set one "
                              f"(or run: shopfloor pin {staff.name})")
        if pin_matches(pin, staff.pin_hash):
            Staff.update(failed_pins=0, locked_until=None).where(Staff.id == staff_id).execute()
            staff.failed_pins, staff.locked_until = 0, None
            return staff
        # a lock that ran out starts the count anew
        failed = (0 if staff.locked_until is not None else staff.failed_pins) + 1
        locked = failed >= rules.lockout_attempts
        until = now + timedelta(minutes=rules.lockout_minutes) if locked else None
        Staff.update(failed_pins=failed, locked_until=until).where(Staff.id == staff_id).execute()
        if locked:
            audit(staff_id, now, "lock", staff.name,
                  f"{failed} wrong PINs in a row; locked for {rules.lockout_minutes} min")
    # raised after the block: the count and the lock are written, not rolled back
    if locked:
        raise SignInError(f"wrong PIN; {staff.name} is now locked for {rules.lockout_minutes} min")
    left = rules.lockout_attempts - failed
    raise SignInError(f"wrong PIN; {left} more {'try' if left == 1 else 'tries'} before "
                      f"{staff.name} is locked")


def staff_by_name(name: str) -> Staff:
    staff = Staff.get_or_none(Staff.name == name.strip())
    if staff is None:
        names = ", ".join(s.name for s in Staff.select(Staff.name).where(Staff.active == True)  # noqa: E712
                          .order_by(Staff.id))
        raise SignInError(f"no staff member named {name.strip()!r}; one of: {names}")
    return staff


@dataclass(frozen=True)
class StaffLine:
    id: int
    name: str
    role: str
    active: bool
    has_pin: bool
    locked_until: datetime | None


def staff_list() -> list[StaffLine]:
    """Everyone, active first, managers first."""
    return [StaffLine(s.id, s.name, s.role, s.active, bool(s.pin_hash), s.locked_until)
            for s in Staff.select().order_by(Staff.active.desc(), Staff.role.desc(), Staff.id)]


def add_staff(name: str, role: str, pin: str, actor_id: int, now: datetime,
              rules: StaffSettings) -> int:
    name = name.strip()
    if not name:
        raise StaffError("the name is empty; type the name the staff member goes by")
    if len(name) > 20:
        raise StaffError(f"the name is {len(name)} characters; keep it to 20")
    if role not in ROLES:
        raise StaffError("the role is guide or manager")
    digest = hash_pin(check_pin(pin, rules))
    with database.atomic("IMMEDIATE"):
        manager = require_manager(actor_id, "add staff")
        if Staff.get_or_none(Staff.name == name) is not None:
            raise StaffError(f"{name} is already on the staff list; choose another name")
        staff = Staff.create(name=name, role=role, created_at=now, pin_hash=digest)
        audit(manager.id, now, "staff add", name, f"added as {role}")
    return staff.id


def set_active(staff_id: int, active: bool, actor_id: int, now: datetime) -> None:
    """Deactivate (the name can no longer sign in; history stays) or reactivate."""
    with database.atomic("IMMEDIATE"):
        manager = require_manager(actor_id, "change the staff list")
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise StaffError(f"no staff member {staff_id}")
        if not active and staff.id == manager.id:
            raise StaffError("you cannot deactivate yourself; another manager can")
        if not active and staff.role == "manager" and Staff.select().where(
                (Staff.role == "manager") & (Staff.active == True)).count() <= 1:  # noqa: E712
            raise StaffError(f"{staff.name} is the last active manager; add another first")
        Staff.update(active=active).where(Staff.id == staff_id).execute()
        audit(manager.id, now, "staff activate" if active else "staff deactivate", staff.name)


def reset_pin(staff_id: int, pin: str, actor_id: int, now: datetime, rules: StaffSettings) -> None:
    """A new PIN, which also lifts a lock. A manager's action, or anyone's own PIN."""
    digest = hash_pin(check_pin(pin, rules))
    with database.atomic("IMMEDIATE"):
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise StaffError(f"no staff member {staff_id}")
        actor = require_manager(actor_id, "reset another's PIN") if actor_id != staff_id else staff
        Staff.update(pin_hash=digest, failed_pins=0, locked_until=None) \
            .where(Staff.id == staff_id).execute()
        audit(actor.id, now, "pin reset", staff.name,
              "own PIN changed" if actor_id == staff_id else "PIN reset by a manager")


def set_pin_at_the_computer(staff_id: int, pin: str, now: datetime, rules: StaffSettings) -> str:
    """`shopfloor pin NAME`: a first or forgotten PIN set by whoever runs commands on the
    shop's computer (they can change its database file anyway); lifts a lock, audited
    with nobody signed in. Returns the staff member's name."""
    digest = hash_pin(check_pin(pin, rules))
    with database.atomic("IMMEDIATE"):
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise StaffError(f"no staff member {staff_id}")
        Staff.update(pin_hash=digest, failed_pins=0, locked_until=None) \
            .where(Staff.id == staff_id).execute()
        audit(None, now, "pin reset", staff.name, "PIN set at the command line")
    return staff.name


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime
    who: str
    action: str
    subject: str
    detail: str


def audit_entries(actor_id: int, limit: int = 200, before_id: int | None = None) -> list[AuditLine]:
    """The newest audit lines first; only a manager may read them."""
    require_manager(actor_id, "read the audit log")
    query = (AuditLog.select(AuditLog, Staff.name).join(Staff, JOIN.LEFT_OUTER)
             .order_by(AuditLog.id.desc()).limit(limit))
    if before_id is not None:
        query = query.where(AuditLog.id < before_id)
    return [AuditLine(a.id, a.at, (a.staff.name if a.staff is not None else None) or "—", a.action,
                      a.subject, a.detail) for a in query]


__all__ = ["PermissionDenied", "SignInError", "StaffError", "add_staff", "audit_entries",
           "check_pin", "hash_pin", "pin_matches", "reset_pin", "set_active", "set_pin_at_the_computer",
           "sign_in",
           "staff_by_name", "staff_list"]
