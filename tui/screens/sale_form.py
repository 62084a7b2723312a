"""Record a sale from the member's card: pick the product as you type, quantity, amount;
ctrl+n puts the line in the basket and starts the next product: one receipt for them all."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.db.members.purchases import (ProductChoice, SaleError, SaleLine, find_products,
                                      parse_amount, parse_quantity, record_purchase)
from tui.i18n import N_, _, ngettext
from tui.money import Fen, yuan
from tui.reports.member import unit_word
from tui.screens.saving_form import SavingForm


@dataclass
class ProductsFound(Message):
    text: str
    products: list[ProductChoice]


class SaleForm(SavingForm):
    """Type to filter, ↑↓ Enter to pick, then quantity and amount; ctrl+n another product;
    ctrl+s or Enter saves the receipt."""

    #: the keys the status line names
    HINT = N_("↑↓ Enter pick · ctrl+n another product · ctrl+s save · Esc cancel")
    basket_allowed = True  #: a correction puts one line right: no basket

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="sale_form.save"),
        Binding("ctrl+n", "another", N_("Another product"), priority=True, id="sale_form.another",
                tooltip=N_("this line into the basket; pick the next product (one receipt)")),
        Binding("ctrl+r", "drop_last", N_("Drop last"), priority=True, show=False,
                id="sale_form.drop_last", tooltip=N_("take the last line out of the basket")),
        Binding("escape", "cancel", N_("Cancel"), id="sale_form.cancel"),
        Binding("down", "move(1)", N_("Down"), show=False, id="sale_form.down"),
        Binding("up", "move(-1)", N_("Up"), show=False, id="sale_form.up"),
    ]

    def __init__(self, member_id: int, member_name: str) -> None:
        super().__init__()
        self.member_id, self.member_name = member_id, member_name
        self.products: list[ProductChoice] = []
        self.chosen: ProductChoice | None = None
        self.amount_typed = False  #: once the cashier types an amount, quantity no longer sets it
        #: lines put in the basket with ctrl+n, saved with the line being typed on one receipt
        self.basket: list[tuple[ProductChoice, SaleLine]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="sale-form", classes="dialog"):
            yield Label(_("Sale to {name} · by {staff}").format(name=escape(self.member_name),
                                                                staff=escape(self.app.user_name)),
                        id="sale-title")
            yield Input(placeholder=_("product: type part of the name or brand"), id="sale-filter")
            yield OptionList(id="sale-products")
            yield Static(_("No product chosen"), id="sale-chosen", markup=False)
            yield Static("", id="sale-basket", markup=False)
            with Horizontal(classes="form-field"):
                yield Label(_("Quantity"), classes="form-label")
                yield Input("1", id="sale-quantity", restrict=r"\d{0,3}")
                yield Label(_("Amount ¥"), classes="form-label")
                yield Input("", id="sale-amount", restrict=r"[\d.,¥]*")
            yield from self.compose_more()
            yield Static(_(self.HINT), id="sale-status", markup=False)

    def compose_more(self) -> ComposeResult:
        """More fields under the amount (a correction's reason)."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#sale-products", OptionList).can_focus = False
        self.query_one("#sale-basket", Static).display = False
        self.query_one("#sale-filter", Input).focus()
        self.search("")

    # -- picking the product ---------------------------------------------------------------
    @on(Input.Changed, "#sale-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(thread=True, exclusive=True, group="products", exit_on_error=False)
    def search(self, text: str) -> None:
        self.post_message(ProductsFound(text, find_products(text)))

    @on(ProductsFound)
    def show_products(self, message: ProductsFound) -> None:
        if message.text != self.query_one("#sale-filter", Input).value:
            return
        self.products = message.products
        options = self.query_one("#sale-products", OptionList)
        options.clear_options()
        options.add_options([Option(f"{escape(p.name)}  {yuan(p.price_cents, Fen.ALWAYS)}/{unit_word(p.unit)}")
                             for p in self.products])
        if self.products:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        if self.focused is self.query_one("#sale-filter"):
            options = self.query_one("#sale-products", OptionList)
            options.action_cursor_down() if step > 0 else options.action_cursor_up()

    @on(Input.Submitted, "#sale-filter")
    def pick(self) -> None:
        index = self.query_one("#sale-products", OptionList).highlighted
        if index is None or not self.products:
            self.show_status(_("No product matches; type less of the name"))
            return
        self.chosen = self.products[index]
        self.query_one("#sale-chosen", Static).update(
            _("{product} · {price} a {unit}").format(
                product=self.chosen.name, price=yuan(self.chosen.price_cents, Fen.ALWAYS),
                unit=unit_word(self.chosen.unit)))
        self._suggest_amount()
        self.query_one("#sale-quantity", Input).focus()

    # -- quantity and amount ---------------------------------------------------------------
    @on(Input.Changed, "#sale-quantity")
    def quantity_changed(self) -> None:
        self._suggest_amount()

    @on(Input.Changed, "#sale-amount")
    def amount_changed(self) -> None:
        if self.focused is self.query_one("#sale-amount"):
            self.amount_typed = True

    def _suggest_amount(self) -> None:
        if self.chosen is None or self.amount_typed:
            return
        text = self.query_one("#sale-quantity", Input).value
        if text.isdigit():
            cents = int(text) * self.chosen.price_cents
            self.query_one("#sale-amount", Input).value = yuan(cents, Fen.ALWAYS, symbol=False,
                                                               grouped=False)

    @on(Input.Submitted, "#sale-quantity")
    def quantity_done(self) -> None:
        self.query_one("#sale-amount", Input).focus()

    @on(Input.Submitted, "#sale-amount")
    def amount_done(self) -> None:
        self.after_amount()

    def after_amount(self) -> None:
        """Enter on the amount saves the receipt (a correction moves on to the reason)."""
        self.action_save()

    def typed_line(self) -> SaleLine | None:
        """The line being typed, or None with the status saying what to change."""
        if self.chosen is None:
            self.show_status(_("Pick the product first: type, then Enter"))
            self.query_one("#sale-filter", Input).focus()
            return None
        try:
            quantity = parse_quantity(self.query_one("#sale-quantity", Input).value)
        except SaleError as exc:
            self.show_status(str(exc))
            self.query_one("#sale-quantity", Input).focus()
            return None
        try:
            amount = parse_amount(self.query_one("#sale-amount", Input).value)
        except SaleError as exc:
            self.show_status(str(exc))
            self.query_one("#sale-amount", Input).focus()
            return None
        return SaleLine(self.chosen.product_id, quantity, amount)

    # -- the basket --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("another", "drop_last") and not self.basket_allowed:
            return False
        return True

    def action_another(self) -> None:
        """The line typed into the basket; the form is ready for the next product."""
        if self.saving:
            return
        line = self.typed_line()
        if line is None:
            return
        self.basket.append((self.chosen, line))
        self.chosen, self.amount_typed = None, False
        self.query_one("#sale-chosen", Static).update(_("Next product: type, then Enter"))
        self.query_one("#sale-quantity", Input).value = "1"
        self.query_one("#sale-amount", Input).value = ""
        self.query_one("#sale-filter", Input).value = ""
        self.query_one("#sale-filter", Input).focus()
        self._show_basket()
        self.show_status(_(self.HINT))

    def action_drop_last(self) -> None:
        if self.saving or not self.basket:
            return
        product = self.basket.pop()[0]
        self._show_basket()
        self.show_status(_("{product} taken out of the basket").format(product=product.name))

    def _show_basket(self) -> None:
        rows = [f"{i}. {p.name} ×{ln.quantity}  {yuan(ln.amount_cents, Fen.ALWAYS)}"
                for i, (p, ln) in enumerate(self.basket, start=1)]
        count = len(rows)
        if count > 3:  # the form stays within 24 rows: the newest lines, and how many before
            rows = [ngettext("… {n} line before", "… {n} lines before", count - 2).format(
                n=count - 2), *rows[-2:]]
        if rows:
            total = sum(ln.amount_cents for _p, ln in self.basket)
            rows.append(ngettext("Basket: {n} line · {total} · ctrl+r takes the last out",
                                 "Basket: {n} lines · {total} · ctrl+r takes the last out",
                                 count).format(n=count, total=yuan(total, Fen.ALWAYS)))
        basket = self.query_one("#sale-basket", Static)
        basket.update("\n".join(rows))
        basket.display = bool(rows)
        self.query_one("#sale-form").set_class(bool(rows), "with-basket")

    # -- saving ------------------------------------------------------------------------------
    def show_status(self, text: str) -> None:
        self.query_one("#sale-status", Static).update(text)

    def action_save(self) -> None:
        if self.saving:
            return
        lines = [ln for _p, ln in self.basket]
        if self.chosen is not None or not lines:
            line = self.typed_line()
            if line is None:
                return
            lines.append(line)
        elif self.query_one("#sale-filter", Input).value.strip():
            # a product typed but not picked: never dropped from the receipt unsaid
            self.show_status(_("Enter picks the product typed (or clear it to save the basket)"))
            self.query_one("#sale-filter", Input).focus()
            return
        app = self.app

        def write() -> bool:
            record_purchase(self.member_id, app.user_id or None, lines, app.settings.callbacks,
                            app.settings.shop.zone, app.clock.now())
            return True

        self.save_with(write)

    def action_cancel(self) -> None:
        self.cancel_form(self.chosen is not None or bool(self.basket),
                         _("Discard this sale? Nothing will be saved."), False)
