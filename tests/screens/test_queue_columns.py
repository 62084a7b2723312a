"""The queue's columns follow the terminal's size by keys at 80×24 and after a resize."""

from __future__ import annotations

from textual.widgets import DataTable

from fixture_shop import NOW
from pilot import settle
from tui.app import ShopfloorApp
from tui.clock import Clock
from tui.db.models import Contact, Staff
from tui.screens.queue import QueueScreen


def column_widths(app) -> dict[str, int]:
    table = app.screen.query_one(DataTable)
    return {str(key.value): column.width for key, column in table.columns.items()}


def reasons_of(app, row: int) -> str:
    table = app.screen.query_one(DataTable)
    return str(table.get_row_at(row)[2]).rstrip()


async def test_the_reasons_column_follows_the_terminal_size(shop, settings):
    app = ShopfloorApp(settings, user_id=Staff.get(Staff.role == "manager").id,
                       clock=Clock.frozen(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        # 80 - (10 + 4 + 9 + 6 + 10) - 2 × 6 - 2 = 27 columns of reasons: the labels alone
        assert column_widths(app)["reasons"] == 27
        assert reasons_of(app, 5) == "running out"     # 王芳: 45 columns with its detail
        await pilot.resize_terminal(120, 36)
        await settle(app, pilot)
        # 120 - (10 + 4 + 9 + 8 + 11) - 14 = 64: room for the details, no reload asked
        assert column_widths(app) == {"name": 10, "tail": 4, "reasons": 64, "due": 9,
                                      "owner": 8, "last": 11}
        assert reasons_of(app, 5) == "running out: 飞鹤星飞帆3段 ×12 runs out 11-28"
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert column_widths(app)["reasons"] == 27
        assert reasons_of(app, 5) == "running out"
        await pilot.press("enter", "1", "ctrl+s")   # the resized queue still logs a contact
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.member_id, contact.outcome) == (shop["chenxiaoyan"], "reached")
