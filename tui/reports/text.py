"""Text that lines up in a terminal or on a receipt: Chinese characters take two columns."""

from __future__ import annotations

import unicodedata

from tui.i18n import _
from tui.text import one_line


def cell_width(text: str) -> int:
    """Columns the text takes on a terminal: wide (CJK) characters count two."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def fit(text: str, width: int) -> str:
    """Exactly `width` columns: padded, or cut with a visible '…' where it is too long.
    Every cell of every report and table passes here, so the text is put on one line
    first (tui.text.one_line): a control character has no width and must not reach the
    terminal."""
    text = one_line(text)
    used = cell_width(text)
    if used <= width:
        return text + " " * (width - used)
    out, used = [], 0
    for ch in text:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (width - used - 1)


def fit_right(text: str, width: int) -> str:
    """Like fit, aligned to the right (numbers)."""
    text = one_line(text)
    if cell_width(text) >= width:
        return fit(text, width)
    return " " * (width - cell_width(text)) + text


def phone_words(phone: str | None) -> str:
    """A mobile number in the 3-4-4 groups people read aloud."""
    if not phone:
        return _("no phone on file")
    return f"{phone[:3]} {phone[3:7]} {phone[7:]}" if len(phone) == 11 else phone
