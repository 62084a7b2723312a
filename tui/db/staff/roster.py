"""The shop's staff list: who is on file, who is an active guide, staff by name, and the
manager's staff actions (add, deactivate, reactivate), each audited; the audit log's view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from peewee import JOIN, fn

from tui.db.audit import audit, require_manager
from tui.db.models import AuditLog, Member, Product, Purchase, Staff, database
from tui.db.pinyin import name_order
from tui.db.staff.pins import StaffError, check_pin, hash_pin
from tui.i18n import LANGUAGES, N_, _
from tui.settings import StaffSettings
from tui.text import entered, text_problem

ROLES = ("guide", "manager")
#: what each role is called on screen (the code stays English in the database and JSON)
_ROLE_WORDS = {"guide": N_("guide"), "manager": N_("manager")}


def role_words(role: str) -> str:
    """A role as a person reads it, in the language spoken now: 导购, 店长."""
    return _(_ROLE_WORDS.get(role, role))


class Guide(NamedTuple):
    id: int
    name: str


def active_guides(by_name: bool = False) -> list[Guide]:
    """The active staff with the role guide: who holds members, is given calls and is ranked
    (managers are not). On file longest first (the order ties are broken in), or by name."""
    found = [Guide(s.id, s.name) for s in Staff.select(Staff.id, Staff.name)
             .where((Staff.role == "guide") & (Staff.active == True))  # noqa: E712
             .order_by(Staff.id)]
    return sorted(found, key=lambda g: name_order(g.name)) if by_name else found


def active_staff(by_name: bool = True) -> list[Staff]:
    """Everyone who may sign in and work: managers first, then by name in pinyin order (or
    as on file: the sign-in screen, which must not wait for pypinyin)."""
    found = list(Staff.select().where(Staff.active == True)  # noqa: E712
                 .order_by(Staff.role.desc(), Staff.id))
    if by_name:
        found.sort(key=lambda s: (s.role != "manager", name_order(s.name)))
    return found


def guides(with_inactive: bool = False) -> list[Staff]:
    """The guides, active ones first, as on file; the inactive too when asked (a hand-over)."""
    query = Staff.select().where(Staff.role == "guide")
    if not with_inactive:
        query = query.where(Staff.active == True)  # noqa: E712
    return list(query.order_by(Staff.active.desc(), Staff.id))


def staff_by_id(staff_id: int) -> Staff | None:
    """The staff member on file with this id, active or not."""
    return Staff.get_or_none(Staff.id == staff_id)


def staff_named(name: str, active: bool = True) -> Staff | None:
    """A staff member by exact name (case-insensitive for Latin names); active ones only
    unless `active` is False."""
    query = Staff.select().where(fn.LOWER(Staff.name) == name.strip().lower())
    if active:
        query = query.where(Staff.active == True)  # noqa: E712
    return query.first()


@dataclass(frozen=True)
class StaffLine:
    id: int
    name: str
    role: str
    active: bool
    has_pin: bool
    locked_until: datetime | None
    #: her own language after sign-in ("zh-CN", "en"); None: the shop's
    language: str | None = None


def staff_list() -> list[StaffLine]:
    """Everyone, active first, managers first."""
    return [StaffLine(s.id, s.name, s.role, s.active, bool(s.pin_hash), s.locked_until,
                      s.language)
            for s in Staff.select().order_by(Staff.active.desc(), Staff.role.desc(), Staff.id)]


#: the longest staff name (it fits the queue's owner column shortened, whole on the boards)
STAFF_NAME_MAX = 20


def add_staff(name: str, role: str, pin: str, actor_id: int, now: datetime,
              rules: StaffSettings) -> int:
    name = entered(name)
    if not name:
        raise StaffError(_("the name is empty; type the name the staff member goes by"))
    problem = text_problem(_("the name"), name, STAFF_NAME_MAX)
    if problem:
        raise StaffError(problem)
    if role not in ROLES:
        raise StaffError(_("the role is guide or manager"))
    digest = hash_pin(check_pin(pin, rules))
    with database.atomic("IMMEDIATE"):
        manager = require_manager(actor_id, _("add staff"))
        if Staff.get_or_none(Staff.name == name) is not None:
            raise StaffError(_("{name} is already on the staff list; choose another name")
                             .format(name=name))
        staff = Staff.create(name=name, role=role, created_at=now, pin_hash=digest)
        audit(manager.id, now, "staff add", name, f"added as {role}")
    return staff.id


def shop_is_empty() -> bool:
    """Nobody on the staff list, no member, no product, no sale: a shop not yet begun."""
    return not any(model.select().exists() for model in (Staff, Member, Product, Purchase))


def add_first_manager(name: str, pin: str, now: datetime, rules: StaffSettings) -> int:
    """The shop's first manager, with her PIN, with nobody signed in: only while the staff
    list is empty (`shopfloor init`, the first-run screen); audited as hers."""
    name = entered(name)
    if not name:
        raise StaffError(_("the name is empty; type the name the staff member goes by"))
    if "\n" in name or any(ord(ch) < 32 for ch in name):
        raise StaffError(_("no control characters, please"))
    if len(name) > STAFF_NAME_MAX:
        raise StaffError(_("{n} characters; at most {limit}").format(n=len(name),
                                                                     limit=STAFF_NAME_MAX))
    digest = hash_pin(check_pin(pin, rules))
    with database.atomic("IMMEDIATE"):
        if Staff.select().exists():
            raise StaffError(_("the shop already has staff; a manager signs in and adds more "
                               "on the staff screen"))
        staff = Staff.create(name=name, role="manager", created_at=now, pin_hash=digest)
        audit(staff.id, now, "shop started", name, "first manager")
    return staff.id


def set_active(staff_id: int, active: bool, actor_id: int, now: datetime) -> None:
    """Deactivate (the name can no longer sign in; history stays) or reactivate."""
    with database.atomic("IMMEDIATE"):
        manager = require_manager(actor_id, _("change the staff list"))
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise StaffError(_("no staff member {id}").format(id=staff_id))
        if not active and staff.id == manager.id:
            raise StaffError(_("you cannot deactivate yourself; another manager can"))
        if not active and staff.role == "manager" and Staff.select().where(
                (Staff.role == "manager") & (Staff.active == True)).count() <= 1:  # noqa: E712
            raise StaffError(_("{name} is the last active manager; add another first")
                             .format(name=staff.name))
        Staff.update(active=active).where(Staff.id == staff_id).execute()
        audit(manager.id, now, "staff activate" if active else "staff deactivate", staff.name)


def set_language(staff_id: int, code: str | None, actor_id: int, now: datetime) -> None:
    """Her own language after sign-in ("zh-CN", "en"), or None for the shop's: a manager's
    change for anyone, or a person's own; audited."""
    if code is not None and code not in LANGUAGES:
        raise StaffError(_("the language is one of {codes}").format(codes=", ".join(LANGUAGES)))
    with database.atomic("IMMEDIATE"):
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise StaffError(_("no staff member {id}").format(id=staff_id))
        actor = (require_manager(actor_id, _("change another's language"))
                 if actor_id != staff_id else staff)
        Staff.update(language=code).where(Staff.id == staff_id).execute()
        audit(actor.id, now, "staff language", staff.name, code or "the shop's")


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
    require_manager(actor_id, _("read the audit log"))
    query = (AuditLog.select(AuditLog, Staff.name).join(Staff, JOIN.LEFT_OUTER)
             .order_by(AuditLog.id.desc()).limit(limit))
    if before_id is not None:
        query = query.where(AuditLog.id < before_id)
    return [AuditLine(a.id, a.at, (a.staff.name if a.staff is not None else None) or "—", a.action,
                      a.subject, a.detail) for a in query]
