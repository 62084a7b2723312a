"""A product added or edited by a manager: every field checked at once, each error in
words beside its field; the write refused to a guide and audited (tui.db.audit).

The form's text comes in as typed; what is stored: prices in fen (tui.money.parse_yuan,
never a float), a stage 1–9, days per unit a positive number or nothing (a durable good),
a barcode unique where given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from tui.db.audit import audit, require_manager
from tui.db.models import Product, database
from tui.errors import ShopfloorError
from tui.i18n import N_, _
from tui.money import Fen, parse_yuan, yuan
from tui.text import NO_CONTROLS, entered, entry_problem

#: the form's fields, in order, and their labels (translated where shown)
FIELDS = (
    ("name", N_("Product name")), ("brand", N_("Brand")), ("category", N_("Category")),
    ("stage", N_("Stage")), ("unit", N_("Unit")), ("days_per_unit", N_("Days per unit")),
    ("price", N_("Price (yuan)")), ("barcode", N_("Barcode")),
)
#: the longest text of each field
LIMITS = {"name": 60, "brand": 30, "category": 30, "unit": 12, "barcode": 32}
#: the longest a unit may last, in days: ten years
MOST_DAYS = 3650
_STAGE = re.compile(r"([1-9])\s*段?")
_BARCODE = re.compile(r"[0-9A-Za-z-]{1,32}")


class ProductErrors(ShopfloorError, ValueError):
    """What to change, by field; str() is the first problem, for one line."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        field, text = next(iter(errors.items()))
        super().__init__(f"{field}: {text}")


@dataclass(frozen=True)
class ProductValues:
    """A product's fields as they are stored."""

    name: str
    brand: str
    category: str
    stage: int | None
    unit: str
    days_per_unit: float | None
    price_cents: int
    barcode: str | None

    @property
    def durable(self) -> bool:
        return self.days_per_unit is None


def validate_product(typed: dict[str, str]) -> ProductValues:
    """The typed form as stored values, or ProductErrors naming every field to change."""
    errors: dict[str, str] = {}
    text = {f: entered(typed.get(f, "")) for f, _label in FIELDS}
    for field in ("name", "brand", "category", "unit"):
        if not text[field]:
            errors[field] = _("required")
        elif entry_problem(text[field], LIMITS[field]) == NO_CONTROLS:
            errors[field] = _("no control characters, please")
        elif len(text[field]) > LIMITS[field]:
            errors[field] = _("{n} characters; at most {limit}").format(
                n=len(text[field]), limit=LIMITS[field])
    stage = None
    if text["stage"]:
        found = _STAGE.fullmatch(unicodedata.normalize("NFKC", text["stage"]))
        if found is None:
            errors["stage"] = _("a stage from 1 to 9, such as 1 or 2段; empty if none")
        else:
            stage = int(found.group(1))
    days = None
    if text["days_per_unit"]:
        try:
            value = Decimal(unicodedata.normalize("NFKC", text["days_per_unit"]))
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or not 0 < value <= MOST_DAYS:
            errors["days_per_unit"] = _("days one unit lasts, such as 7 or 7.5, at most "
                                        "{most}; empty for durable goods").format(most=MOST_DAYS)
        else:
            days = float(value)
    price = 0
    if not text["price"]:
        errors["price"] = _("required")
    else:
        try:
            price = parse_yuan(text["price"])
        except ValueError:
            errors["price"] = _("yuan with at most two decimals, such as 358 or 358.50")
    barcode = unicodedata.normalize("NFKC", text["barcode"]).replace(" ", "") or None
    if barcode is not None and not _BARCODE.fullmatch(barcode):
        errors["barcode"] = _("digits and letters only, at most 32; empty if none")
    if errors:
        raise ProductErrors(errors)
    return ProductValues(text["name"], text["brand"], text["category"], stage, text["unit"],
                         days, price, barcode)


def _barcode_taken(barcode: str | None, product_id: int | None) -> None:
    if barcode is None:
        return
    other = Product.get_or_none(Product.barcode == barcode)
    if other is not None and other.id != product_id:
        raise ProductErrors({"barcode": _("already on {name} ({sku}); a barcode is one "
                                          "product's").format(name=other.name, sku=other.sku)})


def _new_sku(values: ProductValues) -> str:
    """The product's own code: its barcode when it has one not yet used as a code, else
    P and a number (P00031), the next free."""
    if values.barcode and Product.get_or_none(Product.sku == values.barcode) is None:
        return values.barcode
    number = (Product.select(Product.id).order_by(Product.id.desc()).scalar() or 0) + 1
    while Product.get_or_none(Product.sku == f"P{number:05d}") is not None:
        number += 1
    return f"P{number:05d}"


def _fields(values: ProductValues) -> dict:
    return {"name": values.name, "brand": values.brand, "category": values.category,
            "stage": values.stage, "unit": values.unit, "days_per_unit": values.days_per_unit,
            "durable": values.durable, "price_cents": values.price_cents,
            "barcode": values.barcode}


def _shown(field: str, value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "price_cents":
        return yuan(value, Fen.ALWAYS)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def add_product(typed: dict[str, str], actor_id: int, now: datetime) -> int:
    """A new product from the form; its id. A manager's, audited."""
    values = validate_product(typed)
    with database.atomic("IMMEDIATE"):
        manager = require_manager(actor_id, N_("add a product"))
        _barcode_taken(values.barcode, None)
        sku = _new_sku(values)
        product = Product.create(sku=sku, spec=None, **_fields(values))
        audit(manager.id, now, "product add", sku,
              f"{values.name}; {values.brand}; {values.category}; "
              f"{_shown('price_cents', values.price_cents)}")
    return product.id


def edit_product(product_id: int, typed: dict[str, str], actor_id: int, now: datetime) -> list[str]:
    """A product changed from the form; the fields changed (none: nothing written, nothing
    audited). A manager's, audited with each value before and after."""
    values = validate_product(typed)
    with database.atomic("IMMEDIATE"):
        manager = require_manager(actor_id, N_("edit a product"))
        product = Product.get_or_none(Product.id == product_id)
        if product is None:
            raise ProductErrors({"name": _("this product is no longer on file")})
        _barcode_taken(values.barcode, product_id)
        new = _fields(values)
        changed = [f for f, v in new.items()
                   if getattr(product, f) != v and not (f == "durable" and
                                                        bool(product.durable) == v)]
        if not changed:
            return []
        Product.update(**{f: new[f] for f in changed}).where(Product.id == product_id).execute()
        audit(manager.id, now, "product edit", product.sku,
              "; ".join(f"{f.removesuffix('_cents')} {_shown(f, getattr(product, f))} → "
                        f"{_shown(f, new[f])}" for f in changed))
    return changed
