"""Applying assignments: a previewed split or hand-over written as planned, or refused when
another session has moved on since; one member to one guide. Each is one IMMEDIATE
transaction with its line in the audit log, a manager's only.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from tui.db.assign.plan import (DOING, AssignError, AssignResult, SplitPlan, StalePlan,
                                check_receiver, counted, keeping_staff, movable_sql,
                                plan_hand_over, sql_ids)
from tui.db.audit import audit, require_manager
from tui.db.models import Member, Staff, database
from tui.i18n import _


def _stale_message(plan: SplitPlan) -> str:
    names = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
    by_id = {m.member_id: m for m in plan.moves}
    ids = list(by_id)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found = {mid: (no, owner, erased) for mid, no, owner, erased in database.execute_sql(
            f"SELECT id, member_no, owner_id, erased_at FROM member WHERE id IN {sql_ids(chunk)}")}
        for mid in chunk:
            if mid not in found:
                return _("member {id} is no longer on file (merged?) since the preview; preview "
                         "again").format(id=mid)
            no, owner, erased = found[mid]
            if erased is not None:
                return _("{member} was erased since the preview; preview again").format(member=no)
            if owner != by_id[mid].from_owner:
                was = names.get(by_id[mid].from_owner, _("unassigned"))
                now = names.get(owner, _("unassigned"))
                return _("{member} changed owner since the preview ({was} then, {now} now): "
                         "another session assigned members meanwhile; preview again").format(
                    member=no, was=was, now=now)
    return _("members changed since the preview; preview again")


def _apply(plan: SplitPlan, staff_id: int, now: datetime, action: str, keepers: list[int],
           extra: str = "") -> AssignResult:
    """Move the plan's members and their calls; the caller holds the IMMEDIATE transaction
    and has checked the manager."""
    for guide_id in plan.receivers:
        staff = Staff.get_or_none(Staff.id == guide_id)
        if staff is None or staff.role != "guide" or not staff.active:
            name = staff.name if staff else f"staff {guide_id}"
            raise StalePlan(_("{name} is no longer an active guide; preview again").format(
                name=name))
    received = Counter(m.to_guide for m in plan.moves if m.from_owner != m.to_guide)
    # the plan in a temporary table: one statement checks it and one moves each table
    sql = database.execute_sql
    sql("DROP TABLE IF EXISTS temp.assign_plan")
    sql("CREATE TEMP TABLE assign_plan (member_id INTEGER PRIMARY KEY, from_owner INTEGER,"
        " to_guide INTEGER NOT NULL)")
    try:
        database.cursor().executemany("INSERT INTO temp.assign_plan VALUES (?, ?, ?)",
                                      [(m.member_id, m.from_owner, m.to_guide) for m in plan.moves])
        still = sql("SELECT count(*) FROM temp.assign_plan p JOIN member m ON m.id = p.member_id"
                    " WHERE m.owner_id IS p.from_owner AND m.erased_at IS NULL").fetchone()[0]
        if still != len(plan.moves):
            raise StalePlan(_stale_message(plan))
        calls = Counter(dict(sql(
            f"SELECT p.to_guide, count(*) FROM callback c JOIN temp.assign_plan p"
            f" ON p.member_id = c.member_id WHERE {movable_sql(keepers)}"
            f" AND c.owner_id IS NOT p.to_guide GROUP BY p.to_guide").fetchall()))
        sql("UPDATE member SET owner_id = p.to_guide FROM temp.assign_plan p"
            " WHERE member.id = p.member_id AND member.owner_id IS NOT p.to_guide")
        sql(f"UPDATE callback SET owner_id = p.to_guide FROM temp.assign_plan p"
            f" WHERE callback.member_id = p.member_id AND {movable_sql(keepers, 'callback.')}"
            f" AND callback.owner_id IS NOT p.to_guide")
    finally:
        sql("DROP TABLE IF EXISTS temp.assign_plan")
    cursor = database.cursor()
    for callback_id, to in plan.booked_moves:
        cursor.execute("UPDATE callback SET owner_id = ? WHERE id = ? AND status = 'open'"
                       " AND owner_id = ?", (to, callback_id, plan.from_guide_id))
        calls[to] += cursor.rowcount
    moved = sum(calls.values())
    if plan.from_guide_id is not None:
        left = sql("SELECT count(*) FROM callback WHERE status = 'open' AND owner_id = ?",
                   (plan.from_guide_id,)).fetchone()[0]
        if left:
            raise StalePlan(_("{n} open callbacks were booked for the leaving guide since the "
                              "preview; preview again").format(n=left))
    names = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
    per_guide = tuple((names[g], received[g], calls[g]) for g in plan.receivers)
    members = sum(received.values())
    shares = "; ".join(f"{name} +{counted(m, 'member')} +{counted(c, 'callback')}"
                       for name, m, c in per_guide)
    detail = (f"{plan.title}: {members} of {counted(plan.members, 'member')} and "
              f"{counted(moved, 'open callback')} moved over {counted(len(plan.receivers), 'guide')}"
              f"; {shares}{extra}")
    audit_id = audit(staff_id, now, action, plan.subject, detail)
    return AssignResult(members, moved, per_guide, audit_id)


def apply_split(plan: SplitPlan, staff_id: int, now: datetime) -> AssignResult:
    """Apply a previewed even split, or refuse: PermissionDenied for anyone but a manager,
    StalePlan when any member's owner changed after the preview (nothing is written)."""
    if plan.kind != "split":
        raise AssignError(_("that preview is a hand-over; apply it with apply_hand_over"))
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        if not plan.moves:
            raise AssignError(_("nobody is in the segment ({segment}); nothing to split").format(
                segment=plan.title))
        return _apply(plan, staff_id, now, "assign_split", keeping_staff())


def apply_hand_over(plan: SplitPlan, staff_id: int, now: datetime,
                    deactivate: bool = False) -> AssignResult:
    """Apply a previewed hand-over: the leaver's members and every open callback they own
    (their booked calls too: they are leaving) go to the receivers; with `deactivate`
    the leaver can no longer sign in or receive members. Stale previews are refused."""
    if plan.kind != "handover":
        raise AssignError(_("that preview is an even split; apply it with apply_split"))
    with database.atomic("IMMEDIATE"):
        manager = require_manager(staff_id, DOING)
        return _hand_over(plan, manager, now, deactivate)


def _hand_over(plan: SplitPlan, manager: Staff, now: datetime, deactivate: bool) -> AssignResult:
    leaving = Staff.get_by_id(plan.from_guide_id)
    if deactivate and leaving.id == manager.id:
        raise AssignError(_("you cannot deactivate yourself; ask another manager"))
    extra = f"; {leaving.name} deactivated" if deactivate and leaving.active else ""
    result = _apply(plan, manager.id, now, "hand_over", keeping_staff(leaving.id), extra)
    if deactivate and leaving.active:
        Staff.update(active=False).where(Staff.id == leaving.id).execute()
        return AssignResult(result.members, result.callbacks, result.per_guide,
                            result.audit_id, leaving.name)
    return result


def hand_over(from_guide_id: int, to_guide_ids: list[int] | None, staff_id: int,
              now: datetime, deactivate: bool = False, today: date | None = None) -> AssignResult:
    """Preview and apply a hand-over in one transaction (nothing can overtake it)."""
    with database.atomic("IMMEDIATE"):
        manager = require_manager(staff_id, DOING)
        plan = plan_hand_over(from_guide_id, to_guide_ids, today or now.date())
        return _hand_over(plan, manager, now, deactivate)


def assign_members(member_ids: list[int], guide_id: int, staff_id: int,
                   now: datetime) -> AssignResult:
    """Give the members to one guide (proximity, who served them first, ability: the
    manager's choice). Their open callbacks follow, except calls another active person
    booked. One audit line per member."""
    if not member_ids:
        raise AssignError(_("no member chosen; give at least one"))
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        guide = check_receiver(guide_id)
        members = {m.id: m for m in Member.select(Member.id, Member.member_no, Member.owner,
                                                  Member.erased_at)
                   .where(Member.id.in_(list(member_ids)))}
        for mid in member_ids:
            if mid not in members:
                raise AssignError(_("member {id} is not on file").format(id=mid))
            if members[mid].erased_at is not None:
                raise AssignError(_("{member} was erased on request; it cannot be assigned").format(
                    member=members[mid].member_no))
        names = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
        movable = movable_sql(keeping_staff(), alias="")
        cursor = database.cursor()
        moved_members = moved_calls = 0
        last = None
        for mid in dict.fromkeys(member_ids):
            member = members[mid]
            was = member.owner_id
            cursor.execute("UPDATE member SET owner_id = ? WHERE id = ?", (guide.id, mid))
            cursor.execute(f"UPDATE callback SET owner_id = ? WHERE member_id = ? AND {movable}"
                           " AND owner_id IS NOT ?", (guide.id, mid, guide.id))
            calls = cursor.rowcount
            if was == guide.id and not calls:
                continue  # already theirs: nothing done, nothing to log
            moved_members += was != guide.id
            moved_calls += calls
            last = audit(staff_id, now, "assign", member.member_no,
                         f"{names.get(was, 'unassigned')} → {guide.name}; "
                         f"{counted(calls, 'open callback')} moved")
    return AssignResult(moved_members, moved_calls, ((guide.name, moved_members, moved_calls),),
                        last)
