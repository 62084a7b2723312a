"""A manager's products: the table (name, brand, category, stage, unit, days one unit lasts,
price, barcode), a added and Enter edited in a form, u the consumables whose days per unit
are still missing (the running-out call needs them).

A guide is told it is a manager's (the app's action); the refusal itself is in tui/db.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Input, Label, Static
from textual.worker import Worker

from tui.db.products import (FIELDS, ProductErrors, ProductLine, add_product, edit_product,
                              product_list, validate_product)
from tui.i18n import N_, _, ngettext
from tui.money import Fen, yuan
from tui.reports.products import (category_code, category_word, days_words, price_words,
                                  stage_words, unit_code, unit_word)
from tui.reports.text import fit
from tui.screens.base import ReadScreen, sentence
from tui.screens.saving_form import SavingForm
from tui.widgets.footer import ShopFooter


class ProductsScreen(ReadScreen):
    """The products (a manager's): add, edit, and those still missing days per unit."""

    #: what the help says this screen is
    ABOUT = N_("The products (a manager's): a adds one, Enter edits the highlighted one, u shows "
               "only the consumables still missing days per unit (no running-out call without "
               "them), u again shows all.")
    reading = N_("the products")
    follows_changes = True
    BINDINGS = [
        Binding("escape,q", "back", N_("Back"), id="products.back"),
        Binding("a", "add", N_("Add"), id="products.add"),
        Binding("enter", "edit", N_("Edit"), id="products.edit", priority=True),
        Binding("u", "missing", N_("Missing days"), tooltip=N_("missing days per unit"),
                id="products.missing"),
    ]
    #: the columns: head, width
    COLUMNS = ((N_("Product"), 13), (N_("Brand"), 6), (N_("Category"), 8), (N_("Stage"), 5),
               (N_("Unit"), 5), (N_("Days"), 4), (N_("Price"), 9), (N_("Barcode"), 13))

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[ProductLine] = []
        self.missing_only = False
        self.name_width, self.brand_width = self.COLUMNS[0][1], self.COLUMNS[1][1]

    def compose(self) -> ComposeResult:
        yield Static(_("Products · a add · Enter edit · u missing days per unit"), id="title",
                     markup=False)
        yield DataTable(id="products-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="products-status", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # a wider terminal's spare columns go to the brand (up to 10), then the name (up to 30)
        spare = self.app.size.width - sum(width + 2 for _label, width in self.COLUMNS) - 4
        self.brand_width = self.COLUMNS[1][1] + min(4, max(0, spare))
        self.name_width = self.COLUMNS[0][1] + min(17, max(0, spare - 4))
        widths = (self.name_width, self.brand_width) + tuple(w for _l, w in self.COLUMNS[2:])
        for (label, _width), width in zip(self.COLUMNS, widths):
            table.add_column(_(label), width=width)
        table.focus()
        self.load()

    def read_page(self) -> list[ProductLine]:
        return product_list(missing_days=self.missing_only)

    def show_page(self, lines: list[ProductLine]) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.lines = lines
        for p in lines:
            table.add_row(Text(fit(p.name, self.name_width)), Text(fit(p.brand, self.brand_width)),
                          Text(fit(category_word(p.category), 8)), stage_words(p.stage),
                          Text(fit(unit_word(p.unit), 5)),
                          Text(days_words(p.days_per_unit, p.durable).rjust(4)),
                          Text(price_words(p.price_cents).rjust(9)), Text(p.barcode or ""),
                          key=str(p.id))
        if lines:
            table.move_cursor(row=min(row, len(lines) - 1))
        count = ngettext("{n} product", "{n} products", len(lines)).format(n=len(lines))
        if self.missing_only:
            self.say(_("{count} missing days per unit · Enter fill in · u all").format(count=count)
                     if lines else _("Every consumable has its days per unit · u all"))
        else:
            self.say(count)

    def say(self, text: str) -> None:
        self.query_one("#products-status", Static).update(text)

    def job_failed(self, words: str, worker: Worker) -> None:
        self.say(sentence(words))

    def chosen(self) -> ProductLine | None:
        if not self.lines:
            return None
        return self.lines[self.query_one(DataTable).cursor_row]

    def action_add(self) -> None:
        self.app.push_screen(ProductForm(), self._saved)

    def action_edit(self) -> None:
        product = self.chosen()
        if product is not None:
            self.app.push_screen(ProductForm(product), self._saved)

    def action_missing(self) -> None:
        self.missing_only = not self.missing_only
        self.load()

    def _saved(self, text: str | None) -> None:
        if text:
            self.notify(text, markup=False)
            self.load()

    def action_back(self) -> None:
        self.app.pop_screen()


LABELS = dict(FIELDS)
PLACEHOLDERS = {"stage": N_("1段, 2段 … for formula; empty if none"),
                "days_per_unit": N_("empty for durable goods"),
                "price": "358.00", "barcode": N_("optional")}


def typed_text(product: ProductLine | None) -> dict[str, str]:
    """The form's text of a product on file (empty for a new one)."""
    if product is None:
        return {field: "" for field, _label in FIELDS}
    return {"name": product.name, "brand": product.brand,
            "category": category_word(product.category), "stage": stage_words(product.stage),
            "unit": unit_word(product.unit),
            "days_per_unit": "" if product.days_per_unit is None else f"{product.days_per_unit:g}",
            "price": yuan(product.price_cents, Fen.ALWAYS, symbol=False, grouped=False),
            "barcode": product.barcode or ""}


class ProductForm(SavingForm):
    """A new product, or the one given edited; closes with the line to say, None if cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="product_form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="product_form.cancel"),
        # a screen binding acts before the next key is read (see member_form.py)
        Binding("enter", "next_field", N_("Next"), show=False, priority=True,
                id="product_form.next_field"),
    ]

    def __init__(self, product: ProductLine | None = None) -> None:
        super().__init__()
        self.product = product
        self.initial = typed_text(product)
        self.judged: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        title = (_("Edit {name}").format(name=escape(self.product.name)) if self.product
                 else _("New product"))
        with Vertical(id="product-form", classes="dialog flat"):
            yield Label(title, id="form-title")
            # the fields scroll under the title when their errors make them taller than the screen
            with VerticalScroll(id="product-fields"):
                for field, label in FIELDS:
                    with Horizontal(classes="form-field"):
                        yield Label(_(label), classes="form-label")
                        yield Input(self.initial[field], id=f"p-{field}", max_length=80,
                                    placeholder=_(PLACEHOLDERS.get(field, "")))
                    error = Static("", id=f"pe-{field}", classes="field-error", markup=False)
                    error.display = False
                    yield error
            yield Static(_("Tab next field · ctrl+s save · Esc cancel"), id="product-status",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one("#p-name", Input).focus()

    def typed(self) -> dict[str, str]:
        return {f: self.query_one(f"#p-{f}", Input).value for f, _label in FIELDS}

    def show_status(self, text: str) -> None:
        self.query_one("#product-status", Static).update(text)

    def say(self, field: str, text: str) -> None:
        line = self.query_one(f"#pe-{field}", Static)
        line.update(text)
        line.display = bool(text)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.judged = self.typed()
        for field, _label in FIELDS:
            self.say(field, errors.get(field, ""))
        if errors:
            first = next(f for f, _label in FIELDS if f in errors)
            self.query_one(f"#p-{first}", Input).focus()
            label = _(LABELS[first])
            self.show_status(_("{n} to correct: {field} {error}").format(
                n=len(errors), field=label, error=errors[first]) if len(errors) > 1
                else _("{field}: {error}").format(field=label, error=errors[first]))

    def show_error(self, message: str, error: Exception | None) -> None:
        if isinstance(error, ProductErrors):
            self.show_errors(error.errors)
        else:
            self.show_status(message)

    @on(Input.Changed)
    def clear_error(self, event: Input.Changed) -> None:
        field = (event.input.id or "")[2:]
        if event.value == event.input.value and event.value != self.judged.get(field):
            self.say(field, "")

    def action_next_field(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id == f"p-{FIELDS[-1][0]}":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        focused = self.focused
        (focused.call_later if isinstance(focused, Input) else self.call_later)(self.save)

    def save(self) -> None:
        if self.saving:
            return
        values = self.typed()
        # a category or unit typed in the shop's words is stored as the code rules count by
        values["category"] = category_code(values["category"])
        values["unit"] = unit_code(values["unit"])
        app, product = self.app, self.product
        try:  # the same check the write makes, at once and beside each field
            validate_product(values)
        except ProductErrors as exc:
            self.show_errors(exc.errors)
            return
        self.show_errors({})

        def write() -> str:
            if product is None:
                add_product(values, app.user_id, app.clock.now())
                return _("{name} added.").format(name=values["name"].strip())
            changed = edit_product(product.id, values, app.user_id, app.clock.now())
            return (_("{name} saved.").format(name=values["name"].strip()) if changed
                    else _("Nothing changed."))

        self.save_with(write)

    def action_cancel(self) -> None:
        self.cancel_form(self.typed() != self.initial,
                         _("Discard what you typed? Nothing will be saved."), None)
