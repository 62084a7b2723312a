"""A terminal that cannot show the shop's text: Chinese names, ¥, the screen's box lines.

The app and every command write UTF-8. A terminal set to another character set (a
Latin-1 or GBK locale) is told so in one line with the fix, before anything is drawn;
output to a file or a pipe is written as UTF-8 whatever the locale, so a cron line or an
export never stops halfway with UnicodeEncodeError.
"""

from __future__ import annotations

import codecs
import os
import sys
from typing import TextIO

#: the one line's fix, for the terminal's settings or the command line
#: (ASCII only: it is written to that terminal)
FIX = "start it with LANG=C.UTF-8 (LANG=C.UTF-8 shopfloor ...) or set the terminal to UTF-8"


def encoding_of(stream: TextIO | None) -> str:
    """The codec's own name ("utf-8", "iso8859-1", "gbk") a stream encodes with."""
    name = getattr(stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def not_utf8(stream: TextIO | None) -> str | None:
    """Why `stream` cannot show the shop's text, in one line; None when it is UTF-8."""
    encoding = encoding_of(stream)
    if encoding == "utf-8":
        return None
    return f"this terminal's character set is {encoding}, not UTF-8, and cannot show Chinese: {FIX}"


def terminal_problem() -> str | None:
    """The app draws on the terminal (Textual writes to stderr, the screen is read on
    stdout): both must be UTF-8."""
    return not_utf8(sys.__stderr__) or not_utf8(sys.__stdout__)


def text_out_problem() -> str | None:
    """A command's output: to a terminal that cannot show it, one line (the caller exits
    2); to a file or a pipe, UTF-8 whatever the locale, and so the one-line mistakes."""
    out = sys.stdout
    problem = not_utf8(out)
    if problem is None:
        return None
    if out.isatty():
        return problem
    for stream in (sys.stdout, sys.stderr):
        if (encoding_of(stream) != "utf-8" and not stream.isatty()
                and hasattr(stream, "reconfigure")):
            stream.reconfigure(encoding="utf-8")
    return None


def arguments(argv: list[str]) -> list[str]:
    """The command line's words as they were written. Under a non-UTF-8 locale Python
    decodes them in the locale's character set, so a name written in UTF-8 (by a script,
    cron, an SSH client in UTF-8) arrives garbled, or with surrogates that fail later;
    such a word, when its bytes are UTF-8, is read as UTF-8. A word in the locale's own
    set (GBK typed on a GBK terminal) is seldom valid UTF-8 and stays as it was."""
    if sys.getfilesystemencoding().lower().replace("-", "") == "utf8":
        return argv
    words = []
    for word in argv:
        raw = os.fsencode(word)
        try:
            words.append(raw.decode("utf-8") if not raw.isascii() else word)
        except UnicodeDecodeError:
            words.append(word)
    return words
