"""Recording a sale: the purchase and its lines, the member's running totals, and the
member's callbacks (a follow-up raised, a running-out reminder replaced) in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from peewee import fn

from tui.db.callbacks import refresh_member, utc_now
from tui.db.models import Member, Product, Purchase, PurchaseLine, database
from tui.db.rules import local_day
from tui.settings import CallbackSettings


class SaleError(ValueError):
    """A sale that cannot be recorded as given; str() says what to change."""


@dataclass(frozen=True)
class SaleLine:
    product_id: int
    quantity: int
    amount_cents: int


def record_purchase(member_id: int | None, staff_id: int | None, lines: list[SaleLine],
                    rules: CallbackSettings, zone: ZoneInfo,
                    now: datetime | None = None) -> int:
    """Write one sale; return the purchase id."""
    if not lines:
        raise SaleError("a sale needs at least one line")
    for line in lines:
        if line.quantity <= 0:
            raise SaleError("quantity must be 1 or more")
        if line.amount_cents < 0:
            raise SaleError("amount cannot be negative")
    now = now or utc_now()
    with database.atomic("IMMEDIATE"):
        known = {p.id for p in Product.select(Product.id).where(
            Product.id.in_([ln.product_id for ln in lines]))}
        missing = [ln.product_id for ln in lines if ln.product_id not in known]
        if missing:
            raise SaleError(f"product {missing[0]} is not on file")
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
