"""Corrections: a sale line typed with the wrong product, quantity or amount, and a contact
logged with the wrong outcome, put right or voided from the card, with the reason.

Its author may correct an entry on the day it was written; a manager may correct any,
any day. Each correction is one IMMEDIATE transaction with its audit line (the entry as
it was and as it is now, JSON), and the member's callbacks are brought in line with the
rules again inside it. A voided entry is removed, its content kept in the audit line
(as an erasure keeps what it removed): every count that reads the sales and the contacts
(total spend, running-out, gifts, follow-up credit, the boards, a plan's check) then
follows without knowing about corrections.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from peewee import fn

from tui.clock import local_day, shop_time
from tui.db.audit import PermissionDenied, acting_staff, audit
from tui.db.callbacks.contacts import (OUTCOMES, apply_opt_out, next_contact_after)
from tui.db.callbacks.raising import refresh_member
from tui.db.members.purchases import SaleError, SaleLine
from tui.db.models import (AuditLog, Callback, Contact, Member, PlanSpotCheck, Product,
                           Purchase, PurchaseLine, Staff, database)
from tui.errors import ShopfloorError
from tui.i18n import _
from tui.settings import CallbackSettings
from tui.text import entered, text_problem

#: the reason given for a correction: a line, as a note is
REASON_MAX = 200


class CorrectionError(ShopfloorError, ValueError):
    """A correction that cannot be made as given; str() says what to change."""


@dataclass(frozen=True)
class Correctable:
    """One sale line or contact on the card, as the corrections list shows it."""

    kind: str  #: "sale" (a purchase line) or "contact"
    entry_id: int  #: the purchase line's id, or the contact's
    at: datetime  #: shop time
    author: str  #: who wrote it ("" when nobody is on file)
    product_id: int | None = None  #: a sale line's
    product: str = ""
    unit: str = ""  #: the product's, as the sale form shows it
    price_cents: int = 0
    quantity: int = 0
    amount_cents: int = 0
    lines_on_receipt: int = 1  #: a sale line's receipt: how many lines it has
    channel: str = ""  #: a contact's
    outcome: str = ""
    may_correct: bool = False  #: whether the viewer may correct it (author today, or manager)
    why_not: str = ""  #: when not, the one line saying so


def _check_reason(reason: str) -> str:
    reason = entered(reason)
    if not reason:
        raise CorrectionError(_("give the reason for the correction, such as 'typed 1400 for 140'"))
    problem = text_problem(_("the reason"), reason, REASON_MAX)
    if problem:
        raise CorrectionError(problem)
    return reason


def _may_correct(staff: Staff, author_id: int | None, written_at: datetime, zone: ZoneInfo,
                 now: datetime) -> bool:
    if staff.role == "manager":
        return True
    return author_id == staff.id and local_day(written_at, zone) == local_day(now, zone)


def _refusal(staff: Staff | None, author_id: int | None, written_at: datetime, zone: ZoneInfo,
             now: datetime, what: str) -> str:
    """Why `staff` may not correct the entry, or "" when they may: its author on its day, or
    a manager any day."""
    if staff is None:
        return _("nobody active is signed in; sign in as a guide or manager first")
    if _may_correct(staff, author_id, written_at, zone, now):
        return ""
    day = local_day(written_at, zone)
    if author_id == staff.id:
        return (_("this sale is from {day}: only on its own day can its author correct it; ask "
                  "a manager") if what == "this sale" else
                _("this contact is from {day}: only on its own day can its author correct it; "
                  "ask a manager")).format(day=day)
    return (_("only who recorded this sale, the same day, or a manager can correct it; ask a "
              "manager") if what == "this sale" else
            _("only who recorded this contact, the same day, or a manager can correct it; ask a "
              "manager"))


def _require(staff: Staff, author_id: int | None, written_at: datetime, zone: ZoneInfo,
             now: datetime, what: str) -> None:
    words = _refusal(staff, author_id, written_at, zone, now, what)
    if words:
        raise PermissionDenied(words, staff.id)


def correctables(member_id: int, staff_id: int, zone: ZoneInfo, now: datetime,
                 limit: int = 20) -> list[Correctable]:
    """The member's newest sale lines and contacts (`limit` of each), newest first, each
    saying whether `staff_id` may correct it."""
    staff = Staff.get_or_none(Staff.id == staff_id)
    out: list[tuple[datetime, int, Correctable]] = []
    counts = dict(PurchaseLine.select(PurchaseLine.purchase, fn.COUNT(PurchaseLine.id))
                  .join(Purchase).where(Purchase.member == member_id)
                  .group_by(PurchaseLine.purchase).tuples())
    lines = (PurchaseLine.select(PurchaseLine, Purchase, Product.id, Product.name, Product.unit,
                                 Product.price_cents)
             .join(Purchase).switch(PurchaseLine).join(Product)
             .where(Purchase.member == member_id)
             .order_by(Purchase.purchased_at.desc(), PurchaseLine.id.desc()).limit(limit))
    authors = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
    for ln in lines:
        p = ln.purchase
        out.append((p.purchased_at, 0, Correctable(
            "sale", ln.id, shop_time(p.purchased_at, zone), authors.get(p.staff_id, ""),
            product_id=ln.product_id, product=ln.product.name, unit=ln.product.unit,
            price_cents=ln.product.price_cents, quantity=ln.quantity,
            amount_cents=ln.amount_cents, lines_on_receipt=counts.get(p.id, 1),
            why_not=_refusal(staff, p.staff_id, p.purchased_at, zone, now, "this sale"))))
    for c in (Contact.select().where(Contact.member == member_id)
              .order_by(Contact.contacted_at.desc(), Contact.id.desc()).limit(limit)):
        out.append((c.contacted_at, 1, Correctable(
            "contact", c.id, shop_time(c.contacted_at, zone), authors.get(c.staff_id, ""),
            channel=c.channel, outcome=c.outcome,
            why_not=_refusal(staff, c.staff_id, c.contacted_at, zone, now, "this contact"))))
    out.sort(key=lambda item: (item[0], item[1], item[2].entry_id), reverse=True)
    return [replace(c, may_correct=not c.why_not) for _, _, c in out]


# -- sales ------------------------------------------------------------------------------------

def _line_json(line: PurchaseLine) -> dict:
    return {"line": line.id, "product": line.product_id, "quantity": line.quantity,
            "amount_cents": line.amount_cents}


def _sale_line(line_id: int) -> PurchaseLine:
    line = (PurchaseLine.select(PurchaseLine, Purchase).join(Purchase)
            .where(PurchaseLine.id == line_id).first())
    if line is None:
        raise CorrectionError(_("sale line {id} is not on file (voided meanwhile?); read the "
                                "card again").format(id=line_id))
    return line


def _member_no(member_id: int | None) -> str:
    member = Member.get_or_none(Member.id == member_id) if member_id else None
    return member.member_no if member else ""


def _after_sale(member_id: int | None, spend_change: int, rules: CallbackSettings,
                zone: ZoneInfo, now: datetime) -> None:
    """The member's totals and callbacks after one of their sales changed."""
    if member_id is None:
        return
    last = (Purchase.select(fn.MAX(Purchase.purchased_at))
            .where(Purchase.member == member_id).scalar())
    Member.update(total_spend_cents=Member.total_spend_cents + spend_change,
                  last_purchase_at=last).where(Member.id == member_id).execute()
    refresh_member(member_id, local_day(now, zone), rules, zone, now)


def correct_sale_line(line_id: int, corrected: SaleLine, reason: str, staff_id: int,
                      rules: CallbackSettings, zone: ZoneInfo, now: datetime) -> None:
    """Put a sale line right: its product, quantity and amount as they should have been;
    the sale keeps its time. The member's spend changes by the difference."""
    reason = _check_reason(reason)
    if corrected.quantity <= 0:
        raise SaleError(_("quantity must be 1 or more"))
    if corrected.amount_cents < 0:
        raise SaleError(_("amount cannot be negative"))
    with database.atomic("IMMEDIATE"):
        staff = acting_staff(staff_id)
        line = _sale_line(line_id)
        sale = line.purchase
        _require(staff, sale.staff_id, sale.purchased_at, zone, now, "this sale")
        if Product.get_or_none(Product.id == corrected.product_id) is None:
            raise SaleError(_("product {id} is not on file").format(id=corrected.product_id))
        before = _line_json(line)
        if (line.product_id, line.quantity, line.amount_cents) == (
                corrected.product_id, corrected.quantity, corrected.amount_cents):
            raise CorrectionError(_("nothing changed: change the product, quantity or amount, "
                                    "or Esc"))
        PurchaseLine.update(product=corrected.product_id, quantity=corrected.quantity,
                            amount_cents=corrected.amount_cents).where(
            PurchaseLine.id == line_id).execute()
        audit(staff.id, now, "sale corrected", _member_no(sale.member_id), json.dumps(
            {"reason": reason, "sale": sale.id, "before": before,
             "after": {**before, "product": corrected.product_id, "quantity": corrected.quantity,
                       "amount_cents": corrected.amount_cents}}, ensure_ascii=False))
        _after_sale(sale.member_id, corrected.amount_cents - line.amount_cents, rules, zone, now)


def void_sale_line(line_id: int, reason: str, staff_id: int, rules: CallbackSettings,
                   zone: ZoneInfo, now: datetime) -> bool:
    """Void a sale line that should never have been typed; the receipt goes with its last
    line (its follow-up call with it). True when the whole receipt was voided."""
    reason = _check_reason(reason)
    with database.atomic("IMMEDIATE"):
        staff = acting_staff(staff_id)
        line = _sale_line(line_id)
        sale = line.purchase
        _require(staff, sale.staff_id, sale.purchased_at, zone, now, "this sale")
        left = PurchaseLine.select().where((PurchaseLine.purchase == sale.id)
                                           & (PurchaseLine.id != line_id)).count()
        detail = {"reason": reason, "sale": sale.id,
                  "at": sale.purchased_at.isoformat() + "Z", "by": sale.staff_id,
                  "voided": _line_json(line), "lines_left": left}
        if left:
            PurchaseLine.delete().where(PurchaseLine.id == line_id).execute()
        else:
            Purchase.delete().where(Purchase.id == sale.id).execute()  # its line with it
        audit(staff.id, now, "sale voided", _member_no(sale.member_id),
              json.dumps(detail, ensure_ascii=False))
        _after_sale(sale.member_id, -line.amount_cents, rules, zone, now)
    return not left


# -- contacts ---------------------------------------------------------------------------------

def _contact(contact_id: int) -> Contact:
    contact = Contact.get_or_none(Contact.id == contact_id)
    if contact is None:
        raise CorrectionError(_("contact {id} is not on file (voided meanwhile?); read the "
                                "card again").format(id=contact_id))
    return contact


def _contact_json(c: Contact) -> dict:
    return {"contact": c.id, "by": c.staff_id, "at": c.contacted_at.isoformat() + "Z",
            "channel": c.channel, "outcome": c.outcome, "care": c.care, "note": c.note,
            "next_contact_on": c.next_contact_on.isoformat() if c.next_contact_on else None}


def _typed_next(c: Contact, zone: ZoneInfo, rules: CallbackSettings) -> date | None:
    """The next date the guide typed, told from the one the outcome booked by itself."""
    day = local_day(c.contacted_at, zone)
    automatic = next_contact_after(c.outcome, None, day, rules)
    return None if automatic is not None and c.next_contact_on == automatic else c.next_contact_on


@dataclass(frozen=True)
class ContactCorrected:
    next_contact_on: date | None  #: the call the contact books now
    consent_kept: bool  #: the old outcome was an opt-out, which stays until changed on the card


def correct_contact(contact_id: int, outcome: str, reason: str, staff_id: int,
                    rules: CallbackSettings, zone: ZoneInfo, now: datetime) -> ContactCorrected:
    """Put a contact's outcome right. The call it books follows the new outcome (a retry
    after no answer, a feedback call after a complaint, or none); a new opt-out is applied;
    an opt-out the old outcome recorded stays until changed on the card (p, x), since it is
    the member's own word on contact."""
    reason = _check_reason(reason)
    if outcome not in OUTCOMES:
        raise CorrectionError(_("unknown outcome {outcome!r}; one of {outcomes}").format(
            outcome=outcome, outcomes=", ".join(OUTCOMES)))
    with database.atomic("IMMEDIATE"):
        staff = acting_staff(staff_id)
        c = _contact(contact_id)
        _require(staff, c.staff_id, c.contacted_at, zone, now, "this contact")
        if c.outcome == outcome:
            raise CorrectionError(_("that is the outcome on file already: pick another, or Esc"))
        before = _contact_json(c)
        next_on = next_contact_after(outcome, _typed_next(c, zone, rules),
                                     local_day(c.contacted_at, zone), rules)
        Contact.update(outcome=outcome, next_contact_on=next_on).where(
            Contact.id == contact_id).execute()
        member = Member.get_by_id(c.member_id)
        apply_opt_out(member, outcome, staff.id, now)
        audit(staff.id, now, "contact corrected", member.member_no, json.dumps(
            {"reason": reason, "before": before,
             "after": {**before, "outcome": outcome,
                       "next_contact_on": next_on.isoformat() if next_on else None}},
            ensure_ascii=False))
        refresh_member(c.member_id, local_day(now, zone), rules, zone, now)
    return ContactCorrected(next_on, before["outcome"] in ("declined_promotions", "do_not_contact"))


def void_contact(contact_id: int, reason: str, staff_id: int, rules: CallbackSettings,
                 zone: ZoneInfo, now: datetime) -> int:
    """Void a contact logged by mistake (the wrong member, never made): the calls it
    completed are open again (or missed, if stale), the calls it booked go; the number of
    calls reopened. One drawn for a plan's spot check stays: correct its outcome instead."""
    reason = _check_reason(reason)
    with database.atomic("IMMEDIATE"):
        staff = acting_staff(staff_id)
        c = _contact(contact_id)
        _require(staff, c.staff_id, c.contacted_at, zone, now, "this contact")
        if PlanSpotCheck.select().where(PlanSpotCheck.contact == contact_id).exists():
            raise CorrectionError(_("this contact was drawn for a plan's spot check and stays "
                                    "on file; correct its outcome instead"))
        reopened = (Callback.update(status="open", closed_at=None, contact=None)
                    .where(Callback.contact == contact_id).execute())
        detail = {"reason": reason, **_contact_json(c), "calls_reopened": reopened}
        Contact.delete().where(Contact.id == contact_id).execute()
        audit(staff.id, now, "contact voided", _member_no(c.member_id),
              json.dumps(detail, ensure_ascii=False))
        refresh_member(c.member_id, local_day(now, zone), rules, zone, now)
    return reopened


#: the audit lines of corrections: a voided contact's note and every reason may hold the
#: member's data, so an erasure scrubs them (tui.db.members.archive)
CORRECTION_ACTIONS = ("sale corrected", "sale voided", "contact corrected", "contact voided")


def scrub_corrections(member_no: str, erased_words: str) -> None:
    """Keep the member's correction lines (who, when, which entry, the figures) but put
    `erased_words` where their words were: the reason, a contact's note."""
    for line in AuditLog.select().where((AuditLog.subject == member_no)
                                        & AuditLog.action.in_(CORRECTION_ACTIONS)):
        detail = json.loads(line.detail)
        detail["reason"] = erased_words
        for part in (detail, detail.get("before") or {}, detail.get("after") or {}):
            if part.get("note"):
                part["note"] = erased_words
        AuditLog.update(detail=json.dumps(detail, ensure_ascii=False)).where(
            AuditLog.id == line.id).execute()


__all__ = ["CORRECTION_ACTIONS", "scrub_corrections", "REASON_MAX", "ContactCorrected", "Correctable", "CorrectionError", "correct_contact",
           "correct_sale_line", "correctables", "void_contact", "void_sale_line"]
