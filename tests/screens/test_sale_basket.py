"""A sale of several lines from the card, by keys at 80×24: one receipt, one follow-up call,
a running-out reminder per product, and the member's spend; checked in the database."""

from __future__ import annotations

from datetime import date

from pilot import settle
from fixture_shop import NOW
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.screens.member import MemberScreen
from tui.screens.sale_form import SaleForm


async def _card(app, pilot, query: str) -> None:
    await settle(app, pilot)
    await pilot.press("slash", *query, "enter")
    await settle(app, pilot)
    assert isinstance(app.screen, MemberScreen)


async def test_a_basket_of_formula_and_diapers_is_one_receipt(shop, settings):
    from tui.db.models import Callback, Member, Purchase, PurchaseLine

    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await _card(app, pilot, "wf")                          # 王芳's card
        await pilot.press("b", *"飞鹤")
        await settle(app, pilot)
        await pilot.press("enter", "backspace", "2", "enter")  # pick, 2 cans: ¥700.00 suggested
        await pilot.press("ctrl+n", *"帮宝适")                  # into the basket; the next product
        await settle(app, pilot)
        assert isinstance(app.screen, SaleForm)
        basket = str(app.screen.query_one("#sale-basket").render())
        assert "1. 飞鹤星飞帆3段 ×2  ¥700.00" in basket
        await pilot.press("enter", "backspace", "3", "enter")  # 3 packs: ¥387.00 suggested
        await pilot.press("enter")                             # saves the receipt
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    sale = Purchase.select().order_by(Purchase.id.desc()).first()
    assert (sale.member_id, sale.staff_id, sale.purchased_at) == (shop["wangfang"], shop["zhang"], NOW)
    assert [(ln.product.name, ln.quantity, ln.amount_cents)
            for ln in PurchaseLine.select().where(PurchaseLine.purchase == sale).order_by(PurchaseLine.id)] == [
        ("飞鹤星飞帆3段", 2, 70_000), ("帮宝适L码", 3, 38_700)]
    assert Member.get_by_id(shop["wangfang"]).total_spend_cents == 420_000 + 70_000 + 38_700
    open_calls = {(c.reason, c.source_key): c.due_on for c in Callback.select().where(
        Callback.member == shop["wangfang"], Callback.status == "open")}
    # one follow-up for the receipt (11:30 + 24 h: 24 Nov); 飞鹤: the 12 cans of 30 Aug last to
    # 28 Nov, 2 more (15 days) to 13 Dec, reminder 8 Dec; 帮宝适: 3 × 10 days from 23 Nov to
    # 23 Dec, reminder 18 Dec
    assert open_calls == {("follow_up", f"purchase:{sale.id}"): date(2026, 11, 24),
                          ("running_out", "飞鹤/formula:2026-11-23"): date(2026, 12, 8),
                          ("running_out", "帮宝适/diapers:2026-11-23"): date(2026, 12, 18)}


async def test_the_last_line_can_come_out_of_the_basket(shop, settings):
    from tui.db.models import Purchase, PurchaseLine

    before = Purchase.select().count()
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await _card(app, pilot, "wf")
        await pilot.press("b", *"推车")
        await settle(app, pilot)
        await pilot.press("enter", "ctrl+n", "ctrl+r")         # the stroller in, and out again
        await pilot.press(*"帮宝适")
        await settle(app, pilot)
        await pilot.press("enter", "ctrl+s")                   # one pack of diapers, ¥129.00
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert Purchase.select().count() == before + 1
    sale = Purchase.select().order_by(Purchase.id.desc()).first()
    assert [(ln.product.name, ln.quantity, ln.amount_cents)
            for ln in PurchaseLine.select().where(PurchaseLine.purchase == sale)] == [
        ("帮宝适L码", 1, 12_900)]


def test_basket_snapshot(shop, settings, snap_compare):
    """The sale form at 80×24 with one line in the basket and the next product picked."""
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))

    async def basket(pilot):
        await _card(app, pilot, "wf")
        await pilot.press("b", *"飞鹤")
        await settle(app, pilot)
        await pilot.press("enter", "backspace", "2", "enter", "ctrl+n", *"帮宝适")
        await settle(app, pilot)
        await pilot.press("enter", "backspace", "3")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=basket)
