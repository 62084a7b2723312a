"""Text cannot take over a terminal or a page: checked where it enters the archive (the
db's write functions), cleaned where it leaves (tui/text.py, the reports)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from fixture_shop import NOW, TODAY
from payloads import CLEAR, CLIPBOARD, LONG, MARKUP, NUL, RED, RLO, TITLE, UNSAFE, dirty
from tui.db.callbacks.contacts import ContactEntry, ContactError, log_contact
from tui.db.members.archive import FieldErrors, add_child, register_member, update_member
from tui.db.members.card import NoteError, add_note, member_card
from tui.db.models import Callback, Child, Contact, Member, MemberNote, Staff
from tui.db.pdca.form import PlanFieldErrors, read_plan_form
from tui.db.staff import StaffError, add_staff
from tui.text import csv_cell, entered, entry_problem, json_safe, one_line, shown

#: every escape sequence and control in the payloads; each is refused where text enters
ESCAPES = [CLEAR, RED, CLIPBOARD, TITLE, NUL, "\x7f", "\x9b31m"]


# -- the one module --------------------------------------------------------------------------

@pytest.mark.parametrize("text, line, lines", [
    ("王芳", "王芳", "王芳"),                                    # plain text as it is
    (MARKUP, MARKUP, MARKUP),                                  # markup is only text here
    (f"a{CLEAR}b{RED}c\x1b[0m", "abc", "abc"),                 # CSI, with its parameters
    (f"x{CLIPBOARD}y", "xy", "xy"),                            # OSC 52 and what it carries
    (f"x{TITLE}y", "xy", "xy"),                                # OSC 0
    ("x\x1b]0;title\x1b\\y", "xy", "xy"),                      # OSC ended by ST
    ("x\x1b]52;c;cm0g", "x", "x"),                             # OSC never ended
    ("a\x9b2Jb\x9d0;t\x9cc", "abc", "abc"),                    # the one-byte C1 forms
    ("a\x1b7b\x1bc", "ab", "ab"),                              # two-character ESC sequences
    (f"a{NUL}b\x07c\x7fd\x85e", "abcde", "abcde"),             # NUL, BEL, DEL, NEL
    (f"{RLO}王芳\u2066x\u2069", "王芳x", "王芳x"),              # bidi controls
    ("a\tb\r\nc\nd\u2028e", "a b c d e", "a b\nc\nd\ne"),       # tabs and line breaks
])
def test_output_keeps_what_can_be_seen_and_drops_what_acts(text, line, lines):
    assert one_line(text) == line
    assert shown(text) == lines


def test_plain_text_is_returned_as_the_same_object():
    text = "王芳  M000001  138 0000 1234\n" * 3
    assert shown(text) is text and one_line("王芳") == "王芳"


def test_json_escapes_what_json_dumps_leaves_raw():
    value = f"a{RLO}b\x9b31mc\x7f\u2028"
    document = json.dumps({"name": value}, ensure_ascii=False)
    assert json_safe(document) == '{"name": "a\\u202eb\\u009b31mc\\u007f\\u2028"}'
    assert json.loads(json_safe(document)) == {"name": value}


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"https://evil.example\",\"x\")", "'=HYPERLINK(\"https://evil.example\",\"x\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    (f"{RLO}{RED}王芳{CLIPBOARD}", "王芳"), (f"{RED}=1+1", "'=1+1"), ("王芳", "王芳"), (-120, -120),
])
def test_csv_cells_are_one_line_and_never_a_formula(value, cell):
    assert csv_cell(value) == cell


def test_entry_trims_makes_tabs_spaces_and_removes_bidi_controls():
    assert entered(f" {RLO}王\t芳\u202c \r\n") == "王 芳"
    assert entered("one\r\ntwo\rthree\u2028four") == "one\ntwo\nthree\nfour"
    assert entry_problem("one\ntwo", 10, lines=True) is None
    assert entry_problem("one\ntwo", 10) == "no control characters, please"
    assert entry_problem(f"a{CLEAR}", 10) == "no control characters, please"
    assert entry_problem(LONG, 500) == "10000 characters; at most 500"


# -- where text enters -----------------------------------------------------------------------

def test_a_note_refuses_escapes_and_keeps_markup_and_line_breaks_as_typed(shop):
    for bad in ESCAPES:
        with pytest.raises(NoteError) as caught:
            add_note(shop["wangfang"], shop["zhang"], f"喜欢{bad}微信", NOW)
        assert str(caught.value) == ("the note has control characters; type it again as "
                                     "plain text")
    with pytest.raises(NoteError) as caught:
        add_note(shop["wangfang"], shop["zhang"], LONG, NOW)
    assert str(caught.value) == "the note is 10000 characters; keep it to 500"
    assert MemberNote.select().count() == 0
    for typed in (f"{RLO}喜欢\t微信{RLO}", MARKUP, "晚上8点后\r\n微信联系"):
        add_note(shop["wangfang"], shop["zhang"], typed, NOW)
    assert [n.text for n in MemberNote.select().order_by(MemberNote.id)] == [
        "喜欢 微信", MARKUP, "晚上8点后\n微信联系"]


def test_member_fields_refuse_escapes_and_lose_bidi_controls(shop, settings):
    base = {"phone": "13811112222", "name": "林晓"}
    for bad in ESCAPES:
        for field in ("name", "address", "hobbies"):
            with pytest.raises(FieldErrors) as caught:
                register_member({**base, field: f"林{bad}晓"}, shop["zhang"], NOW, settings)
            assert caught.value.errors == {field: "no control characters, please"}
    with pytest.raises(FieldErrors) as caught:
        update_member(shop["wangfang"], {"name": "王芳", "hobbies": LONG}, shop["zhang"], NOW,
                      settings)
    assert caught.value.errors == {"hobbies": "10000 characters; at most 500"}
    new = register_member({**base, "name": f"{RLO}林晓", "address": f"{MARKUP}"},
                          shop["zhang"], NOW, settings)
    update_member(new, {"name": f"林晓{RLO}", "hobbies": "读书\t旅行"}, shop["zhang"], NOW, settings)
    member = Member.get_by_id(new)
    assert (member.name, member.address, member.hobbies) == ("林晓", MARKUP, "读书 旅行")


def test_a_childs_name_refuses_escapes(shop, settings):
    with pytest.raises(FieldErrors) as caught:
        add_child(shop["wangfang"], f"乐{TITLE}乐", "2026-01-05", shop["zhang"], NOW, settings)
    assert caught.value.errors == {"child_name": "no control characters, please"}
    add_child(shop["wangfang"], f"{RLO}乐乐", "2026-01-05", shop["zhang"], NOW, settings)
    assert Child.select().where(Child.member == shop["wangfang"]).first().name == "乐乐"


def test_a_contact_note_refuses_escapes_and_is_at_most_500(shop, settings):
    rules, zone = settings.callbacks, settings.shop.zone
    before = Contact.select().count()
    for bad in [*ESCAPES, LONG]:
        with pytest.raises(ContactError) as caught:
            log_contact(ContactEntry(shop["lina"], shop["zhang"], "phone", "reached", False,
                                     f"满意{bad}"), rules, zone, NOW)
        assert str(caught.value) == (
            "the note is 10002 characters; keep it to 500" if bad is LONG else
            "the note has control characters; type it again as plain text")
    assert Contact.select().count() == before
    logged = log_contact(ContactEntry(shop["lina"], shop["zhang"], "phone", "reached", False,
                                      f"{RLO}推车很好用 {MARKUP}"), rules, zone, NOW)
    assert Contact.get_by_id(logged.contact_id).note == f"推车很好用 {MARKUP}"


PLAN = {"name": "飞鹤复购", "kind": "brand", "value": "飞鹤", "bought": "", "period": "month",
        "completion": "80", "success": "30", "sales": "50000", "responsible": "owner"}


def test_a_plan_name_and_methods_refuse_escapes(shop, settings):
    for bad in ESCAPES:
        with pytest.raises(PlanFieldErrors) as caught:
            read_plan_form({**PLAN, "name": f"飞鹤{bad}复购"}, (), settings, TODAY)
        assert caught.value.errors == {"name": "no control characters, please"}
        with pytest.raises(PlanFieldErrors) as caught:
            read_plan_form(PLAN, (f"满6罐{bad}送玩偶",), settings, TODAY)
        assert caught.value.errors == {"other": "no control characters, please"}
    with pytest.raises(PlanFieldErrors) as caught:
        read_plan_form({**PLAN, "name": LONG}, ("x" * 61,), settings, TODAY)
    assert caught.value.errors == {"name": "10000 characters; at most 40",
                                   "other": "61 characters; at most 60"}
    draft = read_plan_form({**PLAN, "name": f"{RLO}飞鹤复购"}, (f"{RLO}满6罐 送玩偶",),
                           settings, TODAY)
    assert (draft.name, draft.methods) == ("飞鹤复购", ("满6罐 送玩偶",))


def test_a_staff_name_refuses_escapes(shop, settings, clock):
    for bad in ESCAPES:
        with pytest.raises(StaffError) as caught:
            add_staff(f"小{bad}美", "guide", "4821", shop["boss"], NOW, settings.staff)
        assert str(caught.value) == "the name has control characters; type it again as plain text"
    add_staff(f"{RLO}小美", "guide", "4821", shop["boss"], NOW, settings.staff)
    assert Staff.get_or_none(Staff.name == "小美") is not None


# -- where text leaves: the reports ---------------------------------------------------------

def _dirty_shop(shop):
    """Old rows written before the checks, straight to the database: a name, a note, a
    contact note and a call's detail full of escapes."""
    Member.update(name=dirty("王芳"), address=f"{RED}北京{RESET_ALL}").where(
        Member.id == shop["wangfang"]).execute()
    MemberNote.create(member=shop["wangfang"], staff=shop["zhang"], written_at=NOW,
                      text=f"{RLO}喜欢{CLIPBOARD}微信\n{MARKUP}")
    Contact.create(member=shop["wangfang"], staff=shop["zhang"], contacted_at=NOW,
                   channel="phone", outcome="reached", note=f"满意{TITLE}{NUL}")
    Callback.update(detail=dirty("飞鹤星飞帆3段") + " ×12 runs out 11-28").where(
        Callback.member == shop["wangfang"]).execute()


RESET_ALL = "\x1b[0m"


def test_the_member_card_shows_old_dirty_rows_clean(shop, settings):
    from tui.reports.member import card_json, card_text

    _dirty_shop(shop)
    card = member_card(shop["wangfang"], TODAY, settings)
    text = card_text(card, ("name", "address"), ())
    assert UNSAFE.search(text) is None
    assert text.splitlines()[0] == "王芳  M000001  138 0000 1234"
    assert "  name            王芳\n  address         北京\n" in text
    assert (f"notes:\n  2026-11-23  张丽: 喜欢微信\n    {MARKUP}\n") in text
    assert "  2026-11-23  running out  飞鹤星飞帆3段 ×12 runs out 11-28\n" in text
    assert "  2026-11-23 11:30  张丽  phone  reached  满意\n" in text
    document = card_json(card)
    assert UNSAFE.search(document) is None
    assert json.loads(document)["name"] == dirty("王芳")  # the data as stored, escaped


def test_queue_text_json_and_csv_show_old_dirty_rows_clean(shop, settings):
    from tui.db.callbacks.queue import callback_queue
    from tui.reports.queue import queue_csv, queue_json, queue_text

    _dirty_shop(shop)
    Member.update(name="=HYPERLINK(\"https://evil.example\")").where(
        Member.id == shop["lina"]).execute()
    page = callback_queue(TODAY, settings.callbacks, settings.shop.zone, limit=None)
    text = queue_text(page, "贝贝母婴", 100)
    assert UNSAFE.search(text) is None
    assert ("王芳        1234  running out: 飞鹤星飞帆3段 ×12 runs out 11-28          "
            "today  张丽      today 11:…") in text.splitlines()
    document = queue_json(page)
    assert UNSAFE.search(document) is None
    assert [ln["name"] for ln in json.loads(document)["lines"]][5] == dirty("王芳")
    rows = list(csv.reader(io.StringIO(queue_csv(page))))
    assert [r[1] for r in rows if r[0] in ("M000001", "M000002")] == [
        "'=HYPERLINK(\"https://evil.example\")", "王芳"]


def test_lookup_text_shows_old_dirty_rows_clean(shop):
    from tui.db.members.lookup import lookup_members
    from tui.reports.lookup import hits_json, hits_text

    _dirty_shop(shop)
    hits = lookup_members("1234")
    assert hits_text(hits).splitlines()[1] == (
        "M000001    王芳          13800001234  张丽        4,200.00  phone tail")
    assert UNSAFE.search(hits_json("1234", hits)) is None
