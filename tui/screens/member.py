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
        Binding("p", "promotions", "Promos"),
        Binding("x", "do_not_contact", "No contact"),
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
        if self.card is None:
            self.query_one("#card-body", Static).update(message.text)
        else:
            self.notify(message.text, severity="error", markup=False)

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

    def action_promotions(self) -> None:
        """Record the member's answer on promotions: yes becomes no, no (or not asked) yes."""
        if self.card is None:
            return
        accepts = self.card.accepts_promotions is not True
        question = (f"{self.card.name} accepts promotional messages?" if accepts else
                    f"{self.card.name} refuses promotions? Sales calls stop at once.")
        self._confirm_then(question, promotions=accepts)

    def action_do_not_contact(self) -> None:
        if self.card is None:
            return
        stop = not self.card.do_not_contact
        question = (f"Never contact {self.card.name} again? Every open call is cancelled." if stop
                    else f"{self.card.name} may be contacted again?")
        self._confirm_then(question, do_not_contact=stop)

    def _confirm_then(self, question: str, **answer: bool) -> None:
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.write_consent(answer)

        self.app.push_screen(ConfirmScreen(question), answered)

    @work(thread=True, exclusive=True, group="consent", exit_on_error=False)
    def write_consent(self, answer: dict) -> None:
        from tui.db.members import set_consent

        app = self.app
        try:
            set_consent(self.member_id, app.clock(), app.settings, **answer)
        except Exception as exc:
            self.post_message(WorkFailed(f"Not saved: {exc}"))
            return
        app.call_from_thread(self.load)

    def action_back(self) -> None:
        self.app.pop_screen()
