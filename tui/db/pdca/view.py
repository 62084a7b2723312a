"""What stands behind a PDCA plan's figures: the target members of a figure with their
contacts and purchases (the panel's drill-down), the plans on file, and a plan's history of
cycles and adjustments. The figures themselves are worked out in tui/db/pdca/plans.py.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from tui.clock import shop_time
from tui.db.members.segments import parse_segment
from tui.db.models import Plan, PlanAdjustment, PlanCycle, Staff, database
from tui.db.pdca.check import (FIGURES, MEMBER_FACTS_SQL, Figure, PlanCheck, counting_bounds,
                               named_params, plan_check, repurchase_filter)
from tui.db.pdca.form import RESPONSIBLE, PlanError, Targets
from tui.db.pdca.plans import cycle_on_file
from tui.i18n import N_, _
from tui.settings import Settings


#: members a drill-down page lists
DRILL_PAGE = 100

# -- check: what is behind a figure -----------------------------------------------------------


@dataclass(frozen=True)
class DrillContact:
    contact_id: int
    at: datetime  #: shop-local
    staff: str
    channel: str
    outcome: str
    care: bool
    note: str


@dataclass(frozen=True)
class DrillPurchase:
    purchase_id: int
    at: datetime  #: shop-local
    cents: int  #: the lines that count as buying again
    products: str


@dataclass(frozen=True)
class DrillMember:
    member_id: int
    member_no: str
    name: str
    phone: str | None
    guide: str  #: responsible now
    first_contact: datetime | None  #: shop-local; None: not contacted in the period
    bought_again: bool
    sales_cents: int
    in_figure: bool  #: counted in the figure's numerator
    contacts: tuple[DrillContact, ...] = ()
    purchases: tuple[DrillPurchase, ...] = ()


@dataclass(frozen=True)
class PlanDrill:
    plan_name: str
    cycle_number: int
    figure: str
    guide_id: int | None
    guide: str
    first_day: date
    last_day: date
    as_of: date
    meaning: str  #: which members are listed, and which count
    total: int  #: members listed in all
    counted: int  #: of them, in the figure's numerator
    offset: int
    members: tuple[DrillMember, ...]


DRILL_MEANINGS = {
    "completion": (N_("target members; ✓ = a contact logged in the period"), N_("contacted")),
    "success": (N_("contacted target members; ✓ = bought again after the first contact"),
                N_("bought again")),
    "sales": (N_("contacted target members who bought again; the amount after the first "
                 "contact"), N_("with sales")),
}

_DRILL_SQL = MEMBER_FACTS_SQL + """
    SELECT b.member_id, m.member_no, m.name, m.phone, b.guide_id, b.first_at,
           b.cents IS NOT NULL, COALESCE(b.cents, 0), COUNT(*) OVER (),
           SUM({counted}) OVER ()
    FROM b JOIN member m ON m.id = b.member_id
    WHERE {which}
    ORDER BY {counted} DESC, b.first_at, m.member_no
    LIMIT :limit OFFSET :offset"""


def plan_drill(cycle_id: int, figure: str, guide_id: int | None, day: date, settings: Settings,
               whole: bool = False, limit: int | None = DRILL_PAGE,
               offset: int = 0) -> PlanDrill:
    """The members behind one figure of the whole plan (`whole`) or of one responsible
    guide, with every contact of theirs in the period and what they bought again.

    Counted up to `day` like plan_check; for a closed cycle, up to the day it was counted
    to when it closed.
    """
    if figure not in FIGURES:
        raise PlanError(_("no figure {figure!r}; one of {names}").format(
            figure=figure, names=", ".join(FIGURES)))
    zone = settings.shop.zone
    with database.atomic():
        cycle = cycle_on_file(cycle_id)
        if cycle.status == "closed" and cycle.final_as_of:
            day = cycle.final_as_of
        segment = parse_segment(cycle.plan.segment)
        as_of, start, end = counting_bounds(cycle, day, zone)
        which, counted = {
            "completion": ("1", "b.first_at IS NOT NULL"),
            "success": ("b.first_at IS NOT NULL", "b.cents IS NOT NULL"),
            "sales": ("b.cents IS NOT NULL", "b.cents IS NOT NULL"),
        }[figure]
        tail = _DRILL_SQL.replace("{which}", which).replace("{counted}", counted)
        repurchase, rargs, _words = repurchase_filter(segment)
        guide = "" if whole else ("AND t.guide_id IS :guide" if guide_id is None
                                  else "AND t.guide_id = :guide")
        sql, args = named_params(tail.replace("{guide}", guide).replace("{repurchase}", repurchase),
                           {"cycle": cycle.id, "start": start, "end": end, "guide": guide_id,
                            "limit": -1 if limit is None else limit, "offset": offset}, rargs)
        rows = database.execute_sql(sql, args).fetchall()
        names = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
        ids = [r[0] for r in rows]
        listed = ",".join(map(str, ids)) or "NULL"
        contacts: dict[int, list[DrillContact]] = defaultdict(list)
        for mid, cid, at, sid, channel, outcome, care, note in database.execute_sql(
                f"SELECT member_id, id, contacted_at, staff_id, channel, outcome, care, note"
                f" FROM contact WHERE member_id IN ({listed}) AND contacted_at >= ?"
                f" AND contacted_at < ? ORDER BY contacted_at, id", (start, end)):
            contacts[mid].append(DrillContact(cid, shop_time(at, zone), names.get(sid, "?"),
                                              channel, outcome, bool(care), note or ""))
        first = {r[0]: r[5] for r in rows}
        bought: dict[int, dict[int, list]] = defaultdict(dict)
        for mid, pid, at, cents, product in database.execute_sql(
                f"SELECT p.member_id, p.id, p.purchased_at, l.amount_cents, pr.name"
                f" FROM purchase p JOIN purchase_line l ON l.purchase_id = p.id"
                f" JOIN product pr ON pr.id = l.product_id"
                f" WHERE p.member_id IN ({listed}) AND p.purchased_at < ?{repurchase}"
                f" ORDER BY p.purchased_at, p.id, l.id", (end, *rargs)):
            if first.get(mid) is None or not str(at) > str(first[mid]):
                continue
            entry = bought[mid].setdefault(pid, [at, 0, []])
            entry[1] += cents
            entry[2].append(product)
    members = []
    for mid, no, name, phone, gid, first_at, again, cents, _total, _counted in rows:
        purchases = tuple(DrillPurchase(pid, shop_time(at, zone), c, "、".join(products))
                          for pid, (at, c, products) in bought.get(mid, {}).items())
        in_figure = {"completion": first_at is not None, "success": bool(again),
                     "sales": bool(again)}[figure]
        members.append(DrillMember(mid, no, name, phone, names.get(gid, "nobody"),
                                   shop_time(first_at, zone), bool(again), cents, in_figure,
                                   tuple(contacts.get(mid, ())), purchases))
    total = rows[0][8] if rows else 0
    done = rows[0][9] if rows else 0
    if not rows and offset:
        total = done = 0
    meaning, _counted = DRILL_MEANINGS[figure]
    return PlanDrill(cycle.plan.name, cycle.number, figure, None if whole else guide_id,
                     "whole plan" if whole else names.get(guide_id, "nobody"), cycle.first_day,
                     cycle.last_day, as_of, meaning, total, done or 0, offset, tuple(members))


# -- the plans on file ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    plan_id: int
    name: str
    cycle_id: int
    cycle_number: int
    status: str
    first_day: date
    last_day: date
    targets: int  #: target members of the latest cycle
    completion: Figure
    success: Figure
    sales: Figure


def plan_list(day: date, settings: Settings) -> list[PlanLine]:
    """Every plan with its latest cycle's whole-plan figures; running plans first."""
    out = []
    with database.atomic():
        cycles = list(PlanCycle.raw(
            "SELECT c.* FROM plan_cycle c WHERE c.number = (SELECT MAX(number) FROM plan_cycle"
            " WHERE plan_id = c.plan_id)"))
        for cycle in cycles:
            check = plan_check(cycle.id, day, settings)
            w = check.whole
            out.append(PlanLine(check.plan_id, check.plan_name, cycle.id, cycle.number,
                                cycle.status, cycle.first_day, cycle.last_day, w.targets,
                                *w.figures))
    out.sort(key=lambda p: (p.status != "running", p.name))
    return out


# -- history ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Adjustment:
    at: datetime  #: shop-local
    staff: str
    cycle_number: int | None
    kind: str
    subject: str
    old: str
    new: str
    why: str

    @property
    def words(self) -> str:
        change = {"target": f"{self.subject}: {self.old} → {self.new}",
                  "method": f"{self.subject}: {_(self.new)}",  # kept, dropped, added
                  "people": f"{self.subject}: {self.old} → {self.new}"}[self.kind]
        return f"{change} — {self.why}"



@dataclass(frozen=True)
class PlanHistory:
    plan_id: int
    name: str
    segment_words: str
    responsible: str
    targets: Targets  #: the plan as adjusted now: what the next cycle starts from
    methods: tuple[str, ...]
    cycles: tuple[PlanCheck, ...]  #: oldest first; closed ones from their final figures
    adjustments: tuple[Adjustment, ...]  #: oldest first


def plan_history(plan_id: int, day: date, settings: Settings) -> PlanHistory:
    zone = settings.shop.zone
    with database.atomic():
        plan = Plan.get_or_none(Plan.id == plan_id)
        if plan is None:
            raise PlanError(_("plan {id} is not on file").format(id=plan_id))
        cycles = tuple(plan_check(c.id, day, settings) for c in
                       PlanCycle.select().where(PlanCycle.plan == plan_id)
                       .order_by(PlanCycle.number))
        numbers = {c.cycle_id: c.cycle_number for c in cycles}
        names = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
        adjustments = tuple(
            Adjustment(shop_time(a.at, zone), names.get(a.staff_id, "?"), numbers.get(a.cycle_id),
                       a.kind, a.subject, a.old, a.new, a.why)
            for a in PlanAdjustment.select().where(PlanAdjustment.plan == plan_id)
            .order_by(PlanAdjustment.at, PlanAdjustment.id))
    return PlanHistory(plan.id, plan.name, parse_segment(plan.segment).words,
                       _(RESPONSIBLE.get(plan.responsible, plan.responsible)),
                       Targets(plan.target_completion_pct, plan.target_success_pct,
                               plan.target_sales_cents),
                       tuple(json.loads(plan.methods or "[]")), cycles, adjustments)
