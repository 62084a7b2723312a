"""Who may do what, and the record of it.

Manager-only actions are refused here, in the data layer, so that no screen or command
can skip the check; each one allowed is written to the audit log in the same
transaction as the change itself.
"""

from __future__ import annotations

from datetime import datetime

from tui.db.models import AuditLog, Staff
from tui.errors import ShopfloorError


class PermissionDenied(ShopfloorError, PermissionError):
    """The person at the keyboard may not do this; str() is the one line to show."""


def acting_staff(staff_id: int) -> Staff:
    """The active staff member doing something, or PermissionDenied."""
    staff = Staff.get_or_none((Staff.id == staff_id) & (Staff.active == True))  # noqa: E712
    if staff is None:
        raise PermissionDenied("nobody active is signed in; sign in as a guide or manager first")
    return staff


def require_manager(staff_id: int, doing: str) -> Staff:
    """The manager doing `doing` ("erase a member"), or PermissionDenied naming it."""
    staff = acting_staff(staff_id)
    if staff.role != "manager":
        raise PermissionDenied(f"only a manager can {doing}; {staff.name} is a guide")
    return staff


def audit(staff_id: int | None, now: datetime, action: str, subject: str = "",
          detail: str = "") -> int:
    """Write one line of the audit log (inside the caller's transaction); return its id."""
    return AuditLog.create(staff=staff_id, at=now, action=action, subject=subject,
                           detail=detail).id
