"""A PDCA plan's history: its cycles side by side (closed ones with their final figures),
and every adjustment written down with why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Static

from tui.db.pdca.view import PlanHistory, plan_history
from tui.money import Fen, yuan
from tui.reports.pdca import (HISTORY_ROWS, adjustments_text, cycle_words, history_cells,
                              methods_words)
from tui.screens.base import ReadScreen
from tui.i18n import N_, _, ngettext
from tui.widgets.footer import ShopFooter


class HistoryScreen(ReadScreen):
    """A PDCA plan's cycles side by side, and every adjustment with why."""
    reading = N_("the history")

    BINDINGS = [
        Binding("escape,q", "back", N_("Back"), id="pdca_history.back"),
    ]

    def __init__(self, plan_id: int) -> None:
        super().__init__()
        self.plan_id = plan_id

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield Static(_("Reading the history…"), id="pdca-history-plan", markup=False)
        yield DataTable(id="pdca-cycles", cursor_type="row", show_cursor=False)
        with VerticalScroll(id="pdca-adjustments"):
            yield Static("", id="pdca-adjustment-lines", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one("#pdca-cycles", DataTable).focus()
        self.load()

    def read_page(self) -> PlanHistory:
        return plan_history(self.plan_id, self.app.today(), self.app.settings)

    def show_page(self, h: PlanHistory) -> None:
        self.query_one("#title", Static).update(
            _("[b]{plan} · history · {cycles}[/b]").format(
                plan=escape(h.name), cycles=ngettext("{n} cycle", "{n} cycles",
                                                     len(h.cycles)).format(n=len(h.cycles))))
        self.query_one("#pdca-history-plan", Static).update(
            _("{segment} · {responsible}\nNext cycle starts from: completion {completion}%, "
              "success {success}%, performance {sales}; {methods}").format(
                segment=h.segment_words, responsible=h.responsible,
                completion=h.targets.completion_pct, success=h.targets.success_pct,
                sales=yuan(h.targets.sales_cents, Fen.IF_ANY), methods=methods_words(h.methods)))
        cycles = self.query_one("#pdca-cycles", DataTable)
        cycles.clear(columns=True)
        cycles.add_column("", width=11)
        # the newest cycles when they do not all fit; each at least 26 columns wide
        shown = list(h.cycles)
        width = max(26, (self.size.width - 15) // max(1, len(shown)) - 2)
        for c in shown:
            cycles.add_column(cycle_words(c.cycle_number), width=width)
        columns = [history_cells(c) for c in shown]
        for i, row in enumerate(HISTORY_ROWS):
            cycles.add_row(Text(_(row), style="bold"), *(Text(col[i]) for col in columns))
        self.query_one("#pdca-adjustment-lines", Static).update(adjustments_text(h))

    def action_back(self) -> None:
        self.app.pop_screen()
