"""The audit log hears of every sign-in, right or wrong, and where it came from; of every
refusal; and of who recorded a member's consent."""

from __future__ import annotations

import pytest

from fixture_shop import NOW
from sign_in_shop import shop  # noqa: F401 (its fixtures, used by name)
from tui.db.audit import PermissionDenied, record_refusal, require_manager, session_origin
from tui.db.members.card import set_consent
from tui.db.models import AuditLog, Member, Staff
from tui.db.staff import SignInError, sign_in


def lines():
    return [(a.staff_id, a.action, a.subject, a.detail) for a in AuditLog.select().order_by(AuditLog.id)]


def test_where_a_session_comes_from():
    assert session_origin({}) == "local terminal"
    assert session_origin({"SSH_CLIENT": "203.0.113.5 52311 22"}) == "ssh 203.0.113.5"
    assert session_origin({"SSH_CONNECTION": "2001:db8::7 40100 2001:db8::1 22"}) == "ssh 2001:db8::7"
    assert session_origin({"SSH_CLIENT": "  "}) == "local terminal"


def test_every_sign_in_is_audited_with_where_it_came_from(shop, settings, monkeypatch):
    rules = settings.staff
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    sign_in(shop["zhang"], "1234", NOW, rules)
    monkeypatch.setenv("SSH_CLIENT", "203.0.113.5 52311 22")
    with pytest.raises(SignInError, match="wrong PIN"):
        sign_in(shop["liu"], "0000", NOW, rules)
    assert lines() == [
        (shop["zhang"], "sign in", "张丽", "from local terminal"),
        (shop["liu"], "sign in refused", "刘芳", "wrong PIN; 4 more tries before 刘芳 is locked; "
                                                "from ssh 203.0.113.5"),
    ]


def test_a_refused_sign_in_is_audited_even_when_nothing_else_is_written(shop, settings, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "198.51.100.9 40100 10.0.0.2 22")
    Staff.update(pin_hash="").where(Staff.id == shop["liu"]).execute()
    with pytest.raises(SignInError, match="has no PIN yet"):
        sign_in(shop["liu"], "2468", NOW, settings.staff)
    Staff.update(active=False).where(Staff.id == shop["zhang"]).execute()
    with pytest.raises(SignInError, match="not an active member of staff"):
        sign_in(shop["zhang"], "1234", NOW, settings.staff)
    assert [(s, a, subj, d.split("; ")[-1]) for s, a, subj, d in lines()] == [
        (shop["liu"], "sign in refused", "刘芳", "from ssh 198.51.100.9"),
        (shop["zhang"], "sign in refused", "张丽", "from ssh 198.51.100.9"),
    ]
    assert "has no PIN yet" in lines()[0][3]


def test_a_locked_name_is_audited_at_every_try(shop, settings, monkeypatch):
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    for _ in range(settings.staff.lockout_attempts):
        with pytest.raises(SignInError):
            sign_in(shop["zhang"], "0000", NOW, settings.staff)
    with pytest.raises(SignInError, match="is locked"):
        sign_in(shop["zhang"], "1234", NOW, settings.staff)  # the right PIN, while locked
    actions = [a for _, a, _, _ in lines()]
    # five wrong PINs, the lock itself, then the refused right PIN
    assert actions == ["sign in refused"] * 4 + ["lock", "sign in refused", "sign in refused"]


def test_a_refusal_is_written_in_its_own_transaction(shop, settings):
    with pytest.raises(PermissionDenied) as caught:
        require_manager(shop["zhang"], "erase a member")
    assert AuditLog.select().count() == 0  # the data layer's refusal writes nothing itself
    record_refusal(shop["zhang"], NOW, str(caught.value), origin="ssh 203.0.113.5")
    record_refusal(None, NOW, "nobody active is signed in", origin="local terminal")
    record_refusal(9999, NOW, "no such person", origin="local terminal")  # not on file: no id
    assert lines() == [
        (shop["zhang"], "refused", "张丽",
         "only a manager can erase a member; 张丽 is a guide; from ssh 203.0.113.5"),
        (None, "refused", "", "nobody active is signed in; from local terminal"),
        (None, "refused", "", "no such person; from local terminal"),
    ]


def test_consent_changes_record_who_made_them(shop, settings):
    set_consent(shop["wangfang"], NOW, settings, promotions=False, staff_id=shop["zhang"])
    set_consent(shop["wangfang"], NOW, settings, do_not_contact=True, staff_id=shop["boss"])
    set_consent(shop["wangfang"], NOW, settings, do_not_contact=False, promotions=True,
                staff_id=shop["liu"])
    consent = [(s, subj, d) for s, a, subj, d in lines() if a == "consent"]
    assert consent == [
        (shop["zhang"], "M000001", "promotions: refused"),
        (shop["boss"], "M000001", "do not contact: yes"),
        (shop["liu"], "M000001", "promotions: yes; do not contact: no"),
    ]
    assert Member.get_by_id(shop["wangfang"]).accepts_promotions is True


@pytest.mark.parametrize("action, detail, words", [
    ("archive", "filled shopping_habits, accepts_promotions; emptied email",
     ("archive", "filled shopping habits, promotions; emptied e-mail")),
    ("archive", "filled vehicle_type", ("archive", "filled vehicle type")),  # a settings field
    ("assign_split", "7 members", ("assign (split)", "7 members")),
    ("hand_over", "", ("hand-over", "")),
    ("pdca_target", "completion: 50 → 60; why: …", ("plan target", "completion: 50 → 60; why: …")),
    ("sign in", "from local terminal", ("sign in", "from local terminal")),
    ("some_new_code", "", ("some new code", "")),
])
def test_an_audit_line_reads_in_words(action, detail, words):
    from tui.reports.audit import action_words, detail_words

    assert (action_words(action), detail_words(action, detail)) == words


@pytest.mark.parametrize("detail, words", [
    ('{"merged": "M000004", "record": {"name": "赵敏"}, "moved": {"purchases": 1, "contacts": 2, '
     '"notes": 0, "children": 1, "callbacks": 3}}',
     "merged M000004 into it; moved 1 purchase, 2 contacts, 1 child, 3 callbacks"),
    ('{"merged": "M000004", "record": {}, "moved": {"purchases": 0}}',
     "merged M000004 into it; nothing moved"),
    ("not json", "not json"),
])
def test_a_merge_line_reads_in_words_not_json(detail, words):
    from tui.reports.audit import detail_words

    assert detail_words("merge", detail) == words


@pytest.mark.parametrize("action, detail, words", [
    ("contact corrected",
     '{"reason": "按错了", "before": {"outcome": "no_answer", "note": ""}, '
     '"after": {"outcome": "reached"}}',
     "outcome no answer → reached; why: 按错了"),
    ("contact voided",
     '{"reason": "wrong member", "contact": 7, "channel": "home_visit", "outcome": "will_come", '
     '"calls_reopened": 2}',
     "home visit, will come in; 2 calls open again; why: wrong member"),
    ("sale corrected",
     '{"reason": "typed 1400 for 140", "sale": 3, "before": {"line": 4, "product": 1, '
     '"quantity": 4, "amount_cents": 140000}, "after": {"line": 4, "product": 1, '
     '"quantity": 4, "amount_cents": 14000}}',
     "×4 ¥1,400.00 → ×4 ¥140.00; why: typed 1400 for 140"),
    ("sale corrected",
     '{"reason": "wrong can", "before": {"product": 1, "quantity": 1, "amount_cents": 35000}, '
     '"after": {"product": 2, "quantity": 1, "amount_cents": 12900}}',
     "another product, ×1 ¥350.00 → ×1 ¥129.00; why: wrong can"),
    ("sale voided",
     '{"reason": "never sold", "sale": 3, "voided": {"quantity": 1, "amount_cents": 12900}, '
     '"lines_left": 0}',
     "×1 ¥129.00, the whole receipt; why: never sold"),
    ("sale voided", "{not json", "{not json"),
])
def test_a_correction_line_reads_in_words_not_json(action, detail, words):
    from tui.reports.audit import detail_words

    assert detail_words(action, detail) == words
