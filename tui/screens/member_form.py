"""Register a member in a short form, or edit every archive field of one.

Each field's error stands under it; nothing is written until all are valid. At the
register the phone comes first: once typed, a phone already on file offers that member.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Input, Label, Static

from tui.db.members.archive import (FORM_FIELDS, REGISTER_FIELDS, FieldErrors,
                                    PhoneOnFile, member_with_phone, register_member, update_member,
                                    validate_member)
from tui.i18n import N_, _
from tui.screens.confirm import ConfirmScreen
from tui.screens.saving_form import SavingForm

if TYPE_CHECKING:  # the row type only, for annotations
    from tui.db.models import Member

LABELS = dict(FORM_FIELDS)
PLACEHOLDERS = {"phone": "13812345678", "gender": N_("女 or 男"), "birthday": N_("YYYY-MM-DD"),
                "age_approx": N_("years, if the birthday is not known"),
                "email": "name@qq.com", "family": N_("e.g. 老公在外地，婆婆帮带娃")}


def stored_text(member: Member, field: str) -> str:
    value = getattr(member, field)
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class MemberForm(SavingForm):
    """Closes with the id of the member to open: the new one, the edited one, or the one
    already on file that the cashier chose instead; None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="member_form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="member_form.cancel"),
        # a screen binding acts before the next key is read, so fast typing (or a pasted
        # line) never lands in the field just left, as Input.Submitted would let it
        Binding("enter", "next_field", N_("Next"), show=False, priority=True,
                id="member_form.next_field"),
    ]

    def __init__(self, member: Member | None = None, prefill: dict[str, str] | None = None) -> None:
        super().__init__()
        self.member = member
        self.fields = tuple(f for f, _label in FORM_FIELDS) if member else REGISTER_FIELDS
        self.initial = ({f: stored_text(member, f) for f in self.fields} if member
                        else {f: (prefill or {}).get(f, "") for f in self.fields})
        self.offered: str | None = None  #: the phone whose member was already offered
        self.judged: dict[str, str] = {}  #: the values the errors shown were found in

    def compose(self) -> ComposeResult:
        title = (_("Edit {name} {member_no}").format(name=escape(self.member.name),
                                                     member_no=self.member.member_no)
                 if self.member else _("New member"))
        with Vertical(id="member-form", classes="dialog flat"):
            yield Label(title, id="form-title")
            with VerticalScroll(id="member-fields"):
                for field in self.fields:
                    with Horizontal(classes="form-field"):
                        yield Label(_(LABELS[field]), classes="form-label")
                        # a value brought in (the digits typed in the lookup) is kept:
                        # not selected on focus, where the next key would replace it
                        yield Input(self.initial[field], placeholder=_(PLACEHOLDERS.get(field, "")),
                                    id=f"f-{field}", max_length=500,
                                    select_on_focus=bool(self.member) or not self.initial[field])
                    error = Static("", id=f"e-{field}", classes="field-error", markup=False)
                    error.display = False
                    yield error
            yield Static(_("Enter next field · ctrl+s save · Esc cancel"), id="member-status",
                         markup=False)

    def on_mount(self) -> None:
        # a new member's form starts in the first field still empty; an edit at the top
        first = self.fields[0] if self.member else next(
            (f for f in self.fields if not self.initial[f]), self.fields[0])
        self.query_one(f"#f-{first}", Input).focus()

    def typed(self) -> dict[str, str]:
        return {f: self.query_one(f"#f-{f}", Input).value for f in self.fields}

    def show_status(self, text: str) -> None:
        self.query_one("#member-status", Static).update(text)

    def say(self, field: str, text: str) -> None:
        """The line under a field: its error, shown only when there is one."""
        line = self.query_one(f"#e-{field}", Static)
        line.update(text)
        line.display = bool(text)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.judged = self.typed()  # an error stays until its field's text changes from this
        for field in self.fields:
            self.say(field, errors.get(field, ""))
        if errors:
            first = next(f for f in self.fields if f in errors)
            self.query_one(f"#f-{first}", Input).focus()
            label = _(LABELS[first])
            self.show_status(_("{n} to correct: {field} {error}").format(
                n=len(errors), field=label, error=errors[first]) if len(errors) > 1
                else _("{field}: {error}").format(field=label, error=errors[first]))

    def show_error(self, message: str, error: Exception | None) -> None:
        if isinstance(error, FieldErrors):
            self.show_errors(error.errors)
        elif isinstance(error, PhoneOnFile):
            self.say("phone", str(error))
            self.offer(error)
        else:
            self.show_status(message)

    @on(Input.Changed)
    def clear_error(self, event: Input.Changed) -> None:
        field = (event.input.id or "")[2:]
        # change events of keys typed before the check may arrive after it: only the text
        # as it stands now, if it differs from what was checked, clears the error
        if (field in self.fields and event.value == event.input.value
                and event.value != self.judged.get(field)):
            self.say(field, "")

    def after_typing(self, callback) -> None:
        """Run `callback` once the focused field has taken every key typed before: keys
        reach a field through its own queue, behind the Enter or ctrl+s acted on here."""
        focused = self.focused
        if isinstance(focused, Input):
            focused.call_later(callback)
        else:
            callback()

    def action_next_field(self) -> None:
        focused = self.focused
        field = (focused.id or "")[2:] if isinstance(focused, Input) else ""
        if field == self.fields[-1]:
            self.action_save()
        else:
            self.focus_next()  # at once, so that the next keys go to the next field

    @on(Input.Blurred, "#f-phone")
    def phone_left(self, event: Input.Blurred) -> None:
        self.check_phone(event.value)

    @work(thread=True, exclusive=True, group="phone-check", name=N_("Could not check the phone"),
          exit_on_error=False)
    def check_phone(self, phone: str) -> None:
        """Once the phone is typed: is this someone already on file?"""
        if not phone.strip() or phone == self.offered:
            return
        if self.member is not None and phone == self.initial.get("phone"):
            return
        found = member_with_phone(phone)
        if found is not None and (self.member is None or found.id != self.member.id):
            self.app.call_from_thread(
                self.offer, PhoneOnFile(found.id, found.member_no, found.name, phone))

    def offer(self, found: PhoneOnFile) -> None:
        if found.phone == self.offered or not self.is_attached:
            return
        self.offered = found.phone
        self.judged["phone"] = found.phone
        self.say("phone", str(found))
        if self.member is not None:  # editing: the phone is someone else's; say so, no offer
            return
        self.app.push_screen(
            ConfirmScreen(_("{phone} is already on file: {name} {member_no}. Open that member "
                            "instead?").format(phone=found.phone, name=found.name,
                                               member_no=found.member_no)),
            lambda yes: self.dismiss(found.member_id) if yes else None)

    def action_save(self) -> None:
        self.after_typing(self.save)

    def save(self) -> None:
        if self.saving:
            return
        values, app = self.typed(), self.app
        try:  # the same check the write makes, at once and beside each field
            validate_member(values, app.today(), app.settings,
                            required=("name",) if self.member else ("phone", "name"))
        except FieldErrors as exc:
            self.show_errors(exc.errors)
            return
        self.show_errors({})
        member = self.member

        def write() -> int:
            if member is None:
                return register_member(values, app.user_id, app.clock.now(), app.settings)
            changed = {f: v for f, v in values.items() if v != self.initial[f]}
            changed.setdefault("name", values["name"])  # a name is always required
            update_member(member.id, changed, app.user_id, app.clock.now(), app.settings)
            return member.id

        self.save_with(write)

    def action_cancel(self) -> None:
        changed = self.typed() != self.initial
        self.cancel_form(changed, _("Discard what you typed? Nothing will be saved."), None)
