"""Who sees which member's details: a guide their own members in full, another guide's
with a masked phone and no e-mail, address or birthday; a manager everything. On the
fixture shop: 王芳 (M000001, 13800001234) is 张丽's, 陈晓燕 (M000003, 13700003456, born
1992-11-25) is 刘芳's; [staff] guides_see_whole_shop is false in settings.toml."""

from __future__ import annotations

from dataclasses import replace

from fixture_shop import TODAY
from tui.db.callbacks.queue import callback_queue
from tui.db.members.card import member_card
from tui.db.members.lookup import lookup_members
from tui.db.models import Callback, Member
from tui.db.privacy import mask_phone, viewer
from tui.reports.lookup import hits_text
from tui.reports.member import card_text


def open_shop(settings):
    return replace(settings, staff=replace(settings.staff, guides_see_whole_shop=True))


def test_a_phone_is_masked_to_its_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("5678") == "****"  # too short to show any of it
    assert mask_phone("861381234") == "****1234"  # not a mobile: the tail only
    assert mask_phone(None) is None


def test_another_guides_member_shows_a_masked_phone_and_no_address(shop, settings):
    Member.update(address="上海市徐汇区漕溪路1号", email="cxy@qq.com").where(
        Member.id == shop["chenxiaoyan"]).execute()
    zhang = viewer(shop["zhang"], settings.staff)
    card = member_card(shop["chenxiaoyan"], TODAY, settings, viewer=zhang)
    assert card.fields["phone"] == "137****3456"
    assert (card.fields["email"], card.fields["address"], card.fields["birthday"]) == (None, None, None)
    assert card.hidden == ("phone", "birthday", "email", "address")
    # the figures are the archive's, not the view's: the same as the manager's card
    full = member_card(shop["chenxiaoyan"], TODAY, settings, viewer=viewer(shop["boss"], settings.staff))
    assert full.fields["phone"] == "13700003456" and full.fields["address"] == "上海市徐汇区漕溪路1号"
    assert full.hidden == ()
    assert card.completeness == full.completeness
    text = card_text(card, settings.archive.hard_fields, settings.archive.soft_fields)
    assert "137 **** 3456" in text and "13700003456" not in text
    assert "漕溪路" not in text and "cxy@qq.com" not in text and "1992" not in text
    assert "  address         hidden: 刘芳's member" in text.splitlines()
    # her own guide sees her whole
    own = member_card(shop["chenxiaoyan"], TODAY, settings, viewer=viewer(shop["liu"], settings.staff))
    assert own.fields["phone"] == "13700003456" and own.fields["birthday"].isoformat() == "1992-11-25"


def test_a_guide_sees_their_own_members_and_all_when_the_shop_allows(shop, settings):
    zhang = viewer(shop["zhang"], settings.staff)
    assert member_card(shop["wangfang"], TODAY, settings, viewer=zhang).fields["phone"] == "13800001234"
    allowed = viewer(shop["zhang"], open_shop(settings).staff)
    assert member_card(shop["chenxiaoyan"], TODAY, settings,
                       viewer=allowed).fields["phone"] == "13700003456"


def test_a_member_nobody_owns_is_masked_to_a_guide(shop, settings):
    Member.update(owner=None).where(Member.id == shop["chenxiaoyan"]).execute()
    card = member_card(shop["chenxiaoyan"], TODAY, settings, viewer=viewer(shop["zhang"], settings.staff))
    assert card.fields["phone"] == "137****3456"
    text = card_text(card, settings.archive.hard_fields, ())
    assert "  address         hidden: nobody's member yet" in text.splitlines()


def test_the_lookup_finds_any_member_but_masks_anothers_phone(shop, settings):
    zhang = viewer(shop["zhang"], settings.staff)
    hits = lookup_members("3456", viewer=zhang)
    assert [(h.member_no, h.phone, h.phone_tail) for h in hits] == [("M000003", "137****3456", "3456")]
    # the whole number typed at the register still finds her
    assert [h.phone for h in lookup_members("13700003456", viewer=zhang)] == ["137****3456"]
    assert [h.phone for h in lookup_members("1234", viewer=zhang)] == ["13800001234"]
    assert [h.phone for h in lookup_members("3456", viewer=viewer(shop["boss"], settings.staff))] == [
        "13700003456"]
    assert "13700003456" not in hits_text(hits) and "137****3456" in hits_text(hits)


def test_queue_rows_mask_only_another_guides_members_outside_the_guides_own_calls(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    zhang = viewer(shop["zhang"], settings.staff)
    # a campaign call on 刘芳's 周婷 given to 张丽: hers to make, so hers to see
    Callback.create(member=shop["zhouting"], reason="campaign", source_key="test|campaign",
                    due_on=TODAY, owner=shop["zhang"], detail="飞鹤复购", created_at=TODAY)
    mine = callback_queue(TODAY, rules, zone, guide_id=shop["zhang"], viewer=zhang)
    assert {ln.name: ln.phone for ln in mine.lines} == {
        "李娜": "13900002345", "孙丽丽": "13500005678", "王芳": "13800001234", "周婷": "13300006789"}
    shop_page = callback_queue(TODAY, rules, zone, viewer=zhang)
    phones = {ln.name: ln.phone for ln in shop_page.lines}
    assert (phones["陈晓燕"], phones["黄小梅"], phones["王芳"]) == (
        "137****3456", "186****9012", "13800001234")
    assert phones["周婷"] == "13300006789"  # 刘芳's member, but one of her calls is 张丽's
    assert all(ln.phone_tail for ln in shop_page.lines)  # the tail is what the register types
    boss = callback_queue(TODAY, rules, zone, viewer=viewer(shop["boss"], settings.staff))
    assert {ln.phone for ln in boss.lines} >= {"13700003456", "13300006789"}
