"""One member's card: the archive and its completeness, what to ask next, the VIP tier,
the children, purchases, the tracking log and open callbacks.

The member screen and `shopfloor member` both call `member_card`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from peewee import fn

from tui.clock import local_day, shop_time
from tui.db.archive_log import archive_fields, record_archive_change
from tui.db.audit import audit
from tui.db.callbacks.raising import refresh_member
from tui.db.members.archive import merged_into
from tui.db.members.completeness import Completeness, archive_completeness
from tui.db.privacy import MASKED_FIELDS, Viewer, mask_phone
from tui.db.models import (Callback, Child, Contact, Member, MemberNote, Product, Purchase,
                           PurchaseLine, Staff, database)
from tui.errors import ShopfloorError
from tui.i18n import _
from tui.settings import GiftRule, Settings, VipTier
from tui.text import entered, text_problem


@dataclass(frozen=True)
class ChildLine:
    name: str | None
    born: date | None
    due: date | None
    age: str  #: "7 months", "2 years", "due 2027-03-01"
    months: int | None = None  #: whole months old today; None for a baby on the way


@dataclass(frozen=True)
class PurchaseLineView:
    purchased_at: datetime  #: shop time
    product: str
    quantity: int
    amount_cents: int


@dataclass(frozen=True)
class ContactView:
    contacted_at: datetime  #: shop time
    staff: str
    channel: str
    outcome: str
    care: bool
    note: str
    next_contact_on: date | None


@dataclass(frozen=True)
class NoteView:
    written_at: datetime  #: shop time
    staff: str
    text: str


@dataclass(frozen=True)
class GiftProgress:
    rule: str
    unit: str
    units: int  #: bought so far, over all purchases
    earned: tuple[str, ...]  #: gifts of the steps reached
    next_gift: str | None  #: None when every step is reached
    to_next: int  #: units still to buy for it

    @property
    def words(self) -> str:
        """What the cashier says: "3 more cans to 婴儿床"."""
        if self.next_gift is None:
            return f"{self.units} {self.unit}s bought: every gift earned"
        return f"{self.to_next} more {self.unit}{'s' if self.to_next != 1 else ''} to {self.next_gift}"


@dataclass(frozen=True)
class CallbackView:
    reason: str
    due_on: date
    detail: str


@dataclass(frozen=True)
class MemberCard:
    member_id: int
    member_no: str
    name: str
    fields: dict[str, object]  #: every archive field by its settings name
    owner: str | None
    accepts_promotions: bool | None
    do_not_contact: bool
    total_spend_cents: int
    tier: VipTier
    next_tier: VipTier | None
    to_next_tier_cents: int  #: spend still needed for the next tier; 0 at the top
    completeness: Completeness
    children: tuple[ChildLine, ...]
    purchases: tuple[PurchaseLineView, ...]  #: newest first, the last 20 lines
    contacts: tuple[ContactView, ...]  #: newest first, the last 20
    callbacks: tuple[CallbackView, ...]  #: open, earliest first
    notes: tuple[NoteView, ...] = ()  #: soft-profile notes, newest first
    gifts: tuple[GiftProgress, ...] = ()  #: every gift rule the member has bought for
    promotions_set_at: datetime | None = None  #: shop time of the member's answer
    do_not_contact_set_at: datetime | None = None
    erased_at: datetime | None = None  #: shop time the personal data was erased on request
    #: fields masked (phone) or left out for this viewer: another guide's member (privacy.py)
    hidden: tuple[str, ...] = ()


class NoteError(ShopfloorError, ValueError):
    """A note that cannot be saved as typed; str() says what to change."""


#: a note is an observation, not an essay
NOTE_MAX = 500


def add_note(member_id: int, staff_id: int, text: str, now: datetime) -> int:
    """Save a soft-profile note signed by the staff member; return its id."""
    text = entered(text)
    if not text:
        raise NoteError(_("the note is empty; type what you noticed"))
    problem = text_problem(_("the note"), text, NOTE_MAX, lines=True)
    if problem:
        raise NoteError(problem)
    with database.atomic("IMMEDIATE"):
        member = Member.get_or_none(Member.id == member_id)
        if member is None:
            raise NoteError(_("member {id} is not on file").format(id=member_id))
        if member.erased_at is not None:
            raise NoteError(_("{member_no} was erased on request; notes cannot be added").format(
                member_no=member.member_no))
        if Staff.get_or_none((Staff.id == staff_id) & (Staff.active == True)) is None:  # noqa: E712
            raise NoteError(_("sign the note as an active guide or manager (press g on the queue)"))
        return MemberNote.create(member=member_id, staff=staff_id, written_at=now, text=text).id


def set_consent(member_id: int, now: datetime, settings: Settings, *,
                promotions: bool | None = None, do_not_contact: bool | None = None,
                staff_id: int | None = None) -> None:
    """Record the member's answer with the moment it was given, and bring their calls in
    line at once: refusing promotions cancels sales calls, do-not-contact cancels all;
    taking either back reopens what is still due. A first promotions answer fills that
    archive field: it is archive work, signed by `staff_id` when given."""
    changes: dict = {}
    if promotions is not None:
        changes.update(accepts_promotions=promotions, promotions_set_at=now)
    if do_not_contact is not None:
        changes.update(do_not_contact=do_not_contact, do_not_contact_set_at=now)
    if not changes:
        return
    zone = settings.shop.zone
    said = "; ".join(
        [f"promotions: {'yes' if promotions else 'refused'}"] * (promotions is not None)
        + [f"do not contact: {'yes' if do_not_contact else 'no'}"] * (do_not_contact is not None))
    with database.atomic("IMMEDIATE"):
        member = Member.get_or_none(Member.id == member_id)
        if member is None or Member.update(**changes).where(Member.id == member_id).execute() != 1:
            raise MemberNotFound(_("no member with id {id}").format(id=member_id))
        audit(staff_id, now, "consent", member.member_no, said)  # who recorded the answer
        if promotions is not None and member.accepts_promotions is None:
            record_archive_change(member, staff_id, now, (), ("accepts_promotions",))
        refresh_member(member_id, local_day(now, zone), settings.callbacks, zone, now)


class MemberNotFound(ShopfloorError, LookupError):
    """No member by that id or number; str() is the one line to print."""


def vip_tier(total_cents: int, tiers: tuple[VipTier, ...]) -> tuple[VipTier, VipTier | None, int]:
    """The member's tier, the next one (None at the top) and the spend still needed for it."""
    current = tiers[0]
    for tier in tiers:
        if total_cents >= tier.min_spend_cents:
            current = tier
    later = [t for t in tiers if t.min_spend_cents > total_cents]
    nxt = later[0] if later else None
    return current, nxt, (nxt.min_spend_cents - total_cents) if nxt else 0


def months_old(born: date, on: date) -> int:
    """Whole months from `born` to `on` (negative before the birth)."""
    last_day = calendar.monthrange(on.year, on.month)[1]
    short = on.day < born.day and not (on.day == last_day and born.day > last_day)
    return (on.year - born.year) * 12 + on.month - born.month - short


def age_words(born: date, on: date) -> str:
    """Months up to two years, then years: what a parent says.

    A monthly anniversary the month has no day for (born on the 31st, or 29 February)
    is reached on the month's last day, as the birthday rule keeps 29 Feb on 28 Feb.
    """
    months = months_old(born, on)
    if months < 0:
        return "not born yet"
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{months // 12} years"


def gift_progress(member_id: int, rules: tuple[GiftRule, ...]) -> tuple[GiftProgress, ...]:
    """Units counted across all the member's purchases, for each rule they have bought for."""
    out = []
    for rule in rules:
        match = Product.brand == rule.brand if rule.brand is not None else Product.sku == rule.sku
        units = (PurchaseLine.select(fn.COALESCE(fn.SUM(PurchaseLine.quantity), 0))
                 .join(Purchase).switch(PurchaseLine).join(Product)
                 .where((Purchase.member == member_id) & match).scalar())
        if not units:
            continue
        earned = tuple(gift for need, gift in rule.steps if units >= need)
        ahead = [(need, gift) for need, gift in rule.steps if units < need]
        out.append(GiftProgress(rule.name, rule.unit, units, earned,
                                ahead[0][1] if ahead else None,
                                ahead[0][0] - units if ahead else 0))
    return tuple(out)


def find_member(key: str) -> Member:
    """A member by id (digits) or member number (M000123)."""
    key = key.strip()
    member = None
    # ASCII digits, at most 18 ("²" is a digit to str.isdigit; 19 digits overflow SQLite)
    number = re.fullmatch(r"([mM])?([0-9]{1,18})", key)
    if number and not number[1]:
        member = Member.get_or_none(Member.id == int(key))
    elif number:
        member = Member.get_or_none(Member.member_no == f"M{int(number[2]):06d}")
    if member is None:
        now_under = merged_into(f"M{int(number[2]):06d}") if number and number[1] else None
        if now_under:
            raise MemberNotFound(_("{key} was merged into {member_no}; look that one up").format(
                key=key.upper(), member_no=now_under))
        raise MemberNotFound(_("no member {key!r}; give a member id or number such as M000123").format(
            key=key))
    return member


def member_card(member_id: int, today: date, settings: Settings,
                viewer: Viewer | None = None) -> MemberCard:
    """The card as `viewer` may see it (tui.db.privacy); None: every detail, for the
    shop's own use (a test, the benchmark). Every screen and command passes its viewer."""
    zone = settings.shop.zone
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise MemberNotFound(_("no member with id {id}").format(id=member_id))
    children = list(Child.select().where(Child.member == member_id).order_by(Child.birth_date))
    lines = list(PurchaseLine.select(PurchaseLine, Purchase.purchased_at, Product.name)
                 .join(Purchase).switch(PurchaseLine).join(Product)
                 .where(Purchase.member == member_id)
                 .order_by(Purchase.purchased_at.desc(), PurchaseLine.id.desc()).limit(20))
    fields = archive_fields(member, bool(children), bool(lines))
    tier, nxt, needed = vip_tier(member.total_spend_cents, settings.vip_tiers)
    contacts = (Contact.select(Contact, Staff.name).join(Staff)
                .where(Contact.member == member_id)
                .order_by(Contact.contacted_at.desc(), Contact.id.desc()).limit(20))
    open_callbacks = (Callback.select().where((Callback.member == member_id)
                                              & (Callback.status == "open"))
                      .order_by(Callback.due_on, Callback.id))
    owner = Staff.get_or_none(Staff.id == member.owner_id) if member.owner_id else None
    completeness = archive_completeness(fields, settings.archive)  # of the archive, not the view
    hidden: tuple[str, ...] = ()
    if viewer is not None and not viewer.sees_in_full(member.owner_id):
        hidden = MASKED_FIELDS
        fields = {**fields, "phone": mask_phone(member.phone), "birthday": None, "email": None,
                  "address": None}
    return MemberCard(
        member_id=member.id, member_no=member.member_no, name=member.name, fields=fields,
        owner=owner.name if owner else None, accepts_promotions=member.accepts_promotions,
        do_not_contact=member.do_not_contact, total_spend_cents=member.total_spend_cents,
        promotions_set_at=shop_time(member.promotions_set_at, zone) if member.promotions_set_at else None,
        do_not_contact_set_at=(shop_time(member.do_not_contact_set_at, zone)
                               if member.do_not_contact_set_at else None),
        tier=tier, next_tier=nxt, to_next_tier_cents=needed,
        completeness=completeness, hidden=hidden,
        children=tuple(ChildLine(c.name, c.birth_date, c.due_date,
                                 age_words(c.birth_date, today) if c.birth_date
                                 else f"due {c.due_date.isoformat()}",
                                 months_old(c.birth_date, today) if c.birth_date else None)
                       for c in children),
        purchases=tuple(PurchaseLineView(shop_time(ln.purchase.purchased_at, zone), ln.product.name,
                                         ln.quantity, ln.amount_cents) for ln in lines),
        contacts=tuple(ContactView(shop_time(c.contacted_at, zone), c.staff.name, c.channel,
                                   c.outcome, c.care, c.note, c.next_contact_on)
                       for c in contacts),
        callbacks=tuple(CallbackView(c.reason, c.due_on, c.detail) for c in open_callbacks),
        notes=tuple(NoteView(shop_time(n.written_at, zone), n.staff.name, n.text) for n in (
            MemberNote.select(MemberNote, Staff.name).join(Staff)
            .where(MemberNote.member == member_id)
            .order_by(MemberNote.written_at.desc(), MemberNote.id.desc()))),
        gifts=gift_progress(member_id, settings.gift_rules),
        erased_at=shop_time(member.erased_at, zone) if member.erased_at else None,
    )

