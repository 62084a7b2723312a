"""A form that writes its own record and closes only once it is on file, so a failed
write (another session holding the database too long) keeps everything typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.worker import Worker

from tui.errors import ShopfloorError
from tui.i18n import _
from tui.screens.base import ShopModal
from tui.screens.confirm import ConfirmScreen


class SavingForm(ShopModal):
    """A form that writes its record on a worker and closes once it is on file."""
    saving = False

    def show_status(self, text: str) -> None:
        """One line under the form: Saving…, or what to change."""
        raise NotImplementedError

    def save_with(self, write: Callable[[], Any]) -> None:
        """Run `write` off the UI thread; close with its result, or say why not (an expected
        mistake as it is, beside its field; anything else as "Not saved: …")."""
        if self.saving:
            return
        self.saving = True
        self.show_status(_("Saving…"))
        self.run_worker(write, name=_("Not saved"), group="form-write", thread=True,
                        exclusive=True, exit_on_error=False)

    def job_done(self, worker: Worker) -> None:
        if worker.group == "form-write":
            self.dismiss(worker.result)

    def job_failed(self, words: str, worker: Worker) -> None:
        if worker.group != "form-write":
            super().job_failed(words, worker)
            return
        # shown in the form; what was typed stays
        self.saving = False
        error = worker.error
        self.show_error(words, error if isinstance(error, ShopfloorError) else None)

    def show_error(self, message: str, error: Exception | None) -> None:
        """Say why nothing was saved; a form with fields may put `error` beside one."""
        self.show_status(message)

    def cancel_form(self, typed: bool, question: str, nothing: Any) -> None:
        """Esc: close at once if nothing was typed, else ask first."""
        if self.saving:
            return
        if not typed:
            self.dismiss(nothing)
            return
        self.app.push_screen(ConfirmScreen(question, weighty=True),
                             lambda discard: self.dismiss(nothing) if discard else None)
