"""A member's card: who they are, how complete the archive is, what to ask, their history."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.db.members import MemberCard, member_card
from tui.messages import CardLoaded, WorkFailed
from tui.reports.member import card_text


class MemberScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("n", "note", "Note"),
        Binding("b", "sale", "Sale"),
        Binding("slash", "app.lookup", "Find"),
    ]

    def __init__(self, member_id: int) -> None:
        super().__init__()
        self.member_id = member_id
        self.card: MemberCard | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card"):
            yield Static("Reading the card…", id="card-body", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#card", VerticalScroll).focus()  # ↑↓ PgUp PgDn scroll the card
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        app = self.app
        try:
            card = member_card(self.member_id, app.today(), app.settings)
        except Exception as exc:
            self.post_message(WorkFailed(f"Could not read the member: {exc}"))
            return
        self.post_message(CardLoaded(card))

    @on(CardLoaded)
    def show(self, message: CardLoaded) -> None:
        self.card = message.card
        archive = self.app.settings.archive
        self.query_one("#card-body", Static).update(
            card_text(message.card, archive.hard_fields, archive.soft_fields))

    @on(WorkFailed)
    def failed(self, message: WorkFailed) -> None:
        self.query_one("#card-body", Static).update(message.text)

    def action_note(self) -> None:
        from tui.screens.note_form import NoteForm

        if self.card is None:
            return

        def saved(done: bool | None) -> None:
            if done:
                self.notify("Note saved.")
                self.load()

        self.app.push_screen(NoteForm(self.card.member_id, self.card.name), saved)

    def action_sale(self) -> None:
        from tui.screens.sale_form import SaleForm

        if self.card is None:
            return

        def saved(done: bool | None) -> None:
            if done:
                self.notify("Sale recorded.")
                self.load()

        self.app.push_screen(SaleForm(self.card.member_id, self.card.name), saved)

    def action_back(self) -> None:
        self.app.pop_screen()
