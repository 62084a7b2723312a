"""Recording a sale: the purchase and its lines, the member's running totals, and the
member's callbacks (a follow-up raised, a running-out reminder replaced) in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from peewee import fn

from tui.clock import local_day
from tui.db.callbacks.raising import refresh_member
from tui.db.models import Member, Product, Purchase, PurchaseLine, database
from tui.db.pinyin import spells
from tui.errors import ShopfloorError
from tui.i18n import _
from tui.settings import CallbackSettings


class SaleError(ShopfloorError, ValueError):
    """A sale that cannot be recorded as given; str() says what to change."""


@dataclass(frozen=True)
class SaleLine:
    product_id: int
    quantity: int
    amount_cents: int


def record_purchase(member_id: int | None, staff_id: int | None, lines: list[SaleLine],
                    rules: CallbackSettings, zone: ZoneInfo,
                    now: datetime) -> int:
    """Write one sale; return the purchase id."""
    if not lines:
        raise SaleError(_("a sale needs at least one line"))
    for line in lines:
        if line.quantity <= 0:
            raise SaleError(_("quantity must be 1 or more"))
        if line.amount_cents < 0:
            raise SaleError(_("amount cannot be negative"))
    with database.atomic("IMMEDIATE"):
        known = {p.id for p in Product.select(Product.id).where(
            Product.id.in_([ln.product_id for ln in lines]))}
        missing = [ln.product_id for ln in lines if ln.product_id not in known]
        if missing:
            raise SaleError(_("product {id} is not on file").format(id=missing[0]))
        purchase = Purchase.create(member=member_id, staff=staff_id, purchased_at=now)
        PurchaseLine.insert_many([
            {"purchase": purchase.id, "product": ln.product_id, "quantity": ln.quantity,
             "amount_cents": ln.amount_cents} for ln in lines]).execute()
        if member_id is not None:
            total = sum(ln.amount_cents for ln in lines)
            Member.update(total_spend_cents=Member.total_spend_cents + total,
                          last_purchase_at=fn.MAX(fn.COALESCE(Member.last_purchase_at, now), now)
                          ).where(Member.id == member_id).execute()
            refresh_member(member_id, local_day(now, zone), rules, zone, now)
    return purchase.id


@dataclass(frozen=True)
class ProductChoice:
    product_id: int
    name: str
    brand: str
    unit: str
    price_cents: int


def _product_has(product: Product, word: str) -> bool:
    """A word typed is in the name, brand or SKU, or spells the name or brand in pinyin
    (feihe or fh for 飞鹤), as the member lookup reads a name."""
    low = word.lower()
    return (any(low in field.lower() for field in (product.name, product.brand, product.sku))
            or spells(low, product.name) or spells(low, product.brand))


def find_products(text: str, limit: int = 8) -> list[ProductChoice]:
    """Products matching every word typed, by brand and name; the catalogue is small, so
    a scan is fine (pinyin is read in Python, from the same keys as a member's name)."""
    words = text.split()
    found: list[ProductChoice] = []
    for p in Product.select().order_by(Product.brand, Product.name):
        if all(_product_has(p, word) for word in words):
            found.append(ProductChoice(p.id, p.name, p.brand, p.unit, p.price_cents))
            if len(found) == limit:
                break
    return found


def parse_quantity(text: str) -> int:
    text = text.strip()
    if not text.isdigit() or not 1 <= int(text) <= 999:
        raise SaleError(_("quantity: a whole number from 1 to 999"))
    return int(text)


def parse_amount(text: str) -> int:
    """Yuan as typed (358, 358.5, ¥1,358.00) in integer cents."""
    cleaned = re.sub(r"[¥,\s]", "", text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite():
        value = Decimal(-1)
    if value < 0 or value != value.quantize(Decimal("0.01")) or value > 1_000_000:
        raise SaleError(_("amount: yuan with at most two decimals, such as 358 or 358.50"))
    return int(value * 100)
