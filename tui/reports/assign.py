"""An assignment's preview and result as text and JSON: `shopfloor assign` and the screen."""

from __future__ import annotations

import json

from tui.db.assign.plan import AssignResult, GuideLoad, SplitPlan, counted
from tui.i18n import N_, _
from tui.reports.text import fit, fit_right
from tui.text import json_safe, shown

#: (heading, width) of the number columns, members then open callbacks
NUMBER_COLUMNS = ((N_("now"), 6), (N_("+in"), 6), (N_("-out"), 6), (N_("after"), 6))
NAME_WIDTH = 16


def plan_headline(plan: SplitPlan) -> str:
    """'Even split of unassigned over 3 guides: 7 members, 9 open callbacks change owner.'"""
    words = (_("Even split of {title} over {guides}: {members} ({moving} change owner), "
               "{callbacks} change owner.") if plan.kind == "split"
             else _("Hand-over of {title} to {guides}: {members} ({moving} change owner), "
                    "{callbacks} change owner."))
    return words.format(title=plan.title, guides=counted(len(plan.receivers), "guide"),
                        members=counted(plan.members, "member"), moving=plan.members_moving,
                        callbacks=counted(plan.callbacks_moving, "open callback"))


def sources_words(plan: SplitPlan) -> str:
    """'from: unassigned 7, 张丽 2'."""
    if not plan.from_counts:
        return _("nobody is in this set")
    # "unassigned" is the data's word for no owner (the JSON's too): translated here
    return _("from: {owners}").format(owners=", ".join(
        f"{_(name) if name == 'unassigned' else name} {n}" for name, n in plan.from_counts))


def guide_cells(g: GuideLoad) -> tuple[str, ...]:
    """The name and the eight numbers of one guide's line, as text."""
    name = _("{name} (leaving)").format(name=g.name) if g.leaving else g.name
    return (name, str(g.members_now), f"+{g.members_in}", f"-{g.members_out}",
            str(g.members_after), str(g.callbacks_now), f"+{g.callbacks_in}",
            f"-{g.callbacks_out}", str(g.callbacks_after))


def plan_text(plan: SplitPlan, result: AssignResult | None = None) -> str:
    """The preview table; below it what was done, or that nothing was."""
    numbers = "".join(fit_right(_(h), w) for h, w in NUMBER_COLUMNS)
    out = [plan_headline(plan), sources_words(plan), "",
           fit("", NAME_WIDTH) + fit("  " + _("members"), len(numbers)) + "   "
           + _("open callbacks"),
           fit(_("guide"), NAME_WIDTH) + numbers + "  " + numbers]
    for g in plan.guides:
        cells = guide_cells(g)
        row = fit(cells[0], NAME_WIDTH)
        row += "".join(fit_right(c, w) for c, (_head, w) in zip(cells[1:5], NUMBER_COLUMNS))
        row += "  " + "".join(fit_right(c, w) for c, (_head, w) in zip(cells[5:], NUMBER_COLUMNS))
        out.append(row)
    out.append("")
    out.append(_("Done: {words}.").format(words=result.words) if result is not None
               else _("Preview only: nothing changed."))
    return shown("\n".join(out) + "\n")


def plan_json(plan: SplitPlan, result: AssignResult | None = None) -> str:
    doc = {
        "kind": plan.kind,
        "title": plan.title,
        "subject": plan.subject,
        "day": plan.day.isoformat(),
        "members": plan.members,
        "members_moving": plan.members_moving,
        "callbacks_moving": plan.callbacks_moving,
        "from": [{"owner": name, "members": n} for name, n in plan.from_counts],
        "guides": [{
            "guide_id": g.guide_id, "name": g.name, "leaving": g.leaving,
            "members_now": g.members_now, "members_in": g.members_in,
            "members_out": g.members_out, "members_after": g.members_after,
            "callbacks_now": g.callbacks_now, "callbacks_in": g.callbacks_in,
            "callbacks_out": g.callbacks_out, "callbacks_after": g.callbacks_after,
        } for g in plan.guides],
        "applied": None if result is None else {
            "members": result.members, "callbacks": result.callbacks,
            "per_guide": [{"name": n, "members": m, "callbacks": c}
                          for n, m, c in result.per_guide],
            "audit_id": result.audit_id, "deactivated": result.deactivated,
        },
    }
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"


def assigned_text(result: AssignResult) -> str:
    return _("Done: {words}.").format(words=result.words) + "\n"
