"""The Shopfloor app: who is working, the shop's settings and clock, and the screens."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future
from datetime import date, datetime

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.db.callbacks import utc_now
from tui.db.models import Staff
from tui.db.rules import local_day
from tui.screens.queue import QueueScreen
from tui.settings import Settings


class ShopfloorApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Shopfloor"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("slash", "lookup", "Find", id="app.lookup"),
    ]

    def __init__(self, settings: Settings, guide_id: int | None = None,
                 clock: Callable[[], datetime] = utc_now, first_page: Future | None = None,
                 on_first_queue: Callable[["ShopfloorApp"], None] | None = None) -> None:
        super().__init__()
        self.settings = settings
        #: UTC now, without zone; tests freeze it.
        self.clock = clock
        #: the queue's first page, already being read while the app starts (see cli.launch)
        self.first_page = first_page
        #: called once the first queue with its rows is on screen (the benchmark times this)
        self.on_first_queue = on_first_queue
        self.user_id: int = 0
        self.user_name = ""
        self.mine = guide_id is not None
        self.set_user(guide_id)

    def today(self) -> date:
        return local_day(self.clock(), self.settings.shop.zone)

    def set_user(self, staff_id: int | None) -> None:
        """Who logs contacts. Until sign-in exists: --guide, a pick, or the first manager."""
        staff = Staff.get_or_none(Staff.id == staff_id) if staff_id is not None else None
        if staff is None:
            staff = (Staff.select().where(Staff.active == True)  # noqa: E712
                     .order_by(Staff.role.desc(), Staff.id).first())
        self.user_id = staff.id if staff else 0
        self.user_name = staff.name if staff else "nobody"

    def on_mount(self) -> None:
        self.push_screen(QueueScreen())

    def action_lookup(self) -> None:
        """Find a member, from any screen (the lookup is a modal over it)."""
        from tui.screens.lookup import LookupScreen

        if not isinstance(self.screen, LookupScreen):
            self.push_screen(LookupScreen())

    def action_register(self, prefill: dict[str, str] | None = None) -> None:
        """The register form; once saved (or a member on file chosen), that member's card."""
        from tui.screens.member import MemberScreen
        from tui.screens.member_form import MemberForm

        def done(member_id: int | None) -> None:
            if member_id is not None:
                self.push_screen(MemberScreen(member_id))

        self.push_screen(MemberForm(prefill=prefill or {}), done)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Find a member", "By phone tail, member number, name or pinyin",
                            self.action_lookup)
        yield SystemCommand("Register a member", "A new member: phone, name, gender, birthday",
                            self.action_register)
        yield SystemCommand("Queue: mine", "Today's callbacks of the person working",
                            lambda: self._show_queue(mine=True))
        yield SystemCommand("Queue: whole shop", "Every member due a call today",
                            lambda: self._show_queue(mine=False))
        yield SystemCommand("Who is working", "Pick the guide or manager at the keyboard",
                            lambda: self._queue_screen().action_pick_guide())
        yield SystemCommand("Help", "Keys and what the queue means",
                            lambda: self._queue_screen().action_help())

    def _queue_screen(self) -> QueueScreen:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, QueueScreen):
                return screen
        raise LookupError("the queue screen is not open")

    def _show_queue(self, mine: bool) -> None:
        screen = self._queue_screen()
        self.mine = mine
        screen.first_row = 0
        screen.load()
