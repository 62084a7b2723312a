"""Settings: settings.toml read once, checked, and frozen into typed objects.

Every mistake in the file becomes one SettingsError naming the file, the key and
what was expected, so the command line can print one line and exit 2.

The package: model.py (the typed settings), reading.py (checked values from one table),
loading.py (the file, table by table), lists.py (gift rules, templates, [keys]).
"""

from tui.settings.lists import template_placeholders
from tui.settings.loading import load_settings, settings_path
from tui.settings.model import (DEFAULT_SETTINGS, HARD_FIELD_CHOICES, REASONS, SOFT_FIELD_CHOICES,
                                TEMPLATE_PLACEHOLDERS, ArchiveSettings, BackupSettings,
                                CallbackSettings, DatabaseSettings, GiftRule, LeaderboardSettings,
                                MessageTemplate, PrintingSettings, Settings, SettingsError,
                                ShopSettings, StaffSettings, VipTier)

__all__ = ["DEFAULT_SETTINGS", "HARD_FIELD_CHOICES", "REASONS", "SOFT_FIELD_CHOICES",
           "TEMPLATE_PLACEHOLDERS", "ArchiveSettings", "BackupSettings", "CallbackSettings",
           "DatabaseSettings", "GiftRule", "LeaderboardSettings", "MessageTemplate",
           "PrintingSettings", "Settings", "SettingsError", "ShopSettings", "StaffSettings",
           "VipTier", "load_settings", "settings_path", "template_placeholders"]
