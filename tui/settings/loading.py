"""settings.toml read once, checked table by table, and frozen into a Settings."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui.files import read_small_text
from tui.i18n import LANGUAGES, _
from tui.settings.lists import _gift_rules, _keys, _templates
from tui.settings.model import (DEFAULT_SETTINGS, HARD_FIELD_CHOICES, REASONS, SOFT_FIELD_CHOICES,
                                ArchiveSettings, BackupSettings, CallbackSettings,
                                DatabaseSettings, LeaderboardSettings, PrintingSettings, Settings,
                                SettingsError, ShopSettings, StaffSettings, VipTier)
from tui.settings.reading import _beside, _one_of, _Reader, _table, listed, unknown_key, wrong

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project needs 3.11, tomli keeps older ones honest
    import tomli as tomllib



def settings_path(explicit: str | Path | None = None) -> Path:
    """The file to read: --settings, then SHOPFLOOR_SETTINGS, then the default."""
    chosen = explicit or os.environ.get("SHOPFLOOR_SETTINGS") or DEFAULT_SETTINGS
    try:
        return Path(chosen).expanduser().resolve()
    except (RuntimeError, OSError):  # a symlink loop
        raise SettingsError(_("{file}: a symbolic link that leads back to itself; give the "
                              "settings file's own path").format(file=chosen)) from None


def load_settings(path: str | Path | None = None) -> Settings:
    file = settings_path(path)
    try:
        data = tomllib.loads(read_small_text(file, 1_000_000))
    except FileNotFoundError:
        raise SettingsError(_("{file}: no such settings file").format(file=file)) from None
    except OSError as exc:
        raise SettingsError(_("{file}: cannot read: {why}").format(
            file=file, why=exc.strerror)) from None
    except RecursionError:
        raise SettingsError(_("{file}: not valid TOML: arrays or tables nested too "
                              "deeply").format(file=file)) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib's own words say where (English: the library has no others)
        raise SettingsError(_("{file}: not valid TOML: {error}").format(
            file=file, error=exc)) from None
    except UnicodeDecodeError:
        raise SettingsError(_("{file}: not UTF-8 text; save the file as UTF-8").format(
            file=file)) from None
    except ValueError as exc:  # a pipe, a device, a file far too large (after its subclasses)
        raise SettingsError(_("{file}: {why}; give the settings file's path").format(
            file=file, why=exc)) from None

    known = {"shop", "database", "archive", "callbacks", "staff", "leaderboards", "printing",
             "backup", "vip_tiers", "gift_rules", "templates", "keys"}
    for key in data:
        if key not in known:
            raise unknown_key(file, key)

    t = _table(file, data, "shop")
    # optional: a settings file older than the setting keeps working, in English
    shop = ShopSettings(name=t.text("name"), timezone=t.text("timezone"),
                        language=(_one_of(t, "language", tuple(LANGUAGES))
                                  if "language" in t.table else "en"))
    try:
        ZoneInfo(shop.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise t.fail("timezone", _('an IANA time zone such as "Asia/Shanghai"')) from None
    t.no_extra()

    t = _table(file, data, "database")
    database = DatabaseSettings(path=_beside(file, t.text("path")),
                                busy_timeout_ms=t.whole("busy_timeout_ms", 0, 600_000),
                                file_group=t.get("file_group", str, _('a group name, or ""')).strip(),
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
        raise t.fail("phone_pattern", _("a regular expression ({error})").format(
            error=exc)) from None
    if abs(archive.hard_weight + archive.soft_weight - 1) > 1e-9:
        raise t.fail("soft_weight", _("hard_weight + soft_weight to add up to 1"))
    t.no_extra()

    t = _table(file, data, "callbacks")
    order = t.choices("reason_order", REASONS)
    if set(order) != set(REASONS):
        raise t.fail("reason_order", _("every reason exactly once: {reasons}").format(
            reasons=listed(REASONS)))
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
        raise wrong(file, "vip_tiers", _("one or more [[vip_tiers]] tables"))
    tiers: list[VipTier] = []
    for i, raw in enumerate(tiers_raw, start=1):
        if not isinstance(raw, dict):
            raise wrong(file, f"vip_tiers[{i}]", _("a [[vip_tiers]] table"))
        t = _Reader(file, raw, f"vip_tiers[{i}].")
        tier = VipTier(
            name=t.text("name"),
            min_spend_cents=t.whole("min_spend_yuan", 0, 100_000_000) * 100,
            benefit=t.get("benefit", str, _("a string")),
        )
        if tiers and tier.min_spend_cents <= tiers[-1].min_spend_cents:
            raise t.fail("min_spend_yuan",
                         _("a threshold above the tier before it (lowest tier first)"))
        t.no_extra()
        tiers.append(tier)
    if tiers[0].min_spend_cents != 0:
        raise wrong(file, "vip_tiers[1].min_spend_yuan",
                    _("0 (the lowest tier takes every member)"))

    t = _table(file, data, "staff")
    staff = StaffSettings(
        guides_see_whole_shop=t.get("guides_see_whole_shop", bool, _("true or false")),
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
    printer = t.get("printer", str, _('a CUPS queue name, or "" for CUPS\'s default printer'))
    width = t.whole("width", 32, 80)
    if width not in (32, 42, 48, 80):
        raise t.fail("width", _("32, 42 or 48 (receipt paper) or 80 (A4)"))
    # optional: a settings file from before issue 13 has none
    bilingual = ("bilingual_heading" in t.table
                 and t.get("bilingual_heading", bool, _("true or false")))
    t.no_extra()

    return Settings(source=file, shop=shop, database=database, archive=archive,
                    callbacks=callbacks, vip_tiers=tuple(tiers), staff=staff,
                    leaderboards=leaderboards, backup=backup,
                    printing=PrintingSettings(printer=printer.strip(), width=width,
                                             bilingual_heading=bilingual),
                    gift_rules=_gift_rules(file, data.get("gift_rules", [])),
                    templates=_templates(file, data.get("templates", [])),
                    keys=_keys(file, data.get("keys", {})))
