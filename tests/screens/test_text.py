"""Old rows full of escapes (tests/payloads.py), written straight to the database, reach
the screen as text: nothing of them is sent to the terminal, markup shows as typed."""

from __future__ import annotations

from pilot import settle
from fixture_shop import NOW
from payloads import CLIPBOARD, MARKUP, RLO, TITLE, UNSAFE, dirty
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import Callback, Contact, Member, MemberNote
from tui.screens.member import MemberScreen
from tui.screens.queue import QueueScreen


def painted(app) -> list[str]:
    """Every line of the screen as the compositor hands it to the terminal, text only."""
    update = app.screen._compositor.render_full_update()
    return ["".join(segment.text for strip in line for segment in strip) for line in update.strips]


async def test_the_card_and_queue_show_old_dirty_rows_as_text(shop, settings):
    Member.update(name=dirty("王芳")).where(Member.id == shop["wangfang"]).execute()
    MemberNote.create(member=shop["wangfang"], staff=shop["zhang"], written_at=NOW,
                      text=f"{RLO}喜欢{CLIPBOARD}微信 {MARKUP}")
    Contact.create(member=shop["wangfang"], staff=shop["zhang"], contacted_at=NOW,
                   channel="phone", outcome="reached", note=f"满意{TITLE}")
    Callback.update(detail=dirty("飞鹤星飞帆3段") + " ×12 runs out 11-28").where(
        Callback.member == shop["wangfang"]).execute()
    app = ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press(*["down"] * 5)  # 王芳, the sixth line
        await settle(app, pilot)
        lines = painted(app)
        assert [ln for ln in lines if UNSAFE.search(ln)] == []
        assert any("王芳  138 0000 1234  M000001" in ln for ln in lines)
        assert any("running out: 飞鹤星飞帆3段 ×12 runs out 11-28" in ln for ln in lines)
        await pilot.press("slash", *"1234")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        lines = painted(app)
        assert [ln for ln in lines if UNSAFE.search(ln)] == []
        assert any(ln.strip() == "王芳  M000001  138 0000 1234" for ln in lines)
        assert any(f"2026-11-23  张丽: 喜欢微信 {MARKUP}" in ln for ln in lines)
