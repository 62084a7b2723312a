"""One cell into one typed value, or what is wrong with it.

Each normaliser takes a cell as read (text from a CSV; text, a float, a date or a
datetime from a spreadsheet) and returns the value, None for an empty cell, or a `Bad`:
what is wrong and what to do, in the language spoken. Text is NFKC-normalised first, so
full-width digits and spaces (１３８ ０１２３) read as ASCII. Money is Decimal, never float,
and ends as whole fen rounded half away from zero. Nothing is guessed: a phone or a
barcode Excel wrote as 1.38123E+10 has lost digits and is refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tui.i18n import _
from tui.text import entered

Cell = str | float | int | bool | date | datetime | time | timedelta | None


@dataclass(frozen=True)
class Bad:
    """A cell that is not a value of its kind: what is wrong, and what to do."""

    what: str
    todo: str


#: the day Excel counts its serial numbers from (serial 1 = 1900-01-01, with Excel's
#: 29 February 1900 that never was: from serial 61 on, day 0 is 1899-12-30)
EXCEL_EPOCH = datetime(1899, 12, 30)
FIRST_YEAR, LAST_YEAR = 1900, 2099
#: ¥1,000,000: more is a barcode or a phone pasted in the wrong column
MAX_FEN = 100_000_000
MAX_QUANTITY = 9999
GENDERS = {"女": "女", "f": "女", "female": "女", "女性": "女", "男": "男", "m": "男",
           "male": "男", "男性": "男"}
#: what a POS writes for a gender it was not told: the same as an empty cell
UNKNOWN_GENDER = {"未知", "保密", "-", "unknown", "u"}
STAGES = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}

_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+")
_IN_PHONE = re.compile(r"[\s\-()（）.]")
_MOBILE = re.compile(r"1[0-9]{10}")
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|[0-9]+(\.[0-9]*)?|\.[0-9]+")
_DAY = re.compile(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?"
                  r"|([0-9]{4})([0-9]{2})([0-9]{2})")
_CLOCK = re.compile(r"([0-9]{1,2})[:：]([0-9]{2})(?:[:：]([0-9]{2})(?:\.[0-9]+)?)?")
_SERIAL = re.compile(r"[0-9]{5}(\.[0-9]+)?")
_WHOLE = re.compile(r"[+-]?[0-9]+(\.0*)?")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def normal(text: str) -> str:
    """NFKC, trimmed: full-width digits, letters and spaces as ASCII."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.strip()


def _cell_text(cell: Cell) -> str:
    return normal(cell) if isinstance(cell, str) else ""


def _empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not normal(cell))


def _lost_digits(text: str) -> Bad:
    return Bad(_("{text} has lost digits: Excel wrote the number in scientific form").format(
        text=text), _("format the column as Text in Excel, type the numbers again and save "
                      "the file again; they are never guessed"))


def _number(cell: Cell) -> float | int | None:
    """A spreadsheet's number (bool is not one)."""
    return cell if isinstance(cell, (int, float)) and not isinstance(cell, bool) else None


def text(cell: Cell, limit: int) -> str | None | Bad:
    """Text of at most LIMIT characters on one line: NFKC, trimmed."""
    if _empty(cell):
        return None
    if isinstance(cell, str):
        value = normal(cell)
        if value.isprintable() and len(value) <= limit:  # the usual cell: nothing to change
            return value
        value = entered(value)
    else:
        value = _shown_number(cell)
    if _CONTROL.search(value):
        return Bad(_("it has line breaks or control characters"),
                   _("put it on one line as plain text"))
    if len(value) > limit:
        return Bad(_("{count} characters; at most {limit}").format(count=len(value), limit=limit),
                   _("shorten it"))
    return value


def _shown_number(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, (date, time)):
        return cell.isoformat()
    return str(cell)


def code(cell: Cell, limit: int = 40) -> str | None | Bad:
    """A card number, barcode or receipt number: digits and letters kept as they are; a
    whole number from a spreadsheet without its .0; scientific form refused."""
    number = _number(cell)
    if number is not None:
        if isinstance(number, float) and not number.is_integer():
            return _lost_digits(repr(number))
        if abs(number) >= 1e15:  # past Excel's 15 significant digits
            return _lost_digits(_shown_number(number))
        return str(int(number))
    value = text(cell, limit)
    if isinstance(value, str) and _SCIENTIFIC.fullmatch(value):
        return _lost_digits(value)
    return value


def phone(cell: Cell) -> str | None | Bad:
    """A mobile number as 11 digits starting with 1: spaces, dashes and brackets dropped,
    +86 / 0086 taken off; a number Excel wrote as 1.38123E+10 refused."""
    if _empty(cell):
        return None
    number = _number(cell)
    if number is not None:
        if isinstance(number, float) and not number.is_integer():
            return _lost_digits(repr(number))
        raw = str(int(number))
    elif isinstance(cell, str):
        raw = normal(cell)
    else:
        return _not_phone(_shown_number(cell))
    if _SCIENTIFIC.fullmatch(raw.replace(" ", "")):
        return _lost_digits(raw)
    if re.fullmatch(r"[0-9]+\.0+", raw):  # a whole number a program wrote as 138….0
        raw = raw.split(".")[0]
    digits = _IN_PHONE.sub("", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if not _MOBILE.fullmatch(digits):
        return _not_phone(raw)
    return digits


def _not_phone(raw: str) -> Bad:
    return Bad(_("{text} is not a mobile number").format(text=raw),
               _("write 11 digits starting with 1, such as 13812345678"))


def fen(cell: Cell) -> int | None | Bad:
    """An amount in yuan (¥1,280.00, ￥1280, 1280, 1,280.5, -358 for a return) as whole
    fen, rounded half away from zero: 1,280.5 → 128050."""
    if _empty(cell):
        return None
    number = _number(cell)
    if number is not None:
        value = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
        raw = _shown_number(number)
    elif isinstance(cell, str):
        raw = normal(cell)
        cleaned = re.sub(r"[¥￥元\s]|RMB|CNY", "", raw, flags=re.IGNORECASE)
        negative = cleaned.startswith("-")
        cleaned = cleaned.removeprefix("-").removeprefix("¥")
        if not _GROUPED.fullmatch(cleaned):
            return _not_amount(raw)
        try:
            value = Decimal(cleaned.replace(",", ""))
        except InvalidOperation:
            return _not_amount(raw)
        value = -value if negative else value
    else:
        return _not_amount(_shown_number(cell))
    if not value.is_finite():
        return _not_amount(raw)
    cents = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if abs(cents) > MAX_FEN:
        return Bad(_("{text} is more than ¥1,000,000").format(text=raw),
                   _("check the column: a barcode or a phone may be in it"))
    return cents


def _not_amount(raw: str) -> Bad:
    return Bad(_("{text} is not an amount of money").format(text=raw),
               _("write yuan such as 1280, 1,280.00 or ¥1,280.50"))


def day(cell: Cell) -> date | None | Bad:
    """A date: 2026/9/1, 2026-09-01, 2026.9.1, 20260901, 2026年9月1日, an Excel serial
    number (46266) or a spreadsheet's own date; a time after it is ignored."""
    if _empty(cell):
        return None
    if isinstance(cell, datetime):
        return _in_years(cell.date(), cell.isoformat(sep=" "))
    if isinstance(cell, date):
        return _in_years(cell, cell.isoformat())
    number = _number(cell)
    if number is not None:
        return _serial_day(number, _shown_number(number))
    raw = _cell_text(cell)
    if not raw:
        return _not_day(_shown_number(cell))
    if _SERIAL.fullmatch(raw):
        return _serial_day(float(raw), raw)
    found = _day_part(raw)
    if isinstance(found, Bad):
        return found
    return found[0]


def _in_years(value: date, raw: str) -> date | Bad:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        return Bad(_("{text} is not a date from 1900 to 2099").format(text=raw),
                   _("write dates as 2026-09-01"))
    return value


def _serial_moment(number: float, raw: str) -> datetime | Bad:
    if not 61 <= number < 73051:  # 1900-03-01 … 2099-12-31; before it Excel's false leap day
        return Bad(_("{text} is not a date from 1900 to 2099").format(text=raw),
                   _("write dates as 2026-09-01"))
    return EXCEL_EPOCH + timedelta(seconds=round(number * 86400))


def _serial_day(number: float, raw: str) -> date | Bad:
    moment = _serial_moment(number, raw)
    return moment if isinstance(moment, Bad) else moment.date()


def _not_day(raw: str) -> Bad:
    return Bad(_("{text} is not a date").format(text=raw),
               _("write dates as 2026-09-01, year first"))


def _day_part(raw: str) -> tuple[date, str] | Bad:
    """The date at the start of RAW and what follows it."""
    found = _DAY.match(raw)
    if found is None:
        return _not_day(raw)
    parts = found.groups()
    year, month, dd = (int(p) for p in (parts[:3] if parts[0] else parts[3:]))
    try:
        value = date(year, month, dd)
    except ValueError:
        return Bad(_("{text} is not a real date").format(text=raw),
                   _("check the day and the month: write dates as 2026-09-01"))
    checked = _in_years(value, raw)
    if isinstance(checked, Bad):
        return checked
    rest = raw[found.end():]
    if rest and rest[0] not in " T":
        return _not_day(raw)
    return checked, rest.strip().removeprefix("T")


def moment(cell: Cell) -> datetime | None | Bad:
    """A sale's date and time of day in shop time: 2026-09-01 14:30, 2026/9/1 14:30:05,
    20260901 143005 is not one (write the colons), an Excel serial with its fraction, or a
    spreadsheet's own datetime. A date without a time is refused: the follow-up rules need
    the hour."""
    if _empty(cell):
        return None
    if isinstance(cell, datetime):
        checked = _in_years(cell.date(), cell.isoformat(sep=" "))
        return checked if isinstance(checked, Bad) else cell.replace(tzinfo=None, microsecond=0)
    if isinstance(cell, date):
        return _no_time(cell.isoformat())
    number = _number(cell)
    raw = _shown_number(number) if number is not None else _cell_text(cell)
    if number is None and _SERIAL.fullmatch(raw):
        number = float(raw)
    if number is not None:
        if float(number).is_integer():
            return _no_time(raw)
        return _serial_moment(number, raw)
    if not raw:
        return _not_moment(_shown_number(cell))
    found = _day_part(raw)
    if isinstance(found, Bad):
        return found
    value, rest = found
    if not rest:
        return _no_time(raw)
    clock = _CLOCK.fullmatch(rest)
    if clock is None:
        return _not_moment(raw)
    hour, minute, second = (int(p or 0) for p in clock.groups())
    if hour > 23 or minute > 59 or second > 59:
        return _not_moment(raw)
    return datetime.combine(value, time(hour, minute, second))


def _no_time(raw: str) -> Bad:
    return Bad(_("{text} has no time of day").format(text=raw),
               _("export the sale time with the hour, such as 2026-09-01 14:30"))


def _not_moment(raw: str) -> Bad:
    return Bad(_("{text} is not a date and time").format(text=raw),
               _("write it as 2026-09-01 14:30 (year first, the shop's time)"))


def gender(cell: Cell) -> str | None | Bad:
    """女/男/F/M/female/male as the archive stores it (女 or 男); 未知 or 保密 as empty."""
    if _empty(cell):
        return None
    raw = _cell_text(cell) or _shown_number(cell)
    low = raw.lower()
    if low in UNKNOWN_GENDER:
        return None
    found = GENDERS.get(low)
    if found is None:
        return Bad(_("{text} is not a gender").format(text=raw),
                   _("write 女 or 男 (F or M), or leave it empty"))
    return found


def _whole(cell: Cell) -> tuple[int | None, str]:
    """A whole number in the cell and the cell as text; None when it is not one."""
    number = _number(cell)
    if number is not None:
        raw = _shown_number(number)
        return (int(number) if float(number).is_integer() else None), raw
    raw = _cell_text(cell) or _shown_number(cell)
    if _WHOLE.fullmatch(raw):
        return int(raw.split(".")[0]), raw
    return None, raw


def quantity(cell: Cell) -> int | None | Bad:
    """How many: a whole number, negative for a return line, never 0."""
    if _empty(cell):
        return None
    value, raw = _whole(cell)
    if value is None or value == 0 or abs(value) > MAX_QUANTITY:
        return Bad(_("{text} is not a quantity").format(text=raw),
                   _("write a whole number such as 2, or -1 for a return; not 0"))
    return value


def line_number(cell: Cell) -> int | None | Bad:
    """A receipt's line number: a whole number from 1."""
    if _empty(cell):
        return None
    value, raw = _whole(cell)
    if value is None or value < 1:
        return Bad(_("{text} is not a line number").format(text=raw),
                   _("write the line of the receipt as 1, 2, 3 …"))
    return value


def stage(cell: Cell) -> int | None | Bad:
    """A formula's stage: 1段, 2段, 3段 (4段), 一段 or 1 → 1 … 4."""
    if _empty(cell):
        return None
    number = _number(cell)
    raw = _shown_number(number) if number is not None else _cell_text(cell)
    key = raw.removesuffix("段").strip()
    if key not in STAGES:
        return Bad(_("{text} is not a stage").format(text=raw),
                   _("write 1段, 2段 or 3段, or leave it empty"))
    return STAGES[key]


def days(cell: Cell) -> float | None | Bad:
    """How many days one unit lasts: a number above 0, at most 3650 (7, 7.5)."""
    if _empty(cell):
        return None
    number = _number(cell)
    raw = _shown_number(number) if number is not None else _cell_text(cell)
    try:
        value = Decimal(raw.removesuffix("天").strip())
    except InvalidOperation:
        value = Decimal(0)
    if not value.is_finite() or not 0 < value <= 3650:
        return Bad(_("{text} is not a number of days").format(text=raw),
                   _("write how many days one unit lasts, such as 7; empty if it does not run out"))
    return float(value)
