"""The audit log as a manager reads it: each action by its name, an archive line's fields
by their labels. The stored codes stay as they are (the archive board parses them back)."""

from __future__ import annotations

import json

from tui.db.archive_log import ARCHIVE_ACTION, change_words, parse_change_words
from tui.reports.member import field_label

#: the actions stored with a code; the others are stored as words ("sign in", "erase")
ACTION_LABELS = {
    "assign_split": "assign (split)", "hand_over": "hand-over",
    "pdca_plan": "plan started", "pdca_close": "cycle closed", "pdca_next": "next cycle",
    "pdca_spot_draw": "spot-check drawn", "pdca_spot_mark": "spot-check mark",
    "pdca_target": "plan target", "pdca_method": "plan method", "pdca_people": "plan people",
}


def action_words(action: str) -> str:
    return ACTION_LABELS.get(action) or action.replace("_", " ")


#: what a merge moves, one of each
ONE = {"purchases": "purchase", "contacts": "contact", "notes": "note", "children": "child",
       "callbacks": "callback"}


def _merge_words(detail: str) -> str:
    """A merge line keeps the dropped record as JSON, for the erasure; a person reads
    "merged M000004 into it; moved 1 purchase, 2 contacts"."""
    try:
        doc = json.loads(detail)
        merged, moved = doc["merged"], doc.get("moved") or {}
        moves = [f"{n} {ONE.get(what, what) if n == 1 else what}" for what, n in moved.items() if n]
    except (ValueError, TypeError, KeyError, AttributeError):
        return detail
    return f"merged {merged} into it; " + (f"moved {', '.join(moves)}" if moves else "nothing moved")


def detail_words(action: str, detail: str) -> str:
    """An archive line's "filled shopping_habits" as "filled shopping habits"; a merge's
    JSON as words."""
    if action == "merge":
        return _merge_words(detail)
    if action != ARCHIVE_ACTION:
        return detail
    filled, emptied = parse_change_words(detail)
    if not filled and not emptied:  # not the words it writes: shown as stored
        return detail
    return change_words([field_label(f) for f in filled], [field_label(f) for f in emptied])
