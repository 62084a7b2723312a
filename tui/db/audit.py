"""Who may do what, and the record of it.

Manager-only actions are refused here, in the data layer, so that no screen or command
can skip the check; each one allowed is written to the audit log in the same
transaction as the change itself. A refusal rolls its transaction back, so the screen or
command that shows it writes it with `record_refusal`, in a transaction of its own: the
one worker-failure handler of the screens, and `shopfloor`'s main.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime

from tui.db.models import AuditLog, Staff, database
from tui.errors import ShopfloorError
from tui.i18n import _


class PermissionDenied(ShopfloorError, PermissionError):
    """The person at the keyboard may not do this; str() is the one line to show, and
    `staff_id` who was refused (None: nobody signed in), for `record_refusal`."""

    def __init__(self, words: str, staff_id: int | None = None) -> None:
        super().__init__(words)
        self.staff_id = staff_id


def acting_staff(staff_id: int) -> Staff:
    """The active staff member doing something, or PermissionDenied."""
    staff = Staff.get_or_none((Staff.id == staff_id) & (Staff.active == True))  # noqa: E712
    if staff is None:
        raise PermissionDenied(_("nobody active is signed in; sign in as a guide or manager first"),
                               staff_id)
    return staff


def require_manager(staff_id: int, doing: str) -> Staff:
    """The manager doing `doing` ("erase a member"), or PermissionDenied naming it; `doing`
    is translated here when the catalogue has it (mark it N_ where it is written)."""
    staff = acting_staff(staff_id)
    if staff.role != "manager":
        raise PermissionDenied(_("only a manager can {doing}; {name} is a guide").format(
            doing=_(doing), name=staff.name), staff.id)
    return staff


def audit(staff_id: int | None, now: datetime, action: str, subject: str = "",
          detail: str = "") -> int:
    """Write one line of the audit log (inside the caller's transaction); return its id."""
    return AuditLog.create(staff=staff_id, at=now, action=action, subject=subject,
                           detail=detail).id


def session_origin(environ: Mapping[str, str] | None = None) -> str:
    """Where this session comes from, for the audit log: "ssh 203.0.113.5" (the client's
    address, from SSH_CLIENT or SSH_CONNECTION) or "local terminal"."""
    environ = os.environ if environ is None else environ
    for variable in ("SSH_CLIENT", "SSH_CONNECTION"):
        words = (environ.get(variable) or "").split()
        if words:
            return f"ssh {words[0]}"
    return "local terminal"


def record_refusal(staff_id: int | None, now: datetime, words: str,
                   origin: str | None = None) -> None:
    """Write a refused attempt (`words`: the one line the person was shown) to the audit
    log, with who tried (when on file) and where from, in its own transaction."""
    origin = origin or session_origin()
    with database.atomic("IMMEDIATE"):
        staff = Staff.get_or_none(Staff.id == staff_id) if staff_id else None
        audit(staff.id if staff else None, now, "refused", staff.name if staff else "",
              f"{words.rstrip('.')}; from {origin}")
