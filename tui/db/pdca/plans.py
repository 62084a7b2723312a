"""PDCA plans (计划 · 执行 · 检查 · 改进): a quantified goal for a frozen set of members.

Plan: `create_plan` freezes the segment's members as the first cycle's targets, each with
a responsible guide. Do: the callback rules raise a campaign call for every target not
yet contacted in the period (rules.py, fed by callbacks._load_facts). Check: `plan_check`
is the panel's and `shopfloor pdca`'s one query: completion, success and performance
against the targets and the time elapsed, whole plan and per guide; `plan_drill` lists
the members and contacts behind a figure; the spot-check draws logged contacts for the
manager to verify. Act: targets changed, methods kept or dropped, targets reassigned,
each with why; `close_cycle` freezes the final figures and `start_next_cycle` starts
again from the adjusted plan. Every write is a manager's, audited, in one IMMEDIATE
transaction. The definitions, word for word, are in docs/pdca.md.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from peewee import OperationalError, fn

from tui.clock import local_day
from tui.db.assign.plan import balance
from tui.db.audit import audit, require_manager
from tui.db.boards.periods import Period
from tui.db.callbacks.raising import owe_campaign_calls, raise_cycle_calls
from tui.db.members.segments import Segment, check_segment, parse_segment, segment_member_ids
from tui.db.models import Plan, PlanCycle, Staff, database
from tui.db.pdca.form import PlanDraft, PlanError, Targets
from tui.db.pdca.spread import cycle_call_days, store_call_days
from tui.db.staff import active_guides
from tui.i18n import N_, _, ngettext
from tui.money import Fen, yuan
from tui.settings import Settings


#: what require_manager names when it refuses
DOING = N_("change PDCA plans")
#: contacts drawn for a spot-check when no size is given
SPOT_CHECK_SIZE = 10


# -- freezing the targets --------------------------------------------------------------------


@dataclass(frozen=True)
class Freeze:
    """Who would be frozen as targets, with their responsible guide."""

    members: tuple[tuple[int, int], ...]  #: (member id, guide id)
    per_guide: tuple[tuple[str, int], ...]  #: (guide name, target members)

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def words(self) -> str:
        shares = ", ".join(f"{name} {n}" for name, n in self.per_guide)
        return ngettext("{n} target member: {shares}", "{n} target members: {shares}",
                        self.count).format(n=self.count, shares=shares)


def freeze_targets(segment: Segment, responsible: str, split_guides: tuple[int, ...],
                   settings: Settings, today: date) -> Freeze:
    """The segment's members on `today` and their responsible guides (nothing written).

    owner: each member's owner when an active guide; members without one are shared out
    by the even split of docs/assignment.md over the active guides, on top of what the
    owners already have. split: every member by the even split over the guides named
    (or every active guide), members staying with their owner where there is room.
    """
    check_segment(segment, settings)
    guides = active_guides()
    if split_guides:
        named = dict(guides)
        missing = [g for g in split_guides if g not in named]
        if missing:
            name = Staff.get_or_none(Staff.id == missing[0])
            raise PlanError(_("{name} is not an active guide; choose active guides").format(
                name=name.name if name else missing[0]))
        guides = [(g, named[g]) for g in split_guides]
    if not guides:
        raise PlanError(_("no active guide to be responsible; add or reactivate a guide first"))
    ids = segment_member_ids(segment, settings, today)
    if not ids:
        raise PlanError(_("nobody is in the segment ({segment}); choose another").format(
            segment=segment.words))
    owner_of: dict[int, int | None] = {}
    for chunk in range(0, len(ids), 5000):
        part = ids[chunk:chunk + 5000]
        owner_of.update(database.execute_sql(
            f"SELECT id, owner_id FROM member WHERE id IN ({','.join(map(str, part))})"))
    index = {g: i for i, (g, _) in enumerate(guides)}
    placed: dict[int, int] = {}
    if responsible == "owner":
        loose = []
        for mid in ids:
            owner = owner_of.get(mid)
            if owner in index:
                placed[mid] = owner
            else:
                loose.append(mid)
        base = [0] * len(guides)
        for g in placed.values():
            base[index[g]] += 1
        if loose:
            spread = balance(base, [0] * len(guides), [(m, 0, None) for m in loose],
                             [g for g, _ in guides])
            placed.update({m: guides[i][0] for m, i in spread.items()})
    elif responsible == "split":
        spread = balance([0] * len(guides), [0] * len(guides),
                         [(m, 0, owner_of.get(m)) for m in ids], [g for g, _ in guides])
        placed = {m: guides[i][0] for m, i in spread.items()}
    else:
        raise PlanError(_("responsible: 'owner' or 'split', not {responsible!r}").format(
            responsible=responsible))
    counts = defaultdict(int)
    for g in placed.values():
        counts[g] += 1
    names = dict(guides)
    per_guide = tuple((names[g], counts[g]) for g, _ in sorted(guides, key=lambda x: (x[1], x[0]))
                      if counts[g])
    return Freeze(tuple((m, placed[m]) for m in ids), per_guide)


def _store_targets(cycle_id: int, freeze: Freeze) -> None:
    database.cursor().executemany(
        "INSERT INTO plan_target (cycle_id, member_id, guide_id, frozen_guide_id)"
        " VALUES (?, ?, ?, ?)", [(cycle_id, m, g, g) for m, g in freeze.members])


def _split_ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x.strip())


def targets_words(t: Targets) -> str:
    return (f"completion {t.completion_pct}%, success {t.success_pct}%, "
            f"performance {yuan(t.sales_cents, Fen.IF_ANY)}")


def preview_plan(draft: PlanDraft, settings: Settings, today: date) -> Freeze:
    """Who the plan would freeze today; nothing is written."""
    with database.atomic():
        return freeze_targets(draft.segment, draft.responsible, draft.split_guides, settings,
                              today)


def create_plan(draft: PlanDraft, staff_id: int, now: datetime, settings: Settings) -> int:
    """Write the plan and start its first cycle: the targets frozen now, their campaign
    calls raised right after (the rules' facts are read outside the write lock, as the
    daily run does: a 10,000-member plan would otherwise hold it for seconds, facts and
    rules 3 s more). The calls are owed from the start's own transaction until they are
    on file, so a start cut short has them raised at the next open. Returns the cycle's
    id."""
    zone = settings.shop.zone
    today = local_day(now, zone)
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        if Plan.get_or_none(fn.LOWER(Plan.name) == draft.name.strip().lower()) is not None:
            raise PlanError(_("a plan named {name} is already on file; choose another name, or "
                              "start its next cycle").format(name=draft.name.strip()))
        if draft.period.last_day < today:
            raise PlanError(_("{first}..{last} is over; plan a period that ends today or "
                              "later").format(first=draft.period.first_day,
                                              last=draft.period.last_day))
        t = draft.targets
        plan = Plan.create(name=draft.name.strip(), segment=draft.segment.text,
                           responsible=draft.responsible,
                           split_guides=",".join(map(str, draft.split_guides)),
                           target_completion_pct=t.completion_pct,
                           target_success_pct=t.success_pct, target_sales_cents=t.sales_cents,
                           methods=json.dumps(list(draft.methods), ensure_ascii=False),
                           created_by=staff_id, created_at=now)
        cycle_id, freeze = start_cycle(plan, 1, draft.period, staff_id, now, settings)
        audit(staff_id, now, "pdca_plan", plan.name,
              f"cycle 1 {draft.period.first_day}..{draft.period.last_day}, "
              f"{draft.segment.words}: {freeze.words}; targets {targets_words(t)}")
    raise_campaign_calls(cycle_id, now, settings)
    return cycle_id


def raise_campaign_calls(cycle_id: int, now: datetime, settings: Settings) -> None:
    """The started cycle's targets' callbacks brought in line with the rules: their
    campaign calls raised, and no longer owed. The plan is on file already: if another
    session holds the database past the bound now, the calls stay owed and the next open
    of the queue (or the daily run) raises them; the start is not reported as failed."""
    zone = settings.shop.zone
    try:
        raise_cycle_calls(cycle_id, local_day(now, zone), settings.callbacks, zone, now)
    except OperationalError:
        pass


def start_cycle(plan: Plan, number: int, period: Period, staff_id: int, now: datetime,
                 settings: Settings) -> tuple[int, Freeze]:
    """A cycle from the plan as it stands, its targets frozen, each target's call given
    its day (tui/db/pdca/spread.py) and the calls owed (inside the caller's transaction; the caller raises the calls after it,
    `raise_campaign_calls`)."""
    zone = settings.shop.zone
    today = local_day(now, zone)
    freeze = freeze_targets(parse_segment(plan.segment), plan.responsible,
                            _split_ids(plan.split_guides), settings, today)
    cycle = PlanCycle.create(
        plan=plan.id, number=number, first_day=period.first_day, last_day=period.last_day,
        frozen_on=today, target_completion_pct=plan.target_completion_pct,
        target_success_pct=plan.target_success_pct, target_sales_cents=plan.target_sales_cents,
        methods=plan.methods, status="running", started_at=now, started_by=staff_id)
    _store_targets(cycle.id, freeze)
    # each call on its own day of the period, by the guides' capacity (not all on the first)
    rules = settings.callbacks
    store_call_days(cycle.id, cycle_call_days(cycle.id, period.first_day, period.last_day, today,
                                              rules.guide_daily_capacity,
                                              rules.stale_after_days))
    owe_campaign_calls(cycle.id)
    return cycle.id, freeze


# -- finding plans ---------------------------------------------------------------------------


def running_cycle_ids() -> list[int]:
    """Every running cycle, oldest first: what `shopfloor pdca` checks without a plan named."""
    return [c.id for c in PlanCycle.select(PlanCycle.id).where(PlanCycle.status == "running")
            .order_by(PlanCycle.id)]


def find_plan(text: str) -> Plan:
    """A plan by its id or name (Latin case ignored), or PlanError naming those on file."""
    text = (text or "").strip()
    plan = None
    if text.isdigit():
        plan = Plan.get_or_none(Plan.id == int(text))
    if plan is None and text:
        plan = Plan.get_or_none(fn.LOWER(Plan.name) == text.lower())
    if plan is None:
        names = ", ".join(p.name for p in Plan.select(Plan.name).order_by(Plan.name)) or "none yet"
        raise PlanError(_("no plan {text!r}; plans on file: {names}").format(text=text,
                                                                           names=names))
    return plan


def latest_cycle(plan_id: int) -> PlanCycle:
    cycle = (PlanCycle.select().where(PlanCycle.plan == plan_id)
             .order_by(PlanCycle.number.desc()).first())
    if cycle is None:
        raise PlanError(_("plan {id} has no cycle").format(id=plan_id))
    return cycle


def find_cycle(plan_id: int, number: int | None = None) -> PlanCycle:
    if number is None:
        return latest_cycle(plan_id)
    cycle = PlanCycle.get_or_none((PlanCycle.plan == plan_id) & (PlanCycle.number == number))
    if cycle is None:
        last = latest_cycle(plan_id).number
        raise PlanError(_("no cycle {number}; this plan has cycles 1 to {last}").format(
            number=number, last=last))
    return cycle


def cycle_on_file(cycle_id: int) -> PlanCycle:
    cycle = PlanCycle.get_or_none(PlanCycle.id == cycle_id)
    if cycle is None:
        raise PlanError(_("cycle {id} is not on file").format(id=cycle_id))
    return cycle


def running_cycle(cycle_id: int) -> PlanCycle:
    cycle = cycle_on_file(cycle_id)
    if cycle.status != "running":
        raise PlanError(_("cycle {cycle} of {plan} is closed; its figures are final (start the "
                          "next cycle to work on)").format(cycle=cycle.number,
                                                           plan=cycle.plan.name))
    return cycle
