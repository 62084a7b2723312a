"""One timed launch, run by bench/run.py in a fresh process.

`launch.py app DB` starts Shopfloor on DB and `launch.py minimal` a minimal Textual app;
each prints the wall-clock time at which its first screen (for Shopfloor: the queue
with its rows) has been painted, and its peak memory, then exits.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def report(app) -> None:
    painted = time.time()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"painted": painted, "peak_mib": peak_kib / 1024}), flush=True)
    app.exit()


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Minimal(App):
        def compose(self) -> ComposeResult:
            yield Static("hello")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(report, self)

    Minimal().run(headless=True, size=(80, 24))


def shopfloor(db: str) -> None:
    from textual import on

    import tui.app
    from tui.db.connection import open_database
    from tui.messages import QueueLoaded
    from tui.screens.queue import QueueScreen
    from tui.settings import load_settings

    class TimedQueue(QueueScreen):
        @on(QueueLoaded)
        def painted(self, message: QueueLoaded) -> None:
            if message.page.lines:  # report once the rows are on screen
                self.call_after_refresh(report, self.app)

    settings = load_settings().with_database(db)
    open_database(settings.database.path, settings.database.busy_timeout_ms)
    tui.app.QueueScreen = TimedQueue
    tui.app.ShopfloorApp(settings).run(headless=True, size=(80, 24))


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        minimal()
    else:
        shopfloor(sys.argv[2])
