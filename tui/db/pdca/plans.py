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
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from peewee import OperationalError, fn

from tui.clock import day_start_utc, local_day, stored_text
from tui.db.assign.plan import balance
from tui.db.audit import audit, require_manager
from tui.db.boards.periods import Period
from tui.db.callbacks.raising import refresh_members
from tui.db.members.segments import (BOUGHT, Segment, check_segment, parse_segment,
                                     segment_member_ids)
from tui.db.models import Plan, PlanCycle, Staff, database
from tui.db.pdca.form import RESPONSIBLE, PlanDraft, PlanError, Targets
from tui.db.staff import active_guides
from tui.money import Fen, yuan
from tui.settings import Settings


#: what require_manager names when it refuses
DOING = "change PDCA plans"
#: the three figures, in the panel's order
FIGURES = ("completion", "success", "sales")
FIGURE_LABELS = {"completion": "completion", "success": "success", "sales": "performance"}
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
        return f"{self.count} target member{'s' if self.count != 1 else ''}: {shares}"


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
            raise PlanError(f"{name.name if name else missing[0]} is not an active guide; "
                            "choose active guides")
        guides = [(g, named[g]) for g in split_guides]
    if not guides:
        raise PlanError("no active guide to be responsible; add or reactivate a guide first")
    ids = segment_member_ids(segment, settings, today)
    if not ids:
        raise PlanError(f"nobody is in the segment ({segment.words}); choose another")
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
        raise PlanError(f"responsible: 'owner' or 'split', not {responsible!r}")
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
    daily run does: a 10,000-member plan would otherwise hold it for seconds). Returns
    the cycle's id."""
    zone = settings.shop.zone
    today = local_day(now, zone)
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        if Plan.get_or_none(fn.LOWER(Plan.name) == draft.name.strip().lower()) is not None:
            raise PlanError(f"a plan named {draft.name.strip()} is already on file; "
                            "choose another name, or start its next cycle")
        if draft.period.last_day < today:
            raise PlanError(f"{draft.period.first_day}..{draft.period.last_day} is over; "
                            "plan a period that ends today or later")
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
    raise_campaign_calls(freeze, now, settings)
    return cycle_id


def raise_campaign_calls(freeze: Freeze, now: datetime, settings: Settings) -> None:
    """The frozen targets' callbacks brought in line with the rules: their campaign calls
    raised. The plan is on file already: if another session holds the database too long
    now, the calls are raised by the daily run (or the next sale or contact) instead."""
    zone = settings.shop.zone
    try:
        refresh_members([m for m, _ in freeze.members], local_day(now, zone),
                        settings.callbacks, zone, now)
    except OperationalError:
        pass


def start_cycle(plan: Plan, number: int, period: Period, staff_id: int, now: datetime,
                 settings: Settings) -> tuple[int, Freeze]:
    """A cycle from the plan as it stands, its targets frozen (inside the caller's
    transaction; the caller raises their calls after it, `raise_campaign_calls`)."""
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
    return cycle.id, freeze


# -- finding plans ---------------------------------------------------------------------------


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
        raise PlanError(f"no plan {text!r}; plans on file: {names}")
    return plan


def latest_cycle(plan_id: int) -> PlanCycle:
    cycle = (PlanCycle.select().where(PlanCycle.plan == plan_id)
             .order_by(PlanCycle.number.desc()).first())
    if cycle is None:
        raise PlanError(f"plan {plan_id} has no cycle")
    return cycle


def find_cycle(plan_id: int, number: int | None = None) -> PlanCycle:
    if number is None:
        return latest_cycle(plan_id)
    cycle = PlanCycle.get_or_none((PlanCycle.plan == plan_id) & (PlanCycle.number == number))
    if cycle is None:
        last = latest_cycle(plan_id).number
        raise PlanError(f"no cycle {number}; this plan has cycles 1 to {last}")
    return cycle


def cycle_on_file(cycle_id: int) -> PlanCycle:
    cycle = PlanCycle.get_or_none(PlanCycle.id == cycle_id)
    if cycle is None:
        raise PlanError(f"cycle {cycle_id} is not on file")
    return cycle


def running_cycle(cycle_id: int) -> PlanCycle:
    cycle = cycle_on_file(cycle_id)
    if cycle.status != "running":
        raise PlanError(f"cycle {cycle.number} of {cycle.plan.name} is closed; its figures "
                        "are final (start the next cycle to work on)")
    return cycle


# -- check: the figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure against its target: rates keep numerator and denominator."""

    key: str  #: completion, success or sales
    done: int  #: members (completion, success) or cents (sales)
    of: int  #: the rate's denominator; 0 for sales
    target: Fraction  #: a share 0..1 for the rates; cents for sales
    expected: Fraction  #: target × elapsed days / period days
    started: bool = True  #: False before the period's first day

    @property
    def is_rate(self) -> bool:
        return self.key != "sales"

    @property
    def actual(self) -> Fraction:
        if not self.is_rate:
            return Fraction(self.done)
        return Fraction(self.done, self.of) if self.of else Fraction(0)

    @property
    def on_pace(self) -> bool:
        return self.actual >= self.expected

    @property
    def pace(self) -> str:
        if not self.started:
            return "not started"
        return "on pace" if self.on_pace else "behind"


@dataclass(frozen=True)
class GuideFigures:
    """The figures of one responsible guide, or of the whole plan (guide_id None)."""

    guide_id: int | None
    guide: str
    targets: int  #: target members
    contacted: int  #: of them, with a contact logged in the period
    succeeded: int  #: of those, who bought again after their first contact
    sales_cents: int
    spot_drawn: int = 0  #: contacts drawn for the spot-check
    spot_checked: int = 0  #: of them, marked verified or not
    spot_verified: int = 0
    figures: tuple[Figure, ...] = ()

    def figure(self, key: str) -> Figure:
        return self.figures[FIGURES.index(key)]


@dataclass(frozen=True)
class PlanCheck:
    plan_id: int
    plan_name: str
    cycle_id: int
    cycle_number: int
    status: str  #: running, closed
    segment: str  #: the segment's text
    segment_words: str
    repurchase_words: str  #: what counts as buying again
    responsible: str
    first_day: date
    last_day: date
    frozen_on: date
    as_of: date  #: figures count up to the end of this day (never past the period)
    elapsed_days: int  #: days of the period up to and including as_of
    period_days: int
    targets: Targets
    methods: tuple[str, ...]
    whole: GuideFigures
    guides: tuple[GuideFigures, ...]
    final: bool = False  #: the closing snapshot, not worked out now

    @property
    def rows(self) -> tuple[GuideFigures, ...]:
        return (self.whole, *self.guides)

    def row(self, guide_id: int | None) -> GuideFigures:
        for r in self.rows:
            if r.guide_id == guide_id:
                return r
        raise PlanError(f"nobody with id {guide_id} is responsible for targets of this plan")


def _figures(targets: Targets, members: int, all_members: int, contacted: int, succeeded: int,
             sales: int, elapsed: int, days: int) -> tuple[Figure, ...]:
    """The three figures; a guide's performance target is the plan's pro rata to their
    share of the target members."""
    share = Fraction(elapsed, days) if days else Fraction(0)
    started = elapsed > 0
    completion_target = Fraction(targets.completion_pct, 100)
    success_target = Fraction(targets.success_pct, 100)
    sales_target = (Fraction(targets.sales_cents * members, all_members) if all_members
                    else Fraction(0))
    return (Figure("completion", contacted, members, completion_target,
                   completion_target * share, started),
            Figure("success", succeeded, contacted, success_target, success_target * share,
                   started),
            Figure("sales", sales, 0, sales_target, sales_target * share, started))


def counting_bounds(cycle: PlanCycle, day: date, zone: ZoneInfo) -> tuple[date, str, str]:
    """as_of, and the UTC [start, end) the figures count in."""
    as_of = min(day, cycle.last_day)
    start = day_start_utc(cycle.first_day, zone)
    end = max(start, day_start_utc(as_of + timedelta(days=1), zone))
    return as_of, stored_text(start), stored_text(end)


def repurchase_filter(segment: Segment) -> tuple[str, tuple, str]:
    """SQL on product `pr` for what counts as buying again, its parameters and words: the
    brand, product or category the segment's 'bought' conditions name, or any purchase."""
    column = {"brand": "pr.brand", "product": "pr.sku", "category": "pr.category"}
    sql, args, words = [], [], []
    for c in segment.conditions:
        if c.kind in BOUGHT:
            sql.append(f"lower({column[c.kind]}) = lower(?)")
            args.append(c.value)
            words.append({"brand": f"brand {c.value}", "product": f"product {c.value}",
                          "category": f"category {c.value}"}[c.kind])
    if not sql:
        return "", (), "any purchase"
    return " AND " + " AND ".join(sql), tuple(args), "a purchase of " + " and ".join(words)


# The per-member facts every figure is made of, one row per target: the responsible
# guide, the time of the first contact in [start, end) (NULL: none), and the amount of
# the lines that count as buying again after that contact and before end (NULL: none;
# a line of 0 yuan is still a purchase). Both are correlated lookups on the covering
# indexes (member_id, time): a join of the targets to the purchases was three times
# slower, SQLite reading the purchase rows themselves.
_MEMBER_FACTS = """
    WITH f AS MATERIALIZED (
        SELECT t.member_id, t.guide_id,
               (SELECT MIN(c.contacted_at) FROM contact c
                WHERE c.member_id = t.member_id AND c.contacted_at >= :start
                  AND c.contacted_at < :end) AS first_at
        FROM plan_target t WHERE t.cycle_id = :cycle {guide}),
    b AS MATERIALIZED (
        SELECT f.member_id, f.guide_id, f.first_at,
               (SELECT SUM(l.amount_cents) FROM purchase p
                JOIN purchase_line l ON l.purchase_id = p.id
                JOIN product pr ON pr.id = l.product_id
                WHERE p.member_id = f.member_id AND p.purchased_at > f.first_at
                  AND p.purchased_at < :end {repurchase}) AS cents
        FROM f)"""

_CHECK_SQL = _MEMBER_FACTS + """
    SELECT b.guide_id, COUNT(*), COUNT(b.first_at), COUNT(b.cents), COALESCE(SUM(b.cents), 0)
    FROM b GROUP BY b.guide_id"""

_SPOT_SQL = """
    SELECT t.guide_id, COUNT(*), COUNT(s.verified), COALESCE(SUM(s.verified = 1), 0)
    FROM plan_spot_check s JOIN contact c ON c.id = s.contact_id
    JOIN plan_target t ON t.cycle_id = s.cycle_id AND t.member_id = c.member_id
    WHERE s.cycle_id = ? GROUP BY t.guide_id"""


def _named(sql: str, params: dict, args: tuple) -> tuple[str, list]:
    """peewee's sqlite takes positional parameters: turn :name and ? into one list, in order."""
    out: list = []
    extra = iter(args)

    def sub(match: re.Match) -> str:
        token = match.group(0)
        out.append(next(extra) if token == "?" else params[token[1:]])
        return "?"

    return re.sub(r":[a-z_]+|\?", sub, sql), out


def _member_facts_sql(tail: str, cycle: PlanCycle, segment: Segment, start: str, end: str,
                      guide_id: int | None = None, whole: bool = True) -> tuple[str, list]:
    repurchase, rargs, _ = repurchase_filter(segment)
    guide = "" if whole else ("AND t.guide_id IS :guide" if guide_id is None
                              else "AND t.guide_id = :guide")
    sql = tail.replace("{guide}", guide).replace("{repurchase}", repurchase)
    return _named(sql, {"cycle": cycle.id, "start": start, "end": end, "guide": guide_id},
                  rargs)


def plan_check(cycle_id: int, day: date, settings: Settings, live: bool = False) -> PlanCheck:
    """The check panel of one cycle, counted up to the end of `day` (the panel's today; the
    CLI's --date). A closed cycle gives the figures frozen when it closed, unless `live`."""
    with database.atomic():  # one snapshot: a contact saved meanwhile never half-counts
        cycle = cycle_on_file(cycle_id)
        if cycle.status == "closed" and cycle.final and not live:
            return check_from_record(json.loads(cycle.final))
        return work_out_check(cycle, day, settings)


def work_out_check(cycle: PlanCycle, day: date, settings: Settings) -> PlanCheck:
    zone = settings.shop.zone
    plan = cycle.plan
    segment = parse_segment(plan.segment)
    as_of, start, end = counting_bounds(cycle, day, zone)
    days = (cycle.last_day - cycle.first_day).days + 1
    elapsed = max(0, min(days, (as_of - cycle.first_day).days + 1))
    targets = Targets(cycle.target_completion_pct, cycle.target_success_pct,
                      cycle.target_sales_cents)
    sql, args = _member_facts_sql(_CHECK_SQL, cycle, segment, start, end)
    per: dict[int | None, list[int]] = {}
    for guide, members, contacted, succeeded, cents in database.execute_sql(sql, args):
        per[guide] = [members, contacted, succeeded, cents, 0, 0, 0]
    for guide, drawn, checked, verified in database.execute_sql(_SPOT_SQL, (cycle.id,)):
        per.setdefault(guide, [0, 0, 0, 0, 0, 0, 0])[4:] = [drawn, checked, verified]
    names = {s.id: (s.name if s.active else f"{s.name} (inactive)")
             for s in Staff.select(Staff.id, Staff.name, Staff.active)}
    return _assemble(plan.id, plan.name, cycle, segment, as_of, elapsed, days, targets,
                     {g: (names.get(g, "nobody") if g is not None else "nobody", *v)
                      for g, v in per.items()})


def _assemble(plan_id: int, plan_name: str, cycle, segment: Segment, as_of: date, elapsed: int,
              days: int, targets: Targets, per: dict, final: bool = False) -> PlanCheck:
    """per: {guide id: (name, members, contacted, succeeded, cents, drawn, checked, verified)}"""
    all_members = sum(v[1] for v in per.values())

    def row(guide_id, name, members, contacted, succeeded, cents, drawn, checked, verified):
        return GuideFigures(guide_id, name, members, contacted, succeeded, cents, drawn, checked,
                            verified, _figures(targets, members, all_members, contacted,
                                               succeeded, cents, elapsed, days))

    totals = [sum(v[i] for v in per.values()) for i in range(1, 8)]
    whole = row(None, "whole plan", *totals)
    guides = tuple(row(g, *v) for g, v in sorted(per.items(), key=lambda kv: (kv[1][0], kv[0] or 0)))
    return PlanCheck(
        plan_id=plan_id, plan_name=plan_name, cycle_id=cycle.id, cycle_number=cycle.number,
        status=cycle.status, segment=segment.text, segment_words=segment.words,
        repurchase_words=repurchase_filter(segment)[2],
        responsible=RESPONSIBLE.get(cycle.plan.responsible, cycle.plan.responsible),
        first_day=cycle.first_day, last_day=cycle.last_day, frozen_on=cycle.frozen_on,
        as_of=as_of, elapsed_days=elapsed, period_days=days, targets=targets,
        methods=tuple(json.loads(cycle.methods or "[]")), whole=whole, guides=guides, final=final)


def check_record(check: PlanCheck) -> dict:
    """The check as plain data: what a closed cycle stores, and what the JSON report prints
    (with words added)."""
    def guide(g: GuideFigures) -> dict:
        return {"guide_id": g.guide_id, "guide": g.guide, "targets": g.targets,
                "contacted": g.contacted, "succeeded": g.succeeded, "sales_cents": g.sales_cents,
                "spot_drawn": g.spot_drawn, "spot_checked": g.spot_checked,
                "spot_verified": g.spot_verified}

    return {"plan_id": check.plan_id, "plan": check.plan_name, "cycle_id": check.cycle_id,
            "cycle": check.cycle_number, "segment": check.segment,
            "first_day": check.first_day.isoformat(), "last_day": check.last_day.isoformat(),
            "frozen_on": check.frozen_on.isoformat(), "as_of": check.as_of.isoformat(),
            "elapsed_days": check.elapsed_days, "period_days": check.period_days,
            "targets": {"completion_pct": check.targets.completion_pct,
                        "success_pct": check.targets.success_pct,
                        "sales_cents": check.targets.sales_cents},
            "methods": list(check.methods),
            "whole": guide(check.whole), "guides": [guide(g) for g in check.guides]}


def check_from_record(doc: dict) -> PlanCheck:
    """A stored check back as a PlanCheck, the figures worked out as when it was stored."""
    cycle = cycle_on_file(doc["cycle_id"])
    t = doc["targets"]
    per = {g["guide_id"]: (g["guide"], g["targets"], g["contacted"], g["succeeded"],
                           g["sales_cents"], g["spot_drawn"], g["spot_checked"],
                           g["spot_verified"]) for g in doc["guides"]}
    return _assemble(doc["plan_id"], doc["plan"], cycle, parse_segment(doc["segment"]),
                     date.fromisoformat(doc["as_of"]), doc["elapsed_days"], doc["period_days"],
                     Targets(t["completion_pct"], t["success_pct"], t["sales_cents"]), per,
                     final=True)
