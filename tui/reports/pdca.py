"""PDCA plans as words, text, JSON and CSV: `shopfloor pdca` and the check panel print
every figure through `figure_cells`, so the two cannot disagree. DEFINITIONS is the text
of docs/pdca.md and of the panel's help, word for word."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction

from tui.db.pdca.act import SpotCheck
from tui.db.pdca.check import FIGURES, FIGURE_LABELS, Figure, GuideFigures, PlanCheck, check_record
from tui.db.pdca.view import PlanDrill, PlanHistory, PlanLine
from tui.db.pdca.form import METHOD_CHOICES
from tui.i18n import N_, _, ngettext
from tui.money import Fen, half_up, yuan
from tui.reports.text import fit, fit_right
from tui.text import csv_cell, json_safe, shown

DEFINITIONS = N_("""\
Target members: the members of the plan's segment on the day the cycle starts, frozen
  with their responsible guide. Members who join the segment later never enter the
  figures; members who leave it stay. Erased members are never frozen.
Period: the cycle's days, first to last, in the shop's time zone. Figures count up to
  the end of the day asked for (the panel: today; the command line: --date), never
  past the last day. A closed cycle shows the figures stored when it closed.
Contact: any entry of the tracking log timed within the period, whoever logged it and
  whatever the outcome (no answer included). First contact: a member's earliest one.
Completion rate = target members with a contact in the period / target members.
Success rate = contacted target members who bought again / contacted target members.
  Bought again: a purchase timed after the member's first contact and before the end
  counted to, with a line of what the segment's "bought" condition names (its brand,
  product or category; any product when it names none). A purchase before the first
  contact, or after the period, is not a success.
Performance = the amounts of those lines, summed over the target members.
Targets: the cycle's, as they stand now; a target changed mid-cycle counts for the
  whole cycle (the old value stays in the history, with why).
Pace: elapsed = days of the period up to and including the day counted to;
  expected = target × elapsed days / period days; on pace when actual ≥ expected,
  else behind; before the first day: not started.
Per guide: the same figures over the targets a guide is responsible for now; a
  guide's performance target = the plan's × the guide's targets / all targets. Only
  targets not yet contacted in the cycle can be reassigned, so a contact always
  counts for the guide who was responsible when it was made.
Spot-check: contacts to target members in the period, drawn at random with a stored
  seed (the same sample when reopened); verified share = marked verified / marked,
  shown beside the completion rate.
Campaign calls: each target member not yet contacted in the period is due a campaign
  call from their own day of the period, owned by the responsible guide, until
  contacted or the period ends; again every stale_after_days while nobody calls. None
  for members who refused promotions or asked not to be contacted. The days are given
  when the cycle starts, from that day (or the first day, if later) to the last: each
  guide's targets, likeliest to buy first (a running-out reminder due soonest, then the
  latest purchase, then the biggest spender), take the earliest day on which the
  guide's queue holds fewer than guide_daily_capacity calls, the calls already due
  counted; a member in the guide's queue that day or before anyway gets it with that
  call. When no day has room, the day holding the fewest calls. A call counts as due,
  and as missed if not made, only from its own day.
""")


def percent(share: Fraction) -> str:
    return f"{int(half_up(share * 100))}%"


def actual_words(f: Figure) -> str:
    """'5/6 83%', '0/0 —', '¥2,100'."""
    if f.is_rate:
        return f"{f.done}/{f.of} {percent(f.actual) if f.of else '—'}"
    return yuan(f.done, Fen.IF_ANY)


def target_words(f: Figure) -> str:
    return percent(f.target) if f.is_rate else yuan(f.target, Fen.ROUNDED)


def expected_words(f: Figure) -> str:
    return percent(f.expected) if f.is_rate else yuan(f.expected, Fen.ROUNDED)


def bar(f: Figure, width: int) -> str:
    """Progress to the target: █ done, ░ to go, ┃ where the time elapsed expects it to be."""
    if width <= 0:
        return ""
    share = f.actual / f.target if f.target else Fraction(1)
    filled = min(width, int(half_up(min(share, Fraction(1)) * width)))
    cells = ["█"] * filled + ["░"] * (width - filled)
    if f.target and f.started and f.expected < f.target:
        mark = min(width - 1, int(f.expected / f.target * width))
        cells[mark] = "┃"
    return "".join(cells)


def spot_words(g: GuideFigures) -> str:
    """'2/3 verified', or '' when nothing was marked."""
    if not g.spot_drawn:
        return ""
    if not g.spot_checked:
        return _("0 of {drawn} checked").format(drawn=g.spot_drawn)
    return _("{verified}/{checked} verified").format(verified=g.spot_verified,
                                                     checked=g.spot_checked)


def figure_cells(g: GuideFigures, key: str) -> list[str]:
    """One figure's cells, as the panel and the text report show them: figure, actual,
    target, expected, pace, spot-check (completion only)."""
    f = g.figure(key)
    return [_(FIGURE_LABELS[key]), actual_words(f), target_words(f), expected_words(f), _(f.pace),
            spot_words(g) if key == "completion" else ""]


def guide_heading(g: GuideFigures) -> str:
    return _("{guide} · {targets}").format(
        guide=_(g.guide) if g.guide_id is None else g.guide,
        targets=ngettext("{n} target", "{n} targets", g.targets).format(n=g.targets))


def check_heading(check: PlanCheck) -> str:
    state = _("final") if check.final else _(CYCLE_STATES.get(check.status, check.status))
    return _("{plan} · cycle {cycle} ({state}) · {first}..{last}").format(
        plan=check.plan_name, cycle=check.cycle_number, state=state, first=check.first_day,
        last=check.last_day)


#: a cycle's states as the headings say them
CYCLE_STATES = {"running": N_("running"), "closed": N_("closed")}


def check_subheading(check: PlanCheck) -> str:
    if check.elapsed_days == 0:
        day = _("starts {day}").format(day=check.first_day)
    else:
        day = _("day {n} of {days} (as of {day})").format(n=check.elapsed_days,
                                                          days=check.period_days, day=check.as_of)
    return _("{day} · {targets}, frozen {frozen}").format(
        day=day, targets=ngettext("{n} target", "{n} targets", check.whole.targets).format(
            n=check.whole.targets), frozen=check.frozen_on)


def methods_words(methods) -> str:
    """The plan's methods: a choice of the form (stored in its English words, the same for
    every session) in the language spoken, one typed as free text as it was typed."""
    return _("; ").join(_(m) if m in METHOD_CHOICES else m for m in methods) or _("none written")


# -- text --------------------------------------------------------------------------------------


def check_text(check: PlanCheck, shop: str, width: int = 100) -> str:
    bar_w = max(6, min(24, width - 74))
    out = [_("{shop} — PDCA — {heading}").format(shop=shop, heading=check_heading(check)),
           check_subheading(check),
           _("Members: {segment}; responsible: {responsible}").format(
               segment=check.segment_words, responsible=check.responsible),
           _("Bought again: {words}").format(words=check.repurchase_words),
           _("Methods: {methods}").format(methods=methods_words(check.methods)),
           ""]
    figure, actual, target = _("figure"), _("actual"), _("target")
    expected, pace, spot_check = _("expected"), _("pace"), _("spot-check")
    head = (f"  {fit(figure, 12)} {fit('', bar_w)} {fit_right(actual, 12)} "
            f"{fit_right(target, 9)} {fit_right(expected, 9)}  {fit(pace, 11)} {spot_check}")
    for g in check.rows:
        out.append(guide_heading(g))
        out.append(head)
        for key in FIGURES:
            name, act, tgt, exp, pace, spot = figure_cells(g, key)
            out.append(f"  {fit(name, 12)} {bar(g.figure(key), bar_w)} {fit_right(act, 12)} "
                       f"{fit_right(tgt, 9)} {fit_right(exp, 9)}  {fit(pace, 11)} {spot}".rstrip())
        out.append("")
    return shown("\n".join(out))


def checks_text(checks: list[PlanCheck], shop: str, width: int = 100) -> str:
    if not checks:
        return _("No PDCA plan is running.") + "\n"
    return "\n".join(check_text(c, shop, width) for c in checks)


# -- JSON and CSV --------------------------------------------------------------------------------


def figure_record(f: Figure) -> dict:
    out = {"done": f.done, "of": f.of if f.is_rate else None,
           "actual_percent": (float(half_up(f.actual * 100, 2)) if f.is_rate and f.of
                              else None),
           "target": (float(half_up(f.target * 100, 2)) if f.is_rate
                      else int(half_up(f.target))),
           "expected": (float(half_up(f.expected * 100, 2)) if f.is_rate
                        else int(half_up(f.expected))),
           "on_pace": f.on_pace, "pace": f.pace,
           "words": actual_words(f)}
    return out


def check_json_record(check: PlanCheck) -> dict:
    doc = check_record(check)
    doc.update({"status": check.status, "final": check.final,
                "segment_words": check.segment_words,
                "bought_again": check.repurchase_words, "responsible": check.responsible})
    for key, g in [("whole", check.whole)] + [(None, g) for g in check.guides]:
        rec = doc["whole"] if key else next(r for r in doc["guides"]
                                            if r["guide_id"] == g.guide_id)
        rec["figures"] = {k: figure_record(g.figure(k)) for k in FIGURES}
        rec["cells"] = {k: figure_cells(g, k) for k in FIGURES}
    return doc


def checks_json(checks: list[PlanCheck]) -> str:
    return json_safe(json.dumps([check_json_record(c) for c in checks], ensure_ascii=False, indent=2)) + "\n"


CSV_COLUMNS = ["plan", "cycle", "status", "first_day", "last_day", "as_of", "guide",
               "targets", "figure", "done", "of", "actual", "target", "expected", "pace",
               "spot_drawn", "spot_checked", "spot_verified"]


def checks_csv(checks: list[PlanCheck]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in checks:
        for g in c.rows:
            for key in FIGURES:
                f = g.figure(key)
                writer.writerow([csv_cell(c.plan_name), c.cycle_number, "final" if c.final else c.status,
                                 c.first_day, c.last_day, c.as_of, csv_cell(g.guide), g.targets, key,
                                 f.done, f.of if f.is_rate else "", actual_words(f),
                                 target_words(f), expected_words(f), f.pace, g.spot_drawn,
                                 g.spot_checked, g.spot_verified])
    return buffer.getvalue()


# -- drill-down, history, list, spot-check ---------------------------------------------------


def drill_heading(d: PlanDrill) -> str:
    return _("{plan} · cycle {cycle} · {guide} · {figure} · as of {day}").format(
        plan=d.plan_name, cycle=d.cycle_number, guide=_(d.guide) if d.guide == "whole plan"
        else d.guide, figure=_(FIGURE_LABELS[d.figure]), day=d.as_of)


def drill_counts(d: PlanDrill) -> str:
    return _("{meaning} · {counted} of {total}").format(meaning=_(d.meaning), counted=d.counted,
                                                        total=d.total)


def member_cells(m) -> list[str]:
    """✓, member no, name, guide, first contact, contacts, bought again."""
    first = f"{m.first_contact:%m-%d %H:%M}" if m.first_contact else "—"
    again = yuan(m.sales_cents, Fen.IF_ANY) if m.bought_again else "—"
    return ["✓" if m.in_figure else "", m.member_no, m.name, m.guide, first,
            str(len(m.contacts)), again]


DRILL_COLUMNS = ["", N_("Member"), N_("Name"), N_("Guide"), N_("1st contact"), N_("Contacts"),
                 N_("Bought again")]


def contact_line(c) -> str:
    from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS

    care = " · " + _("care") if c.care else ""
    note = f" · {c.note}" if c.note else ""
    return (f"{c.at:%m-%d %H:%M} {c.staff} · {_(CHANNEL_LABELS.get(c.channel, c.channel))} · "
            f"{_(OUTCOME_LABELS.get(c.outcome, c.outcome))}{care}{note}")


def purchase_line(p) -> str:
    return _("{when} bought {products} {amount}").format(
        when=f"{p.at:%m-%d %H:%M}", products=p.products, amount=yuan(p.cents, Fen.IF_ANY))


def drill_text(d: PlanDrill) -> str:
    out = [drill_heading(d), drill_counts(d), ""]
    contact, sale = fit(_("contact"), 8), fit(_("sale"), 8)
    for m in d.members:
        out.append("  ".join(c for c in member_cells(m) if c is not None).rstrip())
        for c in m.contacts:
            out.append(f"    {contact} {contact_line(c)}")
        for p in m.purchases:
            out.append(f"    {sale} {purchase_line(p)}")
    return shown("\n".join(out) + "\n")


def drill_json(d: PlanDrill) -> str:
    return json_safe(json.dumps({
        "plan": d.plan_name, "cycle": d.cycle_number, "figure": d.figure, "guide": d.guide,
        "as_of": d.as_of.isoformat(), "meaning": d.meaning, "total": d.total,
        "counted": d.counted,
        "members": [{"member_no": m.member_no, "name": m.name, "guide": m.guide,
                     "counted": m.in_figure,
                     "first_contact": m.first_contact.isoformat() if m.first_contact else None,
                     "bought_again": m.bought_again, "sales_cents": m.sales_cents,
                     "contacts": [{"contact_id": c.contact_id, "at": c.at.isoformat(),
                                   "staff": c.staff, "channel": c.channel,
                                   "outcome": c.outcome, "note": c.note} for c in m.contacts],
                     "purchases": [{"purchase_id": p.purchase_id, "at": p.at.isoformat(),
                                    "cents": p.cents, "products": p.products}
                                   for p in m.purchases]} for m in d.members]},
        ensure_ascii=False, indent=2)) + "\n"


def plan_line_cells(p: PlanLine) -> list[str]:
    """Plan, cycle, period, state, completion (of the target members), success,
    performance."""
    return [p.name, str(p.cycle_number), f"{p.first_day:%m-%d}..{p.last_day:%m-%d}",
            _(CYCLE_STATES.get(p.status, p.status)),
            actual_words(p.completion), actual_words(p.success), actual_words(p.sales)]


#: rows of the history, cycles side by side
HISTORY_ROWS = (N_("period"), N_("state"), N_("as of"), N_("targets"), N_("completion"),
                N_("success"), N_("performance"), N_("spot-check"), N_("methods"))


def history_cells(c: PlanCheck) -> list[str]:
    w = c.whole
    cells = {
        "period": f"{c.first_day}..{c.last_day}",
        "state": _("closed, final") if c.final else _(CYCLE_STATES.get(c.status, c.status)),
        "as of": _("{day} (day {n}/{days})").format(day=c.as_of, n=c.elapsed_days,
                                                    days=c.period_days),
        "targets": ngettext("{n} member", "{n} members", w.targets).format(n=w.targets),
    }
    for key in FIGURES:
        f = w.figure(key)
        cells[FIGURE_LABELS[key]] = _("{actual} of {target} · {pace}").format(
            actual=actual_words(f), target=target_words(f), pace=_(f.pace))
    cells["spot-check"] = spot_words(w) or "—"
    cells["methods"] = methods_words(c.methods)
    return [cells[r] for r in HISTORY_ROWS]


def history_text(h: PlanHistory, width: int = 100) -> str:
    label_w = 12
    col_w = max(24, (width - label_w - 2) // max(1, len(h.cycles)) - 2)
    out = [_("{plan} — history — {segment}").format(plan=h.name, segment=h.segment_words),
           _("responsible: {responsible}").format(responsible=h.responsible), ""]
    out.append((fit("", label_w) + "  " + "  ".join(fit(cycle_words(c.cycle_number), col_w)
                                                    for c in h.cycles)).rstrip())
    columns = [history_cells(c) for c in h.cycles]
    for i, row in enumerate(HISTORY_ROWS):
        out.append((fit(_(row), label_w) + "  " + "  ".join(fit(col[i], col_w) for col in columns))
                   .rstrip())
    out += ["", adjustments_text(h)]
    return shown("\n".join(out))


#: what an adjustment changed, as the history says it
ADJUSTMENT_KINDS = {"target": N_("target"), "method": N_("method"), "people": N_("people")}


def cycle_words(number: int) -> str:
    """"cycle 2" (第 2 期)."""
    return _("cycle {n}").format(n=number)


def adjustments_text(h: PlanHistory) -> str:
    """Every adjustment, oldest first: when, in which cycle, who, what changed and why."""
    if not h.adjustments:
        return _("No adjustment written down yet.") + "\n"
    out = [_("Adjustments:")]
    for a in h.adjustments:
        cycle = cycle_words(a.cycle_number) if a.cycle_number else _("plan")
        kind = _(ADJUSTMENT_KINDS.get(a.kind, a.kind))
        out.append(f"  {a.at:%Y-%m-%d} {cycle} {a.staff} · {kind} · {a.words}")
    return shown("\n".join(out) + "\n")


def spot_cells(line) -> list[str]:
    from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS

    mark = {None: "?", True: _("✓ verified"), False: _("✗ not")}[line.verified]
    return [mark, f"{line.contacted_at:%m-%d %H:%M}", line.member_no, line.name, line.staff,
            _(CHANNEL_LABELS.get(line.channel, line.channel)),
            _(OUTCOME_LABELS.get(line.outcome, line.outcome)), line.note]


def spot_summary(s: SpotCheck) -> str:
    return _("{drawn} drawn · {checked} checked · {verified} verified · {pool} more contacts to "
             "draw from").format(drawn=s.drawn, checked=s.checked, verified=s.verified,
                                 pool=s.pool)
