"""The products screen (a manager's), by keys at 80x24: add, edit, the field errors, the
consumables missing days per unit (u), a guide refused; the database checked after the
keys; one snapshot in Chinese."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from fixture_shop import NOW
from pilot import ready, settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import AuditLog, Product
from tui.screens.products import ProductForm, ProductsScreen
from tui.screens.queue import QueueScreen


def rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


def error(app, field: str) -> str:
    line = app.screen.query_one(f"#pe-{field}", Static)
    return str(line.render()) if line.display else ""


async def test_a_manager_adds_a_product_by_keys(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, ProductsScreen)
        assert rows(app) == [
            ["帮宝适L码", "帮宝适", "diapers", "", "pack", "10", "¥129.00", ""],
            ["飞鹤星飞帆3段", "飞鹤", "formula", "", "can", "7.5", "¥350.00", ""],
            ["婴儿推车", "好孩子", "gear", "", "piece", "?", "¥1,299.00", ""]]
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, ProductForm)
        await pilot.press(*"飞鹤星飞帆1段", "tab", *"飞鹤", "tab", *"formula", "tab", "1", "tab",
                          *"can", "tab", "7", "tab", *"1,358.5", "tab", *"6901234567890",
                          "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProductsScreen)
        assert ["飞鹤星飞帆1段", "飞鹤", "formula", "1段", "can", "7", "¥1,358.50",
                "6901234567890"] in rows(app)
    p = Product.get(Product.barcode == "6901234567890")
    assert (p.name, p.brand, p.category, p.stage, p.unit, p.days_per_unit, p.price_cents,
            p.durable) == ("飞鹤星飞帆1段", "飞鹤", "formula", 1, "can", 7.0, 135850, False)
    line = AuditLog.get(AuditLog.action == "product add")
    assert (line.staff_id, line.subject) == (shop["boss"], "6901234567890")


async def test_every_field_error_is_said_beside_its_field_and_nothing_is_written(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p", "a")
        await settle(app, pilot)
        await pilot.press(*"湿巾", "tab", "tab", "tab", *"9段", "tab", *"pack", "tab", "0",
                          "tab", *"12.345", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProductForm)
        assert (error(app, "name"), error(app, "brand"), error(app, "category")) == \
            ("", "required", "required")
        assert error(app, "stage") == ""  # 9段 is a stage
        assert error(app, "days_per_unit") == ("days one unit lasts, such as 7 or 7.5, at most "
                                               "3650; empty for durable goods")
        assert error(app, "price") == "yuan with at most two decimals, such as 358 or 358.50"
        assert str(app.screen.query_one("#product-status").render()) == \
            "4 to correct: Brand required"
        assert app.screen.focused.id == "p-brand"  # the first field to correct
        await pilot.press(*"全棉时代")
        await settle(app, pilot)
        assert error(app, "brand") == ""  # typing in it clears its error
        await pilot.press("escape")  # something typed: asked first
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, ProductsScreen)
    assert Product.select().count() == 3
    assert not AuditLog.select().where(AuditLog.action == "product add").exists()


async def test_the_missing_days_are_found_with_u_and_filled_in(shop, settings):
    Product.update(days_per_unit=None).where(Product.sku == "BBS-L").execute()  # as an import leaves it
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p", "u")
        await settle(app, pilot)
        assert [r[0] for r in rows(app)] == ["帮宝适L码", "婴儿推车"]
        assert str(app.screen.query_one("#products-status").render()) == \
            "2 products missing days per unit · Enter fill in · u all"
        await pilot.press("enter")  # 帮宝适L码: its days
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ProductForm) and form.typed()["price"] == "129.00"
        assert form.typed()["days_per_unit"] == ""
        await pilot.press(*["tab"] * 5, *"10", "ctrl+s")
        await settle(app, pilot)
        assert [r[0] for r in rows(app)] == ["婴儿推车"]
        await pilot.press("enter", "ctrl+s")  # the stroller: saved with no days, a durable good
        await settle(app, pilot)
        assert rows(app) == []
        assert str(app.screen.query_one("#products-status").render()) == \
            "Every consumable has its days per unit · u all"
        await pilot.press("u")
        await settle(app, pilot)
        assert len(rows(app)) == 3
        assert rows(app)[2][5] == "—"
    assert Product.get(Product.sku == "BBS-L").days_per_unit == 10
    assert Product.get(Product.sku == "CAR-1").durable is True
    assert [a.detail for a in AuditLog.select().where(AuditLog.action == "product edit")
            .order_by(AuditLog.id)] == ["days_per_unit — → 10", "durable no → yes"]


async def test_a_guide_is_refused_the_products(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert "Products" not in [c.title for c in app.get_system_commands(app.screen)]
    refused = AuditLog.get(AuditLog.action == "refused")
    assert refused.staff_id == shop["zhang"]
    assert refused.detail.startswith("The products are a manager's; sign in as a manager (g)")


async def test_the_palette_opens_the_products(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"Products")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProductsScreen)


def test_products_zh_snapshot(shop, settings, snap_compare):
    app = ShopfloorApp(settings.with_language("zh-CN"), user_id=shop["boss"],
                       clock=Clock.frozen(NOW))

    async def open_products(pilot) -> None:
        await ready(pilot)
        await pilot.press("p")
        await ready(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_products)
