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


def screen_lines(app, box: str | None = None) -> list[str]:
    """Every line of the screen as the compositor hands it to the terminal, text only: what
    a person reads, dialogs over the screen under them included; of a dialog's box only
    (`box`, a selector), since a form shows the screen it came from around it."""
    strips = app.screen._compositor.render_strips()
    if box is None:
        return [strip.text for strip in strips]
    region = app.screen.query_one(box).region
    return [strip.crop(region.x, region.right).text for strip in strips[region.y:region.bottom]]


def screen_text(app) -> str:
    """`screen_lines` as one text, a line a row."""
    return "\n".join(screen_lines(app))
