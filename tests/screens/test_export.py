"""The export form by keys at 80x24: x on the queue, what and the format by digits, the
file written into the shop's export folder and its path said; a guide is refused."""

from __future__ import annotations

import csv
import io
import stat

from fixture_shop import NOW, build_fixture_shop
from pilot import ready, screen_lines, settle
from tui.app import ShopfloorApp
from tui.clock import Clock


def _app(settings, who: str = "boss"):
    shop = build_fixture_shop(settings)
    return ShopfloorApp(settings, user_id=shop[who], clock=Clock.frozen(NOW))


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_manager_exports_this_months_purchases_by_keys(db, settings):
    from tui.db.models import AuditLog
    from tui.screens.export import ExportForm

    app = _app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportForm)
        # this month by default: 2026-11-01 .. 2026-11-30
        assert app.screen.query_one("#export-from").value == "2026-11-01"
        assert app.screen.query_one("#export-to").value == "2026-11-30"
        # 2 purchases (the digit moves on to From), tab tab to the format, 1 CSV, ctrl+s
        await pilot.press("2", "tab", "tab", "1", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportForm)
        path = settings.database.path.parent / "exports" / "purchases-20261101-20261130-20261123.csv"
        assert _notices(app)[-1] == f"3 rows exported to {path}"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    # 黄小梅 15 Nov, 郑雪 and 李娜 22 Nov, in receipt order
    assert [(r[0], r[3], r[12]) for r in rows[1:]] == [("2", "M000002", "1299.00"),
                                                      ("6", "M000008", "129.00"),
                                                      ("7", "M000009", "258.00")]
    line = AuditLog.select().where(AuditLog.action == "export").get()
    assert line.detail == f"purchases 2026-11-01..2026-11-30: 3 rows to {path}"


async def test_members_of_every_day_as_xlsx_and_a_bad_day_is_said(db, settings):
    from tui.screens.export import ExportForm

    app = _app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        form = app.screen
        await pilot.press("1")  # members; the focus is on From
        await pilot.press("ctrl+a", "ctrl+k", *"2026-13-01", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportForm)
        assert "'2026-13-01' is not a date" in str(form.query_one("#export-status").render())
        await pilot.press("ctrl+a", "ctrl+k", "tab", "ctrl+a", "ctrl+k", "ctrl+s")  # no range
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportForm)
        path = settings.database.path.parent / "exports" / "members-all-20261123.xlsx"
        assert _notices(app)[-1] == f"9 rows exported to {path}"
    assert path.read_bytes()[:2] == b"PK"


async def test_a_guide_is_refused_and_esc_closes_the_form(db, settings):
    from tui.db.models import AuditLog
    from tui.screens.export import ExportForm

    app = _app(settings, "zhang")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportForm)
        assert _notices(app)[-1] == "Exports are a manager's; sign in as a manager (g)."
    assert AuditLog.select().where(AuditLog.action == "refused").count() == 1
    assert not (settings.database.path.parent / "exports").exists()


async def test_esc_closes_without_a_file(db, settings):
    from tui.screens.export import ExportForm

    app = _app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportForm)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportForm)
    assert not (settings.database.path.parent / "exports").exists()


async def test_the_form_in_chinese_fits_80x24(db, settings):
    app = _app(settings.with_language("zh-CN"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        lines = screen_lines(app, "#export-form")
        text = "\n".join(lines)
        for words in ("导出到 Excel", "会员", "购买记录", "2026-11-01", "2026-11-30", "XLSX"):
            assert words in text
        assert len(lines) < 24


def test_the_form_snapshot_in_chinese(db, settings, snap_compare):
    async def open_form(pilot):
        await ready(pilot)
        await pilot.press("x")
        await ready(pilot)

    assert snap_compare(_app(settings.with_language("zh-CN")), terminal_size=(80, 24),
                        run_before=open_form)
