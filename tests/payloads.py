"""Text that tries to take over a terminal or a page, for the entry and exit tests of
tui/text.py (docs/security.md, "Text that cannot take over a terminal or a printer")."""

from __future__ import annotations

import re

#: Rich/Textual markup: must show as typed, never as red or a link
MARKUP = "[red]x[/red] [link=https://evil.example]y[/link]"
CLEAR = "\x1b[2J"  #: CSI: clear the screen
RED = "\x1b[31m"  #: CSI: red from here on
RESET = "\x1b[0m"
#: OSC 52: puts "rm -rf ~" (base64) on the clipboard of whoever reads the text
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
TITLE = "\x1b]0;pwned\x07"  #: OSC 0: the terminal window's title
NUL = "\x00"
RLO = "\u202e"  #: right-to-left override: 芳王 for 王芳
LONG = "长" * 10_000

#: every escape at once, around a name: what any output must show as the name alone
def dirty(name: str) -> str:
    return f"{RLO}{CLEAR}{name[:1]}{RED}{name[1:]}{RESET}{CLIPBOARD}{TITLE}{NUL}"


#: what output must never carry: C0 but newline, DEL, C1, the bidi controls
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
