"""A manager's import, by keys: what the file holds (1 members, 2 products, 3 purchases),
the file picked from the shop's inbox folder (or a path typed), its first rows shown as
decoded, the columns mapped (the guess from its header, a saved mapping, or by ← →),
every row checked with the problems listed by row, and the good rows written as one batch.

Reading, checking and writing run on a worker with a progress bar; Esc stops them and
nothing is written. A guide is told it is a manager's (the app's action), and the db
refuses the write all the same.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, ProgressBar, Static
from textual.worker import Worker

from tui.clock import shop_time
from tui.i18n import N_, _, ngettext
from tui.intake.mapping import (MappingError, SavedMapping, fields_of, guess, list_mappings,
                                mappings_path, save_mapping)
from tui.intake.progress import PHASES, Progress, time_left
from tui.intake.read import Table, open_table, shown_cell
from tui.reports.imports import (KINDS, ImportRun, check, fitting_mappings, inbox_files,
                                 inbox_folder, report_path, summary_text, write)
from tui.reports.intake import write_problems
from tui.reports.text import fit
from tui.screens.base import ShopScreen, sentence
from tui.widgets.choice import DigitChoice
from tui.widgets.footer import ShopFooter

KIND_WORDS = {"members": N_("members"), "products": N_("products"),
              "purchases": N_("purchases (the POS's sales)")}
#: the problems listed on screen; the report file has them all
PROBLEMS_SHOWN = 500


def size_words(size: int) -> str:
    if size < 1024:
        return _("{n} B").format(n=size)
    if size < 1024 * 1024:
        return _("{n:.0f} KB").format(n=size / 1024)
    return _("{n:.1f} MB").format(n=size / 1024 / 1024)


def seconds_words(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return _("{s} s").format(s=seconds)
    return _("{m} min {s} s").format(m=seconds // 60, s=seconds % 60)


def progress_words(phase: str, done: int, total: int | None, seconds: float) -> str:
    """"checking 200,000 of 1,000,000 rows · about 12 s left" """
    words = _(PHASES.get(phase, phase))
    if total:
        line = _("{phase} {done:,} of {total:,} rows").format(phase=words, done=done,
                                                               total=total)
        left = time_left(done, total, seconds)
        if left is not None and done < total:
            line += " · " + _("about {time} left").format(time=seconds_words(left))
        return line
    return _("{phase} {done:,} rows").format(phase=words, done=done)


def likely_kind(table: Table, chosen: str) -> str:
    """The kind chosen, unless its guess leaves a needed field unmapped and another kind's
    guess maps all of its own: then the one that maps the most of the file's columns (a
    sales file picked as members is a sales file; the title says so, 1 2 3 change it)."""
    def mapped(kind: str) -> int:
        columns = guess(kind, table.header)
        if not all(columns.get(f.key) for f in fields_of(kind) if f.required):
            return 0
        return sum(1 for name in columns.values() if name)

    if mapped(chosen):
        return chosen
    best = max(KINDS, key=mapped)
    return best if mapped(best) else chosen


@dataclass(frozen=True)
class Checked:
    """A check's result, with where its report went (or why it could not go there)."""

    run: ImportRun
    report: Path | None
    report_error: str | None


class ColumnsTable(DataTable):
    """The mapping: a field a line; ← → give the highlighted field the file's previous or
    next column, Delete leaves it unmapped."""

    BINDINGS = [
        Binding("left", "screen.column(-1)", N_("Previous column"), show=False,
                id="import_columns.previous"),
        Binding("right", "screen.column(1)", N_("Next column"), show=False,
                id="import_columns.next"),
        Binding("delete,backspace", "screen.column(0)", N_("No column"), show=False,
                id="import_columns.none"),
    ]


class MappingName(ModalScreen[str | None]):
    """The name to keep the columns under; Enter saves, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="mapping_name.cancel")]

    def __init__(self, suggested: str) -> None:
        super().__init__()
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(id="mapping-name", classes="dialog flat"):
            yield Label(_("Keep these columns under a name"), id="form-title")
            yield Input(self.suggested, max_length=40, id="mapping-name-input")
            yield Static(_("The nightly inbox import uses the saved mapping that fits a "
                           "file. Enter saves · Esc cancels"), markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportScreen(ShopScreen):
    """Pick a file, map its columns, check it, write it: a manager's."""

    ABOUT = N_("Importing the shop's files (a manager's). 1 2 3 say what the file holds. "
               "Put the POS's exports in the inbox folder shown, pick one and Enter (or type "
               "a path). The first rows are shown as read, with the encoding. In the columns, "
               "← → give the highlighted field the file's previous or next column, Delete "
               "none; m tries the saved mappings, s saves the columns by name. c checks every "
               "row and lists the problems by row (a report beside the file, for Excel); w "
               "writes the file as one batch — a file with a bad row writes nothing unless v "
               "(the good rows only) is on. Esc stops a running import: nothing is written. "
               "shopfloor import undo BATCH takes a batch out again.")
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="import.back"),
        Binding("c", "check", N_("Check"), id="import.check"),
        Binding("w", "write", N_("Write"), id="import.write"),
        Binding("v", "valid_rows", N_("Good rows only"), id="import.valid_rows"),
        Binding("m", "saved", N_("Saved"), tooltip=N_("the next saved mapping"),
                id="import.saved"),
        Binding("s", "save_mapping", N_("Save mapping"), show=False, id="import.save_mapping"),
        Binding("1", "kind('members')", N_("Members"), show=False, id="import.members"),
        Binding("2", "kind('products')", N_("Products"), show=False, id="import.products"),
        Binding("3", "kind('purchases')", N_("Purchases"), show=False, id="import.purchases"),
        Binding("r", "reread", N_("Read again"), tooltip=N_("the file again, or the folder"),
                id="import.reread"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind = "members"
        self.stage = "files"  #: "files": pick one; "map": columns, check, write
        self.folder: Path | None = None
        self.files: list[Path] = []
        self.table: Table | None = None
        self.columns: dict[str, str] = {}
        self.mappings: list[SavedMapping | None] = [None]  #: None: the guess
        self.mapping_at = 0
        self.checked: Checked | None = None
        self.valid_rows = False
        self.listed: list = []  #: the problems on screen, then the notes
        self.progress: Progress | None = None  #: the running job's
        self.phase_started = 0.0
        self.phase = ""

    # --- the screen ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="title", markup=False)
        yield DigitChoice([(k, _(KIND_WORDS[k])) for k in KINDS], self.kind, id="import-kind")
        with Vertical(id="import-pick"):
            yield DataTable(id="import-files", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="import-path-line"):
                yield Label(_("Or a file:"), id="import-path-label")
                yield Input(placeholder=_("a path, such as /media/usb/会员.xlsx; Enter opens it"),
                            id="import-path")
        with Vertical(id="import-map"):
            yield Static("", id="import-preview", markup=False)
            yield ColumnsTable(id="import-columns", cursor_type="row", zebra_stripes=True)
            with Vertical(id="import-checked"):
                yield Static("", id="import-summary", markup=False)
                yield DataTable(id="import-problems", cursor_type="row", zebra_stripes=True)
                yield Static("", id="import-problem", markup=False)
        with Horizontal(id="import-running"):
            yield ProgressBar(id="import-bar", show_eta=False)
            yield Static("", id="import-count", markup=False)
        yield Static("", id="import-status", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        files = self.query_one("#import-files", DataTable)
        files.add_column(_("File"), width=max(20, self.app.size.width - 36))
        files.add_column(_("Size"), width=9)
        files.add_column(_("Changed"), width=16)
        problems = self.query_one("#import-problems", DataTable)
        for head, width in ((_("Row"), 6), (_("Column"), 10), (_("Value"), 14),
                            (_("What is wrong"), max(20, self.app.size.width - 46))):
            problems.add_column(head, width=width)
        columns = self.query_one("#import-columns", DataTable)
        columns.add_column(_("Field"), width=16)
        columns.add_column(_("Column of the file"), width=20)
        columns.add_column(_("First row"), width=max(16, self.app.size.width - 46))
        self.query_one("#import-running").display = False
        self.show_stage("files")
        self.read_folder()

    def show_stage(self, stage: str) -> None:
        self.stage = stage
        self.query_one("#import-pick").display = stage == "files"
        self.query_one("#import-map").display = stage == "map"
        self.show_checked_part(stage == "map" and self.checked is not None)
        self.refresh_title()
        self.refresh_bindings()
        if stage == "files":
            self.query_one("#import-files", DataTable).focus()
        else:
            self.query_one("#import-columns", DataTable).focus()

    def refresh_title(self) -> None:
        kind = _(KIND_WORDS[self.kind])
        if self.stage == "files" or self.table is None:
            title = _("Import {kind} · pick a file, Enter").format(kind=kind)
        else:
            title = _("Import {kind} from {file}").format(kind=kind, file=self.table.path.name)
            if self.valid_rows:
                title += " · " + _("good rows only")
        self.query_one("#title", Static).update(title)

    def say(self, text: str) -> None:
        self.query_one("#import-status", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("check", "write", "valid_rows", "saved", "save_mapping", "column"):
            return self.stage == "map" and self.progress is None
        if action in ("reread", "kind"):
            return self.progress is None
        return True

    # --- picking a file -----------------------------------------------------------------

    def read_folder(self) -> None:
        try:
            self.folder = inbox_folder(self.app.settings)
            found = inbox_files(self.folder)
        except Exception as exc:  # noqa: BLE001 - a folder that cannot be made or read
            self.folder, found = None, []
            self.say(sentence(str(exc)))
        table = self.query_one("#import-files", DataTable)
        table.clear()
        self.files = [f.path for f in found]
        zone = self.app.clock.zone
        width = table.columns[next(iter(table.columns))].width
        for f in found:
            table.add_row(Text(fit(f.path.name, width)), Text(size_words(f.size).rjust(9)),
                          f"{shop_time(f.changed, zone):%Y-%m-%d %H:%M}")
        if self.folder is not None:
            if found:
                self.say(ngettext("{count} file in {folder} · Enter opens the highlighted one",
                                  "{count} files in {folder} · Enter opens the highlighted one",
                                  len(found)).format(count=len(found), folder=self.folder))
            else:
                self.say(_("No files in {folder}: put the POS's export there and r, or Tab "
                           "and type the file's path").format(folder=self.folder))

    def action_kind(self, kind: str) -> None:
        """1 2 3 from anywhere on the screen but a text field: what the file holds."""
        choice = self.query_one("#import-kind", DigitChoice)
        choice.value = kind
        choice.post_message(DigitChoice.Changed(choice, kind))

    @on(DigitChoice.Changed, "#import-kind")
    def kind_changed(self, event: DigitChoice.Changed) -> None:
        if self.progress is not None or event.value == self.kind:
            return
        self.kind = event.value
        if self.table is not None and self.stage == "map":
            self.use_columns(None)  # the new kind's guess
            self.query_one("#import-columns", DataTable).focus()
        self.refresh_title()

    @on(DataTable.RowSelected, "#import-files")
    def file_picked(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.files):
            self.open(self.files[event.cursor_row])

    @on(Input.Submitted, "#import-path")
    def path_typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.say(_("Type the file's path, or pick one from the list above."))
            return
        self.open(Path(text).expanduser())

    def open(self, path: Path) -> None:
        if self.progress is not None:
            return
        self.say(_("Opening {file}…").format(file=path.name))
        self.start(None)
        self.opening(path)

    @work(thread=True, exclusive=True, group="import", name=N_("Could not open the file"),
          exit_on_error=False)
    def opening(self, path: Path) -> Table:
        return open_table(path)

    def opened(self, table: Table) -> None:
        self.table = table
        kind = likely_kind(table, self.kind)
        if kind != self.kind:
            self.kind = kind
            self.query_one("#import-kind", DigitChoice).value = kind
        self.checked = None
        self.valid_rows = False
        saved = list_mappings(mappings_path(self.app.settings.source), self.kind)
        self.mappings = [None, *fitting_mappings(table, saved)]
        # a saved mapping that fits (the one named in the file's name first) over the guess
        named = [m for m in self.mappings[1:] if m.name.lower() in table.path.name.lower()]
        first = named[0] if named else (self.mappings[1] if len(self.mappings) > 1 else None)
        self.mapping_at = self.mappings.index(first)
        self.query_one("#import-preview", Static).update(self.preview())
        self.show_stage("map")
        self.use_columns(first)

    def preview(self) -> str:
        table = self.table
        width = self.app.size.width - 4  # the padding, and a column to spare
        lines = [fit(_("{file}: read as {encoding}; {count} columns").format(
            file=table.path.name, encoding=table.encoding_name, count=len(table.header)), width)]
        lines.append(fit("     " + " | ".join(table.header), width))
        for number, cells in table.preview[:3]:
            lines.append(fit(f"{number:>4} " + " | ".join(shown_cell(c) for c in cells), width))
        return "\n".join(line.rstrip() for line in lines)

    # --- the columns --------------------------------------------------------------------

    def use_columns(self, mapping: SavedMapping | None) -> None:
        """The columns of MAPPING, or the guess from the header; the check is forgotten."""
        self.columns = dict(mapping.columns) if mapping else guess(self.kind, self.table.header)
        if mapping is not None and mapping.kind != self.kind:
            self.columns = guess(self.kind, self.table.header)
        self.forget_check()
        self.show_columns()
        mapped = sum(1 for f in fields_of(self.kind) if self.columns.get(f.key))
        how = (_("as saved under {name}").format(name=mapping.name) if mapping
               else _("guessed from the header"))
        more = len(self.mappings) - 1
        self.say(_("Columns {how}: {mapped} fields mapped · ← → change the highlighted one · "
                   "c checks every row").format(how=how, mapped=mapped)
                 + (" · " + ngettext("m: {n} saved mapping fits", "m: {n} saved mappings fit",
                                     more).format(n=more) if more else ""))

    def show_columns(self) -> None:
        table = self.query_one("#import-columns", DataTable)
        row = table.cursor_row
        table.clear()
        first = self.table.preview[0][1] if self.table.preview else ()
        header = self.table.header
        for f in fields_of(self.kind):
            name = self.columns.get(f.key) or ""
            value = ""
            if name in header and header.index(name) < len(first):
                value = shown_cell(first[header.index(name)])
            label = ("* " if f.required else "  ") + _(f.label)
            table.add_row(Text(fit(label, 16)), Text(fit(name or "—", 20)),
                          Text(fit(value, max(16, self.app.size.width - 46))), key=f.key)
        table.move_cursor(row=min(max(row, 0), len(fields_of(self.kind)) - 1))

    def action_column(self, step: int) -> None:
        """The highlighted field's column: the file's previous (−1) or next (1), none (0)."""
        table = self.query_one("#import-columns", DataTable)
        field = fields_of(self.kind)[table.cursor_row].key
        header = ["", *self.table.header]
        now = self.columns.get(field) or ""
        at = header.index(now) if now in header else 0
        chosen = "" if step == 0 else header[(at + step) % len(header)]
        if chosen:
            self.columns[field] = chosen
        else:
            self.columns.pop(field, None)
        self.forget_check()
        self.show_columns()
        self.say(_("{field} ← {column}").format(field=_(fields_of(self.kind)[table.cursor_row]
                                                        .label), column=chosen or "—"))

    def action_saved(self) -> None:
        if len(self.mappings) == 1:
            self.say(_("No saved {kind} mapping fits this file's columns; s saves these.")
                     .format(kind=_(KIND_WORDS[self.kind])))
            return
        self.mapping_at = (self.mapping_at + 1) % len(self.mappings)
        self.use_columns(self.mappings[self.mapping_at])

    def action_save_mapping(self) -> None:
        suggested = self.mappings[self.mapping_at].name if self.mappings[self.mapping_at] \
            else self.table.path.stem[:40]

        def named(name: str | None) -> None:
            if not name:
                return
            settings = self.app.settings
            mapping = SavedMapping(name, self.kind, dict(self.columns))
            try:
                where = save_mapping(mappings_path(settings.source), mapping,
                                     settings.database.file_group)
            except MappingError as exc:
                self.say(sentence(str(exc)))
                return
            self.mappings = [m for m in self.mappings if m is None or m.name != name]
            self.mappings.append(mapping)
            self.mapping_at = len(self.mappings) - 1
            self.say(_("The columns are saved as {name} in {path}").format(name=name,
                                                                          path=where))

        self.app.push_screen(MappingName(suggested), named)

    def forget_check(self) -> None:
        self.checked = None
        self.show_checked_part(False)

    def show_checked_part(self, checked: bool) -> None:
        """After a check its summary and problems take the columns' place; Esc, or a
        change of the columns, brings the columns back."""
        self.query_one("#import-checked").display = checked
        self.query_one("#import-columns").display = not checked

    # --- checking and writing -----------------------------------------------------------

    def start(self, phase: str | None) -> Progress:
        """A job begins: the bar shows, the keys that would change what it works on rest."""
        self.progress = Progress(self.told, every=2000)
        self.phase, self.phase_started = "", time.monotonic()
        self.query_one("#import-running").display = phase is not None
        if phase is not None:
            self.query_one("#import-bar", ProgressBar).update(total=None, progress=0)
            self.query_one("#import-count", Static).update(_(PHASES[phase]))
        self.refresh_bindings()
        return self.progress

    def told(self, phase: str, done: int, total: int | None) -> None:
        """On the worker's thread: how far it is; shown on the screen's."""
        self.app.call_from_thread(self.show_progress, phase, done, total)

    def show_progress(self, phase: str, done: int, total: int | None) -> None:
        if phase != self.phase:
            self.phase, self.phase_started = phase, time.monotonic()
        self.query_one("#import-running").display = True
        self.query_one("#import-bar", ProgressBar).update(total=max(total or 0, done) or None,
                                                          progress=done)
        self.query_one("#import-count", Static).update(
            progress_words(phase, done, total, time.monotonic() - self.phase_started))

    def stop(self) -> None:
        self.progress = None
        self.query_one("#import-running").display = False
        self.refresh_bindings()

    def action_check(self) -> None:
        self.say(_("Checking every row; Esc stops."))
        self.checking(self.table, self.kind, dict(self.columns), self.start("reading"))

    @work(thread=True, exclusive=True, group="import", name=N_("Not checked"),
          exit_on_error=False)
    def checking(self, table: Table, kind: str, columns: dict[str, str],
                 progress: Progress) -> Checked:
        app = self.app
        run = check(table, kind, columns, app.settings, app.today(), progress=progress)
        report, error = None, None
        if run.problems or run.notes:
            try:
                report = report_path(table.path, self.reports_folder(table.path))
                write_problems(report, [*run.problems, *run.notes],
                               app.settings.database.file_group)
            except Exception as exc:  # noqa: BLE001 - the check stands without its file
                report, error = None, str(exc)
        return Checked(run, report, error)

    def in_inbox(self, path: Path) -> bool:
        return self.folder is not None and path.parent.resolve() == self.folder.resolve()

    def reports_folder(self, path: Path) -> Path | None:
        """A file of the inbox has its report in the inbox's reports/ (not beside it, where
        it would be listed as a file to import); any other file, beside it."""
        if not self.in_inbox(path):
            return None
        folder = self.folder / "reports"
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder

    def show_checked(self, checked: Checked) -> None:
        self.checked = checked
        run = checked.run
        table = self.query_one("#import-problems", DataTable)
        table.clear()
        self.listed = [*run.problems, *run.notes][:PROBLEMS_SHOWN]
        what_width = table.columns[list(table.columns)[-1]].width
        for p in self.listed:
            table.add_row(str(p.row), Text(fit(p.column, 10)), Text(fit(p.value, 14)),
                          Text(fit(p.what, what_width)))
        table.display = bool(self.listed)
        self.query_one("#import-problem").display = bool(self.listed)
        lines = summary_text(run).rstrip("\n").split("\n")
        if checked.report is not None:
            # a report in the inbox by the inbox's name (its whole path is on the files' page)
            shown = checked.report
            if self.folder is not None and shown.parent.parent == self.folder:
                shown = Path(self.folder.name, shown.parent.name, shown.name)
            lines.append(_("The rows and what to do about each: {path}").format(path=shown))
        elif checked.report_error:
            lines.append(sentence(checked.report_error))
        self.query_one("#import-summary", Static).update("\n".join(lines))
        self.show_checked_part(True)
        if self.listed:
            table.focus()
            self.show_problem(0)
        if run.problems and not self.valid_rows:
            self.say(_("w writes nothing while a row is wrong: fix the file and r, or v for "
                       "the good rows only · Esc the columns"))
        elif run.plan is not None and not any(run.plan.counts().get(k) for k in
                                              ("new", "filled", "lines", "new_products")):
            self.say(_("Nothing new to write: everything in the file is on file already."))
        else:
            self.say(_("w writes it as one batch · Esc the columns"))

    @on(DataTable.RowHighlighted, "#import-problems")
    def problem_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_problem(event.cursor_row)

    def show_problem(self, index: int) -> None:
        """The highlighted problem in full, under the table: what is wrong, what to do."""
        if not 0 <= index < len(self.listed):
            return
        p = self.listed[index]
        where = _("row {row}").format(row=p.row) + (f", {p.column}" if p.column else "")
        value = f" {p.value!r}" if p.value else ""
        self.query_one("#import-problem", Static).update(
            _("{where}{value}: {what} — {todo}").format(where=where, value=value, what=p.what,
                                                         todo=p.todo))

    def action_write(self) -> None:
        if self.checked is None:
            self.say(_("Check the file first (c): nothing is written before every row is "
                       "checked."))
            return
        run = self.checked.run
        if run.problems and not self.valid_rows:
            self.say(ngettext("Nothing was written: {count} row cannot be brought in as it is; "
                              "fix the file and r, or v for the good rows only",
                              "Nothing was written: {count} rows cannot be brought in as they "
                              "are; fix the file and r, or v for the good rows only",
                              run.refused_rows).format(count=run.refused_rows))
            return
        self.say(_("Writing; Esc stops and writes nothing."))
        self.writing(run, self.valid_rows, self.start("writing"))

    @work(thread=True, exclusive=True, group="import", name=N_("Not written"),
          exit_on_error=False)
    def writing(self, run: ImportRun, valid_rows: bool, progress: Progress) -> int:
        app = self.app
        return write(run, app.user_id, app.clock.now(), app.settings, valid_rows=valid_rows,
                     progress=progress)

    def written(self, batch: int) -> None:
        path = self.table.path
        self.checked = None  # a second w would need a new check: it writes nothing twice
        words = _("Written as batch {batch}; shopfloor import undo {batch} takes it out "
                  "again").format(batch=batch)
        if self.in_inbox(path):
            done = self.folder / "done"
            try:
                done.mkdir(mode=0o700, exist_ok=True)
                moved = done / path.name
                n = 2
                while moved.exists():
                    moved = done / f"{path.stem}-{n}{path.suffix}"
                    n += 1
                shutil.move(str(path), moved)
                words += " · " + _("the file is moved to {path}").format(path=moved)
            except OSError as exc:
                words += " · " + _("the file stays where it is ({error})").format(
                    error=exc.strerror or exc)
        self.show_stage("files")
        self.read_folder()
        self.say(words)

    def action_valid_rows(self) -> None:
        self.valid_rows = not self.valid_rows
        self.refresh_title()
        self.say(_("w writes the good rows only and leaves the wrong ones in the report")
                 if self.valid_rows else _("w writes the file only when every row is right"))

    def action_reread(self) -> None:
        if self.stage == "files":
            self.read_folder()
        elif self.table is not None:
            self.open(self.table.path)

    # --- the jobs' ends -----------------------------------------------------------------

    def job_done(self, worker: Worker) -> None:
        if worker.group != "import":
            return
        stopped = self.progress is not None and self.progress.cancel.is_set()
        self.stop()
        if worker.name == N_("Could not open the file"):
            if stopped:
                self.say(_("Not opened."))
            else:
                self.opened(worker.result)
        elif worker.name == N_("Not checked"):
            self.show_checked(worker.result)
        else:
            self.written(worker.result)

    def job_failed(self, words: str, worker: Worker) -> None:
        if worker.group == "import":
            self.stop()
        self.say(sentence(words))

    def action_back(self) -> None:
        if self.progress is not None:
            self.progress.cancel.set()  # the worker stops at its next rows; nothing written
            self.say(_("Stopping…"))
            return
        if self.stage == "map" and self.checked is not None:
            self.forget_check()
            self.query_one("#import-columns", DataTable).focus()
            self.say(_("The columns · c checks every row again"))
            return
        if self.stage == "map":
            self.table = None
            self.checked = None
            self.show_stage("files")
            self.read_folder()
            return
        self.app.pop_screen()
