"""Printing the end-of-day sheet: its failure paths, and a real print on a CUPS queue read
back from the printed PDF (tests/cups/setup.sh installs the queue)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from eod_day import LONG_CHINESE
from eod_shop import GOLDEN, preview_app  # noqa: F401 (its fixtures, used by name)
from eod_shop import settle_preview, shop, summary  # noqa: F401
from fixture_shop import NOW
from tui.cli import main
from tui.clock import Clock
from tui.reports.eod import eod_text
from tui.reports.postscript import page_layout
from tui.reports.printing import print_report


REPO = Path(__file__).resolve().parents[2]
PRINTER = "shopfloor-pdf"
STOPPED = "shopfloor-stopped"
CUPS_PDF_OUT = Path("/var/spool/cups-pdf")


def _not_printed(settings, capsys, argv, monkeypatch=None) -> str:
    clock = Clock.frozen(NOW, settings.shop.zone)
    fallback = settings.database.path.parent / "eod-2026-11-23.txt"
    fallback.unlink(missing_ok=True)
    code = main(["--db", str(settings.database.path), "report", "eod", "--date", "2026-11-23",
                 "--width", "32", "--as", "王店长", *argv], clock=clock)
    err = capsys.readouterr().err
    assert code == 1
    assert f"the end-of-day sheet for 2026-11-23 is in {fallback}" in err
    assert fallback.read_text(encoding="utf-8") == (GOLDEN / "eod-32.txt").read_text(encoding="utf-8")
    first = err.splitlines()[0]
    assert first.startswith("shopfloor: not printed: ")
    return first


def test_no_cups_installed(shop, settings, capsys, monkeypatch, tmp_path, manager_pin):
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp anywhere
    line = _not_printed(settings, capsys, ["--print"])
    assert "CUPS is not installed here (no 'lp' command)" in line


def test_cups_not_running(shop, settings, capsys, monkeypatch, manager_pin):
    if shutil.which("lp") is None:
        pytest.skip("needs CUPS's client (lp); the setup script installs it")
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")  # nothing listens there
    line = _not_printed(settings, capsys, ["--printer", PRINTER])
    assert "CUPS is not running or cannot be reached at CUPS_SERVER=127.0.0.1:9" in line


def test_the_out_file_is_kept_when_printing_fails(shop, settings, clock, capsys, monkeypatch, tmp_path,
                                                  manager_pin):
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "mine.txt"
    code = main(["--db", str(settings.database.path), "report", "eod", "--date", "2026-11-23",
                 "--print", "--out", str(out), "--as", manager_pin], clock=clock)
    assert code == 1 and f"is in {out}" in capsys.readouterr().err
    assert not (settings.database.path.parent / "eod-2026-11-23.txt").exists()
    assert out.read_text(encoding="utf-8") == (GOLDEN / "eod-80.txt").read_text(encoding="utf-8")


def test_no_file_either_puts_the_sheet_on_stdout(shop, settings, clock, capsys, monkeypatch, tmp_path,
                                                 manager_pin):
    import tui.reports.eod

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(tui.reports.eod, "sheet_file", lambda db, day: tmp_path / "no" / "x.txt")
    code = main(["--db", str(settings.database.path), "report", "eod", "--date", "2026-11-23",
                 "--print", "--as", manager_pin], clock=clock)
    got = capsys.readouterr()
    assert code == 1 and "cannot write the sheet there" in got.err
    assert got.out == (GOLDEN / "eod-80.txt").read_text(encoding="utf-8")


def test_printing_defaults_come_from_settings(settings, tmp_path):
    from dataclasses import replace

    from tui.reports.printing import printing_defaults
    from tui.settings import PrintingSettings, SettingsError, load_settings

    assert printing_defaults(settings) == ("", 80)  # settings.toml: CUPS's default, A4
    named = replace(settings, printing=PrintingSettings(printer="receipt", width=48))
    assert printing_defaults(named) == ("receipt", 48)
    text = settings.source.read_text(encoding="utf-8").replace("width = 80", "width = 50")
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=r"printing\.width: expected 32, 42 or 48"):
        load_settings(tmp_path / "s.toml")


# -- a real printer ----------------------------------------------------------------------------

def _cups_ready() -> str | None:
    """Why the CUPS test printer is not there, or None when it is."""
    if shutil.which("lp") is None or shutil.which("pdftotext") is None:
        return "CUPS's client or pdftotext is not installed"
    state = subprocess.run(["lpstat", "-p", PRINTER], capture_output=True, text=True)
    if state.returncode != 0:
        return f"no CUPS queue {PRINTER}: {state.stderr.strip() or state.stdout.strip()}"
    return None


@pytest.fixture(scope="session")
def cups_printer():
    """The CUPS-PDF queue tests/cups/setup.sh makes (make test runs it first). Run here
    too if it is missing; in CI a missing printer fails the test, never skips it."""
    why = _cups_ready()
    if why is not None:
        subprocess.run(["bash", str(REPO / "tests" / "cups" / "setup.sh")])
        why = _cups_ready()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the CUPS test printer: {why} (tests/cups/setup.sh)")
        pytest.skip(f"{why}; run tests/cups/setup.sh as root")
    return PRINTER


def _file_system_now(folder: Path) -> float:
    """Now by the kernel's clock, which stamps the PDF cupsd writes: the mtime of a file
    written just now. Not time.time(): under faketime (make test-dates) the test's clock
    is years away from cupsd's."""
    mark = folder / "now.mark"
    mark.write_bytes(b"")
    return mark.stat().st_mtime


def _printed_pdf(job: str, since: float, timeout: float = 30) -> Path:
    """The PDF CUPS-PDF wrote for the job: its name carries the job id (Label in
    cups-pdf.conf), and it was written after `since` (not an old file of a reset CUPS)."""
    number = job.rsplit("-", 1)[1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in CUPS_PDF_OUT.glob("*/*.pdf")
                 if re.search(rf"(^|[-_])job_{number}([-_.]|$)", p.stem + ".")
                 and p.stat().st_mtime >= since - 1]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no PDF for job {job} under {CUPS_PDF_OUT}")


def _words(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("width", (32, 80))
def test_print_on_a_real_cups_queue(summary, cups_printer, width, tmp_path):
    text = eod_text(summary, width)
    since = _file_system_now(tmp_path)
    job = print_report(text, cups_printer, width, title=f"eod-test-{width}")
    assert job.startswith(f"{cups_printer}-")
    done = subprocess.run(["lpstat", "-W", "completed", "-o", cups_printer],
                          capture_output=True, text=True).stdout.split()
    assert job in done  # print_report waited until CUPS had printed it
    pdf = _printed_pdf(job, since)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    layout = page_layout(width)
    assert abs(float(size.group(1)) - layout.paper_width * 72 / 25.4) < 1  # 58 mm or A4 wide
    assert pages == (1 if width == 32 else 2)
    printed = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                             text=True).stdout
    got = _words(printed)
    for line in _words(text):  # every line of the sheet, Chinese included, is on paper
        assert line in got
    assert "张丽" in printed and LONG_CHINESE in printed and "End of day" in printed


def test_printing_to_no_such_printer(summary, cups_printer, settings, capsys, shop, manager_pin):
    line = _not_printed(settings, capsys, ["--printer", "no-such-printer"])
    assert "no printer named 'no-such-printer'" in line and PRINTER in line


def test_a_stopped_printer_is_a_failed_job(summary, cups_printer, settings, capsys, shop,
                                           manager_pin):
    line = _not_printed(settings, capsys, ["--printer", STOPPED])
    assert f"the printer {STOPPED} is stopped" in line and "cupsenable" in line
    subprocess.run(["cancel", "-a", STOPPED], capture_output=True)


def test_cli_print_succeeds(shop, settings, clock, capsys, cups_printer):
    code = main(["--db", str(settings.database.path), "report", "eod", "--date", "2026-11-23",
                 "--width", "42", "--printer", cups_printer], clock=clock)
    out = capsys.readouterr().out
    assert code == 0 and out.startswith(f"Printed the end-of-day sheet for 2026-11-23 on "
                                        f"{cups_printer} (job {cups_printer}-")


async def _pick(pilot, name: str) -> None:
    """On the printer list: move the highlight to `name` by ↑↓ (the list is CUPS's, sorted)."""
    from textual.widgets import OptionList

    options = pilot.app.screen.query_one(OptionList)
    names = [options.get_option_at_index(i).id for i in range(options.option_count)]
    assert name in names, names
    steps = names.index(name) - (options.highlighted or 0)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))


def _printer_lines(app) -> list[str]:
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_preview_prints_on_the_printer_chosen(shop, settings, cups_printer):
    from tui.screens.report import EodScreen, PrinterForm

    app = preview_app(settings, shop)
    notes: list[tuple[str, str]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_preview(pilot)
        app.notify = lambda text, **kw: notes.append((kw.get("severity", "information"), text))
        app.push_screen(EodScreen())
        await settle_preview(pilot)
        await pilot.press("w")  # 32 columns
        await pilot.press("P")
        await settle_preview(pilot)
        assert isinstance(app.screen, PrinterForm)
        lines = _printer_lines(app)  # CUPS's printers, each with its state, to pick by keys
        assert any(line.startswith(cups_printer) and line.rstrip().endswith("ready")
                   for line in lines), lines
        assert any(line.startswith(STOPPED) and "stopped: paper jam (a test printer)" in line
                   for line in lines), lines
        await _pick(pilot, cups_printer)
        await pilot.press("enter")
        await settle_preview(pilot)
        assert isinstance(app.screen, EodScreen) and app.screen.printer == cups_printer
        printed = [t for sev, t in notes if t.startswith("Printed on")]
        assert printed and f"Printed on {cups_printer} (job {cups_printer}-" in printed[0]
        job = re.search(r"job (\S+)\)", printed[0]).group(1)
        done = subprocess.run(["lpstat", "-W", "completed", "-o", cups_printer],
                              capture_output=True, text=True).stdout.split()
        assert job in done
        # a printer that has stopped: the person at the register is told what she can do
        # (paper, lid, cable) and how a manager resumes it here, not a CUPS command
        await pilot.press("P")
        await settle_preview(pilot)
        await _pick(pilot, STOPPED)
        await pilot.press("enter")
        await settle_preview(pilot)
        errors = [t for sev, t in notes if sev == "error"]
        saved = settings.database.path.parent / "eod-2026-11-23.txt"
        assert errors, notes
        assert (f"Not printed: the printer {STOPPED} is stopped (paper jam (a test printer)) and "
                f"job {STOPPED}-") in errors[-1]
        assert "check its paper, lid and cable, then a manager resumes it (P, then r on it)." \
            in errors[-1]
        assert "cupsenable" not in errors[-1]
        assert f"The sheet is in {saved}" in errors[-1]
        assert saved.read_text(encoding="utf-8") == (GOLDEN / "eod-32.txt").read_text(encoding="utf-8")
    subprocess.run(["cancel", "-a", STOPPED], capture_output=True)


def _stop_again() -> None:
    subprocess.run(["cancel", "-a", STOPPED], capture_output=True)
    subprocess.run(["cupsdisable", "-r", "paper jam (a test printer)", STOPPED], capture_output=True)


@pytest.fixture
def stopped_of_its_own(cups_printer):
    """A stopped printer for this test alone (resuming the shared one would race another
    run of the suite on the same CUPS): made like setup.sh's, removed afterwards."""
    name = f"shopfloor-resume-{os.getpid()}"
    made = subprocess.run(["lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-P",
                           "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot add a printer here: {made.stderr.decode(errors='replace')}")
    subprocess.run(["cupsdisable", "-r", "out of paper (a test printer)", name], check=True)
    yield name
    subprocess.run(["cancel", "-a", name], capture_output=True)
    subprocess.run(["lpadmin", "-x", name], capture_output=True)


async def test_a_manager_resumes_a_stopped_printer_by_keys(shop, settings, stopped_of_its_own):
    from tui.screens.report import EodScreen, PrinterForm

    name = stopped_of_its_own
    app = preview_app(settings, shop)  # signed in as the manager
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_preview(pilot)
        app.push_screen(EodScreen())
        await settle_preview(pilot)
        await pilot.press("P")
        await settle_preview(pilot)
        assert any(line.startswith(name) and "stopped: out of paper (a test printer)" in line
                   for line in _printer_lines(app))
        await _pick(pilot, name)
        await pilot.press("r")
        await settle_preview(pilot)
        assert isinstance(app.screen, PrinterForm)  # still picking, the list read again
        assert any(line.startswith(name) and line.rstrip().endswith("ready")
                   for line in _printer_lines(app))
    state = subprocess.run(["lpstat", "-p", name], capture_output=True, text=True).stdout
    assert "disabled" not in state and "idle" in state


async def test_a_guide_may_not_resume_a_printer_and_is_told_whom_to_ask(shop, settings, cups_printer):
    from tui.app import ShopfloorApp
    from tui.db.models import AuditLog
    from tui.screens.report import EodScreen

    app = ShopfloorApp(settings, user_id=shop["zhang"], clock=Clock.frozen(NOW))
    notes: list[str] = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle_preview(pilot)
            app.notify = lambda text, **kw: notes.append(text)
            app.push_screen(EodScreen())
            await settle_preview(pilot)
            await pilot.press("P")
            await settle_preview(pilot)
            await _pick(pilot, STOPPED)
            await pilot.press("r")
            await settle_preview(pilot)
        assert notes[-1] == ("Resuming a printer is a manager's; check its paper, lid and cable, "
                             "then ask a manager.")
        assert "disabled" in subprocess.run(["lpstat", "-p", STOPPED], capture_output=True,
                                            text=True).stdout
        refused = [a for a in AuditLog.select() if a.staff_id == shop["zhang"]]
        assert refused and "Resuming a printer" in refused[-1].detail
    finally:
        _stop_again()


async def test_the_printer_list_when_cups_does_not_answer(shop, settings, cups_printer, monkeypatch):
    from tui.screens.report import EodScreen, PrinterForm

    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")  # nothing listens there
    app = preview_app(settings, shop)
    notes: list[tuple[str, str]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_preview(pilot)
        app.notify = lambda text, **kw: notes.append((kw.get("severity", "information"), text))
        app.push_screen(EodScreen())
        await settle_preview(pilot)
        await pilot.press("P")
        await settle_preview(pilot)
        assert isinstance(app.screen, PrinterForm) and _printer_lines(app) == []
        said = str(app.screen.query_one("#printer-status").render())
        assert said.startswith("CUPS is not running or cannot be reached (lpstat: "), said
        assert said.endswith("start it (Debian: service cups start, or cupsd).")
        await pilot.press("escape")
        assert isinstance(app.screen, EodScreen) and app.screen.printer == ""
