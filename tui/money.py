"""Money as the shop reads it: amounts are stored in fen (integers); this is the one place
they become ¥ text, and the one exact rounding (half away from zero) that money and
percentages share.

How much of the fen shows is said at every call, because the sheets differ on purpose:
the end-of-day sheet and the member card show every fen (¥1,299.00), a PDCA target
shows fen only when it has some (¥50,000, ¥50,000.50), and a panel of worked-out
figures rounds to whole yuan (¥2,101).
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction


class Fen(StrEnum):
    """How much of the fen an amount shows."""

    ALWAYS = "always"  #: ¥1,299.00
    IF_ANY = "if_any"  #: ¥1,299 and ¥1,299.50
    ROUNDED = "rounded"  #: whole yuan, rounded half away from zero: ¥1,300 for ¥1,299.50


def half_up(value: Fraction | int, places: int = 0) -> Fraction:
    """Rounded half away from zero to `places` decimals, exactly (80.5 → 81, not 80)."""
    value = Fraction(value)
    scale = 10 ** places
    whole = int(abs(value) * scale + Fraction(1, 2))
    return Fraction(whole if value >= 0 else -whole, scale)


def yuan(cents: int | Fraction, fen: Fen, symbol: bool = True, grouped: bool = True) -> str:
    """Fen as ¥ text: the sign first (-¥1.00), thousands grouped unless `grouped` is False,
    no ¥ without `symbol` (a column headed ¥, a value to type over)."""
    mark = "¥" if symbol else ""
    group = "," if grouped else ""
    if fen is Fen.ROUNDED:
        whole = int(half_up(Fraction(cents) / 100))
        return f"{'-' if whole < 0 else ''}{mark}{abs(whole):{group}}"
    sign = "-" if cents < 0 else ""
    if not isinstance(cents, int):
        raise TypeError(f"an amount in whole fen, not {cents!r}; round it or use Fen.ROUNDED")
    whole, rest = divmod(abs(cents), 100)
    text = f"{sign}{mark}{whole:{group}}"
    return text if fen is Fen.IF_ANY and not rest else f"{text}.{rest:02d}"


#: the dearest price or amount a person may type, in yuan: a slip of the finger stops here
MOST_YUAN = 1_000_000


def parse_yuan(text: str) -> int:
    """Yuan as typed (358, 358.5, ¥1,358.00, full-width ３５８) in fen, exactly: no float
    on the way. ValueError when it is not an amount of at most two decimals from 0 to
    MOST_YUAN; the caller says so in its own words."""
    import unicodedata
    from decimal import Decimal, InvalidOperation

    cleaned = unicodedata.normalize("NFKC", text).replace("¥", "").replace("￥", "")
    cleaned = cleaned.replace(",", "").replace(" ", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if (not value.is_finite() or value < 0 or value > MOST_YUAN
            or value != value.quantize(Decimal("0.01"))):
        raise ValueError(text)
    return int(value * 100)
