"""A member's card: completeness, ask-next, VIP tier and ages, every figure by hand."""

from __future__ import annotations

from datetime import date

import pytest

from fixture_shop import NOW, TODAY
from tui.db.members.card import MemberNotFound, age_words, find_member, member_card, vip_tier
from tui.db.members.completeness import archive_completeness
from tui.db.models import Member


def test_completeness_of_a_thin_archive(shop, settings):
    card = member_card(shop["wangfang"], TODAY, settings)
    c = card.completeness
    # hard: name, phone, total spend, products bought = 4 of 9; soft: nothing = 0 of 9
    # 0.2 × 4/9 + 0.8 × 0/9 = 0.0889 → 9 %
    assert (c.hard_filled, c.hard_total, c.soft_filled, c.soft_total) == (4, 9, 0, 9)
    assert c.score == pytest.approx(0.2 * 4 / 9)
    assert c.percent == 9
    assert c.ask_next == "occupation"  # a soft field is worth 0.8/9, a hard one 0.2/9


def test_a_child_fills_family_and_ages_are_in_months(shop, settings):
    card = member_card(shop["huangxiaomei"], TODAY, settings)
    # hard 4/9 (name, phone, spend, products) and soft 1/9 (family: a child on file):
    # 0.2 × 4/9 + 0.8 × 1/9 = 0.0889 + 0.0889 = 0.1778 → 18 %
    assert card.completeness.percent == 18
    assert card.completeness.ask_next == "occupation"
    # 乐乐, born 24 Nov 2025, on 23 Nov 2026: 11 months (the 24th is tomorrow)
    assert [(ch.name, ch.age) for ch in card.children] == [("乐乐", "11 months")]


def test_a_refusal_counts_as_an_answer(shop, settings):
    card = member_card(shop["wujing"], TODAY, settings)
    # accepts_promotions = False is filled: soft 1/9; hard 4/9 → 18 %
    assert card.completeness.soft_filled == 1 and card.completeness.percent == 18


def test_a_complete_archive_has_nothing_to_ask(shop, settings):
    Member.update(gender="女", birthday=date(1990, 5, 1), nationality="中国", email="a@b.cn",
                  address="幸福路 1 号", occupation="教师", family="一个女儿", personality="细心",
                  shopping_habits="周末来", style="简约", hobbies="瑜伽", lifestyle="早睡",
                  accepts_promotions=True, values="健康第一").where(
        Member.id == shop["wangfang"]).execute()
    c = member_card(shop["wangfang"], TODAY, settings).completeness
    assert (c.hard_filled, c.soft_filled, c.percent, c.ask_next, c.missing) == (9, 9, 100, None, ())


def test_only_derived_fields_missing_asks_nothing(settings):
    fields = {f: "x" for f in settings.archive.hard_fields + settings.archive.soft_fields}
    fields["total_spend"] = None  # a member who never bought: nothing to ask for that
    c = archive_completeness(fields, settings.archive)
    assert c.missing == ("total_spend",) and c.ask_next is None
    assert c.score == pytest.approx(0.2 * 8 / 9 + 0.8)


@pytest.mark.parametrize("cents, tier, next_tier, needed", [
    (420_000, "银卡", "金卡", 380_000),     # 4,200 yuan: silver from 2,000; gold at 8,000
    (12_900, "普通会员", "银卡", 187_100),  # 129 yuan: 2,000 − 129 = 1,871 to silver
    (200_000, "银卡", "金卡", 600_000),     # exactly on the threshold
    (900_000, "金卡", None, 0),
])
def test_vip_tiers(settings, cents, tier, next_tier, needed):
    current, nxt, more = vip_tier(cents, settings.vip_tiers)
    assert (current.name, nxt.name if nxt else None, more) == (tier, next_tier, needed)


@pytest.mark.parametrize("born, on, words", [
    (date(2026, 10, 23), date(2026, 11, 23), "1 month"),
    (date(2024, 11, 23), date(2026, 11, 23), "2 years"),
    (date(2024, 11, 24), date(2026, 11, 23), "23 months"),
    # a leap-day child turns 3 on 28 Feb 2027, as the birthday call says
    (date(2024, 2, 29), date(2027, 2, 28), "3 years"),
    (date(2026, 1, 31), date(2026, 2, 28), "1 month"),  # no 31 Feb: reached on the 28th
    (date(2026, 1, 31), date(2026, 2, 27), "0 months"),
])
def test_age_words(born, on, words):
    assert age_words(born, on) == words


def test_card_lists_history_newest_first(shop, settings):
    card = member_card(shop["huangxiaomei"], TODAY, settings)
    assert [(p.product, p.quantity, p.amount_cents) for p in card.purchases] == [("帮宝适L码", 2, 25_800)]
    assert card.purchases[0].purchased_at.isoformat() == "2026-11-15T10:00:00"  # shop time
    assert [(t.staff, t.outcome, t.note) for t in card.contacts] == [("刘芳", "reached", "纸尿裤合适")]
    assert [(cb.reason, cb.due_on) for cb in card.callbacks] == [
        ("birthday", date(2026, 11, 21)), ("running_out", date(2026, 11, 30))]


def test_find_member_by_id_or_number(shop):
    assert find_member("M000001").id == find_member(str(shop["wangfang"])).id
    with pytest.raises(MemberNotFound):
        find_member("王芳")


def test_notes_are_dated_signed_and_newest_first(shop, settings):
    from datetime import datetime

    from tui.db.members.card import NoteError, add_note

    add_note(shop["wangfang"], shop["zhang"], "  喜欢晚上8点后微信联系 ", datetime(2026, 11, 20, 12, 0))
    add_note(shop["wangfang"], shop["liu"], "双胞胎，三月预产", datetime(2026, 11, 22, 2, 0))
    card = member_card(shop["wangfang"], TODAY, settings)
    assert [(n.written_at.isoformat(), n.staff, n.text) for n in card.notes] == [
        ("2026-11-22T10:00:00", "刘芳", "双胞胎，三月预产"),          # 02:00 UTC = 10:00 in the shop
        ("2026-11-20T20:00:00", "张丽", "喜欢晚上8点后微信联系")]      # trimmed
    for bad, words in [("   ", "empty"), ("x" * 501, "501 characters")]:
        with pytest.raises(NoteError, match=words):
            add_note(shop["wangfang"], shop["zhang"], bad, datetime(2026, 11, 23, 3, 0))
    assert len(member_card(shop["wangfang"], TODAY, settings).notes) == 2


def test_gift_progress_counts_units_across_purchases(shop, settings):
    from datetime import datetime

    from tui.db.members.card import gift_progress
    from tui.db.members.purchases import SaleLine, record_purchase
    from tui.settings import GiftRule

    rules, zone = settings.callbacks, settings.shop.zone
    # 赵敏: 1 can of 飞鹤 on 27 May; steps 6 → 安抚玩偶, 12 → 婴儿床: 5 more to the doll
    (g,) = member_card(shop["zhaomin"], TODAY, settings).gifts
    assert (g.units, g.earned, g.next_gift, g.to_next, g.words) == (
        1, (), "安抚玩偶", 5, "5 more cans to 安抚玩偶")
    # two more purchases, 2 + 6 cans: 1 + 2 + 6 = 9 cans: the doll earned, 3 more to the cot
    record_purchase(shop["zhaomin"], shop["liu"], [SaleLine(1, 2, 70_000)], rules, zone,
                    datetime(2026, 11, 20, 2, 0))
    record_purchase(shop["zhaomin"], shop["liu"], [SaleLine(1, 6, 210_000)], rules, zone,
                    datetime(2026, 11, 23, 2, 0))
    (g,) = member_card(shop["zhaomin"], TODAY, settings).gifts
    assert (g.units, g.earned, g.words) == (9, ("安抚玩偶",), "3 more cans to 婴儿床")
    # 王芳's 12 cans reach the last step
    (g,) = member_card(shop["wangfang"], TODAY, settings).gifts
    assert (g.next_gift, g.words) == (None, "12 cans bought: every gift earned")
    # a rule on one product (by SKU); a member who never bought it is not on the rule
    by_sku = (GiftRule("帮宝适L码", None, "BBS-L", "pack", ((1, "小毛巾"), (3, "纸巾"))),)
    assert [(p.units, p.words) for p in gift_progress(shop["huangxiaomei"], by_sku)] == [
        (2, "1 more pack to 纸巾")]
    assert gift_progress(shop["lina"], by_sku) == ()


def test_consent_is_recorded_with_its_date_and_moves_the_calls(shop, settings):
    from datetime import date as _date

    from tui.db.members.card import set_consent
    from tui.db.models import Callback

    def open_reasons(member):
        return sorted(c.reason for c in Callback.select().where(
            Callback.member == shop[member], Callback.status == "open"))

    # 黄小梅: birthday call (21 Nov) and running-out reminder (30 Nov) open
    assert open_reasons("huangxiaomei") == ["birthday", "running_out"]
    set_consent(shop["huangxiaomei"], NOW, settings, promotions=False)
    card = member_card(shop["huangxiaomei"], TODAY, settings)
    assert (card.accepts_promotions, card.promotions_set_at.isoformat()) == (False, "2026-11-23T11:30:00")
    assert open_reasons("huangxiaomei") == ["birthday"]          # the sales call is gone
    set_consent(shop["huangxiaomei"], NOW, settings, promotions=True)
    assert open_reasons("huangxiaomei") == ["birthday", "running_out"]   # and back
    set_consent(shop["huangxiaomei"], NOW, settings, do_not_contact=True)
    assert open_reasons("huangxiaomei") == []
    card = member_card(shop["huangxiaomei"], TODAY, settings)
    assert card.do_not_contact and card.do_not_contact_set_at.date() == _date(2026, 11, 23)
    set_consent(shop["huangxiaomei"], NOW, settings, do_not_contact=False)
    assert open_reasons("huangxiaomei") == ["birthday", "running_out"]
