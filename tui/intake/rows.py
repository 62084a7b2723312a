"""The contract between reading a file and writing it: typed rows and problems.

`check_file(path, kind, columns)` reads the file (tui.intake.read), checks every row
and yields, in row order, one `MemberRow`, `ProductRow` or `PurchaseRow` for each good
row and one `Problem` for each wrong cell of a bad row (a bad row yields no row). Every
row is checked: nothing stops at the first problem. A file that cannot be read at all,
or whose mapping does not fit its header, raises a ShopfloorError (ReadError,
MappingError) before the first row; a byte that does not fit the encoding further down
raises ReadError naming its row.

Within one file a phone or a card number given twice among members, or a barcode twice
among products, is a Problem on the later row ("the same phone as row 5"), never two
members. Purchases are not compared within the file: the writer keys them by receipt and
line (or receipt, product and quantity), the same key that makes a second import of an
overlapping export write nothing.

Every row carries its number as Excel shows it (the header is row 1). Amounts are whole
fen; sale times are naive, in the shop's time as the POS wrote them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tui.i18n import _
from tui.intake import values
from tui.intake.mapping import MappingError, SavedMapping, fields_of, resolve
from tui.intake.progress import Progress
from tui.intake.read import Cell, Table, open_table, shown_cell

#: how many characters of a wrong cell a problem repeats
VALUE_SHOWN = 100
#: how many cells of one field are remembered, read, at most
_CACHED = 10_000
_UNREAD = object()
_WRONG = object()  #: a field whose cell was wrong (a problem says so)


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (or a whole row when `column` is empty)."""

    row: int  #: as Excel shows it: the header is row 1
    column: str  #: the column's name as in the file's header
    value: str  #: the cell as in the file, as text
    what: str  #: what is wrong, in the language spoken
    todo: str  #: what to do about it


@dataclass(frozen=True)
class MemberRow:
    row: int
    card_no: str | None  #: the POS's card number (会员卡号), matched after the phone
    name: str
    phone: str  #: 11 digits starting with 1
    gender: str | None  #: "女" or "男", as tui.db.members.archive stores it
    birthday: date | None
    address: str | None
    joined_on: date | None  #: 开卡日期
    guide: str | None  #: the guide's name as the file writes it, to be matched to staff


@dataclass(frozen=True)
class ProductRow:
    row: int
    barcode: str
    name: str
    brand: str | None
    category: str | None
    spec: str | None  #: 规格, such as 800g
    stage: int | None  #: 1段/2段/3段 → 1/2/3 (4段 → 4)
    unit: str | None
    price_fen: int
    days_per_unit: float | None  #: how long one unit lasts; None: not given


@dataclass(frozen=True)
class PurchaseRow:
    row: int
    receipt: str  #: 销售单号 / 小票号
    line: int | None  #: the receipt's line, when the POS gives one
    sold_at: datetime  #: naive, the shop's time
    card_no: str | None
    phone: str | None
    member_name: str | None
    barcode: str | None
    code: str | None  #: the shop's own product code (商品编码), where it has no barcode
    product: str | None  #: the product's name
    brand: str | None  #: for a product new to the shop
    category: str | None
    quantity: int  #: negative for a return line
    unit_price_fen: int | None
    amount_fen: int  #: what was paid for the line (实收), negative for a return
    guide: str | None


Row = MemberRow | ProductRow | PurchaseRow

#: how each field's cell is read: the normaliser, and the longest text it takes
_TEXT_LIMITS = {"name": 30, "address": 200, "guide": 30, "product": 100, "brand": 50,
                "category": 50, "spec": 50, "unit": 20}
_READERS: dict[str, Callable[[Cell], object]] = {
    "card_no": values.code, "barcode": values.code, "code": values.code, "receipt": values.code,
    "phone": values.phone, "gender": values.gender, "birthday": values.day,
    "joined": values.day, "stage": values.stage, "price": values.fen, "amount": values.fen,
    "days": values.days, "line": values.line_number, "sold_at": values.moment,
    "quantity": values.quantity,
}


def read_cell(field: str, cell: Cell) -> object:
    """The field's value from CELL: the value, None when empty, or a values.Bad."""
    reader = _READERS.get(field)
    if reader is not None:
        return reader(cell)
    return values.text(cell, _TEXT_LIMITS.get(field, 200))


def check_file(path: str | Path, kind: str,
               columns: Mapping[str, str] | SavedMapping) -> Iterator[Row | Problem]:
    """Every row of the file at PATH checked as a KIND file (members, products,
    purchases) whose COLUMNS map field → column name (or a saved mapping of that kind):
    rows and problems in row order."""
    return check_table(open_table(path), kind, columns)


def check_table(table: Table, kind: str, columns: Mapping[str, str] | SavedMapping,
                progress: Progress | None = None) -> Iterator[Row | Problem]:
    """The same for a table already open (the one a preview showed); PROGRESS is told of
    each row read ("reading", of the table's estimated rows), and may stop the reading."""
    if isinstance(columns, SavedMapping):
        if columns.kind != kind:
            raise MappingError(_("the mapping {name} is for a {mapped} file, not {kind}").format(
                name=columns.name, mapped=columns.kind, kind=kind))
        columns = columns.columns
    where = resolve(kind, columns, table.header)  # before the first row: a misfit is one line
    return _checked(table, kind, where, progress or Progress())


def _checked(table: Table, kind: str, where: dict[str, int],
             progress: Progress) -> Iterator[Row | Problem]:
    make = ROW_TYPES[kind]
    keys = [f.key for f in fields_of(kind)]  # in the order of the row type's fields
    at = {key: i for i, key in enumerate(keys)}
    required = {f.key for f in fields_of(kind) if f.required}
    seen: dict[tuple[str, str], int] = {}
    # a POS file says the same product, price, guide and day on many lines: each field's
    # cells are read once, remembered by value (and by type, but for text: 1, 1.0 and True
    # would be one key)
    plan = [(field, index, at[field], {}, field in required) for field, index in where.items()]
    width = max(where.values()) + 1
    header = table.header
    unmapped = [None] * len(keys)
    total = table.estimated_rows() if progress.watch is not None else None
    read = 0
    for number, cells in table.rows():
        read += 1
        progress("reading", read, total)
        if len(cells) < width:
            cells = cells + ("",) * (width - len(cells))
        got = unmapped.copy()
        problems: list[Problem] = []
        for field, index, place, cache, needed in plan:
            cell = cells[index]
            key = cell if cell.__class__ is str else (cell.__class__, cell)
            value = cache.get(key, _UNREAD)
            if value is _UNREAD:
                value = read_cell(field, cell)
                if len(cache) >= _CACHED:
                    cache.clear()
                cache[key] = value
            if value.__class__ is values.Bad:
                problems.append(_problem(number, header[index], cell, value.what, value.todo))
                value = _WRONG
            elif value is None and needed:
                problems.append(_problem(number, header[index], cell, _("empty"),
                                         _("fill it in: every row needs it")))
                value = _WRONG
            got[place] = value
        # the row's own checks on the cells that are right: a duplicate is said even on a
        # row with another problem, so that one pass over the file says everything
        problems += _row_problems(kind, number, dict(zip(keys, got)), cells, where, header,
                                  seen)
        if problems:
            yield from problems
        else:
            yield make(number, *got)
    progress.finish("reading", read)


def _problem(row: int, column: str, cell: Cell, what: str, todo: str) -> Problem:
    return Problem(row, column, shown_cell(cell)[:VALUE_SHOWN], what, todo)


def _row_problems(kind: str, number: int, got: dict[str, object], cells: tuple[Cell, ...],
                  where: dict[str, int], header: tuple[str, ...],
                  seen: dict[tuple[str, str], int]) -> list[Problem]:
    """What is wrong with a row beyond its cells (GOT: field → value, None when empty or
    not mapped, _WRONG when its cell was wrong): the same key as an earlier row of the
    file, a sale found by neither barcode nor name, a return half written."""
    out: list[Problem] = []
    for field in _UNIQUE.get(kind, ()):
        value = got[field]
        if value is None or value is _WRONG:
            continue
        first = seen.setdefault((field, str(value)), number)
        if first != number:
            out.append(_problem(number, header[where[field]], cells[where[field]],
                                _("the same {field} as row {row}").format(
                                    field=_field_words(field), row=first),
                                _("keep one row for each; merge the two rows in the file")))
    if kind == "purchases":
        if got["barcode"] is None and got.get("code") is None and got["product"] is None:
            out.append(Problem(number, "", "", _("no barcode and no product name"),
                               _("fill in one of them: the sale needs its product")))
        quantity, amount = got["quantity"], got["amount"]
        if quantity.__class__ is int and amount.__class__ is int and (
                (quantity < 0 < amount) or (amount < 0 < quantity)):
            cell = cells[where["amount"]]
            out.append(_problem(number, header[where["amount"]], cell,
                                _("a quantity of {quantity} with an amount of {amount}").format(
                                    quantity=quantity, amount=shown_cell(cell)),
                                _("a return has both negative: write the quantity and the "
                                  "amount with a minus")))
    return out


#: the fields no two rows of one file may share
_UNIQUE = {"members": ("phone", "card_no"), "products": ("barcode",)}


def _field_words(field: str) -> str:
    return {"phone": _("phone"), "card_no": _("card number"), "barcode": _("barcode")}[field]


#: the row type of each kind; its fields after `row` are the kind's FIELDS, in order
ROW_TYPES = {"members": MemberRow, "products": ProductRow, "purchases": PurchaseRow}
