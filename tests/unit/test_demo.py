"""The demo shop: deterministic, in a real shop's proportions, every kind of call due today."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from tui.db.callbacks.queue import callback_queue
from tui.db.callbacks.raising import refresh_shop
from tui.db.callbacks.rules import RULE_REASONS
from tui.db.connection import close_database, open_database
from tui.demo.build import DemoError, build_demo

NOW = datetime(2026, 11, 23, 3, 30)  # UTC; 11:30 in Asia/Shanghai
TODAY = date(2026, 11, 23)
SMALL = 300
TABLES = ("staff", "product", "member", "child", "purchase", "purchase_line", "contact",
          "callback", "meta")


def build(settings, name="shop.db", members=SMALL, seed=7, now=NOW):
    path = settings.database.path.with_name(name)
    return path, build_demo(path, settings, members=members, seed=seed, now=now)


def dump(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        con.close()


def query(path: Path, sql: str, *args):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


@pytest.fixture
def shop(settings):
    """A 300-member demo shop, built once per test (a fraction of a second)."""
    path, summary = build(settings)
    return path, summary


def test_same_seed_and_now_give_the_same_tables_byte_for_byte(settings):
    first, _ = build(settings, "a.db")
    second, _ = build(settings, "b.db")
    a, b = dump(first), dump(second)
    assert all(a[t] for t in TABLES)  # every table has rows
    assert a == b
    con_a, con_b = sqlite3.connect(first), sqlite3.connect(second)
    try:
        assert list(con_a.iterdump()) == list(con_b.iterdump())
    finally:
        con_a.close()
        con_b.close()


def test_another_seed_gives_another_shop(settings):
    first, _ = build(settings, "a.db", seed=7)
    other, _ = build(settings, "b.db", seed=8)
    a, b = dump(first), dump(other)
    assert a["member"] != b["member"] and a["purchase"] != b["purchase"]
    assert a["product"] == b["product"]  # the shelves are the same shop's


def test_todays_queue_has_every_kind_of_call(shop, settings):
    path, summary = shop
    open_database(path)
    try:
        page = callback_queue(TODAY, settings.callbacks, settings.shop.zone, guide_id=None,
                              limit=None)
        reasons = {r.reason for line in page.lines for r in line.reasons}
        guides = [sid for (sid,) in query(path, "SELECT id FROM staff WHERE role = 'guide'")]
        per_guide = [callback_queue(TODAY, settings.callbacks, settings.shop.zone, guide_id=g,
                                    limit=None).counts.due for g in guides]
    finally:
        close_database()
    assert reasons == set(RULE_REASONS)
    # a working shop: some done already today, some late, and a day's work, not a backlog
    assert page.counts.done_today > 0 and 0 < page.counts.overdue < page.counts.due
    assert 0.02 * SMALL <= page.counts.due <= 0.15 * SMALL
    assert all(0 < n <= 0.1 * SMALL for n in per_guide)
    assert summary.callbacks_open_due_today_or_overdue >= page.counts.due


def test_counts_and_proportions(shop):
    path, s = shop
    counted = {t: query(path, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}
    assert (s.staff, s.members, s.children, s.products) == (
        counted["staff"], counted["member"], counted["child"], counted["product"])
    assert (s.purchases, s.purchase_lines, s.contacts) == (
        counted["purchase"], counted["purchase_line"], counted["contact"])
    assert s.members == SMALL
    assert s.staff == 2 + 3  # two managers, at least three guides
    assert 20 <= s.products <= 30
    assert 6 <= s.purchase_lines / s.members <= 14
    assert 0.9 <= s.children / s.members <= 1.5
    assert 1.5 <= s.contacts / s.members <= 5
    assert s.seconds > 0


def test_guides_and_member_spread(shop):
    path, s = shop
    roles = query(path, "SELECT role, count(*) FROM staff GROUP BY role ORDER BY role")
    assert roles == [("guide", 3), ("manager", 2)]
    owners = dict(query(path, "SELECT coalesce(owner_id, 0), count(*) FROM member GROUP BY 1"))
    unassigned = owners.pop(0, 0)
    assert 0 < unassigned < 0.1 * s.members
    assert len(owners) == 3 and min(owners.values()) > 0.2 * s.members


def test_nothing_happens_after_now(shop):
    path, _ = shop
    now = str(NOW)
    assert query(path, "SELECT max(purchased_at) FROM purchase")[0][0] < now
    assert query(path, "SELECT max(contacted_at) FROM contact")[0][0] < now
    assert query(path, "SELECT max(created_at) FROM member")[0][0] < now
    assert query(path, "SELECT count(*) FROM callback WHERE created_at > ? OR closed_at > ?"
                 " OR closed_at < created_at", now, now) == [(0,)]
    assert query(path, "SELECT count(*) FROM child WHERE birth_date > ?", str(TODAY)) == [(0,)]
    # times are stored as 'YYYY-MM-DD HH:MM:SS' in UTC
    stamps = [t for (t,) in query(path, "SELECT purchased_at FROM purchase")]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", t) for t in stamps)


def test_sales_happen_in_shop_hours_and_totals_match(shop):
    path, _ = shop
    # 09:00-21:00 in Shanghai is 01:00-13:00 UTC
    hours = {int(t[11:13]) for (t,) in query(path, "SELECT purchased_at FROM purchase")}
    assert hours <= set(range(1, 13))
    mismatched = query(path, """
        SELECT count(*) FROM member m WHERE m.total_spend_cents <> coalesce(
            (SELECT sum(l.amount_cents) FROM purchase p JOIN purchase_line l ON l.purchase_id = p.id
             WHERE p.member_id = m.id), 0)
          OR coalesce(m.last_purchase_at, '') <> coalesce(
            (SELECT max(p.purchased_at) FROM purchase p WHERE p.member_id = m.id), '')""")
    assert mismatched == [(0,)]
    assert query(path, "PRAGMA foreign_key_check") == []
    # yesterday's sales are today's follow-up calls
    assert query(path, "SELECT count(*) FROM purchase WHERE date(purchased_at, '+8 hours') = ?",
                 "2026-11-22")[0][0] > 0


def test_members_look_real(shop):
    path, _ = shop
    phones = [p for (p,) in query(path, "SELECT phone FROM member")]
    assert len(phones) == len(set(phones)) == SMALL
    assert all(re.fullmatch(r"1[35789]\d{9}", p) for p in phones)
    assert query(path, "SELECT count(*) FROM member WHERE phone_tail <> substr(phone, 8)") == [(0,)]
    names = [n for (n,) in query(path, "SELECT name FROM member")]
    assert all(2 <= len(n) <= 3 for n in names)
    assert any(n.startswith("曾") for n in names) and any(n.startswith("单") for n in names)
    assert query(path, "SELECT count(*) FROM member WHERE birthday LIKE '%-02-29'")[0][0] >= 1
    promo = dict(query(path, "SELECT coalesce(accepts_promotions, -1), count(*) FROM member"
                             " GROUP BY 1"))
    assert promo[-1] > promo[0] and promo[1] > promo[0] > 0
    expecting = query(path, "SELECT count(*) FROM child WHERE birth_date IS NULL AND due_date > ?",
                      str(TODAY))[0][0]
    assert expecting > 0


def test_running_the_rules_again_changes_nothing(shop, settings):
    path, _ = shop
    before = dump(path)["callback"]
    open_database(path)
    try:
        assert refresh_shop(TODAY, settings.callbacks, settings.shop.zone, NOW) == (0, 0, 0)
    finally:
        close_database()
    assert dump(path)["callback"] == before


def test_the_file_is_complete_and_alone(shop):
    path, _ = shop
    leftovers = sorted(p.name for p in path.parent.iterdir() if p.name != path.name)
    assert leftovers == []  # no .building, no -wal or -shm
    assert query(path, "PRAGMA journal_mode") == [("wal",)]
    assert query(path, "PRAGMA integrity_check") == [("ok",)]


def test_an_existing_file_is_refused_and_left_alone(shop, settings):
    path, _ = shop
    before = path.read_bytes()
    with pytest.raises(DemoError, match="already exists"):
        build_demo(path, settings, members=SMALL, seed=9, now=NOW)
    assert path.read_bytes() == before
    assert not path.with_name(path.name + ".building").exists()


def test_before_opening_time_nothing_today_yet(settings):
    early = datetime(2026, 11, 23, 0, 30)  # 08:30 in the shop: not open yet
    path, _ = build(settings, now=early)
    today_local = "date(purchased_at, '+8 hours') = '2026-11-23'"
    assert query(path, f"SELECT count(*) FROM purchase WHERE {today_local}") == [(0,)]
    assert query(path, "SELECT max(contacted_at) FROM contact")[0][0] < str(early)
