"""The end-of-day preview screen: the sheet at every width, by keys."""

from __future__ import annotations

import pytest

from eod_shop import GOLDEN, preview_app, settle_preview, shop  # noqa: F401 (its fixtures, used by name)
from fixture_shop import TODAY
from tui.reports.eod import WIDTHS


def _sheet(app) -> str:
    return str(app.screen.query_one("#eod-sheet").render())


async def test_preview_shows_the_sheet_and_w_cycles_the_widths(shop, settings):
    from tui.screens.report import EodScreen

    app = preview_app(settings, shop)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle_preview(pilot)
        app.push_screen(EodScreen())
        await settle_preview(pilot)
        assert isinstance(app.screen, EodScreen) and app.screen.day == TODAY
        golden = {w: (GOLDEN / f"eod-{w}.txt").read_text(encoding="utf-8") for w in WIDTHS}
        assert _sheet(app) == golden[80].rstrip("\n")
        for width in (32, 42, 48, 80):
            await pilot.press("w")
            await pilot.pause()
            assert app.screen.width == width
            assert _sheet(app) == golden[width].rstrip("\n")
        assert "80 columns · A4 · p prints on" in str(app.screen.query_one("#eod-status").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, EodScreen)


@pytest.mark.parametrize("width", (80, 32))
def test_preview_snapshot(shop, settings, snap_compare, width):
    from tui.screens.report import EodScreen

    async def open_sheet(pilot):
        await settle_preview(pilot)
        pilot.app.push_screen(EodScreen(width=width))
        await settle_preview(pilot)

    assert snap_compare(preview_app(settings, shop), terminal_size=(84, 30), run_before=open_sheet)
