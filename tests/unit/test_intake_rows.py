"""Every row of a file checked into the typed rows of the contract, or its problems; and
the problem report Excel opens (UTF-8 with BOM, 0600, never over a file)."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
import xlsxwriter

from tui.files import FileError
from tui.i18n import use_language
from tui.intake.mapping import MappingError, guess
from tui.intake.rows import MemberRow, Problem, ProductRow, PurchaseRow, check_file
from tui.reports.intake import write_problems

FILES = Path(__file__).resolve().parent.parent / "files"


def csv_file(tmp_path: Path, lines: list[str], encoding: str = "gb18030") -> Path:
    path = tmp_path / "file.csv"
    path.write_bytes("\r\n".join([*lines, ""]).encode(encoding))
    return path


def checked(path: Path, kind: str, columns=None) -> list:
    from tui.intake.read import open_table

    return list(check_file(path, kind, columns or guess(kind, open_table(path).header)))


MEMBERS = ["会员卡号,会员姓名,手机号码,性别,生日,地址,开卡日期,导购",
           "V001,刘䶮,138 1234 5678,女,2020/5/17,\"上海市徐汇区, 3号楼\",20240101,王芳",
           "V002,张三,1.38123E+10,M,2019-02-30,,2024.1.2,",
           "V003,李娜,+86 139-0000-1111,female,,,,",
           ",陈静,13812345678,F,,,,",
           "V001,周敏,13700001111,X,,,,"]


def test_a_members_file_gives_rows_and_problems_in_row_order(tmp_path):
    assert checked(csv_file(tmp_path, MEMBERS), "members") == [
        MemberRow(2, "V001", "刘䶮", "13812345678", "女", date(2020, 5, 17), "上海市徐汇区, 3号楼",
                  date(2024, 1, 1), "王芳"),
        Problem(3, "手机号码", "1.38123E+10",
                "1.38123E+10 has lost digits: Excel wrote the number in scientific form",
                "format the column as Text in Excel, type the numbers again and save the file "
                "again; they are never guessed"),
        Problem(3, "生日", "2019-02-30", "2019-02-30 is not a real date",
                "check the day and the month: write dates as 2026-09-01"),
        MemberRow(4, "V003", "李娜", "13900001111", "女", None, None, None, None),
        Problem(5, "手机号码", "13812345678", "the same phone as row 2",
                "keep one row for each; merge the two rows in the file"),
        Problem(6, "性别", "X", "X is not a gender", "write 女 or 男 (F or M), or leave it empty"),
        Problem(6, "会员卡号", "V001", "the same card number as row 2",  # said with the other
                "keep one row for each; merge the two rows in the file"),
    ]


def test_a_duplicate_card_number_on_a_row_otherwise_right(tmp_path):
    lines = [MEMBERS[0], MEMBERS[1], "V001,周敏,13700001111,女,,,,"]
    assert checked(csv_file(tmp_path, lines), "members") == [
        checked(csv_file(tmp_path, lines[:2]), "members")[0],
        Problem(3, "会员卡号", "V001", "the same card number as row 2",
                "keep one row for each; merge the two rows in the file")]


def test_a_needed_cell_left_empty_is_a_problem(tmp_path):
    lines = ["姓名,手机", ",13812345678", "王芳,"]
    assert checked(csv_file(tmp_path, lines), "members") == [
        Problem(2, "姓名", "", "empty", "fill it in: every row needs it"),
        Problem(3, "手机", "", "empty", "fill it in: every row needs it")]


def test_a_products_file(tmp_path):
    lines = ["条码,商品名称,品牌,类别,规格,段数,单位,零售价,可用天数",
             "6901234567890,飞鹤星飞帆,飞鹤,奶粉,800g,3段,罐,¥358.00,7",
             "6.90123E+12,帮宝适,宝洁,纸尿裤,L,,包,￥129,",
             "6901234567891,湿巾,,,,,包,19.9,",
             "6901234567890,星飞帆2段,飞鹤,奶粉,800g,2段,罐,358,7"]
    assert checked(csv_file(tmp_path, lines), "products") == [
        ProductRow(2, "6901234567890", "飞鹤星飞帆", "飞鹤", "奶粉", "800g", 3, "罐", 35800, 7.0),
        Problem(3, "条码", "6.90123E+12",
                "6.90123E+12 has lost digits: Excel wrote the number in scientific form",
                "format the column as Text in Excel, type the numbers again and save the file "
                "again; they are never guessed"),
        ProductRow(4, "6901234567891", "湿巾", None, None, None, None, "包", 1990, None),
        Problem(5, "条码", "6901234567890", "the same barcode as row 2",
                "keep one row for each; merge the two rows in the file"),
    ]


SALES = ["销售单号,行号,交易时间,会员卡号,手机号码,商品条码,商品名称,数量,单价(元),实收金额(元),导购",
         "R001,1,2026/9/1 14:30,V001,13812345678,6901234567890,星飞帆,2,358,\"¥716.00\",王芳",
         "R001,2,2026/9/1 14:30,V001,13812345678,,湿巾,1,19.9,19.9,王芳",
         "R002,1,2026-09-02 10:05:30,,,6901234567890,,-1,358,-358,",
         "R003,1,2026-09-02,,,6901234567890,,1,358,358,",
         "R004,1,2026-09-02 11:00,,,,,1,358,358,",
         "R005,1,2026-09-02 11:00,,,6901234567890,,-1,358,358,",
         "R006,1,2026-09-02 11:00,,,6901234567890,,0,358,0,"]


def test_a_sales_file_with_a_return_and_every_kind_of_wrong_row(tmp_path):
    assert checked(csv_file(tmp_path, SALES), "purchases") == [
        PurchaseRow(2, "R001", 1, datetime(2026, 9, 1, 14, 30), "V001", "13812345678", None,
                    "6901234567890", None, "星飞帆", None, None, 2, 35800, 71600, "王芳"),
        PurchaseRow(3, "R001", 2, datetime(2026, 9, 1, 14, 30), "V001", "13812345678", None,
                    None, None, "湿巾", None, None, 1, 1990, 1990, "王芳"),
        PurchaseRow(4, "R002", 1, datetime(2026, 9, 2, 10, 5, 30), None, None, None,
                    "6901234567890", None, None, None, None, -1, 35800, -35800, None),
        Problem(5, "交易时间", "2026-09-02", "2026-09-02 has no time of day",
                "export the sale time with the hour, such as 2026-09-01 14:30"),
        Problem(6, "", "", "no barcode and no product name",
                "fill in one of them: the sale needs its product"),
        Problem(7, "实收金额(元)", "358", "a quantity of -1 with an amount of 358",
                "a return has both negative: write the quantity and the amount with a minus"),
        Problem(8, "数量", "0", "0 is not a quantity",
                "write a whole number such as 2, or -1 for a return; not 0"),
    ]


def test_a_wrong_barcode_is_not_also_a_missing_product(tmp_path):
    lines = ["小票号,销售时间,条码,数量,实收", "R1,2026-09-01 14:30,6.90123E+12,1,358"]
    assert [(p.row, p.column) for p in checked(csv_file(tmp_path, lines), "purchases")] == [
        (2, "条码")]


def test_a_saved_mapping_of_another_kind_is_refused(tmp_path):
    from tui.intake.mapping import SavedMapping

    path = csv_file(tmp_path, SALES)
    with pytest.raises(MappingError) as caught:
        check_file(path, "purchases", SavedMapping("pos", "members", {"phone": "手机号码"}))
    assert str(caught.value) == "the mapping pos is for a members file, not purchases"
    saved = SavedMapping("pos", "purchases", guess("purchases", SALES[0].split(",")))
    assert list(check_file(path, "purchases", saved)) == checked(path, "purchases")


def test_a_mapping_that_does_not_fit_stops_before_the_first_row(tmp_path):
    path = csv_file(tmp_path, SALES)
    with pytest.raises(MappingError) as caught:
        check_file(path, "purchases", {"receipt": "销售单号", "sold_at": "交易时间"})
    assert str(caught.value) == ("no column for quantity, amount, barcode, product code or "
                                 "product name; map it to one of the file's columns")


def test_an_xlsx_sales_file_with_excel_numbers_and_datetimes(tmp_path):
    path = tmp_path / "sales.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, ["小票号", "销售时间", "手机", "条码", "数量", "实收"])
    sheet.write_row(1, 0, ["R1"])
    sheet.write_datetime(1, 1, datetime(2026, 9, 1, 14, 30), when)
    sheet.write_row(1, 2, [13812345678, 6901234567890, 2, 716.5])
    sheet.write_row(2, 0, [1001, 46266.4375, 13812345678, 6901234567890, -1.0, -358.25])
    book.close()
    assert checked(path, "purchases") == [
        PurchaseRow(2, "R1", None, datetime(2026, 9, 1, 14, 30), None, "13812345678", None,
                    "6901234567890", None, None, None, None, 2, None, 71650, None),
        PurchaseRow(3, "1001", None, datetime(2026, 9, 1, 10, 30), None, "13812345678", None,
                    "6901234567890", None, None, None, None, -1, None, -35825, None)]


def test_the_xls_members_file(tmp_path):
    assert checked(FILES / "members.xls", "members") == [
        MemberRow(2, "V001", "刘䶮", "13812345678", "女", date(2020, 5, 17), None,
                  date(2026, 9, 1), None),
        MemberRow(3, "V002", "王芳", "13900001111", "男", date(2019, 3, 8), None,
                  date(2025, 12, 1), None),
        Problem(4, "手机号码", "1.38123E+10",
                "1.38123E+10 has lost digits: Excel wrote the number in scientific form",
                "format the column as Text in Excel, type the numbers again and save the file "
                "again; they are never guessed"),
    ]


PROBLEMS = [Problem(3, "手机号码", "1.38123E+10", "lost digits", "type it again"),
            Problem(7, "实收", "=HYPERLINK(\"x\")", "not an amount", "write yuan")]


def test_the_problem_report_is_csv_with_a_bom_owner_only(tmp_path):
    path = tmp_path / "problems.csv"
    assert write_problems(path, iter(PROBLEMS)) == 2
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_bytes() == (
        "\ufeffRow,Column,Value,What is wrong,What to do\r\n"
        "3,手机号码,1.38123E+10,lost digits,type it again\r\n"
        "7,实收,\"'=HYPERLINK(\"\"x\"\")\",not an amount,write yuan\r\n").encode("utf-8")


def test_the_problem_report_is_headed_in_the_language_spoken(tmp_path):
    use_language("zh-CN")
    path = tmp_path / "问题.csv"
    write_problems(path, [])
    assert path.read_bytes().decode("utf-8-sig") == "行号,列,内容,问题,怎么改\r\n"


def test_the_problem_report_never_writes_over_a_file(tmp_path):
    path = tmp_path / "problems.csv"
    path.write_text("kept")
    with pytest.raises(FileError) as caught:
        write_problems(path, PROBLEMS)
    assert str(caught.value) == (f"{path}: already exists; give a new file name (the problem "
                                 "report is never written over a file)")
    assert path.read_text() == "kept"


def test_each_row_type_has_its_kinds_fields_in_order():
    from dataclasses import fields

    from tui.intake.mapping import FIELDS
    from tui.intake.rows import ROW_TYPES

    assert [f.name for f in fields(MemberRow)] == [
        "row", "card_no", "name", "phone", "gender", "birthday", "address", "joined_on", "guide"]
    assert [f.name for f in fields(ProductRow)] == [
        "row", "barcode", "name", "brand", "category", "spec", "stage", "unit", "price_fen",
        "days_per_unit"]
    assert [f.name for f in fields(PurchaseRow)] == [
        "row", "receipt", "line", "sold_at", "card_no", "phone", "member_name", "barcode",
        "code", "product", "brand", "category", "quantity", "unit_price_fen", "amount_fen",
        "guide"]
    assert [f.key for f in FIELDS["members"]] == [
        "card_no", "name", "phone", "gender", "birthday", "address", "joined", "guide"]
    assert [f.key for f in FIELDS["products"]] == [
        "barcode", "product", "brand", "category", "spec", "stage", "unit", "price", "days"]
    assert [f.key for f in FIELDS["purchases"]] == [
        "receipt", "line", "sold_at", "card_no", "phone", "name", "barcode", "code", "product",
        "brand", "category", "quantity", "price", "amount", "guide"]
    assert ROW_TYPES == {"members": MemberRow, "products": ProductRow, "purchases": PurchaseRow}


def test_the_problem_report_in_a_folder_that_is_not_there(tmp_path):
    path = tmp_path / "gone" / "problems.csv"
    with pytest.raises(FileError) as caught:
        write_problems(path, PROBLEMS)
    assert str(caught.value) == (f"{path}: cannot write the problem report there (No such file "
                                 "or directory)")


def test_the_reading_is_told_of_its_rows_and_can_be_stopped(tmp_path):
    from tui.intake.progress import ImportCancelled, Progress
    from tui.intake.read import open_table
    from tui.intake.rows import check_table

    path = csv_file(tmp_path, MEMBERS)  # a header and 5 rows, each line ended by CRLF
    table = open_table(path)
    assert table.estimated_rows() == 5
    path.write_bytes(path.read_bytes().rstrip(b"\r\n"))  # no line end after the last row
    assert open_table(path).estimated_rows() == 5
    seen = []
    progress = Progress(lambda *told: seen.append(told), every=2)
    rows = list(check_table(table, "members", guess("members", table.header), progress))
    assert len(rows) == 7  # 2 rows and 5 problems, as above
    assert seen == [("reading", 2, 5), ("reading", 4, 5), ("reading", 5, 5)]
    progress.cancel.set()
    with pytest.raises(ImportCancelled):
        list(check_table(table, "members", guess("members", table.header), progress))
