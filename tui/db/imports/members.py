"""Members from a file: matched to the archive by phone, then by the POS's card number;
new ones registered, known ones given only what their archive lacks (a field filled in the
app is never written over: the difference is reported); two rows of one file for one
person are a duplicate, never two members."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from tui.clock import local_day
from tui.db.archive_log import filled_fields, record_archive_change
from tui.db.audit import require_manager
from tui.db.callbacks.raising import refresh_members
from tui.db.imports.batches import DOING, ImportError_, Refusal, new_batch
from tui.db.members.archive import GENDERS, MAX_LENGTH, next_member_no
from tui.db.models import ImportBatch, Member, Staff, database
from tui.i18n import _, ngettext
from tui.intake.progress import Progress
from tui.settings import Settings
from tui.text import entry_problem

#: the archive fields an import may fill, with their column's words for the report
FIELDS = ("name", "phone", "gender", "birthday", "address")


@dataclass(frozen=True)
class MemberIn:
    """One row of a members file, its values already read (tui.intake)."""

    row: int
    name: str | None = None
    phone: str | None = None  #: the digits only
    card_no: str | None = None
    gender: str | None = None  #: 女 or 男
    birthday: date | None = None
    address: str | None = None
    joined_on: date | None = None
    guide: str | None = None  #: the owner, by staff name


@dataclass
class MemberPlan:
    """What writing the file would do; nothing is written by working it out."""

    new: list[MemberIn] = field(default_factory=list)
    #: member id → the fields the row fills (empty on file, given in the row)
    fill: dict[int, dict[str, object]] = field(default_factory=dict)
    same: int = 0  #: rows for members on file that add nothing
    refused: list[Refusal] = field(default_factory=list)
    #: not refusals: a value differs from the archive's (kept), a guide not on the staff list
    notes: list[Refusal] = field(default_factory=list)
    owners: dict[str, int] = field(default_factory=dict)  #: staff name → id

    @property
    def refused_rows(self) -> set[int]:
        return {r.row for r in self.refused}

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "filled": len(self.fill), "unchanged": self.same,
                "refused": len(self.refused_rows)}


def check_members(rows, settings: Settings, today: date,
                  progress: Progress | None = None) -> MemberPlan:
    """Every row checked against the archive and the rest of the file."""
    plan = MemberPlan()
    progress = progress or Progress()
    staff = {s.name: s.id for s in Staff.select(Staff.id, Staff.name)}
    by_phone = {p: (i, c) for i, p, c in database.execute_sql(
        "SELECT id, phone, pos_card_no FROM member WHERE erased_at IS NULL AND phone IS NOT NULL")}
    by_card = {c: i for i, c in database.execute_sql(
        "SELECT id, pos_card_no FROM member WHERE pos_card_no IS NOT NULL")}
    seen_phone: dict[str, int] = {}
    seen_card: dict[str, int] = {}
    pattern = re.compile(settings.archive.phone_pattern)
    for done, row in enumerate(rows, 1):
        progress("checking", done, len(rows))
        problems = _row_problems(row, pattern, today)
        if row.phone and row.phone in seen_phone:
            problems.append(Refusal(row.row, "phone", row.phone,
                                    _("the same phone as row {other}").format(
                                        other=seen_phone[row.phone]),
                                    _("keep one row per member")))
        if row.card_no and row.card_no in seen_card:
            problems.append(Refusal(row.row, "card_no", row.card_no,
                                    _("the same card number as row {other}").format(
                                        other=seen_card[row.card_no]),
                                    _("keep one row per member")))
        if row.guide and row.guide not in staff:
            plan.notes.append(Refusal(row.row, "guide", row.guide,
                                      _("nobody of that name on the staff list"),
                                      _("the member is brought in without a guide; add the "
                                        "guide on the staff screen and import again")))
        elif row.guide:
            plan.owners[row.guide] = staff[row.guide]
        if problems:
            plan.refused += problems
            continue
        if row.phone:
            seen_phone[row.phone] = row.row
        if row.card_no:
            seen_card[row.card_no] = row.row
        member_id = by_phone.get(row.phone, (None, None))[0] if row.phone else None
        if member_id is None and row.card_no:
            member_id = by_card.get(row.card_no)
        if member_id is None:
            if not row.name:
                plan.refused.append(Refusal(row.row, "name", "", _("a new member needs a name"),
                                            _("give the name, or leave the row out")))
            else:
                plan.new.append(row)
            continue
        fill = _fills(member_id, row, plan)
        if fill:
            plan.fill[member_id] = {**plan.fill.get(member_id, {}), **fill}
        else:
            plan.same += 1
    return plan


def _row_problems(row: MemberIn, pattern: re.Pattern, today: date) -> list[Refusal]:
    out = []
    if not row.phone and not row.card_no:
        out.append(Refusal(row.row, "phone", "", _("neither a phone nor a card number"),
                           _("give one of them: a member is found by it")))
    if row.phone and not pattern.fullmatch(row.phone):
        out.append(Refusal(row.row, "phone", row.phone, _("not a mobile number here"),
                           _("11 digits starting with 1")))
    for name, value in (("name", row.name), ("address", row.address)):
        problem = entry_problem(value or "", MAX_LENGTH[name])
        if problem:
            out.append(Refusal(row.row, name, value or "", problem, _("shorten it")))
    if row.gender is not None and row.gender not in GENDERS.values():
        out.append(Refusal(row.row, "gender", row.gender, _("not 女 or 男"), _("write 女 or 男")))
    if row.birthday is not None and row.birthday > today:
        out.append(Refusal(row.row, "birthday", row.birthday.isoformat(),
                           _("a birthday in the future"), _("check the year")))
    return out


def _fills(member_id: int, row: MemberIn, plan: MemberPlan) -> dict[str, object]:
    """The fields the row gives that the archive lacks; a filled one that differs is noted."""
    member = Member.get_by_id(member_id)
    fill: dict[str, object] = {}
    for name in FIELDS:
        given = getattr(row, name)
        if given in (None, ""):
            continue
        held = getattr(member, name)
        if held in (None, ""):
            fill[name] = given
        elif held != given:
            plan.notes.append(Refusal(row.row, name, str(given),
                                      _("the archive has {held}; kept").format(held=held),
                                      _("change it on the member's card if the file is right")))
    if row.card_no and member.pos_card_no is None:
        fill["pos_card_no"] = row.card_no
    return fill


def write_members(plan: MemberPlan, file_name: str, sha256: str, staff_id: int, now: datetime,
                  settings: Settings, *, valid_rows: bool = False,
                  progress: Progress | None = None) -> int:
    """Write the plan as one batch and return its id. A plan with refused rows writes
    nothing unless `valid_rows` (then the good rows only). PROGRESS is told of each
    member written, and stopping it rolls everything back."""
    progress = progress or Progress()
    if plan.refused and not valid_rows:
        count = len(plan.refused_rows)
        raise ImportError_(ngettext(
            "{count} row cannot be brought in as it is; nothing was written (see the report)",
            "{count} rows cannot be brought in as they are; nothing was written (see the report)",
            count).format(count=count))
    zone = settings.shop.zone
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        batch = new_batch("members", file_name, sha256, staff_id, now, plan.counts())
        made = []
        number = int(next_member_no()[1:])
        total = len(plan.new) + len(plan.fill)
        for done, row in enumerate(plan.new, 1):
            progress("writing", done, total)
            member = Member(member_no=f"M{number:06d}", name=row.name, phone=row.phone,
                            phone_tail=row.phone[-4:] if row.phone else None,
                            pos_card_no=row.card_no, gender=row.gender, birthday=row.birthday,
                            address=row.address, joined_on=row.joined_on or local_day(now, zone),
                            created_at=now, owner=plan.owners.get(row.guide or ""),
                            import_batch=batch)
            member.save()
            number += 1
            record_archive_change(member, staff_id, now, (), filled_fields(member))
            made.append(member.id)
        ImportBatch.update(filled=json.dumps(
            {str(m): {k: v.isoformat() if isinstance(v, date) else v for k, v in f.items()}
             for m, f in plan.fill.items()}, ensure_ascii=False)).where(
            ImportBatch.id == batch).execute()
        for done, (member_id, fill) in enumerate(plan.fill.items(), len(plan.new) + 1):
            progress("writing", done, total)
            member = Member.get_by_id(member_id)
            before = filled_fields(member)
            for name, value in fill.items():
                setattr(member, name, value)
            if "phone" in fill:
                member.phone_tail = member.phone[-4:]
            member.save()
            record_archive_change(member, staff_id, now, before, filled_fields(member))
        if made or plan.fill:
            refresh_members(made + list(plan.fill), local_day(now, zone), settings.callbacks,
                            zone, now)
        progress.finish("writing", total)
    return batch

