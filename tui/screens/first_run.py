"""A shop's first run: the app opened on a database with nobody on the staff list asks the
shop's name and time zone (written to settings.toml) and the first manager with her PIN,
signs her in, and opens the staff screen for the guides."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static
from textual.worker import Worker

from tui.db.staff import StaffError, add_first_manager, check_pin, staff_by_id
from tui.errors import ShopfloorError
from tui.i18n import N_, _, ngettext
from tui.screens.base import ShopScreen, sentence
from tui.settings.writing import shop_name_problem, write_shop, zone_problem
from tui.widgets.footer import ShopFooter

#: the form's fields and their labels
FIELDS = (("shop", N_("Shop's name")), ("zone", N_("Time zone")),
          ("manager", N_("First manager")), ("pin", N_("Her PIN")), ("pin2", N_("PIN again")))


class FirstRunScreen(ShopScreen):
    """A new shop: its name and time zone, the first manager and her PIN twice; ctrl+s."""

    #: what the help says this screen is
    ABOUT = N_("A new shop: its name and time zone, the first manager and her PIN (twice). "
               "Tab next field · ctrl+s save; then the staff screen, to add the guides.")
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="first_run.save"),
        # a screen binding acts before the next key is read (see member_form.py)
        Binding("enter", "next_field", N_("Next"), show=False, priority=True,
                id="first_run.next_field"),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="first_run.quit"),
        # no archive before the shop has staff: / is the time zone's, not the lookup's
        Binding("slash", "nothing", show=False, id="first_run.nothing"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.saving = False
        self.saved: dict[str, str] = {}
        self.judged: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        digits = {"password": True, "restrict": r"\d{0,12}"}
        initial = {"zone": self.app.settings.shop.timezone}
        with Vertical(id="first-run", classes="dialog flat"):
            yield Label(_("A new shop begins"), id="form-title")
            yield Static(_("Nobody is on the staff list yet: name the shop and its first "
                           "manager. The guides come next, on the staff screen."),
                         id="first-run-about", markup=False)
            for field, label in FIELDS:
                with Horizontal(classes="form-field"):
                    yield Label(_(label), classes="form-label")
                    yield Input(initial.get(field, ""), id=f"r-{field}", max_length=60,
                                placeholder=_("such as Asia/Shanghai") if field == "zone" else "",
                                **(digits if field.startswith("pin") else {}))
                error = Static("", id=f"re-{field}", classes="field-error", markup=False)
                error.display = False
                yield error
            yield Static(_("Tab next field · ctrl+s save"), id="first-run-status", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one("#r-shop", Input).focus()

    def action_nothing(self) -> None:
        """The footer's / is the lookup's, and there is nothing to find yet."""

    def typed(self) -> dict[str, str]:
        return {f: self.query_one(f"#r-{f}", Input).value for f, _label in FIELDS}

    def show_status(self, text: str) -> None:
        self.query_one("#first-run-status", Static).update(text)

    def say(self, field: str, text: str) -> None:
        line = self.query_one(f"#re-{field}", Static)
        line.update(text)
        line.display = bool(text)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.judged = self.typed()
        for field, _label in FIELDS:
            self.say(field, errors.get(field, ""))
        if errors:
            first = next(f for f, _label in FIELDS if f in errors)
            self.query_one(f"#r-{first}", Input).focus()
            label = _(dict(FIELDS)[first])
            self.show_status(_("{n} to correct: {field} {error}").format(
                n=len(errors), field=label, error=errors[first]) if len(errors) > 1
                else _("{field}: {error}").format(field=label, error=errors[first]))

    @on(Input.Changed)
    def clear_error(self, event: Input.Changed) -> None:
        field = (event.input.id or "")[2:]
        if event.value == event.input.value and event.value != self.judged.get(field):
            self.say(field, "")

    def action_next_field(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id == "r-pin2":
            self.action_save()
        else:
            self.focus_next()

    def errors(self, values: dict[str, str]) -> dict[str, str]:
        """Every field's problem at once, in the form's words."""
        errors = {}
        if (words := shop_name_problem(values["shop"])) is not None:
            errors["shop"] = words
        if (words := zone_problem(values["zone"])) is not None:
            errors["zone"] = words
        if not values["manager"].strip():
            errors["manager"] = _("the name is empty; type the name the staff member goes by")
        shortest = self.app.settings.staff.pin_min_length
        try:
            if not values["pin"]:  # nothing typed: what to type, not "digits only"
                raise StaffError(ngettext("a PIN has at least {n} digit",
                                          "a PIN has at least {n} digits", shortest)
                                 .format(n=shortest))
            check_pin(values["pin"], self.app.settings.staff)
        except StaffError as exc:
            errors["pin"] = str(exc)
        if "pin" not in errors and values["pin2"] != values["pin"]:
            errors["pin2"] = _("The two PINs differ; type the same PIN twice.")
        return errors

    def action_save(self) -> None:
        focused = self.focused
        (focused.call_later if isinstance(focused, Input) else self.call_later)(self.save)

    def save(self) -> None:
        if self.saving:
            return
        values = self.typed()
        errors = self.errors(values)
        self.show_errors(errors)
        if errors:
            return
        self.saving = True
        self.saved = values  # what the write is given, whatever is typed while it runs
        self.show_status(_("Saving…"))
        app = self.app
        source, now, rules = app.settings.source, app.clock.now(), app.settings.staff

        def write() -> int:
            write_shop(source, values["shop"], values["zone"])
            return add_first_manager(values["manager"], values["pin"], now, rules)

        self.run_worker(write, name=N_("Not saved"), group="first-run", thread=True,
                        exclusive=True, exit_on_error=False)

    def job_done(self, worker: Worker) -> None:
        if worker.group != "first-run":
            return
        values, app = self.saved, self.app
        settings = app.settings
        app.settings = replace(settings, shop=replace(settings.shop, name=values["shop"].strip(),
                                                      timezone=values["zone"].strip()))
        app.clock = app.clock.in_zone(app.settings.shop.zone)
        staff = staff_by_id(worker.result)
        app.notify(_("{shop} begins; {name} is signed in. Add the guides: a.").format(
            shop=app.settings.shop.name, name=staff.name), markup=False)
        app.first_manager_signed_in(staff)

    def job_failed(self, words: str, worker: Worker) -> None:
        if worker.group != "first-run":
            super().job_failed(words, worker)
            return
        self.saving = False
        error = worker.error
        if isinstance(error, StaffError):
            self.show_errors({"manager": str(error)})
        else:
            self.show_status(sentence(str(error)) if isinstance(error, ShopfloorError) else words)
