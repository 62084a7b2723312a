"""How far an import has come, and how it is stopped.

The reading, the checking and the writing each call a `Progress` for every row; it is
cheap (one modulo) but on every `every`-th row it looks whether it was asked to stop —
then it raises `ImportCancelled`, which rolls the writing transaction back, so nothing is
written — and tells whoever watches (a progress bar, a CLI line) where it stands.

A phase is one of PHASES; `total` is what the phase will reach, when it is known (the
rows of a file are estimated from its size before they are read).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tui.errors import ShopfloorError
from tui.i18n import N_, _

#: the phases of an import, in order; their words are marked N_, translated where shown
PHASES = {"reading": N_("reading"), "checking": N_("checking"), "writing": N_("writing")}


class ImportCancelled(ShopfloorError):
    """Stopped when asked: nothing was written."""

    def __init__(self) -> None:
        super().__init__(_("the import was stopped: nothing was written"))


Watcher = Callable[[str, int, "int | None"], None]


@dataclass
class Progress:
    """Called as progress(phase, done, total) for every row; says so to `watch` every
    `every` rows and at each phase's end (`finish`), and raises ImportCancelled once
    `cancel` is set."""

    watch: Watcher | None = None
    every: int = 2000
    cancel: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.monotonic)

    def __call__(self, phase: str, done: int, total: int | None = None) -> None:
        if done % self.every:
            return
        if self.cancel.is_set():
            raise ImportCancelled()
        if self.watch is not None:
            self.watch(phase, done, total)

    def finish(self, phase: str, done: int) -> None:
        """The phase has done all it had: DONE of DONE."""
        if self.cancel.is_set():
            raise ImportCancelled()
        if self.watch is not None:
            self.watch(phase, done, done)


def time_left(done: int, total: int | None, seconds: float) -> float | None:
    """Seconds still to go at the pace so far; None before there is a pace or a total."""
    if not total or done <= 0 or seconds <= 0:
        return None
    return max(0.0, seconds * (total - done) / done)
