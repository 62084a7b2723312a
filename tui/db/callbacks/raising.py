"""Raising callbacks: the rules fed from the database, for one member or the whole shop.

`refresh_member` runs after a member buys or is contacted; `refresh_shop` runs once a
day (and after the demo is built) in bulk, reading each table once instead of
querying member by member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tui.db.callbacks.rules import (CampaignFacts, Changes, ChildFacts, Existing, LastContact,
                                    Line, MemberFacts, desired_callbacks, reconcile)
from tui.db.connection import read_only
from tui.db.models import Meta, database
from tui.settings import CallbackSettings

_GENERATED_KEY = "callbacks_generated_on"
#: a PDCA cycle started whose campaign calls are not raised yet: the key's tail is the
#: cycle's id. Written in the start's own transaction, deleted in the one that raises them.
_OWED_PREFIX = "campaign_calls_owed:"


def owe_campaign_calls(cycle_id: int) -> None:
    """Note, inside the transaction that starts the cycle, that its campaign calls are
    still to be raised: if they are not (busy past the bound, the process killed), the
    next open raises them (`raise_owed_calls`), so a started plan always has its calls."""
    Meta.replace(key=f"{_OWED_PREFIX}{cycle_id}", value="raise its targets' campaign calls").execute()


def _owed() -> list[str]:
    return [m.key for m in Meta.select(Meta.key).where(Meta.key.startswith(_OWED_PREFIX))]


def raise_cycle_calls(cycle_id: int, day: date, rules: CallbackSettings, zone: ZoneInfo,
                      now: datetime) -> Changes:
    """The cycle's targets' callbacks brought in line with the rules (its campaign calls
    raised), the note that they are owed deleted in the same transaction."""
    ids = [mid for (mid,) in database.execute_sql(
        "SELECT member_id FROM plan_target WHERE cycle_id = ?", (cycle_id,))]
    return refresh_members(ids, day, rules, zone, now, settles=f"{_OWED_PREFIX}{cycle_id}")


def raise_owed_calls(day: date, rules: CallbackSettings, zone: ZoneInfo, now: datetime) -> int:
    """Raise the calls of every cycle whose start was cut short before them; the number
    of cycles."""
    owed = _owed()
    for key in owed:
        raise_cycle_calls(int(key.removeprefix(_OWED_PREFIX)), day, rules, zone, now)
    return len(owed)


def _dt(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _d(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


_MEMBER_SQL = """SELECT id, owner_id, joined_on, birthday, accepts_promotions, do_not_contact
                 FROM member {where}"""
_CHILD_SQL = "SELECT member_id, id, name, birth_date, due_date FROM child {where}"
_LINE_SQL = """SELECT p.member_id, p.id, p.purchased_at, pr.name, pr.brand, l.quantity, pr.days_per_unit,
                      pr.category
               FROM purchase p JOIN purchase_line l ON l.purchase_id = p.id
               JOIN product pr ON pr.id = l.product_id {where} ORDER BY p.id, l.id"""
# The newest contact of each member (ties on time broken by the higher id).
# A booker no longer active reads as NULL: the call goes to the member's owner.
_CONTACT_SQL = """SELECT c.member_id, c.id,
                         CASE WHEN (SELECT active FROM staff WHERE id = c.staff_id) THEN c.staff_id END,
                         c.contacted_at, c.outcome, c.next_contact_on, c.note
                  FROM contact c
                  WHERE c.id = (SELECT c2.id FROM contact c2 WHERE c2.member_id = c.member_id
                                ORDER BY c2.contacted_at DESC, c2.id DESC LIMIT 1) {where}"""
# Calls booked by earlier contacts that may still be due (no-answer retries excepted).
_BOOKING_SQL = """SELECT member_id, id,
                         CASE WHEN (SELECT active FROM staff WHERE id = contact.staff_id)
                              THEN staff_id END,
                         contacted_at, outcome, next_contact_on, note
                  FROM contact WHERE next_contact_on >= ? AND outcome != 'no_answer' {where}"""
_CALLBACK_SQL = ("SELECT member_id, id, reason, source_key, status, due_on, owner_id"
                 " FROM callback {where}")
# Targets of running PDCA cycles (tui/db/pdca/plans.py); a responsible guide no longer active
# reads as NULL: the campaign call goes to the member's owner.
_CAMPAIGN_SQL = """SELECT t.member_id, c.id, p.name, c.first_day, c.last_day, c.frozen_on,
                          CASE WHEN s.active THEN t.guide_id END, t.call_on
                   FROM plan_cycle c JOIN plan p ON p.id = c.plan_id
                   JOIN plan_target t ON t.cycle_id = c.id
                   LEFT JOIN staff s ON s.id = t.guide_id
                   WHERE c.status = 'running' {where}"""


def _load_facts(member_id: int | None, oldest: date,
                members: Collection[int] | None = None) -> tuple[list[MemberFacts],
                                                                 dict[int, list[Existing]]]:
    """Facts and existing callbacks for one member, for the `members` given, or for every
    member when both are None.

    `oldest` is the earliest due date still of interest (bookings before it are history).
    """
    listed = "(" + ",".join(str(int(m)) for m in members) + ")" if members is not None else ""

    def where(column: str, joiner: str = "WHERE") -> tuple[str, tuple]:
        if member_id is not None:
            return f"{joiner} {column} = ?", (member_id,)
        if members is not None:
            return f"{joiner} {column} IN {listed}", ()
        return "", ()

    sql = database.execute_sql
    children: dict[int, list[ChildFacts]] = defaultdict(list)
    w, a = where("member_id")
    for mid, cid, name, born, due in sql(_CHILD_SQL.format(where=w), a):
        children[mid].append(ChildFacts(cid, name, _d(born), _d(due)))
    lines: dict[int, list[Line]] = defaultdict(list)
    w, a = where("p.member_id", "WHERE")
    if member_id is None and members is None:
        w = "WHERE p.member_id IS NOT NULL"
    sold_at: dict[int, datetime] = {}  # one parse per sale, not per line
    for mid, pid, at, pname, brand, qty, dpu, category in sql(_LINE_SQL.format(where=w), a):
        when = sold_at.get(pid)
        if when is None:
            when = sold_at[pid] = _dt(at)
        lines[mid].append(Line(pid, when, pname, brand, qty, dpu, category))
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
    for mid, cbid, reason, key, status, due, owner in sql(_CALLBACK_SQL.format(where=w), a):
        existing[mid].append(Existing(cbid, reason, key, status, _d(due), owner))
    campaigns: dict[int, list[CampaignFacts]] = defaultdict(list)
    w, a = where("t.member_id", "AND")
    for mid, cid, name, first, last, frozen, guide, call_on in sql(_CAMPAIGN_SQL.format(where=w),
                                                                   a):
        campaigns[mid].append(CampaignFacts(cid, name, _d(first), _d(last), _d(frozen), guide,
                                            _d(call_on)))
    facts = []
    w, a = where("id")
    for mid, owner, joined, born, promo, dnc in sql(_MEMBER_SQL.format(where=w), a):
        facts.append(MemberFacts(
            member_id=mid, owner_id=owner, joined_on=_d(joined), birthday=_d(born),
            accepts_promotions=None if promo is None else bool(promo), do_not_contact=bool(dnc),
            children=tuple(children.get(mid, ())), lines=tuple(lines.get(mid, ())),
            last_contact=contacts.get(mid), bookings=tuple(bookings.get(mid, ())),
            campaigns=tuple(campaigns.get(mid, ()))))
    return facts, existing


def _write(changed: list[tuple[int, Changes]], now: datetime) -> None:
    """Apply each member's changes; the caller holds the write transaction.

    Only callbacks still open (or, to reopen, cancelled) are touched: one that another
    session completed meanwhile stays as that session left it.
    """
    stamp = str(now)
    cursor = database.cursor()
    cursor.executemany(
        "INSERT OR IGNORE INTO callback (member_id, reason, source_key, due_on, owner_id,"
        " detail, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
        [(mid, d.reason, d.key, d.due_on.isoformat(), d.owner_id, d.detail, stamp)
         for mid, ch in changed for d in ch.insert])
    for status, attr in (("cancelled", "cancel"), ("missed", "miss")):
        cursor.executemany(
            "UPDATE callback SET status = ?, closed_at = ? WHERE id = ? AND status = 'open'",
            [(status, stamp, cid) for _, ch in changed for cid in getattr(ch, attr)])
    # a campaign call also takes the owner the rules want: the plan's responsible guide
    cursor.executemany(
        "UPDATE callback SET status = 'open', due_on = ?, detail = ?, closed_at = NULL,"
        " owner_id = CASE WHEN reason = 'campaign' THEN ? ELSE owner_id END"
        " WHERE id = ? AND status IN ('open', 'cancelled')",
        [(d.due_on.isoformat(), d.detail, d.owner_id, cid)
         for _, ch in changed for cid, d in ch.update])


def refresh_member(member_id: int, day: date, rules: CallbackSettings, zone: ZoneInfo,
                   now: datetime) -> Changes:
    """Bring one member's callbacks in line with the rules, in one IMMEDIATE transaction
    (a savepoint inside the caller's, when a sale or a contact is being written)."""
    with database.atomic("IMMEDIATE"):
        facts, existing = _load_facts(member_id, day - timedelta(days=rules.stale_after_days))
        if not facts:
            return Changes()
        changes = reconcile(existing.get(member_id, []),
                            desired_callbacks(facts[0], day, rules, zone), day, rules)
        _write([(member_id, changes)], now)
    return changes


def refresh_members(member_ids: Collection[int], day: date, rules: CallbackSettings,
                    zone: ZoneInfo, now: datetime, settles: str | None = None) -> Changes:
    """Bring a set of members' callbacks in line with the rules at once (a PDCA cycle
    started or its targets reassigned), reading each table once for the whole set.
    Returns the changes summed over the set.

    Inside a caller's transaction it is one savepoint of it. Alone, it works like the
    daily run: the facts are read and the changes worked out without the write lock
    (a second or two for 10,000 members), and only the writes take it; a member who
    bought or was contacted meanwhile is decided again inside the lock.

    `settles`: a Meta key (the calls owed of a cycle) deleted in the same transaction as
    the writes, so it is gone exactly when the calls are on file.
    """
    total = Changes()
    ids = sorted(set(member_ids))

    def settle() -> None:
        if settles is not None:
            Meta.delete().where(Meta.key == settles).execute()

    if not ids:
        if settles is not None:
            with database.atomic("IMMEDIATE"):
                settle()
        return total
    oldest = day - timedelta(days=rules.stale_after_days)

    def work_out(facts, existing) -> list[tuple[int, Changes]]:
        changed = [(f.member_id, reconcile(existing.get(f.member_id, []),
                                           desired_callbacks(f, day, rules, zone), day, rules))
                   for f in facts]
        return [(mid, ch) for mid, ch in changed if ch]

    if database.in_transaction():
        with database.atomic("IMMEDIATE"):
            changed = work_out(*_load_facts(None, oldest, ids))
            _write(changed, now)
            settle()
    else:
        with database.atomic():  # one consistent snapshot
            last_contact, last_purchase = database.execute_sql(_HIGH_WATER_SQL).fetchone()
            facts, existing = _load_facts(None, oldest, ids)
        changed = work_out(facts, existing)
        with database.atomic("IMMEDIATE"):
            newer = {mid for (mid,) in database.execute_sql(
                _NEWER_SQL, (last_contact, last_purchase))} & set(ids)
            changed = [(mid, ch) for mid, ch in changed if mid not in newer]
            _write(changed, now)
            for mid in sorted(newer):
                changed.append((mid, refresh_member(mid, day, rules, zone, now)))
            settle()
    for _, ch in changed:
        total.insert += ch.insert
        total.cancel += ch.cancel
        total.miss += ch.miss
        total.update += ch.update
    return total


_HIGH_WATER_SQL = "SELECT (SELECT COALESCE(MAX(id), 0) FROM contact), (SELECT COALESCE(MAX(id), 0) FROM purchase)"
_NEWER_SQL = """SELECT member_id FROM contact WHERE id > ?
                UNION SELECT member_id FROM purchase WHERE id > ? AND member_id IS NOT NULL"""


def refresh_shop(day: date, rules: CallbackSettings, zone: ZoneInfo,
                 now: datetime) -> tuple[int, int, int]:
    """Run the rules for every member on `day`; return (inserted, cancelled, missed).

    The facts are read and the changes worked out outside any write lock (seconds at
    100,000 members); only the writes take the IMMEDIATE lock, so other sessions saving
    a contact meanwhile wait milliseconds, not seconds. A member who bought or was
    contacted after the facts were read is decided again inside the lock, from the
    facts as they are then.
    """
    oldest = day - timedelta(days=rules.stale_after_days)
    with database.atomic():  # one consistent snapshot of every table
        last_contact, last_purchase = database.execute_sql(_HIGH_WATER_SQL).fetchone()
        facts, existing = _load_facts(None, oldest)
        # cycles whose calls are owed, seen with their targets: this run raises them
        owed = _owed()
    changed = [(f.member_id, reconcile(existing.get(f.member_id, []),
                                       desired_callbacks(f, day, rules, zone), day, rules))
               for f in facts]
    with database.atomic("IMMEDIATE"):
        newer = {mid for (mid,) in database.execute_sql(_NEWER_SQL, (last_contact, last_purchase))}
        changed = [(mid, ch) for mid, ch in changed if ch and mid not in newer]
        _write(changed, now)
        for mid in sorted(newer):
            refresh_member(mid, day, rules, zone, now)
        Meta.replace(key=_GENERATED_KEY, value=day.isoformat()).execute()
        if owed:
            Meta.delete().where(Meta.key.in_(owed)).execute()
    # the planner's statistics kept fresh, once a day, after the run is saved: skipped, not
    # failed, if the lock is not free (the run is on file either way)
    database.optimize()
    return (sum(len(ch.insert) for _, ch in changed), sum(len(ch.cancel) for _, ch in changed),
            sum(len(ch.miss) for _, ch in changed))


def generated_on() -> date | None:
    row = Meta.get_or_none(Meta.key == _GENERATED_KEY)
    return date.fromisoformat(row.value) if row else None


def ensure_generated(day: date, rules: CallbackSettings, zone: ZoneInfo, now: datetime) -> bool:
    """Run the daily rules once per day (the first session of the day does it), and raise
    the calls of a plan whose start was cut short before them. True if either ran.

    A read-only database is read as it is: its queue is the one its last run left."""
    if read_only():
        return False
    if generated_on() == day:
        return raise_owed_calls(day, rules, zone, now) > 0
    refresh_shop(day, rules, zone, now)
    return True
