"""The keys, from the bindings themselves: the help lists them, the footer shows them, and
a shop may remap any of them by its id in settings.toml ([keys], Textual's keymap).

Every binding has an id, "screen.action" ("queue.log", "card.note"); `[keys]` gives the
keys that replace a binding's own. The help screen lists the keys of the screen under it
as they are bound now, so it can never disagree with them.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode
from rich.cells import cell_len
from textual.keys import key_to_character

from tui.i18n import _

#: how a key is written in the help: the words on the keyboard's keycaps
KEY_WORDS = {
    "enter": "Enter", "escape": "Esc", "tab": "Tab", "shift+tab": "shift+Tab",
    "space": "Space", "backspace": "Backspace", "delete": "Del", "up": "↑", "down": "↓",
    "left": "←", "right": "→", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home",
    "end": "End", "insert": "Ins", "slash": "/", "backslash": "\\", "comma": ",",
    "full_stop": ".", "minus": "-", "plus": "+", "asterisk": "*", "equals_sign": "=",
}


def key_words(key: str) -> str:
    """One key as the help writes it: "Enter", "Esc", "?", "[", "ctrl+s", "S"."""
    if key in KEY_WORDS:
        return KEY_WORDS[key]
    if "+" in key:  # ctrl+s, ctrl+n: as typed
        return key
    return key_to_character(key) or key


@dataclass(frozen=True)
class BoundKey:
    """One binding where it is declared: `where` is the class that has it."""

    where: type
    binding: Binding


def every_binding(app_class: type) -> Iterator[BoundKey]:
    """Every binding the program declares: `app_class`'s, each screen's and each widget's of
    ours. Imports every screen module (the app itself imports them only as they open)."""
    import tui.screens
    import tui.widgets

    modules = [importlib.import_module(f"{package.__name__}.{info.name}")
               for package in (tui.screens, tui.widgets)
               for info in pkgutil.iter_modules(package.__path__)]
    seen: set[type] = set()
    for cls in [app_class] + [c for m in modules for _, c in inspect.getmembers(m, inspect.isclass)
                                 if c.__module__ == m.__name__]:
        if cls in seen or not issubclass(cls, DOMNode):
            continue
        seen.add(cls)
        for item in cls.__dict__.get("BINDINGS", []):
            for binding in Binding.make_bindings([item]):
                yield BoundKey(cls, binding)


def keymap_problems(keymap: dict[str, str], app_class: type) -> dict[str, str]:
    """The ids in a [keys] table that name no binding, each with one line saying so and
    the nearest id."""
    known = sorted({b.binding.id for b in every_binding(app_class) if b.binding.id})
    problems = {}
    for binding_id in keymap:
        if binding_id not in known:
            near = difflib.get_close_matches(binding_id, known, n=1)
            if near:
                words = _("settings.toml [keys]: no binding is called {id}; did you mean "
                          "{near}?").format(id=binding_id, near=near[0])
            else:
                words = _("settings.toml [keys]: no binding is called {id}; ? on a screen "
                          "lists its ids").format(id=binding_id)
            problems[binding_id] = words
    return problems


def _pad(text: str, width: int) -> str:
    """`text` markup-escaped, padded to `width` terminal cells (a Chinese character is two)."""
    return _escape(text) + " " * max(0, width - cell_len(text))


def _escape(text: str) -> str:
    """Every "[" escaped: a key such as [ is not the start of a tag."""
    return text.replace("[", "\\[")


def keys_help(screen) -> str:
    """The keys of `screen` as they are bound now (the shop's [keys] applied): its own,
    then the app's, each with its id for [keys]. Markup-safe text."""
    app = screen.app
    groups: dict[tuple[int, str], list[str]] = {}
    words: dict[tuple[int, str], tuple[str, str]] = {}
    for key, active in screen.active_bindings.items():
        node, binding = active.node, active.binding
        if node is not screen and node is not app:
            continue  # a widget's own keys (a table's arrows): not ours to list
        if not binding.id and binding.action != "command_palette":
            continue  # Textual's own (Tab, ctrl+c): not the shop's keys
        if binding.action == "command_palette":
            what, bid = _("every screen and command"), ""
        else:
            what = _(binding.tooltip or binding.description) or binding.action
            bid = binding.id or ""
        group = (0 if node is screen else 1, binding.id or binding.action)
        groups.setdefault(group, []).append(key_words(key))
        words[group] = (what, bid)
    lines = [_("[b]Keys[/b] (a shop may change them: settings.toml \\[keys], by the id)")]
    for group in sorted(groups, key=lambda g: g[0]):
        what, bid = words[group]
        keys = " ".join(dict.fromkeys(groups[group]))
        lines.append(f"  {_pad(keys, 10)} {_pad(what, 36)} [dim]{_escape(bid)}[/dim]".rstrip())
    return "\n".join(lines)
