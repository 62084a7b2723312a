"""Key press in the lookup to repainted results, run by bench/run.py in a fresh process.

`lookup_paint.py DB [REPS]` runs the real ShopfloorApp headless at 80x24 on DB (Pilot,
as the tests do), opens the lookup with `/` and types queries drawn from real members
one key at a time, the way a cashier does: a phone tail digit by digit, a name
character by character, pinyin initials and full pinyin letter by letter. For every key
it prints the time from the key press to the end of the first frame that shows the
query in the input and that query's rows in the results table, as JSON on the last line.

How a frame is caught: every frame Textual paints goes through `App._display(screen,
update)` (called by `Screen._compositor_refresh` from the screen's update timer). The
headless driver returns from it before turning the update into terminal bytes; the
hook here does that step too (`update.render_segments(console)`, what a real terminal
costs, minus the write), stops the clock, and replays the bytes into an 80x24 grid of
cells: the grid is what a terminal would show. A key's latency is its first frame whose
grid shows the typed query in the input and the table rows and status line of the
settled result (checked against `lookup_members(query)`), painted after the screen took
that result. It also reports when the typed character itself was first painted (echo).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# what a modern terminal gets: the most bytes per frame (honest, not flattering)
os.environ.setdefault("TEXTUAL_COLOR_SYSTEM", "truecolor")
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

REPS = 30
GAP = 0.08  # seconds between keys once a key's results are painted: a quick typist
SIZE = (80, 24)

_MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
_OTHER_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_MEMBER_NO = re.compile(r"M\d{6}")


class Grid:
    """The cells of a terminal, fed the bytes Textual would write to it."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells = [[" "] * width for _ in range(height)]

    def feed(self, data: str) -> None:
        from rich.cells import cell_len

        x = y = 0
        pos = 0
        for match in _MOVE.finditer(data):
            self._text(data[pos:match.start()], x, y, cell_len)
            y, x = int(match.group(1)) - 1, int(match.group(2)) - 1
            pos = match.end()
        self._text(data[pos:], x, y, cell_len)

    def _text(self, text: str, x: int, y: int, cell_len) -> None:
        text = _OTHER_ESCAPE.sub("", text).replace("\n", "")
        if not text or not 0 <= y < self.height:
            return
        row = self.cells[y]
        for ch in text:
            w = cell_len(ch)
            if 0 <= x < self.width:
                row[x] = ch
                if w == 2 and x + 1 < self.width:
                    row[x + 1] = ""  # the right half of a wide character
            x += w

    def lines(self) -> list[list[str]]:
        """A copy of the cells, row by row (the right half of a wide character is "")."""
        return [row[:] for row in self.cells]


def sequences(reps: int) -> dict[str, list[str]]:
    """Per kind of query, `reps` strings to type, from real members (seeded)."""
    from tui.db.models import Member

    rng = random.Random(11)
    sample = list(Member.select(Member.phone, Member.name, Member.name_pinyin, Member.name_initials)
                  .where(Member.phone.is_null(False)).order_by(Member.id).limit(5000))
    picks = [rng.choice(sample) for _ in range(reps)]
    return {
        "phone tail, digit by digit (8, 83, 838, 8381)": [m.phone[-4:] for m in picks],
        "Chinese name, character by character (王, 王芳)": [m.name[:2] for m in picks],
        "pinyin initials, letter by letter (z, zs)": [m.name_initials[:2] for m in picks],
        "full pinyin, letter by letter (z … zhangsan)": [m.name_pinyin for m in picks],
    }


def p50_p95(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return statistics.median(s), s[max(0, int(len(s) * 0.95) - 1)]


async def measure(db: str, reps: int) -> dict:
    from textual.widgets import DataTable, Input

    from tui.app import ShopfloorApp
    from tui.db.connection import open_database
    from tui.db.members.lookup import QueryError, lookup_members
    from tui.db.models import Staff
    from tui.i18n import _
    from tui.screens.lookup import LookupScreen
    from tui.settings import load_settings

    settings = load_settings().with_database(db)
    open_database(settings.database.path, settings.database.busy_timeout_ms)
    kinds = sequences(reps)
    # signed in already as the first manager, as bench/launch.py: the lookup needs someone
    manager = (Staff.select().where(Staff.role == "manager", Staff.active == True)  # noqa: E712
               .order_by(Staff.id).first())
    app = ShopfloorApp(settings, user_id=manager.id)
    frames: list[tuple[float, list[list[str]], object]] = []  # (painted at, grid lines, screen.hits)
    grid = Grid(*SIZE)
    recording = False

    original = app._display

    def display(screen, update) -> None:
        original(screen, update)
        if update is None or app._batch_count:
            return
        data = update.render_segments(app.console)  # the bytes a terminal would get
        painted = time.perf_counter()
        grid.feed(data)
        if recording:
            frames.append((painted, grid.lines(), getattr(app.screen, "hits", None)))

    app._display = display  # every frame of every screen passes here

    results: dict[str, list[float]] = {kind: [] for kind in kinds}
    by_length: dict[str, dict[int, list[float]]] = {kind: {} for kind in kinds}
    echo: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the queue and the day's rule run
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LookupScreen), screen
        field = screen.query_one(Input)
        table = screen.query_one(DataTable)
        status = screen.query_one("#lookup-status")

        async def settle() -> None:
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
            await asyncio.sleep(GAP)
            await pilot.pause()

        def visible_rows(lines: list[list[str]]) -> list[str]:
            region = table.region
            return [no for line in lines[region.y:region.bottom]
                    for no in _MEMBER_NO.findall("".join(line[region.x:region.right]))]

        def status_text(lines: list[list[str]]) -> str:
            region = status.region
            return " ".join("".join(line[region.x:region.right])
                            for line in lines[region.y:region.bottom])

        def input_text(lines: list[list[str]]) -> str:
            region = field.content_region  # inside the border: the text and the cursor
            return " ".join("".join(line[region.x:region.right])
                            for line in lines[region.y:region.bottom]).strip()

        for kind, typed in kinds.items():
            for text in typed:
                field.value = ""
                await settle()
                for i, key in enumerate(text):
                    query = text[:i + 1]
                    frames.clear()
                    recording = True
                    pressed = time.perf_counter()
                    await pilot.press(key)
                    await settle()
                    recording = False
                    if field.value != query:
                        raise SystemExit(f"typed {query!r}, the input holds {field.value!r}")
                    try:  # the screen's words, in the language the app speaks
                        want = [h.member_no for h in lookup_members(query)]
                        hint = _("No member found.").rstrip(".。")
                    except QueryError as exc:  # one letter: the screen asks for a second
                        want, hint = [], re.split("[:：]", str(exc))[0]
                    settled = grid.lines()
                    shown, said = visible_rows(settled), status_text(settled)
                    if shown != want[:len(shown)] or bool(shown) != bool(want) or (
                            not want and hint not in said):
                        raise SystemExit(f"{query!r}: screen shows {shown} ({said.strip()}), "
                                         f"lookup gives {want}")
                    hits = screen.hits
                    painted = next((t for t, lines, h in frames
                                    if h is hits and visible_rows(lines) == shown
                                    and status_text(lines) == said
                                    and input_text(lines) == query), None)
                    if painted is None:
                        raise SystemExit(f"{query!r}: no frame painted its results")
                    first = next(t for t, lines, _ in frames if input_text(lines) == query)
                    ms = (painted - pressed) * 1000
                    results[kind].append(ms)
                    by_length[kind].setdefault(len(query), []).append(ms)
                    echo.append((first - pressed) * 1000)
        await pilot.press("escape")

    out = {"kinds": {}, "echo_p50": p50_p95(echo)[0], "echo_p95": p50_p95(echo)[1]}
    for kind, samples in results.items():
        p50, p95 = p50_p95(samples)
        out["kinds"][kind] = {
            "p50": p50, "p95": p95, "max": max(samples), "keys": len(samples),
            "by_length": {n: [round(v, 2) for v in p50_p95(s)] for n, s in by_length[kind].items()}}
    return out


def main() -> None:
    db = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else REPS
    print(json.dumps(asyncio.run(measure(db, reps)), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
