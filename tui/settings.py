"""Settings: settings.toml read once, checked, and frozen into typed objects.

Every mistake in the file becomes one SettingsError naming the file, the key and
what was expected, so the command line can print one line and exit 2.
"""

from __future__ import annotations

import os
import re
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui.errors import ShopfloorError
from tui.files import read_small_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project needs 3.11, tomli keeps older ones honest
    import tomli as tomllib

#: The default settings file: the one at the repository root.
DEFAULT_SETTINGS = Path(__file__).resolve().parent.parent / "settings.toml"

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

    def with_database(self, path: str | Path) -> "Settings":
        """The same settings on another database file (`--db`)."""
        from dataclasses import replace

        return replace(self, database=replace(self.database, path=Path(path).expanduser().resolve()))


class _Reader:
    """Takes values out of one TOML table, remembering the dotted key for messages."""

    def __init__(self, file: Path, table: dict[str, Any], prefix: str):
        self.file, self.table, self.prefix = file, table, prefix
        self.used: set[str] = set()

    def fail(self, key: str, expected: str) -> SettingsError:
        return SettingsError(f"{self.file}: {self.prefix}{key}: expected {expected}")

    def get(self, key: str, kind: type | tuple[type, ...], expected: str) -> Any:
        self.used.add(key)
        if key not in self.table:
            raise SettingsError(f"{self.file}: {self.prefix}{key}: missing; expected {expected}")
        value = self.table[key]
        # bool is an int in Python; a setting that wants a number must not take true.
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(key, expected)
        if not isinstance(value, kind):
            raise self.fail(key, expected)
        return value

    def text(self, key: str) -> str:
        value = self.get(key, str, "a non-empty string")
        if not value.strip():
            raise self.fail(key, "a non-empty string")
        return value

    def whole(self, key: str, low: int, high: int) -> int:
        expected = f"a whole number from {low} to {high}"
        value = self.get(key, int, expected)
        if not low <= value <= high:
            raise self.fail(key, expected)
        return value

    def share(self, key: str) -> float:
        expected = "a number from 0 to 1"
        value = float(self.get(key, (int, float), expected))
        if not 0 <= value <= 1:
            raise self.fail(key, expected)
        return value

    def choices(self, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        expected = "a list of distinct names from: " + ", ".join(allowed)
        value = self.get(key, list, expected)
        if not value or any(not isinstance(v, str) or v not in allowed for v in value):
            raise self.fail(key, expected)
        if len(set(value)) != len(value):
            raise self.fail(key, expected)
        return tuple(value)

    def no_extra(self) -> None:
        for key in self.table:
            if key not in self.used:
                raise SettingsError(f"{self.file}: {self.prefix}{key}: unknown key")


def _table(file: Path, data: dict[str, Any], name: str) -> _Reader:
    if name not in data:
        raise SettingsError(f"{file}: [{name}]: missing table")
    if not isinstance(data[name], dict):
        raise SettingsError(f"{file}: {name}: expected a table [{name}]")
    return _Reader(file, data[name], f"{name}.")


def _beside(file: Path, text: str) -> Path:
    """A path from the settings file: a relative one is taken from the file's folder."""
    path = Path(text).expanduser()
    return (path if path.is_absolute() else file.parent / path).resolve()


def settings_path(explicit: str | Path | None = None) -> Path:
    """The file to read: --settings, then SHOPFLOOR_SETTINGS, then the default."""
    chosen = explicit or os.environ.get("SHOPFLOOR_SETTINGS") or DEFAULT_SETTINGS
    try:
        return Path(chosen).expanduser().resolve()
    except (RuntimeError, OSError):  # a symlink loop
        raise SettingsError(f"{chosen}: a symbolic link that leads back to itself; "
                            "give the settings file's own path") from None


def load_settings(path: str | Path | None = None) -> Settings:
    file = settings_path(path)
    try:
        data = tomllib.loads(read_small_text(file, 1_000_000))
    except FileNotFoundError:
        raise SettingsError(f"{file}: no such settings file") from None
    except OSError as exc:
        raise SettingsError(f"{file}: cannot read: {exc.strerror}") from None
    except RecursionError:
        raise SettingsError(f"{file}: not valid TOML: arrays or tables nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{file}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{file}: not UTF-8 text; save the file as UTF-8") from None
    except ValueError as exc:  # a pipe, a device, a file far too large (after its subclasses)
        raise SettingsError(f"{file}: {exc}; give the settings file's path") from None

    known = {"shop", "database", "archive", "callbacks", "staff", "leaderboards", "printing",
             "backup", "vip_tiers", "gift_rules", "templates", "keys"}
    for key in data:
        if key not in known:
            raise SettingsError(f"{file}: {key}: unknown key")

    t = _table(file, data, "shop")
    shop = ShopSettings(name=t.text("name"), timezone=t.text("timezone"))
    try:
        ZoneInfo(shop.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise t.fail("timezone", 'an IANA time zone such as "Asia/Shanghai"') from None
    t.no_extra()

    t = _table(file, data, "database")
    database = DatabaseSettings(path=_beside(file, t.text("path")),
                                busy_timeout_ms=t.whole("busy_timeout_ms", 0, 600_000),
                                file_group=t.get("file_group", str, 'a group name, or ""').strip(),
                                refresh_seconds=(t.whole("refresh_seconds", 0, 3600)
                                                 if "refresh_seconds" in t.table else 5))
    t.no_extra()

    t = _table(file, data, "backup")
    backup = BackupSettings(dir=_beside(file, t.text("dir")),
                            keep_daily=t.whole("keep_daily", 1, 366),
                            keep_weekly=t.whole("keep_weekly", 0, 520),
                            keep_monthly=t.whole("keep_monthly", 0, 1200))
    t.no_extra()

    t = _table(file, data, "archive")
    archive = ArchiveSettings(
        hard_weight=t.share("hard_weight"),
        soft_weight=t.share("soft_weight"),
        hard_fields=t.choices("hard_fields", HARD_FIELD_CHOICES),
        soft_fields=t.choices("soft_fields", SOFT_FIELD_CHOICES),
        complete_threshold=t.share("complete_threshold"),
        phone_pattern=t.text("phone_pattern"),
        phone_hint=t.text("phone_hint"),
    )
    try:
        re.compile(archive.phone_pattern)
    except re.error as exc:
        raise t.fail("phone_pattern", f"a regular expression ({exc})") from None
    if abs(archive.hard_weight + archive.soft_weight - 1) > 1e-9:
        raise t.fail("soft_weight", "hard_weight + soft_weight to add up to 1")
    t.no_extra()

    t = _table(file, data, "callbacks")
    order = t.choices("reason_order", REASONS)
    if set(order) != set(REASONS):
        raise t.fail("reason_order", "every reason exactly once: " + ", ".join(REASONS))
    callbacks = CallbackSettings(
        follow_up_hours=t.whole("follow_up_hours", 1, 24 * 14),
        running_out_lead_days=t.whole("running_out_lead_days", 0, 60),
        birthday_lead_days=t.whole("birthday_lead_days", 0, 60),
        dormant_purchase_days=t.whole("dormant_purchase_days", 1, 3650),
        dormant_contact_days=t.whole("dormant_contact_days", 1, 3650),
        no_answer_retry_days=t.whole("no_answer_retry_days", 1, 60),
        complaint_feedback_days=t.whole("complaint_feedback_days", 0, 60),
        stale_after_days=t.whole("stale_after_days", 1, 365),
        reason_order=order,
        # optional: a settings file older than the setting keeps working
        guide_daily_capacity=(t.whole("guide_daily_capacity", 1, 1000)
                              if "guide_daily_capacity" in t.table else 40),
    )
    t.no_extra()

    tiers_raw = data.get("vip_tiers")
    if not isinstance(tiers_raw, list) or not tiers_raw:
        raise SettingsError(f"{file}: vip_tiers: expected one or more [[vip_tiers]] tables")
    tiers: list[VipTier] = []
    for i, raw in enumerate(tiers_raw, start=1):
        if not isinstance(raw, dict):
            raise SettingsError(f"{file}: vip_tiers[{i}]: expected a [[vip_tiers]] table")
        t = _Reader(file, raw, f"vip_tiers[{i}].")
        tier = VipTier(
            name=t.text("name"),
            min_spend_cents=t.whole("min_spend_yuan", 0, 100_000_000) * 100,
            benefit=t.get("benefit", str, "a string"),
        )
        if tiers and tier.min_spend_cents <= tiers[-1].min_spend_cents:
            raise t.fail("min_spend_yuan", "a threshold above the tier before it (lowest tier first)")
        t.no_extra()
        tiers.append(tier)
    if tiers[0].min_spend_cents != 0:
        raise SettingsError(f"{file}: vip_tiers[1].min_spend_yuan: expected 0 (the lowest tier takes every member)")

    t = _table(file, data, "staff")
    staff = StaffSettings(
        guides_see_whole_shop=t.get("guides_see_whole_shop", bool, "true or false"),
        pin_min_length=t.whole("pin_min_length", 4, 12),
        lockout_attempts=t.whole("lockout_attempts", 1, 100),
        lockout_minutes=t.whole("lockout_minutes", 1, 24 * 60),
    )
    t.no_extra()

    t = _table(file, data, "leaderboards")
    leaderboards = LeaderboardSettings(
        follow_up_success_days=t.whole("follow_up_success_days", 1, 365),
        week_starts_on=_one_of(t, "week_starts_on", ("monday", "sunday")),
    )
    t.no_extra()

    t = _table(file, data, "printing")
    printer = t.get("printer", str, 'a CUPS queue name, or "" for CUPS\'s default printer')
    width = t.whole("width", 32, 80)
    if width not in (32, 42, 48, 80):
        raise t.fail("width", "32, 42 or 48 (receipt paper) or 80 (A4)")
    t.no_extra()

    return Settings(source=file, shop=shop, database=database, archive=archive,
                    callbacks=callbacks, vip_tiers=tuple(tiers), staff=staff,
                    leaderboards=leaderboards, backup=backup,
                    printing=PrintingSettings(printer=printer.strip(), width=width),
                    gift_rules=_gift_rules(file, data.get("gift_rules", [])),
                    templates=_templates(file, data.get("templates", [])),
                    keys=_keys(file, data.get("keys", {})))


#: a binding id: the screen, a dot, the action ("queue.log", "card.note")
_BINDING_ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
#: one key as Textual names it: a character, or a name with modifiers ("f5", "ctrl+s")
_KEY = re.compile(r"[^\s,]|(?:(?:ctrl|shift|alt|super|meta)\+)*(?:[a-z0-9_]+|[^\s,])")


def _keys(file: Path, raw: object) -> dict[str, str]:
    """[keys]: which keys a binding answers to instead of its own. Whether each id names a
    binding the app has is checked when the app starts (it knows its screens)."""
    if not isinstance(raw, dict):
        raise SettingsError(f"{file}: keys: expected a table [keys]")
    keys: dict[str, str] = {}
    # queue.log = "o" is TOML for a table queue with a key log: read it as the id "queue.log"
    flat = [(f"{screen}.{action}", value) for screen, actions in raw.items()
            if isinstance(actions, dict) for action, value in actions.items()]
    flat += [(binding_id, value) for binding_id, value in raw.items()
             if not isinstance(value, dict)]
    for binding_id, value in flat:
        where = f"{file}: keys.{binding_id}"
        if not _BINDING_ID.fullmatch(binding_id):
            raise SettingsError(f'{where}: expected a binding id such as "queue.log" '
                                "(the ids are listed by ? on each screen)")
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f'{where}: expected the keys as a string, e.g. "o" or "enter,o"')
        parts = [k.strip() for k in value.split(",")]
        bad = [k for k in parts if not _KEY.fullmatch(k)]
        if bad:
            raise SettingsError(f'{where}: {bad[0]!r} is not a key; write a character ("o", '
                                '"?"), a key name ("enter", "f5") or one with modifiers '
                                '("ctrl+o"), several separated by commas')
        keys[binding_id] = ",".join(parts)
    return keys


def _one_of(t: "_Reader", key: str, allowed: tuple[str, ...]) -> str:
    value = t.text(key)
    if value not in allowed:
        raise t.fail(key, "one of " + ", ".join(f'"{a}"' for a in allowed))
    return value


def _gift_rules(file: Path, raw_rules: object) -> tuple[GiftRule, ...]:
    if not isinstance(raw_rules, list):
        raise SettingsError(f"{file}: gift_rules: expected [[gift_rules]] tables")
    rules = []
    for i, raw in enumerate(raw_rules, start=1):
        if not isinstance(raw, dict):
            raise SettingsError(f"{file}: gift_rules[{i}]: expected a [[gift_rules]] table")
        t = _Reader(file, raw, f"gift_rules[{i}].")
        name, unit = t.text("name"), t.text("unit")
        brand = t.text("brand") if "brand" in raw else None
        sku = t.text("sku") if "sku" in raw else None
        if (brand is None) == (sku is None):
            raise t.fail("brand", "exactly one of brand and sku")
        expected = "a list of { units = N, gift = \"...\" }, units rising from 1"
        raw_steps = t.get("steps", list, expected)
        steps: list[tuple[int, str]] = []
        for step in raw_steps:
            if (not isinstance(step, dict) or set(step) != {"units", "gift"}
                    or isinstance(step["units"], bool) or not isinstance(step["units"], int)
                    or not isinstance(step["gift"], str) or not step["gift"].strip()
                    or step["units"] < 1 or (steps and step["units"] <= steps[-1][0])):
                raise t.fail("steps", expected)
            steps.append((step["units"], step["gift"]))
        if not steps:
            raise t.fail("steps", expected)
        t.no_extra()
        rules.append(GiftRule(name, brand, sku, unit, tuple(steps)))
    return tuple(rules)


def template_placeholders(text: str) -> tuple[str, ...]:
    """The placeholders a template's text uses, in order of first use.

    ValueError says what is wrong: an unbalanced brace, an unknown name, or a format
    spec or conversion ({name:10}, {name!r}) that a message has no use for.
    """
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        raise ValueError("unbalanced braces") from None
    needs: list[str] = []
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in TEMPLATE_PLACEHOLDERS:
            raise ValueError(f"unknown placeholder {{{field}}}")
        if spec or conversion:
            raise ValueError(f"a plain placeholder, not {{{field}{'!' + conversion if conversion else ''}"
                             f"{':' + spec if spec else ''}}}")
        if field not in needs:
            needs.append(field)
    return tuple(needs)


def _templates(file: Path, raw_templates: object) -> tuple[MessageTemplate, ...]:
    if not isinstance(raw_templates, list):
        raise SettingsError(f"{file}: templates: expected [[templates]] tables")
    allowed = ", ".join("{" + name + "}" for name in TEMPLATE_PLACEHOLDERS)
    templates: list[MessageTemplate] = []
    for i, raw in enumerate(raw_templates, start=1):
        if not isinstance(raw, dict):
            raise SettingsError(f"{file}: templates[{i}]: expected a [[templates]] table")
        t = _Reader(file, raw, f"templates[{i}].")
        name, text = t.text("name"), t.text("text")
        if any(name == earlier.name for earlier in templates):
            raise t.fail("name", f"a name no other template has ({name!r} is used twice)")
        try:
            needs = template_placeholders(text)
        except ValueError as exc:
            raise t.fail("text", f"text with placeholders from {allowed} and {{{{ }}}} for a "
                         f"brace ({exc})") from None
        t.no_extra()
        templates.append(MessageTemplate(name, text, needs))
    return tuple(templates)
