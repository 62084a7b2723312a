"""The spot-check of a PDCA cycle: logged contacts drawn at random for the manager to
verify — call the member, read the note — each marked verified or not. The sample is
stored, so it is the same when reopened. A manager's; every draw and mark is audited."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui.db.pdca.act import SpotCheck, draw_spot_check, mark_spot_check, spot_check
from tui.db.pdca.plans import SPOT_CHECK_SIZE
from tui.reports.pdca import spot_cells, spot_summary
from tui.reports.text import fit, phone_words
from tui.screens.base import ReadScreen, plain
from tui.text import shown
from tui.i18n import N_, _, pgettext
from tui.widgets.footer import ShopFooter

#: the draw key's words: the footer translates a binding's fixed text, so the size is in it
#: (another size shows in English until it is added here)
DRAW_WORDS = {10: N_("Draw 10")}


class SpotCheckScreen(ReadScreen):
    """The spot-check: logged contacts drawn at random, each marked verified or not by a
    manager."""
    reading = N_("the spot-check")

    BINDINGS = [
        Binding("d", "draw", DRAW_WORDS.get(SPOT_CHECK_SIZE, f"Draw {SPOT_CHECK_SIZE}"),
                id="pdca_spot.draw"),
        Binding("v", "mark(True)", N_("Verified"), id="pdca_spot.verified"),
        Binding("x", "mark(False)", N_("Not verified"), id="pdca_spot.not"),
        Binding("enter", "open_member", N_("Member card"), id="pdca_spot.member", priority=True),
        Binding("j", "cursor(1)", N_("Down"), show=False, id="pdca_spot.down"),
        Binding("k", "cursor(-1)", N_("Up"), show=False, id="pdca_spot.up"),
        Binding("escape", "back", N_("Back"), id="pdca_spot.back"),
    ]

    def __init__(self, cycle_id: int) -> None:
        super().__init__()
        self.cycle_id = cycle_id
        self.check: SpotCheck | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield Static(_("Reading the sample…"), id="counts")
        yield DataTable(id="pdca-spot", cursor_type="row", zebra_stripes=True)
        yield Static("", id="pdca-spot-detail", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in ((pgettext("spot-check", "Check"), 10), (_("When"), 11),
                             (_("Member"), 7), (_("Name"), 8), (_("By"), 6), (_("Channel"), 8),
                             (_("Outcome"), 10), (_("Note"), 24)):
            table.add_column(label, width=width)
        table.focus()
        self.load()

    def read_page(self) -> SpotCheck:
        return spot_check(self.cycle_id, self.app.today(), self.app.settings)

    def show_page(self, check: SpotCheck) -> None:
        self.check = check
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        widths = (10, 11, 7, 8, 6, 8, 10, 24)
        for line in check.lines:
            cells = spot_cells(line)
            style = {None: "", True: "green", False: "bold red"}[line.verified]
            table.add_row(*(Text(fit(c, w), style=style if i == 0 else "")
                            for i, (c, w) in enumerate(zip(cells, widths))),
                          key=str(line.check_id))
        if check.lines:
            table.move_cursor(row=min(max(keep, 0), len(check.lines) - 1))
        self.query_one("#title", Static).update(
            _("[b]Spot-check · {plan} · cycle {cycle}[/b]").format(plan=plain(check.plan_name),
                                                                   cycle=check.cycle_number))
        self.query_one("#counts", Static).update(plain(spot_summary(check)))
        self._detail()

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        box = self.query_one("#pdca-spot-detail", Static)
        check = self.check
        if check is None:
            return
        if not check.lines:
            box.update(_("Nothing drawn yet. d draws {n} of the period's contacts to target "
                         "members at random (a manager's).").format(n=SPOT_CHECK_SIZE))
            return
        row = self.query_one(DataTable).cursor_row
        if not 0 <= row < len(check.lines):
            return
        ln = check.lines[row]
        verdict = (_("not checked yet") if ln.verified is None else
                   (_("verified by {who} {when}") if ln.verified
                    else _("NOT verified by {who} {when}")).format(
                       who=ln.checked_by, when=f"{ln.checked_at:%m-%d %H:%M}"))
        box.update(shown(_("{name} {no} · {phone} · {guide}'s · by {staff} {when}\nnote: {note}\n"
                           "{verdict}\nCall the member, read the note: v verified · x not "
                           "verified · d draw {n} more").format(
            name=ln.name, no=ln.member_no, phone=phone_words(ln.phone), guide=ln.guide,
            staff=ln.staff, when=f"{ln.contacted_at:%m-%d %H:%M}", note=ln.note or _("(none)"),
            verdict=verdict, n=SPOT_CHECK_SIZE)))

    def _write(self, write: Callable[[], object], done: str) -> None:
        app = self.app

        def run() -> None:
            write()
            if done:
                app.call_from_thread(self.notify, done, markup=False)
            app.call_from_thread(self.load)

        self.run_worker(run, thread=True, group="pdca-spot-write", name=_("Not saved"),
                        exit_on_error=False)

    def action_draw(self) -> None:
        app = self.app
        self._write(lambda: draw_spot_check(self.cycle_id, SPOT_CHECK_SIZE, app.user_id,
                                            app.clock.now(), app.settings), "")

    def action_mark(self, verified: bool) -> None:
        if self.check is None or not self.check.lines:
            return
        table = self.query_one(DataTable)
        row = table.cursor_row
        if not 0 <= row < len(self.check.lines):
            return
        line = self.check.lines[row]
        app = self.app
        self._write(lambda: mark_spot_check(line.check_id, verified, app.user_id, app.clock.now()),
                    "")
        if row + 1 < len(self.check.lines):
            table.move_cursor(row=row + 1)

    def action_cursor(self, delta: int) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if delta > 0 else table.action_cursor_up()

    def action_open_member(self) -> None:
        if self.check is None or not self.check.lines:
            return
        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.check.lines):
            self.app.open_card(self.check.lines[row].member_id)

    def action_back(self) -> None:
        self.app.pop_screen()
