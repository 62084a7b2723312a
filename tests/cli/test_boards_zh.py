"""The leaderboards' and PDCA's command-line text in Chinese (--lang zh-CN): the same
figures as in English, the words and headings in Chinese, a mistake said in Chinese; JSON
keys stay English."""

from __future__ import annotations

import json
import re

from board_shop import NOW, board, shop  # noqa: F401 (its fixtures, used by name)
from tui.cli import main


def _english(text: str, *data: str) -> list[str]:
    for words in data:
        text = text.replace(words, "")
    return re.findall(r"[A-Za-z]{3,}", text)


def test_a_board_as_text_in_chinese(shop, settings, clock, capsys):
    path = str(settings.database.path)
    assert main(["--db", path, "--lang", "zh-CN", "leaderboard", "--board", "callbacks",
                 "--period", "week"], clock=clock) == 0
    out = capsys.readouterr().out
    assert "按时完成回访 — 本周 2026-11-23..2026-11-29" in out
    assert "排名依据：按时率；3 位在职导购" in out
    assert "导购" in out and "按时率" in out and "延迟" in out and "未完成" in out
    assert "2/5 40%" in out and "2/2 100%" in out  # the figures as in English
    assert not _english(out, settings.shop.name, "YYYY-MM-DD"), _english(out, settings.shop.name)


def test_a_board_as_json_keeps_its_keys_in_chinese(shop, settings, clock, capsys):
    path = str(settings.database.path)
    assert main(["--db", path, "--lang", "zh-CN", "leaderboard", "--board", "visits",
                 "--period", "week", "--format", "json"], clock=clock) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [c["key"] for c in doc["columns"]] == ["contacts", "reached", "care"]
    assert doc["period"]["kind"] == "week" and doc["title"] == "联系"


def test_a_mistake_in_chinese(shop, settings, clock, capsys):
    try:
        code = main(["--db", str(settings.database.path), "--lang", "zh-CN", "leaderboard",
                     "--board", "visits", "--period", "2026-11-30..2026-11-01"], clock=clock)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert "结束早于开始" in capsys.readouterr().err
