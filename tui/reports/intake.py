"""The per-row report of an import's problems: a CSV Excel opens as it is (UTF-8 with a
BOM), one line per wrong cell — row, column, value, what is wrong, what to do — headed in
the language spoken; a new owner-only file, never written over one (tui.files)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path

from tui.files import FileError, create_private
from tui.i18n import N_, _
from tui.intake.rows import Problem
from tui.text import csv_cell

HEADINGS = (N_("Row"), N_("Column"), N_("Value"), N_("What is wrong"), N_("What to do"))


def write_problems(path: Path, problems: Iterable[Problem], group: str = "") -> int:
    """Write the report to a new file PATH (streamed: the problems may be many); return
    how many problems it holds. FileError in one line when PATH exists or cannot be written."""
    path = Path(path)
    what = _("the problem report")
    try:
        fd = create_private(path, group)
    except FileExistsError:
        raise FileError(_("{path}: already exists; give a new file name ({what} is never "
                          "written over a file)").format(path=path, what=what)) from None
    except OSError as exc:
        raise FileError(_("{path}: cannot write {what} there ({error})").format(
            path=path, what=what, error=exc.strerror or exc)) from None
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow([_(h) for h in HEADINGS])
            for p in problems:
                writer.writerow([p.row, csv_cell(p.column), csv_cell(p.value), csv_cell(p.what),
                                 csv_cell(p.todo)])
                count += 1
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise FileError(_("{path}: cannot write {what} there ({error})").format(
            path=path, what=what, error=exc.strerror or exc)) from None
    return count
