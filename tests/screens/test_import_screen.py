"""The import screen by keys at 80x24, on the fixture shop (tests/fixture_shop.py: today
Monday 2026-11-23, 11:30 in the shop): a POS's members file and sales file in GB18030 put
in the shop's inbox, picked, their first rows shown, the errors listed by row, the file
fixed and read again, written; the next morning's queue has the calls the sales imply;
the same file again writes nothing; Esc stops a running import with nothing written; a
guide is refused. The database is checked after the keys."""

from __future__ import annotations

import csv
import threading
from datetime import date

from textual.widgets import DataTable, Static

from fixture_shop import NOW, build_fixture_shop, utc
from pilot import screen_text, settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.callbacks.queue import callback_queue
from tui.db.models import Callback, ImportBatch, Member, Purchase, PurchaseLine
from tui.screens.imports import ImportScreen

MEMBERS = ("会员卡号,姓名,手机号码,性别,生日,开卡日期,导购\r\n"
           "C001,王芳,138 0000 1234,女,1990/5/1,2025/3/1,张丽\r\n"
           "C100,刘䶮,139-1234-5678,男,19880808,2026-01-05,刘芳\r\n"
           "C101,马兰,1.39123E+10,女,,,\r\n")
SALES = ("销售单号,行号,销售时间,会员卡号,手机号码,商品条码,商品名称,数量,单价,实收金额,营业员\r\n"
         "S900,1,2026/11/22 10:00,C100,,FH-3,飞鹤星飞帆3段,2,350.00,\"¥700.00\",刘芳\r\n"
         "S900,2,2026/11/22 10:00,C100,,BBS-L,帮宝适L码,1,129.00,129,刘芳\r\n")


def inbox(settings):
    folder = settings.database.path.parent / "inbox"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def status(app) -> str:
    return str(app.screen.query_one("#import-status", Static).render())


def summary(app) -> str:
    """What the check found: its counts and where the report went."""
    return str(app.screen.query_one("#import-summary", Static).render())


def table_rows(app, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_manager_brings_in_the_pos_files_by_keys(db, settings):
    shop = build_fixture_shop(settings)
    folder = inbox(settings)
    members = folder / "会员.csv"
    members.write_bytes(MEMBERS.encode("gb18030"))
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportScreen)
        assert [r[0] for r in table_rows(app, "#import-files")] == ["会员.csv"]
        await pilot.press("enter")  # members is the default kind
        await settle(app, pilot)
        text = screen_text(app)
        assert "会员.csv: read as GB18030" in text and "刘䶮" in text
        # the guess: 会员卡号 → card number, 手机号码 → phone … with the first row's cells
        assert table_rows(app, "#import-columns")[:3] == [
            ["card number", "会员卡号", "C001"], ["* name", "姓名", "王芳"],
            ["* phone", "手机号码", "138 0000 1234"]]
        await pilot.press("c")
        await settle(app, pilot)
        assert table_rows(app, "#import-problems") == [
            ["4", "手机号码", "1.39123E+10", "1.39123E+10 has lost digits: Exce…"]]
        # the highlighted one in full under the table: what is wrong and what to do
        assert str(app.screen.query_one("#import-problem", Static).render()) == (
            "row 4, 手机号码 '1.39123E+10': 1.39123E+10 has lost digits: Excel wrote the number "
            "in scientific form — format the column as Text in Excel, type the numbers again "
            "and save the file again; they are never guessed")
        assert "3 rows read: 1 new, 1 given what their archive lacked" in summary(app)
        report = folder / "reports" / "会员-problems.csv"
        assert "The rows and what to do about each: inbox/reports/会员-problems.csv" in summary(app)
        assert [r[:3] for r in csv.reader(report.read_text("utf-8-sig").splitlines())][1:] == [
            ["4", "手机号码", "1.39123E+10"]]
        await pilot.press("w")  # refused: a bad row writes nothing
        await settle(app, pilot)
        assert status(app).startswith("Nothing was written: 1 row cannot be brought in")
        assert Member.select().where(Member.name == "刘䶮").count() == 0

        # the manager fixes the file (马兰's phone in full), reads it again, checks, writes
        members.write_bytes(MEMBERS.replace("1.39123E+10", "13912300000").encode("gb18030"))
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert "3 rows read: 2 new, 1 given what their archive lacked" in summary(app)
        await pilot.press("w")
        await settle(app, pilot)
        batch = ImportBatch.get(ImportBatch.kind == "members")
        assert status(app).startswith(f"Written as batch {batch.id}; shopfloor import undo")
        assert (folder / "done" / "会员.csv").exists() and not members.exists()
        liu = Member.get(Member.phone == "13912345678")
        assert (liu.name, liu.pos_card_no, liu.owner_id) == ("刘䶮", "C100", shop["liu"])

        # the sales file: 3 purchases, picked and written
        (folder / "销售.csv").write_bytes(SALES.encode("gb18030"))
        await pilot.press("r")
        await settle(app, pilot)
        assert [r[0] for r in table_rows(app, "#import-files")] == ["销售.csv"]
        await pilot.press("3", "enter")
        await settle(app, pilot)
        assert "Import purchases (the POS's sales) from 销售.csv" in screen_text(app)
        await pilot.press("c")
        await settle(app, pilot)
        assert "2 rows read: 2 sale lines on 1 receipts to write" in summary(app)
        await pilot.press("w")
        await settle(app, pilot)
        sale = Purchase.get(Purchase.receipt_no == "S900")
        assert (sale.member_id, sale.staff_id) == (liu.id, shop["liu"])

        # the same file again: nothing new to write
        (folder / "销售2.csv").write_bytes(SALES.encode("gb18030"))
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("enter", "c")
        await settle(app, pilot)
        assert "0 sale lines on 0 receipts to write, 2 on file already" in summary(app)
        assert "Nothing new to write" in status(app)
    assert PurchaseLine.select().where(PurchaseLine.purchase == sale).count() == 2

    # the next morning (Tuesday 24 Nov, 09:00): 刘䶮's follow-up (due 23 Nov) and running-out
    # calls: 飞鹤 2 cans × 7.5 days from 22 Nov → 7 Dec, due 2 Dec; 帮宝适 10 days, due 27 Nov
    morning = utc("2026-11-24 09:00")
    assert {(c.reason, c.due_on) for c in Callback.select().where(
        (Callback.member == liu.id) & (Callback.status == "open"))} == {
        ("follow_up", date(2026, 11, 23)), ("running_out", date(2026, 12, 2)),
        ("running_out", date(2026, 11, 27))}
    due = callback_queue(date(2026, 11, 24), settings.callbacks, settings.shop.zone,
                         guide_id=shop["liu"])
    line = next(ln for ln in due.lines if ln.member_id == liu.id)
    assert [r.reason for r in line.reasons] == ["follow_up"]
    # and on her screen that morning, as the guide signs in
    app = ShopfloorApp(settings, user_id=shop["liu"],
                       clock=Clock.frozen(morning, settings.shop.zone))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        row = next(r for r in screen_text(app).splitlines() if "刘䶮" in r)
        assert "follow-up" in row


async def test_esc_stops_a_running_import_and_nothing_is_written(db, settings):
    shop = build_fixture_shop(settings)
    folder = inbox(settings)
    lines = ["会员卡号,姓名,手机号码"] + [f"K{i:05d},会员{i},147{i:08d}" for i in range(6000)]
    (folder / "many.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    before = Member.select().count()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert "6000 rows read: 6000 new" in summary(app)
        screen = app.screen
        # the writing is held at its first word of progress until Esc is pressed
        reached = threading.Event()
        pressed = []

        def hold_until_esc(phase, done, total):
            if not reached.is_set():
                pressed.append(done)
                reached.set()
                screen.progress.cancel.wait(10)  # set by Esc, on the screen's thread

        screen.told = hold_until_esc  # the writing's watcher, on the worker's thread
        await pilot.press("w")
        for _wait in range(400):
            await pilot.pause(0.05)
            if reached.is_set():
                break
        await pilot.press("escape")
        for _wait in range(400):  # the worker fails (stopped): settle would raise it
            await pilot.pause(0.05)
            if screen.progress is None:
                break
        await pilot.pause()
        assert pressed == [2000]
        assert status(app) == "The import was stopped: nothing was written"
        assert isinstance(app.screen, ImportScreen)
    assert Member.select().count() == before
    assert ImportBatch.select().count() == 0


async def test_a_guide_is_told_imports_are_a_managers(db, settings):
    shop = build_fixture_shop(settings)
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert "Imports are a manager's; sign in as a manager (g)." in [
            str(n.message) for n in app._notifications]
