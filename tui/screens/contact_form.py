"""The contact form: log one call (or visit) with a member from the queue.

The form writes the contact itself and closes only once it is on file, so a
failed write (another session holding the database too long) keeps what was typed.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.markup import escape
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from tui.db.contacts import (
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    ContactEntry,
    ContactError,
    ContactLogged,
    log_contact,
    parse_next_date,
)
from tui.db.models import CHANNELS, OUTCOMES
from tui.db.queue import QueueLine
from tui.db.rules import SALES_REASONS
from tui.reports.text import phone_words
from tui.screens.confirm import ConfirmScreen
from tui.widgets.choice import DigitChoice


class ContactForm(ModalScreen[ContactLogged | None]):
    """Channel and outcome by one digit, care yes/no, a note, the next contact date."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, line: QueueLine, staff_id: int, today: date) -> None:
        super().__init__()
        self.line, self.staff_id, self.today = line, staff_id, today
        self.saving = False

    def compose(self) -> ComposeResult:
        line = self.line
        with Vertical(id="contact-form"):
            yield Label(f"Log contact · {escape(line.name)} · {phone_words(line.phone)}",
                        id="form-title")
            for r in line.reasons:
                yield Static(f"[b]{r.label}[/b] {escape(r.detail)}", classes="form-reason")
            with Horizontal(classes="form-field"):
                yield Label("Channel", classes="form-label")
                yield DigitChoice([(c, CHANNEL_LABELS[c]) for c in CHANNELS], "phone", id="channel")
            with Horizontal(classes="form-field"):
                yield Label("Outcome", classes="form-label")
                yield DigitChoice([(o, OUTCOME_LABELS[o]) for o in OUTCOMES], None, advance=True,
                                  id="outcome")
            with Horizontal(classes="form-field"):
                yield Label("Care", classes="form-label")
                yield Checkbox("care contact (not a sales call)", value=self._care_by_default(),
                               id="care")
            with Horizontal(classes="form-field"):
                yield Label("Next call", classes="form-label")
                yield Input(placeholder="YYYY-MM-DD, MM-DD or +days; empty: none", id="next")
            with Horizontal(classes="form-field"):
                yield Label("Note", classes="form-label")
                yield Input(placeholder="what they said, what to remember", id="note")
            yield Static("", id="form-error", markup=False)
            yield Static("[b]ctrl+s[/b] save   [b]esc[/b] cancel   [b]tab[/b] next field",
                         id="form-keys", markup=True)

    def _care_by_default(self) -> bool:
        """Ticked when a reason due is care (a follow-up, a birthday, a complaint's
        feedback, a booked call); a call only about running out or dormancy is sales."""
        return any(r.reason not in SALES_REASONS for r in self.line.reasons)

    def on_mount(self) -> None:
        self.query_one("#outcome", DigitChoice).focus()

    @on(DigitChoice.Changed, "#outcome")
    def outcome_picked(self) -> None:
        self.query_one("#form-error", Static).update("")

    @on(Input.Submitted, "#note")
    def note_done(self) -> None:
        self.action_save()

    @on(Input.Submitted, "#next")
    def next_done(self) -> None:
        self.query_one("#note", Input).focus()

    def _error(self, text: str, focus: str | None = None) -> None:
        self.query_one("#form-error", Static).update(text)
        if focus:
            self.query_one(focus).focus()

    def action_save(self) -> None:
        if self.saving:
            return
        outcome = self.query_one("#outcome", DigitChoice).value
        if outcome is None:
            self._error("Pick the outcome: press its digit (1 reached, 2 no answer …)", "#outcome")
            return
        try:
            next_on = parse_next_date(self.query_one("#next", Input).value, self.today)
        except ContactError as exc:
            self._error(str(exc), "#next")
            return
        entry = ContactEntry(
            member_id=self.line.member_id, staff_id=self.staff_id,
            channel=self.query_one("#channel", DigitChoice).value or "phone", outcome=outcome,
            care=self.query_one("#care", Checkbox).value,
            note=self.query_one("#note", Input).value, next_contact_on=next_on)
        self.saving = True
        self._error("Saving…")
        self.write(entry)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def write(self, entry: ContactEntry) -> None:
        app = self.app
        try:
            logged = log_contact(entry, app.settings.callbacks, app.settings.shop.zone, app.clock())
        except Exception as exc:  # shown in the form; the typed text stays
            message = str(exc) if isinstance(exc, ContactError) else f"Not saved: {exc}. Try again."
            app.call_from_thread(self._failed, message)
            return
        app.call_from_thread(self.dismiss, logged)

    def _failed(self, message: str) -> None:
        self.saving = False
        self._error(message)

    def action_cancel(self) -> None:
        if self.saving:
            return
        typed = self.query_one("#note", Input).value.strip() or self.query_one("#next", Input).value.strip()
        if not typed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard what you typed? Nothing will be saved."), answered)
