"""`shopfloor queue --format json` and the screen list the same members in the same order."""

from __future__ import annotations

import json
from datetime import datetime

from textual.widgets import DataTable

from tui.app import ShopfloorApp
from tui.cli import main
from tui.db.connection import close_database, open_database
from tui.db.demo import build_demo

NOW = datetime(2026, 11, 23, 3, 30)  # 11:30 in the shop


async def test_cli_json_and_screen_agree_on_the_demo_shop(settings, capsys):
    path = settings.database.path
    build_demo(path, settings, members=400, seed=3, now=NOW)
    for guide in (None, "张丽"):
        argv = ["--db", str(path), "queue", "--date", "2026-11-23", "--format", "json"]
        assert main(argv + (["--guide", guide] if guide else [])) == 0
        doc = json.loads(capsys.readouterr().out)
        assert len(doc["lines"]) > 5  # a real queue, not an empty one that trivially agrees
        close_database()
        open_database(path)
        from tui.db.queue import staff_by_name

        # a guide signed in sees her own queue; the first manager (王店长) the whole shop's
        guide_id = staff_by_name(guide or "王店长").id
        app = ShopfloorApp(settings, user_id=guide_id, clock=lambda: NOW)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
            counts = str(app.screen.query_one("#counts").render())
        assert keys == [str(line["member_id"]) for line in doc["lines"]]
        assert f"{doc['counts']['due']} due" in counts
        assert f"{doc['counts']['overdue']} overdue" in counts
        close_database()
