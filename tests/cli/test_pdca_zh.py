"""`shopfloor pdca` in Chinese (--lang zh-CN): the check as text with Chinese words and the
same figures; the JSON's pace stays the stable English code."""

from __future__ import annotations

import json

from pdca_shop import DEC16, frozen, month, plan, shop  # noqa: F401 (its fixtures, used by name)
from tui.cli import main


def test_the_check_as_text_in_chinese(month, settings, frozen, capsys):
    path = str(settings.database.path)
    assert main(["--db", path, "--lang", "zh-CN", "pdca", "飞鹤复购", "--width", "100"],
                clock=frozen) == 0
    text = capsys.readouterr().out
    assert "— 计划·执行·检查·改进 — 飞鹤复购 · 第 1 周期（进行中） · 2026-12-01..2026-12-31" in text
    assert "第 16/31 天（截至 2026-12-16） · 6 位目标会员，2026-11-23 锁定" in text
    assert "整个计划 · 6 位目标会员" in text and "刘芳 · 2 位目标会员" in text
    for words in ("指标", "实际", "目标", "应达", "进度", "抽查", "完成率", "成交率", "业绩",
                  "进度正常", "落后"):
        assert words in text, words
    assert "5/6 83%" in text and "¥2,100" in text and "¥3,000" in text
    assert main(["--db", path, "--lang", "zh-CN", "pdca", "飞鹤复购", "--format", "json"],
                clock=frozen) == 0
    doc = json.loads(capsys.readouterr().out)[0]
    assert doc["whole"]["figures"]["success"]["pace"] == "on pace"
