"""The callback queue as text, JSON and CSV: `shopfloor queue`, from the same QueuePage the screen shows."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS, RecentContact
from tui.db.callbacks.queue import QueueLine, QueuePage
from tui.reports.text import cell_width, fit, fit_right
from tui.text import csv_cell, json_safe, one_line, shown


def due_words(line: QueueLine) -> str:
    """'today' or 'N d late', as on the screen."""
    return "today" if line.days_overdue == 0 else f"{line.days_overdue} d late"


def reason_words(line: QueueLine, width: int) -> str:
    """The reasons with their details where the width allows, else the reasons alone."""
    detailed = one_line(" · ".join(f"{r.label}: {r.detail}" for r in line.reasons))
    return detailed if cell_width(detailed) <= width else line.reason_labels


def last_contact_words(line: QueueLine, day: date) -> str:
    seen = line.last_contact_at
    if seen is None:
        return "never"
    if seen.date() == day:
        return f"today {seen:%H:%M}"
    return seen.strftime("%Y-%m-%d")


def queue_text(page: QueuePage, shop: str, width: int = 100) -> str:
    scope = page.guide or "whole shop"
    c = page.counts
    out = [f"{shop} — callback queue {page.day.isoformat()} — {scope}",
           f"due {c.due}  overdue {c.overdue}  done today {c.done_today}", ""]
    fixed = 10 + 4 + 10 + 8 + 10 + 5 * 2
    reasons_w = max(12, width - fixed)
    head = (fit("member", 10) + "  " + fit("tail", 4) + "  " + fit("reasons", reasons_w) + "  "
            + fit_right("due", 10) + "  " + fit("owner", 8) + "  " + fit("last call", 10))
    out.append(head.rstrip())
    for line in page.lines:
        row = (fit(line.name, 10) + "  " + fit(line.phone_tail or "", 4) + "  "
               + fit(reason_words(line, reasons_w), reasons_w) + "  " + fit_right(due_words(line), 10) + "  "
               + fit(line.owner or "—", 8) + "  " + fit(last_contact_words(line, page.day), 10))
        out.append(row.rstrip())
    if not page.lines:
        out.append("Nobody is due a call.")
    return shown("\n".join(out) + "\n")


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def queue_records(page: QueuePage) -> list[dict]:
    return [{
        "member_id": ln.member_id, "member_no": ln.member_no, "name": ln.name,
        "phone_tail": ln.phone_tail, "due_on": _iso(ln.due_on), "days_overdue": ln.days_overdue,
        "reasons": [{"reason": r.reason, "due_on": _iso(r.due_on), "detail": r.detail}
                    for r in ln.reasons],
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
    who = "you" if recent.staff_id == staff_id else one_line(recent.staff)
    ago = "just now" if recent.minutes_ago < 1 else f"{recent.minutes_ago} min ago"
    how = (f"{CHANNEL_LABELS.get(recent.channel, recent.channel)}, "
           f"{OUTCOME_LABELS.get(recent.outcome, recent.outcome)}")
    return f"Already contacted {ago} ({recent.contacted_at:%H:%M}) by {who}: {how}."
