"""Message templates copied by keys from the card."""

from __future__ import annotations

from dataclasses import replace

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.screens.member import MemberScreen
from tui.screens.templates import TemplatesScreen


# --- on the card, by keys --------------------------------------------------------------------

async def open_card(app, pilot, query: str) -> None:
    await settle(app, pilot)
    await pilot.press("slash", *query, "enter")
    await settle(app, pilot)
    assert isinstance(app.screen, MemberScreen)


async def test_t_down_enter_copies_the_second_message(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "hxm")  # 黄小梅: 乐乐 born 2025-11-24; 帮宝适L码 on 15 Nov
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, TemplatesScreen)
        await pilot.press("down", "enter")  # the second in settings.toml: 天气转凉
        await settle(app, pilot)
        assert app.clipboard == ("黄小梅您好，这几天降温了，乐乐现在 11 个月，出门记得给宝宝多添件"
                                 "衣服，夜里也盖好被子。您也多注意身体！")
        assert isinstance(app.screen, MemberScreen)


async def test_c_copies_and_escape_closes_without_copying(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "hxm")
        await pilot.press("t", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen) and app.clipboard == ""
        await pilot.press("t", "c")  # the first: 用后回访
        await settle(app, pilot)
        assert app.clipboard == ("黄小梅您好！前几天带回去的帮宝适L码用着怎么样，宝宝还习惯吗？"
                                 "使用或存放上有任何疑问，随时找我。")


async def test_a_message_needing_a_child_is_not_copied(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "2345")  # 李娜: a stroller yesterday, no child on file
        await pilot.press("t", "down")       # 天气转凉 needs a child
        await settle(app, pilot)
        status = str(app.screen.query_one("#templates-status").render())
        assert status == "Needs a child on file: cannot be copied"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TemplatesScreen) and app.clipboard == ""


async def test_do_not_contact_copies_nothing(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "8901")  # 郑雪 asked never to be contacted
        await pilot.press("t", "c")
        await settle(app, pilot)
        assert isinstance(app.screen, TemplatesScreen) and app.clipboard == ""


async def test_no_templates_in_settings_says_how_to_add_them(shop, settings):
    app = ShopfloorApp(replace(settings, templates=()), user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "hxm")
        await pilot.press("t", "c", "enter")
        await settle(app, pilot)
        status = str(app.screen.query_one("#templates-status").render())
        assert status.startswith("No message templates yet. Add [[templates]]")
        assert app.clipboard == ""
        await pilot.press("escape")
        assert isinstance(app.screen, MemberScreen)


def test_templates_snapshot(shop, settings, snap_compare):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))

    async def open_templates(pilot):
        await open_card(app, pilot, "hxm")
        await pilot.press("t", "down")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_templates)


async def test_a_copy_says_it_went_to_the_terminal_not_that_it_was_copied(shop, settings):
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(app, pilot, "hxm")
        await pilot.press("t", "c")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        assert [str(n.message) for n in app._notifications] == [
            "Sent to the terminal's clipboard: paste it into WeChat or SMS. Nothing pastes? "
            "This terminal refuses it; t shows the message again to select with the mouse."]
