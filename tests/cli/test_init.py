"""`shopfloor init`: a real shop begins from options (the PIN from SHOPFLOOR_NEW_PIN): the
refusals in one line with exit 2 and nothing changed, the settings file rewritten with its
comments intact, then the app signs the new manager in."""

from __future__ import annotations

import pytest

from fixture_shop import NOW
from pilot import settle
from settings_files import english_text
from tui.app import ShopfloorApp
from tui.cli import main
from tui.clock import Clock
from tui.db.connection import close_database, open_database
from tui.db.models import AuditLog, Staff
from tui.db.staff import pin_matches
from tui.screens.queue import QueueScreen
from tui.settings import load_settings


@pytest.fixture
def conf(tmp_path, monkeypatch):
    """A settings file of the test's own (init rewrites it), and the new shop's path."""
    path = tmp_path / "settings.toml"
    path.write_text(english_text(), encoding="utf-8")
    monkeypatch.setenv("SHOPFLOOR_SETTINGS", str(path))
    monkeypatch.setenv("SHOPFLOOR_NEW_PIN", "2580")
    yield path, tmp_path / "new.db"
    close_database()


def init(db, *extra):
    return main(["init", "--db", str(db), "--shop", "小星星母婴", "--timezone", "Asia/Urumqi",
                 "--manager", "李店长", *extra], clock=Clock.frozen(NOW))


def test_a_shop_begins_from_options_and_its_manager_signs_in(conf, capsys):
    path, db = conf
    before = path.read_text(encoding="utf-8")
    assert init(db) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"小星星母婴 begins in {db} (Asia/Urumqi); 李店长 is its manager.")
    assert f"Next: shopfloor --db {db}, sign in as 李店长" in out
    after = path.read_text(encoding="utf-8")
    # only the two lines of [shop] changed; every comment and other line as it was
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [('name = "贝贝母婴 Beibei Mother & Baby"', 'name = "小星星母婴"'),
                       ('timezone = "Asia/Shanghai"', 'timezone = "Asia/Urumqi"')]
    assert len(before.splitlines()) == len(after.splitlines())
    assert "# IANA time zone the shop lives in" in after
    assert not list(path.parent.glob("*.partial"))
    open_database(db)
    manager = Staff.get()
    assert (manager.name, manager.role, manager.active) == ("李店长", "manager", True)
    assert pin_matches("2580", manager.pin_hash)
    assert [(a.action, a.staff_id, a.subject) for a in AuditLog.select()] == \
        [("shop started", manager.id, "李店长")]
    close_database()


async def test_the_app_on_the_new_shop_signs_its_manager_in(conf, capsys):
    path, db = conf
    assert init(db) == 0
    settings = load_settings(path).with_database(db)
    assert (settings.shop.name, settings.shop.timezone) == ("小星星母婴", "Asia/Urumqi")
    open_database(db)
    app = ShopfloorApp(settings, clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "小星星母婴" in str(app.screen.query_one("#sign-in-shop").render())
        await pilot.press(*"2580", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert (app.user_name, app.user_role) == ("李店长", "manager")
    assert AuditLog.select().where(AuditLog.action == "sign in").count() == 1


def test_a_database_with_data_is_refused_in_one_line(conf, capsys, shop, settings):
    path, _new = conf
    close_database()
    before = path.read_text(encoding="utf-8")
    held = settings.database.path  # the fixture shop's
    assert init(held) == 2
    assert capsys.readouterr().err == (f"shopfloor: {held}: already holds a shop's data; "
                                       "init begins only a new one (give another --db)\n")
    assert path.read_text(encoding="utf-8") == before
    open_database(held)
    assert Staff.select().count() == 3 and not Staff.select().where(Staff.name == "李店长").exists()


@pytest.mark.parametrize("extra, pin, words", [
    (["--timezone", "Mars/Olympus"], "2580",
     "--timezone: 'Mars/Olympus' is not an IANA time zone; type one such as Asia/Shanghai"),
    (["--shop", " "], "2580", "--shop: the shop's name is empty; type the name on the shop's sign"),
    (["--manager", ""], "2580",
     "--manager: the name is empty; type the name the staff member goes by"),
    ([], "12", "a PIN has at least 4 digits"),
    ([], "12ab", "a PIN is digits only"),
])
def test_a_wrong_value_is_one_line_and_nothing_is_made(conf, capsys, monkeypatch, extra, pin, words):
    path, db = conf
    before = path.read_text(encoding="utf-8")
    monkeypatch.setenv("SHOPFLOOR_NEW_PIN", pin)
    assert init(db, *extra) == 2  # the later option wins (argparse)
    assert capsys.readouterr().err == f"shopfloor: {words}\n"
    assert not db.exists() and path.read_text(encoding="utf-8") == before


def test_an_option_not_given_away_from_a_terminal_is_one_line(conf, capsys):
    path, db = conf
    assert main(["init", "--db", str(db), "--timezone", "Asia/Shanghai", "--manager", "李店长"],
                clock=Clock.frozen(NOW)) == 2
    assert capsys.readouterr().err == \
        "shopfloor: --shop is needed: give it, or run this at a terminal\n"
    assert not db.exists()


def test_the_shop_text_keeps_everything_but_the_two_lines():
    from tui.settings.writing import shop_text

    text = ('# top\n[shop]\n# its name\nname = "旧"  # old\r\nlanguage = "en"\n'
            '[[vip_tiers]]\nname = "普通会员"\n')
    assert shop_text(text, "新 \"店\"", "Asia/Shanghai") == (
        '# top\n[shop]\ntimezone = "Asia/Shanghai"\n# its name\nname = "新 \\"店\\""\r\n'
        'language = "en"\n[[vip_tiers]]\nname = "普通会员"\n')
    assert shop_text("[database]\npath = \"x.db\"", "店", "UTC") == \
        '[database]\npath = "x.db"\n\n[shop]\nname = "店"\ntimezone = "UTC"\n'


def test_a_settings_file_that_cannot_be_replaced_is_left_whole(tmp_path, monkeypatch):
    import os

    from tui.settings import SettingsError
    from tui.settings.writing import write_shop

    path = tmp_path / "settings.toml"
    path.write_text(english_text(), encoding="utf-8")
    before = path.read_text(encoding="utf-8")

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(SettingsError) as caught:
        write_shop(path, "小星星母婴", "Asia/Urumqi")
    assert str(caught.value) == (f"{path}: cannot be written (No space left on device); "
                                 "nothing was changed")
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]  # no partial file left
