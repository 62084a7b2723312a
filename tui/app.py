"""The Shopfloor app: who is working, the shop's settings and clock, and the screens."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from concurrent.futures import Future
from datetime import date

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.clock import Clock
from tui.db.connection import data_version
from tui.db.privacy import Viewer, viewer_for
from tui.db.staff import staff_by_id, staff_list
from tui.errors import use_log_folder
from tui.i18n import N_, _, use_language
from tui.screens.base import ReadScreen
from tui.settings import Settings

if TYPE_CHECKING:  # for annotations only
    from tui.db.models import Staff
    from tui.screens.queue import QueueScreen

# screens this one opens are imported where they open, for start-up time (tui/screens/__init__.py)


class ShopfloorApp(App):
    #: the shared sheet first (title, dialog box, flat fields), then one per domain
    CSS_PATH = ["styles/base.tcss", "styles/queue.tcss", "styles/members.tcss",
                "styles/boards.tcss", "styles/pdca.tcss", "styles/staff.tcss",
                "styles/report.tcss", "styles/products.tcss", "styles/imports.tcss"]
    TITLE = "Shopfloor"
    BINDINGS = [
        # q quits only from the top screen, and asks first; on any other screen it is
        # that screen's Esc: two q on a card are back, then a question, never the end
        Binding("q", "quit_asked", N_("Quit"), tooltip=N_("quit (asks first)"), id="app.quit"),
        Binding("q", "esc_here", N_("Back"), tooltip=N_("back, as Esc"), id="app.back",
                show=False),
        Binding("slash", "lookup", N_("Find"), tooltip=N_("find a member"), id="app.lookup"),
        Binding("A", "assign", N_("Assign"),
                tooltip=N_("assign members (manager)"), id="app.assign", show=False),
        Binding("P", "pdca", N_("Plans"), tooltip=N_("PDCA plans"), id="app.pdca", show=False),
        Binding("question_mark", "help", N_("Help"), tooltip=N_("the keys of this screen"),
                id="app.help", show=False),
        # Textual's own, written here so that its words are ours to translate (the footer)
        Binding(App.COMMAND_PALETTE_BINDING, "command_palette", N_("palette"), show=False,
                priority=True, tooltip=N_("Open the command palette"), id="app.palette"),
    ]

    def __init__(self, settings: Settings, user_id: int | None = None,
                 clock: Clock | None = None, first_page: Future | None = None,
                 on_first_queue: Callable[["ShopfloorApp"], None] | None = None,
                 preselect: str | None = None) -> None:
        """`user_id`: someone already signed in (the tests and the benchmark); without it
        the app opens at the sign-in screen, with `preselect` (--guide NAME) chosen."""
        super().__init__()
        self.settings = settings
        use_language(settings.shop.language)  #: the shop's; a person's own after sign-in
        use_log_folder(settings.database.path.parent)  #: a fault's traceback: shopfloor.log
        #: the one clock: `clock.now()` (UTC) and `clock.today()` (the shop's day); tests freeze it
        self.clock = (clock or Clock()).in_zone(settings.shop.zone)
        #: the queue's first page, already being read while the app starts (see cli.launch)
        self.first_page = first_page
        #: called once the first queue with its rows is on screen (the benchmark times this)
        self.on_first_queue = on_first_queue
        self.preselect = preselect
        self.user_id: int = 0
        self.user_name = ""
        self.user_role = ""
        self.mine = True  #: the queue shows the signed-in guide's callbacks, not the shop's
        #: the staff id the sign-in screen highlights: where the last person left it
        self.sign_in_choice: int | None = None
        self._signed_in_at_start = user_id
        self._data_version: int | None = None  #: the file's change counter when last looked

    def today(self) -> date:
        return self.clock.today()

    @property
    def is_manager(self) -> bool:
        return self.user_role == "manager"

    @property
    def may_see_shop(self) -> bool:
        """A manager always; a guide when the settings allow it."""
        return self.is_manager or self.settings.staff.guides_see_whole_shop

    @property
    def viewer(self) -> Viewer:
        """Who is looking, for what of a member they may see (tui.db.privacy)."""
        return viewer_for(self.user_id, self.user_role, self.settings.staff)

    def refuse(self, words: str, severity: str = "warning") -> None:
        """Say why not in one line, and write the refused attempt to the audit log."""
        self.notify(words, severity=severity, markup=False)
        self.record_refusal(words)

    def record_refusal(self, words: str) -> None:
        """A refused attempt, in the audit log with who and where from; on a thread, as every
        write (tui.db.audit.record_refusal)."""
        from tui.db.audit import record_refusal

        who, now = self.user_id or None, self.clock.now()
        self.run_worker(lambda: record_refusal(who, now, words), thread=True, group="refusal",
                        name=_("Could not write the refusal to the audit log"),
                        exit_on_error=False)

    def set_user(self, staff: Staff) -> None:
        from tui.db.backups.sessions import APP, describe

        self.user_id, self.user_name, self.user_role = staff.id, staff.name, staff.role
        self.mine = staff.role != "manager"
        describe(APP, person=staff.name)  # what a restore that must wait says

    def signed_in(self, staff: Staff) -> None:
        """The PIN was right: this person works the queue until they sign out."""
        from tui.screens.queue import QueueScreen

        self.set_user(staff)
        self.speak_own_language(staff)
        self.switch_screen(QueueScreen())

    def speak_own_language(self, staff: Staff | None) -> None:
        """Her own language after sign-in, else the shop's (and the shop's for nobody)."""
        own = getattr(staff, "language", None) if staff is not None else None
        use_language(own or self.settings.shop.language)

    def language_changed(self, then: Callable[[], None] | None = None) -> None:
        """The person working now speaks another language (use_language was called): the
        screens open are built again in it, from a fresh queue (what was open on it closes),
        then `then` opens what she was on."""
        from tui.screens.queue import QueueScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(QueueScreen())
        if then is not None:
            self.call_later(then)

    def action_sign_out(self) -> None:
        """Back to the sign-in screen; whatever was open closes first."""
        from tui.screens.sign_in import SignInScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.user_id, self.user_name, self.user_role = 0, "", ""
        self.speak_own_language(None)  # the sign-in screen speaks the shop's language
        self.switch_screen(SignInScreen(self.preselect))  # --guide NAME holds for the next

    def on_mount(self) -> None:
        # everything loaded so far lives as long as the app: out of the collector's sight,
        # a full collection takes ~10 ms instead of ~60 ms in the middle of a key press
        import gc

        if self.settings.keys:
            self.use_keys(self.settings.keys)
        gc.freeze()
        from tui.files import exposure_warning

        loose = exposure_warning(self.settings.database.path, self.settings.database.file_group)
        if loose:
            self.notify(loose, title=_("Files others can read"),
                        severity="warning", timeout=20, markup=False)
        staff = (staff_by_id(self._signed_in_at_start)
                 if self._signed_in_at_start is not None else None)
        self.look_for_changes()  # where the counter stands now; a change from here on counts
        if self.settings.database.refresh_seconds:
            self.set_interval(self.settings.database.refresh_seconds, self.look_for_changes,
                              name="look for changes")
        if staff is not None:
            from tui.screens.queue import QueueScreen

            self.set_user(staff)
            self.speak_own_language(staff)
            self.push_screen(QueueScreen())
        elif not staff_list():  # a new shop: its name, its first manager
            from tui.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen())
        else:
            from tui.screens.sign_in import SignInScreen

            self.push_screen(SignInScreen(self.preselect))

    def first_manager_signed_in(self, staff: Staff) -> None:
        """A new shop's first manager (the first-run screen): signed in, on the queue, and
        the staff screen over it for the guides."""
        from tui.screens.queue import QueueScreen
        from tui.screens.staff import StaffScreen

        self.set_user(staff)
        self.speak_own_language(staff)
        self.switch_screen(QueueScreen())
        self.call_later(lambda: self.push_screen(StaffScreen()))

    def look_for_changes(self) -> bool:
        """Did another session write since the last look? Then the queue, board or card on
        screen reads itself again (a form over it keeps its cursor and what was typed), and
        one covered reads itself once it is back on top. The app's timer calls this every
        `refresh_seconds`; one SQLite pragma, cheap enough for the UI thread."""
        version = data_version()
        if version is None:
            return False  # no answer now: the next look asks again
        seen, self._data_version = self._data_version, version
        if seen is None or version == seen:
            return False
        on_top = True  #: the top screen, and the one under a form or dialog, are in sight
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ReadScreen) and screen.follows_changes:
                screen.changed_elsewhere(on_top)
            if not screen.is_modal:
                on_top = False
        return True

    @property
    def on_top_screen(self) -> bool:
        """The queue or the sign-in screen (a dialog over it or not): nothing to go back to."""
        full = [s for s in self.screen_stack[1:] if not s.is_modal]  # [0]: Textual's blank one
        return len(full) <= 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit_asked":  # hidden (and not run) but on the top screen
            return self.on_top_screen
        if action == "esc_here":
            return not self.on_top_screen
        return True

    def action_quit_asked(self) -> None:
        """q on the queue: a question first, as quitting ends an SSH session too."""
        from tui.screens.confirm import ConfirmScreen

        self.push_screen(ConfirmScreen(_("Quit Shopfloor? (g signs out instead, for the next "
                                         "person.)"), weighty=True),
                         lambda yes: self.exit() if yes else None)

    async def action_esc_here(self) -> None:
        """q below the top screen does what Esc does there: back, close, cancel."""
        screen = self.screen
        for binding in screen._bindings.key_to_bindings.get("escape", ()):
            if await self.run_action(binding.action, screen):
                return

    def use_keys(self, keys: dict[str, str]) -> None:
        """The shop's [keys]: each binding id answers to the keys given instead of its own;
        an id that names no binding is said in one line, the others still apply."""
        from tui.screens.keys import keymap_problems

        problems = keymap_problems(keys, type(self))
        self.set_keymap({k: v for k, v in keys.items() if k not in problems})
        for words in problems.values():
            self.notify(words, severity="warning", timeout=15, markup=False)

    def action_help(self) -> None:
        """Help on a screen without its own: what it is (its docstring) and its keys."""
        from textual.markup import escape

        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        # a screen's ABOUT (N_-marked) in the language spoken, else its docstring's first words
        marked = getattr(type(self.screen), "ABOUT", None)
        about = _(marked) if marked else (type(self.screen).__doc__
                                          or type(self.screen).__name__).strip()
        self.push_screen(HelpScreen(escape(" ".join(about.split("\n\n")[0].split()))))

    def action_lookup(self) -> None:
        """Find a member, from any screen (the lookup is a modal over it)."""
        from tui.screens.lookup import LookupScreen

        if not self.user_id:
            return  # nobody signed in: the archive stays closed
        if not isinstance(self.screen, LookupScreen):
            self.push_screen(LookupScreen(), self._looked_up)

    def _looked_up(self, result: int | dict | None) -> None:
        if isinstance(result, dict):  # ctrl+n: register, with the phone or name typed
            self.action_register(result)

    def open_card(self, member_id: int) -> None:
        """A member's card over the current screen: how every screen opens one."""
        from tui.screens.member import MemberScreen

        self.push_screen(MemberScreen(member_id))

    def action_register(self, prefill: dict[str, str] | None = None) -> None:
        """The register form; once saved (or a member on file chosen), that member's card."""
        from tui.screens.member_form import MemberForm

        def done(member_id: int | None) -> None:
            if member_id is not None:
                self.open_card(member_id)

        self.push_screen(MemberForm(prefill=prefill or {}), done)

    def action_assign(self) -> None:
        """Even split, hand-over: a manager's (the screen says so to a guide)."""
        from tui.screens.assign import AssignScreen

        if not self.user_id or isinstance(self.screen, AssignScreen):
            return
        self.push_screen(AssignScreen())

    def action_leaderboard(self) -> None:
        from tui.screens.leaderboard import LeaderboardScreen, open_leaderboard

        if self.user_id and not isinstance(self.screen, LeaderboardScreen):
            open_leaderboard(self)

    def action_pdca(self) -> None:
        """PDCA plans: a guide reads the figures, a manager plans and adjusts."""
        from tui.screens.pdca import open_pdca

        if self.user_id:
            open_pdca(self)

    def action_end_of_day(self) -> None:
        """The end-of-day sheet, as it will print; p prints it."""
        from tui.screens.report import EodScreen

        if self.user_id and not isinstance(self.screen, EodScreen):
            self.push_screen(EodScreen())

    def action_staff(self) -> None:
        """The staff list; a guide is told it is a manager's."""
        from tui.screens.staff import StaffScreen

        if not self.is_manager:
            self.refuse(_("The staff list is a manager's; sign in as a manager (g)."))
            return
        self.push_screen(StaffScreen())

    def action_products(self) -> None:
        """The products; a guide is told they are a manager's."""
        from tui.screens.products import ProductsScreen

        if not self.is_manager:
            self.refuse(_("The products are a manager's; sign in as a manager (g)."))
            return
        if not isinstance(self.screen, ProductsScreen):
            self.push_screen(ProductsScreen())

    def action_export(self) -> None:
        """Members, purchases, contacts, callbacks or the boards to a file for Excel: a
        manager's; the form writes it on a worker, the path is said here."""
        from tui.screens.export import ExportForm

        if not self.user_id or isinstance(self.screen, ExportForm):
            return
        if not self.is_manager:
            self.refuse(_("Exports are a manager's; sign in as a manager (g)."))
            return

        def done(exported) -> None:
            if exported is not None:
                self.notify(_("{rows} rows exported to {path}").format(
                    rows=exported.rows, path=exported.path), markup=False, timeout=15)

        self.push_screen(ExportForm(self.today()), done)

    def action_import_files(self) -> None:
        """Members, products or the POS's sales from a file: a manager's."""
        from tui.screens.imports import ImportScreen

        if not self.user_id or isinstance(self.screen, ImportScreen):
            return
        if not self.is_manager:
            self.refuse(_("Imports are a manager's; sign in as a manager (g)."))
            return
        self.push_screen(ImportScreen())

    def action_audit(self) -> None:
        from tui.screens.staff import AuditScreen

        if not self.is_manager:
            self.refuse(_("The audit log is a manager's; sign in as a manager (g)."))
            return
        self.push_screen(AuditScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands in the language spoken now, then the shop's."""
        yield SystemCommand(_("Theme"), _("Change the current theme"), self.action_change_theme)
        yield SystemCommand(_("Quit"), _("Quit the application as soon as possible"),
                            self.action_quit)
        yield SystemCommand(_("Keys"), _("The keys of this screen"), self.action_help)
        if screen.maximized is not None:
            yield SystemCommand(_("Minimize"), _("Minimize the widget and restore to normal size"),
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(_("Maximize"), _("Maximize the focused widget"),
                                screen.action_maximize)
        if not self.user_id:
            return
        yield SystemCommand(_("Find a member"), _("By phone tail, member number, name or pinyin"),
                            self.action_lookup)
        yield SystemCommand(_("Register a member"),
                            _("A new member: phone, name, gender, birthday"),
                            self.action_register)
        yield SystemCommand(_("Queue: mine"), _("Today's callbacks of the person working"),
                            lambda: self._show_queue(mine=True))
        yield SystemCommand(_("Queue: whole shop"), _("Every member due a call today"),
                            lambda: self._show_queue(mine=False))
        yield SystemCommand(_("Leaderboards"), _("Guides ranked on archives, visits, callbacks, "
                                                 "follow-up success"), self.action_leaderboard)
        yield SystemCommand(_("End-of-day sheet"), _("How the day went, to preview and print"),
                            self.action_end_of_day)
        yield SystemCommand(_("PDCA plans"), _("Plan, check and adjust: targets against "
                                               "actuals, per guide"), self.action_pdca)
        if self.is_manager:
            yield SystemCommand(_("Assign members"), _("Even split of a segment, or a hand-over"),
                                self.action_assign)
            yield SystemCommand(_("Staff"), _("Add staff, deactivate, reset a PIN, a language"),
                                self.action_staff)
            yield SystemCommand(_("Products"), _("Add and edit products; those missing days "
                                                 "per unit"), self.action_products)
            yield SystemCommand(_("Audit log"), _("Who did what, and when"), self.action_audit)
            yield SystemCommand(_("Export for Excel"),
                                _("Members, purchases, contacts, callbacks or the leaderboards "
                                  "to CSV or XLSX"), self.action_export)
        yield SystemCommand(_("Sign out"), _("Back to the sign-in screen, for the next person"),
                            self.action_sign_out)
        yield SystemCommand(_("Help"), _("Keys and what the queue means"),
                            lambda: self._queue_screen().action_help())

    def action_command_palette(self) -> None:
        """Textual's palette, its words in the language spoken now (tui/widgets/palette)."""
        from textual.command import CommandPalette

        from tui.widgets.palette import ShopPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(ShopPalette(id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from tui.widgets.palette import ShopPalette

        self.push_screen(ShopPalette(providers=[ThemeProvider],
                                     placeholder=_("Search for themes…")))

    def action_help_quit(self) -> None:
        """ctrl+c: Textual's hint of the key that quits, in the language spoken now."""
        for key, active_binding in self.active_bindings.items():
            if active_binding.binding.action in ("quit", "app.quit", "quit_asked"):
                self.notify(_("Press [b]{key}[/b] to quit the app").format(key=key),
                            title=_("Do you want to quit?"))
                return

    def _queue_screen(self) -> "QueueScreen":
        from tui.screens.queue import QueueScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, QueueScreen):
                return screen
        raise LookupError("the queue screen is not open")

    def _show_queue(self, mine: bool) -> None:
        if not mine and not self.may_see_shop:
            self.refuse(_("Guides see their own queue; a manager can allow the whole shop in "
                          "settings ([staff] guides_see_whole_shop)."))
            return
        screen = self._queue_screen()
        self.mine = mine
        screen.first_row = 0
        screen.load()
