"""Keys a shop can change: every binding has an id, [keys] in settings.toml remaps it, the
help lists the keys as they are bound now, and the README names no key that nothing binds."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from textual.widgets import Checkbox, DataTable, Input, OptionList

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import Contact
from tui.screens.assign import AssignScreen
from tui.screens.contact_form import ContactForm
from tui.screens.help import HelpScreen
from tui.screens.keys import every_binding, key_words
from tui.screens.lookup import LookupScreen
from tui.screens.member import MemberScreen
from tui.screens.pdca import CheckPanelScreen, PdcaScreen
from tui.screens.queue import QueueScreen
from tui.screens.sign_in import SignInScreen
from tui.widgets.choice import DigitChoice


README = Path(__file__).resolve().parents[2] / "README.md"

#: the README's "Where" column → the screen whose keys it names, and the widgets on it
#: whose own keys (a table's arrows, a field's typing) a row may name too
WHERE = {
    "queue": (QueueScreen, [DataTable]),
    "sign-in": (SignInScreen, [OptionList, Input]),
    "anywhere": (ShopfloorApp, []),
    "member card": (MemberScreen, []),
    "assign members": (AssignScreen, [DigitChoice, DataTable]),
    "PDCA plans": (PdcaScreen, [DataTable]),
    "check panel": (CheckPanelScreen, [DataTable]),
    "lookup": (LookupScreen, [Input]),
    "contact form": (ContactForm, [DigitChoice, Checkbox, Input]),
}
#: how the README writes a key → the key's name in a binding
WRITTEN = {"Enter": "enter", "esc": "escape", "Esc": "escape", "?": "question_mark",
           "/": "slash", "[": "left_square_bracket", "]": "right_square_bracket",
           "↑": "up", "↓": "down", "←": "left", "→": "right", "tab": "tab"}


def readme_rows() -> list[tuple[str, str, list[str]]]:
    """(where, keys as written, key names) of each row of the README's Keys table."""
    text = README.read_text(encoding="utf-8")
    table = text.split("## Keys", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Where", "---"):
            continue
        where, written, _ = cells
        names = []
        tokens = [t for t in re.split(r"[,\s]+", written) if t]
        for token in tokens:
            if token in ("or", "digits") or (token == "/" and len(tokens) > 1):
                continue  # "digits": typed into a field (the PIN); "tab / shift+tab": a pair
            if m := re.fullmatch(r"(\d)–(\d)", token):
                names += [str(d) for d in range(int(m[1]), int(m[2]) + 1)]
            elif token in ("↑↓", "←→"):
                names += [WRITTEN[c] for c in token]
            else:
                names.append(WRITTEN.get(token, token))
        rows.append((where, written, names))
    return rows


def keys_of(cls: type) -> set[str]:
    """Every key `cls` binds, its ancestors' included (Textual's own merged bindings)."""
    keys = set()
    for klass in cls.__mro__:
        for binding in klass.__dict__.get("BINDINGS", []):
            keys |= {k.strip() for k in (binding.key if hasattr(binding, "key")
                                        else binding[0]).split(",")}
    return keys


def test_the_readme_names_only_keys_that_are_bound():
    rows = readme_rows()
    assert len(rows) > 30  # the table was found and read
    app_keys = keys_of(ShopfloorApp) | {ShopfloorApp.COMMAND_PALETTE_BINDING}
    wrong = []
    for where, written, names in rows:
        screen, widgets = WHERE[where]
        bound = keys_of(screen) | app_keys | {k for w in widgets for k in keys_of(w)}
        if DigitChoice in widgets:
            bound |= set("123456789")  # a digit picks an option of the one-key choice
        if Input in widgets:
            bound |= set("0123456789")  # typed into the field
        wrong += [f"{where}: {written}: {name}" for name in names if name not in bound]
    assert wrong == []


def test_a_readme_row_with_an_unbound_key_is_caught(tmp_path, monkeypatch):
    """The check above can fail: a row naming a key nothing binds is reported."""
    fake = tmp_path / "README.md"
    fake.write_text("## Keys\n\n| Where | Key | What it does |\n|---|---|---|\n"
                    "| queue | z | nothing at all |\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.README", fake)
    (where, written, names), = readme_rows()
    assert names == ["z"] and "z" not in keys_of(QueueScreen) | keys_of(ShopfloorApp)


def test_every_binding_has_an_id_and_each_id_one_action():
    actions: dict[str, set[tuple[str, str]]] = {}
    missing = []
    for bound in every_binding(ShopfloorApp):
        b = bound.binding
        if not b.id:
            missing.append(f"{bound.where.__name__}: {b.key} {b.action}")
        else:
            actions.setdefault(b.id, set()).add((bound.where.__qualname__, b.action))
    assert missing == []
    assert {i: a for i, a in actions.items() if len(a) > 1} == {}
    assert len(actions) > 100


def _app(settings, shop, keys: dict[str, str]) -> ShopfloorApp:
    return ShopfloorApp(replace(settings, keys=keys), user_id=shop["zhang"],
                        clock=Clock.frozen(NOW))


async def test_a_remapped_key_logs_a_contact_and_the_help_says_so(shop, settings):
    before = Contact.select().count()
    app = _app(settings, shop, {"queue.log": "o", "queue.help": "f1"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen) and app.screen.queue_page.lines
        await pilot.press("enter")  # no longer the key
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        member = app.screen.queue_page.lines[0].member_id
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactForm)
        await pilot.press("1", "ctrl+s")  # outcome: reached
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert Contact.select().count() == before + 1
        contact = Contact.select().order_by(Contact.id.desc()).first()
        assert (contact.member_id, contact.staff_id, contact.outcome) == \
            (member, shop["zhang"], "reached")
        await pilot.press("f1")  # the queue's help, moved from ?
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Today's callback queue" in app.screen.text
        lines = app.screen.text.splitlines()
        assert any(re.match(r"\s+o\s+log a contact", line) for line in lines)
        assert not any(re.match(r"\s+Enter\s+log a contact", line) for line in lines)
        assert any(re.match(r"\s+F1\s+this help|\s+f1\s+this help", line) for line in lines)


async def test_a_key_id_that_names_no_binding_is_said_and_the_rest_apply(shop, settings):
    app = _app(settings, shop, {"queue.lgo": "o", "queue.scope": "m"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        said = [n.message for n in app._notifications]
        assert said == ["settings.toml [keys]: no binding is called queue.lgo; "
                        "did you mean queue.log?"]
        assert app.mine is True
        await pilot.press("m")  # queue.scope moved to m: a guide may not see the shop
        await settle(app, pilot)
        assert any("Guides see their own queue" in str(n.message) for n in app._notifications)


def test_key_words():
    assert [key_words(k) for k in ("enter", "escape", "question_mark", "left_square_bracket",
                                   "slash", "ctrl+s", "S", "up")] == \
        ["Enter", "Esc", "?", "[", "/", "ctrl+s", "S", "↑"]
