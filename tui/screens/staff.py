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
from tui.db.staff import (AuditLine, StaffLine, add_staff, audit_entries, reset_pin, set_active,
                          staff_list)
from tui.reports.audit import action_words, detail_words
from tui.reports.text import fit
from tui.screens.base import ReadScreen, ShopScreen, sentence
from tui.screens.saving_form import SavingForm
from tui.widgets.footer import ShopFooter

# screens this one opens are imported where they open, for start-up time (tui/screens/__init__.py)


class StaffScreen(ShopScreen):
    """The staff (a manager's): add someone, deactivate or reactivate, reset a PIN, read the
    audit log."""
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="staff.back"),
        Binding("a", "add", "Add", id="staff.add"),
        Binding("d", "toggle_active", "(De)activate", id="staff.toggle_active"),
        Binding("r", "reset_pin", "Reset PIN", id="staff.reset_pin"),
        Binding("L", "audit", "Audit log", id="staff.audit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[StaffLine] = []

    def compose(self) -> ComposeResult:
        yield Static("Staff · a add · d deactivate or reactivate · r reset PIN · L audit log",
                     id="title", markup=False)
        yield DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="staff-status", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Name", 12), ("Role", 8), ("Active", 6), ("PIN", 4), ("Locked until", 16)):
            table.add_column(label, width=width)
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
            table.add_row(Text(fit(s.name, 12)), s.role, "yes" if s.active else "no",
                          "set" if s.has_pin else "—", locked)
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
        question = (f"Deactivate {staff.name}? They can no longer sign in; their history stays. "
                    "Hand their members over first (assignment)." if staff.active
                    else f"Reactivate {staff.name}? They can sign in again.")
        self.app.push_screen(ConfirmScreen(question, weighty=staff.active),  # deactivating
                             lambda yes: self.write_active(staff, not staff.active) if yes else None)

    def job_failed(self, words: str, worker: Worker) -> None:
        super().job_failed(sentence(words), worker)

    @work(thread=True, exclusive=True, group="staff-write", name="Not saved", exit_on_error=False)
    def write_active(self, staff: StaffLine, active: bool) -> None:
        app = self.app
        set_active(staff.id, active, app.user_id, app.clock.now())
        app.call_from_thread(self._saved, f"{staff.name} {'reactivated' if active else 'deactivated'}.")

    def action_audit(self) -> None:
        self.app.push_screen(AuditScreen())

    def action_back(self) -> None:
        self.app.pop_screen()


class StaffForm(SavingForm):
    """A new guide or manager with a first PIN, typed twice."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True, id="staff_form.save"),
                Binding("escape", "cancel", "Cancel", id="staff_form.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="staff-form", classes="dialog flat small-form"):
            yield Label("New member of staff", id="form-title")
            for label, field, extra in (("Name", "name", {}),
                                        ("Role 1 guide / 2 manager", "role", {"restrict": r"[12]?", "value": "1"}),
                                        ("PIN", "pin", {"password": True, "restrict": r"\d{0,12}"}),
                                        ("PIN again", "pin2", {"password": True, "restrict": r"\d{0,12}"})):
                with Horizontal(classes="form-field"):
                    yield Label(label, classes="form-label")
                    yield Input(id=f"s-{field}", **extra)
            yield Static("Tab next · ctrl+s save · Esc cancel", id="staff-form-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#s-name", Input).focus()

    def show_status(self, text: str) -> None:
        self.query_one("#staff-form-status", Static).update(text)

    def value(self, field: str) -> str:
        return self.query_one(f"#s-{field}", Input).value

    def action_save(self) -> None:
        if self.value("pin") != self.value("pin2"):
            self.show_status("The two PINs differ; type the same PIN twice.")
            return
        app = self.app
        name, role, pin = self.value("name"), {"2": "manager"}.get(self.value("role"), "guide"), self.value("pin")

        def write() -> str:
            add_staff(name, role, pin, app.user_id, app.clock.now(), app.settings.staff)
            return f"{name.strip()} added as {role}."

        self.save_with(write)

    def action_cancel(self) -> None:
        self.cancel_form(bool(self.value("name").strip() or self.value("pin")),
                         "Discard this new member of staff?", None)


class PinForm(SavingForm):
    """A new PIN for one member of staff, typed twice; it also lifts a lock."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True, id="pin_form.save"),
                Binding("escape", "cancel", "Cancel", id="pin_form.cancel")]

    def __init__(self, staff: StaffLine) -> None:
        super().__init__()
        self.staff = staff

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-form", classes="dialog flat small-form"):
            yield Label(f"New PIN for {self.staff.name}", id="form-title", markup=False)
            for label, field in (("PIN", "pin"), ("PIN again", "pin2")):
                with Horizontal(classes="form-field"):
                    yield Label(label, classes="form-label")
                    yield Input(id=f"p-{field}", password=True, restrict=r"\d{0,12}")
            yield Static("Tab next · ctrl+s save · Esc cancel", id="pin-form-status", markup=False)

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
            self.show_status("The two PINs differ; type the same PIN twice.")
            return
        app, staff = self.app, self.staff

        def write() -> str:
            reset_pin(staff.id, pin, app.user_id, app.clock.now(), app.settings.staff)
            return f"{staff.name}'s PIN is set; any lock is lifted."

        self.save_with(write)

    def action_cancel(self) -> None:
        self.cancel_form(bool(self.query_one("#p-pin", Input).value), "Discard the new PIN?", None)


class AuditScreen(ReadScreen):
    """Who did what, newest first; ] reads older lines."""

    reading = "the audit log"

    BINDINGS = [Binding("escape,q", "back", "Back", id="audit.back"),
                Binding("right_square_bracket", "older", "Older", id="audit.older")]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[AuditLine] = []
        self.oldest_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Audit log · newest first", id="title", markup=False)
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-status", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("When", 11), ("Who", 8), ("What", 16), ("On", 10), ("Detail", 60)):
            table.add_column(label, width=width)
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
        self.say(f"{len(self.lines)} lines" + (" · ] older" if len(rows) == 200 else ""))

    def action_older(self) -> None:
        if self.oldest_id is not None:
            self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
