"""`shopfloor queue --format json` and the screen list the same members in the same order."""

from __future__ import annotations

import json
from datetime import datetime

from textual.widgets import DataTable

from tui.app import ShopfloorApp
from tui.cli import main
from tui.clock import Clock
from tui.db.connection import close_database, open_database
from tui.demo.build import build_demo

NOW = datetime(2026, 11, 23, 3, 30)  # 11:30 in the shop


async def test_cli_json_and_screen_agree_on_the_demo_shop(settings, capsys, clock, monkeypatch):
    monkeypatch.setenv("SHOPFLOOR_PIN", "8888")  # the demo shop's managers' PIN
    path = settings.database.path
    build_demo(path, settings, members=400, seed=3, now=NOW)
    for guide in (None, "张丽"):
        argv = ["--db", str(path), "queue", "--date", "2026-11-23", "--format", "json",
                "--as", "王店长"]
        assert main(argv + (["--guide", guide] if guide else []), clock=clock) == 0
        doc = json.loads(capsys.readouterr().out)
        assert len(doc["lines"]) > 5  # a real queue, not an empty one that trivially agrees
        close_database()
        open_database(path)
        from tui.db.staff import staff_named

        # a guide signed in sees her own queue; the first manager (王店长) the whole shop's
        guide_id = staff_named(guide or "王店长").id
        app = ShopfloorApp(settings, user_id=guide_id, clock=Clock.frozen(NOW))
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


async def test_cli_lookup_and_the_lookup_screen_agree_on_the_demo_shop(settings, capsys, clock,
                                                                       monkeypatch):
    """`shopfloor lookup Q --format json` and the screen, Q typed key by key, list the same
    members in the same order, for every kind of query."""
    from textual.widgets import Input

    from tui.db.models import Member, Staff
    from tui.screens.lookup import LookupScreen

    monkeypatch.setenv("SHOPFLOOR_PIN", "8888")  # the demo shop's managers' PIN
    path = settings.database.path
    build_demo(path, settings, members=400, seed=3, now=NOW)
    open_database(path)
    members = list(Member.select().where(Member.phone.is_null(False)).order_by(Member.id))
    # one whose initials are shared, so that the order of several hits is compared too
    m = next(m for m in members
             if sum(o.name_initials.startswith(m.name_initials[:2]) for o in members) >= 3)
    manager = Staff.select().where(Staff.role == "manager").order_by(Staff.id).first()
    close_database()
    queries = [m.phone[-4:],          # phone tail
               m.name[0],             # surname, one character
               m.name[:2],            # name, two characters
               m.name_initials[:2],   # pinyin initials
               m.name_pinyin,         # full pinyin
               m.member_no]           # member number
    expected = {}
    for query in queries:
        assert main(["--db", str(path), "lookup", query, "--format", "json", "--as", manager.name],
                    clock=clock) == 0
        expected[query] = [hit["member_no"] for hit in json.loads(capsys.readouterr().out)["hits"]]
        assert expected[query], query  # a real list, not an empty one that trivially agrees
    assert len(expected[m.name[0]]) > 1 and len(expected[m.name_initials[:2]]) > 1
    close_database()

    open_database(path)
    app = ShopfloorApp(settings, manager.id, clock=Clock.frozen(NOW))  # signed in as the manager
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for query in queries:
            await pilot.press("slash", *query)    # one key press per character
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LookupScreen)
            assert screen.query_one(Input).value == query
            table = screen.query_one(DataTable)
            rows = [str(table.get_row_at(i)[0]).split()[0] for i in range(table.row_count)]
            assert rows == expected[query], query
            await pilot.press("escape")
    close_database()
