"""Registering, editing, merging, exporting and erasing members, checked on the database."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fixture_shop import NOW, TODAY
from tui.db.audit import PermissionDenied
from tui.db.members.archive import (ERASED_NAME, ArchiveError, FieldErrors, PhoneOnFile, add_child,
                                    erase_member, export_member, merge_members, merged_into,
                                    register_member, update_member, validate_member)
from tui.db.members.card import find_member, member_card
from tui.db.members.lookup import lookup_members
from tui.db.models import (AuditLog, Callback, Child, Contact, Member, MemberNote, Purchase,
                           PurchaseLine)


def errors_of(values, settings, **kw) -> dict[str, str]:
    with pytest.raises(FieldErrors) as caught:
        validate_member(values, TODAY, settings, **kw)
    return caught.value.errors


# --- validation: every error names its field ---------------------------------------------


def test_every_validation_error_stands_by_its_field(settings):
    errors = errors_of({
        "phone": "1234", "name": "", "gender": "x", "birthday": "2026-02-30",
        "age_approx": "5", "email": "mei@", "address": "路" * 201, "hobbies": "a\x07b",
    }, settings)
    assert errors == {
        "phone": "1234 is not a phone number here: 11 digits starting with 1, such as 13812345678",
        "name": "required",
        "gender": "type 女 or 男 (F or M), or leave it empty",
        "birthday": "2026-02-30 is not a real date; use YYYY-MM-DD",
        "age_approx": "a whole number of years from 12 to 120",
        "email": "mei@ is not an e-mail address such as mei@qq.com",
        "address": "201 characters; at most 200",
        "hobbies": "no control characters, please",
    }


def test_dates_in_the_future_or_long_ago_are_refused(settings):
    assert errors_of({"birthday": "2026-11-24"}, settings) == {
        "birthday": "2026-11-24 is in the future"}
    assert errors_of({"birthday": "1899-01-01"}, settings) == {
        "birthday": "1899-01-01 is more than 120 years ago"}
    assert errors_of({"phone": ""}, settings) == {"phone": "required"}
    assert errors_of({"name": "张" * 31}, settings) == {"name": "31 characters; at most 30"}


def test_typed_values_are_made_ready_to_store(settings):
    clean = validate_member({"phone": "138 1234-5678", "name": " 张三 ", "gender": "f",
                             "birthday": "1990/5/1", "age_approx": "", "email": "zs@qq.com"},
                            TODAY, settings)
    assert clean == {"phone": "13812345678", "name": "张三", "gender": "女",
                     "birthday": date(1990, 5, 1), "age_approx": None, "email": "zs@qq.com"}
    assert validate_member({"birthday": "19900501"}, TODAY, settings)["birthday"] == date(1990, 5, 1)


def test_the_phone_pattern_comes_from_settings(settings):
    from dataclasses import replace
    hk = replace(settings, archive=replace(settings.archive, phone_pattern=r"[5-9]\d{7}",
                                           phone_hint="8 digits"))
    assert validate_member({"phone": "9123 4567"}, TODAY, hk) == {"phone": "91234567"}
    assert errors_of({"phone": "13812345678"}, hk) == {
        "phone": "13812345678 is not a phone number here: 8 digits"}


# --- register and edit -------------------------------------------------------------------


def test_a_guide_registers_a_member_who_becomes_theirs(shop, settings):
    mid = register_member({"phone": "139 0000 1111", "name": "曾小单", "gender": "女",
                           "birthday": "1995-11-25"}, shop["zhang"], NOW, settings)
    m = Member.get_by_id(mid)
    # the fixture has M000001 … M000009: the next number is M000010
    assert (m.member_no, m.phone, m.phone_tail, m.owner_id, m.joined_on) == (
        "M000010", "13900001111", "1111", shop["zhang"], TODAY)
    # 曾 read as a surname (zeng, not ceng); 单 inside a given name stays dan
    assert (m.name_pinyin, m.name_initials) == ("zengxiaodan", "zxd")
    # her birthday on 25 Nov is 2 days away, within the 3 days' lead: a birthday call at once
    assert [(c.reason, c.due_on) for c in Callback.select().where(Callback.member == mid)] == [
        ("birthday", date(2026, 11, 22))]
    assert [h.member_no for h in lookup_members("zxd")] == ["M000010"]


def test_a_manager_registers_an_unassigned_member(shop, settings):
    mid = register_member({"phone": "13900001111", "name": "李雷"}, shop["boss"], NOW, settings)
    assert Member.get_by_id(mid).owner_id is None


def test_a_phone_on_file_offers_the_member_instead(shop, settings):
    before = Member.select().count()
    with pytest.raises(PhoneOnFile) as caught:
        register_member({"phone": "138-0000-1234", "name": "王芳芳"}, shop["zhang"], NOW, settings)
    assert (caught.value.member_id, caught.value.member_no, caught.value.name) == (
        shop["wangfang"], "M000001", "王芳")
    assert Member.select().count() == before


def test_nothing_is_written_until_the_form_is_valid(shop, settings):
    before = Member.select().count()
    with pytest.raises(FieldErrors):
        register_member({"phone": "13900001111", "name": "李雷", "birthday": "2026-13-01"},
                        shop["zhang"], NOW, settings)
    assert Member.select().count() == before


def test_editing_writes_every_field_and_the_keys_follow(shop, settings):
    update_member(shop["wangfang"], {"name": "单芳", "phone": "13800009999", "occupation": "教师",
                                     "hobbies": "瑜伽", "email": ""}, shop["zhang"], NOW, settings)
    m = Member.get_by_id(shop["wangfang"])
    assert (m.name, m.name_initials, m.phone, m.phone_tail, m.occupation, m.hobbies, m.email) == (
        "单芳", "sf", "13800009999", "9999", "教师", "瑜伽", None)
    # hard 4/9, soft 2/9 (occupation, hobbies): 0.2 × 4/9 + 0.8 × 2/9 = 0.0889 + 0.1778 → 27 %
    assert member_card(m.id, TODAY, settings).completeness.percent == 27


def test_editing_to_another_members_phone_is_refused(shop, settings):
    with pytest.raises(PhoneOnFile):
        update_member(shop["wangfang"], {"name": "王芳", "phone": "13900002345"},
                      shop["zhang"], NOW, settings)
    assert Member.get_by_id(shop["wangfang"]).phone == "13800001234"


def test_a_child_born_or_on_the_way(shop, settings):
    add_child(shop["lina"], "", "2027-03-01", shop["zhang"], NOW, settings)
    add_child(shop["lina"], "豆豆", "2024/11/25", shop["zhang"], NOW, settings)
    kids = {(c.name, c.birth_date, c.due_date) for c in Child.select().where(Child.member == shop["lina"])}
    assert kids == {(None, None, date(2027, 3, 1)), ("豆豆", date(2024, 11, 25), None)}
    # 豆豆 turns two on 25 Nov: the birthday call is raised with the child
    assert Callback.select().where((Callback.member == shop["lina"])
                                   & (Callback.reason == "birthday")).count() == 1
    with pytest.raises(FieldErrors) as caught:
        add_child(shop["lina"], "x", "2027-12-01", shop["zhang"], NOW, settings)
    assert caught.value.errors == {"child_day": "2027-12-01 is more than 300 days ahead"}


# --- merge ---------------------------------------------------------------------------------


def test_merging_keeps_both_histories(shop, settings):
    keep, drop = shop["wangfang"], shop["zhaomin"]
    Member.update(email="wf@qq.com").where(Member.id == drop).execute()
    Member.update(occupation="会计").where(Member.id == keep).execute()
    Member.update(occupation="教师").where(Member.id == drop).execute()
    purchases_before = Purchase.select().where(Purchase.member.in_([keep, drop])).count()
    spend = (Member.get_by_id(keep).total_spend_cents + Member.get_by_id(drop).total_spend_cents)

    merged = merge_members(keep, drop, shop["zhang"], NOW, settings)

    # where both records say different things, 王芳's stand and 赵敏's go into a note
    assert (merged.kept_no, merged.dropped_no, merged.conflicts) == (
        "M000001", "M000004", ("phone 13600004567", "name 赵敏", "occupation 教师"))
    assert Member.get_or_none(Member.id == drop) is None
    kept = Member.get_by_id(keep)
    # 420,000 (王芳's 12 cans) + 35,000 (赵敏's one can) = 455,000 cents
    assert kept.total_spend_cents == spend == 455_000
    assert (kept.email, kept.occupation, kept.phone) == ("wf@qq.com", "会计", "13800001234")
    assert Purchase.select().where(Purchase.member == keep).count() == purchases_before == 2
    note = MemberNote.get(MemberNote.member == keep)
    assert note.text == "合并自 M000004 的不同资料: phone 13600004567; name 赵敏; occupation 教师"
    # 赵敏's dormant call was cancelled and moved with her history; no open call is left
    # under the dropped member, and the audit keeps her whole record
    assert Callback.select().where(Callback.member == drop).count() == 0
    log = AuditLog.get(AuditLog.action == "merge")
    detail = json.loads(log.detail)
    assert (log.subject, detail["merged"], detail["record"]["name"]) == ("M000001", "M000004", "赵敏")
    assert merged_into("M000004") == "M000001"
    with pytest.raises(Exception, match="merged into M000001"):
        find_member("M000004")


def test_a_merge_note_names_fields_by_their_labels(shop, settings):
    keep, drop = shop["wangfang"], shop["zhaomin"]
    Member.update(shopping_habits="周末来店", age_approx=30).where(Member.id == keep).execute()
    Member.update(shopping_habits="晚上来店", age_approx=31).where(Member.id == drop).execute()
    merge_members(keep, drop, shop["zhang"], NOW, settings)
    note = MemberNote.get(MemberNote.member == keep)
    assert note.text == ("合并自 M000004 的不同资料: phone 13600004567; name 赵敏; age 31; "
                         "shopping habits 晚上来店")


def test_a_merge_in_chinese_names_the_fields_in_chinese(shop, settings):
    from tui.i18n import use_language

    keep, drop = shop["wangfang"], shop["zhaomin"]
    Member.update(shopping_habits="周末来店", age_approx=30).where(Member.id == keep).execute()
    Member.update(shopping_habits="晚上来店", age_approx=31).where(Member.id == drop).execute()
    use_language("zh-CN")
    merge_members(keep, drop, shop["zhang"], NOW, settings)
    note = MemberNote.get(MemberNote.member == keep)
    assert note.text == ("合并自 M000004 的不同资料: 手机 13600004567; 姓名 赵敏; 年龄 31; "
                         "购物习惯 晚上来店")
    with pytest.raises(ArchiveError, match="这是同一个会员；请选另一条记录"):
        merge_members(keep, keep, shop["zhang"], NOW, settings)


def test_a_member_cannot_be_merged_with_themself(shop, settings):
    with pytest.raises(ArchiveError, match="same member"):
        merge_members(shop["lina"], shop["lina"], shop["zhang"], NOW, settings)


def test_the_stricter_consent_survives_a_merge(shop, settings):
    merge_members(shop["lina"], shop["zhengxue"], shop["zhang"], NOW, settings)
    kept = Member.get_by_id(shop["lina"])
    assert kept.do_not_contact is True
    # and so 李娜's follow-up call is cancelled too
    assert Callback.select().where((Callback.member == shop["lina"])
                                   & (Callback.status == "open")).count() == 0


# --- export and erase: a manager's, refused to a guide in the data layer -----------------


def test_a_guide_may_not_export_or_erase(shop, settings):
    with pytest.raises(PermissionDenied, match="only a manager can erase a member; 张丽 is a guide"):
        erase_member(shop["huangxiaomei"], shop["zhang"], NOW)
    with pytest.raises(PermissionDenied, match="only a manager can export"):
        export_member(shop["huangxiaomei"], shop["zhang"], NOW)
    assert Member.get_by_id(shop["huangxiaomei"]).name == "黄小梅"
    assert AuditLog.select().count() == 0


def test_export_holds_everything_and_is_audited(shop, settings):
    data = export_member(shop["huangxiaomei"], shop["boss"], NOW)
    assert data["member"]["name"] == "黄小梅" and data["member"]["phone"] == "18600009012"
    assert data["children"] == [{"name": "乐乐", "birth_date": "2025-11-24", "due_date": None}]
    assert [(p["sku"], p["quantity"], p["amount_cents"]) for p in data["purchases"]] == [
        ("BBS-L", 2, 25_800)]
    assert [c["note"] for c in data["contacts"]] == ["纸尿裤合适"]
    json.dumps(data, ensure_ascii=False)  # it is JSON as it stands
    log = AuditLog.get()
    assert (log.staff_id, log.action, log.subject) == (shop["boss"], "export", "M000009")


def test_erasure_removes_the_person_and_keeps_the_totals(shop, settings):
    mid = shop["huangxiaomei"]
    assert erase_member(mid, shop["boss"], NOW) == "M000009"
    m = Member.get_by_id(mid)
    assert (m.name, m.phone, m.phone_tail, m.birthday, m.name_pinyin, m.erased_at) == (
        ERASED_NAME, None, None, None, "", NOW)
    assert m.total_spend_cents == 25_800  # anonymous purchase total kept
    assert PurchaseLine.select().join(Purchase).where(Purchase.member == mid).count() == 1
    assert Child.select().where(Child.member == mid).count() == 0
    assert [c.note for c in Contact.select().where(Contact.member == mid)] == [""]
    assert Callback.select().where((Callback.member == mid) & (Callback.status == "open")).count() == 0
    assert lookup_members("黄") == [] and lookup_members("9012") == []
    log = AuditLog.get(AuditLog.action == "erase")
    assert (log.staff_id, log.subject, log.at) == (shop["boss"], "M000009", NOW)
    with pytest.raises(ArchiveError, match="was erased on request"):
        update_member(mid, {"name": "黄小梅"}, shop["boss"], NOW, settings)


def test_an_inactive_staff_member_cannot_write(shop, settings):
    from tui.db.models import Staff
    Staff.update(active=False).where(Staff.id == shop["zhang"]).execute()
    with pytest.raises(PermissionDenied, match="sign in"):
        register_member({"phone": "13900001111", "name": "李雷"}, shop["zhang"], NOW, settings)



# --- erasure reaches the audit log -------------------------------------------------------


def test_erasing_a_merged_member_scrubs_the_dropped_record_from_the_audit_log(shop, settings):
    # 赵敏 (M000004, 13600004567) is folded into 王芳 (M000001), then 王芳 asks to be erased:
    # the merge line still names 赵敏 with her phone and address until the erasure scrubs it
    Member.update(address="北京市朝阳区幸福路8号", email="zm@qq.com").where(
        Member.id == shop["zhaomin"]).execute()
    merge_members(shop["wangfang"], shop["zhaomin"], shop["zhang"], NOW, settings)
    line = AuditLog.get(AuditLog.action == "merge")
    assert "赵敏" in line.detail and "13600004567" in line.detail  # before: the record is whole

    erase_member(shop["wangfang"], shop["boss"], NOW)

    line = AuditLog.get_by_id(line.id)  # the line stays: who merged what, when
    assert (line.action, line.subject, line.staff_id, line.at) == (
        "merge", "M000001", shop["zhang"], NOW)
    for personal in ("赵敏", "13600004567", "4567", "北京市朝阳区幸福路8号", "zm@qq.com", "zhaomin"):
        assert personal not in line.detail, personal
    detail = json.loads(line.detail)
    assert detail["merged"] == "M000004" and detail["moved"]["purchases"] == 1
    assert detail["record"] == {"id": shop["zhaomin"], "member_no": "M000004",
                                "erased": "personal data erased on request"}
    assert merged_into("M000004") == "M000001"  # the old number still leads to the card
    # nothing personal about 王芳 or 赵敏 is left on any line of the log
    for a in AuditLog.select():
        assert not {"王芳", "赵敏", "13800001234", "13600004567"} & set(
            a.detail.replace('"', " ").replace(",", " ").split()), a.detail


def test_erasure_drops_a_spot_check_note_about_the_member(shop, settings):
    from tui.db.archive_log import ARCHIVE_ACTION  # noqa: F401  (the archive lines hold field names only)
    from tui.db.audit import audit
    from tui.db.models import database

    with database.atomic():
        audit(shop["boss"], NOW, "pdca_spot_mark", "M000009",
              "飞鹤复购 cycle 1: contact 7 verified; 黄小梅 confirmed on 18600009012")
        audit(shop["boss"], NOW, "pdca_spot_mark", "M000001", "飞鹤复购 cycle 1: contact 3 verified; 王芳 ok")
    erase_member(shop["huangxiaomei"], shop["boss"], NOW)
    lines = {a.subject: a.detail for a in AuditLog.select().where(AuditLog.action == "pdca_spot_mark")}
    assert lines == {"M000009": "飞鹤复购 cycle 1: contact 7 verified; (note erased with the member)",
                     "M000001": "飞鹤复购 cycle 1: contact 3 verified; 王芳 ok"}
