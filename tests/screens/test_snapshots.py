"""What a person sees, at 80x24 and 120x36, on the frozen day of the hand-built shop."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from fixture_shop import NOW, build_fixture_shop
from tui.app import ShopfloorApp
from tui.clock import Clock

SIZES = [(80, 24), (120, 36)]


@pytest.fixture
def app(db, settings):
    shop = build_fixture_shop(settings)
    return ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))


async def _ready(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_queue(app, snap_compare, size):
    assert snap_compare(app, terminal_size=size, run_before=_ready)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_contact_form(app, snap_compare, size):
    async def open_form(pilot):
        await _ready(pilot)
        await pilot.press("enter", "1", "tab", "tab", *"下周三来店")
        await _ready(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_form)


def test_help(app, snap_compare):
    async def open_help(pilot):
        await _ready(pilot)
        await pilot.press("question_mark")
        await _ready(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_help)
