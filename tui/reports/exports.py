"""An export as a file: the columns of each kind in the language spoken, and the writers,
CSV (UTF-8 with a BOM, so Excel opens Chinese; cells made safe with csv_cell) and XLSX
(xlsxwriter, constant memory; dates as dates, money as yuan numbers with a ¥ format).

A file is written whole or not at all: into a hidden temporary file beside it (0600),
flushed to disk, then linked to its name, which fails when a file is there (never over
one), and only then audited. Members and purchases carry the headers the importer
recognises (the POS's Chinese ones, or their English words), so an export read back
into an empty shop gives the same members and purchases.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS
from tui.db.callbacks.queue import reason_label
from tui.db.exports import KINDS, Span, check_exporter, export_rows, record_export
from tui.errors import ShopfloorError
from tui.files import create_private, first_free, private_folder
from tui.i18n import N_, _, language, pgettext
from tui.settings import Settings
from tui.text import csv_cell

FORMATS = ("csv", "xlsx")


def kind_words(kind: str) -> str:
    """What the form and a workbook's sheet call each kind, in the language spoken now."""
    return {"members": pgettext("export", "members"), "purchases": pgettext("export", "purchases"),
            "contacts": pgettext("export", "contacts"), "callbacks": pgettext("export", "callbacks"),
            "boards": pgettext("export", "leaderboards")}[kind]


STATUS_WORDS = {"open": N_("open"), "done": N_("done"), "cancelled": N_("cancelled"),
                "missed": N_("missed")}
#: rows of one sheet, the header apart (Excel's limit is 1,048,576 rows): more go on a next sheet
SHEET_ROWS = 1_048_575
_EXCEL_EPOCH = datetime(1899, 12, 30)


class ExportError(ShopfloorError):
    """An export that cannot be written; str() is the one line to show. Nothing was written."""


# -- the columns --------------------------------------------------------------------------

#: (kind of cell, the header in Chinese, in English) for the two kinds a shop imports
#: again: a file format, the POS's words, so not through the catalogue
_IMPORTABLE = {
    "members": (
        ("text", "会员卡号", "card no"), ("text", "姓名", "name"), ("text", "手机", "phone"),
        ("text", "性别", "gender"), ("date", "生日", "birthday"), ("text", "地址", "address"),
        ("date", "开卡日期", "joined"), ("text", "邮箱", "email"), ("text", "导购", "guide"),
        ("money", "累计消费", "total spend"),
    ),
    "purchases": (
        ("int", "销售单号", "receipt no"), ("int", "行号", "line no"),
        ("datetime", "销售时间", "sold at"), ("text", "会员卡号", "card no"),
        ("text", "手机", "phone"), ("text", "商品条码", "barcode"), ("text", "商品编码", "sku"),
        ("text", "商品名称", "product"), ("text", "品牌", "brand"), ("text", "类别", "category"),
        ("int", "数量", "quantity"), ("money", "单价", "price"), ("money", "实收金额", "amount"),
        ("text", "导购", "guide"),
    ),
}
_WORDED = {
    "contacts": (("datetime", N_("Contacted at")), ("text", N_("Member no")),
                 ("text", N_("Member")), ("text", N_("Guide")), ("text", N_("Channel")),
                 ("text", N_("Outcome")), ("text", N_("Care")), ("text", N_("Note")),
                 ("date", N_("Next contact"))),
    "callbacks": (("date", N_("Due")), ("text", N_("Member no")), ("text", N_("Member")),
                  ("text", N_("Reason")), ("text", N_("Status")), ("text", N_("Guide")),
                  ("text", N_("Detail")), ("datetime", N_("Raised at")),
                  ("datetime", N_("Closed at"))),
    "boards": (("text", N_("Board")), ("text", N_("Period")), ("int", N_("Rank")),
               ("text", N_("Guide")), ("text", N_("Figure")), ("number", N_("Value")),
               ("int", N_("Done")), ("int", N_("Of"))),
}


def columns(kind: str) -> tuple[tuple[str, str], ...]:
    """(kind of cell, header) of each column, the headers in the language spoken now."""
    if kind in _IMPORTABLE:
        chinese = language() == "zh-CN"
        return tuple((cell, zh if chinese else en) for cell, zh, en in _IMPORTABLE[kind])
    return tuple((cell, _(words)) for cell, words in _WORDED[kind])


def _worded(kind: str, rows: Iterable[tuple]) -> Iterator[tuple]:
    """The db's rows with codes said in words (a channel, a reason, yes/no) and, on the
    boards, a share kept as a number with its kind apart (value_kinds)."""
    yes, no = _("yes"), _("no")
    if kind == "contacts":
        for r in rows:
            yield r[:4] + (CHANNEL_LABELS.get(r[4], r[4]), OUTCOME_LABELS.get(r[5], r[5]),
                           yes if r[6] else no) + r[7:]
    elif kind == "callbacks":
        for r in rows:
            yield r[:3] + (reason_label(r[3]), _(STATUS_WORDS.get(r[4], r[4]))) + r[5:]
    elif kind == "boards":
        for r in rows:  # (title, period, rank, guide, figure, kind, value, done, of)
            yield r[:5] + (_Share(r[6]) if r[5] != "count" else r[6],) + r[7:]
    else:
        yield from rows


class _Share(float):
    """A share 0..1 on a board: a percent in Excel, four places in CSV."""


# -- the writers --------------------------------------------------------------------------


def _yuan_text(cents: int) -> str:
    """4200.00, -12.90: fen as yuan, exact (no float on the way)."""
    sign, cents = ("-", -cents) if cents < 0 else ("", cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _csv_converters(kinds: list[str]) -> list:
    """One function per column: a stored value → its CSV cell. Text goes through csv_cell
    (a cell a spreadsheet would run as a formula is made text), remembered per column as
    product names and guides repeat; money as yuan with two places, never a formula
    either (a refund is "-12.90" as a number, written by us, not by a person)."""
    def text(cache: dict):
        def convert(value):
            if value is None:
                return ""
            words = cache.get(value)
            if words is None:
                if len(cache) > 50_000:
                    cache.clear()
                words = cache[value] = csv_cell(value if isinstance(value, str) else str(value))
            return words
        return convert

    def plain(value):
        return "" if value is None else value

    def money(value):
        return "" if value is None else _yuan_text(value)

    def day(value):
        return "" if value is None else value.isoformat()

    def moment(value):
        return "" if value is None else value.isoformat(" ")

    def number(value):
        if value is None:
            return ""
        return round(Decimal(value), 4) if isinstance(value, _Share) else value

    made = {"text": None, "int": plain, "money": money, "date": day, "datetime": moment,
            "number": number}
    return [text({}) if kind == "text" else made[kind] for kind in kinds]


def write_csv(handle, kind: str, rows: Iterable[tuple]) -> int:
    """The rows as CSV in UTF-8 with a BOM and Excel's CRLF; return how many."""
    cells = columns(kind)
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=False)
    out = csv.writer(text, lineterminator="\r\n")
    out.writerow([header for _cell, header in cells])
    converters = _csv_converters([cell for cell, _header in cells])
    count = 0
    write = out.writerow
    for row in rows:
        write([convert(value) for convert, value in zip(converters, row)])
        count += 1
    text.flush()
    text.detach()
    return count


def _serial(moment: date) -> float:
    """Excel's number for a day or a time (days since 1899-12-30)."""
    if not isinstance(moment, datetime):
        return float((moment - _EXCEL_EPOCH.date()).days)
    delta = moment - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def _column_letters(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_xlsx(handle, kind: str, rows: Iterable[tuple], tmpdir: Path) -> int:
    """The rows as one workbook (a sheet per SHEET_ROWS rows) by xlsxwriter in constant
    memory; return how many. Text is never read as a formula or a link.

    xlsxwriter's cell calls cost ~5 µs a cell, a minute for a million purchase lines; so
    the header is written through them and the data rows are streamed by `_rows_xml`
    straight into the sheet's row file, in the markup xlsxwriter itself writes (numbers
    with their format's index; text as shared strings while a column repeats itself,
    inline once it does not, see _cell_parts), then xlsxwriter assembles, styles and zips
    the workbook as usual. The version is pinned
    (pyproject.toml) and tests/cli/test_export.py reads the files back."""
    import xlsxwriter

    cells = columns(kind)
    book = xlsxwriter.Workbook(handle, {
        "constant_memory": True, "tmpdir": str(tmpdir), "use_zip64": True,
        "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True})
    shapes = {"money": book.add_format({"num_format": '"¥"#,##0.00;-"¥"#,##0.00'}),
              "date": book.add_format({"num_format": "yyyy-mm-dd"}),
              "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
              "share": book.add_format({"num_format": "0.0%"})}
    widths = {"money": 12, "date": 11, "datetime": 19, "int": 9, "number": 10, "text": 14}
    title = kind_words(kind)

    def new_sheet(n: int):
        sheet = book.add_worksheet(title if n == 1 else f"{title} {n}"[:31])
        for i, (cell, header) in enumerate(cells):
            sheet.set_column(i, i, max(widths[cell], 2 * len(header) + 2))
            sheet.write_string(0, i, header, head)
        sheet.freeze_panes(1, 0)
        sheet._write_single_row(1)  # the header row out; the data rows follow it
        return sheet

    count, n = 0, 0
    rows = iter(rows)
    while True:
        n += 1
        sheet = new_sheet(n)
        written = _rows_xml(sheet, [cell for cell, _header in cells], shapes, rows, SHEET_ROWS)
        if written:
            sheet.dim_rowmax = sheet.previous_row = written  # as xlsxwriter's own writes leave them
        count += written
        if written < SHEET_ROWS:
            break
        first = next(rows, None)  # a next sheet only when a row is left for it
        if first is None:
            break
        rows = _chain(first, rows)
    with _quick_zip():
        book.close()
    return count


_zip_lock = threading.Lock()


@contextmanager
def _quick_zip():
    """xlsxwriter zips the workbook at zlib's default level, a quarter of a big export's
    time: level 1 while it closes (a file a third larger, written 20% sooner). xlsxwriter
    names ZipFile in its workbook module, so it is swapped there for the close alone."""
    import zipfile

    import xlsxwriter.workbook as workbook

    class QuickZip(zipfile.ZipFile):
        def __init__(self, *args, **kwargs) -> None:
            kwargs.setdefault("compresslevel", 1)
            super().__init__(*args, **kwargs)

    with _zip_lock:
        workbook.ZipFile = QuickZip
        try:
            yield
        finally:
            workbook.ZipFile = zipfile.ZipFile


def _chain(first: tuple, rest: Iterator[tuple]) -> Iterator[tuple]:
    yield first
    yield from rest


#: distinct values a text column may put in the workbook's shared strings before its
#: cells are written inline instead (names, phones, card numbers: one each)
SHARED_MOST = 20_000


def _cell_parts(sheet, kinds: list[str], shapes: dict) -> tuple[list, list[str], list[int]]:
    """Per column: a function from a stored value to the text that goes inside its cell,
    and the cell's markup around it ("{0}" the row number, "{v}" the text); and the list a
    column's number is put on when its markup changed (the row templates are then made
    again).

    Text goes into the workbook's shared strings while its column repeats itself
    (products, brands, categories, guides: each written once, then an index); a column
    that turns out to be all different goes inline from its SHARED_MOST-th value on, as
    xlsxwriter writes text in constant-memory mode, so the table stays small."""
    escape, controls = sheet._escape_data, sheet._escape_control_characters
    styles = {kind: shape._get_xf_index() for kind, shape in shapes.items()}
    table = sheet.str_table
    changed: list[int] = []

    def markup(value) -> str:
        raw = controls((value if isinstance(value, str) else str(value))[:32767])
        keep = ' xml:space="preserve"' if raw[:1].isspace() or raw[-1:].isspace() else ""
        return f"<t{keep}>{escape(raw)}</t>"

    def shared(column: int, inline: str):
        seen: dict = {}

        def index(value) -> str:
            number = seen.get(value)
            if number is not None:
                table.count += 1
                return number
            number = seen[value] = str(table._get_shared_string_index(
                (value if isinstance(value, str) else str(value))[:32767]))
            if len(seen) >= SHARED_MOST:  # this row keeps its index; the next ones go inline
                converts[column], cells[column] = markup, inline
                changed.append(column)
            return number
        return index

    def number(value) -> str:  # a count, or a board's share (a percent)
        return (f' s="{styles["share"]}"><v>{float(value)!r}' if isinstance(value, _Share)
                else f"><v>{value}")

    converts, cells = [], []
    for i, kind in enumerate(kinds):
        ref = f'<c r="{_column_letters(i)}{{0}}"'
        if kind == "text":
            converts.append(shared(i, ref + ' t="inlineStr"><is>{v}</is></c>'))
            cells.append(ref + ' t="s"><v>{v}</v></c>')
        elif kind == "money":
            converts.append(lambda cents: repr(cents / 100))
            cells.append(ref + f' s="{styles["money"]}"><v>{{v}}</v></c>')
        elif kind in ("date", "datetime"):
            converts.append(lambda moment: repr(_serial(moment)))
            cells.append(ref + f' s="{styles[kind]}"><v>{{v}}</v></c>')
        else:
            converts.append(number)
            cells.append(ref + "{v}</v></c>")
    return converts, cells, changed


def _rows_xml(sheet, kinds: list[str], shapes: dict, rows: Iterator[tuple], most: int) -> int:
    """Up to `most` rows written as <row> markup into `sheet`'s row file from its second
    row on; return how many. One str.format a row, on a template for the row's filled
    cells (a sale without a member has no card number), made once per shape."""
    converts, cells, changed = _cell_parts(sheet, kinds, shapes)
    templates: dict[tuple, str] = {}
    write, count = sheet.fh.write, 0
    for row in rows:
        count += 1
        filled = tuple(value is not None and value != "" for value in row)
        template = templates.get(filled)
        if template is None:
            present = [cell for cell, there in zip(cells, filled) if there]
            template = templates[filled] = ('<row r="{0}">' + "".join(
                cell.replace("{v}", f"{{{k}}}") for k, cell in enumerate(present, 1)) + "</row>")
        write(template.format(count + 1, *[convert(value) for convert, value, there
                                           in zip(converts, row, filled) if there]))
        if changed:  # a column went inline: the templates of the rows after this one change
            templates.clear()
            changed.clear()
        if count == most:
            break
    return count


# -- one export, whole or not at all -------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    path: Path
    rows: int


def exports_folder(settings: Settings) -> Path:
    """The shop's export folder, "exports" beside the database (as the card's export of one
    member), made 0700 when new."""
    try:
        return private_folder(settings.database.path.parent / "exports",
                              settings.database.file_group)
    except ShopfloorError as exc:
        raise ExportError(str(exc)) from None


def file_name(kind: str, span: Span, today: date, fmt: str) -> str:
    """members-all-20261123.csv, purchases-20261101-20261130-20261123.xlsx"""
    first = span.first_day.strftime("%Y%m%d") if span.first_day else ""
    last = span.last_day.strftime("%Y%m%d") if span.last_day else ""
    reach = f"{first}-{last}" if (first or last) else "all"
    return f"{kind}-{reach}-{today:%Y%m%d}.{fmt}"


def export(kind: str, span: Span, fmt: str, staff_id: int, now: datetime, today: date,
           settings: Settings, out: Path | None = None) -> Exported:
    """Write one export to `out` (a new file, or a free name in `out` when it is a folder)
    or into the shop's export folder under a free name; audit it; return where and how many rows. A guide is refused (PermissionDenied)
    before anything is written; a file already there is never written over."""
    if kind not in KINDS or fmt not in FORMATS:
        raise ExportError(_("no such export: {kind} as {fmt}").format(kind=kind, fmt=fmt))
    check_exporter(staff_id)
    group = settings.database.file_group
    stem, _dot, suffix = file_name(kind, span, today, fmt).rpartition(".")
    if out is None:
        out = first_free(exports_folder(settings), stem, "." + suffix)
    elif Path(out).is_dir() and not Path(out).is_symlink():  # a folder: a free name in it
        out = first_free(Path(out), stem, "." + suffix)
    out = Path(out)
    if os.path.lexists(out):
        raise ExportError(_("{path}: already exists; give a new file name (an export is "
                            "never written over a file)").format(path=out))
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(_("{folder}: no such folder").format(folder=folder))
    part = folder / f".{out.name}.{os.getpid()}.part"
    try:
        fd = create_private(part, group)
    except FileExistsError:
        raise ExportError(_("{path}: another export of this file is being written; try again")
                          .format(path=out)) from None
    except OSError as exc:
        raise ExportError(_("{path}: cannot write there ({why})").format(
            path=out, why=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle, \
                tempfile.TemporaryDirectory(dir=folder, prefix=".export-") as scratch:
            rows = _worded(kind, export_rows(kind, span, settings, today))
            if fmt == "csv":
                count = write_csv(handle, kind, rows)
            else:
                count = write_xlsx(handle, kind, rows, Path(scratch))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(part, out)  # never over a file that appeared meanwhile
        except FileExistsError:
            raise ExportError(_("{path}: already exists; give a new file name (an export is "
                                "never written over a file)").format(path=out)) from None
        except OSError as exc:
            raise ExportError(_("{path}: cannot write there ({why})").format(
                path=out, why=exc.strerror or exc)) from None
    except OSError as exc:
        raise ExportError(_("{path}: cannot write there ({why})").format(
            path=out, why=exc.strerror or exc)) from None
    finally:
        part.unlink(missing_ok=True)
    _sync_folder(folder)
    try:
        record_export(staff_id, now, kind, span, count, str(out.resolve()))
    except BaseException:
        out.unlink(missing_ok=True)  # not audited, not kept
        raise
    return Exported(out, count)


def _sync_folder(folder: Path) -> None:
    """The new name itself on disk (a power cut after an export keeps it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["FORMATS", "kind_words", "ExportError", "Exported", "columns", "export",
           "exports_folder", "file_name", "write_csv", "write_xlsx"]
