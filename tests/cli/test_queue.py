"""The queue from the command line, and the command line's one-line mistakes about the database."""

from __future__ import annotations

import json

from tui.cli import main
from tui.db.models import Callback


def test_cli_twin_prints_the_same_queue(shop, settings, capsys, clock, manager_pin):
    code = main(["--db", str(settings.database.path), "queue", "--date", "2026-11-23",
                 "--format", "json", "--as", manager_pin], clock=clock)
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert [ln["name"] for ln in doc["lines"]] == ["陈晓燕", "周婷", "黄小梅", "李娜", "孙丽丽", "王芳", "赵敏"]
    assert doc["counts"] == {"due": 7, "overdue": 3, "done_today": 0}
    assert doc["lines"][0]["reasons"][1] == {"reason": "running_out", "label": "running out",
                                             "due_on": "2026-11-14",
                                             "detail": "帮宝适L码 ×3 runs out 11-19"}
    main(["--db", str(settings.database.path), "queue", "--date", "2026-11-23", "--guide", "张丽",
          "--format", "csv", "--as", manager_pin], clock=clock)
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("member_no,name,phone_tail,reasons")
    assert [r.split(",")[1] for r in rows[1:]] == ["李娜", "孙丽丽", "王芳"]


def test_cli_text_lines_up_chinese_names(shop, settings, capsys, clock, manager_pin):
    main(["--db", str(settings.database.path), "queue", "--date", "2026-11-23", "--width", "80",
          "--as", manager_pin], clock=clock)
    lines = capsys.readouterr().out.splitlines()
    body = [ln for ln in lines[3:] if ln.strip()]
    from tui.reports.text import cell_width
    # the tail column starts at the same terminal column on every line
    starts = {cell_width(ln[:ln.index(tail)]) for ln, tail in zip(body[1:], ["3456", "6789", "9012",
                                                                            "2345", "5678", "1234",
                                                                            "4567"])}
    assert starts == {12}
    assert max(cell_width(ln) for ln in body) <= 80


def test_cli_unknown_guide_is_one_line_and_status_2(shop, settings, capsys, clock, manager_pin):
    code = main(["--db", str(settings.database.path), "queue", "--guide", "nobody",
                 "--as", manager_pin], clock=clock)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "no active staff named 'nobody'" in err and "张丽" in err


def test_cli_missing_database(tmp_path, capsys, clock):
    code = main(["--db", str(tmp_path / "none.db"), "queue"], clock=clock)
    assert code == 2
    assert "no database here" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_cli_demo_into_a_missing_folder(tmp_path, capsys, clock):
    code = main(["demo", "--db", str(tmp_path / "no" / "such" / "shop.db"), "--members", "5"], clock=clock)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "does not exist" in err


def test_cli_demo_refuses_to_overwrite(tmp_path, capsys, clock):
    target = tmp_path / "shop.db"
    target.write_text("keep me")
    code = main(["demo", "--db", str(target), "--members", "5"], clock=clock)
    assert code == 2 and "--force" in capsys.readouterr().err
    assert target.read_text() == "keep me"


def test_cli_database_held_by_another_session_is_one_line(shop, settings, capsys, clock,
                                                          manager_pin):
    import sqlite3

    from tui.settings import load_settings

    # the day's first run must write; another session holds the write lock throughout
    Callback.delete().execute()
    from tui.db.models import Meta
    Meta.delete().execute()
    short = settings.source.parent / "settings.toml"
    text = short.read_text(encoding="utf-8").replace("busy_timeout_ms = 5000", "busy_timeout_ms = 200")
    fast = settings.database.path.parent / "fast.toml"
    fast.write_text(text.replace('path = "shopfloor.db"', f'path = "{settings.database.path}"'),
                    encoding="utf-8")
    assert load_settings(fast).database.busy_timeout_ms == 200
    holder = sqlite3.connect(settings.database.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code = main(["--settings", str(fast), "queue", "--as", manager_pin], clock=clock)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") <= 2 and "database is busy" in err and "Traceback" not in err


def test_cli_empty_db_path(capsys, clock):
    assert main(["--db", "", "queue"], clock=clock) == 2
    assert "need a path" in capsys.readouterr().err


def test_cli_queue_in_chinese(shop, settings, capsys, clock, manager_pin):
    main(["--db", str(settings.database.path), "--lang", "zh-CN", "queue", "--date",
          "2026-11-23", "--width", "80", "--as", manager_pin], clock=clock)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "贝贝母婴 Beibei Mother & Baby — 回访列表 2026-11-23 — 全店"
    assert lines[1] == "到期 7  逾期 3  今日已完成 0"
    assert lines[3].split() == ["会员", "尾号", "回访原因", "到期", "导购", "上次联系"]
    assert lines[4].split()[:2] == ["陈晓燕", "3456"] and "逾期 9 天" in lines[4]
    from tui.reports.text import cell_width
    assert max(cell_width(ln) for ln in lines) <= 80
    main(["--db", str(settings.database.path), "--lang", "zh-CN", "queue", "--date",
          "2026-11-23", "--format", "json", "--as", manager_pin], clock=clock)
    doc = json.loads(capsys.readouterr().out)
    # keys and codes stay English for programs; the label is the run's language
    assert doc["lines"][0]["reasons"][1]["reason"] == "running_out"
    assert doc["lines"][0]["reasons"][1]["label"] == "用量提醒"
