"""An XLSX read back with zipfile and the XML parser, as Excel sees it: each cell's value
(text, or a number) and its number format, so the tests can tell a real date or a ¥
amount from text that looks like one. No spreadsheet library needed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
#: Excel's built-in formats that matter here (a cell with no style is General)
BUILT_IN = {0: "General"}


def _formats(book: zipfile.ZipFile) -> list[str]:
    """The number format of each cell style (cellXfs), by index."""
    root = ElementTree.fromstring(book.read("xl/styles.xml"))
    codes = {int(f.get("numFmtId")): f.get("formatCode")
             for f in root.findall("m:numFmts/m:numFmt", NS)}
    return [codes.get(int(xf.get("numFmtId", 0)), BUILT_IN.get(int(xf.get("numFmtId", 0)), "?"))
            for xf in root.findall("m:cellXfs/m:xf", NS)]


def _column(ref: str) -> int:
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group():
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_xlsx(path: Path) -> dict[str, list[list[tuple[object, str] | None]]]:
    """{sheet name: rows}, each row a list of (value, number format) or None for an empty
    cell; a value is str for text, float for a number."""
    with zipfile.ZipFile(path) as book:
        formats = _formats(book)
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        names = [s.get("name") for s in workbook.findall("m:sheets/m:sheet", NS)]
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
                      for si in root.findall("m:si", NS)]
        out = {}
        for i, name in enumerate(names, start=1):
            root = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{i}.xml"))
            rows = []
            for row in root.findall("m:sheetData/m:row", NS):
                cells: list = []
                for c in row.findall("m:c", NS):
                    col = _column(c.get("r"))
                    cells.extend([None] * (col + 1 - len(cells)))
                    fmt = formats[int(c.get("s", 0))]
                    kind = c.get("t")
                    if kind == "inlineStr":
                        value = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                    elif kind == "s":
                        value = shared[int(c.find("m:v", NS).text)]
                    else:
                        value = float(c.find("m:v", NS).text)
                    cells[col] = (value, fmt)
                rows.append(cells)
            out[name] = rows
    return out
