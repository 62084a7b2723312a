"""Text from people and old files, kept from acting on a terminal, a screen or paper.

Checked where it enters (`entered`, `entry_problem`: what the write functions in tui/db
store) and cleaned again where it leaves (`one_line`, `shown`, `json_safe`, `csv_cell`),
since old rows and imports never passed the check. What counts as a control: C0 (U+0000–
U+001F) but newline, DEL and C1 (U+007F–U+009F): ESC starts every CSI and OSC sequence,
and a terminal may take U+009B for CSI and U+009D for OSC. The bidi embeddings,
overrides and isolates (U+202A–U+202E, U+2066–U+2069) turn a name round on screen and
paper; they are removed, not refused, since nobody can see them to delete them.
"""

from __future__ import annotations

import re

from tui.i18n import N_, _

#: the bidi embeddings, overrides and isolates: LRE RLE PDF LRO RLO, LRI RLI FSI PDI
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: what entry refuses: every C0 control but newline (tab is made a space first), DEL, C1
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
#: anything output must change; text without any is returned as it is (the fast path)
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")
#: the same for text of several lines, where a newline stays
_UNSAFE_IN_LINES = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")
#: what json.dumps(ensure_ascii=False) leaves raw in a string but a terminal acts on
_RAW_IN_JSON = re.compile(f"[\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")

_DROPPED = {code: None for code in (*range(0x20), *range(0x7f, 0xa0), *map(ord, BIDI_CONTROLS))}
#: on one line: every line break and tab a space, the rest of the controls dropped
_ONE_LINE = {**_DROPPED, ord("\t"): " ", ord("\n"): " ", 0x2028: " ", 0x2029: " "}
#: in text of several lines (a note): newlines kept, CR of CR LF dropped
_LINES = {**_DROPPED, ord("\t"): " ", ord("\n"): "\n", 0x2028: "\n", 0x2029: "\n"}
#: a whole escape sequence, dropped on output with what it carries (an OSC 52's clipboard,
#: an OSC 0's title): CSI, OSC, DCS/SOS/PM/APC strings, two-character ESC sequences, and
#: their one-byte C1 forms
_SEQUENCE = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]?|\x9b[0-?]*[ -/]*[@-~]?"
    "|[\x1b][\\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
    "|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
    "|\x1b[ -/]*[0-~]?")
_SEQUENCE_START = re.compile("[\x1b\x90\x98\x9b\x9d-\x9f]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_NOT_TYPED = str.maketrans({"\t": " ", **{ch: None for ch in BIDI_CONTROLS}})

#: what the forms say of a control character in what was typed
NO_CONTROLS = N_("no control characters, please")


# -- entry ----------------------------------------------------------------------------------

def entered(text: str | None) -> str:
    """Typed or imported text as it is to be stored: trimmed, a tab a space, the bidi
    controls removed, line breaks (CR LF, CR, U+2028) made newlines. Whatever control is
    left is for `entry_problem` to refuse."""
    return _LINE_BREAKS.sub("\n", (text or "").translate(_NOT_TYPED)).strip()


def entry_problem(text: str, limit: int, *, lines: bool = False) -> str | None:
    """What is wrong with `entered` text, in the words the forms show, or None: a control
    character (a newline too, unless `lines`), or more than `limit` characters."""
    found = _CONTROL.search(text)
    if found is not None or (not lines and "\n" in text):
        return _(NO_CONTROLS)
    if len(text) > limit:
        return _("{count} characters; at most {limit}").format(count=len(text), limit=limit)
    return None


def text_problem(what: str, text: str, limit: int, *, lines: bool = False) -> str | None:
    """The same as a sentence about `what` ("the note", "the name"), for a form of one
    field: "the note has control characters; type it again as plain text"."""
    if _CONTROL.search(text) is not None or (not lines and "\n" in text):
        return _("{what} has control characters; type it again as plain text").format(what=what)
    if len(text) > limit:
        return _("{what} is {count} characters; keep it to {limit}").format(
            what=what, count=len(text), limit=limit)
    return None


# -- exit -----------------------------------------------------------------------------------

def _without_sequences(text: str) -> str:
    return _SEQUENCE.sub("", text) if _SEQUENCE_START.search(text) else text


def one_line(text: str) -> str:
    """Text for one cell or line of output: line breaks and tabs a space, the other
    controls and the bidi controls dropped. Plain text comes back as it is."""
    if _UNSAFE.search(text) is None:
        return text
    return _without_sequences(text).translate(_ONE_LINE)


def shown(text: str) -> str:
    """Text of several lines (a card, a sheet, a note) for output: newlines kept, a tab a
    space, the other controls and the bidi controls dropped."""
    if _UNSAFE_IN_LINES.search(text) is None:
        return text
    return _without_sequences(text).replace("\r\n", "\n").translate(_LINES)


def _u_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(document: str) -> str:
    """A JSON document as json.dumps(ensure_ascii=False) wrote it, with the characters it
    leaves raw but a terminal acts on (DEL, C1, the bidi controls, U+2028/9) written as
    \\u escapes: the same data to a program, nothing to a terminal. They can stand only
    inside strings, where an escape means the same character."""
    if _RAW_IN_JSON.search(document) is None:
        return document
    return _RAW_IN_JSON.sub(_u_escape, document)


#: a cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(…), +cmd|…)
_FORMULA_START = ("=", "+", "-", "@")


def csv_cell(value: object) -> object:
    """A CSV cell: text on one line (controls dropped), and text a spreadsheet would run
    as a formula made text with a leading apostrophe. Numbers pass as they are."""
    if not isinstance(value, str):
        return value
    value = one_line(value)
    return "'" + value if value.startswith(_FORMULA_START) else value
