"""Taking checked values out of one TOML table: every mistake is one SettingsError naming
the file, the dotted key and what was expected.

The line is said in the language spoken when it is raised: the command line speaks the
file's own [shop] language (read before the settings are, tui.cli.language_before_parsing)
or --lang, English when neither can be known; the keys, table names and literal values
(true, "Asia/Shanghai") stay as they are written in the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.i18n import _, pgettext
from tui.settings.model import SettingsError


def wrong(file: Path, key: str, what: str) -> SettingsError:
    """The one line for a value that is not what it should be: the file, the dotted key,
    and WHAT was expected (already in the language spoken: `_("a string")`)."""
    return SettingsError(_("{file}: {key}: expected {expected}").format(
        file=file, key=key, expected=what))


def unknown_key(file: Path, key: str) -> SettingsError:
    return SettingsError(_("{file}: {key}: unknown key").format(file=file, key=key))


def listed(items) -> str:
    """Names a setting may take, one after another as the language lists them
    ("a, b" / "a、b"); the names themselves as they are written in the file."""
    return pgettext("list separator", ", ").join(items)


class _Reader:
    """Takes values out of one TOML table, remembering the dotted key for messages."""

    def __init__(self, file: Path, table: dict[str, Any], prefix: str):
        self.file, self.table, self.prefix = file, table, prefix
        self.used: set[str] = set()

    def fail(self, key: str, expected: str) -> SettingsError:
        return wrong(self.file, self.prefix + key, expected)

    def get(self, key: str, kind: type | tuple[type, ...], expected: str) -> Any:
        self.used.add(key)
        if key not in self.table:
            raise SettingsError(_("{file}: {key}: missing; expected {expected}").format(
                file=self.file, key=self.prefix + key, expected=expected))
        value = self.table[key]
        # bool is an int in Python; a setting that wants a number must not take true.
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(key, expected)
        if not isinstance(value, kind):
            raise self.fail(key, expected)
        return value

    def text(self, key: str) -> str:
        value = self.get(key, str, _("a non-empty string"))
        if not value.strip():
            raise self.fail(key, _("a non-empty string"))
        return value

    def whole(self, key: str, low: int, high: int) -> int:
        expected = _("a whole number from {low} to {high}").format(low=low, high=high)
        value = self.get(key, int, expected)
        if not low <= value <= high:
            raise self.fail(key, expected)
        return value

    def share(self, key: str) -> float:
        expected = _("a number from 0 to 1")
        value = float(self.get(key, (int, float), expected))
        if not 0 <= value <= 1:
            raise self.fail(key, expected)
        return value

    def choices(self, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        expected = _("a list of distinct names from: {names}").format(names=listed(allowed))
        value = self.get(key, list, expected)
        if not value or any(not isinstance(v, str) or v not in allowed for v in value):
            raise self.fail(key, expected)
        if len(set(value)) != len(value):
            raise self.fail(key, expected)
        return tuple(value)

    def no_extra(self) -> None:
        for key in self.table:
            if key not in self.used:
                raise unknown_key(self.file, self.prefix + key)


def _table(file: Path, data: dict[str, Any], name: str) -> _Reader:
    if name not in data:
        raise SettingsError(_("{file}: [{name}]: missing table").format(file=file, name=name))
    if not isinstance(data[name], dict):
        raise wrong(file, name, _("a table [{name}]").format(name=name))
    return _Reader(file, data[name], f"{name}.")


def _beside(file: Path, text: str) -> Path:
    """A path from the settings file: a relative one is taken from the file's folder."""
    path = Path(text).expanduser()
    return (path if path.is_absolute() else file.parent / path).resolve()


def _one_of(t: "_Reader", key: str, allowed: tuple[str, ...]) -> str:
    value = t.text(key)
    if value not in allowed:
        raise t.fail(key, _("one of {choices}").format(
            choices=listed(f'"{a}"' for a in allowed)))
    return value
