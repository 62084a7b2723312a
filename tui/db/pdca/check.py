"""The check of a PDCA cycle: each figure (completion, success, performance) against its
target and against what the days so far lead one to expect, per guide, worked out in one
query over the cycle's frozen targets; the final figures as a record.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from tui.clock import day_start_utc, stored_text
from tui.db.members.segments import BOUGHT, Segment, parse_segment
from tui.db.models import PlanCycle, Staff, database
from tui.db.pdca.form import RESPONSIBLE, PlanError, Targets
from tui.db.pdca.plans import cycle_on_file
from tui.i18n import N_, _
from tui.settings import Settings


#: the three figures, in the panel's order
FIGURES = ("completion", "success", "sales")
FIGURE_LABELS = {"completion": N_("completion"), "success": N_("success"),
                 "sales": N_("performance")}


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
            return N_("not started")
        # stable words (the JSON's "pace"): translated where shown
        return N_("on pace") if self.on_pace else N_("behind")


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
        raise PlanError(_("nobody with id {id} is responsible for targets of this plan").format(
            id=guide_id))


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
            words.append({"brand": _("brand {value}"), "product": _("product {value}"),
                          "category": _("category {value}")}[c.kind].format(value=c.value))
    if not sql:
        return "", (), _("any purchase")
    return (" AND " + " AND ".join(sql), tuple(args),
            _("a purchase of {what}").format(what=_(" and ").join(words)))


# The per-member facts every figure is made of, one row per target: the responsible
# guide, the time of the first contact in [start, end) (NULL: none), and the amount of
# the lines that count as buying again after that contact and before end (NULL: none;
# a line of 0 yuan is still a purchase). Both are correlated lookups on the covering
# indexes (member_id, time): a join of the targets to the purchases was three times
# slower, SQLite reading the purchase rows themselves.
MEMBER_FACTS_SQL = """
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


_CHECK_SQL = MEMBER_FACTS_SQL + """
    SELECT b.guide_id, COUNT(*), COUNT(b.first_at), COUNT(b.cents), COALESCE(SUM(b.cents), 0)
    FROM b GROUP BY b.guide_id"""


_SPOT_SQL = """
    SELECT t.guide_id, COUNT(*), COUNT(s.verified), COALESCE(SUM(s.verified = 1), 0)
    FROM plan_spot_check s JOIN contact c ON c.id = s.contact_id
    JOIN plan_target t ON t.cycle_id = s.cycle_id AND t.member_id = c.member_id
    WHERE s.cycle_id = ? GROUP BY t.guide_id"""


def named_params(sql: str, params: dict, args: tuple) -> tuple[str, list]:
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
    repurchase, rargs, _words = repurchase_filter(segment)
    guide = "" if whole else ("AND t.guide_id IS :guide" if guide_id is None
                              else "AND t.guide_id = :guide")
    sql = tail.replace("{guide}", guide).replace("{repurchase}", repurchase)
    return named_params(sql, {"cycle": cycle.id, "start": start, "end": end, "guide": guide_id},
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
    names = {s.id: (s.name if s.active else _("{name} (inactive)").format(name=s.name))
             for s in Staff.select(Staff.id, Staff.name, Staff.active)}
    return _assemble(plan.id, plan.name, cycle, segment, as_of, elapsed, days, targets,
                     {g: (names.get(g, _("nobody")) if g is not None else _("nobody"), *v)
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
        responsible=_(RESPONSIBLE.get(cycle.plan.responsible, cycle.plan.responsible)),
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
