"""The queue's words in both languages (tui.i18n's day and lateness words, the reason,
channel and outcome labels, the rules' stored details said again, the lookup's counts):
English as it always was, Chinese as a Chinese shop says it. No Textual."""

from __future__ import annotations

from datetime import date, datetime

from tui.db.callbacks.contacts import (ContactError, RecentContact, channel_label, outcome_label,
                                       parse_next_date)
from tui.db.callbacks.queue import QueueLine, QueueReason, reason_label
from tui.i18n import day_words, late_words, month_day_words, use_language
from tui.reports.lookup import found_words, matched_words
from tui.reports.queue import (detail_words, due_words, last_contact_words, reason_words,
                               recent_contact_words)

FRIDAY = date(2026, 12, 4)


def test_a_day_in_a_header():
    assert day_words(FRIDAY) == "Fri 2026-12-04"
    assert day_words(date(2026, 11, 23)) == "Mon 2026-11-23"
    use_language("zh-CN")
    assert day_words(FRIDAY) == "12月4日 周五"
    assert day_words(date(2026, 11, 29)) == "11月29日 周日"


def test_a_day_of_the_year():
    assert month_day_words(3, 7) == "03-07"
    use_language("zh-CN")
    assert month_day_words(3, 7) == "3月7日"


def test_days_late():
    assert (late_words(0), late_words(1), late_words(14)) == ("today", "1 d late", "14 d late")
    use_language("zh-CN")
    assert (late_words(0), late_words(1), late_words(14)) == ("今天", "逾期 1 天", "逾期 14 天")


def test_labels_keep_their_codes_and_change_their_words():
    assert (reason_label("running_out"), channel_label("wechat"), outcome_label("no_answer")) == (
        "running out", "WeChat", "no answer")
    use_language("zh-CN")
    assert [reason_label(r) for r in ("complaint", "follow_up", "scheduled", "birthday",
                                      "running_out", "campaign", "dormant")] == [
        "投诉回访", "售后回访", "预约回访", "生日关怀", "用量提醒", "活动回访", "沉睡唤醒"]
    # the outcome "complaint" is not the reason: one English word, two Chinese
    assert outcome_label("complaint") == "投诉"
    assert [channel_label(c) for c in ("phone", "wechat", "sms", "in_store", "home_visit")] == [
        "电话", "微信", "短信", "到店", "上门"]
    assert outcome_label("declined_promotions") == "拒绝推广"
    assert reason_label("odd_code") == "odd_code"


def _line(days: int, *reasons: QueueReason, seen: datetime | None = None) -> QueueLine:
    return QueueLine(1, "M000001", "陈晓燕", None, "5678", date(2026, 11, 23), days, reasons,
                     "张丽", seen, 0)


RUN_OUT = QueueReason("running_out", date(2026, 11, 20), "飞鹤星飞帆3段 ×12 runs out 11-28")
BIRTHDAY = QueueReason("birthday", date(2026, 11, 23), "member's birthday 11-30; 乐乐 1岁 12-01")


def test_the_rules_details_said_again_in_chinese():
    assert detail_words(RUN_OUT.detail, "running_out") == RUN_OUT.detail  # English: as stored
    use_language("zh-CN")
    assert detail_words(RUN_OUT.detail, "running_out") == "飞鹤星飞帆3段 ×12 11月28日 用完"
    assert detail_words(BIRTHDAY.detail, "birthday") == "会员生日 11月30日；乐乐 1岁 12月1日"
    assert detail_words("child 周岁 12-01", "birthday") == "宝宝 周岁 12月1日"
    assert detail_words("bought 婴儿湿巾 +2", "follow_up") == "购买 婴儿湿巾 及另外 2 件"
    assert detail_words("bought 婴儿推车", "follow_up") == "购买 婴儿推车"
    assert detail_words("baby due 03-15", "birthday") == "宝宝预产期 3月15日"
    assert detail_words("no purchase since 2026-05-01", "dormant") == "2026-05-01 以来没有购买"
    assert detail_words("never bought", "dormant") == "从未购买"
    assert detail_words("retry: no answer last time", "scheduled") == "重拨：上次未接通"
    # a guide's note on a booked call is as she typed it, whatever its shape
    assert detail_words("周末带宝宝来试穿", "scheduled") == "周末带宝宝来试穿"
    assert detail_words("ask when baby due 03-15", "scheduled") == "ask when baby due 03-15"


def test_a_queue_line_in_both_languages():
    line = _line(3, RUN_OUT, BIRTHDAY, seen=datetime(2026, 11, 23, 9, 5))
    assert due_words(line) == "3 d late"
    assert last_contact_words(line, date(2026, 11, 23)) == "today 09:05"
    assert reason_words(line, 20) == "running out, birthday"
    use_language("zh-CN")
    assert due_words(line) == "逾期 3 天"
    assert last_contact_words(line, date(2026, 11, 23)) == "今天 09:05"
    assert last_contact_words(_line(0), date(2026, 11, 23)) == "从未"
    assert reason_words(line, 20) == "用量提醒、生日关怀"
    assert reason_words(line, 200) == ("用量提醒：飞鹤星飞帆3段 ×12 11月28日 用完 · "
                                       "生日关怀：会员生日 11月30日；乐乐 1岁 12月1日")


def test_someone_called_a_moment_ago():
    recent = RecentContact(7, "张丽", datetime(2026, 11, 23, 11, 5), 25, "phone", "no_answer")
    assert recent_contact_words(recent, 1) == (
        "Already contacted 25 min ago (11:05) by 张丽: phone, no answer.")
    use_language("zh-CN")
    assert recent_contact_words(recent, 1) == "25 分钟前（11:05）张丽已联系过：电话，未接通。"
    assert recent_contact_words(recent, 7) == "25 分钟前（11:05）你已联系过：电话，未接通。"


def test_a_next_contact_in_the_past_in_both_languages():
    today = date(2026, 12, 3)
    for lang, words in [("en", "next contact 2026-12-01 is in the past; give today or later "
                               "(2027-12-01 for next year)"),
                        ("zh-CN", "下次联系 2026-12-01 已经过去；请填今天或以后（明年请填 2027-12-01）")]:
        use_language(lang)
        try:
            parse_next_date("12-01", today)
        except ContactError as exc:
            assert str(exc) == words
        else:
            raise AssertionError("a past day was taken")


def test_lookup_counts():
    assert (found_words(3, 3), found_words(20, 197)) == ("3 found", "20 shown of 197")
    assert matched_words("phone tail") == "phone tail"
    use_language("zh-CN")
    assert (found_words(3, 3), found_words(20, 197)) == ("找到 3 位", "显示 20 位，共 197 位")
    assert matched_words("phone tail") == "尾号"


def test_the_label_tables_speak_the_language_of_the_moment():
    # other reports read them as tables: LABELS.get(code, code)
    from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS
    from tui.db.callbacks.queue import REASON_LABELS

    assert (REASON_LABELS.get("follow_up"), CHANNEL_LABELS["in_store"],
            OUTCOME_LABELS.get("odd", "odd")) == ("follow-up", "in store", "odd")
    assert list(REASON_LABELS)[:2] == ["complaint", "follow_up"] and len(OUTCOME_LABELS) == 8
    use_language("zh-CN")
    assert (REASON_LABELS.get("follow_up"), CHANNEL_LABELS["in_store"],
            REASON_LABELS["complaint"], OUTCOME_LABELS["complaint"]) == (
        "售后回访", "到店", "投诉回访", "投诉")
    assert REASON_LABELS.english["follow_up"] == "follow-up"
