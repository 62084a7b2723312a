"""Today's callback queue: one line per member with every reason due, in calling order.

The screen and `shopfloor queue` both call `callback_queue`, so they cannot disagree.
Order: most days overdue first, then the most urgent reason, then the member's value
(total spend), then member number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from peewee import Case, fn

from tui.db.models import Callback, Contact, Member, Staff, database
from tui.settings import CallbackSettings

REASON_LABELS = {
    "complaint": "complaint",
    "follow_up": "follow-up",
    "scheduled": "call back",
    "birthday": "birthday",
    "running_out": "running out",
    "campaign": "campaign",
    "dormant": "dormant",
}


@dataclass(frozen=True)
class QueueReason:
    reason: str
    due_on: date
    detail: str

    @property
    def label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


@dataclass(frozen=True)
class QueueLine:
    member_id: int
    member_no: str
    name: str
    phone: str | None
    phone_tail: str | None
    due_on: date  #: the earliest due date among the reasons
    days_overdue: int
    reasons: tuple[QueueReason, ...]  #: most urgent first
    owner: str | None
    last_contact_at: datetime | None  #: shop-local time
    total_spend_cents: int

    @property
    def reason_labels(self) -> str:
        return ", ".join(r.label for r in self.reasons)


@dataclass(frozen=True)
class QueueCounts:
    due: int  #: members due today or overdue
    overdue: int  #: of those, members overdue
    done_today: int  #: members whose callbacks a contact completed today


@dataclass(frozen=True)
class QueuePage:
    day: date
    guide: str | None  #: None: the whole shop
    lines: list[QueueLine] = field(default_factory=list)
    counts: QueueCounts = QueueCounts(0, 0, 0)
    offset: int = 0


def _priority(rules: CallbackSettings):
    return Case(Callback.reason, [(r, rules.priority(r)) for r in rules.reason_order], 99)


def _utc(moment_local: datetime) -> datetime:
    return moment_local.astimezone(timezone.utc).replace(tzinfo=None)


def callback_queue(day: date, rules: CallbackSettings, zone: ZoneInfo, guide_id: int | None = None,
                   limit: int | None = 200, offset: int = 0) -> QueuePage:
    """The queue for `day`: the guide's own callbacks, or the whole shop's when guide_id is None."""
    oldest = day - timedelta(days=rules.stale_after_days)
    due = ((Callback.status == "open") & (Callback.due_on <= day) & (Callback.due_on >= oldest))
    if guide_id is not None:
        due &= Callback.owner == guide_id
    first_due = fn.MIN(Callback.due_on)
    top = fn.MIN(_priority(rules))
    grouped = (Callback.select(Callback.member, first_due.alias("first_due"))
               .where(due).group_by(Callback.member))
    page_query = (Callback
                  .select(Callback.member.alias("mid"), first_due.alias("first_due"))
                  .join(Member, on=(Member.id == Callback.member))
                  .where(due)
                  .group_by(Callback.member)
                  .order_by(first_due, top, Member.total_spend_cents.desc(), Member.member_no))
    if limit is not None:
        page_query = page_query.limit(limit).offset(offset)
    order = [row["mid"] for row in page_query.dicts()]

    total = grouped.count()
    overdue = (Callback.select(Callback.member).where(due & (Callback.due_on < day))
               .distinct().count())
    start = _utc(datetime.combine(day, time.min, zone))
    end = _utc(datetime.combine(day + timedelta(days=1), time.min, zone))
    done_q = Callback.select(Callback.member).where(
        (Callback.status == "done") & (Callback.closed_at >= start) & (Callback.closed_at < end))
    if guide_id is not None:
        done_q = done_q.where(Callback.owner == guide_id)
    counts = QueueCounts(due=total, overdue=overdue, done_today=done_q.distinct().count())
    guide_name = Staff.get_by_id(guide_id).name if guide_id is not None else None
    if not order:
        return QueuePage(day, guide_name, [], counts, offset)

    reasons: dict[int, list[tuple[int, QueueReason]]] = {m: [] for m in order}
    for cb in (Callback.select(Callback.member, Callback.reason, Callback.due_on, Callback.detail,
                               _priority(rules).alias("prio"))
               .where(due & Callback.member.in_(order)).dicts()):
        reasons[cb["member"]].append(
            (cb["prio"], QueueReason(cb["reason"], cb["due_on"], cb["detail"])))
    last_contact = dict(
        Contact.select(Contact.member, fn.MAX(Contact.contacted_at))
        .where(Contact.member.in_(order)).group_by(Contact.member).tuples())
    owners = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
    members = {m.id: m for m in Member.select(
        Member.id, Member.member_no, Member.name, Member.phone, Member.phone_tail,
        Member.owner, Member.total_spend_cents).where(Member.id.in_(order))}

    lines = []
    for mid in order:
        m = members[mid]
        rs = sorted(reasons[mid], key=lambda pr: (pr[0], pr[1].due_on))
        # one reason per kind on the line: two birthdays read as one "birthday" with both details
        merged: dict[str, QueueReason] = {}
        for _, r in rs:
            if r.reason in merged:
                first = merged[r.reason]
                merged[r.reason] = QueueReason(r.reason, min(first.due_on, r.due_on),
                                               f"{first.detail}; {r.detail}")
            else:
                merged[r.reason] = r
        first = min(r.due_on for _, r in rs)
        seen = last_contact.get(mid)
        if isinstance(seen, str):
            seen = datetime.fromisoformat(seen)
        lines.append(QueueLine(
            member_id=mid, member_no=m.member_no, name=m.name, phone=m.phone,
            phone_tail=m.phone_tail, due_on=first, days_overdue=(day - first).days,
            reasons=tuple(merged.values()), owner=owners.get(m.owner_id),
            last_contact_at=(seen.replace(tzinfo=timezone.utc).astimezone(zone).replace(tzinfo=None)
                             if seen else None),
            total_spend_cents=m.total_spend_cents))
    return QueuePage(day, guide_name, lines, counts, offset)


def staff_by_name(name: str) -> Staff | None:
    """An active staff member by exact name (case-insensitive for Latin names)."""
    return (Staff.select().where((fn.LOWER(Staff.name) == name.strip().lower())
                                 & (Staff.active == True)).first())  # noqa: E712


def active_staff() -> list[Staff]:
    return list(Staff.select().where(Staff.active == True).order_by(Staff.role.desc(), Staff.name))  # noqa: E712


def connection_ready() -> bool:
    return not database.is_closed()
