"""The command line cannot be made to act on the terminal of whoever runs it: old rows
full of escapes (tests/payloads.py) print as text, and so do the one-line mistakes."""

from __future__ import annotations

from payloads import CLIPBOARD, MARKUP, RLO, TITLE, UNSAFE, dirty
from tui.cli import main
from tui.db.models import Callback, Member, MemberNote, Plan, Staff


def _dirty(shop):
    Member.update(name=dirty("王芳")).where(Member.id == shop["wangfang"]).execute()
    MemberNote.create(member=shop["wangfang"], staff=shop["zhang"],
                      written_at=Member.get_by_id(shop["wangfang"]).created_at,
                      text=f"{RLO}喜欢{CLIPBOARD}微信 {MARKUP}")
    Callback.update(detail=dirty("飞鹤星飞帆3段") + " ×12 runs out 11-28").where(
        Callback.member == shop["wangfang"]).execute()


def test_member_queue_and_lookup_print_no_escapes(shop, manager_pin, settings, capsys, clock):
    _dirty(shop)
    db = ["--db", str(settings.database.path)]
    me = ["--as", manager_pin]
    for argv, line in [
        (["member", "M000001"], "王芳  M000001  138 0000 1234"),
        (["member", "M000001"], f"  2025-12-01  张丽: 喜欢微信 {MARKUP}"),
        (["queue", "--width", "100"], "王芳        1234  running out: 飞鹤星飞帆3段 ×12 runs out "
                                      "11-28          today  张丽      never"),
        (["lookup", "1234"], "M000001    王芳          13800001234  张丽        4,200.00  phone tail"),
    ]:
        assert main(db + argv + me, clock=clock) == 0
        out = capsys.readouterr().out
        assert UNSAFE.search(out) is None
        assert line in out.splitlines()
    for argv in (["member", "M000001", "--format", "json"], ["queue", "--format", "json"],
                 ["queue", "--format", "csv"], ["lookup", "1234", "--format", "json"]):
        assert main(db + argv + me, clock=clock) == 0
        assert UNSAFE.search(capsys.readouterr().out) is None


def test_a_mistake_naming_old_rows_is_one_clean_line(shop, manager_pin, settings, capsys, clock):
    Plan.create(name=dirty("飞鹤复购"), segment="brand:飞鹤", responsible="owner",
                target_completion_pct=80, target_success_pct=30, target_sales_cents=0,
                created_by=shop["boss"], created_at=Member.get_by_id(1).created_at)
    Staff.update(name=f"{TITLE}刘芳{RLO}").where(Staff.id == shop["liu"]).execute()
    db = ["--db", str(settings.database.path)]
    assert main(db + ["queue", "--guide", "nobody", "--as", manager_pin], clock=clock) == 2
    assert capsys.readouterr().err == (
        "shopfloor: --guide: no active staff named 'nobody'; choose one of: 王店长, 刘芳, 张丽\n")
    assert main(db + ["pdca", "none"], clock=clock) == 2
    err = capsys.readouterr().err
    assert UNSAFE.search(err) is None and "plans on file: 飞鹤复购" in err
