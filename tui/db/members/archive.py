"""Writing the archive: register a member, edit every field, add a child, merge two
records of one person, and, for a manager, export or erase a member on request.

Everything typed is checked first by `validate_member`, which names the field and what
to change; nothing is written until every field is valid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from tui.clock import local_day
from tui.db.archive_log import filled_fields, record_archive_change
from tui.db.audit import PermissionDenied, acting_staff, audit, require_manager
from tui.db.privacy import Viewer
from tui.db.callbacks.raising import refresh_member
from tui.db.members.corrections import scrub_corrections
from tui.db.models import (AuditLog, Callback, Child, Contact, Member, MemberNote, Product,
                           Purchase, PurchaseLine, Staff, database)
from tui.errors import ShopfloorError
from tui.i18n import N_, _, language
from tui.settings import Settings
from tui.text import entered, entry_problem

#: the archive fields a form edits, in the order the form shows them, with their labels
FORM_FIELDS: tuple[tuple[str, str], ...] = (
    ("phone", N_("Phone")), ("name", N_("Name")), ("gender", N_("Gender 女/男")),
    ("birthday", N_("Birthday")), ("age_approx", N_("Age (no birthday)")),
    ("nationality", N_("Nationality")), ("email", N_("E-mail")), ("address", N_("Address")),
    ("occupation", N_("Occupation")), ("family", N_("Family")),
    ("personality", N_("Personality")), ("shopping_habits", N_("Shopping habits")),
    ("style", N_("Style")), ("hobbies", N_("Hobbies")), ("lifestyle", N_("Lifestyle")),
    ("values", N_("Values")),
)
#: the phone hint of the repository's settings.toml and of the settings' default, so that
#: the form's error is in the language spoken ([archive] phone_hint, a shop's own words, is
#: shown as written)
PHONE_HINTS = (N_("11 digits starting with 1, such as 13812345678"),
               N_("11 digits starting with 1"))
#: the fields of the short form at the register
REGISTER_FIELDS = ("phone", "name", "gender", "birthday")

#: longest text each field takes
MAX_LENGTH = {"name": 30, "nationality": 30, "email": 100, "address": 200}
SOFT_MAX = 500
GENDERS = {"女": "女", "f": "女", "男": "男", "m": "男"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_DROPPED_IN_PHONE = re.compile(r"[\s\-()+]")
#: how the erased member reads wherever the name would be
ERASED_NAME = "（已删除）"


class FieldErrors(ShopfloorError, ValueError):
    """What to change, by field name; str() is the first problem, for one-line output."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        field, text = next(iter(errors.items()))
        super().__init__(f"{field}: {text}")


class ArchiveError(ShopfloorError, ValueError):
    """A write that cannot be done as asked; str() is the one line to show."""


class PhoneOnFile(ArchiveError):
    """The phone belongs to a member already on file: offer that member instead."""

    def __init__(self, member_id: int, member_no: str, name: str, phone: str) -> None:
        self.member_id, self.member_no, self.name, self.phone = member_id, member_no, name, phone
        super().__init__(_("{phone} is already on file: {name} {member_no}").format(
            phone=phone, name=name, member_no=member_no))


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD as a real date; None if it is not one."""
    text = text.strip().replace("/", "-").replace(".", "-")
    if re.fullmatch(r"[0-9]{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if not re.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", text):
        return None
    year, month, day = (int(p) for p in text.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def clean_phone(text: str) -> str:
    return _DROPPED_IN_PHONE.sub("", text)


def validate_member(values: Mapping[str, str], today: date, settings: Settings,
                    *, required: tuple[str, ...] = ("phone", "name")) -> dict[str, object]:
    """The typed values made ready to store (empty text becomes None), or FieldErrors
    with one message per wrong field. Fields not in `values` are left out."""
    errors: dict[str, str] = {}
    clean: dict[str, object] = {}
    archive = settings.archive
    for field, raw in values.items():
        text = entered(raw)
        if not text:
            if field in required:
                errors[field] = _("required")
            clean[field] = None
            continue
        problem = entry_problem(text, MAX_LENGTH.get(field, SOFT_MAX))
        if problem:
            errors[field] = problem
            continue
        if field == "phone":
            phone = clean_phone(text)
            if not re.fullmatch(archive.phone_pattern, phone):
                errors[field] = _("{text} is not a phone number here: {hint}").format(
                    text=text, hint=_(archive.phone_hint))
            clean[field] = phone
        elif field == "gender":
            gender = GENDERS.get(text.lower())
            if gender is None:
                errors[field] = _("type 女 or 男 (F or M), or leave it empty")
            clean[field] = gender
        elif field == "birthday":
            day = parse_day(text)
            if day is None:
                errors[field] = _("{text} is not a real date; use YYYY-MM-DD").format(text=text)
            elif day > today:
                errors[field] = _("{day} is in the future").format(day=day.isoformat())
            elif day.year < today.year - 120:
                errors[field] = _("{day} is more than 120 years ago").format(day=day.isoformat())
            clean[field] = day
        elif field == "age_approx":
            if not text.isdigit() or not 12 <= int(text) <= 120:
                errors[field] = _("a whole number of years from 12 to 120")
            else:
                clean[field] = int(text)
        elif field == "email":
            if not _EMAIL.fullmatch(text):
                errors[field] = _("{text} is not an e-mail address such as mei@qq.com").format(
                    text=text)
            clean[field] = text
        else:
            clean[field] = text
    if errors:
        raise FieldErrors(errors)
    return clean


def _phone_owner(phone: str | None, other_than: int | None = None) -> None:
    if not phone:
        return
    query = Member.select(Member.id, Member.member_no, Member.name).where(Member.phone == phone)
    if other_than is not None:
        query = query.where(Member.id != other_than)
    found = query.first()
    if found is not None:
        raise PhoneOnFile(found.id, found.member_no, found.name, phone)


def member_on_file(member_id: int, viewer: Viewer | None = None) -> Member:
    """The member's row as stored, for a form to start from: every field, so only for a
    viewer who sees the member whole (tui.db.privacy), else PermissionDenied."""
    member = Member.get_by_id(member_id)
    if viewer is not None and not viewer.sees_in_full(member.owner_id):
        owner = Staff.get_or_none(Staff.id == member.owner_id) if member.owner_id else None
        words = (_("{name} {member_no} is {owner}'s member: she or a manager edits the whole "
                   "archive").format(name=member.name, member_no=member.member_no,
                                     owner=owner.name) if owner else
                 _("{name} {member_no} is nobody's member yet: a guide or a manager edits the "
                   "whole archive").format(name=member.name, member_no=member.member_no))
        raise PermissionDenied(words, viewer.staff_id)
    return member


def member_with_phone(phone: str) -> Member | None:
    """The member this phone (as typed) is on file for, if any."""
    return Member.get_or_none(Member.phone == clean_phone(phone.strip()))


def _refresh(member_id: int, now: datetime, settings: Settings) -> None:
    zone = settings.shop.zone
    refresh_member(member_id, local_day(now, zone), settings.callbacks, zone, now)


def next_member_no() -> str:
    row = database.execute_sql(
        "SELECT max(CAST(substr(member_no, 2) AS INTEGER)) FROM member "
        "WHERE member_no GLOB 'M[0-9]*'").fetchone()
    return f"M{(row[0] or 0) + 1:06d}"


def register_member(values: Mapping[str, str], staff_id: int, now: datetime,
                    settings: Settings) -> int:
    """A new member from the register form; return the id. A guide who registers the
    member becomes their owner; a manager leaves them to be assigned."""
    today = local_day(now, settings.shop.zone)
    clean = validate_member(values, today, settings)
    with database.atomic("IMMEDIATE"):
        staff = acting_staff(staff_id)
        _phone_owner(clean.get("phone"))
        member = Member(member_no=next_member_no(), joined_on=today, created_at=now,
                        owner=staff.id if staff.role == "guide" else None, **clean)
        member.phone_tail = member.phone[-4:] if member.phone else None
        member.save()
        record_archive_change(member, staff.id, now, (), filled_fields(member))
        _refresh(member.id, now, settings)
    return member.id


def _editable(member_id: int) -> Member:
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise ArchiveError(_("member {id} is not on file").format(id=member_id))
    if member.erased_at is not None:
        raise ArchiveError(_("{member_no} was erased on request; it cannot be changed").format(
            member_no=member.member_no))
    return member


def update_member(member_id: int, values: Mapping[str, str], staff_id: int, now: datetime,
                  settings: Settings) -> None:
    """Write the edited fields; the pinyin keys, phone tail and calls follow."""
    clean = validate_member(values, local_day(now, settings.shop.zone), settings,
                            required=("name",))
    with database.atomic("IMMEDIATE"):
        acting_staff(staff_id)
        member = _editable(member_id)
        _phone_owner(clean.get("phone"), other_than=member_id)
        before = filled_fields(member)
        for field, value in clean.items():
            setattr(member, field, value)
        if "phone" in clean:
            member.phone_tail = member.phone[-4:] if member.phone else None
        member.save()
        record_archive_change(member, staff_id, now, before, filled_fields(member))
        _refresh(member_id, now, settings)


def add_child(member_id: int, name: str, day_text: str, staff_id: int, now: datetime,
              settings: Settings) -> int:
    """A child born on a past day, or on the way when the day is ahead (the due date)."""
    today = local_day(now, settings.shop.zone)
    name = entered(name)
    errors: dict[str, str] = {}
    problem = entry_problem(name, MAX_LENGTH["name"])
    if problem:
        errors["child_name"] = problem
    day = parse_day(day_text)
    if not day_text.strip():
        errors["child_day"] = _("the birth date, or the due date of a baby on the way")
    elif day is None:
        errors["child_day"] = _("{text} is not a real date; use YYYY-MM-DD").format(
            text=day_text.strip())
    elif day.year < today.year - 30:
        errors["child_day"] = _("{day} is more than 30 years ago").format(day=day.isoformat())
    elif (day - today).days > 300:
        errors["child_day"] = _("{day} is more than 300 days ahead").format(day=day.isoformat())
    if errors:
        raise FieldErrors(errors)
    with database.atomic("IMMEDIATE"):
        acting_staff(staff_id)
        member = _editable(member_id)
        before = filled_fields(member)
        born = day <= today
        child = Child.create(member=member_id, name=name or None,
                             birth_date=day if born else None, due_date=None if born else day)
        record_archive_change(member, staff_id, now, before, filled_fields(member))
        _refresh(member_id, now, settings)
    return child.id


# -- merging two records of one person ------------------------------------------------

_MERGED_FIELDS = [f for f, _label in FORM_FIELDS]
#: a field as the merge note names it: its form label, as words in a sentence
_NOTE_LABELS = {**{f: label.lower() for f, label in FORM_FIELDS},
                "gender": N_("gender"), "age_approx": N_("age")}


def _note_label(field: str) -> str:
    """The merge note is written in the language of the one who merges: English as the
    form's label in lower case, another language as the form's label translated."""
    if language() == "en":
        return _NOTE_LABELS[field]
    return _(_NOTE_LABELS[field] if field in ("gender", "age_approx")
             else dict(FORM_FIELDS)[field])


def _record(member: Member) -> dict[str, object]:
    """The member row as plain JSON-able values."""
    out = {}
    for field in Member._meta.sorted_fields:
        value = getattr(member, field.name if field.name != "owner" else "owner_id")
        out[field.name] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


@dataclass(frozen=True)
class Merged:
    kept_no: str
    dropped_no: str
    moved: dict[str, int]  #: rows moved over, by kind
    conflicts: tuple[str, ...]  #: fields where both had a different value (kept in a note)


def merge_members(keep_id: int, drop_id: int, staff_id: int, now: datetime,
                  settings: Settings) -> Merged:
    """Fold `drop` into `keep`: every purchase, contact, callback, note and child moves
    over; an empty field of `keep` takes drop's value; where both differ, keep's stays and
    drop's is written into a signed note. Then `drop` is removed and the merge audited,
    with drop's whole record, so that nothing is lost."""
    if keep_id == drop_id:
        raise ArchiveError(_("that is the same member; choose the other record"))
    with database.atomic("IMMEDIATE"):
        staff = acting_staff(staff_id)
        keep, drop = _editable(keep_id), _editable(drop_id)
        record = _record(drop)
        conflicts: list[str] = []
        for field in _MERGED_FIELDS:
            mine, theirs = getattr(keep, field), getattr(drop, field)
            if theirs in (None, ""):
                continue
            if mine in (None, ""):
                setattr(keep, field, theirs)
            elif mine != theirs:
                conflicts.append(f"{_note_label(field)} {theirs}")
        if drop.accepts_promotions is not None and (
                keep.promotions_set_at is None
                or (drop.promotions_set_at and drop.promotions_set_at > keep.promotions_set_at)):
            keep.accepts_promotions = drop.accepts_promotions
            keep.promotions_set_at = drop.promotions_set_at
        if drop.do_not_contact and not keep.do_not_contact:  # the stricter answer stands
            keep.do_not_contact, keep.do_not_contact_set_at = True, drop.do_not_contact_set_at
        keep.owner = keep.owner_id or drop.owner_id
        keep.joined_on = min(keep.joined_on, drop.joined_on)
        keep.total_spend_cents += drop.total_spend_cents
        if drop.last_purchase_at and (keep.last_purchase_at is None
                                      or drop.last_purchase_at > keep.last_purchase_at):
            keep.last_purchase_at = drop.last_purchase_at

        # open calls of the dropped record are raised again for the kept one by the rules;
        # closed ones move with a marked key, as history
        Callback.update(status="cancelled", closed_at=now,
                        detail=Callback.detail.concat(f" (merged into {keep.member_no})")) \
            .where((Callback.member == drop_id) & (Callback.status == "open")).execute()
        moved = {
            "purchases": Purchase.update(member=keep_id).where(Purchase.member == drop_id).execute(),
            "contacts": Contact.update(member=keep_id).where(Contact.member == drop_id).execute(),
            "notes": MemberNote.update(member=keep_id).where(MemberNote.member == drop_id).execute(),
            "children": Child.update(member=keep_id).where(Child.member == drop_id).execute(),
            "callbacks": Callback.update(
                member=keep_id,
                source_key=Callback.source_key.concat(f"|{drop.member_no}"))
            .where(Callback.member == drop_id).execute(),
        }
        phone = drop.phone
        drop.delete_instance()
        if keep.phone is None and phone:
            keep.phone, keep.phone_tail = phone, phone[-4:]
        keep.save()
        if conflicts:
            MemberNote.create(member=keep_id, staff=staff.id, written_at=now,
                              text=f"合并自 {drop.member_no} 的不同资料: " + "; ".join(conflicts))
        audit(staff.id, now, "merge", keep.member_no,
              json.dumps({"merged": drop.member_no, "record": record, "moved": moved},
                         ensure_ascii=False))
        _refresh(keep_id, now, settings)
    return Merged(keep.member_no, drop.member_no, moved, tuple(conflicts))


def merged_into(member_no: str) -> str | None:
    """The member number a merged-away record now lives under, if it was merged."""
    row = (AuditLog.select(AuditLog.subject, AuditLog.detail)
           .where((AuditLog.action == "merge")
                  & AuditLog.detail.contains(f'"merged": "{member_no}"'))
           .order_by(AuditLog.at.desc()).first())
    return row.subject if row else None


# -- privacy: export and erase, a manager's actions ---------------------------------


def export_member(member_id: int, staff_id: int, now: datetime) -> dict:
    """Everything on file about one member, for their request; audited."""
    with database.atomic("IMMEDIATE"):
        manager = require_manager(staff_id, N_("export a member's data"))
        member = Member.get_or_none(Member.id == member_id)
        if member is None:
            raise ArchiveError(_("member {id} is not on file").format(id=member_id))
        out = {
            "exported_at": now.isoformat() + "Z",
            "member": _record(member),
            "children": [{"name": c.name, "birth_date": c.birth_date and c.birth_date.isoformat(),
                          "due_date": c.due_date and c.due_date.isoformat()}
                         for c in Child.select().where(Child.member == member_id)],
            "purchases": [{"at": p.purchase.purchased_at.isoformat() + "Z", "sku": p.product.sku,
                           "product": p.product.name, "quantity": p.quantity,
                           "amount_cents": p.amount_cents}
                          for p in PurchaseLine.select(PurchaseLine, Purchase, Product)
                          .join(Purchase).switch(PurchaseLine).join(Product)
                          .where(Purchase.member == member_id)
                          .order_by(Purchase.purchased_at, PurchaseLine.id)],
            "contacts": [{"at": c.contacted_at.isoformat() + "Z", "by": c.staff.name,
                          "channel": c.channel, "outcome": c.outcome, "note": c.note}
                         for c in Contact.select(Contact, Staff).join(Staff)
                         .where(Contact.member == member_id).order_by(Contact.contacted_at)],
            "notes": [{"at": n.written_at.isoformat() + "Z", "by": n.staff.name, "text": n.text}
                      for n in MemberNote.select(MemberNote, Staff).join(Staff)
                      .where(MemberNote.member == member_id).order_by(MemberNote.written_at)],
        }
        audit(manager.id, now, "export", member.member_no, "member's data exported on request")
    return out


#: personal fields an erasure empties
_PERSONAL = ("gender", "birthday", "age_approx", "nationality", "phone", "phone_tail", "email",
             "address", "occupation", "family", "personality", "shopping_habits", "style",
             "hobbies", "lifestyle", "values")


#: what stands in an audit line where an erased member's data was
ERASED_WORDS = "personal data erased on request"
#: the audit lines about a member whose words may hold their data: a merge keeps the
#: dropped record whole, a spot-check mark keeps the manager's note
_SPOT_NOTE = "; (note erased with the member)"


def _scrub_audit_log(member_no: str) -> None:
    """Keep every audit line about the member (who did what, when) but drop the personal
    data in it: the records merged into this one (and, in turn, into those), a spot-check
    note. The other lines about a member hold field names and guide names only."""
    numbers, seen = [member_no], set()
    while numbers:
        number = numbers.pop()
        if number in seen:
            continue
        seen.add(number)
        for line in AuditLog.select().where((AuditLog.subject == number)
                                            & (AuditLog.action == "merge")):
            detail = json.loads(line.detail)
            record = detail.get("record") or {}
            detail["record"] = {"id": record.get("id"), "member_no": detail["merged"],
                                "erased": ERASED_WORDS}
            numbers.append(detail["merged"])
            AuditLog.update(detail=json.dumps(detail, ensure_ascii=False)) \
                .where(AuditLog.id == line.id).execute()
        for line in AuditLog.select().where((AuditLog.subject == number)
                                            & (AuditLog.action == "pdca_spot_mark")):
            verdict = line.detail.split("; ", 1)[0]  # "plan cycle N: contact C verified"
            if verdict != line.detail:
                AuditLog.update(detail=verdict + _SPOT_NOTE).where(AuditLog.id == line.id).execute()
        scrub_corrections(number, ERASED_WORDS)  # a voided contact's note, the reasons


def erase_member(member_id: int, staff_id: int, now: datetime) -> str:
    """Remove the member's personal data on request; return the member number.

    Purchases stay, without a name to them, so sales totals and the leaderboards keep
    their figures; children and notes go; the tracking log keeps its dates, channels and
    outcomes but loses its words; every open call is cancelled; the audit log keeps its
    lines about the member but loses the data in them (a merged record, a note); the
    erasure is audited. Backups taken before it still hold the data until rotated out.
    """
    with database.atomic("IMMEDIATE"):
        manager = require_manager(staff_id, N_("erase a member"))
        member = _editable(member_id)
        Member.update(name=ERASED_NAME, name_pinyin="", name_initials="", erased_at=now,
                      accepts_promotions=None, promotions_set_at=None,
                      do_not_contact=True, do_not_contact_set_at=now,
                      **{f: None for f in _PERSONAL}).where(Member.id == member_id).execute()
        Child.delete().where(Child.member == member_id).execute()
        MemberNote.delete().where(MemberNote.member == member_id).execute()
        Contact.update(note="").where(Contact.member == member_id).execute()
        Callback.update(status="cancelled", closed_at=now) \
            .where((Callback.member == member_id) & (Callback.status == "open")).execute()
        Callback.update(detail="").where(Callback.member == member_id).execute()  # child names
        _scrub_audit_log(member.member_no)
        audit(manager.id, now, "erase", member.member_no,
              "personal data erased on the member's request; purchase totals kept")
    return member.member_no
