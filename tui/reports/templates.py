"""Message templates (短信库) filled in from a member's card, ready to paste into WeChat or SMS.

Pure: the card screen and any later command line fill templates the same way.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from tui.db.members.card import ChildLine, MemberCard
from tui.i18n import N_
from tui.settings import MessageTemplate

#: what a child with no name on file is called in a message
UNNAMED_CHILD = "宝宝"

#: why a placeholder cannot be filled, in the words the card shows ("Needs a child on file")
MISSING_WORDS = {
    "name": N_("the member's name"),
    "child": N_("a child on file"),
    "child_age": N_("a child on file"),
    "product": N_("a purchase"),
}


@dataclass(frozen=True)
class FilledTemplate:
    text: str  #: the message; a placeholder that could not be filled is left as {child} etc.
    missing: tuple[str, ...]  #: why the text is not usable yet, e.g. ("a child on file",)

    @property
    def usable(self) -> bool:
        return not self.missing


def chinese_age(age: str) -> str:
    """The card's age words in Chinese with the shop's spacing: "8 months" → "8 个月",
    "2 years" → "2 岁"; under a month → "不到 1 个月".

    The card's words come from `tui.db.members.card.age_words`; anything else is returned unchanged.
    """
    if match := re.fullmatch(r"(\d+) months?", age):
        months = int(match.group(1))
        return f"{months} 个月" if months else "不到 1 个月"
    if match := re.fullmatch(r"(\d+) years?", age):
        return f"{match.group(1)} 岁"
    return age


def message_child(card: MemberCard) -> ChildLine | None:
    """The child a message speaks of: the youngest with a birth date, since in a baby shop the
    youngest is the one the purchases and the calls are usually about. A baby only expected
    (a due date, no birth date) has no name or age to write yet, so it is never chosen."""
    born = [c for c in card.children if c.born is not None and c.age != "not born yet"]
    return max(born, key=lambda c: c.born) if born else None


def template_values(card: MemberCard) -> dict[str, str | None]:
    """Each placeholder's value on this card; None where nothing is on file."""
    child = message_child(card)
    return {
        "name": card.name.strip() or None,
        "child": ((child.name or "").strip() or UNNAMED_CHILD) if child else None,
        "child_age": chinese_age(child.age) if child else None,
        "product": card.purchases[0].product if card.purchases else None,  # newest first
    }


def fill_template(template: MessageTemplate, card: MemberCard) -> FilledTemplate:
    """The template with the card's values in; `missing` names what is not on file.

    When something is missing the text keeps that placeholder as written ("{child}"), so
    the preview shows where the gap is, and the message must not be sent.
    """
    values = template_values(card)
    out: list[str] = []
    missing: list[str] = []
    # Formatter().parse rather than str.format: a missing value stays visible as {field},
    # and a value is never read as a format string itself.
    for literal, field, _spec, _conversion in string.Formatter().parse(template.text):
        out.append(literal)
        if field is None:
            continue
        value = values.get(field)
        if value is None:
            out.append("{" + field + "}")
            words = MISSING_WORDS.get(field, field)
            if field in ("child", "child_age") and card.children:
                words = N_("a child's birth date")  # only a baby on the way: nothing to say yet
            if words not in missing:
                missing.append(words)
        else:
            out.append(value)
    return FilledTemplate("".join(out), tuple(missing))
