"""tui.db.products: the product list, its filter of missing days, and the form's checks and
writes (a manager's, audited), on hand-written values."""

from __future__ import annotations

from datetime import datetime

import pytest

from tui.db.audit import PermissionDenied
from tui.db.models import AuditLog, Product
from tui.db.products import ProductErrors, add_product, edit_product, product_list, validate_product
from tui.money import parse_yuan

NOW = datetime(2026, 11, 23, 3, 30)

FORM = {"name": "飞鹤星飞帆1段", "brand": "飞鹤", "category": "formula", "stage": "1段",
        "unit": "can", "days_per_unit": "7", "price": "¥1,358.50", "barcode": "6901234567890"}


def test_a_product_is_stored_as_typed_in_fen_and_audited(shop):
    product_id = add_product(FORM, shop["boss"], NOW)
    p = Product.get_by_id(product_id)
    assert (p.name, p.brand, p.category, p.stage, p.unit, p.days_per_unit, p.durable,
            p.price_cents, p.barcode) == ("飞鹤星飞帆1段", "飞鹤", "formula", 1, "can", 7.0,
                                          False, 135850, "6901234567890")
    assert p.sku == "6901234567890"  # a barcode not used as a code is the code
    line = AuditLog.get(AuditLog.action == "product add")
    assert (line.staff_id, line.subject, line.detail) == \
        (shop["boss"], "6901234567890", "飞鹤星飞帆1段; 飞鹤; formula; ¥1,358.50")


def test_without_a_barcode_the_code_is_the_next_number(shop):
    product_id = add_product({**FORM, "barcode": "", "stage": "", "days_per_unit": ""},
                             shop["boss"], NOW)
    p = Product.get_by_id(product_id)
    assert p.sku == "P00004"  # the fixture shop holds three products
    assert (p.stage, p.barcode, p.days_per_unit, p.durable) == (None, None, None, True)


def test_every_field_wrong_is_said_at_once():
    with pytest.raises(ProductErrors) as caught:
        validate_product({"name": " ", "brand": "", "category": "x" * 31, "stage": "10",
                          "unit": "can", "days_per_unit": "0", "price": "12.345",
                          "barcode": "69 01-AB?"})
    assert caught.value.errors == {
        "name": "required", "brand": "required", "category": "31 characters; at most 30",
        "stage": "a stage from 1 to 9, such as 1 or 2段; empty if none",
        "days_per_unit": "days one unit lasts, such as 7 or 7.5, at most 3650; "
                         "empty for durable goods",
        "price": "yuan with at most two decimals, such as 358 or 358.50",
        "barcode": "digits and letters only, at most 32; empty if none"}


def test_full_width_digits_and_a_stage_in_chinese_are_read():
    values = validate_product({**FORM, "stage": "３段", "days_per_unit": "７.5", "price": "３５８"})
    assert (values.stage, values.days_per_unit, values.price_cents) == (3, 7.5, 35800)


@pytest.mark.parametrize("typed, fen", [("358", 35800), ("358.5", 35850), ("¥1,358.00", 135800),
                                        ("0", 0), ("0.01", 1)])
def test_parse_yuan_is_exact(typed, fen):
    assert parse_yuan(typed) == fen


@pytest.mark.parametrize("typed", ["", "abc", "-1", "1.001", "1000000.01", "nan", "inf"])
def test_parse_yuan_refuses(typed):
    with pytest.raises(ValueError):
        parse_yuan(typed)


def test_a_barcode_is_one_products(shop):
    add_product(FORM, shop["boss"], NOW)
    with pytest.raises(ProductErrors) as caught:
        add_product({**FORM, "name": "另一个"}, shop["boss"], NOW)
    assert caught.value.errors == {
        "barcode": "already on 飞鹤星飞帆1段 (6901234567890); a barcode is one product's"}
    assert Product.select().count() == 4


def test_an_edit_writes_only_what_changed_and_says_before_and_after(shop):
    diapers = Product.get(Product.sku == "BBS-L")
    typed = {"name": diapers.name, "brand": diapers.brand, "category": diapers.category,
             "stage": "", "unit": diapers.unit, "days_per_unit": f"{diapers.days_per_unit:g}",
             "price": "99", "barcode": "6900000000001"}
    before = diapers.price_cents
    assert edit_product(diapers.id, typed, shop["boss"], NOW) == ["price_cents", "barcode"]
    diapers = Product.get_by_id(diapers.id)
    assert (diapers.price_cents, diapers.barcode, diapers.sku) == (9900, "6900000000001", "BBS-L")
    line = AuditLog.get(AuditLog.action == "product edit")
    assert line.subject == "BBS-L"
    assert line.detail == f"price ¥{before // 100:,}.{before % 100:02d} → ¥99.00; barcode — → 6900000000001"
    assert edit_product(diapers.id, typed, shop["boss"], NOW) == []  # the same again: nothing
    assert AuditLog.select().where(AuditLog.action == "product edit").count() == 1


def test_a_guide_may_not_add_or_edit(shop):
    with pytest.raises(PermissionDenied, match="only a manager can add a product; 张丽 is a guide"):
        add_product(FORM, shop["zhang"], NOW)
    with pytest.raises(PermissionDenied, match="only a manager can edit a product"):
        edit_product(Product.get(Product.sku == "FH-3").id, FORM, shop["zhang"], NOW)
    assert Product.select().count() == 3


def test_the_consumables_missing_days_are_listed(shop):
    Product.update(days_per_unit=None).where(Product.sku == "BBS-L").execute()  # as an import leaves it
    add_product({**FORM, "barcode": "", "days_per_unit": ""}, shop["boss"], NOW)  # durable: not listed
    assert [p.sku for p in product_list(missing_days=True)] == ["BBS-L", "CAR-1"]
    assert [p.sku for p in product_list()] == ["BBS-L", "FH-3", "P00004", "CAR-1"]


def test_a_product_edit_reads_in_the_language_spoken():
    from tui.i18n import use_language
    from tui.reports.audit import action_words, detail_words

    detail = "price ¥129.00 → ¥99.00; durable no → yes; name 甲; 乙 → 丙"
    assert detail_words("product edit", detail) == \
        "Price ¥129.00 → ¥99.00; durable no → yes; Product name 甲; 乙 → 丙"
    use_language("zh-CN")
    assert detail_words("product edit", detail) == \
        "售价 ¥129.00 → ¥99.00; 耐用品 否 → 是; 商品名称 甲; 乙 → 丙"
    assert (action_words("product add"), action_words("product edit"),
            action_words("shop started"), detail_words("shop started", "first manager")) == \
        ("添加商品", "修改商品", "开设门店", "第一位店长")


def test_an_older_shops_products_without_days_are_its_durable_goods(tmp_path):
    from old_shop import make_version_1
    from tui.db.connection import close_database, open_database

    path = tmp_path / "old.db"
    make_version_1(path)
    open_database(path)
    try:
        assert [(p.sku, p.durable, p.barcode, p.stage, p.spec) for p in
                Product.select().order_by(Product.id)] == [
            ("FH-3", False, None, None, None), ("BBS-L", False, None, None, None),
            ("CAR-1", True, None, None, None)]
        assert product_list(missing_days=True) == []
    finally:
        close_database()
