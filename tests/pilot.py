"""What every Pilot test waits for: the keys handled, the workers done, the screen drawn."""

from __future__ import annotations

from textual.widgets import Input


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    for field in app.screen.query(Input):  # a blinking cursor must not flicker in snapshots
        field.cursor_blink = False


async def ready(pilot) -> None:
    """`settle` as a snapshot's run_before, which is given only the pilot."""
    await settle(pilot.app, pilot)
