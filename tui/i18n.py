"""The language the program speaks: stdlib gettext over the catalogues in tui/locale.

One language at a time per process (one app is one person at one terminal): the shop's
from settings ([shop] language), a person's own after she signs in, or `--lang` for one
run. Strings are written in English in the code, marked `_("…")` where they are shown
and `N_("…")` where they are defined before a language is known (a binding's
description, a column head in a module constant); those are translated where they are
shown, by `_()` on the marked text. Plurals: `ngettext(one, many, n)`.

The catalogues are `tui/locale/<ll_CC>/LC_MESSAGES/shopfloor.po`, extracted and kept up
to date by Babel (`make catalog`) and compiled to `.mo` by the install step (`make`), never
by hand. docs/glossary.md holds the shop's words the translations follow.
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path

DOMAIN = "shopfloor"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

#: the languages a shop or a person may choose, by their settings code → gettext's name
LANGUAGES = {"zh-CN": "zh_CN", "en": "en"}
#: what each is called in a picker, in its own words
LANGUAGE_NAMES = {"zh-CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh-CN"

_log = logging.getLogger(__name__)
_current: gettext.NullTranslations = gettext.NullTranslations()
_code = "en"
_cache: dict[str, gettext.NullTranslations] = {}


def catalogue_file(code: str) -> Path:
    """The compiled catalogue of a language (it may not exist yet: `make` builds it)."""
    return LOCALE_DIR / LANGUAGES[code] / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _translations(code: str) -> gettext.NullTranslations:
    if code == "en":  # the code's own words
        return gettext.NullTranslations()
    if code not in _cache:
        try:
            _cache[code] = gettext.translation(DOMAIN, LOCALE_DIR, [LANGUAGES[code]])
        except OSError:
            # not compiled (a checkout without `make`): English, and the log says why
            _log.warning("no compiled catalogue %s; run make to build it", catalogue_file(code))
            return gettext.NullTranslations()
    return _cache[code]


def use_language(code: str) -> None:
    """Speak `code` ("zh-CN" or "en") from now on, everywhere in this process."""
    global _current, _code
    if code not in LANGUAGES:
        raise ValueError(_("unknown language {code!r}; one of {languages}").format(
            code=code, languages=pgettext("list separator", ", ").join(LANGUAGES)))
    _current, _code = _translations(code), code


def in_language(code: str, message: str) -> str:
    """`message` in `code`, whatever the language spoken now (a heading in both)."""
    return _translations(code).gettext(message) if message else message


def language() -> str:
    """The language spoken now, as its settings code."""
    return _code


def _(message: str) -> str:
    """`message` (English, as written in the code) in the language spoken now."""
    return _current.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` in the language spoken now (Chinese has one form for every n)."""
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` with a context, where one English word means two things."""
    return _current.pgettext(context, message)


def N_(message: str) -> str:
    """Marks `message` for the catalogue where it is defined; `_()` translates it where it
    is shown, once the language is known."""
    return message


class CodeWords(Mapping[str, str]):
    """Stored codes (a channel, an outcome, a reason) and their words, said in the language
    spoken now each time one is read: `LABELS[code]` and `LABELS.get(code, code)` are the
    word of the moment, so a report built on them speaks as the screen does. `english`
    holds the words as written, marked N_ for the catalogue; `say(code)`, when given,
    says one another way (pgettext, where one English word means two things)."""

    def __init__(self, english: dict[str, str], say: Callable[[str], str] | None = None) -> None:
        self.english = dict(english)
        self._say = say

    def __getitem__(self, code: str) -> str:
        text = self.english[code]
        return self._say(code) if self._say is not None else _(text)

    def __iter__(self) -> Iterator[str]:
        return iter(self.english)

    def __len__(self) -> int:
        return len(self.english)


#: the days of the week, Monday first (date.weekday()), as the headers shorten them
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def day_words(day: date) -> str:
    """A day as a screen's header gives it: "Fri 2026-12-04" in English, "12月4日 周五" in
    Chinese (the month and day as a Chinese calendar says them, the weekday after)."""
    weekday = _(WEEKDAYS[day.weekday()])
    if _code == "zh-CN":
        return f"{month_day_words(day.month, day.day)} {weekday}"
    return f"{weekday} {day.isoformat()}"


def month_day_words(month: int, day: int) -> str:
    """A day of the year without its year: "12-04" in English, "12月4日" in Chinese."""
    if _code == "zh-CN":
        return f"{month}月{day}日"
    return f"{month:02d}-{day:02d}"


def late_words(days: int) -> str:
    """A call overdue by `days`: "14 d late" / "逾期 14 天"; 0 is "today" / "今天"."""
    if days == 0:
        return _("today")
    return ngettext("{n} d late", "{n} d late", days).format(n=days)


__all__ = ["CodeWords", "DEFAULT_LANGUAGE", "DOMAIN", "LANGUAGES", "LANGUAGE_NAMES",
           "LOCALE_DIR", "N_", "_", "WEEKDAYS", "catalogue_file", "day_words", "in_language",
           "language", "late_words", "month_day_words", "ngettext", "pgettext", "use_language"]
