"""Today's callback queue: one line per member with every reason due, in calling order.

The screen and `shopfloor queue` both call `callback_queue`, so they cannot disagree.
Order: most days overdue first, then the most urgent reason, then the member's value
(total spend), then member number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from peewee import fn

from tui.clock import day_start_utc
from tui.db.models import Callback, Contact, Member, Staff, database
from tui.db.privacy import Viewer, mask_phone
from tui.i18n import CodeWords, _, pgettext
from tui.settings import CallbackSettings


def _reason_words(code: str) -> str:
    # with the context "reason": the reason "complaint" (a complaint's feedback call) is
    # not the outcome "complaint"
    words = {"complaint": pgettext("reason", "complaint"),
             "follow_up": pgettext("reason", "follow-up"),
             "scheduled": pgettext("reason", "call back"),
             "birthday": pgettext("reason", "birthday"),
             "running_out": pgettext("reason", "running out"),
             "campaign": pgettext("reason", "campaign"),
             "dormant": pgettext("reason", "dormant")}
    return words[code]


#: Each stored reason code's words, read in the language spoken now (tui.i18n.CodeWords):
#: `REASON_LABELS["running_out"]` is "running out" in English, "用量提醒" in Chinese.
#: The codes never change.
REASON_LABELS = CodeWords({
    "complaint": "complaint",
    "follow_up": "follow-up",
    "scheduled": "call back",
    "birthday": "birthday",
    "running_out": "running out",
    "campaign": "campaign",
    "dormant": "dormant",
}, say=_reason_words)


def reason_label(code: str) -> str:
    """A reason's word in the language spoken now ("running out" / "用量提醒")."""
    return REASON_LABELS.get(code, code)


@dataclass(frozen=True)
class QueueReason:
    reason: str
    due_on: date
    detail: str

    @property
    def label(self) -> str:
        return reason_label(self.reason)


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
        return _(", ").join(r.label for r in self.reasons)


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
    guide_id: int | None = None


#: Lines on one page of the queue screen; the CLI twin prints every line.
PAGE_SIZE = 200


def callback_queue(day: date, rules: CallbackSettings, zone: ZoneInfo, guide_id: int | None = None,
                   limit: int | None = PAGE_SIZE, offset: int = 0,
                   viewer: Viewer | None = None) -> QueuePage:
    """The queue for `day`, read in one transaction: a save in another session never
    lands between its statements (a line without reasons, a member gone). Phones are as
    `viewer` may see them (tui.db.privacy; None: whole, for counts and the benchmark)."""
    with database.atomic():
        return _read_queue(day, rules, zone, guide_id, limit, offset, viewer)


def _read_queue(day: date, rules: CallbackSettings, zone: ZoneInfo, guide_id: int | None,
                limit: int | None, offset: int, viewer: Viewer | None = None) -> QueuePage:
    """The queue for `day`: the guide's own callbacks, or the whole shop's when guide_id is None.

    One scan of the covering index (status, due_on, member_id, reason, owner_id) gives
    every due callback; grouping, the counts and the order are worked out from it, and
    only the page's members are read in full.
    """
    oldest = day - timedelta(days=rules.stale_after_days)
    due = ((Callback.status == "open") & (Callback.due_on <= day) & (Callback.due_on >= oldest))
    if guide_id is not None:
        due &= Callback.owner == guide_id
    rank = {r: rules.priority(r) for r in rules.reason_order}
    # One statement does the grouping, ordering and counting inside SQLite: at launch this
    # runs beside Textual's start-up, and SQLite works without the GIL, whereas stepping
    # thousands of rows into Python would wait for the GIL at every row.
    prio = "CASE c.reason " + " ".join("WHEN ? THEN ?" for _reason in rank) + " ELSE 99 END"
    mine = "AND c.owner_id = ?" if guide_id is not None else ""
    sql = f"""
        WITH g AS MATERIALIZED (
            SELECT c.member_id AS mid, MIN(c.due_on) AS first_due, MIN({prio}) AS prio
            FROM callback c
            WHERE c.status = 'open' AND c.due_on <= ? AND c.due_on >= ? {mine}
            GROUP BY c.member_id)
        SELECT g.mid, g.first_due, (SELECT COUNT(*) FROM g),
               (SELECT COUNT(*) FROM g WHERE g.first_due < ?)
        FROM g JOIN member m ON m.id = g.mid
        ORDER BY g.first_due, g.prio, m.total_spend_cents DESC, m.member_no
        LIMIT ? OFFSET ?"""
    params = [x for pair in rank.items() for x in pair] + [day.isoformat(), oldest.isoformat()]
    params += [guide_id] if guide_id is not None else []
    params += [day.isoformat(), -1 if limit is None else limit, offset]
    rows = database.execute_sql(sql, params).fetchall()
    order = [r[0] for r in rows]
    first_due = {r[0]: date.fromisoformat(r[1]) for r in rows}
    total, overdue = (rows[0][2], rows[0][3]) if rows else _counts_only(due, day)

    start = day_start_utc(day, zone)
    end = day_start_utc(day + timedelta(days=1), zone)
    done_q = Callback.select(Callback.member).where(
        (Callback.status == "done") & (Callback.closed_at >= start) & (Callback.closed_at < end))
    if guide_id is not None:
        done_q = done_q.where(Callback.owner == guide_id)
    counts = QueueCounts(due=total, overdue=overdue,
                         done_today=done_q.distinct().count())
    guide_name = Staff.get_by_id(guide_id).name if guide_id is not None else None
    if not order:
        return QueuePage(day, guide_name, [], counts, offset, guide_id)

    reasons: dict[int, list[tuple[int, QueueReason]]] = {m: [] for m in order}
    callers: dict[int, set[int | None]] = {m: set() for m in order}  #: whose calls they are
    for mid, reason, due_on, detail, caller in (
            Callback.select(Callback.member, Callback.reason, Callback.due_on, Callback.detail,
                            Callback.owner)
            .where(due & Callback.member.in_(order)).tuples()):
        reasons[mid].append((rank.get(reason, 99), QueueReason(reason, due_on, detail)))
        callers[mid].add(caller)
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
        for _rank, r in rs:
            if r.reason in merged:
                earlier = merged[r.reason]
                merged[r.reason] = QueueReason(r.reason, min(earlier.due_on, r.due_on),
                                               f"{earlier.detail}; {r.detail}")
            else:
                merged[r.reason] = r
        first = first_due[mid]
        seen = last_contact.get(mid)
        if isinstance(seen, str):
            seen = datetime.fromisoformat(seen)
        # a call of the viewer's on the line is theirs to make: the whole number, then
        whole = (viewer is None or viewer.sees_in_full(m.owner_id)
                 or viewer.staff_id in callers[mid])
        lines.append(QueueLine(
            member_id=mid, member_no=m.member_no, name=m.name,
            phone=m.phone if whole else mask_phone(m.phone),
            phone_tail=m.phone_tail, due_on=first, days_overdue=(day - first).days,
            reasons=tuple(merged.values()), owner=owners.get(m.owner_id),
            last_contact_at=(seen.replace(tzinfo=timezone.utc).astimezone(zone).replace(tzinfo=None)
                             if seen else None),
            total_spend_cents=m.total_spend_cents))
    return QueuePage(day, guide_name, lines, counts, offset, guide_id)


def _counts_only(due, day: date) -> tuple[int, int]:
    """Due and overdue members when the page itself is empty (an offset past the end)."""
    total = Callback.select(Callback.member).where(due).distinct().count()
    overdue = Callback.select(Callback.member).where(due & (Callback.due_on < day)).distinct().count()
    return total, overdue
