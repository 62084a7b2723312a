"""The day each target's campaign call falls due when a cycle starts: spread over the
period by each guide's daily capacity, the calls already due counted first, the members
likeliest to buy again called first — so starting a plan never drops every call on one day.

`spread_calls` is the rule (pure, tested on hand-computed days); `cycle_call_days` reads
what it needs from the database: the guides' load per day and the targets in order.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from tui.db.models import database


def spread_calls(targets: Iterable[tuple[int, int]], days: Sequence[date], capacity: int,
                 load: Mapping[tuple[int, date], int],
                 in_queue: Mapping[tuple[int, int], date] | None = None) -> dict[int, date]:
    """{member id: the day of their campaign call}.

    `targets`: (member id, responsible guide id), likeliest to act first; `days`: the
    period's days still to come, in order; `load`: (guide, day) → calls already due that
    day (members in the guide's queue); `in_queue`: (member, guide) → the first of `days`
    the member is already in that guide's queue. Each guide's targets, in the order given,
    take the earliest day with room (load + calls placed < capacity). When no day has room
    left, a call goes to the day holding the fewest calls (the earliest of equals): an
    overloaded period is shared out evenly, never dropped on its first day. A member the
    guide is calling anyway on that day or before gets the campaign call with it, taking
    no room (one call, two reasons).
    """
    in_queue = in_queue or {}
    if not days:
        return {}
    placed: dict[int, date] = {}
    used: dict[int, list[int]] = {}
    first_free: dict[int, int] = defaultdict(int)  # no day before it has room: it only grows
    fewest: dict[int, list[tuple[int, int]]] = {}  # (calls, day index), once no day has room
    for member, guide in targets:
        calls = used.get(guide)
        if calls is None:
            calls = used[guide] = [load.get((guide, d), 0) for d in days]
        i = first_free[guide]
        while i < len(days) and calls[i] >= capacity:
            i += 1
        first_free[guide] = i
        anyway = in_queue.get((member, guide))
        if anyway is not None and (i == len(days) or anyway <= days[i]):
            placed[member] = anyway
            continue
        if i < len(days):
            calls[i] += 1
        else:
            heap = fewest.get(guide)
            if heap is None:
                heap = fewest[guide] = [(n, j) for j, n in enumerate(calls)]
                heapq.heapify(heap)
            n, i = heapq.heappop(heap)
            heapq.heappush(heap, (n + 1, i))
        placed[member] = days[i]
    return placed


# The guides' calls already due on each day of the period still to come: one per member
# in the guide's queue that day (a member with two reasons is one call); what is due
# before the first of those days is that day's. The cycle's own calls are not counted.
_LOAD_SQL = """
    SELECT owner_id, MAX(due_on, ?) AS day, COUNT(DISTINCT member_id)
    FROM callback
    WHERE status = 'open' AND due_on >= ? AND due_on <= ? AND owner_id IS NOT NULL
      AND NOT (reason = 'campaign' AND source_key LIKE ?)
    GROUP BY owner_id, day"""

# The first day from `today` each target is in their responsible guide's queue already.
_IN_QUEUE_SQL = """
    SELECT cb.member_id, cb.owner_id, MAX(MIN(cb.due_on), ?)
    FROM plan_target t JOIN callback cb ON cb.member_id = t.member_id AND cb.owner_id = t.guide_id
    WHERE t.cycle_id = ? AND cb.status = 'open' AND cb.due_on >= ? AND cb.due_on <= ?
      AND NOT (cb.reason = 'campaign' AND cb.source_key LIKE ?)
    GROUP BY cb.member_id, cb.owner_id"""

# The targets who will get a campaign call, likeliest to act first: a running-out reminder
# in the queue or raised ahead, soonest first (the product is running out: the member is
# about to buy; one gone stale, more than stale_after_days overdue, does not count);
# then the latest purchase, newest first; then the biggest spender; then member number.
# Members who refused promotions or any contact get no campaign call and take no room.
_TARGETS_SQL = """
    WITH soon AS MATERIALIZED (
        SELECT member_id, MIN(due_on) AS runs_out FROM callback
        WHERE status = 'open' AND due_on >= ? AND reason = 'running_out' GROUP BY member_id)
    SELECT t.member_id, t.guide_id
    FROM plan_target t JOIN member m ON m.id = t.member_id
    LEFT JOIN soon ON soon.member_id = t.member_id
    WHERE t.cycle_id = ? AND t.guide_id IS NOT NULL
      AND NOT m.do_not_contact AND COALESCE(m.accepts_promotions, 1) != 0
    ORDER BY soon.runs_out IS NULL, soon.runs_out,
             m.last_purchase_at IS NULL, m.last_purchase_at DESC,
             m.total_spend_cents DESC, m.member_no"""


def cycle_call_days(cycle_id: int, first_day: date, last_day: date, today: date,
                    capacity: int, stale_after_days: int) -> dict[int, date]:
    """The day of each target's campaign call for a cycle whose targets are on file
    (inside the transaction that starts it): from today or the first day, whichever is
    later, to the last day."""
    start = max(first_day, today)
    if start > last_day:
        return {}
    days = [start + timedelta(days=n) for n in range((last_day - start).days + 1)]
    oldest = today - timedelta(days=stale_after_days)
    # starting today, what is overdue still is today's call; a period to come counts its
    # own days (what is due before it will be called, or gone stale, by then)
    low = oldest if start == today else start
    window = (low.isoformat(), last_day.isoformat(), f"cycle:{cycle_id}:%")
    load = {(guide, date.fromisoformat(day)): n for guide, day, n in database.execute_sql(
        _LOAD_SQL, (start.isoformat(), *window))}
    in_queue = {(member, guide): date.fromisoformat(day) for member, guide, day in
                database.execute_sql(_IN_QUEUE_SQL, (start.isoformat(), cycle_id, *window))}
    targets = database.execute_sql(_TARGETS_SQL, (oldest.isoformat(), cycle_id)).fetchall()
    return spread_calls(targets, days, capacity, load, in_queue)


def store_call_days(cycle_id: int, days: Mapping[int, date]) -> None:
    database.cursor().executemany(
        "UPDATE plan_target SET call_on = ? WHERE cycle_id = ? AND member_id = ?",
        [(d.isoformat(), cycle_id, m) for m, d in days.items()])

