"""An import is one batch: what file, who, when and what it wrote, in the audit log too;
undone as a whole while no later work stands on it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tui.clock import local_day
from tui.db.archive_log import filled_fields, record_archive_change
from tui.db.audit import audit, require_manager
from tui.db.callbacks.raising import refresh_members
from tui.db.models import (AuditLog, Callback, Contact, ImportBatch, Member, MemberNote,
                           Product, Purchase, PurchaseLine, database)
from tui.errors import ShopfloorError
from tui.i18n import N_, _
from tui.settings import Settings

DOING = N_("import the shop's files")


class ImportError_(ShopfloorError, ValueError):
    """An import that cannot be done as asked; str() is the one line to show. (The
    underscore keeps it apart from Python's own ImportError.)"""


@dataclass(frozen=True)
class Refusal:
    """A row that cannot be written as it is: which row (1-based, as the spreadsheet
    numbers it, the header being row 1), which column, the value, what is wrong, what to do."""

    row: int
    column: str
    value: str
    what: str
    todo: str


@dataclass(frozen=True)
class Batch:
    id: int
    kind: str
    file_name: str
    at: datetime
    counts: dict
    undone_at: datetime | None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_batch(kind: str, file_name: str, sha256: str, staff_id: int, now: datetime,
              counts: dict) -> int:
    """The batch row and its audit line, inside the caller's transaction."""
    batch = ImportBatch.create(kind=kind, file_name=file_name, file_sha256=sha256,
                               staff=staff_id, at=now, counts=json.dumps(counts))
    audit(staff_id, now, "import", f"batch {batch.id}",
          json.dumps({"kind": kind, "file": file_name, "sha256": sha256, **counts},
                     ensure_ascii=False))
    return batch.id


def record_failure(staff_id: int | None, now: datetime, file_name: str, why: str) -> None:
    """An inbox file that could not come in, in the audit log: the next end-of-day sheet
    says so."""
    with database.atomic("IMMEDIATE"):
        audit(staff_id, now, "import failed", file_name, why)


@dataclass(frozen=True)
class DayImport:
    """An import of the day as the end-of-day sheet tells it."""

    file_name: str
    kind: str | None  #: None: it failed
    counts: dict
    why: str = ""  #: why it failed
    undone: bool = False


def imports_between(start: datetime, end: datetime) -> tuple[DayImport, ...]:
    """The batches written and the inbox files refused from START to END (UTC), in order."""
    found = [(b.at, DayImport(b.file_name, b.kind, json.loads(b.counts),
                              undone=b.undone_at is not None))
             for b in ImportBatch.select().where((ImportBatch.at >= start) & (ImportBatch.at < end))]
    found += [(a.at, DayImport(a.subject, None, {}, a.detail)) for a in AuditLog.select().where(
        (AuditLog.action == "import failed") & (AuditLog.at >= start) & (AuditLog.at < end))]
    return tuple(line for _at, line in sorted(found, key=lambda x: x[0]))


def batches(limit: int = 50) -> list[Batch]:
    return [Batch(b.id, b.kind, b.file_name, b.at, json.loads(b.counts), b.undone_at)
            for b in ImportBatch.select().order_by(ImportBatch.id.desc()).limit(limit)]


def undo_batch(batch_id: int, staff_id: int, now: datetime, settings: Settings) -> dict:
    """Take a batch's rows out again: its sale lines (and purchases left empty), the
    members and products it made. Refused, with why, once later work stands on them: a
    member it made who has since been contacted, noted, or sold to at the register, a
    product it made that a later sale uses. Returns what was taken out."""
    with database.atomic("IMMEDIATE"):
        require_manager(staff_id, DOING)
        batch = ImportBatch.get_or_none(ImportBatch.id == batch_id)
        if batch is None:
            raise ImportError_(_("no import batch {id}").format(id=batch_id))
        if batch.undone_at is not None:
            raise ImportError_(_("batch {id} was undone already, on {at:%Y-%m-%d %H:%M}")
                               .format(id=batch_id, at=batch.undone_at))
        made = [m.id for m in Member.select(Member.id).where(Member.import_batch == batch_id)]
        if made:
            used = (Contact.select(Contact.member).where(Contact.member.in_(made)).count()
                    + MemberNote.select().where(MemberNote.member.in_(made)).count()
                    + Purchase.select().where(Purchase.member.in_(made)
                                              & ((Purchase.import_batch != batch_id)
                                                 | Purchase.import_batch.is_null())).count())
            if used:
                raise ImportError_(_("batch {id} cannot be undone: members it brought in have "
                                     "been contacted, noted or sold to since; correct them "
                                     "one by one instead").format(id=batch_id))
        products = [p.id for p in Product.select(Product.id).where(Product.import_batch == batch_id)]
        if products and PurchaseLine.select().join(Purchase).where(
                PurchaseLine.product.in_(products)
                & ((Purchase.import_batch != batch_id) | Purchase.import_batch.is_null())).count():
            raise ImportError_(_("batch {id} cannot be undone: products it brought in have been "
                                 "sold since").format(id=batch_id))
        purchases = list(Purchase.select(Purchase.id, Purchase.member)
                         .where(Purchase.import_batch == batch_id))
        ids = [p.id for p in purchases]
        # what the batch added to each member already on file, taken off again
        spent = dict(database.execute_sql(
            """SELECT p.member_id, SUM(l.amount_cents) FROM purchase p
                JOIN purchase_line l ON l.purchase_id = p.id
                WHERE p.import_batch_id = ? AND p.member_id IS NOT NULL
                GROUP BY p.member_id""", (batch_id,)).fetchall())
        touched = set(spent) - set(made)
        lines = PurchaseLine.delete().where(PurchaseLine.purchase.in_(ids)).execute() if ids else 0
        if ids:
            Purchase.delete().where(Purchase.id.in_(ids)).execute()
        emptied = _empty_again(json.loads(batch.filled), staff_id, now)
        if made:
            Callback.delete().where(Callback.member.in_(made)).execute()
            Member.delete().where(Member.id.in_(made)).execute()
        if products:
            Product.delete().where(Product.id.in_(products)).execute()
        touched |= emptied
        if touched:
            _take_off(spent, touched & set(spent))
            zone = settings.shop.zone
            refresh_members(touched, local_day(now, zone), settings.callbacks, zone, now)
        ImportBatch.update(undone_at=now, undone_by=staff_id).where(
            ImportBatch.id == batch_id).execute()
        out = {"lines": lines, "purchases": len(ids), "members": len(made),
               "products": len(products), "emptied": len(emptied)}
        audit(staff_id, now, "import undone", f"batch {batch_id}", json.dumps(out))
    return out


def _empty_again(filled: dict[str, dict], staff_id: int, now: datetime) -> set[int]:
    """The fields a batch filled on members already on file, emptied again where they still
    hold what it wrote (one changed in the app since is the app's now); the members."""
    done = set()
    for key, fields in filled.items():
        if key.startswith("product:"):  # a product's fields: no archive, no calls
            product_id = int(key.split(":", 1)[1])
            Product.update(**{name: None for name in fields}).where(
                Product.id == product_id).execute()
            continue
        member = Member.get_or_none(Member.id == int(key))
        if member is None:
            continue
        before = filled_fields(member)
        for name, value in fields.items():
            held = getattr(member, name)
            if (held.isoformat() if hasattr(held, "isoformat") else held) == value:
                setattr(member, name, None)
                if name == "phone":
                    member.phone_tail = None
        member.save()
        record_archive_change(member, staff_id, now, before, filled_fields(member))
        done.add(member.id)
    return done


def _take_off(spent: dict[int, int], member_ids: set[int]) -> None:
    """Each member's spend less what the batch added; the newest purchase from those left."""
    for member_id in member_ids:
        Member.update(total_spend_cents=Member.total_spend_cents - spent[member_id]).where(
            Member.id == member_id).execute()
    marks = ",".join("?" * len(member_ids))
    database.execute_sql(
        f"""UPDATE member SET last_purchase_at = (SELECT MAX(p.purchased_at) FROM purchase p
                                                  WHERE p.member_id = member.id)
            WHERE id IN ({marks})""", tuple(member_ids))
