"""Signing in with a PIN: PINs as salted scrypt hashes checked in constant time, the lock
after wrong PINs, and setting or resetting a PIN, each audited.

A PIN is never stored or logged: only `scrypt$N$r$p$salt$hash`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from tui.db.audit import audit, require_manager
from tui.db.models import Staff, database
from tui.errors import ShopfloorError
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
        raise StaffError("a PIN is digits only")
    if len(pin) < rules.pin_min_length:
        raise StaffError(f"a PIN has at least {rules.pin_min_length} digits")
    if len(pin) > 12:
        raise StaffError("a PIN has at most 12 digits")
    return pin


def _refusal(staff: Staff | None, now: datetime, rules: StaffSettings) -> SignInError | None:
    """Why `staff` may not sign in whatever the PIN (not active, locked, no PIN), or None."""
    if staff is None or not staff.active:
        return SignInError("that name is not an active member of staff; ask a manager")
    if staff.locked_until is not None and staff.locked_until > now:
        minutes = max(1, round((staff.locked_until - now).total_seconds() / 60))
        return SignInError(f"{staff.name} is locked after {rules.lockout_attempts} wrong PINs; "
                           f"try again in {minutes} min or ask a manager to reset the PIN")
    if not staff.pin_hash:
        return SignInError(f"{staff.name} has no PIN yet; ask a manager to set one "
                           f"(or run: shopfloor pin {staff.name})")
    return None


def sign_in(staff_id: int, pin: str, now: datetime, rules: StaffSettings) -> Staff:
    """The staff member, once their PIN is right; else SignInError.

    `rules.lockout_attempts` wrong PINs in a row lock the name for `rules.lockout_minutes`;
    while locked even the right PIN is refused. The lock is audited.

    The PIN check (scrypt, some 40 ms by design) runs before the write lock is taken, so
    other sessions' writes do not wait behind it; under the lock the row is read again,
    and the outcome written from it as it is then: a wrong PIN typed meanwhile in another
    session counts too, a lock set meanwhile refuses, a PIN reset meanwhile is checked anew.
    """
    staff = Staff.get_or_none(Staff.id == staff_id)
    while True:
        refused = _refusal(staff, now, rules)
        if refused is not None:
            raise refused
        checked = staff.pin_hash
        right = pin_matches(pin, checked)
        with database.atomic("IMMEDIATE"):
            staff = Staff.get_or_none(Staff.id == staff_id)
            refused = _refusal(staff, now, rules)
            if refused is not None:
                raise refused
            if staff.pin_hash != checked:
                continue  # reset meanwhile: check the PIN against the new one
            if right:
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
        break
    # raised after the block: the count and the lock are written, not rolled back
    if locked:
        raise SignInError(f"wrong PIN; {staff.name} is now locked for {rules.lockout_minutes} min")
    left = rules.lockout_attempts - failed
    raise SignInError(f"wrong PIN; {left} more {'try' if left == 1 else 'tries'} before "
                      f"{staff.name} is locked")


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
