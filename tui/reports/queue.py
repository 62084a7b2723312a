"""The callback queue as text, JSON and CSV: `shopfloor queue`, from the same QueuePage the screen shows."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime

from tui.db.callbacks.contacts import RecentContact, channel_label, outcome_label
from tui.db.callbacks.queue import QueueLine, QueuePage
from tui.i18n import N_, _, language, late_words, month_day_words
from tui.reports.text import cell_width, fit, fit_right
from tui.text import csv_cell, json_safe, one_line, shown


def due_words(line: QueueLine) -> str:
    """'today' or 'N d late' ("今天", "逾期 N 天"), as on the screen."""
    return late_words(line.days_overdue)


# The details the rules write (tui/db/callbacks/rules.py) are stored in English, once, for
# every session whatever it speaks; in another language they are said again from their
# parts, by the shapes each reason's rule writes. A detail of another shape (a guide's note
# on a booked call, a plan's name) is shown as it is.
_MONTH_DAY = r"(?P<day>\d\d-\d\d)"
_AGE = r"(?P<age>\d+岁|周岁)"
_DETAILS = {
    "follow_up": [
        (re.compile(r"bought (?P<product>.+) \+(?P<more>\d+)"), N_("bought {product} +{more}")),
        (re.compile(r"bought (?P<product>.+)"), N_("bought {product}"))],
    "running_out": [
        (re.compile(r"(?P<product>.+) ×(?P<units>\d+) runs out " + _MONTH_DAY),
         N_("{product} ×{units} runs out {day}"))],
    "birthday": [
        (re.compile(r"member's birthday " + _MONTH_DAY), N_("member's birthday {day}")),
        (re.compile(r"baby due " + _MONTH_DAY), N_("baby due {day}")),
        (re.compile(r"(?P<name>.+) due " + _MONTH_DAY), N_("{name} due {day}")),
        (re.compile(r"child " + _AGE + " " + _MONTH_DAY), N_("child {age} {day}")),
        (re.compile(r"(?P<name>.+) " + _AGE + " " + _MONTH_DAY), N_("{name} {age} {day}"))],
    "dormant": [
        (re.compile(r"no purchase since (?P<date>\d{4}-\d\d-\d\d)"),
         N_("no purchase since {date}"))],
}
#: the words a rule writes whole: a dormant member who never bought, a booked call's
#: default when its contact had no note
_WHOLE = {"dormant": {N_("never bought")},
          "complaint": {N_("feedback call")},
          "scheduled": {N_("retry: no answer last time"), N_("call back as agreed")}}


def detail_words(detail: str, reason: str) -> str:
    """A callback's stored detail (of the reason `reason`, a code) in the language spoken
    now; in English as stored."""
    if language() == "en" or not detail:
        return detail
    return _("; ").join(_one_detail(part, reason) for part in detail.split("; "))


def _one_detail(part: str, reason: str) -> str:
    if part in _WHOLE.get(reason, ()):
        return _(part)
    for pattern, words in _DETAILS.get(reason, ()):
        found = pattern.fullmatch(part)
        if found:
            parts = found.groupdict()
            if "day" in parts:
                month, day = parts["day"].split("-")
                parts["day"] = month_day_words(int(month), int(day))
            return _(words).format(**parts)
    return part


def reason_words(line: QueueLine, width: int) -> str:
    """The reasons with their details where the width allows, else the reasons alone."""
    detailed = one_line(" · ".join(_("{reason}: {detail}").format(
        reason=r.label, detail=detail_words(r.detail, r.reason)) for r in line.reasons))
    return detailed if cell_width(detailed) <= width else line.reason_labels


def last_contact_words(line: QueueLine, day: date) -> str:
    seen = line.last_contact_at
    if seen is None:
        return _("never")
    if seen.date() == day:
        return _("today {time}").format(time=f"{seen:%H:%M}")
    return seen.strftime("%Y-%m-%d")


def queue_text(page: QueuePage, shop: str, width: int = 100) -> str:
    scope = page.guide or _("whole shop")
    c = page.counts
    out = [_("{shop} — callback queue {day} — {scope}").format(
               shop=shop, day=page.day.isoformat(), scope=scope),
           _("due {due}  overdue {overdue}  done today {done}").format(
               due=c.due, overdue=c.overdue, done=c.done_today), ""]
    fixed = 10 + 4 + 10 + 8 + 10 + 5 * 2
    reasons_w = max(12, width - fixed)
    head = (fit(_("member"), 10) + "  " + fit(_("tail"), 4) + "  " + fit(_("reasons"), reasons_w)
            + "  " + fit_right(_("due"), 10) + "  " + fit(_("owner"), 8) + "  "
            + fit(_("last call"), 10))
    out.append(head.rstrip())
    for line in page.lines:
        row = (fit(line.name, 10) + "  " + fit(line.phone_tail or "", 4) + "  "
               + fit(reason_words(line, reasons_w), reasons_w) + "  " + fit_right(due_words(line), 10) + "  "
               + fit(line.owner or "—", 8) + "  " + fit(last_contact_words(line, page.day), 10))
        out.append(row.rstrip())
    if not page.lines:
        out.append(_("Nobody is due a call."))
    return shown("\n".join(out) + "\n")


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def queue_records(page: QueuePage) -> list[dict]:
    return [{
        "member_id": ln.member_id, "member_no": ln.member_no, "name": ln.name,
        "phone_tail": ln.phone_tail, "due_on": _iso(ln.due_on), "days_overdue": ln.days_overdue,
        # the code for programs, its word in the language of the run beside it
        "reasons": [{"reason": r.reason, "label": r.label, "due_on": _iso(r.due_on),
                     "detail": r.detail} for r in ln.reasons],
        "owner": ln.owner, "last_contact_at": _iso(ln.last_contact_at),
        "total_spend_cents": ln.total_spend_cents,
    } for ln in page.lines]


def queue_json(page: QueuePage) -> str:
    doc = {"day": page.day.isoformat(), "guide": page.guide,
           "counts": {"due": page.counts.due, "overdue": page.counts.overdue,
                      "done_today": page.counts.done_today},
           "lines": queue_records(page)}
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"


def queue_csv(page: QueuePage) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["member_no", "name", "phone_tail", "reasons", "due_on", "days_overdue",
                     "owner", "last_contact_at", "total_spend_cents"])
    for ln in page.lines:
        writer.writerow([csv_cell(v) for v in (
            ln.member_no, ln.name, ln.phone_tail or "", "|".join(r.reason for r in ln.reasons),
            _iso(ln.due_on), ln.days_overdue, ln.owner or "", _iso(ln.last_contact_at) or "",
            ln.total_spend_cents)])
    return buf.getvalue()


def recent_contact_words(recent: RecentContact, staff_id: int) -> str:
    """What the contact form says when someone reached the member a moment ago:
    "Already contacted 25 min ago (11:05) by 张丽: phone, no answer." """
    who = _("you") if recent.staff_id == staff_id else one_line(recent.staff)
    ago = (_("just now") if recent.minutes_ago < 1
           else _("{n} min ago").format(n=recent.minutes_ago))
    return _("Already contacted {ago} ({time}) by {who}: {channel}, {outcome}.").format(
        ago=ago, time=f"{recent.contacted_at:%H:%M}", who=who,
        channel=channel_label(recent.channel), outcome=outcome_label(recent.outcome))
