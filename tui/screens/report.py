"""The end-of-day sheet (日结) on screen before it goes to paper: w changes the width
(32, 42, 48 columns for receipts, 80 for A4), p prints it through CUPS."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from tui.files import FileError, write_new
from tui.i18n import N_, _, ngettext
from tui.reports.eod import WIDTHS, EodSummary, eod_summary, eod_text, sheet_file
from tui.reports.printing import (Printer, PrintError, PrinterStopped, default_printer,
                                  print_report, printer_list, printing_defaults, resume_printer)
from tui.screens.base import ReadScreen, ShopModal
from tui.widgets.footer import ShopFooter

PAPER = {32: N_("58 mm receipt"), 42: N_("80 mm receipt"), 48: N_("80 mm receipt"), 80: "A4"}


def configured_printer(settings) -> str:
    """The printer named in settings ([printing] printer), or ""."""
    return printing_defaults(settings)[0]


class EodScreen(ReadScreen):
    """The end-of-day sheet as it will print: w changes the width, p prints it."""
    reading = N_("the day's figures")

    BINDINGS = [
        Binding("p", "print", N_("Print"), id="eod.print"),
        Binding("w", "next_width", N_("Width"), id="eod.width"),
        Binding("P", "choose_printer", N_("Printer…"), id="eod.printer", show=False),
        Binding("r", "reload", N_("Refresh"), id="eod.reload", show=False),
        Binding("escape,q", "back", N_("Back"), id="eod.back"),
    ]

    def __init__(self, day: date | None = None, width: int | None = None) -> None:
        """`width`: the columns to show first (default: [printing] width, else 80)."""
        super().__init__()
        self.day = day
        self.width = width
        self.summary: EodSummary | None = None
        self.printer = ""  #: chosen here with P; else settings, else CUPS's default
        self.printing = False

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield Static(_("Reading the day…"), id="eod-status")
        with VerticalScroll(id="eod-scroll"):
            yield Static("", id="eod-sheet", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        app = self.app
        self.day = self.day or app.today()
        if self.width not in WIDTHS:
            self.width = printing_defaults(app.settings)[1] or 80
            self.width = self.width if self.width in WIDTHS else 80
        self.query_one("#title", Static).update(
            _("{shop} · End of day {day}").format(shop=f"[b]{escape(app.settings.shop.name)}[/b]",
                                                   day=self.day.isoformat()))
        self.query_one("#eod-scroll").focus()
        self.load()

    # -- reading -----------------------------------------------------------------------
    def read_page(self) -> EodSummary:
        assert self.day is not None
        return eod_summary(self.day, self.app.settings)

    def show_page(self, summary: EodSummary) -> None:
        self.summary = summary
        self._show()

    def _text(self) -> str:
        assert self.summary is not None
        return eod_text(self.summary, self.width)

    def _show(self) -> None:
        if self.summary is None:
            return
        self.query_one("#eod-sheet", Static).update(Text(self._text().rstrip("\n"), no_wrap=True))
        printer = (self.printer or configured_printer(self.app.settings)
                   or _("CUPS's default printer"))
        self.query_one("#eod-status", Static).update(
            _("{width} columns · {paper} · p prints on {printer} (P: another)").format(
                width=self.width, paper=_(PAPER[self.width]), printer=escape(printer)))

    # -- keys ------------------------------------------------------------------------------
    def action_next_width(self) -> None:
        self.width = WIDTHS[(WIDTHS.index(self.width) + 1) % len(WIDTHS)]
        self._show()

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_choose_printer(self) -> None:
        def chosen(name: str | None) -> None:
            if name:
                self.printer = name
                self._show()
                self.action_print()

        self.app.push_screen(PrinterForm(self.printer or configured_printer(self.app.settings)),
                             chosen)

    def action_print(self) -> None:
        if self.summary is None:
            self.notify(_("The sheet is still being read."), severity="warning")
            return
        if self.printing:
            self.notify(_("Already printing; wait for it."), severity="warning")
            return
        self.printing = True
        printer = self.printer or configured_printer(self.app.settings) or None
        self.notify(_("Printing on {printer}…").format(printer=printer or _("the default printer")),
                    timeout=3, markup=False)
        self._print(self._text(), printer, self.width, self.summary.day)

    @work(thread=True, exclusive=True, group="eod-print", name=N_("Not printed"),
          exit_on_error=False)
    def _print(self, text: str, printer: str | None, width: int, day: date) -> str:
        """Print the sheet; the words for its job. A printer that refuses: the sheet is
        kept in a file beside the database, and the error says where."""
        name = printer or default_printer() or _("the default printer")
        try:
            job = print_report(text, printer, width, title=f"eod-{day.isoformat()}")
        except PrintError as exc:
            where = ""
            try:
                path = write_new(sheet_file(self.app.settings.database.path, day), text,
                                 self.app.settings.database.file_group)
                where = " " + _("The sheet is in {file}.").format(file=path)
            except FileError:
                pass
            how = _(" (P, then r on it)") if isinstance(exc, PrinterStopped) else ""
            raise PrintError(_("Not printed: {why}{how}.{where} P picks another printer.").format(
                why=exc, how=how, where=where)) from exc
        return _("Printed on {printer} (job {job}).").format(printer=name, job=job)

    def job_done(self, worker: Worker) -> None:
        if worker.group == "eod-print":
            self.printing = False
            self.notify(worker.result, timeout=6, markup=False)
        else:
            super().job_done(worker)

    def job_failed(self, words: str, worker: Worker) -> None:
        if worker.group == "eod-print":
            self.printing = False
            self.notify(words, severity="error", timeout=12, markup=False)
        else:
            super().job_failed(words, worker)


class PrinterForm(ShopModal):
    """Which CUPS printer to print on, picked from the list CUPS gives by ↑↓ and Enter.
    A stopped printer shows why; r resumes it (a manager's)."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="printer_form.cancel"),
        Binding("r", "resume", N_("Resume printer"), id="printer_form.resume"),
    ]

    def __init__(self, current: str = "") -> None:
        super().__init__()
        self.current = current
        self.found: list[Printer] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="printer-form", classes="dialog"):
            yield Label(_("Print on which printer? ↑↓ picks · Enter prints · Esc cancels"))
            yield OptionList(id="printer-list")
            yield Static(_("Asking CUPS for its printers…"), id="printer-status", markup=False)
            yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._find()

    @work(thread=True, exclusive=True, name=N_("Could not ask CUPS for its printers"),
          exit_on_error=False)
    def _find(self) -> None:
        try:
            found, trouble = printer_list(), ""
        except PrintError as exc:  # no CUPS, or it does not answer: said in the form
            found, trouble = [], str(exc)
        self.app.call_from_thread(self._found, found, trouble)

    def _found(self, found: list[Printer], trouble: str = "") -> None:
        self.found = found
        options = self.query_one(OptionList)
        options.clear_options()
        width = max((cell_len(p.name) for p in found), default=0)
        for printer in found:
            state = (_("stopped: {reason}").format(reason=printer.reason)
                     if printer.stopped and printer.reason
                     else _("stopped") if printer.stopped else _("ready"))
            line = Text(printer.name + " " * (width - cell_len(printer.name) + 2))
            line.append(state, style="bold red" if printer.stopped else "green")
            if printer.default:
                line.append(" · " + _("CUPS's default"), style="dim")
            options.add_option(Option(line, id=printer.name))
        chosen = next((n for n, p in enumerate(found) if p.name == self.current), None)
        if chosen is None:
            chosen = next((n for n, p in enumerate(found) if p.default), 0)
        if found:
            options.highlighted = chosen
        status = self.query_one("#printer-status", Static)
        if trouble:
            status.update(f"{trouble[0].upper()}{trouble[1:]}.")
        elif not found:
            status.update(_("CUPS lists no printers here. A manager adds the shop's printer in "
                            "CUPS (its web page http://localhost:631, or lpadmin)."))
        elif any(p.stopped for p in found):
            status.update(_("A stopped printer holds its jobs: check its paper, lid and cable; "
                            "then a manager presses r on it to resume it."))
        else:
            status.update(ngettext("{n} printer ready.", "{n} printers ready.", len(found))
                          .format(n=len(found)))

    def _highlighted(self) -> Printer | None:
        index = self.query_one(OptionList).highlighted
        return self.found[index] if index is not None and 0 <= index < len(self.found) else None

    @on(OptionList.OptionSelected)
    def submit(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_resume(self) -> None:
        printer = self._highlighted()
        if printer is None:
            return
        if not self.app.is_manager:
            self.app.refuse(_("Resuming a printer is a manager's; check its paper, lid and "
                              "cable, then ask a manager."))
            return
        if not printer.stopped:
            self.notify(_("{printer} is not stopped; nothing to resume.").format(
                printer=printer.name), markup=False)
            return
        self._resume(printer.name)

    @work(thread=True, exclusive=True, group="resume", name=N_("Not resumed"),
          exit_on_error=False)
    def _resume(self, name: str) -> None:
        resume_printer(name)
        self.app.call_from_thread(self.notify, _("{printer} resumed: its waiting jobs print now.")
                                  .format(printer=name), markup=False)
        self.app.call_from_thread(self._found, printer_list())

    def action_cancel(self) -> None:
        self.dismiss(None)


__all__ = ["EodScreen", "PrinterForm", "configured_printer"]
