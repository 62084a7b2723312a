"""A table from a file: CSV, XLSX or old XLS, its header and its rows, streamed.

The first row of the file is the header (the column names); a file whose header is not
its first row is out of scope: the manager deletes the rows above it first. Blank rows
(every cell empty) are skipped wherever they are, and the rows keep their numbers as
Excel shows them: the header is row 1, the first data row row 2.

CSV is read with the standard library's csv module, one line at a time: a 1,000,000-line
file is never held whole. Its encoding is decided from the first SAMPLE bytes (or, when
they are plain ASCII, from the first line that is not, within SCAN bytes) by a strict
cascade — a BOM (UTF-8, UTF-16), then strict UTF-8, then strict GB18030 (which covers
GBK and GB2312; 刘䶮 is outside GBK), then charset-normalizer limited to those — and every
later line is decoded strictly again: a byte that does not fit stops the read with one
line naming its row. Spreadsheets are read with python-calamine, which reads .xls too;
it holds the sheet in its own (Rust) memory and hands the rows over one at a time.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from tui.errors import ShopfloorError
from tui.i18n import N_, _

#: what a cell may hold: text from a CSV; text, numbers, dates and times from a spreadsheet
Cell = str | float | int | bool | date | datetime | time | timedelta
#: how many bytes of a CSV's head decide its encoding
SAMPLE = 64 * 1024
#: how far past a head of plain ASCII the first other byte is looked for
SCAN = 16 * 1024 * 1024
#: how many data rows a preview shows
PREVIEW_ROWS = 10
#: the file names read as spreadsheets (calamine), and as CSV
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_FILES = (".csv", ".txt", ".tsv")
#: the encodings a CSV may be in, by the codec's name: the words for them
ENCODING_NAMES = {"utf-8-sig": N_("UTF-8 with BOM"), "utf-16": N_("UTF-16 with BOM"),
                  "utf-8": "UTF-8",
                  "gb18030": "GB18030 (GBK)", "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE"}
#: what charset-normalizer may choose from (its names → the codec's)
_DETECTABLE = {"utf_8": "utf-8", "gb18030": "gb18030", "utf_16_le": "utf-16-le",
               "utf_16_be": "utf-16-be"}
#: a field far larger than any shop's cell: the csv module's limit, raised a little
_FIELD_LIMIT = 1_000_000
#: the most cells an .xlsx sheet may have: python-calamine holds a whole sheet in memory
#: (about 85 bytes a cell, measured), so 2,500,000 cells is some 210 MB of the import's
#: 300; a larger sheet (a year of POS lines) is refused before it is loaded: CSV streams
MAX_SHEET_CELLS = 2_500_000


class ReadError(ShopfloorError, ValueError):
    """A file that cannot be read as a table; str() is the one line to show."""


@dataclass(frozen=True)
class Table:
    """A file opened as a table: its header and first rows decoded, for a preview before
    anything is written; `rows()` streams every data row from the start."""

    path: Path
    kind: str  #: "csv" or "spreadsheet"
    encoding: str | None  #: the codec a CSV is decoded with; None for a spreadsheet
    header: tuple[str, ...]  #: the column names, as in the file (trimmed)
    preview: tuple[tuple[int, tuple[Cell, ...]], ...]  #: the first data rows: (row, cells)
    delimiter: str = ","
    sheet: str = ""  #: the sheet read, for a spreadsheet
    _book: object = field(default=None, compare=False, repr=False)

    @property
    def encoding_name(self) -> str:
        """The encoding in words, such as "GB18030 (GBK)"; the sheet's name for a spreadsheet."""
        if self.encoding is None:
            return _("spreadsheet, sheet {sheet}").format(sheet=self.sheet)
        return _(ENCODING_NAMES.get(self.encoding, self.encoding))

    def estimated_rows(self) -> int:
        """About how many data rows the file has, known before they are read, for a
        progress bar: a CSV's line ends counted (quoted line breaks and blank rows count
        too), a sheet's height."""
        if self.kind != "csv":
            return max(0, int(getattr(self._book, "height", 0) or 0) - 1)
        ends, last = 0, b"\n"
        with open(self.path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                ends += block.count(b"\n")
                last = block[-1:]
        return max(0, ends + (last != b"\n") - 1)

    def rows(self) -> Iterator[tuple[int, tuple[Cell, ...]]]:
        """Every data row that is not blank, with its row number as Excel shows it."""
        if self.kind == "csv":
            records = _csv_records(self.path, self.encoding or "utf-8", self.delimiter)
        else:
            records = _sheet_records(self._book, self.path)
        next(records, None)  # the header
        for number, cells in records:
            if not blank(cells):
                yield number, cells


def blank(cells: tuple[Cell, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def shown_cell(value: Cell | None) -> str:
    """A cell as text for a preview or a report: 13812345678.0 as 13812345678, a date as
    2026-09-01, a time of day as 2026-09-01 14:30:00."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def open_table(path: str | Path) -> Table:
    """The file at PATH as a table, its header and first rows read; ReadError in one line
    for a file that is not there, not a file, empty, or not a table this reads."""
    path = Path(path)
    _regular_file(path)
    suffix = path.suffix.lower()
    workbook = _looks_like_workbook(path)
    if suffix in SPREADSHEETS or (workbook and suffix in TEXT_FILES):
        # by what is inside: a POS's ".xls" is often tab-separated text, and a workbook
        # saved as "x.csv" is still a workbook
        return _open_csv(path) if suffix == ".xls" and not workbook else _open_spreadsheet(path)
    if suffix in TEXT_FILES or not suffix:
        return _open_csv(path)
    raise ReadError(_("{path}: not a file this reads; give a .csv, .xlsx or .xls file").format(
        path=path))


#: how a workbook's file begins: a zip (.xlsx, .ods) or an OLE compound file (.xls)
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _looks_like_workbook(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(8).startswith(_WORKBOOK_MAGIC)
    except OSError as exc:
        raise ReadError(_("{path}: cannot read it ({error})").format(
            path=path, error=exc.strerror or exc)) from None


def _regular_file(path: Path) -> None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ReadError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise ReadError(_("{path}: cannot read it ({error})").format(
            path=path, error=exc.strerror or exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(_("{path}: not a file (a folder, a pipe or a device)").format(path=path))
    if info.st_size == 0:
        raise ReadError(_("{path}: the file is empty").format(path=path))


def _head_of(header: tuple[Cell, ...], path: Path) -> tuple[str, ...]:
    names = tuple(shown_cell(c).strip() for c in header)
    while names and not names[-1]:
        names = names[:-1]
    if not names:
        raise ReadError(_("{path}: the first row is empty; the column names must be the first "
                          "row (delete the rows above them)").format(path=path))
    return names


def _preview(records: Iterator[tuple[int, tuple[Cell, ...]]]) -> tuple:
    out = []
    for number, cells in records:
        if not blank(cells):
            out.append((number, cells))
            if len(out) == PREVIEW_ROWS:
                break
    return tuple(out)


# -- CSV --------------------------------------------------------------------------------

def detect_encoding(sample: bytes, whole: bool) -> str:
    """The codec a CSV whose first bytes are SAMPLE is decoded with (WHOLE: the sample is
    the whole file), by the strict cascade; ReadError when none fits."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" not in sample:  # NUL bytes: UTF-16 without a BOM, left to the detector
        for codec in ("utf-8", "gb18030"):
            if _decodes(sample, codec, whole):
                return codec
    return _detected(sample, whole)


def _decodes(sample: bytes, codec: str, whole: bool) -> bool:
    try:
        codecs.getincrementaldecoder(codec)(errors="strict").decode(sample, final=whole)
    except UnicodeDecodeError:
        return False
    return True


def _detected(sample: bytes, whole: bool) -> str:
    from charset_normalizer import from_bytes  # only for the rare file the cascade leaves

    best = from_bytes(sample, cp_isolation=list(_DETECTABLE)).best()
    codec = _DETECTABLE.get(best.encoding) if best is not None else None
    if codec is None or not _decodes(sample[: len(sample) // 2 * 2], codec, whole):
        raise ReadError(_("the file is not text in UTF-8, UTF-16 or GB18030 (GBK); save it "
                          "from Excel as \"CSV UTF-8\""))
    return codec


def _open_csv(path: Path) -> Table:
    try:
        with open(path, "rb") as fh:
            sample = fh.read(SAMPLE + 1)
            whole = len(sample) <= SAMPLE
            sample = sample[:SAMPLE]
            if sample.isascii() and not whole:
                sample, whole = _first_not_ascii(fh, sample)
    except OSError as exc:
        raise ReadError(_("{path}: cannot read it ({error})").format(
            path=path, error=exc.strerror or exc)) from None
    if sample.removeprefix(codecs.BOM_UTF8).lstrip()[:1] == b"<":
        raise ReadError(_("{path}: a web page (HTML), not a table file: web POS systems save "
                          "these as .xls; open it in Excel and save it as .xlsx or \"CSV "
                          "UTF-8\"").format(path=path))
    try:
        encoding = detect_encoding(sample, whole)
    except ReadError as exc:
        raise ReadError(f"{path}: {exc}") from None
    delimiter = _delimiter(path, encoding)
    records = _csv_records(path, encoding, delimiter)
    first = next(records, None)
    if first is None:
        raise ReadError(_("{path}: the file is empty").format(path=path))
    header = _head_of(first[1], path)
    preview = _preview(records)
    records.close()  # the file closed now: rows() reads it again from the start
    return Table(path, "csv", encoding, header, preview, delimiter)


def _first_not_ascii(fh, head: bytes) -> tuple[bytes, bool]:
    """A head of plain ASCII decides nothing (an English header, Chinese further down):
    the sample is taken from the first line that is not ASCII instead, looked for in the
    next SCAN bytes, and is (the head, True) when the whole file is ASCII."""
    scanned = 0
    while scanned < SCAN:
        chunk = fh.read(SAMPLE)
        if not chunk:
            return head, True
        scanned += len(chunk)
        if not chunk.isascii():
            at = next(i for i, byte in enumerate(chunk) if byte > 0x7F)
            start = chunk.rfind(b"\n", 0, at) + 1
            return chunk[start:] + fh.read(start), False
    return head, False


def _delimiter(path: Path, encoding: str) -> str:
    """Comma, unless the first line has more tabs or semicolons than commas."""
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)
    line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


class _Undecodable(Exception):
    """A line whose bytes do not fit the encoding (caught where the row is known)."""


def _decoded_lines(fh, encoding: str) -> Iterator[str]:
    """The file's lines, each decoded strictly: LF and CRLF both end a line (csv reads
    the CR). UTF-8 and GB18030 never have the byte 0x0A inside a character, so a line
    of bytes is a line of text and a bad byte is placed on its row; UTF-16 is decoded as
    a stream, 8 KiB at a time, so its bad byte is named at the row being read then, a
    few rows early at most."""
    if encoding.startswith("utf-16"):
        wrapper = io.TextIOWrapper(fh, encoding=encoding, errors="strict", newline="")
        try:
            yield from wrapper
        except UnicodeDecodeError:
            raise _Undecodable() from None
        return
    for raw in fh:
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            raise _Undecodable() from None


def _csv_records(path: Path, encoding: str,
                 delimiter: str) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Every record of the CSV with its row number (1 = the header), blank ones too."""
    csv.field_size_limit(_FIELD_LIMIT)
    number = 0
    try:
        with open(path, "rb") as fh:
            lines = _decoded_lines(fh, encoding) if encoding != "utf-8-sig" else \
                _bom_dropped(_decoded_lines(fh, "utf-8"))
            for cells in csv.reader(lines, delimiter=delimiter):
                number += 1
                yield number, tuple(cells)
    except _Undecodable:
        raise ReadError(_("{path}: row {row}: bytes that are not {encoding}, the encoding its "
                          "first rows are in; save the whole file again as \"CSV UTF-8\"").format(
            path=path, row=number + 1,
            encoding=_(ENCODING_NAMES.get(encoding, encoding)))) from None
    except csv.Error as exc:
        raise ReadError(_("{path}: row {row}: not CSV as Excel writes it ({error})").format(
            path=path, row=number + 1, error=exc)) from None
    except OSError as exc:
        raise ReadError(_("{path}: cannot read it ({error})").format(
            path=path, error=exc.strerror or exc)) from None


def _bom_dropped(lines: Iterator[str]) -> Iterator[str]:
    first = next(lines, None)
    if first is None:
        return
    yield first.removeprefix("\ufeff")
    yield from lines


# -- spreadsheets -----------------------------------------------------------------------

def _open_spreadsheet(path: Path) -> Table:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum  # Rust: on use

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = [s.name for s in book.sheets_metadata  # the first visible worksheet
                 if s.visible == SheetVisibleEnum.Visible and s.typ == SheetTypeEnum.WorkSheet]
        if not names:
            raise ReadError(_("{path}: the workbook has no sheet").format(path=path))
        size = sheet_size(path, names[0]) if path.suffix.lower() in (".xlsx", ".xlsm") else None
        if size is not None and size[0] * size[1] > MAX_SHEET_CELLS:
            raise ReadError(_("{path}: the sheet {sheet} has {rows:,} rows of {columns} columns, "
                              "too many to read from a workbook, which is read whole; save it "
                              "from Excel as \"CSV UTF-8\" and import that").format(
                path=path, sheet=names[0], rows=size[0], columns=size[1]))
        sheet = book.get_sheet_by_name(names[0])
    except ReadError:
        raise
    except Exception as exc:  # calamine's errors: not a workbook, encrypted, damaged
        raise ReadError(_("{path}: not a spreadsheet this can read ({error}); open it in Excel "
                          "and save it again as .xlsx").format(path=path, error=_first_line(exc))
                        ) from None
    records = _sheet_records(sheet, path)
    first = next(records, None)
    if first is None:
        raise ReadError(_("{path}: the first sheet ({sheet}) is empty").format(
            path=path, sheet=names[0]))
    header = _head_of(first[1], path)
    return Table(path, "spreadsheet", None, header, _preview(records), sheet=names[0],
                 _book=sheet)


_SHEET = re.compile(r'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_TARGET = re.compile(r'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_TARGET_FIRST = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


def sheet_size(path: Path, name: str) -> tuple[int, int] | None:
    """(rows, columns) of the .xlsx sheet NAME from its <dimension>, read from the head
    of its XML without loading it; None when the workbook does not say."""
    try:
        with zipfile.ZipFile(path) as book:
            workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            ids = {html.unescape(n): i for n, i in _SHEET.findall(workbook)}
            targets = dict(_TARGET.findall(rels)) | {i: t for t, i in _TARGET_FIRST.findall(rels)}
            target = targets.get(ids.get(name, ""))
            if target is None:
                return None
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            with book.open(member) as fh:
                head = fh.read(4096)
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    found = _DIMENSION.search(head)  # "A1" alone: one cell or an empty sheet, no matter
    if found is None:
        return None
    first_col, first_row, last_col, last_row = (g.decode() for g in found.groups())
    return (int(last_row) - int(first_row) + 1,
            _column_number(last_col) - _column_number(first_col) + 1)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _sheet_records(sheet, path: Path) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    """Every row of the sheet with its row number as Excel shows it: python-calamine's
    iter_rows starts at the sheet's row 1 (empty rows above the used range included), and
    at the used range's first column (a blank column A is left out, the names still match)."""
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, tuple(cells)
    except Exception as exc:
        raise ReadError(_("{path}: the sheet cannot be read to the end ({error})").format(
            path=path, error=_first_line(exc))) from None
