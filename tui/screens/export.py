"""The export form: what (1–5), the shop days it covers, CSV or XLSX; written on a worker
into the shop's export folder, the path said when it is there. A manager's."""

from __future__ import annotations

from datetime import date, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static
from textual.worker import Worker

from tui.db.exports import KINDS, Span
from tui.i18n import N_, _, pgettext
from tui.reports.exports import FORMATS, Exported, export, kind_words
from tui.screens.base import ShopModal
from tui.widgets.choice import DigitChoice

FORMAT_WORDS = {"csv": N_("CSV (UTF-8, any program)"), "xlsx": N_("XLSX (Excel)")}


def this_month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


class ExportForm(ShopModal):
    """What, from, to and the format; ctrl+s (or Enter on the last field) writes the file.
    Dismissed with the `Exported` file, or None."""

    BINDINGS = [
        Binding("ctrl+s", "export", N_("Export"), priority=True, id="export_form.export"),
        Binding("escape", "cancel", N_("Cancel"), id="export_form.cancel"),
    ]

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today
        self.exporting = False

    def compose(self) -> ComposeResult:
        first, last = this_month(self.today)
        with Vertical(id="export-form", classes="dialog flat"):
            yield Label(_("Export for Excel"), id="form-title")
            with Horizontal(classes="form-field"):
                yield Label(pgettext("export", "What"), classes="form-label")
                yield DigitChoice([(k, kind_words(k)) for k in KINDS], "members",
                                  advance=True, id="export-kind")
            with Horizontal(classes="form-field"):
                yield Label(_("From"), classes="form-label")
                yield Input(first.isoformat(), placeholder=_("YYYY-MM-DD; empty: from the start"),
                            id="export-from")
            with Horizontal(classes="form-field"):
                yield Label(_("To"), classes="form-label")
                yield Input(last.isoformat(), placeholder=_("YYYY-MM-DD; empty: to today"),
                            id="export-to")
            with Horizontal(classes="form-field"):
                yield Label(_("Format"), classes="form-label")
                yield DigitChoice([(f, _(FORMAT_WORDS[f])) for f in FORMATS], "xlsx",
                                  id="export-format")
            yield Static(_("Members by the day they joined, purchases by the day sold, "
                           "contacts by the day logged, callbacks by the day due."),
                         id="export-hint", markup=False)
            yield Static("", id="export-status", markup=False)
            yield Static(_("[b]ctrl+s[/b] export   [b]esc[/b] cancel   [b]tab[/b] next field"),
                         id="form-keys", markup=True)

    def on_mount(self) -> None:
        self.query_one("#export-kind", DigitChoice).focus()

    def show_status(self, text: str) -> None:
        self.query_one("#export-status", Static).update(text)

    @on(Input.Submitted, "#export-from")
    def from_done(self) -> None:
        self.query_one("#export-to", Input).focus()

    @on(Input.Submitted, "#export-to")
    def to_done(self) -> None:
        self.query_one("#export-format", DigitChoice).focus()

    def _day(self, field: str) -> date | None:
        text = self.query_one(field, Input).value.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.query_one(field, Input).focus()
            raise ValueError(_("{text!r} is not a date; use YYYY-MM-DD").format(text=text)) from None

    def action_export(self) -> None:
        if self.exporting:
            return
        try:
            first, last = self._day("#export-from"), self._day("#export-to")
        except ValueError as exc:
            self.show_status(str(exc))
            return
        if first and last and last < first:
            self.query_one("#export-to", Input).focus()
            self.show_status(_("The range ends before it starts; give the earlier day first."))
            return
        kind = self.query_one("#export-kind", DigitChoice).value or "members"
        fmt = self.query_one("#export-format", DigitChoice).value or "xlsx"
        self.exporting = True
        self.show_status(_("Exporting…"))
        self.write(kind, Span(first, last), fmt)

    @work(thread=True, exclusive=True, group="export", name=N_("Not exported"),
          exit_on_error=False)
    def write(self, kind: str, span: Span, fmt: str) -> Exported:
        app = self.app
        return export(kind, span, fmt, app.user_id, app.clock.now(), app.today(), app.settings)

    def job_done(self, worker: Worker) -> None:
        if worker.group == "export":
            self.dismiss(worker.result)

    def job_failed(self, words: str, worker: Worker) -> None:
        if worker.group != "export":
            super().job_failed(words, worker)
            return
        self.exporting = False
        self.show_status(words)

    def action_cancel(self) -> None:
        if not self.exporting:  # a file half-way is finished, then said
            self.dismiss(None)
