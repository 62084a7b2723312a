"""Find a member at the register: type a phone tail, a name or pinyin; Enter opens the card."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from tui.db.lookup import LookupHit, QueryError, lookup_members
from tui.reports.text import fit


@dataclass
class HitsFound(Message):
    query: str
    hits: list[LookupHit]
    error: str = ""


class LookupScreen(ModalScreen["int | None"]):
    """Results follow every key; ↑↓ move through them while typing goes on.

    Enter opens the card; in pick mode (`pick` is the line saying what for) it closes with
    the chosen member's id instead.
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("enter", "open", "Open card", priority=True),
        Binding("ctrl+n", "register", "New member", priority=True),
    ]

    def __init__(self, pick: str | None = None) -> None:
        super().__init__()
        self.hits: list[LookupHit] = []
        self.pick = pick

    def compose(self) -> ComposeResult:
        with Vertical(id="lookup"):
            yield Static(self.pick or
                         "Find a member: last 4 digits of the phone, member no, 张三, zs or zhangsan",
                         id="lookup-help", markup=False)
            yield Input(placeholder="type here", id="lookup-query")
            yield DataTable(id="lookup-hits", cursor_type="row", zebra_stripes=True)
            yield Static("", id="lookup-status", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("No", 8), ("Name", 10), ("Phone", 11), ("Owner", 6), ("Found by", 10)):
            table.add_column(label, width=width)
        table.can_focus = False  # typing stays in the query; ↑↓ are bound on the screen
        self.query_one(Input).focus()

    @on(Input.Changed, "#lookup-query")
    def query_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(thread=True, exclusive=True, group="lookup", exit_on_error=False)
    def search(self, query: str) -> None:
        try:
            hits = lookup_members(query)
        except QueryError as exc:
            self.post_message(HitsFound(query, [], str(exc)))
            return
        except Exception as exc:  # a locked database, a broken file: shown, not raised
            self.post_message(HitsFound(query, [], f"Could not search: {exc}"))
            return
        self.post_message(HitsFound(query, hits))

    @on(HitsFound)
    def show_hits(self, message: HitsFound) -> None:
        if message.query != self.query_one(Input).value:
            return  # typed on since: a newer search is coming
        self.hits = message.hits
        table = self.query_one(DataTable)
        table.clear()
        for h in self.hits:
            table.add_row(Text(h.member_no), Text(fit(h.name, 10)), Text(h.phone or ""),
                          Text(fit(h.owner or "—", 6)), Text(h.matched))
        status = self.query_one("#lookup-status", Static)
        if message.error:
            status.update(message.error)
        elif message.query.strip() and not self.hits:
            status.update("No member found. Check the digits, or try the name or its pinyin."
                          + ("" if self.pick else " ctrl+n registers a new member."))
        else:
            status.update(f"{len(self.hits)} found · ↑↓ choose · Enter open · Esc close"
                          if self.hits else "")

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if step > 0 else table.action_cursor_up()

    def action_open(self) -> None:
        if not self.hits:
            return
        from tui.screens.member import MemberScreen

        hit = self.hits[self.query_one(DataTable).cursor_row]
        if self.pick:
            self.dismiss(hit.member_id)
            return
        self.dismiss(None)
        self.app.push_screen(MemberScreen(hit.member_id))

    def action_register(self) -> None:
        """A new member, with what was typed as the phone (digits) or the name."""
        if self.pick:
            return
        query = self.query_one(Input).value.strip()
        prefill = {"phone": query} if query.replace(" ", "").isdigit() else {"name": query}
        self.dismiss(None)
        self.app.action_register(prefill)

    def action_close(self) -> None:
        self.dismiss(None)
