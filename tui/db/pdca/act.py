"""Act on a PDCA plan, and check the work: the spot-check of logged contacts, the
adjustments (a target changed, a method kept, dropped or added, targets reassigned, each
with why), closing a cycle with its final figures and starting the next from the
adjusted plan. Every write is a manager's, refused in require_manager, audited in the
same IMMEDIATE transaction. The figures themselves are tui/db/pdca/plans.py's.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from tui.clock import local_day, shop_time
from tui.db.assign.plan import balance
from tui.db.audit import audit, require_manager
from tui.db.boards.periods import Period
from tui.db.callbacks.raising import refresh_members
from tui.db.callbacks.rules import CAMPAIGN_KEY
from tui.db.models import Plan, PlanAdjustment, PlanCycle, PlanSpotCheck, Staff, database
from tui.db.pinyin import name_order
from tui.db.pdca.check import (FIGURES, PlanCheck, check_record, counting_bounds, plan_check,
                               work_out_check)
from tui.db.pdca.form import MAX_METHOD, PlanError, Targets, parse_percent, parse_yuan
from tui.db.pdca.plans import (DOING, cycle_on_file, latest_cycle, raise_campaign_calls,
                               running_cycle, start_cycle, targets_words)
from tui.db.staff import active_guides
from tui.i18n import N_, _, ngettext
from tui.money import Fen, yuan
from tui.settings import Settings
from tui.text import entered, text_problem



# -- spot-check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpotLine:
    check_id: int
    contact_id: int
    contacted_at: datetime  #: shop-local
    member_id: int
    member_no: str
    name: str
    phone: str | None
    guide: str  #: responsible for the member in the plan
    staff: str  #: who logged the contact
    channel: str
    outcome: str
    note: str
    verified: bool | None
    checked_by: str | None
    checked_at: datetime | None  #: shop-local


@dataclass(frozen=True)
class SpotCheck:
    cycle_id: int
    plan_name: str
    cycle_number: int
    status: str
    pool: int  #: contacts to target members in the period so far, not yet drawn
    lines: tuple[SpotLine, ...]

    @property
    def drawn(self) -> int:
        return len(self.lines)

    @property
    def checked(self) -> int:
        return sum(1 for ln in self.lines if ln.verified is not None)

    @property
    def verified(self) -> int:
        return sum(1 for ln in self.lines if ln.verified)


_POOL_SQL = """SELECT c.id FROM plan_target t JOIN contact c ON c.member_id = t.member_id
               WHERE t.cycle_id = ? AND c.contacted_at >= ? AND c.contacted_at < ?
                 AND NOT EXISTS (SELECT 1 FROM plan_spot_check s
                                 WHERE s.cycle_id = t.cycle_id AND s.contact_id = c.id)
               ORDER BY c.id"""


def _pool(cycle: PlanCycle, day: date, zone: ZoneInfo) -> list[int]:
    _as_of, start, end = counting_bounds(cycle, day, zone)
    return [r[0] for r in database.execute_sql(_POOL_SQL, (cycle.id, start, end))]


def spot_check(cycle_id: int, day: date, settings: Settings) -> SpotCheck:
    """The contacts drawn for the cycle's spot-check, in the order drawn, with verdicts."""
    zone = settings.shop.zone
    with database.atomic():
        cycle = cycle_on_file(cycle_id)
        names = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
        rows = database.execute_sql(
            """SELECT s.id, c.id, c.contacted_at, m.id, m.member_no, m.name, m.phone, t.guide_id,
                      c.staff_id, c.channel, c.outcome, c.note, s.verified, s.checked_by_id,
                      s.checked_at
               FROM plan_spot_check s JOIN contact c ON c.id = s.contact_id
               JOIN member m ON m.id = c.member_id
               LEFT JOIN plan_target t ON t.cycle_id = s.cycle_id AND t.member_id = m.id
               WHERE s.cycle_id = ? ORDER BY s.id""", (cycle.id,)).fetchall()
        pool = len(_pool(cycle, day, zone))
    lines = tuple(SpotLine(sid, cid, shop_time(at, zone), mid, no, name, phone,
                           names.get(gid, "nobody"), names.get(staff, "?"), channel, outcome,
                           note or "", None if verified is None else bool(verified),
                           names.get(by) if by else None, shop_time(checked_at, zone))
                  for (sid, cid, at, mid, no, name, phone, gid, staff, channel, outcome, note,
                       verified, by, checked_at) in rows)
    return SpotCheck(cycle.id, cycle.plan.name, cycle.number, cycle.status, pool, lines)


def draw_spot_check(cycle_id: int, size: int, staff_id: int, now: datetime, settings: Settings,
                    seed: int | None = None) -> int:
    """Draw `size` more of the period's contacts to target members (not drawn before) at
    random and store them; return how many were drawn. The seed is stored with them: the
    same pool (contact ids, lowest first) and seed always draw the same contacts."""
    if not 1 <= size <= 100:
        raise PlanError(_("draw from 1 to 100 contacts at a time"))
    zone = settings.shop.zone
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        cycle = running_cycle(cycle_id)
        pool = _pool(cycle, local_day(now, zone), zone)
        if not pool:
            raise PlanError(_("no contact to target members in the period is left to draw"))
        if seed is None:
            seed = int(now.replace(tzinfo=timezone.utc).timestamp() * 1000) % 2**31
        picked = random.Random(seed).sample(pool, min(size, len(pool)))
        database.cursor().executemany(
            "INSERT INTO plan_spot_check (cycle_id, contact_id, seed, drawn_at, drawn_by_id)"
            " VALUES (?, ?, ?, ?, ?)", [(cycle.id, c, seed, str(now), staff_id) for c in picked])
        audit(staff_id, now, "pdca_spot_draw", cycle.plan.name,
              f"cycle {cycle.number}: {len(picked)} of {len(pool)} contacts drawn, seed {seed}")
    return len(picked)


def mark_spot_check(check_id: int, verified: bool, staff_id: int, now: datetime,
                    note: str = "") -> None:
    """The manager's verdict on one drawn contact: verified (the member confirms, the note
    holds up) or not."""
    note = _one_line(note, _("the note"), WHY_MAX)
    with database.atomic("IMMEDIATE"):
        manager = require_manager(staff_id, DOING)
        check = PlanSpotCheck.get_or_none(PlanSpotCheck.id == check_id)
        if check is None:
            raise PlanError(_("spot-check line {id} is not on file").format(id=check_id))
        cycle = running_cycle(check.cycle_id)
        PlanSpotCheck.update(verified=verified, checked_by=manager.id, checked_at=now,
                             note=note).where(PlanSpotCheck.id == check_id).execute()
        member_no = database.execute_sql(
            "SELECT m.member_no FROM contact c JOIN member m ON m.id = c.member_id"
            " WHERE c.id = ?", (check.contact_id,)).fetchone()[0]
        audit(staff_id, now, "pdca_spot_mark", member_no,
              f"{cycle.plan.name} cycle {cycle.number}: contact {check.contact_id} "
              f"{'verified' if verified else 'not verified'}" + (f"; {note}" if note else ""))


# -- act: adjustments -------------------------------------------------------------------------

TARGET_WORDS = {"completion": "completion target", "success": "success target",
                "sales": "performance target"}
_TARGET_COLUMN = {"completion": "target_completion_pct", "success": "target_success_pct",
                  "sales": "target_sales_cents"}
DECISIONS = ("kept", "dropped", "added")


#: the longest reason for an adjustment, and the longest spot-check note
WHY_MAX = 500


def _one_line(text: str | None, what: str, limit: int) -> str:
    """Typed text on one line (runs of spaces and line breaks one space), or PlanError
    when it carries a control character or is too long."""
    text = " ".join(part for part in entered(text).replace("\n", " ").split(" ") if part)
    problem = text_problem(what, text, limit)
    if problem:
        raise PlanError(problem)
    return text


def _why(why: str) -> str:
    why = _one_line(why, _("the reason"), WHY_MAX)
    if not why:
        raise PlanError(_("say why: every adjustment is written down with its reason"))
    return why


def _adjust(plan: Plan, cycle: PlanCycle | None, kind: str, subject: str, old: str, new: str,
            why: str, staff_id: int, now: datetime) -> None:
    PlanAdjustment.create(plan=plan.id, cycle=cycle.id if cycle else None, kind=kind,
                          subject=subject, old=old, new=new, why=why, staff=staff_id, at=now)
    audit(staff_id, now, f"pdca_{kind}", plan.name, f"{subject}: {old} → {new}; why: {why}")


def change_target(plan_id: int, figure: str, value: str, why: str, staff_id: int,
                  now: datetime) -> str:
    """A target changed (old, new, why): the plan's, and the running cycle's from now on
    (the panel then compares with the new target; the old stays in the history)."""
    if figure not in FIGURES:
        raise PlanError(_("no target {figure!r}; one of {names}").format(
            figure=figure, names=", ".join(FIGURES)))
    why = _why(why)
    new = (parse_yuan(value, _(TARGET_WORDS[figure])) if figure == "sales"
           else parse_percent(value, _(TARGET_WORDS[figure])))
    show = (lambda v: yuan(v, Fen.IF_ANY)) if figure == "sales" else (lambda v: f"{v}%")
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        plan = Plan.get_by_id(plan_id)
        cycle = latest_cycle(plan_id)
        column = _TARGET_COLUMN[figure]
        old = getattr(cycle if cycle.status == "running" else plan, column)
        if old == new:
            raise PlanError(_("the {target} is already {value}").format(
                target=_(TARGET_WORDS[figure]), value=show(new)))
        Plan.update({column: new}).where(Plan.id == plan_id).execute()
        running = cycle if cycle.status == "running" else None
        if running:
            PlanCycle.update({column: new}).where(PlanCycle.id == cycle.id).execute()
        _adjust(plan, running or cycle, "target", TARGET_WORDS[figure], show(old), show(new),
                why, staff_id, now)
    return f"{_(TARGET_WORDS[figure])} {show(old)} → {show(new)}"


def decide_method(plan_id: int, method: str, decision: str, why: str, staff_id: int,
                  now: datetime) -> str:
    """A method kept, dropped (the next cycle runs without it) or added (the next cycle
    runs with it), with why."""
    if decision not in DECISIONS:
        raise PlanError(_("a method is kept, dropped or added, not {decision!r}").format(
            decision=decision))
    why = _why(why)
    method = _one_line(method, _("the method"), MAX_METHOD)
    if not method:
        raise PlanError(_("which method? type it as the plan names it"))
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        plan = Plan.get_by_id(plan_id)
        cycle = latest_cycle(plan_id)
        methods = list(json.loads(plan.methods or "[]"))
        known = {m.lower(): m for m in methods}
        if decision == "added":
            if method.lower() in known:
                raise PlanError(_("{method} is already one of the plan's methods").format(
                    method=known[method.lower()]))
            methods.append(method)
        else:
            if method.lower() not in known:
                raise PlanError(_("{method} is not one of the plan's methods: {methods}").format(
                    method=method, methods=", ".join(methods) or _("none")))
            method = known[method.lower()]
            if decision == "dropped":
                methods.remove(method)
        Plan.update(methods=json.dumps(methods, ensure_ascii=False)).where(
            Plan.id == plan_id).execute()
        _adjust(plan, cycle, "method", method, "", decision, why, staff_id, now)
    return f"{method}: {_(decision)}"


@dataclass(frozen=True)
class Reassigned:
    moved: int  #: target members given to another guide
    kept: int  #: targets left where they were: already contacted in the cycle
    per_guide: tuple[tuple[str, int], ...]

    @property
    def words(self) -> str:
        shares = ", ".join(f"{g} +{n}" for g, n in self.per_guide)
        kept = (ngettext("; {n} already contacted stays", "; {n} already contacted stay",
                         self.kept).format(n=self.kept) if self.kept else "")
        return ngettext("{n} uncontacted target moved", "{n} uncontacted targets moved",
                        self.moved).format(n=self.moved) + (f": {shares}" if shares else "") + kept


def reassign_targets(cycle_id: int, why: str, staff_id: int, now: datetime, settings: Settings,
                     to_guide_id: int | None = None, from_guide_id: int | None = None,
                     member_ids: list[int] | None = None) -> Reassigned:
    """People changed: target members not yet contacted in the cycle get another
    responsible guide — the members named, or all of one guide's — to one guide, or by
    the even split over the other active guides. A target already contacted keeps their
    guide: the figures never move a contact from the guide responsible when it was made.
    Their campaign calls follow at once."""
    why = _why(why)
    if (member_ids is None) == (from_guide_id is None):
        raise PlanError(_("say whose targets: the members, or the guide they come from"))
    zone = settings.shop.zone
    today = local_day(now, zone)
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        cycle = running_cycle(cycle_id)
        guides = dict(active_guides())
        if to_guide_id is not None and to_guide_id not in guides:
            staff = Staff.get_or_none(Staff.id == to_guide_id)
            raise PlanError(_("{name} is not an active guide; targets go to active guides").format(
                name=staff.name if staff else to_guide_id))
        _as_of, start, end = counting_bounds(cycle, today, zone)
        where = "t.cycle_id = ?"
        args: list = [cycle.id]
        if member_ids is not None:
            where += f" AND t.member_id IN ({','.join(str(int(m)) for m in member_ids) or 'NULL'})"
        else:
            where += " AND t.guide_id = ?"
            args.append(from_guide_id)
        rows = database.execute_sql(
            f"""SELECT t.member_id, m.member_no, t.guide_id,
                       EXISTS (SELECT 1 FROM contact c WHERE c.member_id = t.member_id
                               AND c.contacted_at >= ? AND c.contacted_at < ?)
                FROM plan_target t JOIN member m ON m.id = t.member_id
                WHERE {where} ORDER BY t.member_id""", (start, end, *args)).fetchall()
        if member_ids is not None:
            found = {r[0] for r in rows}
            missing = [m for m in member_ids if m not in found]
            if missing:
                no = database.execute_sql("SELECT member_no FROM member WHERE id = ?",
                                          (missing[0],)).fetchone()
                raise PlanError(_("{member} is not a target of this cycle").format(
                    member=no[0] if no else missing[0]))
            contacted = [r for r in rows if r[3]]
            if contacted:
                raise PlanError(_("{member} was already contacted in this cycle; only targets not "
                                  "yet contacted are reassigned").format(member=contacted[0][1]))
        movable = [r for r in rows if not r[3]]
        kept = len(rows) - len(movable)
        if not movable:
            raise PlanError(_("no target left to reassign: every one was already contacted"))
        if to_guide_id is not None:
            if all(r[2] == to_guide_id for r in movable):
                raise PlanError(_("they are already {guide}'s").format(guide=guides[to_guide_id]))
            placed = {r[0]: to_guide_id for r in movable}
        else:
            receivers = [(g, n) for g, n in guides.items() if g != from_guide_id]
            if not receivers:
                raise PlanError(_("no other active guide to take them over"))
            counts = dict(database.execute_sql(
                "SELECT guide_id, count(*) FROM plan_target WHERE cycle_id = ? GROUP BY guide_id",
                (cycle.id,)).fetchall())
            for r in movable:  # their load without the members being placed
                counts[r[2]] = counts.get(r[2], 0) - 1
            spread = balance([counts.get(g, 0) for g, _ in receivers], [0] * len(receivers),
                             [(r[0], 0, r[2]) for r in movable], [g for g, _ in receivers])
            placed = {m: receivers[i][0] for m, i in spread.items()}
        database.cursor().executemany(
            "UPDATE plan_target SET guide_id = ? WHERE cycle_id = ? AND member_id = ?",
            [(g, cycle.id, m) for m, g in placed.items()])
        got: dict[int, int] = defaultdict(int)
        for m, g in placed.items():
            got[g] += 1
        names = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
        per_guide = tuple(sorted(((names[g], n) for g, n in got.items()),
                                key=lambda x: name_order(x[0])))
        if member_ids is not None:
            subject = ", ".join(r[1] for r in movable[:5]) + ("…" if len(movable) > 5 else "")
            old = ", ".join(sorted({names.get(r[2], "nobody") for r in movable}))
        else:
            subject = f"{names.get(from_guide_id, 'nobody')}'s uncontacted targets"
            old = names.get(from_guide_id, "nobody")
        new = (per_guide[0][0] if len(per_guide) == 1
               else ", ".join(f"{g} {n}" for g, n in per_guide))
        _adjust(cycle.plan, cycle, "people", subject, old, new, why, staff_id, now)
        refresh_members(list(placed), today, settings.callbacks, zone, now)
    return Reassigned(len(placed), kept, per_guide)


# -- act: closing a cycle, starting the next ---------------------------------------------------


def close_cycle(cycle_id: int, staff_id: int, now: datetime, settings: Settings) -> PlanCheck:
    """Close the running cycle with its final figures, counted up to today (or the
    period's last day, if over) and stored: later sales or contacts do not change them.
    Its open campaign calls are cancelled."""
    zone = settings.shop.zone
    today = local_day(now, zone)
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        cycle = running_cycle(cycle_id)
        check = work_out_check(cycle, today, settings)
        PlanCycle.update(status="closed", closed_at=now, closed_by=staff_id,
                         final_as_of=check.as_of,
                         final=json.dumps(check_record(check), ensure_ascii=False)).where(
            PlanCycle.id == cycle.id).execute()
        cancelled = database.execute_sql(
            "UPDATE callback SET status = 'cancelled', closed_at = ?"
            " WHERE reason = 'campaign' AND status = 'open' AND source_key LIKE ?",
            (str(now), f"{CAMPAIGN_KEY}{cycle.id}:%")).rowcount
        w = check.whole
        audit(staff_id, now, "pdca_close", cycle.plan.name,
              f"cycle {cycle.number} closed as of {check.as_of}: completion "
              f"{w.contacted}/{w.targets}, success {w.succeeded}/{w.contacted}, performance "
              f"{yuan(w.sales_cents, Fen.IF_ANY)}; {cancelled} open campaign calls cancelled")
    return plan_check(cycle.id, today, settings)


def start_next_cycle(plan_id: int, period: Period, staff_id: int, now: datetime,
                     settings: Settings) -> int:
    """The next cycle from the adjusted plan: its targets and methods as they stand now,
    a new period, and the segment's members frozen afresh. Returns the cycle's id."""
    zone = settings.shop.zone
    today = local_day(now, zone)
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        plan = Plan.get_or_none(Plan.id == plan_id)
        if plan is None:
            raise PlanError(_("plan {id} is not on file").format(id=plan_id))
        last = latest_cycle(plan_id)
        if last.status == "running":
            raise PlanError(_("cycle {cycle} is still running; close it first (its final "
                              "figures are kept)").format(cycle=last.number))
        if period.last_day < today:
            raise PlanError(_("{first}..{last} is over; plan a period that ends today or "
                              "later").format(first=period.first_day, last=period.last_day))
        if period.first_day <= last.first_day:
            raise PlanError(_("the next cycle starts after cycle {cycle}'s first day "
                              "({day})").format(cycle=last.number, day=last.first_day))
        cycle_id, freeze = start_cycle(plan, last.number + 1, period, staff_id, now, settings)
        audit(staff_id, now, "pdca_next", plan.name,
              f"cycle {last.number + 1} {period.first_day}..{period.last_day}: {freeze.words}; "
              f"targets {targets_words(Targets(plan.target_completion_pct, plan.target_success_pct, plan.target_sales_cents))}")
    raise_campaign_calls(cycle_id, now, settings)
    return cycle_id
