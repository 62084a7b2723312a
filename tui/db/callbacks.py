"""Raising callbacks: the rules fed from the database, for one member or the whole shop.

`refresh_member` runs after a member buys or is contacted; `refresh_shop` runs once a
day (and after the demo is built) in bulk, reading each table once instead of
querying member by member.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tui.db.models import Callback, Meta, database
from tui.db.rules import (
    ChildFacts,
    Changes,
    Existing,
    LastContact,
    Line,
    MemberFacts,
    desired_callbacks,
    reconcile,
)
from tui.settings import CallbackSettings

_GENERATED_KEY = "callbacks_generated_on"


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _dt(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _d(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


_MEMBER_SQL = """SELECT id, owner_id, joined_on, birthday, accepts_promotions, do_not_contact
                 FROM member {where}"""
_CHILD_SQL = "SELECT member_id, id, name, birth_date, due_date FROM child {where}"
_LINE_SQL = """SELECT p.member_id, p.id, p.purchased_at, pr.name, pr.brand, l.quantity, pr.days_per_unit
               FROM purchase p JOIN purchase_line l ON l.purchase_id = p.id
               JOIN product pr ON pr.id = l.product_id {where} ORDER BY p.id, l.id"""
# The newest contact of each member (ties on time broken by the higher id).
_CONTACT_SQL = """SELECT c.member_id, c.id, c.staff_id, c.contacted_at, c.outcome, c.next_contact_on, c.note
                  FROM contact c
                  WHERE c.id = (SELECT c2.id FROM contact c2 WHERE c2.member_id = c.member_id
                                ORDER BY c2.contacted_at DESC, c2.id DESC LIMIT 1) {where}"""
# Calls booked by earlier contacts that may still be due (no-answer retries excepted).
_BOOKING_SQL = """SELECT member_id, id, staff_id, contacted_at, outcome, next_contact_on, note
                  FROM contact WHERE next_contact_on >= ? AND outcome != 'no_answer' {where}"""
_CALLBACK_SQL = "SELECT member_id, id, reason, source_key, status, due_on FROM callback {where}"


def _load_facts(member_id: int | None, oldest: date) -> tuple[list[MemberFacts],
                                                              dict[int, list[Existing]]]:
    """Facts and existing callbacks for one member, or for every member when None.

    `oldest` is the earliest due date still of interest (bookings before it are history).
    """
    def where(column: str, joiner: str = "WHERE") -> tuple[str, tuple]:
        return (f"{joiner} {column} = ?", (member_id,)) if member_id is not None else ("", ())

    sql = database.execute_sql
    children: dict[int, list[ChildFacts]] = defaultdict(list)
    w, a = where("member_id")
    for mid, cid, name, born, due in sql(_CHILD_SQL.format(where=w), a):
        children[mid].append(ChildFacts(cid, name, _d(born), _d(due)))
    lines: dict[int, list[Line]] = defaultdict(list)
    w, a = where("p.member_id", "WHERE")
    if member_id is None:
        w = "WHERE p.member_id IS NOT NULL"
    sold_at: dict[int, datetime] = {}  # one parse per sale, not per line
    for mid, pid, at, pname, brand, qty, dpu in sql(_LINE_SQL.format(where=w), a):
        when = sold_at.get(pid)
        if when is None:
            when = sold_at[pid] = _dt(at)
        lines[mid].append(Line(pid, when, pname, brand, qty, dpu))
    contacts: dict[int, LastContact] = {}
    w, a = where("c.member_id", "AND")
    for mid, cid, sid, at, outcome, nxt, note in sql(_CONTACT_SQL.format(where=w), a):
        contacts[mid] = LastContact(cid, sid, _dt(at), outcome, _d(nxt), note or "")
    bookings: dict[int, list[LastContact]] = defaultdict(list)
    w, a = where("member_id", "AND")
    for mid, cid, sid, at, outcome, nxt, note in sql(_BOOKING_SQL.format(where=w),
                                                     (oldest.isoformat(), *a)):
        bookings[mid].append(LastContact(cid, sid, _dt(at), outcome, _d(nxt), note or ""))
    existing: dict[int, list[Existing]] = defaultdict(list)
    w, a = where("member_id")
    for mid, cbid, reason, key, status, due in sql(_CALLBACK_SQL.format(where=w), a):
        existing[mid].append(Existing(cbid, reason, key, status, _d(due)))
    facts = []
    w, a = where("id")
    for mid, owner, joined, born, promo, dnc in sql(_MEMBER_SQL.format(where=w), a):
        facts.append(MemberFacts(
            member_id=mid, owner_id=owner, joined_on=_d(joined), birthday=_d(born),
            accepts_promotions=None if promo is None else bool(promo), do_not_contact=bool(dnc),
            children=tuple(children.get(mid, ())), lines=tuple(lines.get(mid, ())),
            last_contact=contacts.get(mid), bookings=tuple(bookings.get(mid, ()))))
    return facts, existing


def _apply(member_id: int, changes: Changes, now: datetime) -> None:
    if changes.insert:
        Callback.insert_many(
            [{"member": member_id, "reason": d.reason, "source_key": d.key, "due_on": d.due_on,
              "owner": d.owner_id, "detail": d.detail, "created_at": now, "status": "open"}
             for d in changes.insert]).execute()
    if changes.cancel:
        Callback.update(status="cancelled", closed_at=now).where(
            Callback.id.in_(changes.cancel)).execute()
    if changes.miss:
        Callback.update(status="missed", closed_at=now).where(
            Callback.id.in_(changes.miss)).execute()


def refresh_member(member_id: int, day: date, rules: CallbackSettings, zone: ZoneInfo,
                   now: datetime | None = None) -> Changes:
    """Bring one member's callbacks in line with the rules. Call inside the write transaction."""
    facts, existing = _load_facts(member_id, day - timedelta(days=rules.stale_after_days))
    if not facts:
        return Changes()
    changes = reconcile(existing.get(member_id, []),
                        desired_callbacks(facts[0], day, rules, zone), day, rules)
    _apply(member_id, changes, now or utc_now())
    return changes


def refresh_shop(day: date, rules: CallbackSettings, zone: ZoneInfo,
                 now: datetime | None = None) -> tuple[int, int, int]:
    """Run the rules for every member on `day`; return (inserted, cancelled, missed).

    The facts are read and the changes worked out outside any write lock (seconds at
    100,000 members); only the writes take the IMMEDIATE lock, so other sessions saving
    a contact meanwhile wait milliseconds, not seconds. A callback another session
    raised in between is kept (INSERT OR IGNORE), and only callbacks still open are
    cancelled or marked missed.
    """
    now = now or utc_now()
    with database.atomic():  # one consistent snapshot of every table
        facts, existing = _load_facts(None, day - timedelta(days=rules.stale_after_days))
    inserts: list[tuple] = []
    cancel: list[int] = []
    miss: list[int] = []
    for f in facts:
        ch = reconcile(existing.get(f.member_id, []), desired_callbacks(f, day, rules, zone),
                       day, rules)
        inserts.extend((f.member_id, d.reason, d.key, d.due_on.isoformat(), d.owner_id, d.detail,
                        str(now), "open") for d in ch.insert)
        cancel.extend(ch.cancel)
        miss.extend(ch.miss)
    with database.atomic("IMMEDIATE"):
        cursor = database.cursor()
        cursor.executemany(
            "INSERT OR IGNORE INTO callback (member_id, reason, source_key, due_on, owner_id,"
            " detail, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", inserts)
        for status, ids in (("cancelled", cancel), ("missed", miss)):
            cursor.executemany(
                "UPDATE callback SET status = ?, closed_at = ? WHERE id = ? AND status = 'open'",
                [(status, str(now), i) for i in ids])
        Meta.replace(key=_GENERATED_KEY, value=day.isoformat()).execute()
    database.execute_sql("PRAGMA optimize")  # keep the planner's statistics fresh, once a day
    return len(inserts), len(cancel), len(miss)


def generated_on() -> date | None:
    row = Meta.get_or_none(Meta.key == _GENERATED_KEY)
    return date.fromisoformat(row.value) if row else None


def ensure_generated(day: date, rules: CallbackSettings, zone: ZoneInfo) -> bool:
    """Run the daily rules once per day (the first session of the day does it). True if it ran."""
    if generated_on() == day:
        return False
    refresh_shop(day, rules, zone)
    return True
