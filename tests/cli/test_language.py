"""The command line in Chinese and in English: --help, argparse's own words, the one-line
mistakes, the end-of-day sheet and the commands' own messages; --lang for one run, else the
settings' [shop] language, read before the parser is built."""

from __future__ import annotations

import re

import pytest

from eod_shop import GOLDEN, shop  # noqa: F401 (its fixtures, used by name)
from settings_files import variant
from tui.cli import main
from tui.db.boards.figures import BOARDS
from tui.db.members.segments import EXAMPLES
from tui.cli.common import cell_wrap
from tui.reports.text import cell_width

#: every command's --help
COMMAND_LINES = [[], ["run"], ["init"], ["demo"], ["queue"], ["lookup"], ["member"], ["pin"], ["assign"],
                 ["assign", "split"], ["assign", "handover"], ["assign", "members"],
                 ["leaderboard"], ["pdca"], ["report"], ["report", "eod"], ["backup"],
                 ["restore"], ["setup-ssh"], ["export"], ["import"]]

#: Latin words a Chinese --help may hold: names a person types or reads as they are (the
#: program, tools, files and settings keys, examples of input), never English sentences
NAMES = {"shopfloor", "CUPS", "SSH", "settings", "toml", "language", "guides_see_whole_shop",
         "dir", "authorized_keys", "ssh", "keys", "pub", "zhangsan", "text", "json", "csv",
         "today", "week", "month", "shop", "staff", "backup", "Asia", "Shanghai", "Excel",
         "xlsx", "exports"}
#: and the commands, typed as they are
NAMES |= {word for line in COMMAND_LINES for word in line} | {"setup", "leaderboard"}
#: and what a segment and a board are written as (tui.db.members.segments, tui.db.boards)
NAMES |= set(re.findall(r"[a-z]+", EXAMPLES)) | set(BOARDS)
#: and what `shopfloor export` exports and `shopfloor import` imports, typed as it is
NAMES |= {"members", "purchases", "contacts", "callbacks", "boards", "products", "undo", "list",
          "cron", "xls", "done", "failed", "problems"}


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0
    return capsys.readouterr().out


def _english_words(text: str) -> set[str]:
    text = re.sub(r"--?[\w-]+", " ", text)  # options
    text = re.sub(r"\{[^}]*\}", " ", text)  # choices
    text = re.sub(r"\$\w+|\b[A-Z][A-Z0-9_.,|]*\b", " ", text)  # $VARIABLES and METAVARS
    text = re.sub(r"\b[A-Z]\d+\b|\bM\d{6}\b", " ", text)
    return {w for w in re.findall(r"[A-Za-z_]{3,}", text) if w not in NAMES}


@pytest.mark.parametrize("command", COMMAND_LINES, ids=lambda c: " ".join(c) or "shopfloor")
def test_help_in_chinese_has_no_english_words_but_names(command, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    text = _help(["--lang", "zh-CN", *command, "--help"], capsys)
    assert text.startswith("用法：shopfloor")
    assert "显示本帮助并退出" in text
    assert _english_words(text) == set()
    assert all(cell_width(line) <= 80 for line in text.splitlines())  # Chinese two columns


def test_help_in_english_is_as_before(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    text = _help(["report", "eod", "--help"], capsys)
    assert text.startswith("usage: shopfloor report eod")
    assert "show this help message and exit" in text and "write the sheet to this file" in text
    assert not re.search(r"[\u4e00-\u9fff]{3,}", text.replace("日结", ""))


def test_the_settings_language_is_read_before_the_parser(tmp_path, capsys):
    chinese = variant(tmp_path, 'language = "en"', 'language = "zh-CN"')
    assert "显示本帮助并退出" in _help(["--settings", str(chinese), "--help"], capsys)
    # --lang wins for one run, either way round
    assert "show this help" in _help(["--settings", str(chinese), "--lang", "en", "--help"], capsys)
    assert "显示本帮助并退出" in _help(["--lang=zh-CN", "--help"], capsys)


@pytest.mark.parametrize("argv, words", [
    (["report", "eod", "--width", "40"], "shopfloor report eod：参数 --width：无效的选择：40"),
    (["report", "eod", "--date", "2026-13-01"], "'2026-13-01' 不是日期；请写作 年-月-日"),
    (["queue", "--bogus"], "shopfloor：无法识别的参数：--bogus（见 shopfloor --help）"),
    (["restore"], "缺少必需的参数：FILE"),
])
def test_argparse_mistakes_in_chinese(argv, words, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--lang", "zh-CN", *argv])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert words in err and len(err.splitlines()) == 1


def test_the_commands_mistakes_in_chinese(shop, settings, clock, capsys, tmp_path):
    db = str(settings.database.path)
    assert main(["--db", db, "--lang", "zh-CN", "report", "eod", "--date", "2026-11-24"],
                clock=clock) == 2
    assert capsys.readouterr().err == (
        "shopfloor：--date 2026-11-24：这一天还没到（今天是 2026-11-23）\n".replace(
            "shopfloor：", "shopfloor: "))
    assert main(["--db", str(tmp_path / "none.db"), "--lang", "zh-CN", "queue"], clock=clock) == 2
    err = capsys.readouterr().err
    assert "这里没有数据库" in err and "shopfloor demo --db" in err
    assert main(["--db", db, "--lang", "zh-CN", "lookup", "张"], clock=clock) == 2
    assert "lookup 会显示会员的个人信息：请用 --as 姓名 说明身份" in capsys.readouterr().err
    # the same mistake in English, as it always was
    assert main(["--db", db, "report", "eod", "--date", "2026-11-24"], clock=clock) == 2
    assert "that day has not happened yet (today is 2026-11-23)" in capsys.readouterr().err


@pytest.mark.parametrize("width", (32, 42, 48, 80))
def test_the_end_of_day_sheet_in_chinese(shop, settings, clock, capsys, width, manager_pin):
    assert main(["--db", str(settings.database.path), "--lang", "zh-CN", "report", "eod",
                 "--date", "2026-11-23", "--width", str(width), "--as", manager_pin],
                clock=clock) == 0
    out = capsys.readouterr().out
    assert out == (GOLDEN / f"eod-zh-{width}.txt").read_text(encoding="utf-8")
    assert out.splitlines()[1].startswith("日结 ")


def test_backup_says_it_in_chinese(shop, settings, clock, capsys, tmp_path):
    folder = tmp_path / "backups"
    assert main(["--db", str(settings.database.path), "--lang", "zh-CN", "backup", "--to",
                 str(folder)], clock=clock) == 1
    assert "备份文件夹不存在" in capsys.readouterr().err
    folder.mkdir()
    assert main(["--db", str(settings.database.path), "--lang", "zh-CN", "backup", "--to",
                 str(folder)], clock=clock) == 0
    out = capsys.readouterr().out
    assert out.startswith("已备份到 ") and "已做完整性检查" in out and "删除了 0 份旧备份" in out


def test_help_lines_wrap_by_terminal_columns():
    lines = cell_wrap("以这位员工身份登录（SSH 强制命令）：程序只问密码，命令以其身份执行", 20)
    assert all(cell_width(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == "以这位员工身份登录（SSH强制命令）：程序只问密码，命令以其身份执行"
    assert not any(line.startswith(("，", "：", "）")) for line in lines)
    assert cell_wrap("the PIN is asked, or read", 12) == ["the PIN is", "asked, or", "read"]


def test_pin_and_restore_say_it_in_chinese(shop, settings, clock, capsys, tmp_path, manager_pin,
                                           monkeypatch):
    db = str(settings.database.path)
    monkeypatch.setenv("SHOPFLOOR_NEW_PIN", "4321")
    assert main(["--db", db, "--lang", "zh-CN", "pin", "张丽", "--as", manager_pin],
                clock=clock) == 0
    assert capsys.readouterr().out == "已为 张丽 设置密码；锁定已解除。\n"
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["--db", db, "backup", "--to", str(folder)], clock=clock) == 0
    assert capsys.readouterr().out.startswith("Backed up to ")  # English, as it was
    copy = next(folder.glob("shopfloor-*.db"))
    assert main(["--db", db, "--lang", "zh-CN", "restore", str(tmp_path / "nothing.db"),
                 "--as", manager_pin], clock=clock) == 1
    assert capsys.readouterr().err == f"shopfloor: 未恢复：{tmp_path / 'nothing.db'}：没有这个文件\n"
    kept = variant(tmp_path, 'dir = "backups"', f'dir = "{folder}"')  # not the repository's
    assert main(["--settings", str(kept), "--db", db, "--lang", "zh-CN", "restore", str(copy),
                 "--as", manager_pin], clock=clock) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"已将 {copy} 恢复到 {db}；被替换的数据库保存在 ")
