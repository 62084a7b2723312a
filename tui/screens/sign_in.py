"""Who is at the keyboard: choose your name, type your PIN."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from tui.db.connection import demo_note
from tui.db.staff import active_staff, role_words, sign_in
from tui.i18n import N_, _
from tui.screens.base import ShopScreen, sentence
from tui.widgets.footer import ShopFooter

if TYPE_CHECKING:  # the row type only, for annotations
    from tui.db.models import Staff


class SignInScreen(ShopScreen):
    """↑↓ choose the name, type the PIN, Enter. The PIN field keeps the keyboard all along;
    ↑↓ and Enter are the screen's (priority) keys, so keys typed fast land in order.

    The highlight stays where the person put it, through a wrong PIN and a sign-out (the
    app keeps it), so a PIN is never typed against a name that moved by itself; with
    `--guide NAME` (`preselect`) the name is fixed and ↑↓ say so."""

    #: what the help says this screen is
    ABOUT = N_("↑↓ choose the name, type the PIN, Enter.")

    BINDINGS = [
        Binding("up", "move(-1)", N_("Name up"), show=False, priority=True,
                id="sign_in.name_up"),
        Binding("down", "move(1)", N_("Name down"), show=False, priority=True,
                id="sign_in.name_down"),
        Binding("enter", "enter", N_("Sign in"), priority=True, id="sign_in.enter"),
        Binding("escape", "clear", N_("Clear"), id="sign_in.clear"),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="sign_in.quit"),
        Binding("slash", "nothing", show=False, id="sign_in.nothing"),  # no archive before sign-in
    ]

    def __init__(self, preselect: str | None = None) -> None:
        super().__init__()
        self.preselect = preselect
        #: --guide NAME found on the staff list: this terminal signs in that name only
        self.fixed = False
        self.staff: list[Staff] = []
        self.checking = False

    def compose(self) -> ComposeResult:
        self.staff = active_staff(by_name=False)
        with Vertical(id="sign-in", classes="dialog"):
            yield Label(escape(self.app.settings.shop.name), id="sign-in-shop")
            yield Label(_("{name}: type the PIN · Enter").format(name=escape(self.preselect))
                        if any(s.name == self.preselect for s in self.staff)
                        else _("Who are you? ↑↓ name · type PIN · Enter"))
            yield OptionList(*[Option(f"{escape(s.name)}  · {role_words(s.role)}", id=str(s.id))
                               for s in self.staff], id="sign-in-names")
            yield Input(placeholder=_("PIN, then Enter"), password=True, restrict=r"\d{0,12}",
                        id="sign-in-pin")
            yield Static("", id="sign-in-status", markup=False)
            demo = demo_note()
            if demo is not None:  # a demo shop only: a real shop's PINs are nobody's to show
                # the demo writes its note in English, marked for the catalogue (tui/demo)
                yield Static(_(demo), id="sign-in-demo", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        names = self.query_one(OptionList)
        names.can_focus = False
        if not self.staff:
            self.say(_("Nobody active is on the staff list. Start a real shop with "
                       "shopfloor init, or build the demo shop (shopfloor demo)."))
        found = [i for i, s in enumerate(self.staff) if s.name == self.preselect]
        if self.preselect and not found:
            self.say(_("No active staff member named {name}; choose your name.")
                     .format(name=self.preselect))
        self.fixed = bool(found)
        if self.fixed:  # the other names dimmed: they cannot be chosen here
            for i in range(len(self.staff)):
                if i != found[0]:
                    names.disable_option_at_index(i)
        # else where the last person left it (the app remembers it), else the first name
        last = [i for i, s in enumerate(self.staff) if s.id == self.app.sign_in_choice]
        if self.staff:
            names.highlighted = found[0] if found else last[0] if last else 0
        self.query_one(Input).focus()
        self._placeholder()
        self.call_after_refresh(self._load_the_queue)

    @work(thread=True, group="warm-up", name=N_("Could not load the queue screen"),
          exit_on_error=False)
    def _load_the_queue(self) -> None:
        """Once this screen is painted: load the queue screen's code while a person types
        the PIN, so Enter shows the queue without loading it then."""
        import tui.screens.queue  # noqa: F401

    @property
    def chosen(self) -> Staff | None:
        index = self.query_one(OptionList).highlighted
        return self.staff[index] if self.staff and index is not None else None

    def _placeholder(self) -> None:
        if self.chosen is not None:
            self.query_one(Input).placeholder = _("{name}'s PIN, then Enter").format(
                name=self.chosen.name)

    def say(self, text: str) -> None:
        self.query_one("#sign-in-status", Static).update(text)

    def action_move(self, step: int) -> None:
        if self.fixed:
            self.say(_("This terminal signs in {name} only (--guide); type the PIN, then "
                       "Enter.").format(name=self.chosen.name))
            return
        names = self.query_one(OptionList)
        names.action_cursor_down() if step > 0 else names.action_cursor_up()
        self.query_one(Input).value = ""  # a PIN belongs to one name
        self._chose()

    @on(OptionList.OptionSelected)
    def name_clicked(self, event: OptionList.OptionSelected) -> None:
        self._chose()
        self.query_one(Input).focus()

    def _chose(self) -> None:
        """The name moved: its PIN asked for, and kept for the next sign-in screen."""
        self._placeholder()
        if self.chosen is not None:
            self.app.sign_in_choice = self.chosen.id

    def action_enter(self) -> None:
        pin = self.query_one(Input)
        pin.call_later(self.pin_typed)  # after the digits already on their way to the field

    def action_nothing(self) -> None:
        self.say(_("Sign in first: choose your name and type your PIN."))

    def action_clear(self) -> None:
        self.query_one(Input).value = ""
        self.say("")

    def pin_typed(self) -> None:
        value = self.query_one(Input).value
        if self.chosen is None or self.checking:
            return
        if not value:
            self.say(_("Type {name}'s PIN, then Enter.").format(name=self.chosen.name))
            return
        self.checking = True
        app = self.app
        # The check (scrypt, tens of ms with the GIL let go) starts on its thread at once,
        # while "Checking…" is painted; the worker below only waits for its answer.
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pin-check")
        checking = pool.submit(sign_in, self.chosen.id, value, app.clock.now(), app.settings.staff)
        pool.shutdown(wait=False)
        self.say(_("Checking…"))
        self.check(checking)

    @work(thread=True, exclusive=True, group="sign-in", name=N_("Could not check the PIN"),
          exit_on_error=False)
    def check(self, checking: Future[Staff]) -> None:
        staff = checking.result()  # a wrong PIN raises here, and job_failed says so
        self.app.call_from_thread(self.app.signed_in, staff)

    def job_failed(self, words: str, worker: Worker) -> None:
        """A wrong PIN, a lock, a busy database: said under the PIN, which is cleared."""
        self.checking = False
        name = self.chosen.name if self.chosen is not None else ""
        # the line names whose PIN it was, so a wrong name is seen at once
        self.say(sentence(words) if name in words
                 else _("{name}: {words}").format(name=name, words=words) if name
                 else sentence(words))
        pin = self.query_one(Input)
        pin.value = ""
        pin.focus()
