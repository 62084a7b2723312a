"""The settings that are lists or free tables: gift rules, message templates, [keys]."""

from __future__ import annotations

import re
import string
from pathlib import Path

from tui.i18n import _
from tui.settings.model import TEMPLATE_PLACEHOLDERS, GiftRule, MessageTemplate, SettingsError
from tui.settings.reading import _Reader, listed, wrong


#: a binding id: the screen, a dot, the action ("queue.log", "card.note")
_BINDING_ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
#: one key as Textual names it: a character, or a name with modifiers ("f5", "ctrl+s")
_KEY = re.compile(r"[^\s,]|(?:(?:ctrl|shift|alt|super|meta)\+)*(?:[a-z0-9_]+|[^\s,])")


def _keys(file: Path, raw: object) -> dict[str, str]:
    """[keys]: which keys a binding answers to instead of its own. Whether each id names a
    binding the app has is checked when the app starts (it knows its screens)."""
    if not isinstance(raw, dict):
        raise wrong(file, "keys", _("a table [{name}]").format(name="keys"))
    keys: dict[str, str] = {}
    # queue.log = "o" is TOML for a table queue with a key log: read it as the id "queue.log"
    flat = [(f"{screen}.{action}", value) for screen, actions in raw.items()
            if isinstance(actions, dict) for action, value in actions.items()]
    flat += [(binding_id, value) for binding_id, value in raw.items()
             if not isinstance(value, dict)]
    for binding_id, value in flat:
        where = f"keys.{binding_id}"
        if not _BINDING_ID.fullmatch(binding_id):
            raise wrong(file, where, _('a binding id such as "queue.log" (the ids are listed '
                                       "by ? on each screen)"))
        if not isinstance(value, str) or not value.strip():
            raise wrong(file, where, _('the keys as a string, e.g. "o" or "enter,o"'))
        parts = [k.strip() for k in value.split(",")]
        bad = [k for k in parts if not _KEY.fullmatch(k)]
        if bad:
            raise SettingsError(_('{file}: {key}: {bad!r} is not a key; write a character '
                                  '("o", "?"), a key name ("enter", "f5") or one with '
                                  'modifiers ("ctrl+o"), several separated by commas').format(
                                      file=file, key=where, bad=bad[0]))
        keys[binding_id] = ",".join(parts)
    return keys


def _gift_rules(file: Path, raw_rules: object) -> tuple[GiftRule, ...]:
    if not isinstance(raw_rules, list):
        raise wrong(file, "gift_rules", _("[[gift_rules]] tables"))
    rules = []
    for i, raw in enumerate(raw_rules, start=1):
        if not isinstance(raw, dict):
            raise wrong(file, f"gift_rules[{i}]", _("a [[gift_rules]] table"))
        t = _Reader(file, raw, f"gift_rules[{i}].")
        name, unit = t.text("name"), t.text("unit")
        brand = t.text("brand") if "brand" in raw else None
        sku = t.text("sku") if "sku" in raw else None
        if (brand is None) == (sku is None):
            raise t.fail("brand", _("exactly one of brand and sku"))
        expected = _('a list of { units = N, gift = "..." }, units rising from 1')
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
        raise ValueError(_("unbalanced braces")) from None
    needs: list[str] = []
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in TEMPLATE_PLACEHOLDERS:
            raise ValueError(_("unknown placeholder {{{name}}}").format(name=field))
        if spec or conversion:
            written = f"{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}"
            raise ValueError(_("a plain placeholder, not {{{written}}}").format(written=written))
        if field not in needs:
            needs.append(field)
    return tuple(needs)


def _templates(file: Path, raw_templates: object) -> tuple[MessageTemplate, ...]:
    if not isinstance(raw_templates, list):
        raise wrong(file, "templates", _("[[templates]] tables"))
    allowed = listed("{" + name + "}" for name in TEMPLATE_PLACEHOLDERS)
    templates: list[MessageTemplate] = []
    for i, raw in enumerate(raw_templates, start=1):
        if not isinstance(raw, dict):
            raise wrong(file, f"templates[{i}]", _("a [[templates]] table"))
        t = _Reader(file, raw, f"templates[{i}].")
        name, text = t.text("name"), t.text("text")
        if any(name == earlier.name for earlier in templates):
            raise t.fail("name", _("a name no other template has ({name!r} is used "
                                   "twice)").format(name=name))
        try:
            needs = template_placeholders(text)
        except ValueError as exc:
            raise t.fail("text", _("text with placeholders from {allowed} and {{{{ }}}} for "
                                   "a brace ({error})").format(allowed=allowed, error=exc)) from None
        t.no_extra()
        templates.append(MessageTemplate(name, text, needs))
    return tuple(templates)
