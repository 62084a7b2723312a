"""The audit log as a manager reads it: each action by its name, an archive line's fields
by their labels, a merge's or a correction's JSON as words. What is stored stays as it is
(the archive board parses it back, an erasure scrubs it)."""

from __future__ import annotations

import json
import re

from tui.db.archive_log import ARCHIVE_ACTION, change_words, parse_change_words
from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS
from tui.db.members.corrections import CORRECTION_ACTIONS
from tui.db.products import FIELDS as PRODUCT_FORM_FIELDS
from tui.db.staff import role_words
from tui.i18n import LANGUAGE_NAMES, N_, _
from tui.money import Fen, yuan
from tui.reports.member import field_label

#: the actions stored with a code; the others are stored as words ("sign in", "erase")
ACTION_LABELS = {
    "assign_split": N_("assign (split)"), "hand_over": N_("hand-over"),
    "pdca_plan": N_("plan started"), "pdca_close": N_("cycle closed"),
    "pdca_next": N_("next cycle"), "pdca_spot_draw": N_("spot-check drawn"),
    "pdca_spot_mark": N_("spot-check mark"), "pdca_target": N_("plan target"),
    "pdca_method": N_("plan method"), "pdca_people": N_("plan people"),
}
#: the actions stored as English words, marked for the catalogue (shown translated)
STORED_AS_WORDS = (N_("archive"), N_("assign"), N_("consent"), N_("contact corrected"),
                   N_("contact voided"), N_("erase"), N_("export"), N_("lock"), N_("merge"),
                   N_("pin reset"), N_("refused"), N_("restore"), N_("sale corrected"),
                   N_("sale voided"), N_("sign in"), N_("sign in refused"),
                   N_("staff activate"), N_("staff add"), N_("staff deactivate"),
                   N_("staff language"), N_("product add"), N_("product edit"),
                   N_("shop started"))
#: the actions of signing in and of the staff list, whose details are words of tui.db.staff
STAFF_ACTIONS = frozenset({"sign in", "sign in refused", "lock", "pin reset", "refused",
                           "staff add", "staff language", "shop started"})


def action_words(action: str) -> str:
    """An action as a person reads it, in the language spoken now; stored as it was."""
    return _(ACTION_LABELS.get(action) or action.replace("_", " "))


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


#: the staff actions' details stored as fixed English words, shown translated
FIXED_DETAILS = (N_("own PIN changed"), N_("PIN reset by a manager"),
                 N_("PIN set at the command line"), N_("the shop's"), N_("first manager"))
_ADDED_AS = re.compile(r"added as (guide|manager)")
_LOCKED = re.compile(r"(\d+) wrong PINs in a row; locked for (\d+) min")


#: a product edit's fields as its detail names them, and their words
PRODUCT_FIELDS = {**dict(PRODUCT_FORM_FIELDS), "price": N_("Price"), "durable": N_("durable")}
_PRODUCT_CHANGE = re.compile(r"(%s) (.*?) → (.*?)(?=; (?:%s) |$)" % (("|".join(PRODUCT_FIELDS),) * 2))


def _product_words(detail: str) -> str:
    """A product edit's "price ¥358.00 → ¥368.00; durable no → yes" in the language spoken."""
    def value(field: str, text: str) -> str:
        return {"yes": _("yes"), "no": _("no")}.get(text, text) if field == "durable" else text

    changes = [f"{_(PRODUCT_FIELDS[f])} {value(f, old)} → {value(f, new)}"
               for f, old, new in _PRODUCT_CHANGE.findall(detail)]
    return "; ".join(changes) if changes else detail


def _origin_words(origin: str) -> str:
    """Where a session came from: "local terminal" translated, "ssh 203.0.113.5" as it is."""
    return _("local terminal") if origin == "local terminal" else origin


def _staff_words(detail: str) -> str | None:
    """A sign-in's or a staff change's detail in the language spoken now, or None."""
    if detail in FIXED_DETAILS:
        return _(detail)
    if detail in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[detail]
    if (added := _ADDED_AS.fullmatch(detail)) is not None:
        return _("added as {role}").format(role=role_words(added.group(1)))
    if (locked := _LOCKED.fullmatch(detail)) is not None:
        return _("{n} wrong PINs in a row; locked for {minutes} min").format(
            n=locked.group(1), minutes=locked.group(2))
    if detail.startswith("from "):  # a sign-in
        return _("from {origin}").format(origin=_origin_words(detail[5:]))
    words, sep, origin = detail.rpartition("; from ")
    if sep:  # a refusal: the words as the person read them, then where from
        return _("{words}; from {origin}").format(words=words, origin=_origin_words(origin))
    return None


def detail_words(action: str, detail: str) -> str:
    """An archive line's "filled shopping_habits" as "filled shopping habits"; a merge's
    or a correction's JSON as words; a sign-in's or staff change's in the language spoken."""
    if action in STAFF_ACTIONS:
        return _staff_words(detail) or detail
    if action == "merge":
        return _merge_words(detail)
    if action == "product edit":
        return _product_words(detail)
    if action in CORRECTION_ACTIONS:
        return _correction_words(action, detail)
    if action != ARCHIVE_ACTION:
        return detail
    filled, emptied = parse_change_words(detail)
    if not filled and not emptied:  # not the words it writes: shown as stored
        return detail
    return change_words([field_label(f) for f in filled], [field_label(f) for f in emptied])
