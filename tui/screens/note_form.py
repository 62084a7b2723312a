"""A soft-profile note in two keys and the text: n, type, Enter."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Input, Label, Static

from tui.db.members.card import NOTE_MAX, add_note
from tui.i18n import N_, _
from tui.screens.saving_form import SavingForm


class NoteForm(SavingForm):
    """Writes the note itself and closes only once it is on file; the text is never lost."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="note_form.cancel")]

    def __init__(self, member_id: int, member_name: str) -> None:
        super().__init__()
        self.member_id, self.member_name = member_id, member_name

    def compose(self) -> ComposeResult:
        with Vertical(id="note-form", classes="dialog"):
            yield Label(_("Note on {name}, signed {guide}").format(
                name=escape(self.member_name), guide=escape(self.app.user_name)))
            yield Input(placeholder=_("e.g. prefers WeChat after 8pm; twins due in March"),
                        max_length=NOTE_MAX, id="note-text")
            yield Static(_("Enter saves · Esc cancels"), id="note-status", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def show_status(self, text: str) -> None:
        self.query_one("#note-status", Static).update(text)

    @on(Input.Submitted)
    def save(self) -> None:
        app, text = self.app, self.query_one(Input).value

        def write() -> bool:
            add_note(self.member_id, app.user_id, text, app.clock.now())
            return True

        self.save_with(write)

    def action_cancel(self) -> None:
        self.cancel_form(bool(self.query_one(Input).value.strip()),
                         _("Discard this note? Nothing will be saved."), False)
