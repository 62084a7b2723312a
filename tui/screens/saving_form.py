"""A form that writes its own record and closes only once it is on file, so a failed
write (another session holding the database too long) keeps everything typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work
from textual.screen import ModalScreen

from tui.screens.confirm import ConfirmScreen


#: the errors whose text is already a message for people
Expected = type[Exception] | tuple[type[Exception], ...]


class SavingForm(ModalScreen[Any]):
    saving = False

    def show_status(self, text: str) -> None:
        """One line under the form: Saving…, or what to change."""
        raise NotImplementedError

    def save_with(self, write: Callable[[], Any], expected: Expected) -> None:
        """Run `write` off the UI thread; close with its result, or say why not.

        `expected` is the error whose text is already a message for people.
        """
        if self.saving:
            return
        self.saving = True
        self.show_status("Saving…")
        self._write(write, expected)

    @work(thread=True, exclusive=True, group="form-write", exit_on_error=False)
    def _write(self, write: Callable[[], Any], expected: Expected) -> None:
        try:
            result = write()
        except Exception as exc:  # shown in the form; what was typed stays
            if isinstance(exc, expected):
                self.app.call_from_thread(self._failed, str(exc), exc)
            else:
                self.app.call_from_thread(self._failed, f"Not saved: {exc}. Try again.", None)
            return
        self.app.call_from_thread(self.dismiss, result)

    def _failed(self, message: str, error: Exception | None) -> None:
        self.saving = False
        self.show_error(message, error)

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
        self.app.push_screen(ConfirmScreen(question),
                             lambda discard: self.dismiss(nothing) if discard else None)
