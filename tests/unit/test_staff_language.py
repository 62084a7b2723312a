"""A person's own language (issue 13): stored on her staff row (migration 12), set by a
manager for anyone or by herself, audited; the refusals and the audit log in Chinese."""

from __future__ import annotations

import pytest

from fixture_shop import NOW
from sign_in_shop import shop  # noqa: F401 (its fixtures, used by name)
from tui.db.audit import PermissionDenied
from tui.db.models import AuditLog, Staff, database
from tui.db.staff import SignInError, StaffError, set_language, sign_in, staff_list
from tui.i18n import use_language
from tui.reports.audit import action_words, detail_words


def test_the_staff_table_has_a_language_column_null_by_default(shop):
    columns = {row[1]: row for row in database.execute_sql("PRAGMA table_info(staff)")}
    assert columns["language"][2] == "VARCHAR(8)" and columns["language"][3] == 0  # nullable
    assert {s.name: s.language for s in staff_list()} == {"王店长": None, "张丽": None, "刘芳": None}


def test_a_manager_sets_anyone_and_a_guide_only_herself(shop):
    set_language(shop["zhang"], "en", shop["boss"], NOW)
    set_language(shop["liu"], "en", shop["liu"], NOW)           # her own
    with pytest.raises(PermissionDenied, match="only a manager can change another's language"):
        set_language(shop["zhang"], None, shop["liu"], NOW)
    with pytest.raises(StaffError, match="the language is one of zh-CN, en"):
        set_language(shop["zhang"], "fr", shop["boss"], NOW)
    set_language(shop["liu"], None, shop["boss"], NOW)          # back to the shop's
    assert {s.name: s.language for s in Staff.select()} == {"王店长": None, "张丽": "en", "刘芳": None}
    lines = [(a.staff.name, a.subject, a.detail) for a in
             AuditLog.select().where(AuditLog.action == "staff language").order_by(AuditLog.id)]
    assert lines == [("王店长", "张丽", "en"), ("刘芳", "刘芳", "en"), ("王店长", "刘芳", "the shop's")]


def test_a_wrong_pin_and_a_lock_are_said_in_chinese(shop, settings):
    use_language("zh-CN")
    with pytest.raises(SignInError) as wrong:
        sign_in(shop["zhang"], "0000", NOW, settings.staff)
    assert str(wrong.value) == "密码错误；再错 4 次 张丽 将被锁定"
    for _ in range(4):
        with pytest.raises(SignInError) as wrong:
            sign_in(shop["zhang"], "0000", NOW, settings.staff)
    assert str(wrong.value) == "密码错误；张丽 已被锁定 15 分钟"
    with pytest.raises(SignInError) as locked:
        sign_in(shop["zhang"], "1234", NOW, settings.staff)
    assert str(locked.value) == "张丽 因 5 次密码错误已被锁定；请 15 分钟后再试，或请店长重置密码"
    with pytest.raises(PermissionDenied) as refused:
        set_language(shop["boss"], "en", shop["liu"], NOW)
    assert str(refused.value) == "只有店长才能更改他人的语言；刘芳 是导购"


@pytest.mark.parametrize(("action", "detail", "words"), [
    ("sign in", "from local terminal", "来自本机终端"),
    ("sign in", "from ssh 203.0.113.5", "来自ssh 203.0.113.5"),
    ("lock", "5 wrong PINs in a row; locked for 15 min", "连续 5 次密码错误；锁定 15 分钟"),
    ("staff add", "added as guide", "添加为导购"),
    ("staff language", "en", "English"),
    ("staff language", "the shop's", "随店铺"),
    ("pin reset", "PIN reset by a manager", "店长重置密码"),
    ("sign in refused", "wrong PIN; 4 more tries before 张丽 is locked; from local terminal",
     "wrong PIN; 4 more tries before 张丽 is locked；来自本机终端"),  # as she read it then
])
def test_the_audit_log_reads_in_chinese(action, detail, words):
    use_language("zh-CN")
    assert detail_words(action, detail) == words
    assert action_words("staff add") == "添加员工" and action_words("pdca_plan") == "计划开始"
    use_language("en")
    # English: as stored, a language code by its name
    assert detail_words(action, detail) == ("English" if detail == "en" else detail)
