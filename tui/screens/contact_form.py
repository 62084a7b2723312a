"""The contact form: log one call (or visit) with a member from the queue.

The form writes the contact itself and closes only once it is on file, so a
failed write (another session holding the database too long) keeps what was typed.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Static

from tui.db.callbacks.contacts import (CHANNELS, OUTCOMES, ContactEntry, ContactError,
                                       channel_label, log_contact, outcome_label,
                                       parse_next_date, recent_contact)
from tui.db.callbacks.queue import QueueLine
from tui.db.callbacks.rules import SALES_REASONS
from tui.i18n import N_, _
from tui.reports.queue import detail_words, recent_contact_words
from tui.reports.text import phone_words
from tui.screens.base import plain
from tui.screens.saving_form import SavingForm
from tui.widgets.choice import DigitChoice


class ContactForm(SavingForm):
    """Channel and outcome by one digit, care yes/no, a note, the next contact date."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="contact_form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="contact_form.cancel"),
    ]

    def __init__(self, line: QueueLine, staff_id: int, today: date) -> None:
        super().__init__()
        self.line, self.staff_id, self.today = line, staff_id, today

    def compose(self) -> ComposeResult:
        line = self.line
        with Vertical(id="contact-form", classes="dialog flat"):
            yield Label(_("Log contact · {name} · {phone}").format(
                name=plain(line.name), phone=phone_words(line.phone)), id="form-title")
            recent = Static("", id="form-recent", markup=False)  # someone else's call just now
            recent.display = False
            yield recent
            for r in line.reasons:
                yield Static(f"[b]{r.label}[/b] {plain(detail_words(r.detail, r.reason))}",
                             classes="form-reason")
            with Horizontal(classes="form-field"):
                yield Label(_("Channel"), classes="form-label")
                yield DigitChoice([(c, channel_label(c)) for c in CHANNELS], "phone", advance=True,
                                  id="channel")
            with Horizontal(classes="form-field"):
                yield Label(_("Outcome"), classes="form-label")
                yield DigitChoice([(o, outcome_label(o)) for o in OUTCOMES], None, advance=True,
                                  id="outcome")
            with Horizontal(classes="form-field"):
                yield Label(_("Care"), classes="form-label")
                yield Checkbox(_("care contact (not a sales call)"),
                               value=self._care_by_default(), id="care")
            with Horizontal(classes="form-field"):
                yield Label(_("Next call"), classes="form-label")
                yield Input(placeholder=_("YYYY-MM-DD, MM-DD or +days; empty: none"), id="next")
            with Horizontal(classes="form-field"):
                yield Label(_("Note"), classes="form-label")
                yield Input(placeholder=_("what they said, what to remember"), id="note")
            yield Static("", id="form-error", markup=False)
            yield Static(_("[b]ctrl+s[/b] save   [b]esc[/b] cancel   [b]tab[/b] next field"),
                         id="form-keys", markup=True)

    def _care_by_default(self) -> bool:
        """Ticked when a reason due is care (a follow-up, a birthday, a complaint's
        feedback, a booked call); a call only about running out or dormancy is sales."""
        return any(r.reason not in SALES_REASONS for r in self.line.reasons)

    def on_mount(self) -> None:
        self.query_one("#outcome", DigitChoice).focus()
        self.read_recent()

    @work(thread=True, group="recent", name=N_("Could not read the latest contact"),
          exit_on_error=False)
    def read_recent(self) -> None:
        """Read fresh as the form opens (the queue may be minutes old): a contact in the
        last hour, by anyone, is said above the fields."""
        app = self.app
        recent = recent_contact(self.line.member_id, app.clock.now(), app.settings.shop.zone)
        if recent is not None:
            app.call_from_thread(self._show_recent, recent_contact_words(recent, self.staff_id))

    def _show_recent(self, words: str) -> None:
        field = self.query_one("#form-recent", Static)
        field.update(words)
        field.display = True

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
            self._error(_("Pick the outcome: press its digit (1 reached, 2 no answer …)"),
                        "#outcome")
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
        app = self.app
        self.save_with(lambda: log_contact(entry, app.settings.callbacks, app.settings.shop.zone,
                                           app.clock.now()))

    def show_status(self, text: str) -> None:
        self._error(text)

    def action_cancel(self) -> None:
        typed = self.query_one("#note", Input).value.strip() or self.query_one("#next", Input).value.strip()
        self.cancel_form(bool(typed), _("Discard what you typed? Nothing will be saved."), None)
