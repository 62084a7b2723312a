"""`shopfloor export`: each kind in CSV and XLSX on the fixture shop (tests/fixture_shop.py),
the rows worked out by hand; the range; a guide refused; the audit line; 0600; never over a
file; an erased member left out."""

from __future__ import annotations

import csv
import io
import os
import stat

import pytest
from xlsx_read import read_xlsx

from tui.cli import main

BOM = "\ufeff".encode()


def run(settings, clock, *words: str, who: str = "王店长") -> int:
    return main(["--db", str(settings.database.path), "export", *words, "--as", who], clock=clock)


def csv_rows(path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(BOM)  # Excel reads the Chinese as UTF-8 only with it
    assert b"\r\n" in data
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline="")))


def exports(tmp_path):
    from tui.db.models import AuditLog

    return [(a.subject, a.detail) for a in AuditLog.select().where(AuditLog.action == "export")
            .order_by(AuditLog.id)]


def test_members_csv_every_member_with_the_importers_headers(shop, settings, clock, manager_pin,
                                                              tmp_path, capsys):
    out = tmp_path / "members.csv"
    assert run(settings, clock, "members", "--format", "csv", "--out", str(out)) == 0
    assert capsys.readouterr().out.strip() == f"9 rows exported to {out}"
    rows = csv_rows(out)
    assert rows[0] == ["card no", "name", "phone", "gender", "birthday", "address", "joined",
                       "email", "guide", "total spend"]
    assert rows[1] == ["M000001", "王芳", "13800001234", "", "", "", "2026-01-10", "", "张丽",
                       "4200.00"]
    assert rows[3] == ["M000003", "陈晓燕", "13700003456", "", "1992-11-25", "", "2026-01-10",
                       "", "刘芳", "387.00"]
    assert [r[0] for r in rows[1:]] == [f"M{n:06d}" for n in range(1, 10)]
    assert [r[9] for r in rows[1:]] == ["4200.00", "1299.00", "387.00", "350.00", "0.00", "0.00",
                                        "4200.00", "129.00", "258.00"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".")]  # no part file
    assert exports(tmp_path) == [("members", f"members all: 9 rows to {out}")]


def test_members_in_chinese_are_the_pos_headers(shop, settings, clock, manager_pin, tmp_path):
    out = tmp_path / "会员.csv"
    assert main(["--db", str(settings.database.path), "--lang", "zh-CN", "export", "members",
                 "--format", "csv", "--out", str(out), "--as", manager_pin], clock=clock) == 0
    rows = csv_rows(out)
    assert rows[0] == ["会员卡号", "姓名", "手机", "性别", "生日", "地址", "开卡日期", "邮箱", "导购",
                       "累计消费"]
    assert rows[9][:3] == ["M000009", "黄小梅", "18600009012"]


def test_purchases_csv_oldest_first_receipt_and_line(shop, settings, clock, manager_pin, tmp_path):
    out = tmp_path / "p.csv"
    assert run(settings, clock, "purchases", "--format", "csv", "--out", str(out)) == 0
    rows = csv_rows(out)
    assert rows[0] == ["receipt no", "line no", "sold at", "card no", "phone", "barcode", "sku",
                       "product", "brand", "category", "quantity", "price", "amount", "guide"]
    # in receipt order, as recorded
    assert rows[4] == ["4", "1", "2026-05-27 11:00:00", "M000004", "13600004567", "", "FH-3",
                       "飞鹤星飞帆3段", "飞鹤", "formula", "1", "350.00", "350.00", "刘芳"]
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("1", "2026-08-30 10:00:00"), ("2", "2026-11-22 15:00:00"), ("3", "2026-10-20 18:00:00"),
        ("4", "2026-05-27 11:00:00"), ("5", "2026-08-30 12:00:00"), ("6", "2026-11-22 10:00:00"),
        ("7", "2026-11-15 10:00:00")]
    assert rows[3][10:] == ["3", "129.00", "387.00", "刘芳"]


def test_the_range_is_shop_days(shop, settings, clock, manager_pin, tmp_path):
    out = tmp_path / "nov.csv"
    assert run(settings, clock, "purchases", "--from", "2026-11-15", "--to", "2026-11-22",
               "--format", "csv", "--out", str(out)) == 0
    assert [r[0] for r in csv_rows(out)[1:]] == ["2", "6", "7"]
    out = tmp_path / "day.csv"
    assert run(settings, clock, "contacts", "--from", "2026-11-19", "--to", "2026-11-19",
               "--format", "csv", "--out", str(out)) == 0
    assert [r[2] for r in csv_rows(out)[1:]] == ["周婷"]
    assert exports(tmp_path)[-1] == ("contacts", f"contacts 2026-11-19..2026-11-19: 1 rows to {out}")
    out = tmp_path / "none.csv"
    assert run(settings, clock, "members", "--from", "2026-02-01", "--format", "csv",
               "--out", str(out)) == 0
    assert csv_rows(out)[1:] == []  # every member joined on 10 Jan


def test_contacts_and_callbacks_csv(shop, settings, clock, manager_pin, tmp_path):
    out = tmp_path / "c.csv"
    assert run(settings, clock, "contacts", "--format", "csv", "--out", str(out)) == 0
    rows = csv_rows(out)
    assert rows[0] == ["Contacted at", "Member no", "Member", "Guide", "Channel", "Outcome",
                       "Care", "Note", "Next contact"]
    assert rows[1:] == [
        ["2026-11-16 10:00:00", "M000009", "黄小梅", "刘芳", "phone", "reached", "yes", "纸尿裤合适", ""],
        ["2026-11-19 16:00:00", "M000006", "周婷", "刘芳", "in store", "complaint", "no",
         "推车轮子异响", "2026-11-21"],
        ["2026-11-20 19:00:00", "M000005", "孙丽丽", "张丽", "WeChat", "reached", "yes",
         "周一再联系，问奶粉段数", "2026-11-23"]]
    out = tmp_path / "b.csv"
    assert run(settings, clock, "callbacks", "--from", "2026-11-23", "--to", "2026-11-23",
               "--format", "csv", "--out", str(out)) == 0
    rows = csv_rows(out)
    assert rows[0] == ["Due", "Member no", "Member", "Reason", "Status", "Guide", "Detail",
                       "Raised at", "Closed at"]
    due_today = {(r[1], r[3], r[4], r[5]) for r in rows[1:]}
    # the fixture's calls due today: 王芳 running out, 李娜 follow-up, 赵敏 dormant, 孙丽丽 call back
    assert {("M000001", "running out", "open", "张丽"), ("M000002", "follow-up", "open", "张丽"),
            ("M000004", "dormant", "open", "刘芳"),
            ("M000005", "call back", "open", "张丽")} <= due_today
    assert all(r[0] == "2026-11-23" for r in rows[1:])


def test_boards_csv_one_line_a_figure(shop, settings, clock, manager_pin, tmp_path):
    out = tmp_path / "boards.csv"
    assert run(settings, clock, "boards", "--from", "2026-11-01", "--to", "2026-11-30",
               "--format", "csv", "--out", str(out)) == 0
    rows = csv_rows(out)
    assert rows[0] == ["Board", "Period", "Rank", "Guide", "Figure", "Value", "Done", "Of"]
    visits = [r for r in rows[1:] if r[0] == "Visits"]
    # 刘芳 logged 周婷 (19 Nov) and 黄小梅 (16 Nov), both reached, one care; 张丽 孙丽丽 (20 Nov)
    assert visits == [
        ["Visits", "2026-11-01..2026-11-30", "1", "刘芳", "Contacts", "2", "", ""],
        ["Visits", "2026-11-01..2026-11-30", "1", "刘芳", "Reached", "2", "", ""],
        ["Visits", "2026-11-01..2026-11-30", "1", "刘芳", "Care", "1", "", ""],
        ["Visits", "2026-11-01..2026-11-30", "2", "张丽", "Contacts", "1", "", ""],
        ["Visits", "2026-11-01..2026-11-30", "2", "张丽", "Reached", "1", "", ""],
        ["Visits", "2026-11-01..2026-11-30", "2", "张丽", "Care", "1", "", ""]]
    assert {r[0] for r in rows[1:]} == {"Archive completeness", "Visits", "Callbacks done on time",
                                        "Follow-up success"}


def test_xlsx_has_real_numbers_and_dates(shop, settings, clock, manager_pin, tmp_path):
    out = tmp_path / "members.xlsx"
    assert run(settings, clock, "members", "--format", "xlsx", "--out", str(out)) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    sheets = read_xlsx(out)
    assert list(sheets) == ["members"]
    rows = sheets["members"]
    assert [c[0] for c in rows[0]] == ["card no", "name", "phone", "gender", "birthday",
                                       "address", "joined", "email", "guide", "total spend"]
    first = rows[1]
    assert first[0] == ("M000001", "General") and first[1] == ("王芳", "General")
    assert first[2] == ("13800001234", "General")  # a phone stays text: no 1.38E+10
    assert first[6] == (46032.0, "yyyy-mm-dd")  # 2026-01-10, days since 1899-12-30
    assert first[9] == (4200.0, '"¥"#,##0.00;-"¥"#,##0.00')
    assert rows[3][4] == (33933.0, "yyyy-mm-dd")  # 陈晓燕's birthday 1992-11-25
    assert len(rows) == 10

    out = tmp_path / "purchases.xlsx"
    assert run(settings, clock, "purchases", "--format", "xlsx", "--out", str(out)) == 0
    rows = read_xlsx(out)["purchases"]
    rows[1] = rows[4]  # receipt 4, 赵敏's can
    assert rows[1][:2] == [(4.0, "General"), (1.0, "General")]
    # 2026-05-27 11:00: 46169 days since 1899-12-30 and 11 hours
    assert rows[1][2] == (pytest.approx(46169 + 11 / 24, abs=1e-9), "yyyy-mm-dd hh:mm:ss")
    assert rows[1][5] is None and rows[1][6] == ("FH-3", "General")
    assert rows[1][10:] == [(1.0, "General"), (350.0, '"¥"#,##0.00;-"¥"#,##0.00'),
                            (350.0, '"¥"#,##0.00;-"¥"#,##0.00'), ("刘芳", "General")]
    assert len(rows) == 8


def test_xlsx_of_every_other_kind_in_chinese(shop, settings, clock, manager_pin, tmp_path):
    for kind, sheet, rows in (("contacts", "联系记录", 4), ("callbacks", None, None),
                              ("boards", None, None)):
        out = tmp_path / f"{kind}.xlsx"
        assert main(["--db", str(settings.database.path), "--lang", "zh-CN", "export", kind,
                     "--format", "xlsx", "--out", str(out), "--as", manager_pin],
                    clock=clock) == 0
        sheets = read_xlsx(out)
        assert len(sheets) == 1
        name, got = next(iter(sheets.items()))
        if kind == "contacts":
            # 2026-11-16 10:00: 46342 days since 1899-12-30 and 10 hours
            assert got[1][0] == (pytest.approx(46342 + 10 / 24, abs=1e-9), "yyyy-mm-dd hh:mm:ss")
            assert got[1][2] == ("黄小梅", "General") and got[1][4] == ("电话", "General")
            assert len(got) == rows
        if kind == "boards":
            share = [r for r in got[1:] if len(r) == 8]  # a rate: a percent, with its parts
            assert share and all(r[5][1] == "0.0%" for r in share)


def test_formula_text_is_made_safe(shop, settings, clock, manager_pin, tmp_path):
    from tui.db.models import Member

    Member.update(address="=HYPERLINK(\"http://x\")").where(Member.member_no == "M000001").execute()
    out = tmp_path / "m.csv"
    assert run(settings, clock, "members", "--format", "csv", "--out", str(out)) == 0
    assert csv_rows(out)[1][5] == "'=HYPERLINK(\"http://x\")"
    out = tmp_path / "m.xlsx"
    assert run(settings, clock, "members", "--format", "xlsx", "--out", str(out)) == 0
    assert read_xlsx(out)["members"][1][5] == ("=HYPERLINK(\"http://x\")", "General")  # text


def test_a_guide_is_refused_and_nothing_is_written(shop, settings, clock, manager_pin, tmp_path,
                                                   capsys):
    from tui.db.models import AuditLog

    out = tmp_path / "m.csv"
    assert run(settings, clock, "members", "--format", "csv", "--out", str(out), who="张丽") == 3
    assert "only a manager can export the shop's data; 张丽 is a guide" in capsys.readouterr().err
    assert not out.exists()
    assert AuditLog.select().where(AuditLog.action == "refused").count() == 1
    assert exports(tmp_path) == []


def test_never_over_a_file_and_a_free_name_in_the_folder(shop, settings, clock, manager_pin,
                                                         tmp_path, capsys):
    out = tmp_path / "m.csv"
    out.write_text("keep me")
    assert run(settings, clock, "members", "--format", "csv", "--out", str(out)) == 1
    assert "already exists" in capsys.readouterr().err
    assert out.read_text() == "keep me" and exports(tmp_path) == []
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".")]  # no part file
    # without --out: the exports folder beside the database, 0700, the next free name
    for _ in range(2):
        assert run(settings, clock, "members", "--format", "xlsx") == 0
    folder = settings.database.path.parent / "exports"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(os.listdir(folder)) == ["members-all-20261123-2.xlsx", "members-all-20261123.xlsx"]


def test_erased_members_are_not_exported(shop, settings, clock, manager_pin, tmp_path):
    from tui.db.members.archive import erase_member

    erase_member(shop["zhaomin"], shop["boss"], clock.now())
    out = tmp_path / "m.csv"
    assert run(settings, clock, "members", "--format", "csv", "--out", str(out)) == 0
    assert "M000004" not in [r[0] for r in csv_rows(out)]
    out = tmp_path / "p.csv"
    assert run(settings, clock, "purchases", "--format", "csv", "--out", str(out)) == 0
    assert csv_rows(out)[4][:5] == ["4", "1", "2026-05-27 11:00:00", "", ""]  # a sale, nameless


@pytest.mark.parametrize("words", [["members", "--format", "pdf"], ["stock", "--format", "csv"],
                                   ["members", "--format", "csv", "--from", "2026-11-30",
                                    "--to", "2026-11-01"]])
def test_bad_usage_is_one_line_and_exit_2(shop, settings, clock, manager_pin, capsys, words):
    with pytest.raises(SystemExit) as exit_:
        code = run(settings, clock, *words)
        raise SystemExit(code)
    assert exit_.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_out_a_folder_takes_a_free_name_in_it(shop, settings, clock, manager_pin, tmp_path):
    folder = tmp_path / "for-the-accountant"
    folder.mkdir()
    (folder / "contacts-all-20261123.csv").write_text("an older one")
    assert run(settings, clock, "contacts", "--format", "csv", "--out", str(folder)) == 0
    assert sorted(os.listdir(folder)) == ["contacts-all-20261123-2.csv", "contacts-all-20261123.csv"]
    assert (folder / "contacts-all-20261123.csv").read_text() == "an older one"


def test_xlsx_text_shared_then_inline_reads_the_same(shop, settings, clock, manager_pin, tmp_path,
                                                     monkeypatch):
    """A text column goes into the shared strings while it repeats itself, inline once it has
    SHARED_MOST different values: either way the cells read the same."""
    import tui.reports.exports as exports

    monkeypatch.setattr(exports, "SHARED_MOST", 3)
    out = tmp_path / "m.xlsx"
    assert run(settings, clock, "members", "--format", "xlsx", "--out", str(out)) == 0
    rows = read_xlsx(out)["members"]
    assert [r[0][0] for r in rows[1:]] == [f"M{n:06d}" for n in range(1, 10)]
    assert [r[1][0] for r in rows[1:]] == ["王芳", "李娜", "陈晓燕", "赵敏", "孙丽丽", "周婷", "吴静",
                                           "郑雪", "黄小梅"]
    assert [r[8][0] for r in rows[1:]] == ["张丽", "张丽", "刘芳", "刘芳", "张丽", "刘芳", "张丽",
                                           "张丽", "刘芳"]
    import zipfile

    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert 't="s"' in sheet and 't="inlineStr"' in sheet  # both kinds were written
