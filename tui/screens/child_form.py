"""A child on the member's archive: a name (or none yet) and the birth or due date."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Input, Label, Static

from tui.db.members.archive import FieldErrors, add_child
from tui.i18n import N_, _
from tui.screens.saving_form import SavingForm


class ChildForm(SavingForm):
    """A child of the member: a name (or none yet) and the birth date, or the due date of a
    baby on the way."""
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="child_form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="child_form.cancel"),
        Binding("enter", "next_field", N_("Next"), show=False, priority=True,
                id="child_form.next_field"),  # see MemberForm
    ]

    def __init__(self, member_id: int, member_name: str) -> None:
        super().__init__()
        self.member_id, self.member_name = member_id, member_name

    def compose(self) -> ComposeResult:
        with Vertical(id="child-form", classes="dialog flat"):
            yield Label(_("A child of {name}").format(name=escape(self.member_name)), id="form-title")
            with Horizontal(classes="form-field"):
                yield Label(_("Name"), classes="form-label")
                yield Input(placeholder=_("小名 or name; empty if not named yet"), id="child_name",
                            max_length=30)
            yield Static("", id="e-child_name", classes="field-error", markup=False)
            with Horizontal(classes="form-field"):
                yield Label(_("Born / due"), classes="form-label")
                yield Input(placeholder=_("YYYY-MM-DD; a day ahead is the due date"), id="child_day")
            yield Static("", id="e-child_day", classes="field-error", markup=False)
            yield Static(_("Enter next · ctrl+s save · Esc cancel"), id="child-status", markup=False)

    def on_mount(self) -> None:
        for line in self.query(".field-error"):
            line.display = False
        self.query_one("#child_name", Input).focus()

    def show_status(self, text: str) -> None:
        self.query_one("#child-status", Static).update(text)

    def show_error(self, message: str, error: Exception | None) -> None:
        if isinstance(error, FieldErrors):
            for field in ("child_name", "child_day"):
                line = self.query_one(f"#e-{field}", Static)
                line.update(error.errors.get(field, ""))
                line.display = field in error.errors
            self.query_one(f"#{next(iter(error.errors))}", Input).focus()
            self.show_status(_("Correct the field marked above."))
        else:
            self.show_status(message)

    def action_next_field(self) -> None:
        if self.focused is not None and self.focused.id == "child_day":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        focused = self.focused  # after the keys still on their way to the field (see MemberForm)
        focused.call_later(self.save) if isinstance(focused, Input) else self.save()

    def save(self) -> None:
        app = self.app
        name = self.query_one("#child_name", Input).value
        day = self.query_one("#child_day", Input).value

        def write() -> bool:
            add_child(self.member_id, name, day, app.user_id, app.clock.now(), app.settings)
            return True

        self.save_with(write)

    def action_cancel(self) -> None:
        typed = any(i.value.strip() for i in self.query(Input))
        self.cancel_form(typed, _("Discard this child? Nothing will be saved."), False)
