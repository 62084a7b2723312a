"""Questions before a change: yes/no, and for what cannot be undone, a typed answer."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.text import shown


class ConfirmScreen(ModalScreen[bool]):
    """y or Enter says yes, n or Esc says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Label(shown(self.question), markup=False)  # names are the shop's data, not markup
            yield Static("[b]y[/b] yes   [b]n[/b] no", markup=True)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TypedConfirmScreen(ModalScreen[bool]):
    """Yes only when `word` is typed exactly and Enter pressed: no slip of a key erases."""

    BINDINGS = [Binding("escape", "answer(False)", "Cancel", id="typed_confirm.cancel")]

    def __init__(self, question: str, word: str) -> None:
        super().__init__()
        self.question, self.word = question, word

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="danger"):
            yield Label(shown(self.question), markup=False)
            yield Label(f"Type {self.word} and Enter to go ahead; Esc cancels.", markup=False)
            yield Input(placeholder=self.word, id="confirm-word")
            yield Static("", id="confirm-status", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.value.strip().upper() == self.word.upper():
            self.dismiss(True)
        else:
            self.query_one("#confirm-status", Static).update(
                f"That is not {self.word}; type it exactly, or Esc to cancel.")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
