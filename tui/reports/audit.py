"""The audit log as a manager reads it: each action by its name, an archive line's fields
by their labels, a merge's or a correction's JSON as words. What is stored stays as it is
(the archive board parses it back, an erasure scrubs it)."""

from __future__ import annotations

import json

from tui.db.archive_log import ARCHIVE_ACTION, change_words, parse_change_words
from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS
from tui.db.members.corrections import CORRECTION_ACTIONS
from tui.money import Fen, yuan
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


def _outcome(code: str) -> str:
    return OUTCOME_LABELS.get(code, code.replace("_", " "))


def _line(doc: dict) -> str:
    return f"×{doc['quantity']} {yuan(int(doc['amount_cents']), Fen.ALWAYS)}"


def _correction_words(action: str, detail: str) -> str:
    """A correction keeps the entry before and after as JSON; a person reads "outcome no
    answer → reached; why: …"."""
    try:
        doc = json.loads(detail)
        if action == "contact corrected":
            words = (f"outcome {_outcome(doc['before']['outcome'])} → "
                     f"{_outcome(doc['after']['outcome'])}")
        elif action == "contact voided":
            reopened = int(doc.get("calls_reopened") or 0)
            words = (f"{CHANNEL_LABELS.get(doc['channel'], doc['channel'])}, "
                     f"{_outcome(doc['outcome'])}; {reopened} "
                     f"call{'' if reopened == 1 else 's'} open again")
        elif action == "sale corrected":
            before, after = doc["before"], doc["after"]
            other = "another product, " if before["product"] != after["product"] else ""
            words = f"{other}{_line(before)} → {_line(after)}"
        else:  # sale voided
            words = _line(doc["voided"]) + ("" if doc.get("lines_left") else ", the whole receipt")
    except (ValueError, TypeError, KeyError, AttributeError):
        return detail
    return f"{words}; why: {doc.get('reason', '')}"


def detail_words(action: str, detail: str) -> str:
    """An archive line's "filled shopping_habits" as "filled shopping habits"; a merge's
    or a correction's JSON as words."""
    if action == "merge":
        return _merge_words(detail)
    if action in CORRECTION_ACTIONS:
        return _correction_words(action, detail)
    if action != ARCHIVE_ACTION:
        return detail
    filled, emptied = parse_change_words(detail)
    if not filled and not emptied:  # not the words it writes: shown as stored
        return detail
    return change_words([field_label(f) for f in filled], [field_label(f) for f in emptied])
