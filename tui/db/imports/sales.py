"""Sales from the POS's export: each line keyed by its receipt (and line, where the POS
numbers them), so the same file, or tomorrow's export overlapping today's, writes nothing
twice; matched to members by phone, then by card number; to products by code, then by
name and brand (a product new to the shop is made); to staff by name. The callbacks the
sales imply follow, as for a sale typed at the card; returns (negative quantities) take
their units and spend off again and raise no follow-up."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from tui.clock import local_day
from tui.db.audit import require_manager
from tui.db.callbacks.raising import refresh_members
from tui.db.imports.batches import DOING, ImportError_, Refusal, new_batch
from tui.db.members.archive import next_member_no
from tui.db.models import Member, Product, Purchase, PurchaseLine, Staff, database
from tui.i18n import _, ngettext
from tui.intake.progress import Progress
from tui.settings import Settings


@dataclass(frozen=True)
class SaleIn:
    """One line of a sales file, its values already read (tui.intake)."""

    row: int
    receipt: str
    sold_at: datetime  #: UTC, without zone, as every stored time
    quantity: int  #: negative for a return
    amount_cents: int  #: what was paid for the line (negative for a return)
    line_no: int | None = None
    card_no: str | None = None
    phone: str | None = None
    member_name: str | None = None
    barcode: str | None = None  #: the product's barcode (商品条码)
    sku: str | None = None  #: the product's code in the shop (商品编码)
    product_name: str | None = None
    brand: str | None = None
    category: str | None = None
    unit: str | None = None
    days_per_unit: float | None = None
    price_cents: int | None = None
    guide: str | None = None


@dataclass
class SalePlan:
    """What writing the file would do; nothing is written by working it out."""

    lines: list[tuple[SaleIn, str]] = field(default_factory=list)  #: (row, its key), to write
    kept: int = 0  #: lines on file already (an earlier import of the same sale)
    refused: list[Refusal] = field(default_factory=list)
    notes: list[Refusal] = field(default_factory=list)
    members: dict[int, int | None] = field(default_factory=dict)  #: row → member id
    new_members: dict[str, SaleIn] = field(default_factory=dict)  #: phone or card → first row
    products: dict[int, int | None] = field(default_factory=dict)  #: row → product id
    new_products: dict[tuple[str, str], SaleIn] = field(default_factory=dict)
    staff: dict[int, int | None] = field(default_factory=dict)  #: row → staff id

    @property
    def refused_rows(self) -> set[int]:
        return {r.row for r in self.refused}

    def counts(self) -> dict[str, int]:
        return {"lines": len(self.lines), "on_file": self.kept,
                "receipts": len({r.receipt for r, _k in self.lines}),
                "new_members": len(self.new_members), "new_products": len(self.new_products),
                "refused": len(self.refused_rows)}


def _product_key(row: SaleIn) -> tuple[str, str]:
    return ((row.product_name or "").strip().lower(), (row.brand or "").strip().lower())


def check_sales(rows, settings: Settings, *, create_members: bool = False,
                progress: Progress | None = None) -> SalePlan:
    plan = SalePlan()
    progress = progress or Progress()
    staff = {s.name: s.id for s in Staff.select(Staff.id, Staff.name)}
    by_phone = dict(database.execute_sql(
        "SELECT phone, id FROM member WHERE erased_at IS NULL AND phone IS NOT NULL").fetchall())
    by_card = dict(database.execute_sql(
        "SELECT pos_card_no, id FROM member WHERE pos_card_no IS NOT NULL").fetchall())
    # a barcode first (the POS's 商品条码), then the shop's own code (商品编码), then the name
    by_barcode = {p.barcode: p.id for p in Product.select(Product.id, Product.barcode)
                  .where(Product.barcode.is_null(False))}
    by_sku = {p.sku.lower(): p.id for p in Product.select(Product.id, Product.sku)}
    by_name = {(p.name.lower(), p.brand.lower()): p.id
               for p in Product.select(Product.id, Product.name, Product.brand)}
    named: dict[str, list[int]] = defaultdict(list)
    for (name, _brand), product_id in by_name.items():
        named[name].append(product_id)
    by_name_alone = {name: ids[0] for name, ids in named.items() if len(ids) == 1}
    pattern = re.compile(settings.archive.phone_pattern)
    occurrences: dict[tuple, int] = defaultdict(int)
    receipts: dict[str, tuple[datetime, str | None, str | None]] = {}
    keys: list[tuple[SaleIn, str]] = []
    for done, row in enumerate(rows, 1):
        progress("checking", done, len(rows))
        problems = []
        if not row.receipt:
            problems.append(Refusal(row.row, "receipt", "", _("no receipt number"),
                                    _("every sale line needs its receipt number")))
        if row.quantity == 0:
            problems.append(Refusal(row.row, "quantity", "0", _("a quantity of 0"),
                                    _("leave the row out, or give the quantity sold")))
        elif (row.quantity > 0) != (row.amount_cents >= 0) and row.amount_cents != 0:
            problems.append(Refusal(row.row, "amount", str(row.amount_cents),
                                    _("a return's amount and quantity must both be negative"),
                                    _("check the signs of the quantity and the amount")))
        if row.phone and not pattern.fullmatch(row.phone):
            problems.append(Refusal(row.row, "phone", row.phone, _("not a mobile number here"),
                                    _("11 digits starting with 1")))
        seen = receipts.get(row.receipt)
        if seen and seen != (row.sold_at, row.phone, row.card_no):
            problems.append(Refusal(row.row, "receipt", row.receipt,
                                    _("the receipt's other lines give another time or member"),
                                    _("one receipt is one sale: check the receipt number")))
        member_id = None
        if row.phone or row.card_no:
            member_id = (by_phone.get(row.phone) if row.phone else None) or (
                by_card.get(row.card_no) if row.card_no else None)
            if member_id is None:
                if create_members and row.member_name:
                    plan.new_members.setdefault(row.phone or row.card_no, row)
                else:
                    problems.append(Refusal(
                        row.row, "phone" if row.phone else "card_no", row.phone or row.card_no,
                        _("no member with this phone or card on file"),
                        _("import the members file first, or let the import add them")))
        product_id = None
        for code in (row.barcode, row.sku):  # a POS's "barcode" is often the shop's code
            if code and product_id is None:
                product_id = by_barcode.get(code) or by_sku.get(code.lower())
        if product_id is None:
            product_id = by_name.get(_product_key(row))
        if product_id is None and not row.brand and row.product_name:
            product_id = by_name_alone.get(row.product_name.strip().lower())
        if product_id is None:
            if row.product_name:
                plan.new_products.setdefault(_product_key(row), row)
            else:
                problems.append(Refusal(row.row, "product", row.sku or "",
                                        _("no product with this code on file, and no name to "
                                          "make one"), _("give the product's name and brand")))
        if row.guide and row.guide not in staff:
            plan.notes.append(Refusal(row.row, "guide", row.guide,
                                      _("nobody of that name on the staff list"),
                                      _("the sale is brought in without a guide")))
        if problems:
            plan.refused += problems
            continue
        receipts.setdefault(row.receipt, (row.sold_at, row.phone, row.card_no))
        plan.members[row.row] = member_id
        plan.products[row.row] = product_id
        plan.staff[row.row] = staff.get(row.guide or "")
        if row.line_no is not None:
            key = f"{row.receipt}#{row.line_no}"
        else:
            what = (row.sku or row.product_name or "").lower()
            occurrences[(row.receipt, what, row.quantity)] += 1
            key = f"{row.receipt}#{what}#{row.quantity}#{occurrences[(row.receipt, what, row.quantity)]}"
        keys.append((row, key))
    on_file = _keys_on_file([k for _r, k in keys])
    for row, key in keys:
        if key in on_file:
            plan.kept += 1
        else:
            plan.lines.append((row, key))
    return plan


def _keys_on_file(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        found |= {k for (k,) in database.execute_sql(
            f"SELECT source_key FROM purchase_line WHERE source_key IN ({','.join('?' * len(chunk))})",
            tuple(chunk))}
    return found


def write_sales(plan: SalePlan, file_name: str, sha256: str, staff_id: int, now: datetime,
                settings: Settings, *, valid_rows: bool = False,
                progress: Progress | None = None) -> int:
    """Write the plan as one batch and return its id; a plan with refused rows writes
    nothing unless `valid_rows`. PROGRESS is told of each line written, and stopping it
    rolls everything back."""
    progress = progress or Progress()
    if plan.refused and not valid_rows:
        count = len(plan.refused_rows)
        raise ImportError_(ngettext(
            "{count} row cannot be brought in as it is; nothing was written (see the report)",
            "{count} rows cannot be brought in as they are; nothing was written (see the report)",
            count).format(count=count))
    zone = settings.shop.zone
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        batch = new_batch("purchases", file_name, sha256, staff_id, now, plan.counts())
        products = _make_products(plan, batch)
        members = _make_members(plan, batch, now, zone)
        purchases: dict[str, int] = {r: p for r, p in Purchase.select(
            Purchase.receipt_no, Purchase.id).where(Purchase.receipt_no.in_(
                list({row.receipt for row, _k in plan.lines}) or [""])).tuples()}
        spend: dict[int, int] = defaultdict(int)
        last: dict[int, datetime] = {}
        for done, (row, key) in enumerate(plan.lines, 1):
            progress("writing", done, len(plan.lines))
            member_id = plan.members[row.row] or members.get(row.phone or row.card_no or "")
            if row.receipt not in purchases:
                purchases[row.receipt] = Purchase.create(
                    member=member_id, staff=plan.staff[row.row], purchased_at=row.sold_at,
                    receipt_no=row.receipt, import_batch=batch).id
            product_id = plan.products[row.row] or products[_product_key(row)]
            PurchaseLine.create(purchase=purchases[row.receipt], product=product_id,
                                quantity=row.quantity, amount_cents=row.amount_cents,
                                source_key=key)
            if member_id is not None:
                spend[member_id] += row.amount_cents
                last[member_id] = max(last.get(member_id, row.sold_at), row.sold_at)
        for member_id, cents in spend.items():
            member = Member.get_by_id(member_id)
            newest = max(filter(None, (member.last_purchase_at, last[member_id])))
            Member.update(total_spend_cents=Member.total_spend_cents + cents,
                          last_purchase_at=newest).where(Member.id == member_id).execute()
        if spend:
            refresh_members(list(spend), local_day(now, zone), settings.callbacks, zone, now)
        progress.finish("writing", len(plan.lines))
    return batch


def _make_products(plan: SalePlan, batch: int) -> dict[tuple[str, str], int]:
    made = {}
    for key, row in plan.new_products.items():
        code = row.sku or row.barcode
        taken = code and Product.get_or_none(Product.sku == code) is not None
        sku = code if code and not taken else f"IMP-{batch}-{len(made) + 1}"
        price = row.price_cents if row.price_cents is not None else (
            abs(row.amount_cents) // abs(row.quantity) if row.quantity else 0)
        made[key] = Product.create(sku=sku, name=row.product_name, brand=row.brand or "",
                                   category=row.category or "", unit=row.unit or "",
                                   days_per_unit=row.days_per_unit, price_cents=price,
                                   barcode=row.barcode or None, import_batch=batch).id
    return made


def _make_members(plan: SalePlan, batch: int, now: datetime, zone) -> dict[str, int]:
    made = {}
    number = int(next_member_no()[1:])
    for key, row in plan.new_members.items():
        member = Member(member_no=f"M{number:06d}", name=row.member_name, phone=row.phone,
                        phone_tail=row.phone[-4:] if row.phone else None, pos_card_no=row.card_no,
                        joined_on=local_day(row.sold_at, zone), created_at=now,
                        import_batch=batch)
        member.save()
        number += 1
        made[key] = member.id
    return made
