"""The command line's one-line mistakes in Chinese: a settings file that cannot be used,
a database that is not there, a file that is never written over. A settings file is
spoken of in the language its [shop] language line asks for (or --lang), when that line
can be read; a file that cannot be read at all, or asks for no language we speak, in
English."""

from __future__ import annotations

from pathlib import Path

import pytest

from eod_shop import shop  # noqa: F401 (its fixture, used by name)
from settings_files import variant
from tui.cli import main
from tui.db.write_lock import LockWaitOver, is_busy
from tui.i18n import use_language


def chinese(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """settings.toml saying `language = "zh-CN"`, with `old` replaced by `new`."""
    path = variant(tmp_path, 'language = "en"', 'language = "zh-CN"')
    if old:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def said(argv: list[str], capsys, clock=None) -> tuple[int, str]:
    code = main(argv, clock=clock)
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


def test_a_bad_setting_is_said_in_the_language_the_file_asks_for(tmp_path, capsys):
    path = chinese(tmp_path, "stale_after_days = 14", "stale_after_days = 0")
    assert said(["--settings", str(path), "queue"], capsys) == (
        2, f"shopfloor: {path}：callbacks.stale_after_days：应为介于 1 到 365 之间的整数\n")
    # --lang wins for one run: the same file in English, as it always was
    assert said(["--settings", str(path), "--lang", "en", "queue"], capsys) == (
        2, f"shopfloor: {path}: callbacks.stale_after_days: expected a whole number from 1 "
           "to 365\n")


@pytest.mark.parametrize("old, new, words", [
    ("guides_see_whole_shop = false", "guides_see_whole_shop = 1",
     "staff.guides_see_whole_shop：应为布尔值 true 或 false"),
    ('timezone = "Asia/Shanghai"', 'timezone = "Asia/Atlantis"',
     'shop.timezone：应为时区名（IANA），如 "Asia/Shanghai"'),
    ("week_starts_on = ", "week_starts_on = 'friday' #",
     'leaderboards.week_starts_on：应为以下之一："monday"、"sunday"'),
    ("width = 80", "width = 50", "printing.width：应为小票纸的 32、42 或 48，或 A4 的 80"),
    ("[printing]", "[printer]", "printer：未知的键"),
    ("stale_after_days = 14", "", "callbacks.stale_after_days：缺少此项；应为介于 1 到 365 之间的整数"),
])
def test_each_kind_of_settings_mistake_in_chinese(tmp_path, capsys, old, new, words):
    path = chinese(tmp_path, old, new)
    assert said(["--settings", str(path), "queue"], capsys) == (2, f"shopfloor: {path}：{words}\n")


def test_a_settings_file_whose_language_cannot_be_read_is_spoken_of_in_english(tmp_path, capsys):
    # not TOML at all: its language line is never read, so the line is English
    broken = chinese(tmp_path, "stale_after_days = 14", "stale_after_days = = 14")
    code, err = said(["--settings", str(broken), "queue"], capsys)
    assert code == 2 and err.startswith(f"shopfloor: {broken}: not valid TOML: ")
    # a language the program does not speak: English, and the line says which it speaks
    french = variant(tmp_path, 'language = "en"', 'language = "fr"', name="fr.toml")
    assert said(["--settings", str(french), "queue"], capsys) == (
        2, f'shopfloor: {french}: shop.language: expected one of "zh-CN", "en"\n')
    # --lang asks for Chinese whatever the file: a file that is not there, in Chinese
    assert said(["--settings", str(tmp_path / "none.toml"), "--lang", "zh-CN", "queue"],
                capsys) == (2, f"shopfloor: {tmp_path / 'none.toml'}：没有这个设置文件\n")


def test_a_missing_database_in_chinese(tmp_path, capsys):
    settings = chinese(tmp_path)
    missing = tmp_path / "none.db"
    assert said(["--settings", str(settings), "--db", str(missing), "queue"], capsys) == (
        2, f"shopfloor: {missing}：这里没有数据库；用 'shopfloor init --db {missing}' 开设真实"
           f"门店，用 'shopfloor demo --db {missing}' 生成演示门店，或用 --db 指定\n")
    # a folder given for the database file (tui.db.connection says it)
    assert said(["--settings", str(settings), "--db", str(tmp_path), "queue"], capsys) == (
        2, f"shopfloor: {tmp_path}：这是文件夹；请给出数据库文件的路径\n")


def test_a_file_never_written_over_in_chinese(shop, settings, clock, capsys, tmp_path,
                                             manager_pin):
    there = tmp_path / "eod.txt"
    there.write_text("昨天的", encoding="utf-8")
    assert said(["--db", str(settings.database.path), "--lang", "zh-CN", "report", "eod",
                 "--date", "2026-11-23", "--out", str(there), "--as", manager_pin],
                capsys, clock) == (
        2, f"shopfloor: {there}：已存在；请换一个新文件名（日结单从不覆盖已有的文件）\n")
    assert there.read_text(encoding="utf-8") == "昨天的"


def test_an_unknown_language_in_chinese_and_a_lock_wait_known_in_any_language():
    use_language("zh-CN")
    with pytest.raises(ValueError) as unknown:
        use_language("fr")
    assert str(unknown.value) == "未知的语言 'fr'；应为 zh-CN、en 之一"
    # the wait for the write lock said in Chinese is still a busy database
    assert is_busy(LockWaitOver("数据库被锁定：另一个会话占用写锁已达 5 秒"))
