"""The callback rules, as plain functions of a member's facts and the day.

`desired_callbacks` says which callbacks a member should have; `reconcile` compares
that with what the database holds and says what to insert, cancel and mark missed.
Both are pure, so generation is idempotent by construction and each rule is tested
on hand-computed dates. `callbacks.py` feeds them from the database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tui.clock import local_day
from tui.settings import CallbackSettings

#: Reasons the rules manage; others are raised elsewhere and left alone here. A campaign
#: call is the rules' only when its key is a plan cycle's (CAMPAIGN_KEY): see `_managed`.
RULE_REASONS = frozenset({"follow_up", "running_out", "birthday", "dormant", "scheduled", "complaint"})
#: The key of a campaign call raised for a PDCA plan's cycle: "cycle:12:2026-11-01".
CAMPAIGN_KEY = "cycle:"
#: Sales calls: a member who refused promotions gets none of these.
SALES_REASONS = frozenset({"running_out", "dormant", "campaign"})
#: Callbacks are raised this many days before they fall due, no earlier: the queue of any
#: day up to a month ahead is complete (tomorrow's queue size is on the end-of-day sheet),
#: and a year of birthdays ahead does not fill the table. The daily run raises the rest.
LOOKAHEAD_DAYS = 31


class Line(NamedTuple):
    """One purchase line as the rules see it (a tuple: the daily run builds a million)."""

    purchase_id: int
    purchased_at: datetime  #: UTC, without zone
    product_name: str
    brand: str
    quantity: int
    days_per_unit: float | None
    category: str = ""  #: a brand's wipes do not replace its diapers


@dataclass(frozen=True)
class ChildFacts:
    child_id: int
    name: str | None
    birth_date: date | None
    due_date: date | None


@dataclass(frozen=True)
class LastContact:
    """The member's newest contact: it alone says when to call next."""

    contact_id: int
    staff_id: int | None  #: who booked the call; None once they are no longer active
    contacted_at: datetime  #: UTC
    outcome: str
    next_contact_on: date | None
    note: str = ""


@dataclass(frozen=True)
class CampaignFacts:
    """The member is a target of a running PDCA cycle (tui/db/pdca/plans.py)."""

    cycle_id: int
    plan_name: str
    first_day: date  #: the cycle's period, shop days, inclusive
    last_day: date
    frozen_on: date  #: the day the targets were frozen (the plan started)
    guide_id: int | None  #: the responsible guide; None when not an active staff member
    #: the day its call falls due, spread over the period by the guides' capacity
    #: (tui/db/pdca/spread.py); None: the first day (a cycle started before version 11)
    call_on: date | None = None


@dataclass(frozen=True)
class MemberFacts:
    member_id: int
    owner_id: int | None
    joined_on: date
    birthday: date | None
    accepts_promotions: bool | None  #: None: not asked; False: refused promotions
    do_not_contact: bool
    children: tuple[ChildFacts, ...] = ()
    lines: tuple[Line, ...] = ()
    last_contact: LastContact | None = None
    #: earlier contacts that booked a call (not a no-answer retry): a promise stays a
    #: promise when someone else talks to the member in between
    bookings: tuple[LastContact, ...] = ()
    #: running PDCA cycles the member is a target of
    campaigns: tuple[CampaignFacts, ...] = ()


@dataclass(frozen=True)
class Due:
    """A callback the rules want to exist."""

    reason: str
    key: str
    due_on: date
    owner_id: int | None
    detail: str = ""


@dataclass(frozen=True)
class Existing:
    """A callback already in the database."""

    callback_id: int
    reason: str
    key: str
    status: str
    due_on: date
    owner_id: int | None = None  #: compared for campaign calls only (they follow the plan)


@dataclass
class Changes:
    insert: list[Due] = field(default_factory=list)
    cancel: list[int] = field(default_factory=list)
    miss: list[int] = field(default_factory=list)
    #: (callback id, what it should be now): an open callback whose date moved (a second
    #: sale the same day, a revised due date), or a cancelled one that is wanted again
    #: (promotions accepted again, a date back inside the look-ahead)
    update: list[tuple[int, Due]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.insert or self.cancel or self.miss or self.update)


def follow_up_due(purchased_at_utc: datetime, hours: int, zone: ZoneInfo) -> date:
    """The last day on which the post-purchase call is still within `hours` of the sale."""
    return local_day(purchased_at_utc + timedelta(hours=hours), zone)


def run_out_date(bought_on: date, quantity: int, days_per_unit: float) -> date:
    """The day the purchase runs out: 12 cans at 7.5 days bought on 1 Sep run out on 30 Nov."""
    return bought_on + timedelta(days=math.floor(quantity * days_per_unit + 1e-9))


def birthday_in(born: date, year: int) -> date:
    """The birthday in `year`; 29 February is kept on 28 February in other years."""
    if born.month == 2 and born.day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return born.replace(year=year)


def dormant_from(last_purchase: date | None, joined_on: date, last_contact: date | None,
                 purchase_days: int, contact_days: int) -> date:
    """The first day the member counts as dormant: no purchase for N days and no contact for M."""
    since_purchase = (last_purchase or joined_on) + timedelta(days=purchase_days)
    if last_contact is None:
        return since_purchase
    return max(since_purchase, last_contact + timedelta(days=contact_days))


def dormant_occurrence(since: date, oldest: date, every_days: int) -> date:
    """The first of since, since + every, since + 2 × every … that is not older than `oldest`."""
    if since >= oldest:
        return since
    cycles = math.ceil((oldest - since).days / every_days)
    return since + timedelta(days=cycles * every_days)


def _age_words(born: date, on: date) -> str:
    years = on.year - born.year - (on < birthday_in(born, on.year))
    return f"{years}岁" if years > 0 else "周岁"


def desired_callbacks(facts: MemberFacts, day: date, rules: CallbackSettings,
                      zone: ZoneInfo) -> list[Due]:
    """Every callback the member should have on `day`, under the shop's rules."""
    if facts.do_not_contact:
        return []
    sales_ok = facts.accepts_promotions is not False
    oldest = day - timedelta(days=rules.stale_after_days)
    latest = day + timedelta(days=LOOKAHEAD_DAYS)
    owner = facts.owner_id
    wanted: list[Due] = []
    # the shop day of each sale, worked out once (the daily run does this for every sale)
    sale_day: dict[int, date] = {}
    for ln in facts.lines:
        if ln.purchase_id not in sale_day:
            sale_day[ln.purchase_id] = local_day(ln.purchased_at, zone)

    # Post-purchase follow-up, one per sale; a return (every line taken back, as a POS
    # export writes it: negative quantities) is not a sale to follow up.
    sales: dict[int, list[Line]] = {}
    for line in facts.lines:
        sales.setdefault(line.purchase_id, []).append(line)
    for purchase_id, lines in sales.items():
        if all(ln.quantity < 0 for ln in lines):
            continue
        due = follow_up_due(lines[0].purchased_at, rules.follow_up_hours, zone)
        if oldest <= due <= latest:
            more = f" +{len(lines) - 1}" if len(lines) > 1 else ""
            wanted.append(Due("follow_up", f"purchase:{purchase_id}", due, owner,
                              f"bought {lines[0].product_name}{more}"))

    # Running out, per brand and category: each purchase of consumables adds its days to
    # the stock left (if any), so a repurchase moves the reminder to when the member really
    # runs out. Durable goods (no days per unit) neither raise nor move a reminder.
    if sales_ok:
        by_line: dict[tuple[str, str], dict[date, list[Line]]] = {}
        for line in facts.lines:
            if line.days_per_unit:
                days_of = by_line.setdefault((line.brand, line.category), {})
                days_of.setdefault(sale_day[line.purchase_id], []).append(line)
        for brand, category in sorted(by_line):
            runs_out, last_buy, last_lines = date.min, None, []
            purchases = by_line[(brand, category)]
            for bought_on in sorted(purchases):
                lasting = purchases[bought_on]
                days = sum(ln.quantity * ln.days_per_unit for ln in lasting)
                if days > 0:
                    runs_out = run_out_date(max(bought_on, runs_out), 1, days)
                    last_buy, last_lines = bought_on, lasting
                elif days < 0 and last_buy is not None:
                    # a return: what was taken back no longer lasts, from the stock's end
                    runs_out -= timedelta(days=math.floor(-days + 1e-9))
            if last_buy is None or runs_out <= last_buy:  # nothing kept, or all taken back
                continue
            due = runs_out - timedelta(days=rules.running_out_lead_days)
            if oldest <= due <= latest:
                units = sum(ln.quantity for ln in last_lines)
                kind = f"{brand}/{category}" if category else brand
                wanted.append(Due("running_out", f"{kind}:{last_buy.isoformat()}", due, owner,
                                  f"{last_lines[0].product_name} ×{units} runs out {runs_out:%m-%d}"))

    # Birthdays of the member and the children; a baby on the way: its due date.
    lead = timedelta(days=rules.birthday_lead_days)
    born_days: list[tuple[str, date, str]] = []
    if facts.birthday:
        born_days.append(("member", facts.birthday, "member's birthday"))
    for child in facts.children:
        if child.birth_date:
            born_days.append((f"child:{child.child_id}", child.birth_date, child.name or "child"))
        elif child.due_date:
            due = child.due_date - lead
            if oldest <= due <= latest:
                wanted.append(Due("birthday", f"child:{child.child_id}:due", due, owner,
                                  f"{child.name or 'baby'} due {child.due_date:%m-%d}"))
    for who, born, label in born_days:
        for year in (day.year - 1, day.year, day.year + 1):
            when = birthday_in(born, year)
            if when <= born:
                continue
            due = when - lead
            if oldest <= due <= latest:
                text = (f"{label} {when:%m-%d}" if who == "member"
                        else f"{label} {_age_words(born, when)} {when:%m-%d}")
                wanted.append(Due("birthday", f"{who}:{year}", due, owner, text))

    # Dormant: due when the member becomes dormant, then again every dormant_contact_days
    # while nothing happens, so a reminder that went stale unhandled comes back next cycle.
    if sales_ok:
        last_buy = max(sale_day.values(), default=None)
        last_talk = local_day(facts.last_contact.contacted_at, zone) if facts.last_contact else None
        since = dormant_from(last_buy, facts.joined_on, last_talk,
                             rules.dormant_purchase_days, rules.dormant_contact_days)
        due = dormant_occurrence(since, oldest, rules.dormant_contact_days)
        detail = f"no purchase since {last_buy:%Y-%m-%d}" if last_buy else "never bought"
        if due <= latest:
            wanted.append(Due("dormant", f"since:{since.isoformat()}:{due.isoformat()}", due,
                              owner, detail))

    # Scheduled by a guide (or a complaint's feedback call): the newest contact's next date,
    # and every earlier booking; an automatic no-answer retry is settled by the next contact.
    booked = {b.contact_id: b for b in facts.bookings if b.outcome != "no_answer"}
    if facts.last_contact:
        booked[facts.last_contact.contact_id] = facts.last_contact
    for contact_id in sorted(booked):
        b = booked[contact_id]
        if b.next_contact_on and oldest <= b.next_contact_on <= latest:
            reason = "complaint" if b.outcome == "complaint" else "scheduled"
            default = {"complaint": "feedback call", "no_answer": "retry: no answer last time"}
            # the booker makes the call; a booker who has left hands it to the owner
            wanted.append(Due(reason, f"contact:{contact_id}", b.next_contact_on,
                              b.staff_id if b.staff_id is not None else owner,
                              b.note[:40] or default.get(b.outcome, "call back as agreed")))

    # Campaign: a target of a running PDCA cycle, from the target's own day of the period
    # (spread by the guides' capacity when the cycle started; else the first day, or the
    # day the plan started, if later) until the member has a contact logged on or after the
    # first day; a sales call. Owned by the plan's responsible guide. While nobody calls, it
    # is due again every stale_after_days, so it stays in the queue until the period ends.
    if sales_ok:
        talked = local_day(facts.last_contact.contacted_at, zone) if facts.last_contact else None
        for c in facts.campaigns:
            if day > c.last_day or (talked is not None and talked >= c.first_day):
                continue
            since = max(c.call_on or c.first_day, c.frozen_on)
            due = dormant_occurrence(since, oldest, max(1, rules.stale_after_days))
            if due <= latest and due <= c.last_day:
                wanted.append(Due("campaign", f"{CAMPAIGN_KEY}{c.cycle_id}:{due.isoformat()}",
                                  due, c.guide_id if c.guide_id is not None else owner,
                                  c.plan_name))
    return wanted


def _managed(e: Existing) -> bool:
    """Whether these rules own the callback: cancel it when unwanted."""
    return e.reason in RULE_REASONS or (e.reason == "campaign" and e.key.startswith(CAMPAIGN_KEY))


def reconcile(existing: list[Existing], wanted: list[Due], day: date,
              rules: CallbackSettings) -> Changes:
    """What to write so the database holds exactly what the rules want.

    A key done or missed is history and never raised again. An open callback overdue
    past `stale_after_days` is missed; an open rule callback the rules no longer want
    (a repurchase, an opt-out) is cancelled; an open one whose due date moved is
    updated; a cancelled one wanted again is reopened with the date wanted now.
    """
    changes = Changes()
    oldest = day - timedelta(days=rules.stale_after_days)
    by_key = {(e.reason, e.key): e for e in existing}
    want = {(w.reason, w.key): w for w in wanted}
    for e in existing:
        if e.status != "open":
            continue
        wish = want.get((e.reason, e.key))
        if e.due_on < oldest:
            changes.miss.append(e.callback_id)
        elif wish is None and _managed(e):
            changes.cancel.append(e.callback_id)
        elif wish is not None and (wish.due_on != e.due_on or (
                e.reason == "campaign" and wish.owner_id != e.owner_id)):
            # a plan's call follows the responsible guide (people changed in the Act)
            changes.update.append((e.callback_id, wish))
    for k, w in want.items():
        e = by_key.get(k)
        if e is None:
            changes.insert.append(w)
        elif e.status == "cancelled":
            changes.update.append((e.callback_id, w))
    return changes
