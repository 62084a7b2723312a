"""Shared fixtures: the default settings and a fresh file database per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Snapshots and Pilot tests must not depend on animation timing or a blinking cursor.
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from tui.clock import Clock  # noqa: E402
from tui.db.connection import close_database, open_database  # noqa: E402
from tui.settings import Settings, load_settings  # noqa: E402


@pytest.fixture
def settings(tmp_path: Path, english_settings_file: Path) -> Settings:
    """The repository's settings.toml in English (a test in Chinese asks for it), pointed
    at a database under tmp_path; the app's look for other sessions' changes off (a timer
    on the wall clock): a test that means to look calls `app.look_for_changes()` (tests/screens/test_changes_elsewhere.py)."""
    from dataclasses import replace

    settings = load_settings(english_settings_file).with_database(tmp_path / "shop.db")
    return replace(settings, database=replace(settings.database, refresh_seconds=0))


def pytest_sessionstart(session) -> None:
    """The Chinese catalogue compiled when its .po is newer, as `make` does, so that a
    bare `pytest` tests what the app would show."""
    from i18n_build import compile_catalogues

    compile_catalogues()


@pytest.fixture(scope="session")
def english_settings_file(tmp_path_factory) -> Path:
    """The repository's settings.toml with `language = "en"` (settings_files.english_text)."""
    from settings_files import english_text

    path = tmp_path_factory.mktemp("settings") / "settings.toml"
    path.write_text(english_text(), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _command_line_in_english(english_settings_file, monkeypatch):
    """The command line, called in-process or as a subprocess, reads the English copy
    unless a test names its own settings (--settings, or SHOPFLOOR_SETTINGS set again)."""
    monkeypatch.setenv("SHOPFLOOR_SETTINGS", str(english_settings_file))


@pytest.fixture(autouse=True)
def _english_again():
    """The language is one per process: each test starts, and leaves, in English."""
    from tui.i18n import use_language

    use_language("en")
    yield
    use_language("en")


@pytest.fixture
def db(settings: Settings):
    """A fresh, fully migrated database file for one test."""
    database = open_database(settings.database.path, settings.database.busy_timeout_ms)
    yield database
    close_database()


@pytest.fixture
def shop(db, settings):
    """The hand-built shop of tests/fixture_shop.py; its ids by short name."""
    from fixture_shop import build_fixture_shop

    return build_fixture_shop(settings)


@pytest.fixture
def clock(request, settings) -> Clock:
    """The one frozen clock, for the app and the command line: at the test module's NOW
    when it has one (its own shop's moment), else the fixture shop's (11:30 on 2026-11-23
    in the shop). No test reads the wall clock."""
    from fixture_shop import NOW

    return Clock.frozen(getattr(request.module, "NOW", NOW), settings.shop.zone)


@pytest.fixture
def manager_pin(db, monkeypatch):
    """A command acts as a signed-in person (`--as 王店长`, the name it returns): every
    staff member's PIN is 8888, read by the command line from SHOPFLOOR_PIN. List it after
    the shop's fixture, so that the staff are on file."""
    from tui.db.models import Staff
    from tui.db.staff import hash_pin

    Staff.update(pin_hash=hash_pin("8888")).execute()
    monkeypatch.setenv("SHOPFLOOR_PIN", "8888")
    return "王店长"
