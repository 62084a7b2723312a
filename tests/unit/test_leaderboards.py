"""The leaderboards on the small shop built by hand in board_shop.py (its docstring has
every figure); each expected figure is worked out below in the comments.
Definitions: docs/leaderboards.md."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from board_shop import NOW, TODAY, board, period, shop, table, utc  # noqa: F401 (its fixtures, used by name)
from tui.db.archive_log import ARCHIVE_ACTION, archive_bits_sql, parse_change_words
from tui.db.boards.drill import drill_down
from tui.db.boards.figures import BOARDS, BoardError, Rate, derived_columns_paused
from tui.db.boards.periods import PeriodError, parse_period
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.members.archive import merge_members, update_member
from tui.db.members.card import member_card, set_consent
from tui.db.members.purchases import SaleLine, record_purchase
from tui.db.migrations.make_m09 import proposed_schema
from tui.db.models import AuditLog, Child, Contact, Member, Purchase, database
from tui.db.staff import active_guides
from tui.reports.leaderboards import board_csv, board_json, board_records, board_text, figure_words
from tui.reports.text import cell_width


ZONE = ZoneInfo("Asia/Shanghai")


# -- periods ----------------------------------------------------------------------------------

def test_periods_in_the_shop_zone():
    p = parse_period("today", TODAY, ZONE)
    assert (p.first_day, p.last_day, p.start, p.end) == (
        TODAY, TODAY, datetime(2026, 11, 24, 16), datetime(2026, 11, 25, 16))
    week = parse_period("week", TODAY, ZONE)
    assert (week.first_day, week.last_day) == (date(2026, 11, 23), date(2026, 11, 29))
    sunday = parse_period("week", TODAY, ZONE, "sunday")
    assert (sunday.first_day, sunday.last_day) == (date(2026, 11, 22), date(2026, 11, 28))
    month = parse_period("month", TODAY, ZONE)
    assert (month.first_day, month.last_day, month.start, month.end) == (
        date(2026, 11, 1), date(2026, 11, 30), datetime(2026, 10, 31, 16), datetime(2026, 11, 30, 16))
    feb = parse_period("month", date(2028, 2, 10), ZONE)
    assert feb.last_day == date(2028, 2, 29)
    span = parse_period(" 2026-11-01..2026-11-22 ", TODAY, ZONE)
    assert (span.kind, span.days, span.text) == ("range", 22, "2026-11-01..2026-11-22")
    one = parse_period("2026-11-03", TODAY, ZONE)
    assert (one.first_day, one.last_day, one.label) == (date(2026, 11, 3), date(2026, 11, 3), "2026-11-03")
    assert week.label == "this week 2026-11-23..2026-11-29" and month.label == "this month 2026-11"


def test_a_day_with_a_daylight_saving_change_has_23_hours():
    berlin = ZoneInfo("Europe/Berlin")
    p = parse_period("2026-03-29..2026-03-29", TODAY, berlin)
    assert (p.start, p.end) == (datetime(2026, 3, 28, 23), datetime(2026, 3, 29, 22))


@pytest.mark.parametrize("text, words", [
    ("2026-11-30..2026-11-01", "ends before it starts"),
    ("yesterday", "not a period"),
    ("2026-11-01..", "give both days"),
    ("2026-13-01..2026-12-01", "not a day"),
    ("", "no period given"),
])
def test_bad_periods_are_one_line(text, words):
    with pytest.raises(PeriodError) as err:
        parse_period(text, TODAY, ZONE)
    assert words in str(err.value) and "\n" not in str(err.value)


# -- the boards, figure by figure ----------------------------------------------------------------

def test_only_active_guides_are_ranked(shop):
    assert [name for _, name in active_guides(by_name=True)] == ["陈静", "刘芳", "张丽"]  # chen liu zhang


def test_visits(shop, settings):
    # today: 张丽 c1 (care, reached M1); 刘芳 c7 (care), c8: reached M4, M5.
    # c11 (inactive 赵雪) and c12 (the manager) count for nobody on the board.
    assert table(board("visits", "today", settings)) == [
        (1, "刘芳", 2, 2, 1), (2, "张丽", 1, 1, 1), (3, "陈静", 0, 0, 0)]
    # week: 张丽 c1, c2 (M1 reached) and c4 (wrong number: not reached); c3 was Sunday.
    # 刘芳 c7, c8, c9: M4, M5 reached. 3 contacts each: both first, then rank 3.
    assert table(board("visits", "week", settings)) == [
        (1, "刘芳", 3, 2, 1), (1, "张丽", 3, 1, 1), (3, "陈静", 0, 0, 0)]
    # month: 张丽 c1–c5 (c6 was 31 Oct): M1, M3 reached (M2 never: no answer, wrong number),
    # care c1, c3. 刘芳 c7–c10: M4, M5, M6 reached, care c7, c10.
    assert table(board("visits", "month", settings)) == [
        (1, "张丽", 5, 2, 2), (2, "刘芳", 4, 3, 2), (3, "陈静", 0, 0, 0)]
    # 1–22 Nov: 张丽 c3 (the day's last second), c5; 刘芳 c10.
    assert table(board("visits", "2026-11-01..2026-11-22", settings)) == [
        (1, "张丽", 2, 1, 1), (2, "刘芳", 1, 1, 1), (3, "陈静", 0, 0, 0)]
    # ranked on members reached instead
    assert table(board("visits", "month", settings, rank_by="reached"))[0][:2] == (1, "刘芳")


def test_callbacks_done_on_time(shop, settings):
    # week: 张丽 k1 on time (23:59:59 on its day), k2 late (00:00 the next day), k3 missed,
    # k4 due today and open, k6 done two days early; k5 not due yet and k7 cancelled are
    # left out: 2 of 5 on time. 刘芳 k9, k10 on time: 2 of 2.
    assert table(board("callbacks", "week", settings)) == [
        (1, "刘芳", 2, Rate(2, 2), 0, 0), (2, "张丽", 2, Rate(2, 5), 1, 2),
        (3, "陈静", 0, Rate(0, 0), 0, 0)]
    # month adds k8 (due 10 Nov, done the day before): 张丽 3 of 6.
    assert table(board("callbacks", "month", settings)) == [
        (1, "刘芳", 2, Rate(2, 2), 0, 0), (2, "张丽", 3, Rate(3, 6), 1, 2),
        (3, "陈静", 0, Rate(0, 0), 0, 0)]
    # today: 张丽 k4 open (0 of 1); 刘芳 k9 (1 of 1); 0/1 and 0/0 both rank as nothing done.
    assert table(board("callbacks", "today", settings)) == [
        (1, "刘芳", 1, Rate(1, 1), 0, 0), (2, "陈静", 0, Rate(0, 0), 0, 0),
        (2, "张丽", 0, Rate(0, 1), 0, 1)]  # a tie by name in pinyin order: chen before zhang


def test_follow_up_success_day_n_counts_day_n_plus_one_does_not(shop, settings):
    # month, N = 14: 张丽 c1, c2 (M1 bought 25 Nov 08:00), c5 (M3 bought 15 Nov 23:59:59,
    # day 14) succeed; c3, c4 (M2 never bought) do not: 3 of 5. 刘芳: c8 (M5 bought five
    # minutes later) succeeds; c10 (M6 bought on day 15) and c9 (M4 bought an hour before)
    # and c7 do not: 1 of 4.
    assert settings.leaderboards.follow_up_success_days == 14
    assert table(board("follow_up", "month", settings)) == [
        (1, "张丽", 5, 3, Rate(3, 5)), (2, "刘芳", 4, 1, Rate(1, 4)), (3, "陈静", 0, 0, Rate(0, 0))]
    # today: c1 and c8 succeed: one each, a tie.
    assert table(board("follow_up", "today", settings)) == [
        (1, "刘芳", 2, 1, Rate(1, 2)), (1, "张丽", 1, 1, Rate(1, 1)), (3, "陈静", 0, 0, Rate(0, 0))]
    p = period("month", settings)
    liu = drill_down("follow_up", "contacts", shop["liu"], p, settings, TODAY, limit=None)
    verdict = {ln.contact_id: (ln.success, ln.bought_at) for ln in liu.lines}
    assert verdict[shop["c10"]] == (False, datetime(2026, 11, 17, 0, 0))  # day 15: too late
    assert verdict[shop["c9"]] == (False, None)  # bought before the contact, not after
    zhang = drill_down("follow_up", "followed", shop["zhang"], p, settings, TODAY, limit=None)
    assert [ln.contact_id for ln in zhang.lines] == [shop["c1"], shop["c2"], shop["c5"]]
    assert zhang.lines[2].bought_at == datetime(2026, 11, 15, 23, 59, 59)  # day 14: in time


def test_archive_completeness(shop, settings):
    q = Fraction(84, 135)
    # month: 刘芳 2 complete, 张丽 1; both average 84/135; gained 张丽 +8/45, 刘芳 +1/45 − 1/45.
    assert table(board("archive", "month", settings)) == [
        (1, "刘芳", 3, 2, q, Fraction(0)), (2, "张丽", 3, 1, q, Fraction(8, 45)),
        (3, "陈静", 0, 0, Fraction(0), Fraction(0))]
    assert [r.figures["gained"] for r in board("archive", "today", settings).rows] == [
        Fraction(0), Fraction(4, 45), Fraction(0)]
    assert [r.figures["gained"] for r in board("archive", "week", settings).rows] == [
        Fraction(0), Fraction(8, 45), Fraction(0)]
    # one day: a3 alone
    assert board("archive", "2026-11-10..2026-11-10", settings).rows[0].figures["gained"] == \
        Fraction(1, 45)
    # the equal averages share first place
    by_quality = board("archive", "month", settings, rank_by="quality")
    assert [(r.rank, r.guide) for r in by_quality.rows] == [(1, "刘芳"), (1, "张丽"), (3, "陈静")]
    by_gain = board("archive", "week", settings, rank_by="gained")
    assert [(r.rank, r.guide) for r in by_gain.rows] == [(1, "张丽"), (2, "陈静"), (2, "刘芳")]


def test_archive_figures_agree_with_each_members_card(shop, settings):
    p = period("month", settings)
    for guide in ("zhang", "liu"):
        page = drill_down("archive", "members", shop[guide], p, settings, TODAY, limit=None)
        assert page.total == 3
        for line in page.lines:
            card = member_card(line.member_id, TODAY, settings).completeness
            assert (line.hard_filled, line.soft_filled) == (card.hard_filled, card.soft_filled)
            assert line.complete == (card.score >= settings.archive.complete_threshold)
            assert float(line.score) == pytest.approx(card.score, abs=1e-12)
    m5 = member_card(shop["m5"], TODAY, settings).completeness
    assert (m5.hard_filled, m5.soft_filled, m5.percent) == (8, 7, 80)


def test_every_figure_drills_down_to_what_is_behind_it(shop, settings):
    for name in BOARDS:
        for text in ("today", "week", "month", "2026-11-01..2026-11-22"):
            b = board(name, text, settings)
            for row in b.rows:
                for col in b.columns:
                    page = drill_down(name, col.key, row.guide_id, b.period, settings, TODAY,
                                      limit=None)
                    value = row.figures[col.key]
                    assert page.total == len(page.lines)
                    if isinstance(value, Rate):
                        marked = [ln for ln in page.lines
                                  if getattr(ln, "on_time", None) or getattr(ln, "success", None)]
                        assert (len(marked), page.total) == (value.done, value.of), (name, col.key)
                    elif col.kind == "count":
                        assert page.total == value, (name, text, row.guide, col.key)
                    elif col.kind == "percent":
                        assert (sum((ln.score for ln in page.lines), Fraction(0))
                                / max(1, page.total)) == value
                    else:
                        assert sum((ln.gained for ln in page.lines), Fraction(0)) == value


def test_drill_down_lists_the_contacts_behind_a_count(shop, settings):
    p = period("week", settings)
    page = drill_down("visits", "contacts", shop["zhang"], p, settings, TODAY)
    assert [ln.contact_id for ln in page.lines] == [shop["c1"], shop["c2"], shop["c4"]]
    assert page.lines[0].at == datetime(2026, 11, 25, 0, 0)  # shown in shop time
    reached = drill_down("visits", "reached", shop["liu"], p, settings, TODAY)
    assert [(ln.member, ln.contacts) for ln in reached.lines] == [("孙丽丽", 1), ("赵敏", 2)]
    late = drill_down("callbacks", "late", shop["zhang"], p, settings, TODAY)
    assert [ln.callback_id for ln in late.lines] == [shop["k2"]]
    by = drill_down("callbacks", "on_time", shop["liu"], p, settings, TODAY)
    assert [(ln.callback_id, ln.closed_by) for ln in by.lines] == [(shop["k9"], "刘芳"),
                                                                   (shop["k10"], None)]
    gained = drill_down("archive", "gained", shop["zhang"], p, settings, TODAY)
    assert [(ln.member, ln.gained) for ln in gained.lines] == [("李娜", Fraction(8, 45))]
    paged = drill_down("visits", "contacts", shop["zhang"], period("month", settings), settings,
                       TODAY, limit=2, offset=2)
    assert paged.total == 5 and [ln.contact_id for ln in paged.lines] == [shop["c4"], shop["c3"]]


def test_unknown_board_or_figure(shop, settings):
    with pytest.raises(BoardError, match="no board 'sales'"):
        board("sales", "today", settings)
    with pytest.raises(BoardError, match="no figure 'speed'"):
        board("visits", "today", settings, rank_by="speed")


# -- archive work is recorded as it happens ------------------------------------------------------

def test_archive_work_is_written_to_the_audit_log(shop, settings):
    def archive_lines():
        return [(a.subject, a.staff_id, a.detail) for a in AuditLog.select().where(
            AuditLog.action == ARCHIVE_ACTION).order_by(AuditLog.id)]

    assert archive_lines() == [
        ("M000002", shop["zhang"], "filled accepts_promotions"),
        ("M000002", shop["zhang"], "filled family"),
        ("M000006", shop["liu"], "filled email"),
        ("M000006", shop["liu"], "emptied email"),
        ("M000008", shop["boss"], "filled occupation"),
    ]
    # an answer given again fills nothing; declining by a contact fills it the first time
    set_consent(shop["m2"], NOW, settings, promotions=False, staff_id=shop["zhang"])
    log_contact(ContactEntry(shop["m6"], shop["liu"], "phone", "declined_promotions"),
                settings.callbacks, settings.shop.zone, NOW)
    assert archive_lines()[5:] == [("M000006", shop["liu"], "filled accepts_promotions")]
    # one edit filling two fields and emptying one: one line, fields in settings order
    update_member(shop["m3"], {"name": "陈晓燕", "values": "诚信", "email": "c@example.com",
                               "occupation": ""}, shop["zhang"], NOW, settings)
    assert archive_lines()[6:] == [("M000003", shop["zhang"],
                                    "filled email, values; emptied occupation")]
    assert parse_change_words("filled email, values; emptied occupation") == (
        ["email", "values"], ["occupation"])


def test_the_stored_figures_change_no_figure_and_follow_every_write(shop, settings, monkeypatch):
    """Migration 9 stores archive bits and each contact's next purchase (proposed_schema(),
    frozen); the boards must read the same from them as from the archives themselves."""
    import tui.db.boards.figures as figures
    from tui.db.migrations.m09_leaderboards import STEPS as STATEMENTS

    assert tuple(s.rstrip(";") for s in proposed_schema()) == STATEMENTS
    texts = ("today", "week", "month", "2026-11-01..2026-11-22")
    monkeypatch.setattr(figures, "has_column", lambda table, column: False)  # read live
    before = {(name, text): board_records(board(name, text, settings))
              for name in BOARDS for text in texts}
    drills = {(name, col.key, text): drill_down(name, col.key, shop["zhang"], period(text, settings),
                                                settings, TODAY, limit=None).lines
              for name in BOARDS for col in board(name, "today", settings).columns
              for text in texts}
    monkeypatch.undo()  # read the stored figures
    assert {(name, text): board_records(board(name, text, settings))
            for name in BOARDS for text in texts} == before
    assert {(name, col.key, text): drill_down(name, col.key, shop["zhang"], period(text, settings),
                                              settings, TODAY, limit=None).lines
            for name in BOARDS for col in board(name, "today", settings).columns
            for text in texts} == drills

    def stored_equals_live() -> bool:
        bits = database.execute_sql(
            f"SELECT m.archive_bits = ({archive_bits_sql('m')}) FROM member m").fetchall()
        nexts = database.execute_sql(
            "SELECT c.next_purchase_at IS (SELECT MIN(p.purchased_at) FROM purchase p "
            "WHERE p.member_id = c.member_id AND p.purchased_at > c.contacted_at) "
            "FROM contact c").fetchall()
        return all(ok for (ok,) in bits + nexts)

    def next_buy(contact_key: str) -> str | None:
        return database.execute_sql("SELECT next_purchase_at FROM contact WHERE id = ?",
                                    [shop[contact_key]]).fetchone()[0]

    assert stored_equals_live()
    assert next_buy("c10") == str(utc("2026-11-17 00:00:00"))
    rules, zone = settings.callbacks, settings.shop.zone
    update_member(shop["m3"], {"name": "陈晓燕", "values": "诚信", "occupation": ""},
                  shop["zhang"], NOW, settings)
    child = Child.create(member=shop["m6"], name="乐乐", birth_date=date(2025, 1, 1))
    assert stored_equals_live()
    Child.update(member=shop["m5"]).where(Child.id == child.id).execute()
    assert stored_equals_live()
    Child.delete().where(Child.id == child.id).execute()
    Member.create(member_no="M000010", name="新会员", joined_on=TODAY, created_at=NOW,
                  owner=shop["liu"], hobbies="跑步")
    # a sale after 李娜's contacts, and one written out of order before them
    record_purchase(shop["m2"], None, [SaleLine(1, 1, 100)], rules, zone, NOW)
    record_purchase(shop["m2"], None, [SaleLine(1, 1, 100)], rules, zone, utc("2026-11-22 12:00"))
    log_contact(ContactEntry(shop["m2"], shop["zhang"], "phone", "reached"), rules, zone,
                NOW + timedelta(minutes=5))
    assert stored_equals_live()
    assert next_buy("c3") == str(NOW)  # c3 came after the 12:00 sale on 22 Nov
    assert next_buy("c4") == str(NOW)
    # 王芳 and 李娜 are one person: 李娜's purchases and contacts move to 王芳
    merge_members(shop["m1"], shop["m2"], shop["boss"], NOW, settings)
    assert stored_equals_live()
    Purchase.delete().where(Purchase.member == shop["m4"]).execute()
    assert stored_equals_live()
    assert table(board("archive", "month", settings))[0][:4] == (1, "刘芳", 4, 2)
    # a bulk load (the demo's) sets the triggers aside and works both columns out once
    with database.atomic(), derived_columns_paused():
        Child.create(member=shop["m3"], name="二宝", birth_date=date(2026, 1, 1))
        Purchase.create(member=shop["m5"], staff=None, purchased_at=NOW)
        Contact.create(member=shop["m5"], staff=shop["liu"], contacted_at=utc("2026-11-24 09:00"),
                       channel="sms", outcome="reached")
        Member.update(email="s@example.com").where(Member.id == shop["m5"]).execute()
    assert stored_equals_live()
    assert database.execute_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                ).fetchone()[0] == 11


# -- reports and the command-line twin ---------------------------------------------------------------

def test_figure_words():
    assert figure_words(Rate(12, 15), "rate") == "12/15 80%"
    assert figure_words(Rate(0, 0), "rate") == "0/0 —"
    assert figure_words(Rate(1, 8), "rate") == "1/8 13%"  # 12.5 rounds half up
    assert figure_words(Fraction(84, 135), "percent") == "62.2%"
    assert figure_words(Fraction(8, 45), "points") == "+17.8"
    assert figure_words(Fraction(-1, 45), "points") == "-2.2"
    assert figure_words(Fraction(0), "points") == "0.0"
    assert figure_words(1234, "count") == "1,234"


def test_text_report_lines_up_chinese_names(shop, settings):
    text = board_text(board("callbacks", "week", settings), "贝贝母婴", width=80)
    rows = [ln for ln in text.splitlines() if ln[:3].strip().isdigit()]
    assert len(rows) == 3
    assert len({cell_width(ln) for ln in rows}) == 1  # every row ends in the same column
    assert "2/5 40%" in text and "2/2 100%" in text


def test_csv_and_json(shop, settings):
    b = board("callbacks", "month", settings)
    lines = board_csv(b).splitlines()
    assert lines[0] == "rank,guide_id,guide,on_time,rate_done,rate_of,late,not_done"
    assert lines[2] == f"2,{shop['zhang']},张丽,3,3,6,1,2"
    doc = json.loads(board_json(b))
    assert doc["rows"][1]["figures"]["rate"] == {"done": 3, "of": 6, "percent": 50.0}
    assert doc["period"]["first_day"] == "2026-11-01" and doc["rank_by"] == "rate"
