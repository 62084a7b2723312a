"""One timed launch, run by bench/run.py in a fresh process.

`launch.py app DB` starts Shopfloor on DB the way `shopfloor` does (cli.launch), and
`launch.py minimal` a minimal Textual app, `launch.py floor` the queue's widgets with
fixed rows and no database, `launch.py signin DB` Shopfloor as a shop opens it (the
sign-in screen), `launch.py enter DB` the sign-in screen with the first manager's demo PIN
typed a second after the paint (as a person types it), timing Enter to the painted queue;
each prints the wall-clock time at which
its first screen (for Shopfloor: the queue with its rows) was painted, and its own
peak memory, then exits.
"""

from __future__ import annotations

import json
import sys
import time


def report(app) -> None:
    painted = time.time()
    # VmHWM is this process's own peak; ru_maxrss would include the parent's, since Linux
    # keeps it across exec.
    with open("/proc/self/status") as fh:
        peak_kib = int(fh.read().split("VmHWM:")[1].split()[0])
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


def floor() -> None:
    """The queue screen's widgets with 24 fixed rows and no database: the floor for any
    app that shows its first page in a DataTable."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Static

    class Floor(App):
        def compose(self) -> ComposeResult:
            yield Static("title")
            yield Static("counts")
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static("detail")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            for column in ("Member", "Tail", "Reasons", "Due", "Owner", "Last call"):
                table.add_column(column)
            for _ in range(24):
                table.add_row("王芳", "1234", "follow-up", "today", "张丽", "never")
            self.call_after_refresh(report, self)

    Floor().run(headless=True, size=(80, 24))


def shopfloor(db: str) -> None:
    from tui.cli import launch
    from tui.db.connection import open_database
    from tui.db.models import database
    from tui.settings import load_settings

    settings = load_settings().with_database(db)
    open_database(settings.database.path, settings.database.busy_timeout_ms)
    # signed in already as the first manager: the PIN is a person's seconds, not the app's
    manager = database.execute_sql(
        "SELECT id FROM staff WHERE role = 'manager' AND active ORDER BY id LIMIT 1").fetchone()[0]
    launch(settings, user_id=manager, on_first_queue=report, headless=True, size=(80, 24))


def _at_sign_in(db: str, then) -> None:
    """Shopfloor started as `shopfloor` starts it, at the sign-in screen; `then(screen)`
    once that screen is painted."""
    from tui.cli import launch
    from tui.db.connection import open_database
    from tui.db.staff import active_staff
    from tui.screens.sign_in import SignInScreen
    from tui.settings import load_settings

    settings = load_settings().with_database(db)
    open_database(settings.database.path, settings.database.busy_timeout_ms)
    manager = active_staff(by_name=False)[0].name  # managers first: the one the README signs in
    mounted = SignInScreen.on_mount

    def on_mount(screen) -> None:
        mounted(screen)
        screen.call_after_refresh(then, screen)

    SignInScreen.on_mount = on_mount  # the hook: the screen itself is unchanged
    launch(settings, preselect=manager, on_first_queue=report_enter, headless=True, size=(80, 24))


ENTER = {}


def report_enter(app) -> None:
    """The queue painted after Enter at the sign-in screen: how long that took."""
    print(json.dumps({"enter_ms": (time.perf_counter() - ENTER["at"]) * 1000}), flush=True)
    app.exit()


def signin(db: str) -> None:
    _at_sign_in(db, lambda screen: report(screen.app))


def enter(db: str) -> None:
    from textual.widgets import Input

    def press(screen) -> None:
        screen.query_one(Input).value = "8888"  # the demo shop's manager PIN
        ENTER["at"] = time.perf_counter()
        screen.action_enter()

    # a person takes a second or so to type a PIN: Enter comes that long after the paint
    _at_sign_in(db, lambda screen: screen.set_timer(1.0, lambda: press(screen)))


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        minimal()
    elif sys.argv[1] == "floor":
        floor()
    elif sys.argv[1] == "signin":
        signin(sys.argv[2])
    elif sys.argv[1] == "enter":
        enter(sys.argv[2])
    else:
        shopfloor(sys.argv[2])
