"""`shopfloor import`: a POS's members and sales files in GB18030, read, checked row by
row, reported, fixed, brought in, and the next morning's queue; re-run, undone. On the
fixture shop (tests/fixture_shop.py: today Monday 2026-11-23, 11:30 in the shop)."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest

from fixture_shop import utc
from tui.cli import main
from tui.clock import Clock
from tui.db.connection import close_database, open_database
from tui.db.models import Callback, ImportBatch, Member, Purchase, PurchaseLine

MEMBERS = ("会员卡号,姓名,手机号码,性别,生日,开卡日期,导购\r\n"
           "C001,王芳,138 0000 1234,女,1990/5/1,2025/3/1,张丽\r\n"
           "C100,刘䶮,139-1234-5678,男,19880808,2026-01-05,刘芳\r\n"
           "C101,马兰,1.39123E+10,女,,,\r\n")
SALES = ("销售单号,行号,销售时间,会员卡号,手机号码,商品条码,商品名称,数量,单价,实收金额,营业员\r\n"
         "S900,1,2026/11/22 10:00,C100,,FH-3,飞鹤星飞帆3段,2,350.00,\"¥700.00\",刘芳\r\n"
         "S900,2,2026/11/22 10:00,C100,,BBS-L,帮宝适L码,1,129.00,129,刘芳\r\n")


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(text.encode("gb18030"))
    return path


def run(settings, clock, capsys, *argv) -> tuple[int, str, str]:
    code = main(["--db", str(settings.database.path), "import", *argv, "--as", "王店长"],
                clock=clock)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_members_file_with_a_bad_row_is_reported_then_fixed_and_brought_in(
        shop, settings, clock, capsys, manager_pin, tmp_path):
    close_database()
    path = write(tmp_path, "会员.csv", MEMBERS)
    code, out, err = run(settings, clock, capsys, "members", str(path))
    assert code == 1
    assert out.startswith("会员.csv: read as GB18030")
    assert "2 rows read" not in out and "3 rows read" in out
    assert err == ("shopfloor: nothing was written: 1 row cannot be brought in as it is; fix "
                   "the file or use --valid-rows\n")
    report = tmp_path / "会员-problems.csv"
    rows = list(csv.reader(report.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["Row", "Column", "Value", "What is wrong", "What to do"]
    assert [r[:3] for r in rows[1:]] == [["4", "手机号码", "1.39123E+10"]]
    open_database(settings.database.path)
    assert Member.select().where(Member.name == "刘䶮").count() == 0
    close_database()

    # fixed: 马兰's phone written in full
    fixed = write(tmp_path, "会员2.csv", MEMBERS.replace("1.39123E+10", "13912300000"))
    code, out, err = run(settings, clock, capsys, "members", str(fixed))
    assert (code, err) == (0, "")
    assert "3 rows read: 2 new, 1 given what their archive lacked, 0 on file already" in out
    open_database(settings.database.path)
    liu = Member.get(Member.phone == "13912345678")
    assert (liu.name, liu.gender, liu.birthday, liu.joined_on, liu.pos_card_no, liu.owner_id) \
        == ("刘䶮", "男", date(1988, 8, 8), date(2026, 1, 5), "C100", shop["liu"])
    wang = Member.get_by_id(shop["wangfang"])
    assert (wang.pos_card_no, wang.birthday) == ("C001", date(1990, 5, 1))
    close_database()

    # again: nothing new
    code, out, _err = run(settings, clock, capsys, "members", str(fixed))
    assert "3 rows read: 0 new, 0 given what their archive lacked, 3 on file already" in out


def test_the_pos_sales_bring_the_next_mornings_calls(shop, settings, clock, capsys, manager_pin,
                                                     tmp_path):
    close_database()
    run(settings, clock, capsys, "members", str(write(
        tmp_path, "m.csv", MEMBERS.replace("1.39123E+10", "13912300000"))))
    sales = write(tmp_path, "销售.csv", SALES)
    code, out, err = run(settings, clock, capsys, "purchases", str(sales), "--dry-run")
    assert (code, err) == (0, "")
    assert "2 sale lines on 1 receipts to write, 0 on file already" in out
    assert "dry run: nothing was written" in out
    code, out, err = run(settings, clock, capsys, "purchases", str(sales))
    assert (code, err) == (0, "")
    open_database(settings.database.path)
    liu = Member.get(Member.phone == "13912345678")
    sale = Purchase.get(Purchase.receipt_no == "S900")
    assert (sale.member_id, sale.staff_id, sale.purchased_at) == (liu.id, shop["liu"],
                                                                  utc("2026-11-22 10:00"))
    assert liu.total_spend_cents == 70_000 + 12_900
    close_database()

    # the next morning (Tuesday 24 Nov, 09:00 in the shop): her follow-up (due 23 Nov, a day
    # late) and the diapers' running out (1 pack, 10 days: 2 Dec, due 27 Nov) are hers
    morning = Clock.frozen(utc("2026-11-24 09:00"), settings.shop.zone)
    main(["--db", str(settings.database.path), "queue", "--format", "json", "--as", "王店长"],
         clock=morning)
    import json

    doc = json.loads(capsys.readouterr().out)
    line = next(ln for ln in doc["lines"] if ln["member_id"] == liu.id)
    assert [r["reason"] for r in line["reasons"]] == ["follow_up"]
    open_database(settings.database.path)
    calls = {(c.reason, c.due_on) for c in Callback.select().where(
        (Callback.member == liu.id) & (Callback.status == "open"))}
    # 飞鹤: 2 cans × 7.5 = 15 days from 22 Nov: 7 Dec, due 2 Dec; 帮宝适: due 27 Nov
    assert calls == {("follow_up", date(2026, 11, 23)), ("running_out", date(2026, 12, 2)),
                     ("running_out", date(2026, 11, 27))}
    lines = PurchaseLine.select().count()
    close_database()

    # the same export tomorrow again: nothing written twice; then undone
    code, out, _err = run(settings, clock, capsys, "purchases", str(sales))
    assert "0 sale lines on 0 receipts to write, 2 on file already" in out
    open_database(settings.database.path)
    assert PurchaseLine.select().count() == lines
    first = ImportBatch.select().where(ImportBatch.kind == "purchases").order_by(
        ImportBatch.id).first().id
    close_database()
    code, out, err = run(settings, clock, capsys, "undo", str(first))
    assert (code, err) == (0, "")
    open_database(settings.database.path)
    assert Purchase.get_or_none(Purchase.receipt_no == "S900") is None
    assert Member.get(Member.phone == "13912345678").total_spend_cents == 0


def test_the_import_speaks_chinese(shop, settings, clock, capsys, manager_pin, tmp_path):
    close_database()
    path = write(tmp_path, "会员.csv", MEMBERS)
    code = main(["--db", str(settings.database.path), "--lang", "zh-CN", "import", "members",
                 str(path), "--dry-run", "--as", "王店长"], clock=clock)
    out = capsys.readouterr().out
    assert code == 1  # a row cannot be brought in as it is
    assert "读取 3 行：新会员 1 位，补填档案 1 位，0 位已在档案里" in out
    assert "1 行无法按原样导入" in out and "试运行：什么都没有写入" in out
    report = tmp_path / "会员-problems.csv"
    assert report.read_text(encoding="utf-8-sig").splitlines()[0] == "行号,列,内容,问题,怎么改"


def test_products_come_in_by_barcode_and_those_without_days_are_listed(
        shop, settings, clock, capsys, manager_pin, tmp_path):
    from tui.db.models import Product
    from tui.db.products.catalogue import product_list

    close_database()
    path = write(tmp_path, "商品.csv",
                 "商品条码,商品名称,品牌,类别,规格,段,单位,单价,可用天数\r\n"
                 "6901234567890,启赋3段,惠氏,formula,900g,3段,can,\"358.00\",8\r\n"
                 "6909999000011,棉柔巾,全棉时代,wipes,100抽,,pack,19.9,\r\n")
    code, out, err = run(settings, clock, capsys, "products", str(path))
    assert (code, err) == (0, "")
    assert ("2 rows read: 2 new products (1 without days per unit: the products screen lists "
            "them, u), 0 given what they lacked, 0 on file already") in out
    open_database(settings.database.path)
    qifu = Product.get(Product.barcode == "6901234567890")
    assert (qifu.sku, qifu.name, qifu.brand, qifu.stage, qifu.spec, qifu.price_cents,
            qifu.days_per_unit, qifu.durable) == ("6901234567890", "启赋3段", "惠氏", 3, "900g",
                                                  35_800, 8.0, False)
    missing = [p.name for p in product_list(missing_days=True)]
    assert "棉柔巾" in missing and "启赋3段" not in missing
    close_database()
    # the days filled in a new file: given to the product that lacked them
    again = write(tmp_path, "商品2.csv", "商品条码,商品名称,单价,可用天数\r\n"
                                          "6909999000011,棉柔巾,19.9,5\r\n")
    code, out, _err = run(settings, clock, capsys, "products", str(again))
    assert "1 rows read: 0 new products (0 without days per unit" in out
    assert "1 given what they lacked" in out
    open_database(settings.database.path)
    assert Product.get(Product.barcode == "6909999000011").days_per_unit == 5.0


def test_the_nightly_inbox_takes_each_file_with_its_saved_mapping(
        shop, settings, clock, capsys, manager_pin, tmp_path):
    from settings_files import variant

    from tui.reports.eod import eod_summary, eod_text

    close_database()
    conf = variant(tmp_path, 'path = "shopfloor.db"', f'path = "{settings.database.path}"')
    members = write(tmp_path, "m.csv", MEMBERS.replace("1.39123E+10", "13912300000"))
    code = main(["--settings", str(conf), "import", "members", str(members), "--dry-run",
                 "--save-mapping", "POS会员", "--as", "王店长"], clock=clock)
    assert code == 0
    assert "the columns are saved as POS会员" in capsys.readouterr().out
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "会员20261123.csv").write_bytes(members.read_bytes())
    (inbox / "坏的.csv").write_bytes(MEMBERS.encode("gb18030"))  # 1.39123E+10: refused
    (inbox / "别的.csv").write_bytes("a,b\r\n1,2\r\n".encode())     # no mapping fits
    code = main(["--settings", str(conf), "import", "--inbox", str(inbox), "--as", "王店长"],
                clock=clock)
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out == [  # in the order of their names
        f"会员20261123.csv: brought in as batch 1; moved to {inbox / 'done' / '会员20261123.csv'}",
        f"别的.csv: NOT brought in: no saved mapping fits its columns; import it once by hand "
        f"with --save-mapping; moved to {inbox / 'failed' / '别的.csv'}",
        f"坏的.csv: NOT brought in: 1 row cannot be brought in as it is; moved to "
        f"{inbox / 'failed' / '坏的.csv'}"]
    assert (inbox / "failed" / "坏的-problems.csv").exists()
    assert sorted(p.name for p in inbox.iterdir()) == ["done", "failed"]
    # the evening's sheet says what came in and what did not
    open_database(settings.database.path)
    sheet = eod_text(eod_summary(date(2026, 11, 23), settings), 80)
    assert "会员20261123.csv: 2 new, 1 filled" in sheet
    assert "NOT brought in: 坏的.csv (1 row cannot be brought in as it is)" in sheet


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_an_export_brought_into_an_empty_shop_gives_the_same_members_and_purchases(
        shop, settings, clock, capsys, manager_pin, tmp_path, monkeypatch, form):
    """Issue 14 item 8: the shop's export, in either format, imported into a new shop."""
    import sqlite3

    from settings_files import variant

    close_database()
    for kind in ("members", "purchases"):
        assert main(["--db", str(settings.database.path), "export", kind, "--format", form,
                     "--out", str(tmp_path / f"{kind}.{form}"), "--as", "王店长"],
                    clock=clock) == 0
    conf = variant(tmp_path, 'path = "shopfloor.db"', 'path = "new.db"')
    monkeypatch.setenv("SHOPFLOOR_NEW_PIN", "8888")
    assert main(["--settings", str(conf), "init", "--shop", "新店", "--timezone",
                 "Asia/Shanghai", "--manager", "王店长"], clock=clock) == 0
    for kind in ("members", "purchases"):
        assert main(["--settings", str(conf), "import", kind, str(tmp_path / f"{kind}.{form}"),
                     "--as", "王店长"], clock=clock) == 0
    capsys.readouterr()

    def facts(path) -> tuple:
        con = sqlite3.connect(path)
        try:
            members = sorted(con.execute(
                "SELECT name, phone, gender, birthday, total_spend_cents FROM member"))
            lines = sorted(con.execute(
                """SELECT m.phone, p.purchased_at, pr.sku, pr.brand, pr.category, l.quantity,
                          l.amount_cents FROM purchase_line l JOIN purchase p ON p.id = l.purchase_id
                   JOIN product pr ON pr.id = l.product_id LEFT JOIN member m ON m.id = p.member_id"""))
        finally:
            con.close()
        return members, lines

    before, after = facts(settings.database.path), facts(tmp_path / "new.db")
    assert (len(before[0]), len(before[1])) == (9, 7)  # the fixture shop: 9 members, 7 lines
    assert after == before
