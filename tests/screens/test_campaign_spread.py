"""A plan started by keys spreads its campaign calls by the guides' daily capacity: the
queue of the day it starts holds only what fits (the figures: tests/unit/test_campaign_spread.py,
on the same shop)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from fixture_shop import NOW, TODAY
from pdca_shop import shop  # noqa: F401 (its fixture, used by name)
from pilot import settle
from tui.clock import Clock
from tui.db.callbacks.queue import callback_queue
from tui.db.models import Callback, Member, PlanTarget


async def test_a_plan_started_by_keys_fills_no_queue_past_capacity(shop, settings):
    """Capacity 3 a day; the plan 飞鹤复购 for 2026-11-23..2026-11-30, started on 11-23.
    Before it, the whole shop's queue today is 8 members: 张丽's 王芳 李娜 孙丽丽, 刘芳's
    陈晓燕 周婷 黄小梅 赵敏, and 马丽 (her calls have no owner). Its campaign calls: 王芳
    and 赵敏 are in their guide's queue today anyway (today, no room taken); 林晓 (张丽's
    today is full at 3), 马丽 and 何佳 (刘芳's holds 4) wait for 11-24. So the queue stays
    8 today (every call at once would have made it 10: 林晓 and 何佳 more)."""
    from tui.app import ShopfloorApp
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.pdca import CheckPanelScreen
    from tui.screens.queue import QueueScreen

    settings = replace(settings, callbacks=replace(settings.callbacks, guide_daily_capacity=3))
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert str(app.screen.query_one("#counts").render()).startswith("8 due")
        await pilot.press("P")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"飞鹤复购", "enter",                       # name
                          "1", *"飞鹤", "enter",                      # members: brand 飞鹤
                          *"2026-05-01..2026-11-30", "enter",         # bought within
                          "ctrl+a", "ctrl+k", *"2026-11-23..2026-11-30", "enter",  # period
                          "enter", *"60", "enter", *"3000", "enter",  # targets
                          "1", "enter", *"满6罐送玩偶", "enter")      # methods
        await settle(app, pilot)
        await pilot.press("enter")                                    # responsible: owners
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "2026-11-23..2026-11-30" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckPanelScreen)
        assert any("calls spread over the period" in n.message
                   and "guide_daily_capacity 3 a day" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("r")
        await settle(app, pilot)
        assert str(app.screen.query_one("#counts").render()).startswith("8 due")
    calls = {Member.get_by_id(c.member_id).name: c.due_on for c in
             Callback.select().where(Callback.reason == "campaign")}
    assert calls == {"王芳": TODAY, "赵敏": TODAY, "林晓": date(2026, 11, 24),
                     "马丽": date(2026, 11, 24), "何佳": date(2026, 11, 24)}
    assert PlanTarget.select().where(PlanTarget.call_on.is_null()).count() == 1  # 吴静: no call
    rules, zone = settings.callbacks, settings.shop.zone
    assert [callback_queue(TODAY, rules, zone, guide_id=g, limit=0).counts.due
            for g in (shop["zhang"], shop["liu"])] == [3, 4]
