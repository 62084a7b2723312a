"""A soft-profile note in two keys and the text: n, type, Enter."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.db.members import NOTE_MAX, NoteError, add_note
from tui.screens.confirm import ConfirmScreen


class NoteForm(ModalScreen[bool]):
    """Writes the note itself and closes only once it is on file; the text is never lost."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, member_id: int, member_name: str) -> None:
        super().__init__()
        self.member_id, self.member_name = member_id, member_name
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="note-form"):
            yield Label(f"Note on {escape(self.member_name)}, signed {escape(self.app.user_name)}")
            yield Input(placeholder="e.g. prefers WeChat after 8pm; twins due in March",
                        max_length=NOTE_MAX, id="note-text")
            yield Static("Enter saves · Esc cancels", id="note-status", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.query_one("#note-status", Static).update("Saving…")
        self.write(self.query_one(Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def write(self, text: str) -> None:
        app = self.app
        try:
            add_note(self.member_id, app.user_id, text, app.clock())
        except Exception as exc:
            message = str(exc) if isinstance(exc, NoteError) else f"Not saved: {exc}. Try again."
            app.call_from_thread(self._failed, message)
            return
        app.call_from_thread(self.dismiss, True)

    def _failed(self, message: str) -> None:
        self.saving = False
        self.query_one("#note-status", Static).update(message)

    def action_cancel(self) -> None:
        if self.saving:
            return
        if not self.query_one(Input).value.strip():
            self.dismiss(False)
            return
        self.app.push_screen(ConfirmScreen("Discard this note? Nothing will be saved."),
                             lambda discard: self.dismiss(False) if discard else None)
