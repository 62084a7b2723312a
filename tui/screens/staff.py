"""A manager's screens: the staff list (add, deactivate, reset a PIN) and the audit log.

The screens let a guide see why not; the refusal itself is in tui/db (require_manager).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static
from textual.worker import Worker

from tui.clock import shop_time
from tui.db.staff import (AuditLine, StaffLine, add_staff, audit_entries, reset_pin, role_words,
                          set_active, set_language, staff_list)
from tui.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, ngettext, use_language
from tui.reports.audit import action_words, detail_words
from tui.reports.text import fit
from tui.screens.base import ReadScreen, ShopScreen, sentence
from tui.screens.saving_form import SavingForm
from tui.widgets.footer import ShopFooter

# screens this one opens are imported where they open, for start-up time (tui/screens/__init__.py)


class StaffScreen(ShopScreen):
    """The staff (a manager's): add someone, deactivate or reactivate, reset a PIN, choose
    the language a person works in after sign-in, read the audit log."""

    #: what the help says this screen is
    ABOUT = N_("The staff (a manager's): add someone, deactivate or reactivate, reset a PIN, "
               "choose the language a person works in after sign-in, read the audit log.")
    BINDINGS = [
        Binding("escape,q", "back", N_("Back"), id="staff.back"),
        Binding("a", "add", N_("Add"), id="staff.add"),
        Binding("d", "toggle_active", N_("(De)activate"), id="staff.toggle_active"),
        Binding("r", "reset_pin", N_("Reset PIN"), id="staff.reset_pin"),
        Binding("l", "language", N_("Language"), tooltip=N_("her language after sign-in"),
                id="staff.language"),
        Binding("L", "audit", N_("Audit log"), id="staff.audit"),
    ]
    #: the columns: head, width
    COLUMNS = ((N_("Name"), 12), (N_("Role"), 8), (N_("Active"), 6), (N_("PIN"), 4),
               (N_("Language"), 8), (N_("Locked until"), 16))

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[StaffLine] = []

    def compose(self) -> ComposeResult:
        yield Static(_("Staff · a add · d deactivate or reactivate · r reset PIN · "
                       "l language · L audit log"), id="title", markup=False)
        yield DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="staff-status", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in self.COLUMNS:
            table.add_column(_(label), width=width)
        table.focus()
        self.load()

    def load(self) -> None:
        self.lines = staff_list()  # a few rows from one small table
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        zone = self.app.settings.shop.zone
        for s in self.lines:
            locked = (f"{shop_time(s.locked_until, zone):%m-%d %H:%M}"
                      if s.locked_until and s.locked_until > self.app.clock.now() else "")
            table.add_row(Text(fit(s.name, 12)), role_words(s.role),
                          _("yes") if s.active else _("no"), _("set") if s.has_pin else "—",
                          language_words(s.language), locked)
        if self.lines:
            table.move_cursor(row=min(row, len(self.lines) - 1))

    def chosen(self) -> StaffLine | None:
        if not self.lines:
            return None
        return self.lines[self.query_one(DataTable).cursor_row]

    def action_add(self) -> None:
        self.app.push_screen(StaffForm(), self._saved)

    def action_reset_pin(self) -> None:
        staff = self.chosen()
        if staff is not None:
            self.app.push_screen(PinForm(staff), self._saved)

    def _saved(self, text: str | None) -> None:
        if text:
            self.notify(text, markup=False)
            self.load()

    def action_toggle_active(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        staff = self.chosen()
        if staff is None:
            return
        question = (_("Deactivate {name}? They can no longer sign in; their history stays. "
                      "Hand their members over first (assignment).").format(name=staff.name)
                    if staff.active
                    else _("Reactivate {name}? They can sign in again.").format(name=staff.name))
        self.app.push_screen(ConfirmScreen(question, weighty=staff.active),  # deactivating
                             lambda yes: self.write_active(staff, not staff.active) if yes else None)

    def job_failed(self, words: str, worker: Worker) -> None:
        super().job_failed(sentence(words), worker)

    @work(thread=True, exclusive=True, group="staff-write", name=N_("Not saved"),
          exit_on_error=False)
    def write_active(self, staff: StaffLine, active: bool) -> None:
        app = self.app
        set_active(staff.id, active, app.user_id, app.clock.now())
        app.call_from_thread(self._saved, (_("{name} reactivated.") if active
                                           else _("{name} deactivated.")).format(name=staff.name))

    def action_language(self) -> None:
        """The highlighted person's language after sign-in: the shop's, then each other
        language in turn; the person signed in speaks hers at once."""
        staff = self.chosen()
        if staff is None:
            return
        shops = self.app.settings.shop.language
        choices = [None] + [code for code in LANGUAGES if code != shops]
        now = choices[(choices.index(staff.language) + 1) % len(choices)
                      if staff.language in choices else 0]
        self.write_language(staff, now)

    @work(thread=True, exclusive=True, group="staff-write", name=N_("Not saved"),
          exit_on_error=False)
    def write_language(self, staff: StaffLine, code: str | None) -> None:
        app = self.app
        set_language(staff.id, code, app.user_id, app.clock.now())
        app.call_from_thread(self._language_set, staff, code)

    def _language_set(self, staff: StaffLine, code: str | None) -> None:
        app = self.app
        own = staff.id == app.user_id
        if own:  # her own: every screen from here on speaks it, this one built anew
            use_language(code or app.settings.shop.language)
        words = _("{name} works in {language} after sign-in.").format(
            name=staff.name, language=language_words(code))
        if own:
            app.notify(words, markup=False)
            app.language_changed(then=lambda: app.push_screen(StaffScreen()))
            return
        self._saved(words)

    def action_audit(self) -> None:
        self.app.push_screen(AuditScreen())

    def action_back(self) -> None:
        self.app.pop_screen()


class StaffForm(SavingForm):
    """A new guide or manager with a first PIN, typed twice."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), priority=True, id="staff_form.save"),
                Binding("escape", "cancel", N_("Cancel"), id="staff_form.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="staff-form", classes="dialog flat small-form"):
            yield Label(_("New member of staff"), id="form-title")
            digits = {"password": True, "restrict": r"\d{0,12}"}
            for label, field, extra in ((_("Name"), "name", {}),
                                        (_("Role 1 guide / 2 manager"), "role",
                                         {"restrict": r"[12]?", "value": "1"}),
                                        (_("PIN"), "pin", digits),
                                        (_("PIN again"), "pin2", digits)):
                with Horizontal(classes="form-field"):
                    yield Label(label, classes="form-label")
                    yield Input(id=f"s-{field}", **extra)
            yield Static(_("Tab next · ctrl+s save · Esc cancel"), id="staff-form-status",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one("#s-name", Input).focus()

    def show_status(self, text: str) -> None:
        self.query_one("#staff-form-status", Static).update(text)

    def value(self, field: str) -> str:
        return self.query_one(f"#s-{field}", Input).value

    def action_save(self) -> None:
        if self.value("pin") != self.value("pin2"):
            self.show_status(_("The two PINs differ; type the same PIN twice."))
            return
        app = self.app
        name, role, pin = self.value("name"), {"2": "manager"}.get(self.value("role"), "guide"), self.value("pin")

        def write() -> str:
            add_staff(name, role, pin, app.user_id, app.clock.now(), app.settings.staff)
            return _("{name} added as {role}.").format(name=name.strip(), role=role_words(role))

        self.save_with(write)

    def action_cancel(self) -> None:
        self.cancel_form(bool(self.value("name").strip() or self.value("pin")),
                         _("Discard this new member of staff?"), None)


class PinForm(SavingForm):
    """A new PIN for one member of staff, typed twice; it also lifts a lock."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), priority=True, id="pin_form.save"),
                Binding("escape", "cancel", N_("Cancel"), id="pin_form.cancel")]

    def __init__(self, staff: StaffLine) -> None:
        super().__init__()
        self.staff = staff

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-form", classes="dialog flat small-form"):
            yield Label(_("New PIN for {name}").format(name=self.staff.name), id="form-title",
                        markup=False)
            for label, field in ((_("PIN"), "pin"), (_("PIN again"), "pin2")):
                with Horizontal(classes="form-field"):
                    yield Label(label, classes="form-label")
                    yield Input(id=f"p-{field}", password=True, restrict=r"\d{0,12}")
            yield Static(_("Tab next · ctrl+s save · Esc cancel"), id="pin-form-status",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one("#p-pin", Input).focus()

    def show_status(self, text: str) -> None:
        self.query_one("#pin-form-status", Static).update(text)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "p-pin":
            self.focus_next()
        else:
            self.action_save()

    def action_save(self) -> None:
        pin, again = (self.query_one(f"#p-{f}", Input).value for f in ("pin", "pin2"))
        if pin != again:
            self.show_status(_("The two PINs differ; type the same PIN twice."))
            return
        app, staff = self.app, self.staff

        def write() -> str:
            reset_pin(staff.id, pin, app.user_id, app.clock.now(), app.settings.staff)
            return _("{name}'s PIN is set; any lock is lifted.").format(name=staff.name)

        self.save_with(write)

    def action_cancel(self) -> None:
        self.cancel_form(bool(self.query_one("#p-pin", Input).value), _("Discard the new PIN?"),
                         None)


class AuditScreen(ReadScreen):
    """Who did what, newest first; ] reads older lines."""

    #: what the help says this screen is
    ABOUT = N_("Who did what, newest first; ] reads older lines.")

    reading = N_("the audit log")

    BINDINGS = [Binding("escape,q", "back", N_("Back"), id="audit.back"),
                Binding("right_square_bracket", "older", N_("Older"), id="audit.older")]
    #: the columns: head, width
    COLUMNS = ((N_("When"), 11), (N_("Who"), 8), (N_("What"), 16), (N_("On"), 10),
               (N_("Detail"), 60))

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[AuditLine] = []
        self.oldest_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Audit log · newest first"), id="title", markup=False)
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-status", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in self.COLUMNS:
            table.add_column(_(label), width=width)
        table.focus()
        self.load()

    def read_page(self) -> list[AuditLine]:
        return audit_entries(self.app.user_id, 200, self.oldest_id)

    def job_failed(self, words: str, worker: Worker) -> None:
        self.say(sentence(words))

    def say(self, text: str) -> None:
        self.query_one("#audit-status", Static).update(text)

    def show_page(self, rows: list[AuditLine]) -> None:
        table = self.query_one(DataTable)
        zone = self.app.settings.shop.zone
        for a in rows:
            table.add_row(f"{shop_time(a.at, zone):%m-%d %H:%M}", Text(fit(a.who, 8)),
                          Text(action_words(a.action)), Text(fit(a.subject, 10)),
                          Text(fit(detail_words(a.action, a.detail), 60)))
        self.lines += rows
        if rows:
            self.oldest_id = rows[-1].id
        lines = ngettext("{n} line", "{n} lines", len(self.lines)).format(n=len(self.lines))
        self.say(_("{lines} · ] older").format(lines=lines) if len(rows) == 200 else lines)

    def action_older(self) -> None:
        if self.oldest_id is not None:
            self.load()

    def action_back(self) -> None:
        self.app.pop_screen()


def language_words(code: str | None) -> str:
    """A person's language in the staff list: its own name (中文, English), or the shop's."""
    return LANGUAGE_NAMES[code] if code in LANGUAGE_NAMES else _("shop's")
