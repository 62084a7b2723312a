"""Find a member at the register: type a phone tail, a name or pinyin; Enter opens the card."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from tui.db.members.lookup import LOOKUP_PAGE, LookupHit, count_members, lookup_members
from tui.errors import fault_words
from tui.i18n import N_, _, pgettext
from tui.reports.lookup import found_words, matched_words
from tui.reports.text import fit

#: the columns of a hit and their widths; one table cell holds them all (see show_hits)
COLUMNS = (("No", 8), ("Name", 10), ("Phone", 11), ("Owner", 6), ("Found by", 10))


def _heads() -> list[str]:
    """The column heads of COLUMNS in the language spoken now ("No" is the member no)."""
    return [pgettext("lookup column", "No"), _("Name"), _("Phone"), _("Owner"), _("Found by")]


def _line(values: list[str]) -> Text:
    return Text("  ".join(fit(value, width) for value, (_head, width) in zip(values, COLUMNS)))


class LookupScreen(ModalScreen["int | dict | None"]):
    """Results follow every key; ↑↓ move through them while typing goes on.

    The search runs on the UI thread, inside the key press that changed the query, so the
    typed character and its results are painted in the same frame (make bench: key press
    to painted results). A worker thread cost a frame or two: its result arrived after
    the echo had been painted, and Textual paints the next frame 17–33 ms later.

    Enter opens the card; in pick mode (`pick` is the line saying what for) it closes with
    the chosen member's id instead. ctrl+n closes with what was typed, for the register form.
    """

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="lookup.close"),
        Binding("down", "move(1)", N_("Down"), show=False, priority=True, id="lookup.down"),
        Binding("up", "move(-1)", N_("Up"), show=False, priority=True, id="lookup.up"),
        Binding("enter", "open", N_("Open card"), priority=True, id="lookup.open"),
        Binding("ctrl+n", "register", N_("New member"), priority=True, id="lookup.register"),
    ]

    def __init__(self, pick: str | None = None) -> None:
        super().__init__()
        self.hits: list[LookupHit] = []
        self.pick = pick

    def compose(self) -> ComposeResult:
        with Vertical(id="lookup", classes="dialog"):
            yield Static(self.pick or
                         _("Find a member: last 4 digits of the phone, member no, 张三, zs or "
                           "zhangsan"), id="lookup-help", markup=False)
            yield Input(placeholder=_("type here"), id="lookup-query")
            yield DataTable(id="lookup-hits", cursor_type="row", zebra_stripes=True)
            yield Static("", id="lookup-status", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # One cell per row, laid out as five columns: the table renders every cell through
        # Rich, and a line of one cell repaints in about a third of the time of five.
        table.add_column(_line(_heads()),
                         width=sum(width for _head, width in COLUMNS) + 2 * (len(COLUMNS) - 1))
        table.can_focus = False  # typing stays in the query; ↑↓ are bound on the screen
        field = self.query_one(Input)
        field.focus()
        # called inside the key press that changed the value, before the frame is painted
        self.watch(field, "value", self.search, init=False)

    def search(self, query: str) -> None:
        try:
            hits = lookup_members(query, viewer=self.app.viewer)
            # a full page may be a few of many: counted then only (an index range, < 1 ms)
            found = count_members(query) if len(hits) >= LOOKUP_PAGE else len(hits)
        except Exception as exc:  # a query it cannot take, a locked database: shown, not raised
            self.show_hits(query, [], fault_words(exc, _("Could not search")))
        else:
            self.show_hits(query, hits, found=found)

    def show_hits(self, query: str, hits: list[LookupHit], error: str = "",
                  found: int | None = None) -> None:
        self.hits = hits
        found = len(hits) if found is None else found
        table = self.query_one(DataTable)
        table.clear()
        for h in hits:
            table.add_row(_line([h.member_no, h.name, h.phone or "", h.owner or "—",
                                 matched_words(h.matched)]))
        status = self.query_one("#lookup-status", Static)
        if error:
            status.update(error)
        elif query.strip() and not hits:
            status.update(_("No member found. Check the digits, or try the name or its pinyin.")
                          + ("" if self.pick else _(" ctrl+n registers a new member.")))
        else:
            status.update(_("{found} · ↑↓ choose · Enter open · Esc close").format(
                found=found_words(len(hits), found)) if hits else "")

    def action_move(self, step: int) -> None:
        self.query_one(Input).call_later(self._move, step)  # on the results of what is typed

    def _move(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if step > 0 else table.action_cursor_up()

    def action_open(self) -> None:
        # Enter is the screen's key and acts at once; digits typed (or scanned) just before
        # may still be on their way to the field. Opening from the field's own queue waits
        # for them, and for the search they set off, so the card is the one for the query.
        self.query_one(Input).call_later(self.call_next, self._open)  # then on this screen

    def _open(self) -> None:
        if not self.hits or not self.is_attached or self.app.screen is not self:
            return
        hit = self.hits[self.query_one(DataTable).cursor_row]
        if self.pick:
            self.dismiss(hit.member_id)
            return
        self.dismiss(None)
        self.app.open_card(hit.member_id)

    def action_register(self) -> None:
        """A new member, with what was typed as the phone (digits) or the name."""
        if self.pick:
            return
        self.query_one(Input).call_later(self.call_next, self._register)  # as _open

    def _register(self) -> None:
        if not self.is_attached or self.app.screen is not self:
            return
        query = self.query_one(Input).value.strip()
        prefill = {"phone": query} if query.replace(" ", "").isdigit() else {"name": query}
        self.dismiss(prefill)  # the app opens the register form once this screen is gone

    def action_close(self) -> None:
        self.dismiss(None)
