"""Corrections and baskets: a sale line or a contact put right or voided, by whom and when,
and a sale of several lines; the totals, callbacks, gifts and boards that follow, by hand.

The fixture shop's 王芳 (张丽's member) bought 12 cans of 飞鹤 (7.5 days a can) on 30 Aug
for 4,200 yuan: they last to 28 Nov, the reminder is due today (23 Nov, 5 days before).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from fixture_shop import NOW, TODAY
from tui.db.audit import PermissionDenied
from tui.db.boards.boards import visits_board_rows
from tui.db.boards.periods import make_period
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.members.card import member_card
from tui.db.members.corrections import (CorrectionError, correct_contact, correct_sale_line,
                                        correctables, void_contact, void_sale_line)
from tui.db.members.purchases import SaleLine, record_purchase
from tui.db.models import AuditLog, Callback, Contact, Member, Product, Purchase, PurchaseLine


def _ids(name: str) -> int:
    return Product.get(Product.name == name).id


def _calls(member_id: int, reason: str) -> dict[str, tuple[str, date]]:
    return {c.source_key: (c.status, c.due_on) for c in Callback.select().where(
        Callback.member == member_id, Callback.reason == reason)}


def _sell(shop, settings, lines, staff="zhang", at=NOW) -> int:
    return record_purchase(shop["wangfang"], shop[staff], lines, settings.callbacks,
                           settings.shop.zone, at)


def _line(purchase_id: int, product: str) -> int:
    return PurchaseLine.get(PurchaseLine.purchase == purchase_id,
                            PurchaseLine.product == _ids(product)).id


def _fix(settings, line_id, line, staff_id, reason="typed 1400 for 140"):
    correct_sale_line(line_id, line, reason, staff_id, settings.callbacks, settings.shop.zone, NOW)


# -- a sale put right -------------------------------------------------------------------------

def test_the_author_corrects_an_amount_the_same_day(shop, settings):
    formula = _ids("飞鹤星飞帆3段")
    sale = _sell(shop, settings, [SaleLine(formula, 4, 1_400_000)])   # 14,000 typed for 1,400
    assert Member.get_by_id(shop["wangfang"]).total_spend_cents == 420_000 + 1_400_000
    _fix(settings, _line(sale, "飞鹤星飞帆3段"), SaleLine(formula, 4, 140_000), shop["zhang"])
    # spend: 420,000 + 140,000; the line on file as corrected, the sale keeps its time
    assert Member.get_by_id(shop["wangfang"]).total_spend_cents == 560_000
    line = PurchaseLine.get(PurchaseLine.purchase == sale)
    assert (line.quantity, line.amount_cents, line.purchase.purchased_at) == (4, 140_000, NOW)
    entry = AuditLog.get(AuditLog.action == "sale corrected")
    detail = json.loads(entry.detail)
    assert (entry.staff_id, entry.subject, detail["reason"]) == (shop["zhang"], "M000001",
                                                                 "typed 1400 for 140")
    assert (detail["before"]["amount_cents"], detail["after"]["amount_cents"]) == (1_400_000, 140_000)


def test_a_corrected_quantity_moves_the_running_out_reminder(shop, settings):
    formula = _ids("飞鹤星飞帆3段")
    sale = _sell(shop, settings, [SaleLine(formula, 4, 140_000)])
    # 28 Nov + 4 × 7.5 = 30 days: 28 Dec, reminder 23 Dec; corrected to 2 cans: 28 Nov + 15
    # days = 13 Dec, reminder 8 Dec
    _fix(settings, _line(sale, "飞鹤星飞帆3段"), SaleLine(formula, 2, 70_000), shop["zhang"])
    assert _calls(shop["wangfang"], "running_out")["飞鹤/formula:2026-11-23"] == (
        "open", date(2026, 12, 8))
    # 12 + 2 cans of 飞鹤: the doll (6) and the cot (12) earned
    gifts = member_card(shop["wangfang"], TODAY, settings).gifts
    assert [(g.rule, g.units, g.next_gift) for g in gifts] == [("飞鹤奶粉累计赠礼", 14, None)]


def test_a_corrected_product_changes_the_reminders_and_gifts(shop, settings):
    sale = _sell(shop, settings, [SaleLine(_ids("飞鹤星飞帆3段"), 3, 105_000)])
    # typed: 3 cans, 28 Nov + 22.5 days = 20 Dec, reminder 15 Dec. It was 3 packs of 帮宝适
    # diapers (10 days a pack): they run out 23 Nov + 30 = 23 Dec, reminder 18 Dec; the 飞鹤
    # reminder goes back to the 12 cans': due today
    _fix(settings, _line(sale, "飞鹤星飞帆3段"), SaleLine(_ids("帮宝适L码"), 3, 38_700),
         shop["zhang"], reason="wrong product scanned")
    assert _calls(shop["wangfang"], "running_out") == {
        "飞鹤/formula:2026-08-30": ("open", date(2026, 11, 23)),
        "飞鹤/formula:2026-11-23": ("cancelled", date(2026, 12, 15)),
        "帮宝适/diapers:2026-11-23": ("open", date(2026, 12, 18))}
    assert Member.get_by_id(shop["wangfang"]).total_spend_cents == 420_000 + 38_700
    gifts = {g.rule: (g.units, g.to_next) for g in member_card(shop["wangfang"], TODAY, settings).gifts}
    assert gifts == {"飞鹤奶粉累计赠礼": (12, 0), "帮宝适累计赠礼": (3, 7)}


def test_a_voided_sale_no_longer_counts(shop, settings):
    formula = _ids("飞鹤星飞帆3段")
    sale = _sell(shop, settings, [SaleLine(formula, 4, 140_000)])
    assert _calls(shop["wangfang"], "follow_up")[f"purchase:{sale}"] == ("open", date(2026, 11, 24))
    whole = void_sale_line(_line(sale, "飞鹤星飞帆3段"), "rang up the wrong member", shop["zhang"],
                           settings.callbacks, settings.shop.zone, NOW)
    assert whole is True
    assert not Purchase.select().where(Purchase.id == sale).exists()
    member = Member.get_by_id(shop["wangfang"])
    # back to the 30 Aug sale alone: 4,200 yuan, last bought 30 Aug 10:00 (02:00 UTC)
    assert (member.total_spend_cents, member.last_purchase_at) == (420_000, datetime(2026, 8, 30, 2, 0))
    assert _calls(shop["wangfang"], "follow_up")[f"purchase:{sale}"] == ("cancelled", date(2026, 11, 24))
    assert _calls(shop["wangfang"], "running_out") == {
        "飞鹤/formula:2026-08-30": ("open", date(2026, 11, 23)),
        "飞鹤/formula:2026-11-23": ("cancelled", date(2026, 12, 23))}
    assert [(g.units, g.to_next) for g in member_card(shop["wangfang"], TODAY, settings).gifts] == [(12, 0)]
    detail = json.loads(AuditLog.get(AuditLog.action == "sale voided").detail)
    assert (detail["reason"], detail["voided"]["amount_cents"], detail["lines_left"]) == (
        "rang up the wrong member", 140_000, 0)


def test_a_voided_sale_takes_back_the_follow_up_credit(shop, settings):
    # 张丽 reaches 王芳 at 11:30, she buys at 12:30: the contact is followed by a purchase
    log_contact(ContactEntry(shop["wangfang"], shop["zhang"], "phone", "reached"),
                settings.callbacks, settings.shop.zone, NOW)
    sale = _sell(shop, settings, [SaleLine(_ids("帮宝适L码"), 1, 12_900)],
                 at=NOW + timedelta(hours=1))
    contact = Contact.get(Contact.member == shop["wangfang"])
    assert contact.next_purchase_at == NOW + timedelta(hours=1)
    void_sale_line(_line(sale, "帮宝适L码"), "returned at once", shop["zhang"],
                   settings.callbacks, settings.shop.zone, NOW + timedelta(hours=2))
    assert Contact.get_by_id(contact.id).next_purchase_at is None


# -- who may correct -------------------------------------------------------------------------

def test_only_the_author_that_day_or_a_manager_may_correct(shop, settings):
    formula = _ids("飞鹤星飞帆3段")
    sale = _sell(shop, settings, [SaleLine(formula, 4, 140_000)])
    today_line = _line(sale, "飞鹤星飞帆3段")
    with pytest.raises(PermissionDenied, match="ask a manager"):   # 刘芳 did not record it
        _fix(settings, today_line, SaleLine(formula, 3, 105_000), shop["liu"])
    old_line = PurchaseLine.get(PurchaseLine.amount_cents == 420_000,
                                PurchaseLine.purchase.in_(Purchase.select(Purchase.id).where(
                                    Purchase.member == shop["wangfang"]))).id
    with pytest.raises(PermissionDenied, match="2026-08-30: only on its own day"):
        _fix(settings, old_line, SaleLine(formula, 12, 400_000), shop["zhang"])
    _fix(settings, old_line, SaleLine(formula, 12, 400_000), shop["boss"])   # the manager may
    assert Member.get_by_id(shop["wangfang"]).total_spend_cents == 400_000 + 140_000
    listed = {(c.kind, c.product_id, c.amount_cents): c.may_correct
              for c in correctables(shop["wangfang"], shop["zhang"], settings.shop.zone, NOW)}
    assert listed == {("sale", formula, 140_000): True, ("sale", formula, 400_000): False}


def test_a_correction_needs_a_reason_and_a_change(shop, settings):
    formula = _ids("飞鹤星飞帆3段")
    sale = _sell(shop, settings, [SaleLine(formula, 4, 140_000)])
    with pytest.raises(CorrectionError, match="give the reason"):
        _fix(settings, _line(sale, "飞鹤星飞帆3段"), SaleLine(formula, 3, 105_000), shop["zhang"],
             reason="  ")
    with pytest.raises(CorrectionError, match="nothing changed"):
        _fix(settings, _line(sale, "飞鹤星飞帆3段"), SaleLine(formula, 4, 140_000), shop["zhang"])
    assert not AuditLog.select().where(AuditLog.action == "sale corrected").exists()


# -- a basket ----------------------------------------------------------------------------------

def test_a_basket_is_one_receipt_one_follow_up_and_a_reminder_per_product(shop, settings):
    sale = _sell(shop, settings, [SaleLine(_ids("飞鹤星飞帆3段"), 2, 70_000),
                                  SaleLine(_ids("帮宝适L码"), 3, 38_700)])
    assert PurchaseLine.select().where(PurchaseLine.purchase == sale).count() == 2
    assert Member.get_by_id(shop["wangfang"]).total_spend_cents == 420_000 + 108_700
    follow_ups = Callback.select().where(Callback.member == shop["wangfang"],
                                         Callback.reason == "follow_up", Callback.status == "open")
    # 11:30 on 23 Nov + 24 hours: due 24 Nov, one for the receipt
    assert [(c.source_key, c.due_on, c.detail) for c in follow_ups] == [
        (f"purchase:{sale}", date(2026, 11, 24), "bought 飞鹤星飞帆3段 +1")]
    # 飞鹤: 28 Nov + 2 × 7.5 = 13 Dec, reminder 8 Dec; 帮宝适: 23 Nov + 30 = 23 Dec, reminder 18 Dec
    assert {k: v for k, v in _calls(shop["wangfang"], "running_out").items() if v[0] == "open"} == {
        "飞鹤/formula:2026-11-23": ("open", date(2026, 12, 8)),
        "帮宝适/diapers:2026-11-23": ("open", date(2026, 12, 18))}
    # one line voided: the receipt and its follow-up stay, the diapers' reminder goes
    whole = void_sale_line(_line(sale, "帮宝适L码"), "diapers not taken", shop["zhang"],
                           settings.callbacks, settings.shop.zone, NOW)
    assert whole is False
    assert Member.get_by_id(shop["wangfang"]).total_spend_cents == 420_000 + 70_000
    assert _calls(shop["wangfang"], "follow_up")[f"purchase:{sale}"][0] == "open"
    assert _calls(shop["wangfang"], "running_out")["帮宝适/diapers:2026-11-23"][0] == "cancelled"


# -- a contact put right -----------------------------------------------------------------------

def _contact(shop, settings, outcome, staff="zhang", next_on=None) -> int:
    return log_contact(ContactEntry(shop["wangfang"], shop[staff], "phone", outcome,
                                    next_contact_on=next_on),
                       settings.callbacks, settings.shop.zone, NOW).contact_id


def _visits(shop, settings) -> dict:
    period = make_period("day", TODAY, TODAY, settings.shop.zone)
    return {g: figures for g, _, figures in visits_board_rows(period)}[shop["zhang"]]


def test_a_corrected_outcome_changes_the_board_and_the_retry(shop, settings):
    contact = _contact(shop, settings, "no_answer")
    # no answer: a retry booked for tomorrow (1 day); 王芳 not counted as reached
    assert _calls(shop["wangfang"], "scheduled") == {f"contact:{contact}": ("open", date(2026, 11, 24))}
    assert _visits(shop, settings) == {"contacts": 1, "reached": 0, "care": 0}
    done = correct_contact(contact, "reached", "she did answer", shop["zhang"],
                           settings.callbacks, settings.shop.zone, NOW)
    assert (done.next_contact_on, done.consent_kept) == (None, False)
    assert Contact.get_by_id(contact).outcome == "reached"
    assert _calls(shop["wangfang"], "scheduled") == {f"contact:{contact}": ("cancelled", date(2026, 11, 24))}
    assert _visits(shop, settings) == {"contacts": 1, "reached": 1, "care": 0}
    # the running-out call it answered stays answered
    assert _calls(shop["wangfang"], "running_out")["飞鹤/formula:2026-08-30"][0] == "done"
    detail = json.loads(AuditLog.get(AuditLog.action == "contact corrected").detail)
    assert (detail["before"]["outcome"], detail["after"]["outcome"]) == ("no_answer", "reached")


def test_a_contact_corrected_to_a_complaint_books_the_feedback_call(shop, settings):
    contact = _contact(shop, settings, "reached")
    correct_contact(contact, "complaint", "she complained about the can", shop["zhang"],
                    settings.callbacks, settings.shop.zone, NOW)
    # the complaint's feedback call: 23 Nov + 2 days
    assert _calls(shop["wangfang"], "complaint") == {f"contact:{contact}": ("open", date(2026, 11, 25))}


def test_a_typed_next_date_survives_an_outcome_correction(shop, settings):
    contact = _contact(shop, settings, "no_answer", next_on=date(2026, 11, 30))
    correct_contact(contact, "reached", "she answered", shop["zhang"],
                    settings.callbacks, settings.shop.zone, NOW)
    assert Contact.get_by_id(contact).next_contact_on == date(2026, 11, 30)


def test_an_outcome_corrected_to_do_not_contact_stops_every_call(shop, settings):
    contact = _contact(shop, settings, "reached")
    correct_contact(contact, "do_not_contact", "she asked never to be called", shop["zhang"],
                    settings.callbacks, settings.shop.zone, NOW)
    assert Member.get_by_id(shop["wangfang"]).do_not_contact is True
    assert not Callback.select().where(Callback.member == shop["wangfang"],
                                       Callback.status == "open").exists()


def test_a_voided_contact_reopens_the_calls_it_answered(shop, settings):
    contact = _contact(shop, settings, "no_answer")
    assert _calls(shop["wangfang"], "running_out")["飞鹤/formula:2026-08-30"] == ("done", date(2026, 11, 23))
    reopened = void_contact(contact, "logged on the wrong member", shop["zhang"],
                            settings.callbacks, settings.shop.zone, NOW)
    assert reopened == 1
    assert not Contact.select().where(Contact.id == contact).exists()
    assert _calls(shop["wangfang"], "running_out")["飞鹤/formula:2026-08-30"] == ("open", date(2026, 11, 23))
    assert _calls(shop["wangfang"], "scheduled")[f"contact:{contact}"][0] == "cancelled"
    assert _visits(shop, settings) == {"contacts": 0, "reached": 0, "care": 0}
    assert json.loads(AuditLog.get(AuditLog.action == "contact voided").detail)["outcome"] == "no_answer"


def test_a_guide_may_not_correct_another_guides_contact(shop, settings):
    contact = _contact(shop, settings, "reached", staff="liu")
    with pytest.raises(PermissionDenied, match="ask a manager"):
        void_contact(contact, "not mine", shop["zhang"], settings.callbacks, settings.shop.zone, NOW)
    # the manager may, a week later
    correct_contact(contact, "no_answer", "checked the call log", shop["boss"],
                    settings.callbacks, settings.shop.zone, NOW + timedelta(days=7))
    assert Contact.get_by_id(contact).outcome == "no_answer"


def test_an_erasure_scrubs_the_words_of_the_member_s_corrections(shop, settings):
    from tui.db.members.archive import ERASED_WORDS, erase_member

    contact = log_contact(ContactEntry(shop["wangfang"], shop["zhang"], "phone", "reached",
                                       note="宝宝湿疹，想换奶粉"),
                          settings.callbacks, settings.shop.zone, NOW).contact_id
    void_contact(contact, "王芳说不是她", shop["zhang"], settings.callbacks, settings.shop.zone, NOW)
    erase_member(shop["wangfang"], shop["boss"], NOW)
    detail = json.loads(AuditLog.get(AuditLog.action == "contact voided").detail)
    # who voided which contact, when and with what outcome stays; the words go
    assert (detail["contact"], detail["outcome"], detail["note"], detail["reason"]) == (
        contact, "reached", ERASED_WORDS, ERASED_WORDS)
