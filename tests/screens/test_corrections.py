"""Corrections from the card by keys at 80×24 (v): a sale's amount put right, a contact's
outcome corrected, a contact voided, and a guide refused another's entry; each checked in
the database (the line, the spend, the callbacks, the audit log)."""

from __future__ import annotations

import json
from datetime import date

from pilot import settle
from fixture_shop import NOW
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.members.purchases import SaleLine, record_purchase
from tui.db.models import AuditLog, Callback, Contact, Member, Product, PurchaseLine
from tui.screens.corrections import CorrectionsScreen
from tui.screens.member import MemberScreen


async def _card(app, pilot, query: str) -> None:
    await settle(app, pilot)
    await pilot.press("slash", *query, "enter")
    await settle(app, pilot)
    assert isinstance(app.screen, MemberScreen)


def _call(member_id: int, reason: str, key: str) -> tuple[str, date]:
    c = Callback.get(Callback.member == member_id, Callback.reason == reason,
                     Callback.source_key == key)
    return c.status, c.due_on


async def test_a_mistyped_amount_is_corrected_from_the_card(shop, settings):
    formula = Product.get(Product.name == "飞鹤星飞帆3段").id
    # 张丽 typed 14,000 yuan for 4 cans that cost 1,400
    sale = record_purchase(shop["wangfang"], shop["zhang"], [SaleLine(formula, 4, 1_400_000)],
                           settings.callbacks, settings.shop.zone, NOW)
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await _card(app, pilot, "wf")
        await pilot.press("v")                                   # the newest first: today's sale
        await settle(app, pilot)
        assert isinstance(app.screen, CorrectionsScreen)
        await pilot.press("enter", "ctrl+u", *"1400", "enter")   # the amount, on to the reason
        await pilot.press(*"多打了一个零", "enter")               # the reason; Enter saves
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.card.purchases[0].amount_cents == 140_000
    line = PurchaseLine.get(PurchaseLine.purchase == sale)
    assert (line.quantity, line.amount_cents) == (4, 140_000)
    assert Member.get_by_id(shop["wangfang"]).total_spend_cents == 420_000 + 140_000
    entry = AuditLog.get(AuditLog.action == "sale corrected")
    detail = json.loads(entry.detail)
    assert (entry.staff_id, detail["reason"], detail["before"]["amount_cents"],
            detail["after"]["amount_cents"]) == (shop["zhang"], "多打了一个零", 1_400_000, 140_000)


async def test_a_wrong_outcome_is_corrected_and_its_retry_goes(shop, settings):
    contact = log_contact(ContactEntry(shop["wangfang"], shop["zhang"], "phone", "no_answer"),
                          settings.callbacks, settings.shop.zone, NOW).contact_id
    assert _call(shop["wangfang"], "scheduled", f"contact:{contact}") == ("open", date(2026, 11, 24))
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await _card(app, pilot, "wf")
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("enter", "1")                          # reached: on to the reason
        await pilot.press(*"她接了电话", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert Contact.get_by_id(contact).outcome == "reached"
    # no answer booked a retry for tomorrow; reached books none
    assert _call(shop["wangfang"], "scheduled", f"contact:{contact}") == ("cancelled", date(2026, 11, 24))
    assert json.loads(AuditLog.get(AuditLog.action == "contact corrected").detail)["reason"] == "她接了电话"


async def test_a_contact_on_the_wrong_member_is_voided(shop, settings):
    contact = log_contact(ContactEntry(shop["wangfang"], shop["zhang"], "phone", "reached"),
                          settings.callbacks, settings.shop.zone, NOW).contact_id
    # the contact answered today's running-out call (12 cans of 30 Aug, out 28 Nov)
    assert _call(shop["wangfang"], "running_out", "飞鹤/formula:2026-08-30") == ("done", date(2026, 11, 23))
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await _card(app, pilot, "wf")
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("v", *"记错了会员", "enter")          # void, the reason, Enter
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert not Contact.select().where(Contact.id == contact).exists()
    assert _call(shop["wangfang"], "running_out", "飞鹤/formula:2026-08-30") == ("open", date(2026, 11, 23))
    assert json.loads(AuditLog.get(AuditLog.action == "contact voided").detail)["reason"] == "记错了会员"


async def test_a_guide_is_refused_another_guides_sale(shop, settings):
    formula = Product.get(Product.name == "飞鹤星飞帆3段").id
    sale = record_purchase(shop["wangfang"], shop["zhang"], [SaleLine(formula, 4, 140_000)],
                           settings.callbacks, settings.shop.zone, NOW)
    app = ShopfloorApp(settings, user_id=shop["liu"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await _card(app, pilot, "wf")
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("v")                                   # 张丽's sale: not 刘芳's to void
        await settle(app, pilot)
        assert isinstance(app.screen, CorrectionsScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert PurchaseLine.get(PurchaseLine.purchase == sale).amount_cents == 140_000
    refused = AuditLog.get(AuditLog.action == "refused")
    assert (refused.staff_id, refused.detail.split(";")[0]) == (
        shop["liu"], "Only who recorded this sale, the same day, or a manager can correct it")


def test_corrections_list_snapshot(shop, settings, snap_compare):
    """The list at 80×24 for 张丽: her sale of today hers to correct, the older one dimmed."""
    formula = Product.get(Product.name == "飞鹤星飞帆3段").id
    record_purchase(shop["wangfang"], shop["zhang"], [SaleLine(formula, 4, 140_000)],
                    settings.callbacks, settings.shop.zone, NOW)
    log_contact(ContactEntry(shop["wangfang"], shop["zhang"], "phone", "no_answer"),
                settings.callbacks, settings.shop.zone, NOW)
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))

    async def corrections(pilot):
        await _card(app, pilot, "wf")
        await pilot.press("v")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=corrections)
