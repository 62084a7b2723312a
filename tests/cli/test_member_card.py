"""A member's card from the command line."""

from __future__ import annotations

import json

from tui.cli import main


def test_cli_member_card(shop, settings, capsys, clock, manager_pin):
    assert main(["--db", str(settings.database.path), "member", "M000009", "--format", "json",
                 "--as", manager_pin], clock=clock) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["name"], doc["completeness"]["percent"], doc["tier"]["name"]) == ("黄小梅", 18, "普通会员")
    assert main(["--db", str(settings.database.path), "member", "M000009",
                 "--as", manager_pin], clock=clock) == 0
    text = capsys.readouterr().out
    assert "archive 18%" in text and "ask next: occupation" in text and "乐乐 11 months" in text
    assert main(["--db", str(settings.database.path), "member", "M999999",
                 "--as", manager_pin], clock=clock) == 2
    assert "no member" in capsys.readouterr().err


def test_cli_member_card_in_chinese(shop, settings, capsys, clock, manager_pin):
    assert main(["--db", str(settings.database.path), "--lang", "zh-CN", "member", "M000009",
                 "--as", manager_pin], clock=clock) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:8] == [
        "黄小梅  M000009  186 0000 9012",
        "导购 刘芳  ·  推广：未问",
        "普通会员（积分 1 倍）  ·  累计消费 ¥258.00  ·  再消费 ¥1,742.00 升银卡",
        "档案完整度 18%（硬档案 4/9，软档案 1/9）  ·  下一个要问：职业",
        "累计赠礼：帮宝适累计赠礼：再买 8 包得湿巾一箱",
        "硬档案：",
        "  姓名            黄小梅",
        "  性别            —",
    ]
    # a label of Chinese characters takes two columns each: the values line up at column 18
    assert "  购买过的商品    有" in lines and "  家庭            已有宝宝资料" in lines
    assert "宝宝：乐乐 11 个月" in lines
    assert main(["--db", str(settings.database.path), "--lang", "zh-CN", "member", "M999999",
                 "--as", manager_pin], clock=clock) == 2
    assert "没有会员 'M999999'；请输入会员 id 或会员号，如 M000123" in capsys.readouterr().err
