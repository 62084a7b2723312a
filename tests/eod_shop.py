"""The end-of-day tests' shop (fixture_shop.py with the day of eod_day.py), the golden
sheets, and the app for the preview."""

from __future__ import annotations

from pathlib import Path

import pytest

from eod_day import build_eod_day
from fixture_shop import NOW, TODAY, build_fixture_shop
from tui.clock import Clock
from tui.reports.eod import eod_summary


GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def shop(db, settings):
    return build_eod_day(settings, build_fixture_shop(settings))


@pytest.fixture
def summary(shop, settings):
    return eod_summary(TODAY, settings)


# -- the preview screen --------------------------------------------------------------------------

async def settle_preview(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def preview_app(settings, shop):
    from tui.app import ShopfloorApp

    return ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
