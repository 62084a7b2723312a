"""Text cannot take over a terminal or a page: checked where it enters the archive (the
db's write functions), cleaned where it leaves (tui/text.py, the reports)."""

from __future__ import annotations

import json

import pytest

from payloads import CLEAR, CLIPBOARD, LONG, MARKUP, NUL, RED, RLO, TITLE
from tui.text import csv_cell, entered, entry_problem, json_safe, one_line, shown

# -- the one module --------------------------------------------------------------------------

@pytest.mark.parametrize("text, line, lines", [
    ("王芳", "王芳", "王芳"),                                    # plain text as it is
    (MARKUP, MARKUP, MARKUP),                                  # markup is only text here
    (f"a{CLEAR}b{RED}c\x1b[0m", "abc", "abc"),                 # CSI, with its parameters
    (f"x{CLIPBOARD}y", "xy", "xy"),                            # OSC 52 and what it carries
    (f"x{TITLE}y", "xy", "xy"),                                # OSC 0
    ("x\x1b]0;title\x1b\\y", "xy", "xy"),                      # OSC ended by ST
    ("x\x1b]52;c;cm0g", "x", "x"),                             # OSC never ended
    ("a\x9b2Jb\x9d0;t\x9cc", "abc", "abc"),                    # the one-byte C1 forms
    ("a\x1b7b\x1bc", "ab", "ab"),                              # two-character ESC sequences
    (f"a{NUL}b\x07c\x7fd\x85e", "abcde", "abcde"),             # NUL, BEL, DEL, NEL
    (f"{RLO}王芳\u2066x\u2069", "王芳x", "王芳x"),              # bidi controls
    ("a\tb\r\nc\nd\u2028e", "a b c d e", "a b\nc\nd\ne"),       # tabs and line breaks
])
def test_output_keeps_what_can_be_seen_and_drops_what_acts(text, line, lines):
    assert one_line(text) == line
    assert shown(text) == lines


def test_plain_text_is_returned_as_the_same_object():
    text = "王芳  M000001  138 0000 1234\n" * 3
    assert shown(text) is text and one_line("王芳") == "王芳"


def test_json_escapes_what_json_dumps_leaves_raw():
    value = f"a{RLO}b\x9b31mc\x7f\u2028"
    document = json.dumps({"name": value}, ensure_ascii=False)
    assert json_safe(document) == '{"name": "a\\u202eb\\u009b31mc\\u007f\\u2028"}'
    assert json.loads(json_safe(document)) == {"name": value}


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"https://evil.example\",\"x\")", "'=HYPERLINK(\"https://evil.example\",\"x\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    (f"{RLO}{RED}王芳{CLIPBOARD}", "王芳"), (f"{RED}=1+1", "'=1+1"), ("王芳", "王芳"), (-120, -120),
])
def test_csv_cells_are_one_line_and_never_a_formula(value, cell):
    assert csv_cell(value) == cell


def test_entry_trims_makes_tabs_spaces_and_removes_bidi_controls():
    assert entered(f" {RLO}王\t芳\u202c \r\n") == "王 芳"
    assert entered("one\r\ntwo\rthree\u2028four") == "one\ntwo\nthree\nfour"
    assert entry_problem("one\ntwo", 10, lines=True) is None
    assert entry_problem("one\ntwo", 10) == "no control characters, please"
    assert entry_problem(f"a{CLEAR}", 10) == "no control characters, please"
    assert entry_problem(LONG, 500) == "10000 characters; at most 500"
