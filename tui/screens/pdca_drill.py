"""What is behind a PDCA figure: the members, each with every contact logged in the
period and what they bought again, so a manager can check the work. Enter opens a card."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.widgets import DataTable, Static

from tui.db.pdca.view import DRILL_PAGE, PlanDrill, plan_drill
from tui.reports.pdca import (DRILL_COLUMNS, contact_line, drill_counts, drill_heading,
                              member_cells, purchase_line)
from tui.reports.text import fit, phone_words
from tui.screens.base import ReadScreen, plain
from tui.text import shown
from tui.screens.paging import PagedLines
from tui.i18n import N_, _
from tui.widgets.footer import ShopFooter


class PlanDrillScreen(PagedLines, ReadScreen):
    """The members behind a PDCA figure, each with the contacts logged and what they bought
    again."""
    page_size = DRILL_PAGE

    BINDINGS = [
        Binding("escape,q", "back", N_("Back"), id="pdca_drill.back"),
        Binding("enter", "open_member", N_("Member card"), id="pdca_drill.member", priority=True),
        Binding("right_square_bracket", "page(1)", N_("Next page"), id="pdca_drill.next",
                show=False),
        Binding("left_square_bracket", "page(-1)", N_("Prev page"), id="pdca_drill.prev",
                show=False),
        Binding("j", "cursor(1)", N_("Down"), show=False, id="pdca_drill.down"),
        Binding("k", "cursor(-1)", N_("Up"), show=False, id="pdca_drill.up"),
    ]

    def __init__(self, cycle_id: int, figure: str, guide_id: int | None, whole: bool) -> None:
        super().__init__()
        self.cycle_id, self.figure, self.guide_id, self.whole = cycle_id, figure, guide_id, whole
        self.first_line = 0
        self.page: PlanDrill | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield Static(_("Reading…"), id="counts")
        yield DataTable(id="pdca-drill", cursor_type="row", zebra_stripes=True)
        yield Static("", id="pdca-contacts", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    reading = N_("the members")

    def read_page(self) -> PlanDrill:
        app = self.app
        return plan_drill(self.cycle_id, self.figure, self.guide_id, app.today(), app.settings,
                          whole=self.whole, limit=DRILL_PAGE, offset=self.first_line)

    def show_page(self, page: PlanDrill) -> None:
        self.page = page
        table = self.query_one(DataTable)
        table.clear(columns=True)
        widths = (1, 7, 8, 6, 11, 8, 12)
        for label, width in zip(DRILL_COLUMNS, widths):
            table.add_column(_(label) if label else label, width=width)
        for i, m in enumerate(page.members):
            cells = member_cells(m)
            table.add_row(*(Text(fit(c, w), style="bold green" if j == 0 else "")
                            for j, (c, w) in enumerate(zip(cells, widths))), key=str(i))
        self.query_one("#title", Static).update(f"[b]{plain(drill_heading(page))}[/b]")
        shown = (_(" · {first}–{last}, [ ] pages").format(
            first=page.offset + 1, last=page.offset + len(page.members))
            if page.total > len(page.members) else "")
        self.query_one("#counts", Static).update(escape(drill_counts(page) + shown))
        self._contacts()

    @on(DataTable.RowHighlighted)
    def _contacts(self) -> None:
        """The highlighted member's contacts in the period and what they bought again."""
        box = self.query_one("#pdca-contacts", Static)
        if self.page is None or not self.page.members:
            box.update(_("Nobody behind this figure.") if self.page else "")
            return
        row = self.query_one(DataTable).cursor_row
        if not 0 <= row < len(self.page.members):
            return
        m = self.page.members[row]
        lines = [_("{name} {no} · {phone} · responsible: {guide}").format(
            name=m.name, no=m.member_no, phone=phone_words(m.phone), guide=m.guide)]
        contact, sale = fit(_("contact"), 7), fit(_("sale"), 7)
        lines += ([f"{contact} {contact_line(c)}" for c in m.contacts]
                  or [_("no contact in the period")])
        lines += [f"{sale} {purchase_line(p)}" for p in m.purchases]
        lines.append(_("Enter: the member's card · Esc: back to the panel"))
        box.update(shown("\n".join(lines)))

    def action_open_member(self) -> None:
        if self.page is None or not self.page.members:
            return
        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.page.members):
            self.app.open_card(self.page.members[row].member_id)

    def action_back(self) -> None:
        self.app.pop_screen()
