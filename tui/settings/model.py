"""The settings as typed, frozen objects: one dataclass per table of settings.toml, and
the names a shop may choose from. Read and checked by tui.settings.loading."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from tui.errors import ShopfloorError

#: The default settings file: the one at the repository root.
DEFAULT_SETTINGS = Path(__file__).resolve().parent.parent.parent / "settings.toml"

#: Callback reasons the program knows, in their shop words.
REASONS = ("complaint", "follow_up", "scheduled", "birthday", "running_out", "campaign", "dormant")

#: Archive fields a shop may list; each is a member attribute or derived from its history.
HARD_FIELD_CHOICES = (
    "name", "gender", "birthday", "nationality", "phone", "email", "address",
    "total_spend", "products_bought",
)
SOFT_FIELD_CHOICES = (
    "occupation", "family", "personality", "shopping_habits", "style", "hobbies",
    "lifestyle", "accepts_promotions", "values",
)

#: Placeholders a message template may use, and what each is filled with.
TEMPLATE_PLACEHOLDERS = {
    "name": "the member's name",
    "child": "the child's name",
    "child_age": "the child's age, e.g. 8 个月 or 2 岁",
    "product": "the last product bought",
}


class SettingsError(ShopfloorError):
    """A settings file that cannot be used; str() is the one line to print."""


@dataclass(frozen=True)
class ShopSettings:
    name: str  #: shown in the header and on printed sheets
    timezone: str  #: IANA zone name; the shop's "today" and every time shown
    #: the language of the sign-in screen, the printed sheets and everyone without their
    #: own (tui.i18n.LANGUAGES: "zh-CN" or "en"); --lang overrides it for one run
    language: str = "en"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class DatabaseSettings:
    path: Path  #: the SQLite file, already resolved against the settings folder
    busy_timeout_ms: int  #: how long a writer waits for another session's write
    #: "" = the database, backups and exports are the owner's alone (0600); a group's name
    #: = that group may read and write them too (0660)
    file_group: str = ""
    #: how often (seconds) an open queue, board or card looks whether another session
    #: wrote, and reads itself again if so; 0 = never (r reads again by hand)
    refresh_seconds: int = 5


@dataclass(frozen=True)
class BackupSettings:
    dir: Path  #: where `shopfloor backup` writes, resolved against the settings folder
    keep_daily: int = 7  #: the newest backup of each of this many last days is kept ...
    keep_weekly: int = 4  #: ... of this many last weeks ...
    keep_monthly: int = 12  #: ... and of this many last months; the rest are removed


@dataclass(frozen=True)
class ArchiveSettings:
    hard_weight: float  #: share of completeness from the hard profile (0.2)
    soft_weight: float  #: share from the soft profile (0.8)
    hard_fields: tuple[str, ...]
    soft_fields: tuple[str, ...]
    complete_threshold: float  #: completeness at which an archive counts as complete
    phone_pattern: str = r"1[3-9]\d{9}"  #: a whole phone number, digits only (regular expression)
    phone_hint: str = "11 digits starting with 1"  #: what the form says when a phone does not match


@dataclass(frozen=True)
class StaffSettings:
    guides_see_whole_shop: bool = False  #: may a guide switch to the whole shop's queue
    pin_min_length: int = 4
    lockout_attempts: int = 5  #: wrong PINs in a row that lock the name
    lockout_minutes: int = 15  #: how long the name stays locked


@dataclass(frozen=True)
class LeaderboardSettings:
    follow_up_success_days: int = 14  #: a purchase within this many days credits the contact
    week_starts_on: str = "monday"  #: "monday" or "sunday", for the "this week" period


@dataclass(frozen=True)
class PrintingSettings:
    printer: str = ""  #: the CUPS queue for the end-of-day sheet; "" = CUPS's default
    width: int = 80  #: the sheet's columns: 32 / 42 / 48 (receipt) or 80 (A4)
    #: the end-of-day sheet's headings in Chinese and English together (日结 End of day);
    #: otherwise wholly in the language spoken
    bilingual_heading: bool = False


@dataclass(frozen=True)
class CallbackSettings:
    follow_up_hours: int  #: post-purchase call within this many hours
    running_out_lead_days: int  #: call this many days before the product runs out
    birthday_lead_days: int  #: call this many days before a birthday
    dormant_purchase_days: int  #: dormant after this long without a purchase ...
    dormant_contact_days: int  #: ... and this long without a contact
    no_answer_retry_days: int  #: retry after "no answer"
    complaint_feedback_days: int  #: feedback call after a complaint
    stale_after_days: int  #: overdue longer than this: missed, out of the queue
    reason_order: tuple[str, ...]  #: reason priority, most urgent first
    #: calls one guide makes in a day, every reason counted: a plan's campaign calls are
    #: spread over its period so that no guide's day holds more (tui/db/pdca/spread.py)
    guide_daily_capacity: int = 40

    def priority(self, reason: str) -> int:
        """1 for the most urgent reason."""
        return self.reason_order.index(reason) + 1


@dataclass(frozen=True)
class VipTier:
    name: str
    min_spend_cents: int
    benefit: str


@dataclass(frozen=True)
class GiftRule:
    """Cumulative gifts: units of a brand (or one product) bought, and the gift per step."""

    name: str
    brand: str | None  #: units of this brand count ...
    sku: str | None  #: ... or units of this one product
    unit: str
    steps: tuple[tuple[int, str], ...]  #: (units, gift), lowest first


@dataclass(frozen=True)
class MessageTemplate:
    """A caring, non-commercial message a guide copies from the member card."""

    name: str  #: short, shown in the picker
    text: str  #: the message, with {name} {child} {child_age} {product} placeholders
    needs: tuple[str, ...]  #: the placeholders the text uses, in order of first use


@dataclass(frozen=True)
class Settings:
    source: Path  #: the file these came from, for messages
    shop: ShopSettings
    database: DatabaseSettings
    archive: ArchiveSettings
    callbacks: CallbackSettings
    vip_tiers: tuple[VipTier, ...]
    gift_rules: tuple[GiftRule, ...] = ()
    templates: tuple[MessageTemplate, ...] = ()  #: the message library (短信库); may be empty
    staff: StaffSettings = StaffSettings()
    leaderboards: LeaderboardSettings = LeaderboardSettings()
    printing: PrintingSettings = PrintingSettings()
    backup: BackupSettings = BackupSettings(dir=Path("backups"))
    #: [keys]: binding id → the keys that replace its own ("queue.log" = "o" or "enter,o")
    keys: dict[str, str] = field(default_factory=dict)

    def with_language(self, code: str) -> "Settings":
        """The same settings speaking another language (`--lang`)."""
        from dataclasses import replace

        return replace(self, shop=replace(self.shop, language=code))

    def with_database(self, path: str | Path) -> "Settings":
        """The same settings on another database file (`--db`)."""
        from dataclasses import replace

        return replace(self, database=replace(self.database, path=Path(path).expanduser().resolve()))
