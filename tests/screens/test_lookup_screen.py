"""Find a member from the queue by keys and open the card; snapshots of the card."""

from __future__ import annotations

import pytest
from textual import events

from pilot import settle
from fixture_shop import NOW
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.screens.lookup import LookupScreen
from tui.screens.member import MemberScreen
from tui.screens.queue import QueueScreen


@pytest.mark.parametrize("query, moves, member", [
    ("9012", [], "huangxiaomei"),         # phone tail
    ("王芳", [], "wangfang"),              # a Chinese name
    ("hxm", [], "huangxiaomei"),          # pinyin initials of 黄小梅
    # zh (pinyin zhaomin, zhengxue, zhouting): 赵敏 (spent 35,000 cents), 郑雪 (12,900),
    # 周婷 (0), by spend: two down to 周婷
    ("zh", ["down", "down"], "zhouting"),
])
async def test_find_and_open_a_card_by_keys(shop, settings, query, moves, member):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *query)
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen)
        await pilot.press(*moves, "enter")   # at most two keys after the query
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.card.member_id == shop[member]
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


async def test_no_match_and_a_bad_query_say_so(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"0000")
        await settle(app, pilot)
        assert "No member found" in str(app.screen.query_one("#lookup-status").render())
        await pilot.press("enter")                      # nothing to open: stays
        assert isinstance(app.screen, LookupScreen)
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"#!")
        await settle(app, pilot)
        assert "last 4 digits" in str(app.screen.query_one("#lookup-status").render())
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_member_card_snapshot(shop, settings, snap_compare, size):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))

    async def open_card(pilot):
        await settle(app, pilot)
        await pilot.press("slash", *"hxm", "enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_card)


async def test_a_note_by_keys_is_on_file(shop, settings):
    from tui.db.models import MemberNote

    app = ShopfloorApp(settings, user_id=shop["liu"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"hxm", "enter")
        await settle(app, pilot)
        await pilot.press("n", *"宝宝对牛奶蛋白过敏", "enter")   # n, the text, Enter
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.card.notes[0].text == "宝宝对牛奶蛋白过敏"
        # Esc on a typed note asks first; n keeps it, and nothing more is written
        await pilot.press("n", *"半句话", "escape")
        await pilot.press("n")
        assert app.screen.query_one("#note-text").value == "半句话"
        await pilot.press("escape", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    notes = list(MemberNote.select())
    assert [(n.member_id, n.staff_id, n.text, n.written_at) for n in notes] == [
        (shop["huangxiaomei"], shop["liu"], "宝宝对牛奶蛋白过敏", NOW)]


async def test_a_sale_by_keys_updates_the_member_and_the_reminders(shop, settings):
    from datetime import date

    from tui.db.models import Callback, Member, PurchaseLine

    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"wf", "enter")            # 王芳's card
        await settle(app, pilot)
        await pilot.press("b", *"飞鹤")                        # sale: filter the products
        await settle(app, pilot)
        await pilot.press("enter", "backspace", "4")          # pick, quantity 4
        await pilot.press("enter", "enter")                   # amount 1400.00 suggested; save
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.card.purchases[0].quantity == 4
    line = PurchaseLine.select().order_by(PurchaseLine.id.desc()).first()
    assert (line.purchase.member_id, line.purchase.staff_id, line.quantity, line.amount_cents) == (
        shop["wangfang"], shop["zhang"], 4, 140_000)           # 4 × 350.00 yuan
    assert Member.get_by_id(shop["wangfang"]).total_spend_cents == 420_000 + 140_000
    reminders = {c.source_key: (c.status, c.due_on) for c in Callback.select().where(
        Callback.member == shop["wangfang"], Callback.reason == "running_out")}
    # the 12 cans of 30 Aug last to 28 Nov; 4 more (30 days) to 28 Dec; reminder 23 Dec
    assert reminders == {"飞鹤/formula:2026-08-30": ("cancelled", date(2026, 11, 23)),
                         "飞鹤/formula:2026-11-23": ("open", date(2026, 12, 23))}


async def test_a_sale_needs_a_product_and_a_real_amount(shop, settings):
    from tui.db.models import PurchaseLine
    from tui.screens.sale_form import SaleForm

    before = PurchaseLine.select().count()
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"wf", "enter")
        await settle(app, pilot)
        await pilot.press("b", "ctrl+s")
        assert "Pick the product" in str(app.screen.query_one("#sale-status").render())
        await pilot.press(*"推车")
        await settle(app, pilot)
        await pilot.press("enter", "tab", "ctrl+a", *"12.345", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, SaleForm)
        assert "two decimals" in str(app.screen.query_one("#sale-status").render())
        await pilot.press("escape", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert PurchaseLine.select().count() == before


async def test_promotions_refused_by_keys(shop, settings):
    from tui.db.models import Member

    app = ShopfloorApp(settings, user_id=shop["liu"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"hxm", "enter")
        await settle(app, pilot)
        await pilot.press("p", "n")            # asked: answer no, nothing changes
        await settle(app, pilot)
        assert Member.get_by_id(shop["huangxiaomei"]).accepts_promotions is None
        await pilot.press("p", "y")            # not asked yet → accepts
        await settle(app, pilot)
        await pilot.press("p", "y")            # accepts → refuses
        await settle(app, pilot)
        assert app.screen.card.accepts_promotions is False
    m = Member.get_by_id(shop["huangxiaomei"])
    assert (m.accepts_promotions, m.promotions_set_at) == (False, NOW)


async def test_keys_typed_at_once_open_the_member_typed(shop, settings):
    """A scanner or a fast hand: the phone tail, ↓ and Enter arrive together. The card is
    the one for the whole tail, never for a hit of the tail half typed."""
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await settle(app, pilot)
        # zh: 赵敏, 郑雪, 周婷 by spend; two down is 周婷, whatever was shown before
        for key in ("z", "h", "down", "down", "enter"):
            app.post_message(events.Key(key, None if len(key) > 1 else key))
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.card.member_id == shop["zhouting"]


def add_wang_members(how_many: int) -> None:
    """王芳 is on file; these are more members of the surname 王, M000101 on."""
    from datetime import date

    from tui.db.models import Member

    for i in range(how_many):
        phone = f"1500000{i:04d}"
        Member.create(member_no=f"M{101 + i:06d}", name=f"王{'一二三四五六七八九十'[i % 10]}{i}",
                      phone=phone, phone_tail=phone[-4:], joined_on=date(2026, 1, 1),
                      created_at=NOW)


async def test_a_capped_list_says_how_many_there_are(shop, settings):
    add_wang_members(24)                       # with 王芳: 25 members named 王…
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "王")
        await settle(app, pilot)
        status = str(app.screen.query_one("#lookup-status").render())
        assert status == "20 shown of 25 · ↑↓ choose · Enter open · Esc close"
        assert len(app.screen.hits) == 20
        await pilot.press("芳")                    # 王芳 alone: the whole list, "found"
        await settle(app, pilot)
        assert str(app.screen.query_one("#lookup-status").render()).startswith("1 found · ")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.card.member_id == shop["wangfang"]


@pytest.mark.parametrize("typed", ["feihe", "fh", "xingfei", "FeiHe 3"])
async def test_the_product_filter_takes_pinyin_as_the_lookup_does(shop, settings, typed):
    from tui.db.models import PurchaseLine

    before = PurchaseLine.select().count()
    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"wf", "enter")            # 王芳's card
        await settle(app, pilot)
        await pilot.press("b", *typed)                        # 飞鹤星飞帆3段, brand 飞鹤
        await settle(app, pilot)
        assert [p.name for p in app.screen.products] == ["飞鹤星飞帆3段"]
        await pilot.press("enter", "enter", "enter")          # pick, quantity 1, 350.00; save
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    assert PurchaseLine.select().count() == before + 1
    line = PurchaseLine.select().order_by(PurchaseLine.id.desc()).first()
    assert (line.purchase.member_id, line.product.sku, line.quantity, line.amount_cents) == (
        shop["wangfang"], "FH-3", 1, 35_000)


async def test_the_card_shows_labels_not_field_names_or_codes(shop, settings):
    from tui.db.models import Contact, Member

    # occupation, family and personality known: the next soft field to ask is shopping_habits
    Member.update(occupation="护士", family="三口之家", personality="爽快").where(
        Member.id == shop["chenxiaoyan"]).execute()
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "shift+tab", "5", "2", "ctrl+s")   # 陈晓燕: home visit, no answer
        await settle(app, pilot)
        await pilot.press("slash", *"3456", "enter")                  # her card
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        body = str(app.screen.query_one("#card-body").render())
        assert "ask next: shopping habits" in body
        assert "2026-11-23 11:30  王店长  home visit  no answer" in body
        assert "shopping_habits" not in body and "no_answer" not in body
        assert "home_visit" not in body
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.member_id, contact.channel, contact.outcome) == (
        shop["chenxiaoyan"], "home_visit", "no_answer")
