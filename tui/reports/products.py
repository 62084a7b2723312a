"""A product's fields as people read and type them: its category and unit in the language
spoken (formula → 奶粉, can → 罐), its stage (2段), its days per unit and price; and a
category or unit typed in those words stored as the code the rules count by."""

from __future__ import annotations

from tui.i18n import LANGUAGES, N_, _, in_language
from tui.money import Fen, yuan
from tui.reports.member import UNITS, unit_word

#: the demo's categories, stored as codes (a PDCA segment names them: category:formula)
CATEGORIES = {"formula": N_("formula"), "diapers": N_("diapers"), "wipes": N_("wipes"),
              "gear": N_("gear")}


def category_word(code: str) -> str:
    """A category as people say it: formula, in Chinese 奶粉; a shop's own as written."""
    return _(CATEGORIES[code]) if code in CATEGORIES else code


def _code(typed: str, words: dict[str, str]) -> str:
    """The code of a word typed in any language the shop speaks (奶粉 or formula → formula);
    anything else as typed."""
    text = typed.strip()
    for key, marked in words.items():
        if text.lower() in {key, *(in_language(code, marked).lower() for code in LANGUAGES)}:
            return key
    return text


def category_code(typed: str) -> str:
    return _code(typed, CATEGORIES)


def unit_code(typed: str) -> str:
    return _code(typed, UNITS)


def stage_words(stage: int | None) -> str:
    """A formula's stage as the can says it: 2段 (the same in both languages); "" for none."""
    return "" if stage is None else f"{stage}段"


def days_words(days: float | None, durable: bool) -> str:
    """Days one unit lasts: 7, 7.5; — for a durable good; ? while still to be filled in."""
    if days is not None:
        return f"{days:g}"
    return "—" if durable else "?"


def price_words(cents: int) -> str:
    return yuan(cents, Fen.ALWAYS)


__all__ = ["CATEGORIES", "category_code", "category_word", "days_words", "price_words",
           "stage_words", "unit_code", "unit_word"]
