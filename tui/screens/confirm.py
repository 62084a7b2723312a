"""Questions before a change: yes/no, and for what cannot be undone, a typed answer."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.i18n import N_, _
from tui.text import shown

#: the line under a question: its keys and what Enter answers (translated where shown)
ANSWERS = {True: N_("[b]y[/b] yes   [b]n[/b] no   [b]Enter[/b] yes"),
           False: N_("[b]y[/b] yes   [b]n[/b] no   [b]Enter[/b] no: only y goes ahead")}


class ConfirmScreen(ModalScreen[bool]):
    """y says yes, n or Esc no; Enter gives the default answer, shown under the question.

    A weighty question (`weighty=True`: a merge, an export, deactivating someone, starting
    or closing a plan, moving members between guides) answers no to Enter: a key pressed
    out of habit, or meant for the screen underneath, never says yes to it."""

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no"),
        Binding("enter", "default", N_("The default answer"), id="confirm.default"),
    ]

    def __init__(self, question: str, weighty: bool = False) -> None:
        super().__init__()
        self.question = question
        #: what Enter answers: no for a weighty question
        self.default = not weighty

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            # names are the shop's data, not markup; the question wraps, never cut
            yield Label(shown(self.question), id="confirm-question", markup=False)
            yield Static(_(ANSWERS[self.default]), id="confirm-keys", markup=True)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_default(self) -> None:
        self.dismiss(self.default)


class TypedConfirmScreen(ModalScreen[bool]):
    """Yes only when `word` is typed exactly and Enter pressed: no slip of a key erases."""

    BINDINGS = [Binding("escape", "answer(False)", N_("Cancel"), id="typed_confirm.cancel")]

    def __init__(self, question: str, word: str) -> None:
        super().__init__()
        self.question, self.word = question, word

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="danger"):
            yield Label(shown(self.question), id="confirm-question", markup=False)
            yield Label(_("Type {word} and Enter to go ahead; Esc cancels.").format(word=self.word),
                        id="confirm-keys", markup=False)
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
                _("That is not {word}; type it exactly, or Esc to cancel.").format(word=self.word))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
