"""Assigning members in Chinese (zh-CN) by keys at 80x24: the even split's preview in Chinese,
nothing changed until applied, then applied; the shop: assign_shop.py."""

from __future__ import annotations

import re

from assign_shop import add_guide, add_member, owners  # noqa: F401 (its fixtures, used by name)
from fixture_shop import NOW
from pilot import screen_text, settle
from tui.clock import Clock
from tui.db.models import AuditLog


async def open_assign(app, pilot) -> None:
    from tui.screens.assign import AssignScreen

    await settle(app, pilot)
    app.push_screen(AssignScreen())
    await settle(app, pilot)


async def test_zh_an_even_split_previewed_then_applied_by_keys(shop, settings):
    from textual.widgets import DataTable

    from tui.app import ShopfloorApp
    from tui.screens.assign import AssignScreen
    from tui.screens.confirm import ConfirmScreen

    chen = add_guide("陈静")
    new = [add_member(10 + i, f"新会员{i}", callbacks=n) for i, n in enumerate([3, 2, 1, 1, 0, 0, 0])]
    app = ShopfloorApp(settings.with_language("zh-CN"), user_id=shop["boss"],
                       clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_assign(app, pilot)
        shown = screen_text(app)
        assert "分配会员" in shown and "哪些会员？按数字选择" in shown
        assert "1 未分配" in shown and "7 导购" in shown
        await pilot.press("1")                       # unassigned: the preview at once
        await settle(app, pilot)
        assert owners(*new) == [None] * 7            # a preview changes nothing
        shown = screen_text(app)
        status = str(app.screen.query_one("#assign-status").render())
        assert "平均分配给 3 位导购：7 位会员（7 位换导购），7 个未完成回访换导购。" in status
        assert "来自：未分配 7" in shown
        assert "y 或 Enter 执行（先确认） · Esc 取消" in shown
        table = app.screen.query_one(DataTable)
        heads = [str(c.label) for c in table.columns.values()]
        assert heads == ["导购", "会员", "+转入", "-转出", "之后", "回访", "+转入", "-转出", "之后"]
        rows = {str(r[0]).strip(): [str(c) for c in r[1:]]
                for r in (table.get_row_at(i) for i in range(table.row_count))}
        assert rows["陈静"][:4] == ["0", "+6", "-0", "6"]  # the preview's own numbers
        # English left on the screen: only the segment's words (tui/db/members/segments.py)
        left = [w for w in re.findall(r"[A-Za-z]{3,}", shown.replace(settings.shop.name, ""))
                if w not in {"Enter", "Esc", "esc", "palette", "Find", "unassigned"}]
        assert not left, left
        await pilot.press("enter")                   # apply … asks first, in Chinese
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith("把 7 位会员（")
        assert "平均分配给 3 位导购？7 位会员和 7 个未完成回访换导购。" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, AssignScreen)
        assert "完成：已转移 7 位会员、7 个未完成回访" in str(
            app.screen.query_one("#assign-status").render())
    assert owners(*new) == [chen, chen, chen, chen, shop["liu"], chen, chen]
    assert AuditLog.get().action == "assign_split"
