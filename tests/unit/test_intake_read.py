"""Reading a file as a table: the encodings by the strict cascade, CRLF and LF, blank
rows, quoted commas, XLSX written here by xlsxwriter and the XLS LibreOffice made
(tests/files/README.md), and every one-line error."""

from __future__ import annotations

import codecs
from datetime import date, datetime
from pathlib import Path

import pytest
import xlsxwriter

from tui.intake.read import (PREVIEW_ROWS, ReadError, detect_encoding, open_table,
                             shown_cell)

FILES = Path(__file__).resolve().parent.parent / "files"
HEADER = "会员卡号,姓名,手机号码,性别,生日"
ROWS = ["V001,王芳,13812345678,女,2026/9/1", "V002,\"张,三\",139 0000 1111,男,20200101"]


def write(tmp_path: Path, data: bytes, name: str = "members.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def text_file(tmp_path: Path, encoding: str, ending: str = "\n", rows=ROWS,
              header: str = HEADER) -> Path:
    return write(tmp_path, ending.join([header, *rows, ""]).encode(encoding))


def all_rows(path: Path) -> list:
    return list(open_table(path).rows())


EXPECTED = [(2, ("V001", "王芳", "13812345678", "女", "2026/9/1")),
            (3, ("V002", "张,三", "139 0000 1111", "男", "20200101"))]


@pytest.mark.parametrize("encoding, name", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"),
                                            ("gbk", "GB18030 (GBK)"),
                                            ("utf-16", "UTF-16 with BOM")])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_each_encoding_and_line_ending_reads_the_same_rows(tmp_path, encoding, name, ending):
    table = open_table(text_file(tmp_path, encoding, ending))
    assert table.encoding_name == name
    assert table.header == ("会员卡号", "姓名", "手机号码", "性别", "生日")
    assert list(table.preview) == EXPECTED
    assert list(table.rows()) == EXPECTED


def test_a_name_outside_gbk_is_read_as_gb18030(tmp_path):
    with pytest.raises(UnicodeEncodeError):
        "刘䶮".encode("gbk")  # the test means what it says: 䶮 is not in GBK
    path = text_file(tmp_path, "gb18030", rows=["V009,刘䶮,13812345678,女,2026-09-01"])
    table = open_table(path)
    assert table.encoding == "gb18030"
    assert [cells[1] for _, cells in table.rows()] == ["刘䶮"]


def test_the_cascade_tries_utf8_before_gb18030_and_a_bom_before_both():
    assert detect_encoding("王芳".encode("utf-8"), whole=True) == "utf-8"
    assert detect_encoding("王芳".encode("gbk"), whole=True) == "gb18030"
    assert detect_encoding(codecs.BOM_UTF8 + "王芳".encode("utf-8"), whole=True) == "utf-8-sig"
    # a sample cut in the middle of a character is still UTF-8 when the file goes on
    assert detect_encoding("王芳".encode("utf-8")[:-1], whole=False) == "utf-8"


def test_utf16_without_a_bom_is_left_to_the_detector(tmp_path):
    path = write(tmp_path, "\n".join([HEADER, *ROWS, ""]).encode("utf-16-le"))
    table = open_table(path)
    assert table.encoding == "utf-16-le"
    assert list(table.rows()) == EXPECTED


def test_blank_rows_are_skipped_and_the_rows_keep_their_numbers(tmp_path):
    path = text_file(tmp_path, "utf-8", "\r\n",
                     rows=[ROWS[0], ",,,,", "", ROWS[1], "", " , ,", ""])
    assert [(n, cells[0]) for n, cells in all_rows(path)] == [(2, "V001"), (5, "V002")]


def test_a_quoted_cell_may_hold_a_comma_a_quote_and_a_line_break(tmp_path):
    path = text_file(tmp_path, "utf-8", "\r\n", rows=[
        'V001,"王""芳""",13812345678,女,"上海市,\r\n徐汇区"', "V002,李娜,13900001111,女,"])
    rows = all_rows(path)
    assert rows[0] == (2, ("V001", '王"芳"', "13812345678", "女", "上海市,\r\n徐汇区"))
    assert rows[1][0] == 3  # the quoted line break does not make a row of its own


def test_a_tab_separated_file_is_read_by_tabs(tmp_path):
    path = write(tmp_path, "卡号\t姓名\nV001\t王芳\n".encode("utf-8"), "pos.txt")
    assert all_rows(path) == [(2, ("V001", "王芳"))]


def test_rows_come_out_before_a_later_bad_byte_which_names_its_row(tmp_path):
    good = [f"V{i:05d},王芳,138{i:08d},女,2026/9/1".encode("gb18030") for i in range(9000)]
    bad = b"V99999,\x80\x80,13800000000,F,2026/9/1"  # 0x80 alone is no GB18030 character
    path = write(tmp_path, b"\r\n".join([HEADER.encode("gb18030"), *good, bad, b""]))
    table = open_table(path)  # its head (64 KiB) is GB18030
    assert table.encoding == "gb18030"
    rows = table.rows()
    seen = 0
    with pytest.raises(ReadError) as caught:
        for _ in rows:
            seen += 1
    assert seen == 9000  # streamed: every row above it came out first
    assert str(caught.value) == (
        f"{path}: row 9002: bytes that are not GB18030 (GBK), the encoding its first rows "
        "are in; save the whole file again as \"CSV UTF-8\"")


def test_a_utf8_file_with_a_later_gbk_row_is_refused_at_that_row(tmp_path):
    good = ["V{:05d},王芳,13800000000,女,".format(i).encode("utf-8") for i in range(5000)]
    path = write(tmp_path, b"\n".join([HEADER.encode(), *good, "V1,刘芳,1,女,".encode("gbk")]))
    with pytest.raises(ReadError, match=r"row 5002: bytes that are not UTF-8,"):
        all_rows(path)


def test_the_preview_is_the_first_rows_decoded(tmp_path):
    rows = [f"V{i:03d},王芳,13800000{i:03d},女," for i in range(30)]
    table = open_table(text_file(tmp_path, "gb18030", rows=rows))
    assert len(table.preview) == PREVIEW_ROWS == 10
    assert table.preview[0] == (2, ("V000", "王芳", "13800000000", "女", ""))
    assert table.preview[-1][0] == 11
    assert len(list(table.rows())) == 30


@pytest.mark.parametrize("data, words", [
    (b"", "the file is empty"),
    (b"\r\n\r\n", "the first row is empty; the column names must be the first row "
                  "(delete the rows above them)"),
    (b",,,\nV001,x\n", "the first row is empty; the column names must be the first row "
                       "(delete the rows above them)"),
])
def test_an_empty_file_or_a_header_not_on_the_first_row_is_said_in_one_line(tmp_path, data, words):
    path = write(tmp_path, data)
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert str(caught.value) == f"{path}: {words}"


def test_bytes_in_no_encoding_it_reads_are_refused(tmp_path):
    path = write(tmp_path, b"\xff\x00\xfe\x81\x00\xff" * 50)
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert str(caught.value) == (f"{path}: the file is not text in UTF-8, UTF-16 or GB18030 "
                                 "(GBK); save it from Excel as \"CSV UTF-8\"")


def test_what_is_not_a_file_to_read(tmp_path):
    with pytest.raises(ReadError) as caught:
        open_table(tmp_path / "gone.csv")
    assert str(caught.value) == f"{tmp_path / 'gone.csv'}: no such file"
    with pytest.raises(ReadError) as caught:
        open_table(tmp_path)
    assert str(caught.value) == f"{tmp_path}: not a file (a folder, a pipe or a device)"
    path = write(tmp_path, b"x", "members.pdf")
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert str(caught.value) == f"{path}: not a file this reads; give a .csv, .xlsx or .xls file"
    path = write(tmp_path, b"not a workbook at all", "members.xlsx")
    with pytest.raises(ReadError, match=r"members\.xlsx: not a spreadsheet this can read \(.+\); "
                                        r"open it in Excel and save it again as \.xlsx$"):
        open_table(path)


def xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "sales.xlsx"
    book = xlsxwriter.Workbook(str(path))
    hidden = book.add_worksheet("说明")  # a hidden first sheet: the first visible one is read
    sheet = book.add_worksheet("销售")
    sheet.activate()
    hidden.hide()
    day = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, ["小票号", "销售时间", "手机", "数量", "实收金额"])
    sheet.write_row(1, 0, ["R1"])
    sheet.write_datetime(1, 1, datetime(2026, 9, 1, 14, 30), day)
    sheet.write_number(1, 2, 13812345678)
    sheet.write_number(1, 3, 2)
    sheet.write_number(1, 4, 716.5)
    sheet.write_row(3, 0, ["R2", 46266.4375, "1.38123E+10", -1, -358])  # row 3 left blank
    book.close()
    return path


def test_an_xlsx_gives_numbers_and_datetimes_as_excel_holds_them(tmp_path):
    table = open_table(xlsx(tmp_path))
    assert (table.kind, table.encoding, table.sheet) == ("spreadsheet", None, "销售")
    assert table.encoding_name == "spreadsheet, sheet 销售"
    assert table.header == ("小票号", "销售时间", "手机", "数量", "实收金额")
    assert list(table.rows()) == [
        (2, ("R1", datetime(2026, 9, 1, 14, 30), 13812345678.0, 2.0, 716.5)),
        (4, ("R2", 46266.4375, "1.38123E+10", -1.0, -358.0)),
    ]


def test_the_xls_libreoffice_made_is_read(tmp_path):
    table = open_table(FILES / "members.xls")
    assert table.header == ("会员卡号", "姓名", "手机号码", "性别", "生日", "开卡日期")
    assert list(table.rows()) == [
        (2, ("V001", "刘䶮", 13812345678.0, "女", date(2020, 5, 17), 46266)),
        (3, ("V002", "王芳", "139-0000-1111", "男", "2019/3/8", date(2025, 12, 1))),
        (4, ("V003", "李娜", "1.38123E+10", "F", "20180101", "2026.1.5")),
    ]


def test_cells_are_shown_as_excel_shows_them():
    assert shown_cell(13812345678.0) == "13812345678"
    assert shown_cell(716.5) == "716.5"
    assert shown_cell(date(2026, 9, 1)) == "2026-09-01"
    assert shown_cell(datetime(2026, 9, 1, 14, 30)) == "2026-09-01 14:30:00"
    assert shown_cell(None) == ""


def test_a_sheet_too_large_to_hold_is_refused_before_it_is_loaded(tmp_path, monkeypatch):
    from tui.intake import read

    path = xlsx(tmp_path)
    assert read.sheet_size(path, "销售") == (4, 5)  # A1:E4, from the sheet's <dimension>
    assert read.sheet_size(path, "no such sheet") is None
    monkeypatch.setattr(read, "MAX_SHEET_CELLS", 19)  # 4 × 5 = 20 cells
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert str(caught.value) == (
        f"{path}: the sheet 销售 has 4 rows of 5 columns, too many to read from a workbook, "
        "which is read whole; save it from Excel as \"CSV UTF-8\" and import that")
    monkeypatch.setattr(read, "MAX_SHEET_CELLS", 20)
    assert open_table(path).sheet == "销售"


def test_a_sheet_whose_names_are_not_on_row_1_is_refused_as_a_csv_is(tmp_path):
    path = tmp_path / "members.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(2, 1, ["姓名", "手机"])  # a title's two rows above, column A blank
    sheet.write_row(3, 1, ["王芳", "13812345678"])
    book.close()
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert str(caught.value) == (f"{path}: the first row is empty; the column names must be "
                                 "the first row (delete the rows above them)")


def test_a_sheet_starting_in_column_b_keeps_its_row_numbers(tmp_path):
    path = tmp_path / "members.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 1, ["姓名", "手机"])
    sheet.write_row(2, 1, ["王芳", "13812345678"])
    book.close()
    table = open_table(path)
    assert table.header == ("姓名", "手机")
    assert list(table.rows()) == [(3, ("王芳", "13812345678"))]


def test_a_cell_larger_than_any_shop_writes_is_not_csv(tmp_path):
    path = write(tmp_path, ("姓名,手机\n王芳,13812345678\n\"" + "x" * 1_000_001 + "\",1\n")
                 .encode("utf-8"))
    with pytest.raises(ReadError) as caught:
        all_rows(path)
    assert str(caught.value) == (f"{path}: row 3: not CSV as Excel writes it (field larger "
                                 "than field limit (1000000))")


def test_a_workbook_whose_sheet_is_empty(tmp_path):
    path = tmp_path / "members.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("会员")
    book.close()
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert str(caught.value) == f"{path}: the first sheet (会员) is empty"


def test_a_head_of_plain_ascii_decides_nothing_the_first_chinese_line_does(tmp_path):
    ascii_rows = [f"V{i:05d},Mei,13800000000,F," for i in range(3000)]  # 90 KB, past the head
    path = write(tmp_path, "\r\n".join(["card no,name,phone,gender,birthday", *ascii_rows,
                                        "V99999,刘芳,13800000000,女,", ""]).encode("gbk"))
    table = open_table(path)
    assert table.encoding == "gb18030"
    assert list(table.rows())[-1] == (3002, ("V99999", "刘芳", "13800000000", "女", ""))
    plain = write(tmp_path, "\n".join(["name", *["Mei"] * 30000, ""]).encode(), "plain.csv")
    assert open_table(plain).encoding == "utf-8"  # ASCII to the end: UTF-8 reads it


def test_a_file_is_read_by_what_is_inside_not_by_its_name(tmp_path):
    # a POS's "销售.xls" that is tab-separated GB18030 text
    text = write(tmp_path, "卡号\t姓名\r\nV001\t刘䶮\r\n".encode("gb18030"), "销售.xls")
    table = open_table(text)
    assert (table.kind, table.encoding) == ("csv", "gb18030")
    assert list(table.rows()) == [(2, ("V001", "刘䶮"))]
    # a workbook someone named .csv
    book = write(tmp_path, (FILES / "members.xls").read_bytes(), "members.csv")
    assert open_table(book).kind == "spreadsheet"
    assert open_table(book).header[:2] == ("会员卡号", "姓名")


def test_a_web_page_saved_as_xls_is_refused(tmp_path):
    path = write(tmp_path, "\ufeff <html><table><tr><td>姓名</td></tr></table></html>"
                 .encode("utf-8"), "会员.xls")
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert str(caught.value) == (f"{path}: a web page (HTML), not a table file: web POS systems "
                                 "save these as .xls; open it in Excel and save it as .xlsx or "
                                 "\"CSV UTF-8\"")
