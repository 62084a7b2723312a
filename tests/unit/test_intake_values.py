"""One cell into one value: Excel's habits and a POS's, every refusal's words."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tui.intake import values
from tui.intake.values import Bad

LOST = ("format the column as Text in Excel, type the numbers again and save the file "
        "again; they are never guessed")


@pytest.mark.parametrize("cell, phone", [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"), ("+86 138 1234 5678", "13812345678"),
    ("0086-13812345678", "13812345678"), ("8613812345678", "13812345678"),
    ("(138)1234-5678", "13812345678"), ("１３８ １２３４ ５６７８", "13812345678"),  # full width
    ("13812345678.0", "13812345678"),
    (13812345678.0, "13812345678"), (13812345678, "13812345678"),  # Excel's number, whole
    ("", None), ("  ", None), (None, None),
])
def test_a_phone_is_11_digits_starting_with_1(cell, phone):
    assert values.phone(cell) == phone


@pytest.mark.parametrize("cell, shown", [("1.38123E+10", "1.38123E+10"),
                                         ("1.38123e10", "1.38123e10"),
                                         (13812345678.5, "13812345678.5")])
def test_a_phone_excel_wrote_in_scientific_form_is_refused_never_guessed(cell, shown):
    assert values.phone(cell) == Bad(
        f"{shown} has lost digits: Excel wrote the number in scientific form", LOST)


@pytest.mark.parametrize("cell", ["12345", "23812345678", "138123456789", "电话"])
def test_what_is_not_a_mobile_number(cell):
    assert values.phone(cell) == Bad(f"{cell} is not a mobile number",
                                     "write 11 digits starting with 1, such as 13812345678")


@pytest.mark.parametrize("cell, fen", [
    ("¥1,280.00", 128000), ("￥1280", 128000), ("1280", 128000), ("1,280.5", 128050),
    ("１２８０", 128000), ("1280元", 128000), ("¥ 358.50", 35850), ("-358", -35800),
    ("-¥358.00", -35800), ("0", 0), ("12.345", 1235), ("12.344", 1234), ("-12.345", -1235),
    ("123,456.785", 12345679), (716.5, 71650), (0.1 + 0.2, 30), (358, 35800),
    ("", None),
])
def test_an_amount_becomes_whole_fen_rounded_half_up(cell, fen):
    assert values.fen(cell) == fen


@pytest.mark.parametrize("cell", ["1,28", "12,80.00", "abc", "1.2.3", "¥", "NaN", "Infinity"])
def test_what_is_not_an_amount(cell):
    assert values.fen(cell) == Bad(f"{cell} is not an amount of money",
                                   "write yuan such as 1280, 1,280.00 or ¥1,280.50")


def test_an_amount_past_a_million_is_a_wrong_column():
    assert values.fen("6901234567890") == Bad(
        "6901234567890 is more than ¥1,000,000",
        "check the column: a barcode or a phone may be in it")
    assert values.fen("1000000") == 100_000_000


@pytest.mark.parametrize("cell", [
    "2026/9/1", "2026-09-01", "20260901", "2026.9.1", "2026年9月1日", "２０２６-０９-０１",
    "2026-09-01 14:30", 46266.0, 46266, "46266", date(2026, 9, 1), datetime(2026, 9, 1, 9, 5),
])
def test_every_way_a_date_is_written_is_1_september_2026(cell):
    # Excel's serial 46266: 1899-12-30 + 46,266 days = 2026-09-01
    assert values.day(cell) == date(2026, 9, 1)


def test_excel_serials_either_side_of_its_leap_day_that_never_was():
    assert values.day(61) == date(1900, 3, 1)
    assert values.day(36526) == date(2000, 1, 1)
    assert values.day(60) == Bad("60 is not a date from 1900 to 2099", "write dates as 2026-09-01")


@pytest.mark.parametrize("cell, bad", [
    ("2026-02-30", Bad("2026-02-30 is not a real date",
                       "check the day and the month: write dates as 2026-09-01")),
    ("9/1/2026", Bad("9/1/2026 is not a date", "write dates as 2026-09-01, year first")),
    ("26/9/1", Bad("26/9/1 is not a date", "write dates as 2026-09-01, year first")),
    ("2026-09-01x", Bad("2026-09-01x is not a date", "write dates as 2026-09-01, year first")),
    ("1850-01-01", Bad("1850-01-01 is not a date from 1900 to 2099", "write dates as 2026-09-01")),
])
def test_what_is_not_a_date(cell, bad):
    assert values.day(cell) == bad


@pytest.mark.parametrize("cell, moment", [
    ("2026-09-01 14:30", datetime(2026, 9, 1, 14, 30)),
    ("2026/9/1 14:30:05", datetime(2026, 9, 1, 14, 30, 5)),
    ("2026-09-01T08:00:00", datetime(2026, 9, 1, 8)),
    ("20260901 09:15", datetime(2026, 9, 1, 9, 15)),
    ("2026-09-01 14:30:05.250", datetime(2026, 9, 1, 14, 30, 5)),
    ("２０２６-０９-０１　１４：３０", datetime(2026, 9, 1, 14, 30)),  # full width, ideographic space
    (46266.4375, datetime(2026, 9, 1, 10, 30)),  # 0.4375 of a day = 10:30
    ("46266.4375", datetime(2026, 9, 1, 10, 30)),
    (datetime(2026, 9, 1, 14, 30, 5, 999), datetime(2026, 9, 1, 14, 30, 5)),
])
def test_a_sale_time_in_shop_time(cell, moment):
    assert values.moment(cell) == moment


@pytest.mark.parametrize("cell", ["2026-09-01", date(2026, 9, 1), 46266.0, "20260901"])
def test_a_sale_time_without_the_hour_is_refused(cell):
    shown = "2026-09-01" if isinstance(cell, date) else str(cell).removesuffix(".0")
    assert values.moment(cell) == Bad(
        f"{shown} has no time of day",
        "export the sale time with the hour, such as 2026-09-01 14:30")


@pytest.mark.parametrize("cell", ["2026-09-01 25:00", "2026-09-01 14:30+08:00", "下午两点"])
def test_what_is_not_a_sale_time(cell):
    expected = (Bad(f"{cell} is not a date", "write dates as 2026-09-01, year first")
                if cell == "下午两点" else
                Bad(f"{cell} is not a date and time",
                    "write it as 2026-09-01 14:30 (year first, the shop's time)"))
    assert values.moment(cell) == expected


@pytest.mark.parametrize("cell, code", [("女", "女"), ("男", "男"), ("F", "女"), ("m", "男"),
                                        ("Female", "女"), ("MALE", "男"), ("Ｆ", "女"),
                                        ("未知", None), ("保密", None), ("", None)])
def test_genders_as_the_archive_stores_them(cell, code):
    assert values.gender(cell) == code


def test_what_is_not_a_gender():
    assert values.gender("x") == Bad("x is not a gender",
                                     "write 女 or 男 (F or M), or leave it empty")


@pytest.mark.parametrize("cell, number", [("2", 2), ("-1", -1), ("２", 2), (3.0, 3), ("3.0", 3),
                                          (-2, -2), ("", None)])
def test_a_quantity_is_whole_and_negative_for_a_return(cell, number):
    assert values.quantity(cell) == number


@pytest.mark.parametrize("cell", ["0", "1.5", 1.5, "两", "10000"])
def test_what_is_not_a_quantity(cell):
    assert values.quantity(cell) == Bad(
        f"{cell} is not a quantity", "write a whole number such as 2, or -1 for a return; not 0")


@pytest.mark.parametrize("cell, number", [("1段", 1), ("2段", 2), ("3段", 3), ("3", 3),
                                          ("一段", 1), (2.0, 2), ("", None)])
def test_a_formula_stage(cell, number):
    assert values.stage(cell) == number


def test_what_is_not_a_stage():
    assert values.stage("5段") == Bad("5段 is not a stage",
                                     "write 1段, 2段 or 3段, or leave it empty")


def test_days_per_unit():
    assert values.days("7") == 7.0
    assert values.days(7.5) == 7.5
    assert values.days("30天") == 30.0
    assert values.days("0") == Bad("0 is not a number of days", "write how many days one unit "
                                   "lasts, such as 7; empty if it does not run out")


@pytest.mark.parametrize("cell, code", [("6901234567890", "6901234567890"),
                                        (6901234567890.0, "6901234567890"), (" V001 ", "V001"),
                                        ("ＶＩＰ００１", "VIP001"), (42, "42")])
def test_a_code_is_kept_as_written(cell, code):
    assert values.code(cell) == code


def test_a_barcode_in_scientific_form_has_lost_digits():
    assert values.code("6.90123E+12") == Bad(
        "6.90123E+12 has lost digits: Excel wrote the number in scientific form", LOST)


def test_text_is_nfkc_on_one_line_and_not_too_long():
    assert values.text("  王　芳 ", 30) == "王 芳"
    assert values.text("上海\n徐汇", 200) == Bad("it has line breaks or control characters",
                                               "put it on one line as plain text")
    assert values.text("长" * 31, 30) == Bad("31 characters; at most 30", "shorten it")
    assert values.text("", 30) is None


def test_the_words_are_in_the_language_spoken():
    from tui.i18n import use_language

    use_language("zh-CN")
    assert values.phone("1.38123E+10") == Bad(
        "1.38123E+10 已丢失数字：Excel 把号码写成了科学计数法",
        "在 Excel 里把这一列设为“文本”格式，重新输入号码后再保存；系统不会猜测号码")
    assert values.fen("1,28") == Bad("1,28 不是金额",
                                     "请写金额（元），例如 1280、1,280.00 或 ¥1,280.50")


def test_a_line_number():
    assert values.line_number("3") == 3
    assert values.line_number(2.0) == 2
    assert values.line_number("0") == Bad("0 is not a line number",
                                          "write the line of the receipt as 1, 2, 3 …")
