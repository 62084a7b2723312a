"""Archive work as it happens: which archive fields a write filled or emptied, and who.

Member fields keep no history, so "completeness gained in a period" cannot be worked
out afterwards. Every write that is archive work (registering a member, editing the
archive, adding a child, recording a promotions answer) writes one line to the audit
log in the same transaction: action "archive", signed by whoever did it, the member
number as subject and the detail "filled occupation, hobbies; emptied email". The
leaderboard adds those lines up under the current field lists and weights
(docs/leaderboards.md). Field names only, never a value: an erasure has nothing to
remove here, and the manager's audit view reads them as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tui.db.audit import audit
from tui.db.models import Child, Member, Purchase, PurchaseLine
from tui.settings import HARD_FIELD_CHOICES, SOFT_FIELD_CHOICES

#: the audit log's action for one piece of archive work
ARCHIVE_ACTION = "archive"

#: every archive field a shop may list; field i is bit 1 << i of an archive's bits
ARCHIVE_FIELDS = HARD_FIELD_CHOICES + SOFT_FIELD_CHOICES

#: the characters Python's str.strip() removes, as code points
_SPACES = ",".join(str(i) for i in range(0x3001) if chr(i).isspace())


def _text_filled(column: str) -> str:
    """SQL for `_filled(value)` of a text column: something besides whitespace. The
    first character settles it almost always; trim() only runs for a leading space."""
    return (f"CASE WHEN {column} IS NULL THEN 0 WHEN unicode({column}) NOT IN ({_SPACES}) "
            f"THEN {column} <> '' ELSE trim({column}, char({_SPACES})) <> '' END")


def field_sql(name: str, m: str) -> str:
    """When archive field `name` is filled, as SQL over member row `m`: the same test as
    members.archive_fields + _filled. A sale always has lines, so last_purchase_at is set
    exactly when the member has bought something."""
    special = {
        "birthday": f"{m}.birthday IS NOT NULL OR {m}.age_approx IS NOT NULL",
        "total_spend": f"coalesce({m}.total_spend_cents, 0) <> 0",
        "products_bought": f"{m}.last_purchase_at IS NOT NULL",
        "family": (f"({_text_filled(f'{m}.family')})"
                   + f" OR EXISTS (SELECT 1 FROM child WHERE child.member_id = {m}.id)"),
        "accepts_promotions": f"{m}.accepts_promotions IS NOT NULL",
        "values": _text_filled(f"{m}.values_"),
    }
    return special.get(name) or _text_filled(f"{m}.{name}")


def archive_bits_sql(m: str = "m") -> str:
    """An archive's filled fields as one integer (bit i: ARCHIVE_FIELDS[i] is filled), as
    SQL over member row `m`. Which bits count, and how much, is the settings' business."""
    return " + ".join(f"(({field_sql(f, m)}) << {i})" for i, f in enumerate(ARCHIVE_FIELDS))


def is_filled(value: object) -> bool:
    """A field counts as filled unless it is None or text of only spaces."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def archive_fields(member: Member, has_children: bool, has_purchases: bool) -> dict[str, object]:
    """Every archive field a shop may list, by its settings name."""
    return {
        "name": member.name, "gender": member.gender,
        "birthday": member.birthday or member.age_approx,  # a birthday or an approximate age
        "nationality": member.nationality, "phone": member.phone, "email": member.email,
        "address": member.address,
        "total_spend": member.total_spend_cents or None,
        "products_bought": True if has_purchases else None,
        "occupation": member.occupation,
        "family": member.family or (True if has_children else None),
        "personality": member.personality, "shopping_habits": member.shopping_habits,
        "style": member.style, "hobbies": member.hobbies, "lifestyle": member.lifestyle,
        "accepts_promotions": member.accepts_promotions, "values": member.values,
    }


def field_mask(fields) -> int:
    """The bits of these archive fields."""
    return sum(1 << ARCHIVE_FIELDS.index(f) for f in fields)


def filled_fields(member: Member) -> frozenset[str]:
    """Every archive field (of all a shop may list) that is filled on the member now,
    by the same test as the member card's completeness."""
    has_children = Child.select().where(Child.member == member.id).exists()
    has_purchases = (PurchaseLine.select().join(Purchase)
                     .where(Purchase.member == member.id).exists())
    return frozenset(name for name, value in archive_fields(member, has_children,
                                                            has_purchases).items()
                     if is_filled(value))


def change_words(filled: Iterable[str], emptied: Iterable[str]) -> str:
    """The audit detail: "filled occupation, hobbies; emptied email"."""
    parts = []
    if filled:
        parts.append("filled " + ", ".join(filled))
    if emptied:
        parts.append("emptied " + ", ".join(emptied))
    return "; ".join(parts)


def parse_change_words(detail: str) -> tuple[list[str], list[str]]:
    """(filled, emptied) field names back from an archive line's detail."""
    filled: list[str] = []
    emptied: list[str] = []
    for part in detail.split("; "):
        word, _, names = part.partition(" ")
        into = filled if word == "filled" else emptied if word == "emptied" else None
        if into is not None:
            into.extend(n for n in names.split(", ") if n)
    return filled, emptied


def record_archive_change(member: Member, staff_id: int | None, now: datetime,
                          before: Iterable[str], after: Iterable[str]) -> bool:
    """Write the audit line for a change from `before` to `after` (filled field names),
    inside the caller's transaction; nothing when no field changed. True if written."""
    before, after = set(before), set(after)
    order = {name: i for i, name in enumerate(ARCHIVE_FIELDS)}
    filled = sorted(after - before, key=lambda f: order.get(f, 99))
    emptied = sorted(before - after, key=lambda f: order.get(f, 99))
    if not filled and not emptied:
        return False
    audit(staff_id, now, ARCHIVE_ACTION, member.member_no, change_words(filled, emptied))
    return True


#: member columns the archive bits are worked out from, but for the sale's totals
BITS_COLUMNS = ("name", "gender", "birthday", "age_approx", "nationality", "phone", "email",
                "address", "occupation", "family", "personality", "shopping_habits", "style",
                "hobbies", "lifestyle", "accepts_promotions", "values_")
