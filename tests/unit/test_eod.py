"""The end-of-day sheet: its figures on a hand-built day (eod_day.py), cross-checked
against the screens' query functions, and its layouts against golden files."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from eod_day import LONG_CHINESE, LONG_LATIN
from eod_shop import GOLDEN, shop, summary  # noqa: F401 (its fixtures, used by name)
from fixture_shop import TODAY, build_fixture_shop
from tui.db.boards.boards import leaderboard
from tui.db.boards.drill import drill_down
from tui.db.boards.periods import make_period
from tui.db.callbacks.queue import callback_queue
from tui.db.day import sales_after_contacts
from tui.db.models import Member
from tui.db.pdca.check import plan_check
from tui.db.pdca.view import plan_list
from tui.db.staff import active_guides
from tui.i18n import use_language
from tui.reports import eod
from tui.reports.eod import WIDTHS, eod_summary, eod_text, wrap
from tui.reports.postscript import PrintError, page_layout, report_postscript
from tui.reports.text import cell_width


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
    from tui.db.members.purchases import SaleLine, record_purchase
    from tui.db.models import Product

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
def test_golden_sheet_zh(summary, width):
    """The sheet wholly in Chinese: tests/golden/eod-zh-*.txt, checked by eye that it lines
    up (Chinese two columns wide)."""
    use_language("zh-CN")
    text = eod_text(summary, width)
    path = GOLDEN / f"eod-zh-{width}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert all(cell_width(line) <= width for line in lines)
    # no English word but the data (the shop's and the members' names) and the program's
    data = {"Beibei", "Mother", "Baby", "Anastasia", "Konstantinopoulou", "Konsta", "Shopfloor"}
    assert set(re.findall(r"[A-Za-z]{3,}", text)) <= data
    table = lines[lines.index(next(ln for ln in lines if ln.startswith("导购"))):][:4]
    assert len({cell_width(line) for line in table}) == 1


def test_the_english_sheet_has_no_chinese_words_but_the_data(summary):
    text = eod_text(summary, 80)
    data = set("贝贝母婴司马欧阳慧琳娜张丽刘芳飞鹤复购—…·")
    assert {ch for ch in text if not ch.isascii()} <= data | {"¥"}


def test_a_bilingual_heading_when_the_setting_asks(shop, settings):
    from dataclasses import replace

    both = replace(settings, printing=replace(settings.printing, bilingual_heading=True))
    english = eod_text(eod_summary(TODAY, both), 80).splitlines()
    assert english[1].startswith("日结 End of day ") and english[1].endswith("2026-11-23 Mon")
    assert "当日到期回访 Callbacks due on the day" in english
    assert "明日回访 Tomorrow's queue" in english[-7]
    assert "Shopfloor · 日结 End of day 2026-11-23" in english[-1]
    use_language("zh-CN")
    chinese = eod_text(eod_summary(TODAY, both), 32).splitlines()
    assert chinese[1].startswith("日结 End of day") and "周一" in chinese[1]
    assert "导购" in "".join(chinese) and "guide" not in "".join(chinese)


def test_the_bilingual_heading_setting_is_optional_and_checked(tmp_path):
    from settings_files import variant
    from tui.settings import SettingsError, load_settings

    on = variant(tmp_path, "bilingual_heading = false", "bilingual_heading = true")
    assert load_settings(on).printing.bilingual_heading is True
    older = variant(tmp_path, "bilingual_heading = false", "", name="older.toml")
    assert load_settings(older).printing.bilingual_heading is False  # before issue 13
    bad = variant(tmp_path, "bilingual_heading = false", 'bilingual_heading = "yes"',
                  name="bad.toml")
    with pytest.raises(SettingsError, match="printing.bilingual_heading: expected true or false"):
        load_settings(bad)


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


# -- old rows full of escapes ------------------------------------------------------------------

def test_old_dirty_names_print_as_the_names_alone(shop, settings):
    """A member's and a plan's name written before the checks, with every escape of
    tests/payloads.py: the sheet and its PostScript are the golden ones, byte for byte."""
    from payloads import dirty
    from tui.db.models import Plan

    Member.update(name=dirty("司马欧阳慧琳娜")).where(Member.member_no == "M000010").execute()
    Plan.update(name=dirty("飞鹤复购")).execute()
    for width in WIDTHS:
        text = eod_text(eod_summary(TODAY, settings), width)
        golden = (GOLDEN / f"eod-{width}.txt").read_text(encoding="utf-8")
        assert text == golden
    assert report_postscript(text, 80, "eod") == report_postscript(golden, 80, "eod")
