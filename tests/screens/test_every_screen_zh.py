"""Every screen of the app in Chinese, walked by keys on the demo shop at 80×24 and 120×36,
with its forms' error messages: no English word on any of them but data (the shop's name,
products, brands, SKUs, printers as CUPS names them, e-mail addresses, pinyin), the Latin
names of keys, and the acronyms Chinese shops write in Latin (PDCA, VIP, JSON).

The plans' own screens need a running plan, which the demo shop has not at this moment:
they are walked in tests/screens/test_pdca_zh.py on the shop of pdca_shop.py."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from pilot import screen_lines, settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.connection import close_database, open_database
from tui.demo.build import build_demo

NOW = datetime(2026, 11, 23, 3, 30)  # 11:30 in the shop

#: from the queue, the keys to each screen (each walk starts on the queue again)
WALKS = [
    ("queue", []),
    ("queue help", ["question_mark"]),
    ("contact form", ["enter"]),
    ("contact form, a bad date", ["enter", "1", "1", "tab", *"13-45", "ctrl+s"]),
    ("note form", ["n"]),
    ("note form, empty", ["n", "ctrl+s"]),
    ("card", ["c"]),
    ("export form", ["x"]),
    ("export form, a bad day", ["x", "2", "ctrl+a", "ctrl+k", *"2026-13-01", "ctrl+s"]),
    ("card help", ["c", "question_mark"]),
    ("card edit", ["c", "e"]),
    ("card edit, a bad phone", ["c", "e", "ctrl+a", *"123", "ctrl+s"]),
    ("child form", ["c", "c"]),
    ("child form, empty", ["c", "c", "ctrl+s"]),
    ("sale form", ["c", "b"]),
    ("sale form, empty", ["c", "b", "ctrl+s"]),
    ("templates", ["c", "t"]),
    ("corrections", ["c", "v"]),
    ("export", ["c", "E"]),
    ("promotions", ["c", "p"]),
    ("do not contact", ["c", "x"]),
    ("merge", ["c", "m"]),
    ("erase", ["c", "D"]),
    ("hand over", ["c", "a"]),
    ("lookup", ["slash"]),
    ("lookup typed", ["slash", *"wang"]),
    ("lookup, nobody", ["slash", *"zzzzqq"]),
    ("register", ["slash", *"13800", "ctrl+n"]),
    ("register, empty", ["slash", "ctrl+n", "ctrl+s"]),
    ("boards", ["l"]),
    ("boards visits", ["l", "2"]),
    ("boards callbacks", ["l", "3"]),
    ("boards follow-up", ["l", "4"]),
    ("boards month", ["l", "m"]),
    ("boards custom", ["l", "c"]),
    ("boards custom, a bad range", ["l", "c", *"2026-13-01", "enter"]),
    ("boards drill", ["l", "enter"]),
    ("boards help", ["l", "question_mark"]),
    ("plans", ["P"]),
    ("new plan", ["P", "n"]),
    ("new plan, empty", ["P", "n", "ctrl+s"]),
    ("plans help", ["P", "question_mark"]),
    ("assign", ["A"]),
    ("staff", ["S"]),
    ("staff add", ["S", "a"]),
    ("staff add, empty", ["S", "a", "ctrl+s"]),
    ("staff language", ["S", "down", "l"]),  # a guide's: the manager walking stays in Chinese
    ("staff audit", ["S", "L"]),
    ("products", ["p"]),
    ("products missing days", ["p", "u"]),
    ("product add", ["p", "a"]),
    ("product add, empty", ["p", "a", "ctrl+s"]),
    ("product edit", ["p", "enter"]),
    ("import, the inbox", ["i"]),
    ("import, the columns", ["i", "enter"]),
    ("import, checked", ["i", "enter", "c"]),
    ("import, good rows only", ["i", "enter", "c", "v"]),
    ("import, the mapping's name", ["i", "enter", "s"]),
    ("import, a file not there", ["i", "tab", *"/无", "enter"]),
    ("end of day", ["e"]),
    ("end of day printers", ["e", "P"]),
    ("quit", ["q"]),
    ("palette", ["ctrl+p"]),
    ("palette typed", ["ctrl+p", *"bang"]),
    ("sign in", ["g"]),                       # the last two: signing out leaves the queue
    ("sign in, wrong PIN", [*"0000", "enter"]),
]

#: the Latin a Chinese screen may show besides data: key names, acronyms Chinese shops
#: use as they are, a language by its own name (as every language list names it), and the
#: pinyin examples of the lookup
LATIN = {"Enter", "Esc", "esc", "ctrl", "Tab", "tab", "shift", "PgUp", "PgDn", "Space",
         "Backspace", "Del", "Home", "End", "PDCA", "VIP", "JSON", "English", "zhangsan", "zs",
         "wang", "zzzzqq", "bang",  # what the walks type
         # the spreadsheet program and its files, and the encodings, by their names
         "Excel", "CSV", "XLSX", "UTF", "GB", "GBK"}
#: the shape of what is not words: a binding's id (dim in the help), a settings table or
#: file, a command-line option, an e-mail address, a time zone, a file's path
NOT_WORDS = re.compile(r"\b[a-z_]+\.[a-z_]+\b|--[a-z-]+|\[[a-z_]+\]"
                       r"|\b[\w./-]+\.(?:toml|md|db|csv|xlsx?)\b"
                       r"|\S+@\S+|\b[A-Z][a-z]+/[A-Z][a-z]+\b"
                       r"|(?<![\w/])/(?:[\w.-]+/)+[\w.-]*")  # a path: a folder, a file in it


def data_words(settings) -> set[str]:
    """The Latin words of the shop's data: its name, products, brands and SKUs, the printers."""
    from tui.db.models import Product
    from tui.reports.printing import PrintError, printer_list

    text = [settings.shop.name]
    text += [f"{p.sku} {p.name} {p.brand}" for p in Product.select()]
    try:
        text += [f"{p.name} {p.reason}" for p in printer_list()]
    except PrintError:
        pass
    return set(re.findall(r"[A-Za-z]+", " ".join(text)))


def english_words(lines: list[str], allowed: set[str]) -> list[str]:
    return [w for line in lines for w in re.findall(r"[A-Za-z]{2,}", NOT_WORDS.sub(" ", line))
            if w not in allowed]


async def _back_to_the_queue(app, pilot) -> None:
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.queue import QueueScreen

    for _ in range(8):
        if isinstance(app.screen, QueueScreen):
            return
        asked = isinstance(app.screen, ConfirmScreen) and "放弃" in "".join(screen_lines(app))
        await pilot.press("y" if asked else "escape")  # a typed form asks before it is lost
        await settle(app, pilot)
    raise AssertionError(f"Esc did not lead back to the queue from {app.screen!r}")


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_no_english_on_any_screen_in_chinese(settings, size, tmp_path):
    path = tmp_path / "demo.db"
    settings = settings.with_database(path)
    build_demo(path, settings, members=300, seed=3, now=NOW)
    close_database()
    open_database(path)
    from tui.db.staff import staff_named

    # the POS's members file in the shop's inbox: a phone Excel spoilt, a guide not on staff
    inbox = tmp_path / "inbox"
    inbox.mkdir(mode=0o700)
    (inbox / "会员.csv").write_bytes(("会员卡号,姓名,手机号码,导购\r\n"
                                     "K1,刘䶮,13912345678,马兰\r\n"
                                     "K2,周敏,1.39123E+10,\r\n").encode("gb18030"))

    allowed = LATIN | data_words(settings)
    app = ShopfloorApp(settings.with_language("zh-CN"), user_id=staff_named("王店长").id,
                       clock=Clock.frozen(NOW))
    found: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for name, keys in WALKS:
            if name != "sign in, wrong PIN":
                await _back_to_the_queue(app, pilot)
            for key in keys:
                await pilot.press(key)
                await settle(app, pilot)
            lines = screen_lines(app)
            assert any(re.search(r"[\u4e00-\u9fff]", line) for line in lines), name
            words = english_words(lines, allowed)
            if words:
                found[f"{name} ({type(app.screen).__name__})"] = sorted(set(words))
    close_database()
    assert not found, "English left on:\n" + "\n".join(f"  {k}: {' '.join(v)}"
                                                       for k, v in found.items())
