"""Corrections from the card (key v): the member's sale lines and contacts, newest first;
Enter puts the one highlighted right (a sale line's product, quantity or amount; a
contact's outcome), v voids it; each asks the reason. Who may is the data layer's rule
(tui.db.members.corrections): its author the same day, a manager any day."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS, OUTCOMES
from tui.db.members.corrections import (REASON_MAX, Correctable, correct_contact,
                                        correct_sale_line, correctables, void_contact,
                                        void_sale_line)
from tui.db.members.purchases import ProductChoice
from tui.i18n import N_, _, ngettext
from tui.money import Fen, yuan
from tui.reports.member import unit_word
from tui.reports.text import cell_width, fit
from tui.screens.base import ShopModal, plain
from tui.screens.sale_form import SaleForm
from tui.screens.saving_form import SavingForm
from tui.widgets.choice import DigitChoice


#: the list's lines fit its box at 80 columns (76 wide, less borders and padding)
LINE_WIDTH = 66


def entry_words(c: Correctable) -> str:
    """One line of the list, plain text: when, who, what (a long product name cut short)."""
    head = f"{c.at:%m-%d %H:%M}  {fit(c.author or '—', 6)}  "
    if c.kind == "sale":
        money = f" ×{c.quantity}  {yuan(c.amount_cents, Fen.ALWAYS)}"
        room = LINE_WIDTH - cell_width(head) - cell_width(money) - 9
        return head + fit(_("sale"), 9) + fit(c.product, room).rstrip() + money
    return (head + fit(_("contact"), 9) + _(CHANNEL_LABELS.get(c.channel, c.channel)) + " · "
            + _(OUTCOME_LABELS.get(c.outcome, c.outcome)))


class CorrectionsScreen(ShopModal):
    """Pick the sale line or contact to put right; dismissed with what was done, or None."""

    BINDINGS = [
        Binding("v", "void", N_("Void"), id="corrections.void",
                tooltip=N_("void the highlighted sale line or contact (with the reason)")),
        Binding("escape", "back", N_("Back"), id="corrections.back"),
    ]

    def __init__(self, member_id: int, member_name: str) -> None:
        super().__init__()
        self.member_id, self.member_name = member_id, member_name
        self.entries: list[Correctable] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="corrections", classes="dialog"):
            yield Label(_("Correct or void · {name}").format(name=plain(self.member_name)),
                        id="form-title")
            yield OptionList(id="corrections-list")
            yield Static(_("Reading…"), id="corrections-status", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        app = self.app
        who, zone, now = app.user_id, app.settings.shop.zone, app.clock.now()
        self.run_worker(lambda: correctables(self.member_id, who, zone, now), name=_("Could not read "
                        "the sales and contacts"), group="read", thread=True, exit_on_error=False)

    def job_done(self, worker: Worker) -> None:
        if worker.group != "read":
            return
        self.entries = worker.result
        options = self.query_one(OptionList)
        options.add_options([Option(escape(entry_words(c)) if c.may_correct
                                    else f"[dim]{escape(entry_words(c))}[/dim]")
                             for c in self.entries])
        if self.entries:
            options.highlighted = 0
            self.status(_("↑↓ pick · Enter correct · v void · Esc back · dim: a manager's"))
        else:
            self.status(_("No sales or contacts on file to correct · Esc back"))

    def status(self, text: str) -> None:
        self.query_one("#corrections-status", Static).update(text)

    def _picked(self) -> Correctable | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.entries:
            return None
        entry = self.entries[index]
        if not entry.may_correct:
            self.app.refuse(entry.why_not[:1].upper() + entry.why_not[1:] + _("."))
            return None
        return entry

    @on(OptionList.OptionSelected)
    def correct(self) -> None:
        entry = self._picked()
        if entry is None:
            return
        form = (CorrectSaleForm(entry, self.member_id, self.member_name) if entry.kind == "sale"
                else CorrectContactForm(entry))
        self.app.push_screen(form, self._done)

    def action_void(self) -> None:
        entry = self._picked()
        if entry is not None:
            self.app.push_screen(VoidForm(entry), self._done)

    def _done(self, words: str | None) -> None:
        if words:
            self.dismiss(words)

    def action_back(self) -> None:
        self.dismiss(None)


class CorrectSaleForm(SaleForm):
    """The sale form on one line as it is on file: change the product, quantity or amount,
    give the reason, Enter (or ctrl+s) saves the correction."""

    HINT = N_("Tab next · Enter on the reason or ctrl+s saves · Esc cancel")
    basket_allowed = False

    def __init__(self, entry: Correctable, member_id: int, member_name: str) -> None:
        super().__init__(member_id, member_name)
        self.entry = entry

    def compose_more(self) -> ComposeResult:
        with Horizontal(classes="form-field"):
            yield Label(_("Reason"), classes="form-label")
            yield Input(placeholder=_("why: typed 1400 for 140, the wrong product…"),
                        max_length=REASON_MAX, id="sale-reason")

    def on_mount(self) -> None:
        # Textual runs the sale form's on_mount after this one (it focuses the filter): the
        # line on file is put in once both have run
        self.call_after_refresh(self._line_on_file)

    def _line_on_file(self) -> None:
        e = self.entry
        self.query_one("#sale-form").add_class("correcting")
        self.query_one("#sale-title", Label).update(
            _("Correct the sale of {at} to {name} · by {staff}").format(
                at=f"{e.at:%m-%d %H:%M}", name=escape(self.member_name),
                staff=escape(e.author or "—")))
        self.chosen = ProductChoice(e.product_id, e.product, "", e.unit, e.price_cents)
        self.amount_typed = True  # the amount on file stays unless it is typed again
        self.query_one("#sale-chosen", Static).update(
            _("{product} · {price} a {unit} (type to change it)").format(
                product=e.product, price=yuan(e.price_cents, Fen.ALWAYS), unit=unit_word(e.unit)))
        self.query_one("#sale-quantity", Input).value = str(e.quantity)
        self.query_one("#sale-amount", Input).value = yuan(e.amount_cents, Fen.ALWAYS,
                                                           symbol=False, grouped=False)
        self.query_one("#sale-amount", Input).focus()

    def after_amount(self) -> None:
        self.query_one("#sale-reason", Input).focus()

    @on(Input.Submitted, "#sale-reason")
    def reason_done(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.saving:
            return
        line = self.typed_line()
        if line is None:
            return
        app, reason, entry = self.app, self.query_one("#sale-reason", Input).value, self.entry

        def write() -> str:
            correct_sale_line(entry.entry_id, line, reason, app.user_id, app.settings.callbacks,
                              app.settings.shop.zone, app.clock.now())
            product = self.chosen.name if self.chosen else entry.product
            return _("Sale corrected: {product} ×{quantity} {amount}.").format(
                product=product, quantity=line.quantity, amount=yuan(line.amount_cents, Fen.ALWAYS))

        self.save_with(write)

    def action_cancel(self) -> None:
        self.cancel_form(bool(self.query_one("#sale-reason", Input).value.strip()),
                         _("Discard this correction? Nothing will be changed."), None)


class CorrectContactForm(SavingForm):
    """The outcome as it should have been (one digit), the reason, Enter saves."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="correct_contact.save"),
        Binding("escape", "cancel", N_("Cancel"), id="correct_contact.cancel"),
    ]

    def __init__(self, entry: Correctable) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        e = self.entry
        with Vertical(id="correct-contact", classes="dialog flat"):
            yield Label(_("Correct the contact of {at} · by {staff}").format(
                at=f"{e.at:%m-%d %H:%M}", staff=plain(e.author or "—")), id="form-title")
            yield Static(_("on file: {channel} · {outcome}").format(
                channel=_(CHANNEL_LABELS.get(e.channel, e.channel)),
                outcome=_(OUTCOME_LABELS.get(e.outcome, e.outcome))), markup=False)
            with Horizontal(classes="form-field"):
                yield Label(_("Outcome"), classes="form-label")
                yield DigitChoice([(o, _(OUTCOME_LABELS[o])) for o in OUTCOMES], None, advance=True,
                                  id="correct-outcome")
            with Horizontal(classes="form-field"):
                yield Label(_("Reason"), classes="form-label")
                yield Input(placeholder=_("why: she did answer, the wrong member…"),
                            max_length=REASON_MAX, id="correct-reason")
            yield Static(_("digit: the outcome · Enter on the reason or ctrl+s saves · Esc cancel"),
                         id="correct-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#correct-outcome", DigitChoice).focus()

    def show_status(self, text: str) -> None:
        self.query_one("#correct-status", Static).update(text)

    @on(Input.Submitted, "#correct-reason")
    def reason_done(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.saving:
            return
        outcome = self.query_one("#correct-outcome", DigitChoice).value
        if outcome is None:
            self.show_status(_("Pick the outcome it should have been: its digit, 1 to 8"))
            self.query_one("#correct-outcome", DigitChoice).focus()
            return
        app, reason, entry = self.app, self.query_one("#correct-reason", Input).value, self.entry

        def write() -> str:
            done = correct_contact(entry.entry_id, outcome, reason, app.user_id,
                                   app.settings.callbacks, app.settings.shop.zone, app.clock.now())
            words = _("Outcome corrected to {outcome}.").format(outcome=_(OUTCOME_LABELS[outcome]))
            if done.next_contact_on:
                words += " " + _("Next call {day}.").format(day=f"{done.next_contact_on:%m-%d}")
            if done.consent_kept:
                words += " " + _("The member's opt-out stays: p or x on the card changes it.")
            return words

        self.save_with(write)

    def action_cancel(self) -> None:
        typed = (self.query_one("#correct-outcome", DigitChoice).value is not None
                 or bool(self.query_one("#correct-reason", Input).value.strip()))
        self.cancel_form(typed, _("Discard this correction? Nothing will be changed."), None)


class VoidForm(SavingForm):
    """Void one sale line or contact: the reason, Enter voids."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="void_form.cancel")]

    def __init__(self, entry: Correctable) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        e = self.entry
        if e.kind == "sale" and e.lines_on_receipt == 1:
            what = _("Void this sale? It no longer counts in spend, reminders or gifts.")
        elif e.kind == "sale":
            what = _("Void this line of the receipt? The other lines stay.")
        else:
            what = _("Void this contact? The calls it answered are open again.")
        with Vertical(id="void-form", classes="dialog"):
            yield Static(entry_words(e), markup=False)
            yield Static(what, markup=False)
            yield Input(placeholder=_("the reason: the wrong member, never sold…"),
                        max_length=REASON_MAX, id="void-reason")
            yield Static(_("Enter voids · Esc cancels"), id="void-status", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def show_status(self, text: str) -> None:
        self.query_one("#void-status", Static).update(text)

    @on(Input.Submitted)
    def save(self) -> None:
        app, reason, entry = self.app, self.query_one(Input).value, self.entry
        rules, zone, now = app.settings.callbacks, app.settings.shop.zone, app.clock.now()

        def write() -> str:
            if entry.kind == "sale":
                whole = void_sale_line(entry.entry_id, reason, app.user_id, rules, zone, now)
                return _("Sale voided.") if whole else _("Line voided; the rest of the receipt stays.")
            reopened = void_contact(entry.entry_id, reason, app.user_id, rules, zone, now)
            return (ngettext("Contact voided; {n} call open again.",
                             "Contact voided; {n} calls open again.", reopened).format(n=reopened)
                    if reopened else _("Contact voided."))

        self.save_with(write)

    def action_cancel(self) -> None:
        self.cancel_form(bool(self.query_one(Input).value.strip()),
                         _("Stop without voiding? Nothing will change."), None)
