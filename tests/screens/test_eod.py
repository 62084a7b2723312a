"""The end-of-day preview screen: the sheet at every width, by keys."""

from __future__ import annotations

import pytest

from eod_shop import GOLDEN, preview_app, settle_preview, shop  # noqa: F401 (its fixtures, used by name)
from fixture_shop import TODAY
from tui.i18n import _
from tui.reports.eod import WIDTHS


def _sheet(app) -> str:
    return str(app.screen.query_one("#eod-sheet").render())


async def test_preview_shows_the_sheet_and_w_cycles_the_widths(shop, settings):
    from tui.screens.report import EodScreen

    app = preview_app(settings, shop)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle_preview(pilot)
        app.push_screen(EodScreen())
        await settle_preview(pilot)
        assert isinstance(app.screen, EodScreen) and app.screen.day == TODAY
        golden = {w: (GOLDEN / f"eod-{w}.txt").read_text(encoding="utf-8") for w in WIDTHS}
        assert _sheet(app) == golden[80].rstrip("\n")
        for width in (32, 42, 48, 80):
            await pilot.press("w")
            await pilot.pause()
            assert app.screen.width == width
            assert _sheet(app) == golden[width].rstrip("\n")
        assert "80 columns · A4 · p prints on" in str(app.screen.query_one("#eod-status").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, EodScreen)


@pytest.mark.parametrize("width", (80, 32))
def test_preview_snapshot(shop, settings, snap_compare, width):
    from tui.screens.report import EodScreen

    async def open_sheet(pilot):
        await settle_preview(pilot)
        pilot.app.push_screen(EodScreen(width=width))
        await settle_preview(pilot)

    assert snap_compare(preview_app(settings, shop), terminal_size=(84, 30), run_before=open_sheet)


# -- in Chinese ------------------------------------------------------------------------------

#: Latin words a Chinese sheet and its screen may hold: the shop's name, a member's, the
#: program's, the printing system's
DATA_WORDS = {"Beibei", "Mother", "Baby", "Anastasia", "Konstantinopoulou", "Konsta",
              "Shopfloor", "CUPS"}


def _words_shown(app) -> str:
    """The screen's own text: its title, status line, sheet and key descriptions."""
    screen = app.screen
    parts = [str(screen.query_one(f"#{name}").render()) for name in ("title", "eod-status",
                                                                         "eod-sheet")]
    parts += [_(b.description) for b in screen.BINDINGS]
    return "\n".join(parts)


async def test_preview_zh_by_keys(shop, settings, monkeypatch):
    """In Chinese at 80x24: e opens the sheet from the queue, w cycles the widths, p prints;
    a printer that has stopped is said in Chinese and the sheet is kept in a file, in
    Chinese."""
    import re

    from tui.reports.printing import PrinterStopped
    from tui.screens import report
    from tui.screens.report import EodScreen

    def stopped(text, printer, width, title):
        raise PrinterStopped("前台", "前台-7", "缺纸")

    monkeypatch.setattr(report, "print_report", stopped)
    app = preview_app(settings.with_language("zh-CN"), shop)
    notes: list[tuple[str, str]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_preview(pilot)
        app.notify = lambda text, **kw: notes.append((kw.get("severity", "information"), text))
        await pilot.press("e")
        await settle_preview(pilot)
        assert isinstance(app.screen, EodScreen)
        golden = {w: (GOLDEN / f"eod-zh-{w}.txt").read_text(encoding="utf-8") for w in WIDTHS}
        assert _sheet(app) == golden[80].rstrip("\n")
        status = str(app.screen.query_one("#eod-status").render())
        assert status == "80 列 · A4 · 按 p 在 系统默认打印机 打印（P：换一台）"
        assert "日结 2026-11-23" in str(app.screen.query_one("#title").render())
        for width in (32, 42, 48):
            await pilot.press("w")
            await pilot.pause()
            assert _sheet(app) == golden[width].rstrip("\n")
        assert "48 列 · 80 毫米小票" in str(app.screen.query_one("#eod-status").render())
        shown = _words_shown(app)
        assert set(re.findall(r"[A-Za-z]{3,}", shown)) <= DATA_WORDS, shown
        await pilot.press("p")
        await settle_preview(pilot)
        errors = [t for sev, t in notes if sev == "error"]
        saved = settings.database.path.parent / "eod-2026-11-23.txt"
        assert errors and errors[-1].startswith("未打印：打印机 前台 已停用（缺纸），任务 前台-7 在队列中等待")
        assert f"日结单保存在 {saved}。" in errors[-1] and "按 P 可换一台打印机。" in errors[-1]
        assert saved.read_text(encoding="utf-8") == golden[48]
        await pilot.press("escape")
        assert not isinstance(app.screen, EodScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_preview_snapshot_zh(shop, settings, snap_compare, size):
    from tui.screens.report import EodScreen

    async def open_sheet(pilot):
        await settle_preview(pilot)
        pilot.app.push_screen(EodScreen(width=80 if size[0] > 80 else 48))
        await settle_preview(pilot)

    assert snap_compare(preview_app(settings.with_language("zh-CN"), shop), terminal_size=size,
                        run_before=open_sheet)


async def test_printer_form_zh_by_keys(shop, settings, monkeypatch):
    """P lists the printers in Chinese; r on a stopped one resumes it (the manager's)."""
    import re

    from tui.reports.printing import Printer
    from tui.screens import report
    from tui.screens.report import PrinterForm

    found = [Printer("仓库", False, "", default=True), Printer("前台", True, "缺纸")]
    resumed: list[str] = []
    monkeypatch.setattr(report, "printer_list", lambda: list(found))
    monkeypatch.setattr(report, "resume_printer", resumed.append)
    app = preview_app(settings.with_language("zh-CN"), shop)
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_preview(pilot)
        app.notify = lambda text, **kw: notes.append(text)
        await pilot.press("e")
        await settle_preview(pilot)
        await pilot.press("P")
        await settle_preview(pilot)
        assert isinstance(app.screen, PrinterForm)
        form = app.screen
        options = form.query_one("OptionList")
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert lines == ["仓库  就绪 · 系统默认", "前台  已停用：缺纸"]
        status = str(form.query_one("#printer-status").render())
        assert status.startswith("停用的打印机会扣住任务")
        shown = "\n".join([str(form.query_one("Label").render()), status, *lines,
                           *(_(b.description) for b in form.BINDINGS)])
        assert set(re.findall(r"[A-Za-z]{3,}", shown)) <= {"CUPS", "Enter", "Esc"}, shown
        await pilot.press("down", "r")
        await settle_preview(pilot)
        assert resumed == ["前台"]
        assert "前台 已恢复：等待中的任务现在开始打印。" in notes
        await pilot.press("escape")
        assert not isinstance(app.screen, PrinterForm)


def test_printer_form_snapshot_zh(shop, settings, snap_compare, monkeypatch):
    from tui.reports.printing import Printer
    from tui.screens import report
    from tui.screens.report import EodScreen

    monkeypatch.setattr(report, "printer_list", lambda: [Printer("前台", True, "缺纸"),
                                                         Printer("仓库", False, "", default=True)])

    async def open_form(pilot):
        await settle_preview(pilot)
        pilot.app.push_screen(EodScreen())
        await settle_preview(pilot)
        await pilot.press("P")
        await settle_preview(pilot)

    assert snap_compare(preview_app(settings.with_language("zh-CN"), shop), terminal_size=(80, 24),
                        run_before=open_form)
