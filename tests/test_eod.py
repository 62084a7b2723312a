"""The end-of-day sheet: its figures on a hand-built day (eod_day.py), cross-checked
against the screens' query functions; its layouts against golden files; the command,
its failure paths, and a real print on a CUPS queue read back from the printed PDF."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from eod_day import LONG_CHINESE, LONG_LATIN, build_eod_day
from fixture_shop import NOW, TODAY, build_fixture_shop
from tui.cli import main
from tui.clock import Clock
from tui.db.boards.boards import leaderboard
from tui.db.boards.drill import drill_down
from tui.db.boards.periods import make_period
from tui.db.callbacks.queue import callback_queue
from tui.db.day import sales_after_contacts
from tui.db.models import Member
from tui.db.pdca.check import plan_check
from tui.db.pdca.view import plan_list
from tui.db.staff import active_guides
from tui.reports import eod
from tui.reports.eod import WIDTHS, eod_summary, eod_text, wrap
from tui.reports.printing import PrintError, page_layout, print_report, report_postscript
from tui.reports.text import cell_width

GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).parent.parent
PRINTER = "shopfloor-pdf"
STOPPED = "shopfloor-stopped"
CUPS_PDF_OUT = Path("/var/spool/cups-pdf")


@pytest.fixture
def shop(db, settings):
    return build_eod_day(settings, build_fixture_shop(settings))


@pytest.fixture
def summary(shop, settings):
    return eod_summary(TODAY, settings)


def day_period(settings, day=TODAY):
    return make_period("range", day, day, settings.shop.zone)


# -- the figures, worked out by hand (see eod_day.py) ------------------------------------------

def test_callbacks_due_done_and_missed_per_guide(summary):
    rows = {r.guide: (r.due, r.done, r.late, r.missed) for r in summary.callbacks}
    # 张丽: 李娜 follow-up, 孙丽丽 call back, 王芳 running out and her campaign call: all
    # done today (王芳's no answer at 18:00 still answers her calls). 刘芳: 赵敏 dormant and
    # campaign, both left undone; 周婷's complaint call was due 21 Nov, not today.
    assert rows == {"张丽": (4, 4, 0, 0), "刘芳": (2, 0, 0, 2)}
    assert [r.guide for r in summary.callbacks] == ["刘芳", "张丽"]  # by name, as on the boards
    t = summary.callbacks_total
    assert (t.due, t.done, t.late, t.missed) == (6, 4, 0, 2)
    # still due: 陈晓燕 (9 days), 黄小梅 (2 days), 赵敏 (today); called back: 周婷, 李娜,
    # 孙丽丽, 王芳
    assert (summary.queue.due, summary.queue.overdue, summary.queue.done_today) == (3, 2, 4)


def test_contacts_by_channel(summary):
    c = summary.contacts
    assert [(ch.channel, ch.contacts, ch.care) for ch in c.channels] == [
        ("phone", 2, 1), ("wechat", 1, 0), ("sms", 0, 0), ("in_store", 1, 1), ("home_visit", 0, 0)]
    assert (c.contacts, c.care, c.members) == (4, 2, 4)


def test_purchases_that_followed_a_contact(summary, shop):
    s = summary.sales
    # 孙丽丽 ¥700 an hour after 张丽's WeChat; 黄小梅 ¥129 seven days after 刘芳's call (her
    # first purchase since); 吴静 was never contacted; the walk-in has no card.
    assert [(p.member, p.amount_cents, p.staff) for p in s.purchases] == [
        ("孙丽丽", 70_000, "张丽"), ("黄小梅", 12_900, "刘芳")]
    assert [(r.staff, r.purchases, r.members, r.sales_cents) for r in s.by_staff] == [
        ("刘芳", 1, 1, 12_900), ("张丽", 1, 1, 70_000)]
    assert (s.sales_cents, s.members) == (82_900, 2)
    assert (s.all_purchases, s.all_sales_cents) == (4, 225_700)


def test_a_purchase_after_the_window_or_after_another_purchase_does_not_count(db, settings):
    from fixture_shop import utc
    from tui.db.callbacks.contacts import ContactEntry, log_contact
    from tui.db.models import Product
    from tui.db.members.purchases import SaleLine, record_purchase

    ids = build_fixture_shop(settings)
    rules, zone = settings.callbacks, settings.shop.zone
    wipes = Product.get(Product.sku == "BBS-L").id
    # 赵敏: contacted 8 Nov; day 14 after it is 22 Nov (counts), day 15 is 23 Nov (does not)
    log_contact(ContactEntry(ids["zhaomin"], ids["liu"], "phone", "reached", True, ""), rules,
                zone, utc("2026-11-08 23:30"))
    record_purchase(ids["zhaomin"], ids["liu"], [SaleLine(wipes, 1, 100)], rules, zone,
                    utc("2026-11-23 00:10"))
    # 王芳: contacted 20 Nov, bought 22 Nov (the contact's first purchase) and again today
    log_contact(ContactEntry(ids["wangfang"], ids["zhang"], "sms", "reached", False, ""), rules,
                zone, utc("2026-11-20 10:00"))
    record_purchase(ids["wangfang"], ids["zhang"], [SaleLine(wipes, 1, 200)], rules, zone,
                    utc("2026-11-22 10:00"))
    record_purchase(ids["wangfang"], ids["zhang"], [SaleLine(wipes, 1, 300)], rules, zone,
                    utc("2026-11-23 10:00"))
    today = sales_after_contacts(day_period(settings), zone, 14)
    assert today.purchases == () and today.all_purchases == 2
    yesterday = sales_after_contacts(day_period(settings, date(2026, 11, 22)), zone, 14)
    # 22 Nov: 王芳's purchase (2 days after her contact) and 李娜's stroller (never contacted)
    # and 郑雪's diapers (never contacted)
    assert [(p.member, p.amount_cents) for p in yesterday.purchases] == [("王芳", 200)]
    # 赵敏 at 00:10 on 23 Nov, one day too late; at 23:50 on 22 Nov it would have counted
    record_purchase(ids["zhaomin"], ids["liu"], [SaleLine(wipes, 1, 400)], rules, zone,
                    utc("2026-11-22 23:50"))
    yesterday = sales_after_contacts(day_period(settings, date(2026, 11, 22)), zone, 14)
    assert [(p.member, p.amount_cents) for p in yesterday.purchases] == [("王芳", 200), ("赵敏", 400)]


def test_new_members_and_archive_gained(summary):
    n = summary.new_members
    assert n.count == 2
    assert [(m.member_no, m.name, m.owner) for m in n.first] == [
        ("M000010", LONG_CHINESE, "张丽"), ("M000011", LONG_LATIN, "张丽")]
    gained = {r.guide: r.gained for r in summary.archive}
    # 刘芳 filled 3 soft fields of 陈晓燕: 3 × 0.8/9; 张丽 registered two members with name
    # and phone, the second with gender too: 5 hard fields × 0.2/9
    assert gained == {"刘芳": Fraction(3 * 8, 90), "张丽": Fraction(5 * 2, 90)}
    assert summary.archive_gained == Fraction(34, 90)


def test_running_plan_target_against_actual(summary):
    (plan,) = summary.plans
    assert (plan.name, plan.cycle_number, plan.targets) == ("飞鹤复购", 1, 3)
    completion, success, sales = plan.figures
    # of 王芳, 赵敏, 吴静 only 王芳 was contacted (no answer still counts as contacted)
    assert (completion.done, completion.of, completion.target) == (1, 3, Fraction(1))
    assert (success.done, success.of, success.target) == (0, 1, Fraction(1, 2))
    assert (sales.done, sales.target) == (0, 500_000)
    # day 8 of 30: 33% is ahead of 8/30 of 100%; 0% is behind
    assert (completion.pace, success.pace, sales.pace) == ("on pace", "behind", "behind")


def test_the_leader_of_each_board(summary):
    leaders = {b.board: (b.figure, b.leaders, b.value) for b in summary.leaders}
    assert leaders["archive"] == ("complete", (), 0)  # nobody has a complete archive: no leader
    assert leaders["visits"] == ("contacts", ("张丽",), 3)
    assert leaders["callbacks"][:2] == ("rate", ("张丽",))
    assert (leaders["callbacks"][2].done, leaders["callbacks"][2].of) == (4, 4)
    assert leaders["follow_up"] == ("followed", ("张丽",), 1)


def test_tomorrows_queue(summary):
    # 刘芳: 陈晓燕, 黄小梅, 赵敏 still open (all overdue by tomorrow); 张丽: 王芳's retry after
    # no answer, 孙丽丽's follow-up after today's purchase, 吴静's follow-up
    assert {g.guide: (g.due, g.overdue) for g in summary.tomorrow_by_guide} == {
        "刘芳": (3, 3), "张丽": (3, 0)}
    assert (summary.tomorrow.due, summary.tomorrow.overdue) == (6, 3)


# -- every figure is the screen's -------------------------------------------------------------

def test_figures_equal_the_screens_query_functions(summary, settings, shop):
    zone, rules = settings.shop.zone, settings.callbacks
    period = day_period(settings)
    board = leaderboard("callbacks", period, settings, TODAY)
    for row in board.rows:
        mine = next(r for r in summary.callbacks if r.guide_id == row.guide_id)
        f = row.figures
        assert (mine.due, mine.done, mine.late, mine.missed) == (
            f["rate"].of, f["on_time"], f["late"], f["not_done"])
    assert summary.queue == callback_queue(TODAY, rules, zone, limit=None).counts
    tomorrow = TODAY + timedelta(days=1)
    whole = callback_queue(tomorrow, rules, zone, limit=None)
    assert summary.tomorrow == whole.counts and summary.tomorrow.due == len(whole.lines)
    for g in summary.tomorrow_by_guide:
        page = callback_queue(tomorrow, rules, zone, guide_id=g.guide_id, limit=None)
        assert (g.due, g.overdue) == (page.counts.due, page.counts.overdue) == (
            len(page.lines), sum(ln.days_overdue > 0 for ln in page.lines))
    assert [g.guide_id for g in summary.tomorrow_by_guide] == [g for g, _ in active_guides(by_name=True)]
    # the visits board counts the guides' contacts; here only guides logged any
    visits = leaderboard("visits", period, settings, TODAY)
    assert summary.contacts.contacts == sum(r.figures["contacts"] for r in visits.rows)
    assert summary.contacts.care == sum(r.figures["care"] for r in visits.rows)
    # each purchase after a contact is a "bought after" behind that contact on the
    # follow-up board, at the purchase's time
    window = make_period("range", TODAY - timedelta(days=14), TODAY, zone)
    for p in summary.sales.purchases:
        page = drill_down("follow_up", "followed", p.staff_id, window, settings, TODAY, limit=None)
        line = next(ln for ln in page.lines if ln.contact_id == p.contact_id)
        assert line.success and line.bought_at == (p.purchased_at + timedelta(hours=8))
    archive = leaderboard("archive", period, settings, TODAY)
    assert {r.guide_id: (r.figures["gained"], r.figures["complete"], r.figures["members"])
            for r in archive.rows} == {
        r.guide_id: (r.gained, r.complete, r.members) for r in summary.archive}
    for b in summary.leaders:
        top = leaderboard(b.board, period, settings, TODAY).rows[0]
        assert b.value == top.figures[b.figure]
    joined = Member.select().where(Member.joined_on == TODAY)
    assert summary.new_members.count == joined.count()
    running = [p for p in plan_list(TODAY, settings) if p.status == "running"]
    assert [p.name for p in summary.plans] == [p.name for p in running]
    for mine, line in zip(summary.plans, running):
        check = plan_check(line.cycle_id, TODAY, settings)
        assert mine.figures == check.whole.figures


def test_the_sheet_prints_the_summarys_figures(summary):
    text = eod_text(summary, 80)
    for line in ("刘芳                                          2    0    0      2",
                 "张丽                                          4    4    0      0",
                 "all purchases                                        4 ¥2,257.00",
                 "after a contact                                      2   ¥829.00"):
        assert line in text.splitlines()
    assert "Still due: 3 members, 2 overdue." in text
    assert "completion                                1/3 33%   100% on pace" in text


# -- layouts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_golden_sheet(summary, width):
    text = eod_text(summary, width)
    path = GOLDEN / f"eod-{width}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_is_cut_off_or_misaligned(summary, width):
    lines = eod_text(summary, width).splitlines()
    assert all(cell_width(line) <= width for line in lines)
    # the figure columns of a table end in the same column, Chinese names or not
    table = lines[lines.index(next(ln for ln in lines if ln.startswith("guide"))):][:4]
    assert len({cell_width(line) for line in table}) == 1
    # long names: shortened with a visible … where they do not fit, never silently cut
    names = [ln for ln in lines if "M000011" in ln][0]
    if width == 32:
        assert names == "  M000011 Anastasia Konsta… 张丽"
    else:  # the owner at the table's right edge (64 columns on A4)
        assert names.startswith(f"  M000011 {LONG_LATIN} ") and names.endswith(" 张丽")
        assert cell_width(names) == (width if width <= 48 else 64)
    assert any(LONG_CHINESE in ln for ln in lines)


def test_the_same_day_gives_the_same_sheet(shop, settings):
    first = [eod_text(eod_summary(TODAY, settings), w) for w in WIDTHS]
    again = [eod_text(eod_summary(TODAY, settings), w) for w in WIDTHS]
    assert first == again


def test_wrap_keeps_every_character_and_breaks_between_chinese_characters():
    text = f"Owner 王店长 registered {LONG_CHINESE} and {LONG_LATIN} today"
    for width in (8, 10, 13, 32):
        lines = wrap(text, width)
        assert all(cell_width(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert wrap("司马欧阳慧琳娜", 6) == ["司马欧", "阳慧琳", "娜"]


def test_long_guide_names_shorten_visibly(summary):
    from dataclasses import replace

    long = replace(summary, callbacks=tuple(
        replace(r, guide=r.guide + "欧阳慧琳娜娜娜娜" if r.guide == "张丽" else r.guide)
        for r in summary.callbacks))
    lines = eod_text(long, 32).splitlines()
    row = next(ln for ln in lines if ln.startswith("张丽"))
    assert row == "张丽欧阳慧琳…   4    4    0    0"  # 13 columns: 12 and the …


def test_too_narrow_is_refused(summary):
    with pytest.raises(ValueError):
        eod_text(summary, 20)


# -- the command ---------------------------------------------------------------------------

@pytest.mark.parametrize("width", (32, 80))
def test_cli_prints_the_golden_sheet(shop, settings, clock, capsys, width):
    assert main(["--db", str(settings.database.path), "report", "eod", "--date", "2026-11-23",
                 "--width", str(width)], clock=clock) == 0
    assert capsys.readouterr().out == (GOLDEN / f"eod-{width}.txt").read_text(encoding="utf-8")


def test_cli_defaults_to_today_at_a4_and_writes_a_file(shop, settings, clock, tmp_path, capsys):
    out = tmp_path / "sheet.txt"
    assert main(["--db", str(settings.database.path), "report", "eod", "--out", str(out)], clock=clock) == 0
    assert capsys.readouterr().out == ""
    assert out.read_text(encoding="utf-8") == (GOLDEN / "eod-80.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("argv, words", [
    (["--width", "40"], "invalid choice: 40"),
    (["--date", "2026-13-01"], "is not a date"),
    (["--date", "2026-11-24"], "has not happened yet"),
])
def test_cli_bad_usage_is_status_2(shop, settings, clock, capsys, argv, words):
    try:
        code = main(["--db", str(settings.database.path), "report", "eod", *argv], clock=clock)
    except SystemExit as stop:  # argparse's own checks exit; the command's return 2
        code = stop.code
    assert code == 2
    assert words in capsys.readouterr().err


def test_cli_unwritable_out_is_status_2(shop, settings, clock, tmp_path, capsys):
    code = main(["--db", str(settings.database.path), "report", "eod",
                 "--out", str(tmp_path / "no" / "such" / "dir" / "x.txt")], clock=clock)
    assert code == 2 and "cannot write the sheet there" in capsys.readouterr().err


def _not_printed(settings, capsys, argv, monkeypatch=None) -> str:
    clock = Clock.frozen(NOW, settings.shop.zone)
    fallback = settings.database.path.parent / "eod-2026-11-23.txt"
    fallback.unlink(missing_ok=True)
    code = main(["--db", str(settings.database.path), "report", "eod", "--date", "2026-11-23",
                 "--width", "32", *argv], clock=clock)
    err = capsys.readouterr().err
    assert code == 1
    assert f"the end-of-day sheet for 2026-11-23 is in {fallback}" in err
    assert fallback.read_text(encoding="utf-8") == (GOLDEN / "eod-32.txt").read_text(encoding="utf-8")
    first = err.splitlines()[0]
    assert first.startswith("shopfloor: not printed: ")
    return first


def test_no_cups_installed(shop, settings, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp anywhere
    line = _not_printed(settings, capsys, ["--print"])
    assert "CUPS is not installed here (no 'lp' command)" in line


def test_cups_not_running(shop, settings, capsys, monkeypatch):
    if shutil.which("lp") is None:
        pytest.skip("needs CUPS's client (lp); the setup script installs it")
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")  # nothing listens there
    line = _not_printed(settings, capsys, ["--printer", PRINTER])
    assert "CUPS is not running or cannot be reached at CUPS_SERVER=127.0.0.1:9" in line


def test_the_out_file_is_kept_when_printing_fails(shop, settings, clock, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "mine.txt"
    code = main(["--db", str(settings.database.path), "report", "eod", "--date", "2026-11-23",
                 "--print", "--out", str(out)], clock=clock)
    assert code == 1 and f"is in {out}" in capsys.readouterr().err
    assert not (settings.database.path.parent / "eod-2026-11-23.txt").exists()
    assert out.read_text(encoding="utf-8") == (GOLDEN / "eod-80.txt").read_text(encoding="utf-8")


def test_no_file_either_puts_the_sheet_on_stdout(shop, settings, clock, capsys, monkeypatch, tmp_path):
    import tui.reports.eod

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(tui.reports.eod, "sheet_file", lambda db, day: tmp_path / "no" / "x.txt")
    code = main(["--db", str(settings.database.path), "report", "eod", "--date", "2026-11-23",
                 "--print"], clock=clock)
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
    assert "张丽" in printed and LONG_CHINESE in printed and "日结 End of day" in printed


def test_printing_to_no_such_printer(summary, cups_printer, settings, capsys, shop):
    line = _not_printed(settings, capsys, ["--printer", "no-such-printer"])
    assert "no printer named 'no-such-printer'" in line and PRINTER in line


def test_a_stopped_printer_is_a_failed_job(summary, cups_printer, settings, capsys, shop):
    line = _not_printed(settings, capsys, ["--printer", STOPPED])
    assert f"the printer {STOPPED} is stopped" in line and "cupsenable" in line
    subprocess.run(["cancel", "-a", STOPPED], capture_output=True)


def test_cli_print_succeeds(shop, settings, clock, capsys, cups_printer):
    code = main(["--db", str(settings.database.path), "report", "eod", "--date", "2026-11-23",
                 "--width", "42", "--printer", cups_printer], clock=clock)
    out = capsys.readouterr().out
    assert code == 0 and out.startswith(f"Printed the end-of-day sheet for 2026-11-23 on "
                                        f"{cups_printer} (job {cups_printer}-")


# -- the PostScript ----------------------------------------------------------------------------

def test_postscript_is_the_same_every_time_and_sized_for_the_paper(summary):
    text = eod_text(summary, 32)
    first = report_postscript(text, 32, "eod")
    assert first == report_postscript(text, 32, "eod")
    assert b"%%DocumentMedia: 58mmreceipt 164.41" in first
    assert b"/uni5F20" in first  # 张, drawn from the font and named for its code point
    a4 = report_postscript(eod_text(summary, 80), 80, "eod")
    assert b"/PageSize [595.28 841.89]" in a4 and b"%%Pages: 2" in a4


def test_a_missing_font_is_a_print_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOPFLOOR_CJK_FONT", str(tmp_path / "nothing.ttc"))
    with pytest.raises(PrintError, match="no font file"):
        report_postscript("张丽", 32)


def test_layouts_by_width():
    assert page_layout(32).name == "58 mm receipt" and page_layout(32).cell == 1.5
    assert page_layout(42).name == page_layout(48).name == "80 mm receipt"
    assert page_layout(48).cell == 1.5
    assert page_layout(80).name == "A4" and page_layout(80).lines_per_page() == 45


def test_eod_module_has_no_clock():
    """Nothing on the sheet may depend on when it is printed."""
    source = Path(eod.__file__).read_text(encoding="utf-8")
    assert "utc_now" not in source and "datetime.now" not in source and "date.today" not in source


# -- the preview screen --------------------------------------------------------------------------

async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _app(settings, shop):
    from tui.app import ShopfloorApp

    return ShopfloorApp(settings, user_id=shop["boss"], clock=Clock.frozen(NOW))


def _sheet(app) -> str:
    return str(app.screen.query_one("#eod-sheet").render())


async def test_preview_shows_the_sheet_and_w_cycles_the_widths(shop, settings):
    from tui.screens.report import EodScreen

    app = _app(settings, shop)
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        app.push_screen(EodScreen())
        await _settle(pilot)
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


async def test_preview_prints_on_the_printer_chosen(shop, settings, cups_printer):
    from tui.screens.report import EodScreen, PrinterForm

    app = _app(settings, shop)
    notes: list[tuple[str, str]] = []
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        app.notify = lambda text, **kw: notes.append((kw.get("severity", "information"), text))
        app.push_screen(EodScreen())
        await _settle(pilot)
        await pilot.press("w")  # 32 columns
        await pilot.press("P")
        await _settle(pilot)
        assert isinstance(app.screen, PrinterForm)
        app.screen.query_one("#printer-name").value = ""
        await pilot.press(*cups_printer, "enter")
        await _settle(pilot)
        assert isinstance(app.screen, EodScreen) and app.screen.printer == cups_printer
        printed = [t for sev, t in notes if t.startswith("Printed on")]
        assert printed and f"Printed on {cups_printer} (job {cups_printer}-" in printed[0]
        job = re.search(r"job (\S+)\)", printed[0]).group(1)
        done = subprocess.run(["lpstat", "-W", "completed", "-o", cups_printer],
                              capture_output=True, text=True).stdout.split()
        assert job in done
        # a printer that has stopped: the error is shown and the sheet kept beside the database
        app.screen.printer = STOPPED
        await pilot.press("p")
        await _settle(pilot)
        errors = [t for sev, t in notes if sev == "error"]
        saved = settings.database.path.parent / "eod-2026-11-23.txt"
        assert errors and f"the printer {STOPPED} is stopped" in errors[-1]
        assert f"The sheet is in {saved}" in errors[-1]
        assert saved.read_text(encoding="utf-8") == (GOLDEN / "eod-32.txt").read_text(encoding="utf-8")
    subprocess.run(["cancel", "-a", STOPPED], capture_output=True)


@pytest.mark.parametrize("width", (80, 32))
def test_preview_snapshot(shop, settings, snap_compare, width):
    from tui.screens.report import EodScreen

    async def open_sheet(pilot):
        await _settle(pilot)
        pilot.app.push_screen(EodScreen(width=width))
        await _settle(pilot)

    assert snap_compare(_app(settings, shop), terminal_size=(84, 30), run_before=open_sheet)
