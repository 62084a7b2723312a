"""Which column is which field: the guess from a POS's header, what is missing, and
mappings saved by name beside the settings (0600, never half-written)."""

from __future__ import annotations

import os
import stat

import pytest

from tui.intake.mapping import (MAPPINGS_FILE, MappingError, SavedMapping, column_letter, guess,
                                header_key, list_mappings, load_mappings, mappings_path, missing,
                                resolve, save_mapping)

#: a 收银系统's sales export as it comes: units in brackets, full-width spaces, a column we
#: do not read (折扣), two columns saying "amount" (the first wins)
POS_SALES = ("销售单号", "行号", "交易时间", "会员卡号", "会员姓名", "手机号码", "商品条码",
             "商品名称", "规格", "数量", "单价(元)", "折扣", "实收金额（元）", "金额", "导购")
POS_MEMBERS = ("会员卡号", "会员姓名", "手机", "性别", "生日", "地址", "开卡日期", "营业员")
POS_PRODUCTS = ("条码", "商品名称", "品牌", "类别", "规格", "段数", "单位", "零售价", "可用天数")


def test_the_guess_from_a_chinese_pos_sales_header():
    assert guess("purchases", POS_SALES) == {
        "receipt": "销售单号", "line": "行号", "sold_at": "交易时间", "card_no": "会员卡号",
        "name": "会员姓名", "phone": "手机号码", "barcode": "商品条码", "product": "商品名称",
        "quantity": "数量", "price": "单价(元)", "amount": "实收金额（元）", "guide": "导购"}
    assert missing("purchases", guess("purchases", POS_SALES)) == []


def test_the_guess_from_a_chinese_pos_members_header():
    assert guess("members", POS_MEMBERS) == {
        "card_no": "会员卡号", "name": "会员姓名", "phone": "手机", "gender": "性别",
        "birthday": "生日", "address": "地址", "joined": "开卡日期", "guide": "营业员"}


def test_the_guess_from_a_products_header():
    assert guess("products", POS_PRODUCTS) == {
        "barcode": "条码", "product": "商品名称", "brand": "品牌", "category": "类别",
        "spec": "规格", "stage": "段数", "unit": "单位", "price": "零售价", "days": "可用天数"}


def test_the_guess_from_english_headers_in_any_case_and_spacing():
    header = ("Card No", "Name", "Mobile", "Gender", "Birthday", "Address", "Joined", "Staff")
    assert guess("members", header) == {
        "card_no": "Card No", "name": "Name", "phone": "Mobile", "gender": "Gender",
        "birthday": "Birthday", "address": "Address", "joined": "Joined", "guide": "Staff"}
    header = ("receipt_no", "SOLD AT", "phone", "barcode", "product", "qty", "price", "amount",
              "guide", "Days per unit")
    assert guess("purchases", header) == {
        "receipt": "receipt_no", "sold_at": "SOLD AT", "phone": "phone", "barcode": "barcode",
        "product": "product", "quantity": "qty", "price": "price", "amount": "amount",
        "guide": "guide"}  # days per unit is a product's, not a sale's


def test_headers_are_compared_after_nfkc_and_without_a_unit():
    assert header_key("  单价（元） ") == "单价"
    assert header_key("Ｃａｒｄ　Ｎｏ") == "card no"
    assert header_key("receipt-no.") == "receipt no"
    assert guess("members", ("　手机号码　",)) == {"phone": "　手机号码　"}


def test_what_a_kind_still_needs_in_words():
    assert missing("members", {"name": "姓名"}) == ["phone"]
    assert missing("purchases", {"receipt": "单号", "sold_at": "时间", "quantity": "数量",
                                 "amount": "金额"}) == ["barcode, product code or product name"]
    assert missing("products", {}) == ["barcode", "product name", "price"]


def test_resolve_finds_each_column_and_says_what_does_not_fit():
    header = ("姓名", "手机", "金额", "金额")
    assert resolve("members", {"name": "姓名", "phone": " 手机"}, header) == {"name": 0, "phone": 1}
    with pytest.raises(MappingError) as caught:
        resolve("members", {"name": "姓名", "phone": "电话"}, header)
    assert str(caught.value) == "the file has no column 电话; its columns are 姓名, 手机, 金额, 金额"
    with pytest.raises(MappingError) as caught:
        resolve("purchases", {"amount": "金额"}, header)
    assert str(caught.value) == ("the file has two columns named 金额 (columns C and D); "
                                 "rename one in the file")
    with pytest.raises(MappingError) as caught:
        resolve("members", {"name": "姓名"}, header)
    assert str(caught.value) == "no column for phone; map it to one of the file's columns"
    with pytest.raises(MappingError) as caught:
        resolve("members", {"amount": "金额"}, header)
    assert str(caught.value) == "amount: not a field of a members file"
    with pytest.raises(MappingError) as caught:
        resolve("staff", {}, header)
    assert str(caught.value) == "staff: not a kind of file; one of members, products, purchases"


def test_column_letters_as_excel_names_them():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_mappings_are_saved_by_name_beside_the_settings_owner_only(tmp_path):
    path = mappings_path(tmp_path / "settings.toml")
    assert path == tmp_path / MAPPINGS_FILE == tmp_path / "import-mappings.toml"
    assert load_mappings(path) == {} and list_mappings(path) == []
    pos = SavedMapping("收银 POS", "purchases", {"amount": "实收", "receipt": "小票号"})
    save_mapping(path, pos)
    save_mapping(path, SavedMapping("members-2024", "members", {"phone": "手机", "name": '姓"名'}))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert list_mappings(path) == [
        SavedMapping("members-2024", "members", {"phone": "手机", "name": '姓"名'}), pos]
    assert list_mappings(path, "purchases") == [pos]
    assert path.read_text(encoding="utf-8") == (
        '# Column mappings for `shopfloor import … --mapping NAME`: field = "column"\n'
        "# written by Shopfloor; one table per name\n\n"
        '["members-2024"]\nkind = "members"\n\n["members-2024".columns]\n'
        'name = "姓\\"名"\nphone = "手机"\n\n'
        '["收银 POS"]\nkind = "purchases"\n\n["收银 POS".columns]\n'
        'receipt = "小票号"\namount = "实收"\n')
    save_mapping(path, SavedMapping("收银 POS", "purchases", {"amount": "金额"}))  # replaced
    assert load_mappings(path)["收银 POS"].columns == {"amount": "金额"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["import-mappings.toml"]  # no temp left


def test_a_symlink_at_the_mappings_file_is_replaced_not_followed(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("# kept\n")
    path = tmp_path / MAPPINGS_FILE
    path.symlink_to(target)
    save_mapping(path, SavedMapping("pos", "members", {"phone": "手机"}))
    assert target.read_text() == "# kept\n" and not path.is_symlink()


@pytest.mark.parametrize("name", ["", " pos", "a" * 41, 'say "pos"', "two\nlines"])
def test_a_mapping_name_is_short_and_plain(tmp_path, name):
    with pytest.raises(MappingError, match="a mapping's name is 1 to 40 characters, no quotes, "
                                           "spaces only inside$"):
        save_mapping(tmp_path / MAPPINGS_FILE, SavedMapping(name, "members", {}))


def test_saving_a_field_the_kind_does_not_take_is_refused(tmp_path):
    with pytest.raises(MappingError) as caught:
        save_mapping(tmp_path / MAPPINGS_FILE, SavedMapping("pos", "members", {"amount": "金额"}))
    assert str(caught.value) == "amount: not a field of a members file"


@pytest.mark.parametrize("text, words", [
    ("[pos\n", "not valid TOML (Expected ']' at the end of a table declaration (at line 1, "
               "column 5)); correct it or remove the file"),
    ('[pos]\nkind = "staff"\n', "[pos]: kind must be members, products or purchases"),
    ('[pos]\nkind = "members"\ncolour = 1\n',
     '[pos]: a mapping has kind = "…" and a [columns] table, nothing else'),
    ('[pos]\nkind = "members"\n[pos.columns]\nphone = 1\n',
     '[pos]: columns: field = "column name", one a line'),
    ('[pos]\nkind = "members"\n[pos.columns]\namount = "金额"\n',
     "[pos]: amount: not a field of a members file"),
    ('pos = 1\n', '[pos]: a mapping has kind = "…" and a [columns] table, nothing else'),
])
def test_a_bad_mappings_file_is_said_in_one_line(tmp_path, text, words):
    path = tmp_path / MAPPINGS_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mappings(path)
    assert str(caught.value) == f"{path}: {words}"


def test_a_mappings_file_not_in_utf8_is_said_in_one_line(tmp_path):
    path = tmp_path / MAPPINGS_FILE
    path.write_bytes('[pos]\nkind = "members"\n[pos.columns]\nphone = "手机"\n'.encode("gbk"))
    with pytest.raises(MappingError) as caught:
        load_mappings(path)
    assert str(caught.value) == f"{path}: not UTF-8 text; save it as UTF-8"


def test_when_two_columns_say_one_field_the_better_name_wins():
    # 金额 is the price before the discount on many a POS; 实收 is what was paid
    assert guess("purchases", ("单号", "金额", "时间", "实收", "销售时间")) == {
        "receipt": "单号", "sold_at": "销售时间", "amount": "实收"}
    assert guess("purchases", ("金额", "金额"))["amount"] == "金额"
