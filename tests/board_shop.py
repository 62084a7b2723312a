"""The leaderboards on a small shop built by hand built here for the leaderboard tests
(tests/*/test_leaderboards.py), every figure worked out. Definitions: docs/leaderboards.md.

The shop's today is Wednesday 2026-11-25 in Asia/Shanghai (UTC+8); now is 11:30 there.
  today  = 2026-11-25             = [2026-11-24 16:00, 2026-11-25 16:00) UTC
  week   = Mon 11-23 .. Sun 11-29 = [2026-11-22 16:00, 2026-11-29 16:00) UTC
  month  = 11-01 .. 11-30         = [2026-10-31 16:00, 2026-11-30 16:00) UTC
Staff: 王店长 (manager), 张丽, 刘芳, 陈静 (guides), 赵雪 (a guide, inactive).
On the boards: 刘芳, 张丽, 陈静; never the manager, never 赵雪.

Archive completeness (settings.toml: 9 hard fields at 0.2, 9 soft at 0.8, complete at 0.8):
one hard field is 0.2/9 = 1/45 of an archive, one soft field 0.8/9 = 4/45, so an archive
with h hard and s soft fields filled scores (h + 4s)/45.
  张丽: M1 王芳   h9 s8 = 41/45 (91.1%, complete)
        M2 李娜   h2 s2 = 10/45 (promotions answered, a child added: both in the log)
        M3 陈晓燕 h5 s7 = 33/45 (73.3%)
        M7 erased: not counted
        members 3, complete 1, average (41+10+33)/135 = 84/135 = 62.2%
  刘芳: M4 赵敏   h9 s9 = 45/45 (complete)
        M5 孙丽丽 h8 s7 = 36/45 = exactly 0.8: complete (the card's own arithmetic agrees)
        M6 周婷   h3 s0 = 3/45 (no phone; an occupation of spaces is not filled)
        members 3, complete 2, average (45+36+3)/135 = 84/135 = 62.2%: a tie with 张丽
  陈静: nothing: 0, 0, 0.0%
Archive work in the audit log (credited to whoever did it):
  a1 2026-11-25 00:00:00  张丽 answers M2's promotions question, +4/45  (today, week, month)
  a2 2026-11-24 23:59:59  张丽 adds M2's child (family), +4/45          (week, month)
  a3 2026-11-10 10:00     刘芳 types M6's e-mail, +1/45                 (month)
  a4 2026-11-12 10:00     刘芳 removes it again, -1/45                  (month)
  a5 2026-11-20 10:00     the manager fills M8's occupation: not ranked
  gained: today 张丽 +4/45 = +8.9 pts; week 张丽 +8/45 = +17.8; month 张丽 +17.8, 刘芳 0.0
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tui.db.boards.boards import leaderboard
from tui.db.boards.periods import parse_period
from tui.db.callbacks.raising import refresh_shop
from tui.db.members.archive import add_child, update_member
from tui.db.members.card import set_consent
from tui.db.models import Callback, Contact, Member, Product, Purchase, PurchaseLine, Staff


TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 3, 30)  # UTC; 11:30 in the shop


def utc(local_text: str) -> datetime:
    """A shop-local 'YYYY-MM-DD HH:MM[:SS]' as the stored UTC time (UTC+8, no DST)."""
    return datetime.fromisoformat(local_text) - timedelta(hours=8)


def build_board_shop(settings) -> dict[str, int]:
    """The shop of this file's docstring; returns ids by short name."""
    rules, zone = settings.callbacks, settings.shop.zone
    created = utc("2026-10-01 09:00")
    ids: dict[str, int] = {}
    for key, name, role, active in (("boss", "王店长", "manager", True), ("zhang", "张丽", "guide", True),
                                    ("liu", "刘芳", "guide", True), ("chen", "陈静", "guide", True),
                                    ("zhao", "赵雪", "guide", False)):
        ids[key] = Staff.create(name=name, role=role, active=active, created_at=created).id

    def member(key: str, no: int, name: str, owner: str | None, **fields) -> None:
        ids[key] = Member.create(member_no=f"M{no:06d}", name=name, joined_on=date(2026, 11, 1),
                                 created_at=created, owner=ids[owner] if owner else None,
                                 **fields).id

    full_hard = dict(gender="女", birthday=date(1990, 3, 1), nationality="中国",
                     email="m@example.com", address="幸福路 1 号")
    soft7 = dict(occupation="教师", family="一个女儿", personality="爽快", shopping_habits="周末来",
                 style="简约", hobbies="瑜伽", lifestyle="早睡")
    # 张丽's
    member("m1", 1, "王芳", "zhang", phone="13800000001", **full_hard, **soft7,
           accepts_promotions=True)                                     # h7 (+2 sale) s8
    member("m2", 2, "李娜", "zhang", phone="13800000002")                # h2 s0 (+2 below)
    member("m3", 3, "陈晓燕", "zhang", phone="13800000003", gender="女", **soft7)  # h3 (+2) s7
    member("m7", 7, "（已删除）", "zhang", erased_at=utc("2026-11-02 10:00"), **soft7)
    # 刘芳's
    member("m4", 4, "赵敏", "liu", phone="13800000004", **full_hard, **soft7,
           accepts_promotions=False, values="诚信")                     # h7 (+2) s9
    member("m5", 5, "孙丽丽", "liu", phone="13800000005",
           **{**full_hard, "email": None}, **soft7)                     # h6 (+2) s7
    member("m6", 6, "周婷", "liu", occupation="   ")                     # h1 (+2) s0
    # the inactive guide's, and nobody's
    member("m8", 8, "吴静", "zhao", phone="13800000008")
    member("m9", 9, "郑雪", None, phone="13800000009", **soft7)

    # archive work through the real write functions (a1 … a5 of the docstring)
    set_consent(ids["m2"], utc("2026-11-25 00:00:00"), settings, promotions=True,
                staff_id=ids["zhang"])
    add_child(ids["m2"], "小宝", "2025-05-01", ids["zhang"], utc("2026-11-24 23:59:59"), settings)
    update_member(ids["m6"], {"name": "周婷", "email": "zt@example.com"}, ids["liu"],
                  utc("2026-11-10 10:00"), settings)
    update_member(ids["m6"], {"name": "周婷", "email": ""}, ids["liu"], utc("2026-11-12 10:00"),
                  settings)
    update_member(ids["m8"], {"name": "吴静", "occupation": "护士"}, ids["boss"],
                  utc("2026-11-20 10:00"), settings)
    # The day's rule run happened this morning, before the facts below were recorded:
    # the app and the CLI then read the same callbacks (nothing raised by a run at start).
    refresh_shop(TODAY, rules, zone, NOW)
    assert Callback.select().count() == 0

    # sales, written directly so no callbacks are raised by them
    product = Product.create(sku="FH-3", name="飞鹤星飞帆3段", brand="飞鹤", category="formula",
                             unit="can", days_per_unit=7.5, price_cents=35_000)

    def sale(key: str, local: str) -> None:
        at = utc(local)
        purchase = Purchase.create(member=ids[key], staff=None, purchased_at=at)
        PurchaseLine.create(purchase=purchase, product=product, quantity=1, amount_cents=35_000)
        Member.update(total_spend_cents=Member.total_spend_cents + 35_000,
                      last_purchase_at=at).where(Member.id == ids[key]).execute()

    sale("m4", "2026-11-23 11:00")      # before c9 (12:00 the same day): follows nothing
    sale("m3", "2026-11-15 23:59:59")   # day 14 after c5 (11-01): c5 succeeds
    sale("m6", "2026-11-17 00:00:00")   # day 15 after c10 (11-02): too late for c10
    sale("m1", "2026-11-25 08:00")      # after c1 and c2: both succeed
    sale("m5", "2026-11-25 10:05")      # after c8 (10:00): c8 succeeds

    def contact(key: str, staff: str, member_key: str, local: str, outcome: str,
                care: bool = False) -> None:
        ids[key] = Contact.create(member=ids[member_key], staff=ids[staff],
                                  contacted_at=utc(local), channel="phone", outcome=outcome,
                                  care=care, note="").id

    contact("c1", "zhang", "m1", "2026-11-25 00:00:00", "reached", care=True)  # first second of today
    contact("c2", "zhang", "m1", "2026-11-24 23:59:59", "reached")             # last second of yesterday
    contact("c3", "zhang", "m2", "2026-11-22 23:59:59", "no_answer", care=True)  # Sunday: not this week
    contact("c4", "zhang", "m2", "2026-11-23 00:00:00", "wrong_number")        # Monday: this week
    contact("c5", "zhang", "m3", "2026-11-01 00:00:00", "reached")             # first second of the month
    contact("c6", "zhang", "m3", "2026-10-31 23:59:59", "reached")             # October
    contact("c7", "liu", "m4", "2026-11-25 09:00", "will_come", care=True)
    contact("c8", "liu", "m5", "2026-11-25 10:00", "bought")
    contact("c9", "liu", "m4", "2026-11-23 12:00", "reached")
    contact("c10", "liu", "m6", "2026-11-02 12:00", "complaint", care=True)
    contact("c11", "zhao", "m1", "2026-11-25 09:30", "reached")                 # inactive guide
    contact("c12", "boss", "m2", "2026-11-25 10:30", "reached")                 # a manager

    def callback(key: str, owner: str, member_key: str, due: str, status: str,
                 closed: str | None = None, by: str | None = None) -> None:
        ids[key] = Callback.create(member=ids[member_key], reason="scheduled", source_key=key,
                                   due_on=date.fromisoformat(due), status=status,
                                   owner=ids[owner], created_at=utc("2026-11-01 09:00"),
                                   closed_at=utc(closed) if closed else None,
                                   contact=ids[by] if by else None).id

    callback("k1", "zhang", "m1", "2026-11-24", "done", "2026-11-24 23:59:59")  # on time, just
    callback("k2", "zhang", "m1", "2026-11-24", "done", "2026-11-25 00:00:00")  # late, just
    callback("k3", "zhang", "m2", "2026-11-23", "missed")
    callback("k4", "zhang", "m2", "2026-11-25", "open")                         # due today, open
    callback("k5", "zhang", "m3", "2026-11-26", "open")                         # not due yet: left out
    callback("k6", "zhang", "m3", "2026-11-27", "done", "2026-11-25 09:00")     # done early: on time
    callback("k7", "zhang", "m3", "2026-11-24", "cancelled", "2026-11-24 10:00")  # left out
    callback("k8", "zhang", "m1", "2026-11-10", "done", "2026-11-09 15:00")     # on time, month only
    callback("k9", "liu", "m5", "2026-11-25", "done", "2026-11-25 10:00", by="c8")
    callback("k10", "liu", "m4", "2026-11-23", "done", "2026-11-23 18:00")
    callback("k11", "zhao", "m1", "2026-11-25", "open")                         # inactive guide
    return ids


@pytest.fixture
def shop(db, settings):
    return build_board_shop(settings)


def period(text: str, settings):
    return parse_period(text, TODAY, settings.shop.zone, settings.leaderboards.week_starts_on)


def board(name: str, text: str, settings, rank_by: str | None = None):
    return leaderboard(name, period(text, settings), settings, TODAY, rank_by=rank_by)


def table(b) -> list[tuple]:
    """(rank, guide, figures in column order) per row."""
    return [(r.rank, r.guide, *[r.figures[c.key] for c in b.columns]) for r in b.rows]
