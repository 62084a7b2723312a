"""Today's queue and logging contacts, on the hand-built shop (see fixture_shop.py for the sums)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fixture_shop import NOW, TODAY
from tui.db.callbacks.contacts import ContactEntry, ContactError, log_contact, parse_next_date
from tui.db.callbacks.queue import callback_queue
from tui.db.callbacks.raising import refresh_member, refresh_shop
from tui.db.members.purchases import SaleLine, record_purchase
from tui.db.models import Callback, Contact, Member


def queue(settings, day=TODAY, guide=None):
    return callback_queue(day, settings.callbacks, settings.shop.zone, guide_id=guide, limit=None)


def test_queue_order_reasons_and_counts(shop, settings):
    page = queue(settings)
    assert [(ln.name, ln.days_overdue, [r.reason for r in ln.reasons]) for ln in page.lines] == [
        ("陈晓燕", 9, ["birthday", "running_out"]),  # diapers due 14 Nov: 9 days; birthday due 22 Nov
        ("周婷", 2, ["complaint"]),                  # 2 days, complaint is priority 1 ...
        ("黄小梅", 2, ["birthday"]),                 # ... birthday priority 4
        ("李娜", 0, ["follow_up"]),                  # today: follow-up 2, call back 3,
        ("孙丽丽", 0, ["scheduled"]),                # running out 5, dormant 7
        ("王芳", 0, ["running_out"]),
        ("赵敏", 0, ["dormant"]),
    ]
    assert (page.counts.due, page.counts.overdue, page.counts.done_today) == (7, 3, 0)
    first = page.lines[0]
    assert first.due_on == date(2026, 11, 14)
    assert first.phone_tail == "3456" and first.owner == "刘芳" and first.last_contact_at is None
    assert page.lines[4].last_contact_at == datetime(2026, 11, 20, 19, 0)  # shown in shop time


def test_pages_of_the_queue(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    page = callback_queue(TODAY, rules, zone, limit=2, offset=2)
    assert [ln.name for ln in page.lines] == ["黄小梅", "李娜"]
    assert (page.counts.due, page.counts.overdue, page.offset) == (7, 3, 2)
    past_the_end = callback_queue(TODAY, rules, zone, limit=2, offset=100)
    assert past_the_end.lines == [] and (past_the_end.counts.due, past_the_end.counts.overdue) == (7, 3)


def test_refused_and_do_not_contact_members_are_not_called(shop, settings):
    names = {ln.name for ln in queue(settings).lines}
    assert "吴静" not in names  # refused promotions: no running-out call
    assert "郑雪" not in names  # do not contact: not even the follow-up
    reasons = {c.reason for c in Callback.select().where(Callback.member == shop["wujing"],
                                                          Callback.status == "open")}
    assert "running_out" not in reasons and "dormant" not in reasons
    assert Callback.select().where(Callback.member == shop["zhengxue"],
                                   Callback.status == "open").count() == 0


def test_a_guide_sees_only_their_own_callbacks(shop, settings):
    page = queue(settings, guide=shop["zhang"])
    assert [ln.name for ln in page.lines] == ["李娜", "孙丽丽", "王芳"]
    assert page.guide == "张丽"
    assert (page.counts.due, page.counts.overdue) == (3, 0)


def test_the_queue_of_another_day(shop, settings):
    # 24 Nov: everything of 23 Nov is one day later; 周婷's complaint is 3 days late.
    page = queue(settings, day=date(2026, 11, 24))
    assert page.lines[1].name == "周婷" and page.lines[1].days_overdue == 3


def test_generation_is_idempotent(shop, settings):
    before = list(Callback.select().order_by(Callback.id).tuples())
    assert refresh_shop(TODAY, settings.callbacks, settings.shop.zone, NOW) == (0, 0, 0)
    for member_id in shop.values():
        if Member.get_or_none(Member.id == member_id):
            assert not refresh_member(member_id, TODAY, settings.callbacks, settings.shop.zone, NOW)
    assert list(Callback.select().order_by(Callback.id).tuples()) == before


def test_reached_contact_completes_due_callbacks_and_the_line_leaves(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    logged = log_contact(ContactEntry(shop["chenxiaoyan"], shop["liu"], "phone", "reached", True,
                                      "下周来买"), rules, zone, NOW)
    assert logged.callbacks_done == 2 and logged.next_contact_on is None
    done = Callback.select().where(Callback.member == shop["chenxiaoyan"], Callback.status == "done")
    assert sorted((c.reason, c.contact_id) for c in done) == [
        ("birthday", logged.contact_id), ("running_out", logged.contact_id)]
    page = queue(settings)
    assert "陈晓燕" not in [ln.name for ln in page.lines]
    assert (page.counts.due, page.counts.overdue, page.counts.done_today) == (6, 2, 1)


def test_no_answer_books_a_retry_tomorrow(shop, settings):
    logged = log_contact(ContactEntry(shop["wangfang"], shop["zhang"], "phone", "no_answer"),
                         settings.callbacks, settings.shop.zone, NOW)
    assert logged.next_contact_on == date(2026, 11, 24)  # no_answer_retry_days = 1
    retry = Callback.get(Callback.member == shop["wangfang"], Callback.reason == "scheduled")
    assert (retry.due_on, retry.status, retry.owner_id) == (date(2026, 11, 24), "open", shop["zhang"])
    tomorrow = queue(settings, day=date(2026, 11, 24))
    assert [r.reason for r in next(ln for ln in tomorrow.lines if ln.name == "王芳").reasons] == [
        "scheduled"]


def test_declined_promotions_opts_out_and_cancels_sales_calls(shop, settings):
    # 黄小梅: 2 packs × 10 days on 15 Nov run out 5 Dec; reminder 30 Nov (open, not yet due). Her son's birthday call
    # (due 21 Nov) is due. Her dormant date (16 Nov contact + 30, 15 Nov + 90 = 13 Feb) is
    # beyond the 31-day look-ahead, so not raised yet.
    def open_now():
        return {(c.reason, c.due_on) for c in Callback.select().where(
            Callback.member == shop["huangxiaomei"], Callback.status == "open")}

    assert open_now() == {("running_out", date(2026, 11, 30)), ("birthday", date(2026, 11, 21))}
    logged = log_contact(ContactEntry(shop["huangxiaomei"], shop["liu"], "phone",
                                      "declined_promotions"), settings.callbacks,
                         settings.shop.zone, NOW)
    assert logged.opted_out and logged.callbacks_done == 1  # the birthday call
    m = Member.get_by_id(shop["huangxiaomei"])
    assert m.accepts_promotions is False and m.promotions_set_at == NOW
    assert open_now() == set()
    reminder = Callback.get(Callback.member == shop["huangxiaomei"], Callback.reason == "running_out")
    assert (reminder.status, reminder.closed_at) == ("cancelled", NOW)


def test_do_not_contact_cancels_everything(shop, settings):
    log_contact(ContactEntry(shop["lina"], shop["zhang"], "phone", "do_not_contact"),
                settings.callbacks, settings.shop.zone, NOW)
    assert Member.get_by_id(shop["lina"]).do_not_contact is True
    assert Callback.select().where(Callback.member == shop["lina"], Callback.status == "open").count() == 0


def test_complaint_books_a_feedback_call(shop, settings):
    logged = log_contact(ContactEntry(shop["zhaomin"], shop["liu"], "in_store", "complaint", False,
                                      "奶粉结块"), settings.callbacks, settings.shop.zone, NOW)
    assert logged.next_contact_on == date(2026, 11, 25)  # complaint_feedback_days = 2
    cb = Callback.get(Callback.member == shop["zhaomin"], Callback.reason == "complaint")
    assert (cb.due_on, cb.detail) == (date(2026, 11, 25), "奶粉结块")


def test_a_repurchase_replaces_the_running_out_reminder(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    formula = 1  # 飞鹤星飞帆3段, 7.5 days a can
    # 王芳's 12 cans of 30 Aug last until 28 Nov; 4 more cans today (30 days) are used after
    # them: 28 Nov + 30 = 28 Dec, reminder 5 days before: 23 Dec.
    record_purchase(shop["wangfang"], shop["zhang"], [SaleLine(formula, 4, 140_000)], rules, zone, NOW)
    reminders = {c.source_key: (c.status, c.due_on) for c in Callback.select().where(
        Callback.member == shop["wangfang"], Callback.reason == "running_out")}
    assert reminders == {"飞鹤/formula:2026-08-30": ("cancelled", date(2026, 11, 23)),
                         "飞鹤/formula:2026-11-23": ("open", date(2026, 12, 23))}
    follow = Callback.get(Callback.member == shop["wangfang"], Callback.reason == "follow_up",
                          Callback.status == "open")
    assert follow.due_on == date(2026, 11, 24)  # 11:30 + 24 h
    m = Member.get_by_id(shop["wangfang"])
    assert m.total_spend_cents == 420_000 + 140_000 and m.last_purchase_at == NOW


def test_a_call_the_same_evening_is_the_follow_up(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    # 王芳 buys 2 cans at 11:30 today; the follow-up is due tomorrow (11:30 + 24 h).
    record_purchase(shop["wangfang"], shop["zhang"], [SaleLine(1, 2, 70_000)], rules, zone, NOW)
    follow = Callback.get(Callback.member == shop["wangfang"], Callback.reason == "follow_up",
                          Callback.status == "open")
    assert follow.due_on == date(2026, 11, 24)
    # 张丽 calls her at 20:00 the same evening (12:00 UTC)
    evening = datetime(2026, 11, 23, 12, 0)
    logged = log_contact(ContactEntry(shop["wangfang"], shop["zhang"], "wechat", "reached", True,
                                      "冲泡方法讲了"), rules, zone, evening)
    follow = Callback.get_by_id(follow.id)
    assert (follow.status, follow.contact_id) == ("done", logged.contact_id)
    tomorrow = queue(settings, day=date(2026, 11, 24))
    assert "王芳" not in [ln.name for ln in tomorrow.lines]


def test_a_promise_stays_when_someone_else_talks_to_the_member(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    # 孙丽丽's call back is booked for today (contact of 20 Nov). Another guide booked
    # 26 Nov with her this morning ...
    log_contact(ContactEntry(shop["sunlili"], shop["liu"], "in_store", "will_come", True, "周四来试装",
                             date(2026, 11, 26)), rules, zone, datetime(2026, 11, 23, 1, 0))
    # ... and 张丽 calls her at 11:30 without booking anything: the 26 Nov promise remains.
    log_contact(ContactEntry(shop["sunlili"], shop["zhang"], "phone", "reached"), rules, zone, NOW)
    booked = [(c.due_on, c.status, c.detail) for c in Callback.select().where(
        Callback.member == shop["sunlili"], Callback.reason == "scheduled").order_by(Callback.due_on)]
    assert booked == [(date(2026, 11, 23), "done", "周一再联系，问奶粉段数"),
                      (date(2026, 11, 26), "open", "周四来试装")]


def test_a_second_sale_the_same_day_moves_the_reminder(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    # 黄小梅: 2 packs × 10 days at 10:00 on 15 Nov; 1 more pack at 16:00 the same day:
    # 3 × 10 = 30 days, 15 Nov + 30 = 15 Dec, reminder 10 Dec (was 30 Nov).
    record_purchase(shop["huangxiaomei"], shop["liu"], [SaleLine(2, 1, 12_900)], rules, zone,
                    datetime(2026, 11, 15, 8, 0))
    refresh_shop(TODAY, rules, zone, NOW)
    reminders = [(c.source_key, c.status, c.due_on, c.detail) for c in Callback.select().where(
        Callback.member == shop["huangxiaomei"], Callback.reason == "running_out")]
    assert reminders == [("帮宝适/diapers:2026-11-15", "open", date(2026, 12, 10),
                          "帮宝适L码 ×3 runs out 12-15")]


def test_a_reminder_comes_back_when_promotions_are_accepted_again(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    log_contact(ContactEntry(shop["huangxiaomei"], shop["liu"], "phone", "declined_promotions"),
                rules, zone, NOW)
    reminder = Callback.get(Callback.member == shop["huangxiaomei"], Callback.reason == "running_out")
    assert reminder.status == "cancelled"
    Member.update(accepts_promotions=True).where(Member.id == shop["huangxiaomei"]).execute()
    refresh_member(shop["huangxiaomei"], TODAY, rules, zone, NOW)
    reminder = Callback.get_by_id(reminder.id)
    assert (reminder.status, reminder.due_on, reminder.closed_at) == ("open", date(2026, 11, 30), None)


def test_a_contact_logged_while_the_daily_run_thinks_is_not_overruled(shop, settings, monkeypatch):
    import tui.db.callbacks.raising as cb

    rules, zone = settings.callbacks, settings.shop.zone
    # The first run of the day has not raised 赵敏's dormant call yet ...
    Callback.delete().where(Callback.member == shop["zhaomin"]).execute()
    thinking = cb.desired_callbacks
    logged = []

    def meanwhile(facts, *args):
        # ... and while it works out the changes, 刘芳 reaches her at the register.
        if not logged:
            logged.append(True)
            log_contact(ContactEntry(shop["zhaomin"], shop["liu"], "in_store", "reached"),
                        rules, zone, NOW)
        return thinking(facts, *args)

    monkeypatch.setattr(cb, "desired_callbacks", meanwhile)
    refresh_shop(TODAY, rules, zone, NOW)
    # dormant again from 23 Nov + 30 = 23 Dec; nothing due today
    assert [(c.reason, c.due_on, c.status) for c in Callback.select().where(
        Callback.member == shop["zhaomin"])] == [("dormant", date(2026, 12, 23), "open")]
    assert "赵敏" not in [ln.name for ln in queue(settings).lines]


def test_contact_errors(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    with pytest.raises(ContactError, match="unknown outcome"):
        log_contact(ContactEntry(shop["lina"], shop["zhang"], "phone", "maybe"), rules, zone, NOW)
    with pytest.raises(ContactError, match="in the past"):
        log_contact(ContactEntry(shop["lina"], shop["zhang"], "phone", "reached",
                                 next_contact_on=date(2026, 11, 22)), rules, zone, NOW)
    with pytest.raises(ContactError, match="not on file"):
        log_contact(ContactEntry(999, shop["zhang"], "phone", "reached"), rules, zone, NOW)
    assert Contact.select().where(Contact.member == shop["lina"]).count() == 0


@pytest.mark.parametrize("text, expected", [
    ("", None), ("+3", date(2026, 11, 26)), ("11-30", date(2026, 11, 30)),
    ("11-23", date(2026, 11, 23)), ("2027-01-05", date(2027, 1, 5)),
    ("2026-12-01", date(2026, 12, 1)), ("+0", date(2026, 11, 23)),
])
def test_next_contact_date_as_typed(text, expected):
    assert parse_next_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["tomorrow", "2026-11-22", "13-01", "+x", "2026-02-30"])
def test_next_contact_date_refused(text):
    with pytest.raises(ContactError):
        parse_next_date(text, TODAY)


@pytest.mark.parametrize("text, message", [
    # a month-day already past this year (today is 2026-11-23) is refused, not moved on
    ("11-22", "next contact 2026-11-22 is in the past; give today or later "
              "(2027-11-22 for next year)"),
    ("01-05", "next contact 2026-01-05 is in the past; give today or later "
              "(2027-01-05 for next year)"),
    ("2026-11-01", "next contact 2026-11-01 is in the past; give today or later"),
])
def test_a_past_month_day_is_refused_like_a_past_date(text, message):
    with pytest.raises(ContactError) as refused:
        parse_next_date(text, TODAY)
    assert str(refused.value) == message


@pytest.mark.parametrize("text, names", [
    ("feihe", ["飞鹤星飞帆3段"]), ("fh", ["飞鹤星飞帆3段"]),       # full pinyin, initials
    ("xingfeifan", ["飞鹤星飞帆3段"]), ("bangbaoshi", ["帮宝适L码"]),  # from any syllable on
    ("haohaizi tuiche", ["婴儿推车"]), ("yinger", ["婴儿推车"]),      # brand and name
    ("eihe", []), ("feihe bbs", []),                                # not from a syllable; every word
])
def test_products_found_by_pinyin(shop, text, names):
    from tui.db.members.purchases import find_products
    assert [p.name for p in find_products(text)] == names


@pytest.mark.parametrize("text, cents", [("358", 35_800), ("358.5", 35_850), ("¥1,358.00", 135_800),
                                         ("0", 0)])
def test_amounts_as_typed(text, cents):
    from tui.db.members.purchases import parse_amount
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["358.555", "-1", "abc", "", "NaN", "inf", "2000000"])
def test_amounts_refused(text):
    from tui.db.members.purchases import SaleError, parse_amount
    with pytest.raises(SaleError):
        parse_amount(text)


def test_products_filter_on_every_word(shop):
    from tui.db.members.purchases import find_products
    assert [p.name for p in find_products("飞鹤")] == ["飞鹤星飞帆3段"]
    assert [p.name for p in find_products("BBS")] == ["帮宝适L码"]    # by SKU
    assert [p.name for p in find_products("好孩子 推车")] == ["婴儿推车"]
    assert find_products("奶瓶") == []


def test_a_call_booked_by_someone_who_left_goes_to_the_owner(shop, settings):
    """刘芳 books a call with 李娜 (张丽's member) for 10 Jan, more than 31 days ahead, so no
    callback exists yet; 刘芳 leaves. When the call comes within reach it is 张丽's."""
    from tui.db.models import Staff

    rules, zone = settings.callbacks, settings.shop.zone
    log_contact(ContactEntry(shop["lina"], shop["liu"], "phone", "reached", True, "一月再联系",
                             date(2027, 1, 10)), rules, zone, NOW)
    assert Callback.select().where((Callback.member == shop["lina"])
                                   & (Callback.reason == "scheduled")).count() == 0
    Staff.update(active=False).where(Staff.id == shop["liu"]).execute()
    refresh_member(shop["lina"], date(2026, 12, 20), rules, zone, NOW)
    booked = Callback.get((Callback.member == shop["lina"]) & (Callback.reason == "scheduled"))
    assert (booked.due_on, booked.owner_id) == (date(2027, 1, 10), shop["zhang"])


def test_a_call_booked_by_an_active_guide_stays_hers(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    log_contact(ContactEntry(shop["lina"], shop["liu"], "phone", "reached", True, "一月再联系",
                             date(2027, 1, 10)), rules, zone, NOW)
    refresh_member(shop["lina"], date(2026, 12, 20), rules, zone, NOW)
    booked = Callback.get((Callback.member == shop["lina"]) & (Callback.reason == "scheduled"))
    assert booked.owner_id == shop["liu"]
