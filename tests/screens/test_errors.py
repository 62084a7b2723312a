"""A screen's read that fails is one line on screen; a read that a newer one replaced is
dropped, its failure too."""

from __future__ import annotations

import threading

from textual.app import App
from textual.widgets import Static

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.errors import ShopfloorError
from tui.screens.base import ReadScreen


async def test_a_queue_that_cannot_be_read_says_so_in_one_line(shop, settings, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk I/O error")

    monkeypatch.setattr("tui.screens.queue.callback_queue", broken)
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        log = settings.database.path.parent / "shopfloor.log"
        said = [n.message for n in app._notifications]
        assert said == [f"Could not read the queue: disk I/O error. Try again; details in {log}."]
        assert "OSError: disk I/O error" in log.read_text(encoding="utf-8")
        assert app.screen.is_attached  # the app goes on: r reads again
        monkeypatch.undo()
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen.queue_page is not None and app.screen.queue_page.lines


class Pages(ReadScreen):
    """A page read on a worker: the first read waits for `release`, then fails."""

    reading = "the test page"

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.calls = 0
        self.shown: list[str] = []

    def compose(self):
        yield Static("")

    def read_page(self) -> str:
        self.calls += 1
        if self.calls == 1:
            self.release.wait(5)
            raise ShopfloorError("the first read failed late")
        return f"page {self.calls}"

    def show_page(self, page: str) -> None:
        self.shown.append(page)


async def test_only_the_newest_read_is_shown_and_a_late_failure_is_dropped():
    screen = Pages()

    class One(App):
        def on_mount(self) -> None:
            self.push_screen(screen)

    app = One()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen.load()  # the first read: held back
        await pilot.pause()
        screen.load()  # a newer read, done at once
        await pilot.pause(0.2)
        screen.release.set()  # the first one fails, after the newer one was shown
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.shown == ["page 2"]
        assert list(app._notifications) == []
