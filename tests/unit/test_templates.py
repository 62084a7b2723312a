"""Message templates filled in from a hand-built card."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from tui.db.members.card import ChildLine, MemberCard, PurchaseLineView, age_words
from tui.db.members.completeness import Completeness
from tui.reports.templates import chinese_age, fill_template
from tui.settings import MessageTemplate, VipTier, template_placeholders


def template(text: str, name: str = "t") -> MessageTemplate:
    return MessageTemplate(name, text, template_placeholders(text))


def card(**changes) -> MemberCard:
    """陈静: two children (a girl of 2 born 2024-03-10, 小宝 of 8 months born 2026-03-05),
    last bought 飞鹤星飞帆3段 on 20 Nov, an older purchase before it."""
    base = MemberCard(
        member_id=1, member_no="M000001", name="陈静", fields={}, owner="张丽",
        accepts_promotions=None, do_not_contact=False, total_spend_cents=0,
        tier=VipTier("普通会员", 0, "积分 1 倍"), next_tier=None, to_next_tier_cents=0,
        completeness=Completeness(0, 9, 0, 9, 0.0, (), None),
        children=(ChildLine("朵朵", date(2024, 3, 10), None, "2 years"),
                  ChildLine("小宝", date(2026, 3, 5), None, "8 months")),
        purchases=(PurchaseLineView(datetime(2026, 11, 20, 10, 0), "飞鹤星飞帆3段", 2, 70_000),
                   PurchaseLineView(datetime(2026, 10, 1, 10, 0), "帮宝适L码", 1, 12_900)),
        contacts=(), callbacks=(),
    )
    return replace(base, **changes)


WEATHER = template("{name}您好，这几天降温了，{child}现在 {child_age}，出门记得多添件衣服。")
CHECK_IN = template("{name}您好！前几天带回去的{product}用着怎么样，宝宝还习惯吗？")


def test_filled_with_the_youngest_child_and_the_last_product():
    filled = fill_template(WEATHER, card())
    # 小宝 (born 2026-03-05) is younger than 朵朵 (2024-03-10); "8 months" reads "8 个月"
    assert filled.text == "陈静您好，这几天降温了，小宝现在 8 个月，出门记得多添件衣服。"
    assert filled.missing == () and filled.usable
    filled = fill_template(CHECK_IN, card())
    assert filled.text == "陈静您好！前几天带回去的飞鹤星飞帆3段用着怎么样，宝宝还习惯吗？"


def test_a_child_without_a_name_is_baobao_and_braces_can_be_written():
    kids = (ChildLine(None, date(2024, 1, 2), None, "2 years"),)
    filled = fill_template(template("{{{child}}} {child_age}"), card(children=kids))
    assert filled.text == "{宝宝} 2 岁"


def test_no_child_on_file_is_missing_and_the_gap_stays_visible():
    filled = fill_template(WEATHER, card(children=()))
    assert filled.missing == ("a child on file",) and not filled.usable
    assert filled.text == "陈静您好，这几天降温了，{child}现在 {child_age}，出门记得多添件衣服。"
    # a message that needs no child is fine without one
    assert fill_template(CHECK_IN, card(children=())).usable


def test_a_baby_only_on_the_way_has_no_name_or_age_to_write_yet():
    due = (ChildLine(None, None, date(2027, 3, 1), "due 2027-03-01"),)
    assert fill_template(WEATHER, card(children=due)).missing == ("a child's birth date",)


def test_no_purchase_is_missing():
    filled = fill_template(CHECK_IN, card(purchases=()))
    assert filled.missing == ("a purchase",)
    assert filled.text == "陈静您好！前几天带回去的{product}用着怎么样，宝宝还习惯吗？"
    both = fill_template(template("{product} {child}"), card(purchases=(), children=()))
    assert both.missing == ("a purchase", "a child on file")


def test_a_value_is_never_read_as_a_format_string():
    filled = fill_template(template("{name}：{product}"), card(name="王{child}"))
    assert filled.text == "王{child}：飞鹤星飞帆3段" and filled.usable


@pytest.mark.parametrize("born, on, words", [
    (date(2025, 11, 24), date(2026, 11, 23), "11 个月"),  # the 24th is tomorrow
    (date(2026, 10, 23), date(2026, 11, 23), "1 个月"),
    (date(2026, 11, 1), date(2026, 11, 23), "不到 1 个月"),
    (date(2024, 11, 23), date(2026, 11, 23), "2 岁"),
    (date(2020, 1, 1), date(2026, 11, 23), "6 岁"),
])
def test_the_cards_age_words_in_chinese(born, on, words):
    # through age_words itself, so a change in the card's wording fails here
    assert chinese_age(age_words(born, on)) == words
