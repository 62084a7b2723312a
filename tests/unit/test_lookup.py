"""Finding a member at the register; every expected hit is written out by hand."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from lookup_shop import NOW, members  # noqa: F401 (its fixtures, used by name)
from tui.db.connection import open_database
from tui.db.members.lookup import QueryError, count_members, lookup_members
from tui.db.migrations import MIGRATIONS
from tui.db.models import Member
from tui.db.pinyin import name_keys, name_order, spells


def names(query: str) -> list[tuple[str, str]]:
    return [(h.name, h.matched) for h in lookup_members(query)]


@pytest.mark.parametrize("name, keys", [
    ("张三", ("zhangsan", "zs")), ("曾雨", ("zengyu", "zy")),  # 曾 as a surname: zeng, not ceng
    ("单萍岚", ("shanpinglan", "spl")),  # 单 as a surname: shan, not dan
    ("尉迟恭", ("yuchigong", "ycg")), ("Anna Li", ("annali", "al")),
])
def test_pinyin_keys_of_a_name(name, keys):
    assert name_keys(name) == keys


def test_keys_are_written_with_the_name(members):
    m = Member.get(Member.member_no == "M000004")
    assert (m.name_pinyin, m.name_initials) == ("zengyu", "zy")
    m.name = "曾雨涵"
    m.save()
    assert Member.get_by_id(m.id).name_initials == "zyh"


@pytest.mark.parametrize("query, expected", [
    # phone tail 5678: 张珊 (900 yuan), 张三 (500), 李娜 (0) all end in 5678
    ("5678", [("张珊", "phone tail"), ("张三", "phone tail"), ("李娜", "phone tail")]),
    ("12345678", [("张三", "phone tail"), ("李娜", "phone tail")]),  # 500 > 0 yuan
    ("2345678", [("张三", "phone tail"), ("李娜", "phone tail")]),
    ("13812345678", [("张三", "phone")]),
    ("138 1234 5678", [("张三", "phone")]),
    ("4", [("曾雨", "member no")]),  # M000004
    ("m000005", [("单萍岚", "member no")]),
    ("张", [("张珊", "name"), ("张三", "name")]),
    ("王芳", [("王芳", "name"), ("王芳芳", "name")]),  # the exact name first, then by spend
    # zs: 张珊 zhangshan (900), 张三 zhangsan (500), 赵四 zhaosi (100)
    ("zs", [("张珊", "initials"), ("张三", "initials"), ("赵四", "initials")]),
    ("ZhangSan", [("张三", "pinyin")]),
    ("zeng", [("曾雨", "pinyin")]),
    ("ceng", []),
    ("shan", [("单萍岚", "pinyin")]),
    ("wf", [("王芳", "initials"), ("王芳芳", "initials")]),  # wf exact before wff
    ("0000", []),
    ("孙", []),
])
def test_lookup(members, query, expected):
    assert names(query) == expected


@pytest.mark.parametrize("query", ["#!", "张s", "13a8"])
def test_a_query_that_cannot_match_says_what_to_type(members, query):
    with pytest.raises(QueryError, match="last 4 digits"):
        lookup_members(query)


def test_one_letter_asks_for_a_second(members):
    with pytest.raises(QueryError, match=r"type a second letter: z alone starts thousands of names"):
        lookup_members("Z")


def test_a_version_3_database_gets_the_keys_on_upgrade(tmp_path):
    path = tmp_path / "v3.db"
    con = sqlite3.connect(path)
    for number, _about, steps in MIGRATIONS[:3]:
        for step in steps:
            con.execute(step)
    con.execute("PRAGMA user_version = 3")
    con.execute("INSERT INTO member (member_no, name, joined_on, created_at)"
                " VALUES ('M000001', '单萍岚', '2026-01-01', '2026-01-01 00:00:00')")
    con.commit()
    con.close()
    db = open_database(path)
    assert db.execute_sql("SELECT name_pinyin, name_initials FROM member").fetchall() == [
        ("shanpinglan", "spl")]
    assert [h.name for h in lookup_members("spl")] == ["单萍岚"]


def test_pypinyin_is_not_imported_at_start_up():
    code = ("import sys, tui.cli, tui.app, tui.db.members.lookup;"
            "sys.exit(1 if 'pypinyin' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.parametrize("query, count", [
    ("王", 2), ("zhang", 2), ("5678", 3), ("zs", 3), ("王芳芳", 1), ("0000", 0), ("", 0),
    ("m3", 1), ("z", None),
])
def test_count_of_every_member_a_query_finds(members, query, count):
    if count is None:  # one letter: refused as the lookup refuses it
        with pytest.raises(QueryError):
            count_members(query)
        return
    assert count_members(query) == count


def test_the_count_stops_past_its_cap(members):
    # zs: 张三 张珊 赵四; counted to cap + 1, which says "more than the cap"
    assert count_members("zs", cap=1) == 2
    assert count_members("z s", cap=2) == 3
    assert count_members("zs", cap=5) == 3


@pytest.mark.parametrize("typed, spelt", [
    ("feihe", True), ("fh", True), ("xingfei", True), ("xff", True), ("FEIHE", True),
    ("feihexing", True), ("3duan", True),
    ("eihe", False), ("feihei", False), ("飞鹤", False), ("fei he", False), ("", False),
])
def test_pinyin_spells_a_product_from_any_syllable(typed, spelt):
    assert spells(typed, "飞鹤星飞帆3段") is spelt


def test_a_product_is_read_without_surname_readings():
    # 乐 as a surname is yue; in 乐高 it is le
    assert spells("legao", "乐高") and not spells("yuegao", "乐高")
    assert name_keys("乐高") == ("yuegao", "yg")


@pytest.mark.parametrize("shown, found, words", [
    (3, 3, "3 found"), (20, 20, "20 found"), (20, 197, "20 shown of 197"),
    (20, 1_000, "20 shown of 1,000"), (20, 1_001, "20 shown of over 1,000"),
])
def test_how_many_found_in_words(shown, found, words):
    from tui.reports.lookup import found_words

    assert found_words(shown, found) == words


def test_names_sort_in_pinyin_order_as_a_chinese_reader_looks_for_them():
    # by code point 刘 (U+5218) < 张 (U+5F20) < 曾 (U+66FE) < 王 (U+738B) < 陈 (U+9648)
    names = ["王芳", "陈静", "曾丽", "张丽", "刘芳", "Anna"]
    # anna, chen, liu, wang, zeng (曾 read as a surname, not ceng), zhang
    assert sorted(names, key=name_order) == ["Anna", "陈静", "刘芳", "王芳", "曾丽", "张丽"]
