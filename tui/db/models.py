"""Peewee models for the shop: staff, members and their children, products, purchases,
the callbacks the rules raise, and the tracking log of contacts.

The tables themselves are created by the numbered migrations in `migrations/` (one file each);
these models describe the newest schema and a test keeps the two in step.
Times are stored in UTC without a zone; days are `date`; money is integer cents.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from tui.db.pinyin import name_keys
from tui.db.write_lock import ShopDatabase

#: Initialised late by `connection.open_database`, from settings; its write transactions
#: wait their turn for the lock (write_lock.py).
database = ShopDatabase(None)

ROLES = ("guide", "manager")
#: Callback states: open in the queue; done by a contact; cancelled because its
#: reason went away (a repurchase, an opt-out); missed when it went stale unhandled.
CALLBACK_STATES = ("open", "done", "cancelled", "missed")
CHANNELS = ("phone", "wechat", "sms", "in_store", "home_visit")
OUTCOMES = ("reached", "no_answer", "declined_promotions", "wrong_number",
            "will_come", "bought", "complaint", "do_not_contact")


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Staff(BaseModel):
    """A guide or a manager."""

    name = CharField(unique=True)
    role = CharField(default="guide")
    active = BooleanField(default=True)
    created_at = DateTimeField()
    # sign-in (schema version 8): a salted scrypt hash, never the PIN; "" = no PIN set yet
    pin_hash = CharField(default="")
    failed_pins = IntegerField(default=0)  #: wrong PINs in a row
    locked_until = DateTimeField(null=True)  #: UTC; no sign-in under this name before it
    #: her own language after sign-in, "zh-CN" or "en" (schema version 12); None: the shop's
    language = CharField(null=True)


class ImportBatch(BaseModel):
    """One file brought in (schema version 14): what it was, who, when, what it wrote."""

    kind = CharField()  #: members, products, purchases
    file_name = TextField()
    file_sha256 = CharField()
    staff = ForeignKeyField(Staff, null=True, index=False)
    at = DateTimeField()
    counts = TextField(default="{}")  #: JSON: rows read, written, kept, refused
    #: JSON: member id → {field: value} the batch filled on members already on file, so
    #: that an undo can empty them again
    filled = TextField(default="{}")
    undone_at = DateTimeField(null=True)
    undone_by = ForeignKeyField(Staff, null=True, index=False)


class Member(BaseModel):
    """One member's archive: hard fields, soft fields, consent and the owner guide."""

    member_no = CharField(unique=True)
    # hard profile
    name = CharField(index=True)
    gender = CharField(null=True)
    birthday = DateField(null=True)
    age_approx = IntegerField(null=True)
    nationality = CharField(null=True)
    phone = CharField(null=True, unique=True)
    phone_tail = CharField(null=True, index=True)  #: last four digits, for the register
    email = CharField(null=True)
    address = CharField(null=True)
    # soft profile
    occupation = TextField(null=True)
    family = TextField(null=True)
    personality = TextField(null=True)
    shopping_habits = TextField(null=True)
    style = TextField(null=True)
    hobbies = TextField(null=True)
    lifestyle = TextField(null=True)
    values = TextField(null=True, column_name="values_")
    # consent: None = not asked yet, True = yes, False = refused promotions
    accepts_promotions = BooleanField(null=True)
    promotions_set_at = DateTimeField(null=True)
    do_not_contact = BooleanField(default=False)
    do_not_contact_set_at = DateTimeField(null=True)
    owner = ForeignKeyField(Staff, null=True, backref="members", index=True)
    joined_on = DateField()
    created_at = DateTimeField()
    # kept up to date on every sale (schema version 2): the member's value in the queue order
    total_spend_cents = IntegerField(default=0)
    last_purchase_at = DateTimeField(null=True)
    # written with the name (schema version 4): zs or zhangsan finds 张三 at the register
    name_pinyin = CharField(default="", index=True)
    name_initials = CharField(default="", index=True)
    # set when the member's personal data was erased on request (schema version 7)
    erased_at = DateTimeField(null=True)
    # which archive fields are filled, kept by triggers for the leaderboards (version 9)
    archive_bits = IntegerField(default=0)
    #: the card number in the shop's POS (schema version 14), unique; the batch that made it
    pos_card_no = CharField(null=True, unique=True)
    import_batch = ForeignKeyField(ImportBatch, null=True, index=False)

    def save(self, *args, **kwargs):
        """Every name written through the model gets its pinyin keys with it."""
        if "name" in {f.name for f in self.dirty_fields} or (self.name and not self.name_pinyin):
            self.name_pinyin, self.name_initials = name_keys(self.name)
        return super().save(*args, **kwargs)


class Child(BaseModel):
    member = ForeignKeyField(Member, backref="children", on_delete="CASCADE", index=True)
    name = CharField(null=True)
    birth_date = DateField(null=True)
    due_date = DateField(null=True)  #: expected birth, while the baby is on the way


class Product(BaseModel):
    sku = CharField(unique=True)
    name = CharField()
    brand = CharField()
    category = CharField()  #: formula, diapers, wipes, gear ...
    unit = CharField()  #: can, pack, piece
    days_per_unit = FloatField(null=True)  #: how long one unit lasts; None for durable goods
    price_cents = IntegerField()
    #: the barcode on the pack (schema version 13), unique where given
    barcode = CharField(null=True, unique=True)
    stage = IntegerField(null=True)  #: a formula's stage, 1段 2段 3段 …; None for the rest
    spec = TextField(null=True)  #: the size as the POS writes it: 800g, L 42片
    #: a durable good (a cot, a stroller): no days per unit, no running-out call; a
    #: consumable without days per unit is one whose days are still to be filled in
    durable = BooleanField(default=False)
    import_batch = ForeignKeyField(ImportBatch, null=True, index=False)  #: made by an import


class Purchase(BaseModel):
    """One sale at the register; its lines hold the products."""

    member = ForeignKeyField(Member, null=True, backref="purchases", index=False)
    staff = ForeignKeyField(Staff, null=True)
    purchased_at = DateTimeField()
    receipt_no = CharField(null=True)  #: the POS's receipt number, for an imported sale
    import_batch = ForeignKeyField(ImportBatch, null=True, index=True)


class PurchaseLine(BaseModel):
    purchase = ForeignKeyField(Purchase, backref="lines", on_delete="CASCADE", index=True)
    product = ForeignKeyField(Product, index=True)
    quantity = IntegerField()
    amount_cents = IntegerField()
    #: an imported line's key (receipt#line, or receipt#product#quantity#n): never twice
    source_key = TextField(null=True, unique=True)


class Contact(BaseModel):
    """One entry of the tracking log."""

    member = ForeignKeyField(Member, backref="contacts", index=False)
    staff = ForeignKeyField(Staff, index=False)
    contacted_at = DateTimeField()
    channel = CharField()
    outcome = CharField()
    care = BooleanField(default=False)
    note = TextField(default="")
    next_contact_on = DateField(null=True)
    #: the member's first purchase after this contact, kept by triggers (version 9)
    next_purchase_at = DateTimeField(null=True)


class Callback(BaseModel):
    """A reason to call a member, due on a day. `source_key` makes generation idempotent."""

    member = ForeignKeyField(Member, backref="callbacks", index=False)
    reason = CharField()
    source_key = CharField()
    due_on = DateField()
    status = CharField(default="open")
    owner = ForeignKeyField(Staff, null=True, index=False)
    detail = TextField(default="")
    created_at = DateTimeField()
    closed_at = DateTimeField(null=True)
    contact = ForeignKeyField(Contact, null=True, index=False)


class MemberNote(BaseModel):
    """A soft-profile note: "prefers WeChat after 8pm", dated and signed."""

    member = ForeignKeyField(Member, backref="notes", on_delete="CASCADE", index=False)
    staff = ForeignKeyField(Staff, index=False)
    written_at = DateTimeField()
    text = TextField()


#: the Meta key of a database built by `shopfloor demo` (its value: the demo PINs in words)
DEMO_KEY = "demo_shop"


class Meta(BaseModel):
    """Small facts about this database, such as the day the rules last ran."""

    key = CharField(primary_key=True)
    value = TextField()


class AuditLog(BaseModel):
    """Who did what to whom, and when: merges, exports, erasures and manager actions."""

    staff = ForeignKeyField(Staff, null=True, index=False)
    at = DateTimeField()
    action = CharField()
    subject = CharField(default="")  #: what it was done to, e.g. a member number
    detail = TextField(default="")  #: a sentence, or JSON of what was removed


MODELS = (Staff, Member, Child, Product, Purchase, PurchaseLine, Contact, Callback, MemberNote, Meta, AuditLog)


# -- PDCA plans (schema version 10) ---------------------------------------------------------


class Plan(BaseModel):
    """A PDCA plan as adjusted so far: the next cycle starts from these targets and methods."""

    name = CharField(unique=True)
    segment = TextField()  #: which members, in parse_segment's text ("brand:飞鹤 since …")
    responsible = CharField()  #: "owner": each member's owner; "split": an even split
    split_guides = TextField(default="")  #: split only: staff ids, commas; "" = every active guide
    target_completion_pct = IntegerField()  #: members contacted / target members, percent
    target_success_pct = IntegerField()  #: contacted members who bought again / contacted, percent
    target_sales_cents = IntegerField()  #: sales to target members after their first contact
    methods = TextField(default="[]")  #: JSON list of the methods in use, in the shop's words
    created_by = ForeignKeyField(Staff, null=True, index=False)
    created_at = DateTimeField()


class PlanCycle(BaseModel):
    """One turn of the plan over a period, with the targets it ran with and, once closed,
    its final figures frozen as JSON."""

    plan = ForeignKeyField(Plan, backref="cycles", index=False)
    number = IntegerField()  #: 1, 2, … within the plan
    first_day = DateField()  #: the period, shop days, inclusive
    last_day = DateField()
    frozen_on = DateField()  #: the shop day the target members were frozen (the start)
    target_completion_pct = IntegerField()
    target_success_pct = IntegerField()
    target_sales_cents = IntegerField()
    methods = TextField(default="[]")
    status = CharField(default="running")  #: running, closed
    started_at = DateTimeField()
    started_by = ForeignKeyField(Staff, null=True, index=False)
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(Staff, null=True, index=False)
    final_as_of = DateField(null=True)  #: the day the final figures were counted up to
    final = TextField(null=True)  #: the final figures, JSON (tui.db.pdca.plans.check_to_json)


class PlanTarget(BaseModel):
    """A member frozen into a cycle's targets, and the guide responsible for them."""

    cycle = ForeignKeyField(PlanCycle, backref="targets", index=False)
    member = ForeignKeyField(Member, index=False)
    guide = ForeignKeyField(Staff, null=True, index=False)  #: responsible now
    frozen_guide = ForeignKeyField(Staff, null=True, index=False)  #: responsible at the start
    #: the day its campaign call falls due, spread by the guides' capacity (version 11);
    #: None: the period's first day
    call_on = DateField(null=True)

    class Meta:
        primary_key = CompositeKey("cycle", "member")


class PlanAdjustment(BaseModel):
    """Act: a target changed, a method kept, dropped or added, people changed; with why."""

    plan = ForeignKeyField(Plan, backref="adjustments", index=False)
    cycle = ForeignKeyField(PlanCycle, null=True, index=False)  #: the cycle it was made in
    kind = CharField()  #: target, method, people
    subject = CharField()  #: which target, which method, whose members
    old = TextField(default="")
    new = TextField(default="")
    why = TextField()
    staff = ForeignKeyField(Staff, null=True, index=False)
    at = DateTimeField()


class PlanSpotCheck(BaseModel):
    """A logged contact drawn at random for the manager to verify, and the verdict."""

    cycle = ForeignKeyField(PlanCycle, index=False)
    contact = ForeignKeyField(Contact, index=False)
    seed = IntegerField()  #: the draw's seed: the same pool and seed draw the same sample
    drawn_at = DateTimeField()
    drawn_by = ForeignKeyField(Staff, null=True, index=False)
    verified = BooleanField(null=True)  #: None: not checked yet
    checked_by = ForeignKeyField(Staff, null=True, index=False)
    checked_at = DateTimeField(null=True)
    note = TextField(default="")


MODELS = MODELS + (Plan, PlanCycle, PlanTarget, PlanAdjustment, PlanSpotCheck, ImportBatch)
