"""Products from a file: matched by barcode; a new one made with its brand, category,
stage, unit, price and days per unit; one on file given only what it lacks (days per
unit above all, which the running-out call needs). A consumable without days per unit
comes in all the same: the products screen lists it (u) for the manager to fill in."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from tui.db.audit import require_manager
from tui.db.imports.batches import DOING, ImportError_, Refusal, new_batch
from tui.db.models import ImportBatch, Product, database
from tui.i18n import _, ngettext
from tui.intake.progress import Progress
from tui.settings import Settings

#: what an import may give a product on file that lacks it
FILLS = ("days_per_unit", "stage", "spec", "brand", "category", "unit")


@dataclass(frozen=True)
class ProductIn:
    row: int
    barcode: str
    name: str
    price_cents: int
    brand: str | None = None
    category: str | None = None
    spec: str | None = None
    stage: int | None = None
    unit: str | None = None
    days_per_unit: float | None = None


@dataclass
class ProductPlan:
    new: list[ProductIn] = field(default_factory=list)
    fill: dict[int, dict[str, object]] = field(default_factory=dict)  #: product id → fields
    same: int = 0
    refused: list[Refusal] = field(default_factory=list)
    notes: list[Refusal] = field(default_factory=list)

    @property
    def refused_rows(self) -> set[int]:
        return {r.row for r in self.refused}

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "filled": len(self.fill), "unchanged": self.same,
                "refused": len(self.refused_rows),
                "missing_days": sum(1 for p in self.new if p.days_per_unit is None)}


def check_products(rows, settings: Settings,
                   progress: Progress | None = None) -> ProductPlan:
    plan = ProductPlan()
    progress = progress or Progress()
    on_file = {p.barcode: p for p in Product.select().where(Product.barcode.is_null(False))}
    for done, row in enumerate(rows, 1):
        progress("checking", done, len(rows))
        if row.days_per_unit is not None and not 0 < row.days_per_unit <= 3650:
            plan.refused.append(Refusal(row.row, "days", str(row.days_per_unit),
                                        _("days one unit lasts, from more than 0 to 3650"),
                                        _("check the number, or leave it empty")))
            continue
        held = on_file.get(row.barcode)
        if held is None:
            plan.new.append(row)
            continue
        fill = {}
        for name in FILLS:
            given = getattr(row, name)
            if given in (None, "") or name == "days_per_unit" and held.durable:
                continue
            if getattr(held, name) in (None, ""):
                fill[name] = given
        if fill:
            plan.fill[held.id] = fill
        else:
            plan.same += 1
    return plan


def write_products(plan: ProductPlan, file_name: str, sha256: str, staff_id: int, now: datetime,
                   settings: Settings, *, valid_rows: bool = False,
                   progress: Progress | None = None) -> int:
    progress = progress or Progress()
    if plan.refused and not valid_rows:
        count = len(plan.refused_rows)
        raise ImportError_(ngettext(
            "{count} row cannot be brought in as it is; nothing was written (see the report)",
            "{count} rows cannot be brought in as they are; nothing was written (see the report)",
            count).format(count=count))
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        batch = new_batch("products", file_name, sha256, staff_id, now, plan.counts())
        number = (Product.select(Product.id).order_by(Product.id.desc()).scalar() or 0) + 1
        for done, row in enumerate(plan.new, 1):
            progress("writing", done, len(plan.new))
            sku = row.barcode
            if Product.get_or_none(Product.sku == sku) is not None:
                while Product.get_or_none(Product.sku == f"P{number:05d}") is not None:
                    number += 1
                sku = f"P{number:05d}"
            Product.create(sku=sku, name=row.name, brand=row.brand or "",
                           category=row.category or "", unit=row.unit or "", stage=row.stage,
                           spec=row.spec, days_per_unit=row.days_per_unit, durable=False,
                           price_cents=row.price_cents, barcode=row.barcode, import_batch=batch)
        for product_id, fill in plan.fill.items():
            Product.update(**fill).where(Product.id == product_id).execute()
        ImportBatch.update(filled=json.dumps(
            {f"product:{p}": f for p, f in plan.fill.items()}, ensure_ascii=False)).where(
            ImportBatch.id == batch).execute()
        progress.finish("writing", len(plan.new))
    return batch
