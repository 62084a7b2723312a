"""The PDCA forms, all by keys: a new plan (Plan), an adjustment (Act) and the next cycle.

Each checks what was typed in tui/db/pdca/form.py, off the UI thread, and says what to change
under the field; the write itself is a manager's, refused in tui/db to anyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static
from textual.worker import Worker

from tui.db.members.segments import BOUGHT
from tui.db.pdca.act import change_target, decide_method, reassign_targets, start_next_cycle
from tui.db.pdca.check import PlanCheck
from tui.db.pdca.form import (METHOD_CHOICES, PlanError, PlanFieldErrors, next_period_text,
                              plan_period, read_plan_form)
from tui.db.pdca.plans import create_plan, preview_plan
from tui.errors import ShopfloorError
from tui.i18n import N_, _, ngettext, pgettext
from tui.screens.confirm import ConfirmScreen
from tui.screens.saving_form import SavingForm
from tui.widgets.choice import DigitChoice
from tui.widgets.toggles import DigitToggles

KIND_CHOICES = [("brand", N_("brand")), ("product", N_("product")), ("category", N_("category")),
                ("tier", N_("tier")), ("owner", N_("owner")), ("dormant", N_("dormant"))]
VALUE_HINTS = {"brand": N_("brand, e.g. 飞鹤"), "product": N_("product SKU, e.g. FH-3"),
               "category": N_("category, e.g. formula"), "tier": N_("VIP tier, e.g. 金卡"),
               "owner": N_("the guide who owns them now"), "dormant": N_("no value needed")}


def shown_choices(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(value, label) pairs with their labels in the language spoken now."""
    return [(value, _(label)) for value, label in choices]


class FieldForm(SavingForm):
    """A form of labelled fields with an error line under each; Enter goes to the next
    field and saves from the last one; ctrl+s saves; Esc cancels (asks if typed)."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="field_form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="field_form.cancel"),
        # acted on before the next key is read, so fast typing never lands in the field left
        Binding("enter", "next_field", N_("Next"), show=False, priority=True,
                id="field_form.next_field"),
    ]
    FORM_ID = "pdca-form"
    TITLE_TEXT = ""
    KEYS = N_("Enter next field · ctrl+s save · Esc cancel")

    def fields(self) -> list[tuple[str, str, Widget]]:
        """(field, label, widget), in the order they are filled in."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id=self.FORM_ID, classes="dialog flat pdca-form"):
            yield Label(_(self.TITLE_TEXT), id="form-title", markup=False)
            for field, label, widget in self.fields():
                with Horizontal(classes="form-field", id=f"row-{field}"):
                    yield Label(label, classes="form-label")
                    widget.id = f"f-{field}"
                    yield widget
                error = Static("", id=f"e-{field}", classes="field-error", markup=False)
                error.display = False
                yield error
            yield Static(_(self.KEYS), id="pdca-form-status", markup=False)

    def show_status(self, text: str) -> None:
        self.query_one("#pdca-form-status", Static).update(text)

    def say(self, field: str, text: str) -> None:
        line = self.query_one(f"#e-{field}", Static)
        line.update(text)
        line.display = bool(text)

    def show_errors(self, errors: dict[str, str]) -> None:
        for row in self.query(".field-error"):
            field = (row.id or "")[2:]
            self.say(field, errors.get(field, ""))
        if errors:
            first = next(iter(errors))
            widget = self.query(f"#f-{first}")
            if widget:
                widget.first().focus()
            self.show_status(ngettext("{n} to correct", "{n} to correct", len(errors)).format(
                n=len(errors)))

    def show_error(self, message: str, error: Exception | None) -> None:
        if isinstance(error, PlanFieldErrors):
            self.show_errors(error.errors)
        else:
            self.show_status(message)

    def typed(self, field: str) -> str:
        return self.query_one(f"#f-{field}", Input).value

    def after_typing(self, callback: Callable[[], None]) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            focused.call_later(callback)
        else:
            callback()

    def _last_field(self) -> bool:
        shown = [w for w in self.query(".form-field > *").results()
                 if (w.id or "").startswith("f-") and w.focusable and w.parent.display]
        return bool(shown) and self.focused is shown[-1]

    def action_next_field(self) -> None:
        if self._last_field():
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        self.after_typing(self.save)

    def save(self) -> None:
        raise NotImplementedError

    def run_check(self, check: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Check what was typed on a worker (it reads the database); `then` gets the answer
        on the UI thread, or the fields get their errors."""
        if self.saving:
            return
        self.show_status(_("Checking…"))
        self._then = then
        self.run_worker(check, name=_("Could not check it"), group="pdca-check", thread=True,
                        exclusive=True, exit_on_error=False)

    def job_done(self, worker: Worker) -> None:
        if worker.group == "pdca-check":
            self._then(worker.result)
        else:
            super().job_done(worker)

    def job_failed(self, words: str, worker: Worker) -> None:
        if worker.group != "pdca-check":
            super().job_failed(words, worker)
        elif isinstance(worker.error, ShopfloorError):  # beside the field it is about
            self.show_error(words, worker.error)
        else:
            self.show_status(words)


class PlanForm(FieldForm):
    """A new plan: closes with the id of its first cycle once started, or None."""

    FORM_ID = "pdca-plan-form"
    TITLE_TEXT = N_("New PDCA plan: its targets are frozen when it starts")

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [
            ("name", pgettext("plan", "Name"), Input(placeholder=_("e.g. 飞鹤复购 12月"), max_length=40)),
            ("kind", _("Members"), DigitChoice(shown_choices(KIND_CHOICES), advance=True)),
            ("value", _("Which"), Input(placeholder=_("choose the members first"))),
            ("bought", _("Bought"), Input(placeholder=_("brand, product, category: FROM..TO, "
                                                        "e.g. 2026-05-01..2026-11-30"))),
            ("period", _("Period"), Input(_("next-month"),
                                          placeholder=_("month, next-month or FROM..TO"))),
            ("completion", _("Completion %"), Input("100", placeholder=_("contacted / targets"))),
            ("success", _("Success %"), Input(placeholder=_("bought again / contacted, e.g. 60"))),
            ("sales", _("Performance ¥"), Input(placeholder=_("sales after contact, e.g. 50000"))),
            # a method is stored as the manager reads it, in the language spoken now
            ("methods", _("Methods"), DigitToggles([(m, _(m)) for m in METHOD_CHOICES])),
            ("other", _("Other methods"), Input(placeholder=_("free text; ; between two"))),
            ("responsible", _("Responsible"), DigitChoice(
                [("owner", _("each member's owner")), ("split", _("an even split"))], "owner")),
        ]

    def on_mount(self) -> None:
        self.query_one("#f-name", Input).focus()

    @on(DigitChoice.Changed, "#f-kind")
    def kind_chosen(self, event: DigitChoice.Changed) -> None:
        # the fields stay where they are (a digit moves on at once, see DigitChoice); the
        # hints say what each kind takes
        self.query_one("#f-value", Input).placeholder = _(VALUE_HINTS.get(event.value, ""))
        self.query_one("#f-bought", Input).placeholder = (
            _("FROM..TO, e.g. 2026-05-01..2026-11-30; empty: ever") if event.value in BOUGHT
            else _("only for brand, product or category"))
        self.say("kind", "")

    def values(self) -> dict[str, str]:
        return {"name": self.typed("name"), "kind": self.query_one("#f-kind", DigitChoice).value
                or "", "value": self.typed("value"), "bought": self.typed("bought"),
                "period": self.typed("period"), "completion": self.typed("completion"),
                "success": self.typed("success"), "sales": self.typed("sales"),
                "responsible": self.query_one("#f-responsible", DigitChoice).value or ""}

    def methods(self) -> tuple[str, ...]:
        other = [m.strip() for m in self.typed("other").replace("；", ";").split(";")]
        return self.query_one("#f-methods", DigitToggles).values() + tuple(m for m in other if m)

    def save(self) -> None:
        app = self.app
        values, methods = self.values(), self.methods()

        def check():
            draft = read_plan_form(values, methods, app.settings, app.today())
            return draft, preview_plan(draft, app.settings, app.today())

        self.run_check(check, self.confirm)

    def confirm(self, answer) -> None:
        draft, freeze = answer
        self.show_errors({})
        self.show_status(self.KEYS)
        app = self.app
        question = _("Start {plan} for {first}..{last}? {targets}. They are frozen now and get "
                     "campaign calls from the first day.").format(
            plan=draft.name, first=draft.period.first_day, last=draft.period.last_day,
            targets=freeze.words)

        def answered(yes: bool) -> None:
            if yes:
                self.save_with(lambda: create_plan(draft, app.user_id, app.clock.now(),
                                                   app.settings))

        app.push_screen(ConfirmScreen(question, weighty=True), answered)

    def action_cancel(self) -> None:
        typed = any(v for k, v in self.values().items()
                    if k not in ("period", "completion", "responsible"))
        self.cancel_form(typed, _("Discard this plan? Nothing will be saved."), None)


ADJUST_KINDS = [("target", N_("a target")), ("method", N_("a method")), ("people", N_("people"))]
TARGET_CHOICES = [("completion", N_("completion %")), ("success", N_("success %")),
                  ("sales", N_("performance ¥"))]
DECISION_CHOICES = [("kept", N_("kept")), ("dropped", N_("dropped")), ("added", N_("added"))]


class AdjustForm(FieldForm):
    """Act: a target changed, a method kept / dropped / added, or people changed, each
    with why. Closes with the words of what changed, or None."""

    FORM_ID = "pdca-adjust-form"

    def __init__(self, check: PlanCheck) -> None:
        super().__init__()
        self.check = check
        self.TITLE_TEXT = _("Adjust {plan} (cycle {cycle})").format(plan=check.plan_name,
                                                                    cycle=check.cycle_number)

    def fields(self) -> list[tuple[str, str, Widget]]:
        methods = "; ".join(self.check.methods) or _("none yet")
        return [
            ("kind", _("What changed"), DigitChoice(shown_choices(ADJUST_KINDS))),
            ("figure", _("Which target"), DigitChoice(shown_choices(TARGET_CHOICES),
                                                      advance=True)),
            ("new", _("New target"), Input(placeholder=_("e.g. 90 (percent) or 40000 (yuan)"))),
            ("method", _("Method"), Input(placeholder=_("as named: {methods}").format(
                methods=methods))),
            ("decision", _("Decision"), DigitChoice(shown_choices(DECISION_CHOICES),
                                                    advance=True)),
            ("members", _("Whose targets"), Input(placeholder=_(
                "a guide's name, or member numbers M000011,M000012"))),
            ("to", _("To guide"), Input(placeholder=_("a guide's name; empty: an even split"))),
            ("why", _("Why"), Input(placeholder=_("what was learned; it is written down"),
                                    max_length=300)),
        ]

    def on_mount(self) -> None:
        self._show_kind(None)
        self.query_one("#f-kind", DigitChoice).focus()

    def _show_kind(self, kind: str | None) -> None:
        shown = {"target": ("figure", "new"), "method": ("method", "decision"),
                 "people": ("members", "to")}.get(kind, ())
        for field in ("figure", "new", "method", "decision", "members", "to"):
            self.query_one(f"#row-{field}").display = field in shown
            self.say(field, "")
        self.query_one("#row-why").display = kind is not None

    @on(DigitChoice.Changed, "#f-kind")
    def kind_chosen(self, event: DigitChoice.Changed) -> None:
        self._show_kind(event.value)
        first = {"target": "figure", "method": "method", "people": "members"}[event.value]
        self.query_one(f"#f-{first}").focus()

    def save(self) -> None:
        app, check = self.app, self.check
        kind = self.query_one("#f-kind", DigitChoice).value
        why = self.typed("why")
        if kind is None:
            self.show_status(_("What changed? 1 a target, 2 a method, 3 people."))
            return
        if kind == "target":
            figure = self.query_one("#f-figure", DigitChoice).value
            if figure is None:
                self.show_errors({"figure": _("which target: 1, 2 or 3")})
                return
            new = self.typed("new")
            self.save_with(lambda: change_target(check.plan_id, figure, new, why, app.user_id,
                                                 app.clock.now()))
        elif kind == "method":
            decision = self.query_one("#f-decision", DigitChoice).value
            if decision is None:
                self.show_errors({"decision": _("1 kept, 2 dropped or 3 added")})
                return
            method = self.typed("method")
            self.save_with(lambda: decide_method(check.plan_id, method, decision, why,
                                                 app.user_id, app.clock.now()))
        else:
            whose, to = self.typed("members").strip(), self.typed("to").strip()
            self.save_with(lambda: _reassign(check, whose, to, why, app))

    def action_cancel(self) -> None:
        typed = any(self.typed(f) for f in ("new", "method", "members", "to", "why"))
        self.cancel_form(typed, _("Discard this adjustment? Nothing will be saved."), None)


def _reassign(check: PlanCheck, whose: str, to: str, why: str, app) -> str:
    """People changed, from the form's text: a guide's name or member numbers, and the
    guide they go to (empty: the even split)."""
    from tui.db.members.card import MemberNotFound, find_member
    from tui.db.staff import staff_named

    def staff(name: str) -> int:
        found = staff_named(name, active=False)
        if found is None:
            raise PlanError(_("nobody named {name} on the staff list").format(name=name))
        return found.id

    if not whose:
        raise PlanError(_("whose targets: a guide's name, or member numbers"))
    to_id = staff(to) if to else None
    if whose[:1].upper() == "M" and whose[1:2].isdigit() or whose.replace(",", "").isdigit():
        try:
            ids = [find_member(k.strip()).id for k in whose.split(",") if k.strip()]
        except MemberNotFound as exc:
            raise PlanError(str(exc)) from None
        if to_id is None:
            raise PlanError(_("chosen members go to one guide: name them"))
        result = reassign_targets(check.cycle_id, why, app.user_id, app.clock.now(), app.settings,
                                  to_guide_id=to_id, member_ids=ids)
    else:
        result = reassign_targets(check.cycle_id, why, app.user_id, app.clock.now(), app.settings,
                                  to_guide_id=to_id, from_guide_id=staff(whose))
    return result.words


class NextCycleForm(FieldForm):
    """The next cycle's period; closes with the new cycle's id, or None."""

    FORM_ID = "pdca-next-form"

    def __init__(self, check: PlanCheck) -> None:
        super().__init__()
        self.check = check
        self.TITLE_TEXT = _("Start cycle {cycle} of {plan} from the adjusted plan").format(
            cycle=check.cycle_number + 1, plan=check.plan_name)

    def fields(self) -> list[tuple[str, str, Widget]]:
        default = next_period_text(self.check.first_day, self.check.last_day)
        return [("period", _("Period"), Input(default, placeholder=_("FROM..TO, month or "
                                                                     "next-month")))]

    def on_mount(self) -> None:
        self.query_one("#f-period", Input).focus()

    def save(self) -> None:
        app, check = self.app, self.check
        text = self.typed("period")

        def write() -> int:
            period = plan_period(text, app.today(), app.settings.shop.zone)
            return start_next_cycle(check.plan_id, period, app.user_id, app.clock.now(),
                                    app.settings)

        self.save_with(write)

    def action_cancel(self) -> None:
        self.dismiss(None)
