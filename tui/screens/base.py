"""What every screen does the same way: read a page on a worker and show it, and say in
one line why a job failed.

Workers just raise. One handler — `on_worker_state_changed` here, and nowhere else —
turns a failed worker into one line: a `ShopfloorError` (an expected mistake) as it is,
anything else as the worker's name ("Could not read the queue") and the error, with its
traceback in shopfloor.log. A screen that shows the line elsewhere (a form's status line,
a card's body) overrides `job_failed`.

A `ReadScreen` reads its page with `load()`: `read_page()` runs on a thread (the db call,
nothing on screen), `show_page(page)` on the screen once it is read. Only the newest read
is shown: a slower, older one that finishes late is dropped, as is its failure.
"""

from __future__ import annotations

from typing import Any

from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from tui.db.audit import PermissionDenied
from tui.errors import fault_words
from tui.i18n import N_, _
from tui.text import one_line


class JobsFailInOneLine:
    """The one Worker.StateChanged handler: a screen's failed workers shown in one line."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.SUCCESS:
            self.job_done(worker)
        elif event.state is WorkerState.ERROR:
            assert worker.error is not None
            if isinstance(worker.error, PermissionDenied):  # rolled back with its write
                self.app.record_refusal(str(worker.error))  # type: ignore[attr-defined]
            if self.job_is_current(worker):
                # a worker's name is marked N_ where it is written, translated here
                self.job_failed(fault_words(worker.error, _(worker.name or N_("Not done"))),
                                worker)

    def job_done(self, worker: Worker) -> None:
        """A worker finished; its result is `worker.result`."""

    def job_is_current(self, worker: Worker) -> bool:
        """False for a job a newer one replaced: its failure is not shown."""
        return True

    def job_failed(self, words: str, worker: Worker) -> None:
        """Say why `worker` failed; `words` is the one line."""
        self.notify(words, severity="error", timeout=8, markup=False)  # type: ignore[attr-defined]


def sentence(words: str) -> str:
    """A line on screen starts as a sentence does ("only a manager may …" → "Only …")."""
    return words[:1].upper() + words[1:]


class ShopScreen(JobsFailInOneLine, Screen):
    """A full screen whose workers just raise."""


class ShopModal(JobsFailInOneLine, ModalScreen[Any]):
    """A dialog or form whose workers just raise."""


class ReadScreen(ShopScreen):
    """A screen that reads one page on a worker and shows it; only the newest read shows."""

    #: what the failure line says it could not read: "Could not read the queue: …"
    #: (marked N_ where a screen names it, translated in the line)
    reading = N_("the page")
    #: read again by itself when another session writes (the app's watch, `changed_elsewhere`)
    follows_changes = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reading: Worker | None = None  #: the newest read; an older one is dropped
        self._stale = False  #: another session wrote while this screen was covered

    def changed_elsewhere(self, on_top: bool) -> None:
        """Another session wrote: read again now if on top (under a form too: the form's
        fields are its own), else once this screen is back on top."""
        if on_top:
            self._stale = False
            self.load()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.load()

    def load(self) -> None:
        """Read the page again (after a change, a new page, a new day) and show it."""
        doing = _("Could not read {what}").format(what=_(self.reading))
        self._reading = self.run_worker(self.read_page, name=doing,
                                        group="read", thread=True, exclusive=True,
                                        exit_on_error=False)

    def read_page(self) -> Any:
        """On a worker thread: the database call that gives the page. May raise."""
        raise NotImplementedError

    def show_page(self, page: Any) -> None:
        """On the screen: put the page that was read on screen."""
        raise NotImplementedError

    def job_is_current(self, worker: Worker) -> bool:
        return worker.group != "read" or worker is self._reading

    def job_done(self, worker: Worker) -> None:
        if worker.group == "read" and worker is self._reading:
            self.show_page(worker.result)


def plain(text: str) -> str:
    """What people typed (a name, a note, a plan), for a markup string: on one line
    without controls (tui.text), its brackets escaped so that it shows as typed."""
    return escape(one_line(text))
