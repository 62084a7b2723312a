"""The shop's name and time zone written into settings.toml by `shopfloor init` and the
first-run screen: only the `name = ` and `timezone = ` lines of [shop] are replaced, the
comments and every other line kept as the shop wrote them. The new text is written beside
the file and renamed over it once complete and read back, so the file is never half-written.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from pathlib import Path
from zoneinfo import available_timezones

from tui.i18n import _
from tui.settings.model import SettingsError

#: the longest shop name (it is the header of every screen and sheet)
SHOP_NAME_MAX = 40

_TABLE = re.compile(r"^\s*\[\[?\s*([^\]\s]+)\s*\]\]?")


def zone_problem(zone: str) -> str | None:
    """What is wrong with an IANA time zone as typed, or None ("Asia/Shanghai")."""
    if not zone.strip():
        return _("type the shop's IANA time zone, such as Asia/Shanghai")
    if zone.strip() in available_timezones():
        return None
    return _("{zone!r} is not an IANA time zone; type one such as Asia/Shanghai").format(
        zone=zone.strip())


def shop_name_problem(name: str) -> str | None:
    """What is wrong with a shop's name as typed, or None."""
    name = name.strip()
    if not name:
        return _("the shop's name is empty; type the name on the shop's sign")
    if any(ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 for ch in name):
        return _("no control characters, please")
    if len(name) > SHOP_NAME_MAX:
        return _("{n} characters; at most {limit}").format(n=len(name), limit=SHOP_NAME_MAX)
    return None


def _toml_string(text: str) -> str:
    # a JSON string is a TOML basic string: the same quotes and escapes
    return json.dumps(text, ensure_ascii=False)


def shop_text(text: str, name: str, timezone: str) -> str:
    """The settings TEXT with [shop]'s name and timezone lines replaced (added under the
    table's head when missing, the table itself when the file has none)."""
    lines = text.splitlines(keepends=True)
    table, head, found = None, None, {"name": False, "timezone": False}
    values = {"name": _toml_string(name.strip()), "timezone": _toml_string(timezone.strip())}
    for i, line in enumerate(lines):
        opened = _TABLE.match(line)
        if opened:
            table = opened.group(1)
            if table == "shop":
                head = i
            continue
        if table != "shop":
            continue
        key = re.match(r"^(\s*)(name|timezone)\s*=", line)
        if key and not found[key.group(2)]:
            end = "\r\n" if line.endswith("\r\n") else "\n" if line.endswith("\n") else ""
            lines[i] = f"{key.group(1)}{key.group(2)} = {values[key.group(2)]}{end}"
            found[key.group(2)] = True
    missing = [f"{k} = {values[k]}\n" for k in ("name", "timezone") if not found[k]]
    if missing and head is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines += ["\n", "[shop]\n", *missing]
    elif missing:
        lines[head + 1:head + 1] = missing
    return "".join(lines)


def write_shop(path: Path, name: str, timezone: str) -> None:
    """Write the shop's name and time zone into the settings file at PATH, its comments kept;
    all or nothing (SettingsError in one line when it cannot be written)."""
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = ""
    except OSError as exc:
        raise SettingsError(_("{path}: cannot be read ({why})").format(
            path=path, why=exc.strerror or exc)) from None
    new = shop_text(old, name, timezone)
    shop = tomllib.loads(new).get("shop", {})  # read back before it replaces anything
    if (shop.get("name"), shop.get("timezone")) != (name.strip(), timezone.strip()):
        raise SettingsError(_("{path}: the shop's name and time zone could not be written "
                              "into it; nothing was changed").format(path=path))
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    try:
        fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as exc:
        raise SettingsError(_("{path}: cannot be written ({why}); nothing was changed").format(
            path=path, why=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(new)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, mode)
        os.replace(partial, path)
    except OSError as exc:
        Path(partial).unlink(missing_ok=True)
        raise SettingsError(_("{path}: cannot be written ({why}); nothing was changed").format(
            path=path, why=exc.strerror or exc)) from None
