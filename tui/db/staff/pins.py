"""Signing in with a PIN: PINs as salted scrypt hashes checked in constant time, the lock
after wrong PINs, and setting or resetting a PIN, each audited.

A PIN is never stored or logged: only `scrypt$N$r$p$salt$hash`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from tui.db.audit import PermissionDenied, audit, require_manager, session_origin
from tui.db.connection import read_only
from tui.db.models import Staff, database
from tui.errors import ShopfloorError
from tui.i18n import _, ngettext
from tui.settings import StaffSettings

#: scrypt cost: about 40 ms and 16 MiB per check on the shop's box; slow for a guesser
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1

class SignInError(ShopfloorError):
    """Not signed in; str() is the one line to show."""


class StaffError(ShopfloorError, ValueError):
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
        raise StaffError(_("a PIN is digits only"))
    if len(pin) < rules.pin_min_length:
        raise StaffError(ngettext("a PIN has at least {n} digit", "a PIN has at least {n} digits",
                                  rules.pin_min_length).format(n=rules.pin_min_length))
    if len(pin) > 12:
        raise StaffError(_("a PIN has at most {n} digits").format(n=12))
    return pin


def sign_in(staff_id: int, pin: str, now: datetime, rules: StaffSettings,
            origin: str | None = None) -> Staff:
    """The staff member, once their PIN is right; else SignInError.

    `rules.lockout_attempts` wrong PINs in a row lock the name for `rules.lockout_minutes`;
    while locked even the right PIN is refused. Every try is audited, right or wrong, with
    where it came from (`origin`, by default this session's: tui.db.audit.session_origin).

    The PIN check (scrypt, some 40 ms by design) runs before the write lock is taken, so
    other sessions' writes do not wait behind it; under the lock the row is read again,
    and the outcome written from it as it is then: a wrong PIN typed meanwhile in another
    session counts too, a lock set meanwhile refuses, a PIN reset meanwhile is checked anew.
    """
    origin = origin or session_origin()
    staff = Staff.get_or_none(Staff.id == staff_id)
    if read_only():  # a read-only copy is read with the same PIN; nothing can be counted there
        refused = _refusal(staff, now, rules) or (None if pin_matches(pin, staff.pin_hash)
                                                  else _("wrong PIN (a read-only database: not counted)"))
        if refused:
            raise SignInError(refused)
        return staff
    while True:
        checked = staff.pin_hash if _refusal(staff, now, rules) is None else None
        right = checked is not None and pin_matches(pin, checked)
        with database.atomic("IMMEDIATE"):
            staff = Staff.get_or_none(Staff.id == staff_id)
            refused = _refusal(staff, now, rules)
            if refused is None and staff.pin_hash != checked:
                continue  # reset meanwhile: check the PIN against the new one
            if refused is None and right:
                Staff.update(failed_pins=0, locked_until=None).where(Staff.id == staff_id).execute()
                staff.failed_pins, staff.locked_until = 0, None
                audit(staff.id, now, "sign in", staff.name, f"from {origin}")
                return staff
            if refused is None:
                refused = _wrong_pin(staff, now, rules)
            audit(staff.id if staff else None, now, "sign in refused", staff.name if staff else "",
                  f"{refused}; from {origin}")
        # raised after the block: the count, the lock and the refusal are written, not rolled back
        raise SignInError(refused)


def _refusal(staff: Staff | None, now: datetime, rules: StaffSettings) -> str | None:
    """Why this name may not sign in whatever the PIN, or None."""
    if staff is None or not staff.active:
        return _("that name is not an active member of staff; ask a manager")
    if staff.locked_until is not None and staff.locked_until > now:
        minutes = max(1, round((staff.locked_until - now).total_seconds() / 60))
        return _("{name} is locked after {attempts} wrong PINs; try again in {minutes} min or "
                 "ask a manager to reset the PIN").format(name=staff.name,
                                                         attempts=rules.lockout_attempts,
                                                         minutes=minutes)
    if not staff.pin_hash:
        return _("{name} has no PIN yet; ask a manager to set one (or run: shopfloor pin "
                 "{name})").format(name=staff.name)
    return None


def _wrong_pin(staff: Staff, now: datetime, rules: StaffSettings) -> str:
    """Count a wrong PIN (a lock that ran out starts the count anew); lock at the limit."""
    failed = (0 if staff.locked_until is not None else staff.failed_pins) + 1
    locked = failed >= rules.lockout_attempts
    until = now + timedelta(minutes=rules.lockout_minutes) if locked else None
    Staff.update(failed_pins=failed, locked_until=until).where(Staff.id == staff.id).execute()
    if locked:
        audit(staff.id, now, "lock", staff.name,
              f"{failed} wrong PINs in a row; locked for {rules.lockout_minutes} min")
        return _("wrong PIN; {name} is now locked for {minutes} min").format(
            name=staff.name, minutes=rules.lockout_minutes)
    left = rules.lockout_attempts - failed
    return ngettext("wrong PIN; {n} more try before {name} is locked",
                    "wrong PIN; {n} more tries before {name} is locked", left).format(
                        n=left, name=staff.name)


def reset_pin(staff_id: int, pin: str, actor_id: int, now: datetime, rules: StaffSettings) -> None:
    """A new PIN, which also lifts a lock. A manager's action, or anyone's own PIN."""
    digest = hash_pin(check_pin(pin, rules))
    with database.atomic("IMMEDIATE"):
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise StaffError(_("no staff member {id}").format(id=staff_id))
        actor = require_manager(actor_id, _("reset another's PIN")) if actor_id != staff_id else staff
        Staff.update(pin_hash=digest, failed_pins=0, locked_until=None) \
            .where(Staff.id == staff_id).execute()
        audit(actor.id, now, "pin reset", staff.name,
              "own PIN changed" if actor_id == staff_id else "PIN reset by a manager")


def first_pin_refusal(staff_id: int, origin: str | None = None) -> str | None:
    """Why `shopfloor pin NAME` without a signed-in person may not set this PIN, or None.

    With nobody signed in, a PIN is set only in an empty shop (nobody has a PIN yet), or
    as a person's first PIN at the shop's own computer (not over SSH): whoever runs
    commands there can change the database file anyway. Any other PIN is a manager's to
    reset, or its owner's to change, signed in (`--as`)."""
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None or not Staff.select().where(Staff.pin_hash != "").exists():
        return None
    if staff.pin_hash:
        return _("{name} has a PIN already; a manager resets it: shopfloor pin {name} --as "
                 "MANAGER (or {name} changes it with --as {name})").format(name=staff.name)
    if (origin or session_origin()) != "local terminal":
        return _("{name} has no PIN yet; over SSH a manager sets it: shopfloor pin {name} "
                 "--as MANAGER").format(name=staff.name)
    return None


def set_pin_at_the_computer(staff_id: int, pin: str, now: datetime, rules: StaffSettings,
                            origin: str | None = None) -> str:
    """`shopfloor pin NAME` with nobody signed in: a first PIN, where `first_pin_refusal`
    allows it, else PermissionDenied; audited with nobody signed in. Returns the name."""
    digest = hash_pin(check_pin(pin, rules))
    with database.atomic("IMMEDIATE"):
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise StaffError(_("no staff member {id}").format(id=staff_id))
        refused = first_pin_refusal(staff_id, origin)
        if refused is not None:
            raise PermissionDenied(refused)
        Staff.update(pin_hash=digest, failed_pins=0, locked_until=None) \
            .where(Staff.id == staff_id).execute()
        audit(None, now, "pin reset", staff.name, "PIN set at the command line")
    return staff.name
