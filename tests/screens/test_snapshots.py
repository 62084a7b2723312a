"""What a person sees, at 80x24 and 120x36, on the frozen day of the hand-built shop."""

from __future__ import annotations

import pytest

from fixture_shop import NOW, build_fixture_shop
from pilot import ready
from tui.app import ShopfloorApp
from tui.clock import Clock

SIZES = [(80, 24), (120, 36)]


@pytest.fixture
def app(db, settings):
    shop = build_fixture_shop(settings)
    return ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_queue(app, snap_compare, size):
    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_contact_form(app, snap_compare, size):
    async def open_form(pilot):
        await ready(pilot)
        await pilot.press("enter", "1", "tab", "tab", *"下周三来店")
        await ready(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_form)


def test_help(app, snap_compare):
    async def open_help(pilot):
        await ready(pilot)
        await pilot.press("question_mark")
        await ready(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_help)
