"""The products on file as a manager reads them: by category, brand and name; or only the
consumables whose days per unit are still missing (the running-out call needs them)."""

from __future__ import annotations

from dataclasses import dataclass

from tui.db.models import Product


@dataclass(frozen=True)
class ProductLine:
    id: int
    sku: str
    name: str
    brand: str
    category: str
    stage: int | None  #: a formula's stage (1段 …)
    unit: str
    days_per_unit: float | None  #: how long one unit lasts; None: durable, or not known yet
    durable: bool
    price_cents: int
    barcode: str | None
    spec: str | None = None

    @property
    def missing_days(self) -> bool:
        """A consumable whose days per unit nobody has said yet: no running-out call."""
        return self.days_per_unit is None and not self.durable


def _line(p: Product) -> ProductLine:
    return ProductLine(p.id, p.sku, p.name, p.brand, p.category, p.stage, p.unit,
                       p.days_per_unit, bool(p.durable), p.price_cents, p.barcode, p.spec)


def product_list(missing_days: bool = False) -> list[ProductLine]:
    """Every product (a shop has hundreds, not tens of thousands: one read), by category,
    brand, stage and name; with `missing_days`, the consumables without days per unit."""
    query = Product.select()
    if missing_days:
        query = query.where(Product.days_per_unit.is_null() & (Product.durable == False))  # noqa: E712
    return [_line(p) for p in query.order_by(Product.category, Product.brand, Product.stage,
                                             Product.name, Product.id)]

