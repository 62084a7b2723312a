"""A small hand-built shop on a frozen day, written through the real write functions.

Today is Monday 2026-11-23 in Asia/Shanghai; "now" is 11:30 there (03:30 UTC).
Each member is there for one reason, worked out by hand below (lead days from
settings.toml: running out 5, birthday 3; dormant 90/30; stale after 14).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.callbacks.raising import refresh_shop
from tui.db.members.purchases import SaleLine, record_purchase
from tui.db.models import Child, Member, Product, Staff
from tui.settings import Settings

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 3, 30)  # UTC; 11:30 in the shop


def utc(local_text: str) -> datetime:
    """A shop-local 'YYYY-MM-DD HH:MM' as the stored UTC time (Shanghai is UTC+8, no DST)."""
    return datetime.fromisoformat(local_text) - timedelta(hours=8)


def build_fixture_shop(settings: Settings) -> dict[str, int]:
    """Fill the open database; return the ids by short name."""
    rules, zone = settings.callbacks, settings.shop.zone
    created = utc("2025-12-01 09:00")
    boss = Staff.create(name="王店长", role="manager", created_at=created)
    zhang = Staff.create(name="张丽", role="guide", created_at=created)
    liu = Staff.create(name="刘芳", role="guide", created_at=created)
    formula = Product.create(sku="FH-3", name="飞鹤星飞帆3段", brand="飞鹤", category="formula",
                             unit="can", days_per_unit=7.5, price_cents=35_000)
    diapers = Product.create(sku="BBS-L", name="帮宝适L码", brand="帮宝适", category="diapers",
                             unit="pack", days_per_unit=10, price_cents=12_900)
    stroller = Product.create(sku="CAR-1", name="婴儿推车", brand="好孩子", category="gear",
                              unit="piece", days_per_unit=None, price_cents=129_900)

    def member(no: int, name: str, phone: str, owner: Staff, **fields) -> Member:
        return Member.create(member_no=f"M{no:06d}", name=name, phone=phone, phone_tail=phone[-4:],
                             owner=owner, joined_on=date(2026, 1, 10), created_at=created, **fields)

    ids: dict[str, int] = {"boss": boss.id, "zhang": zhang.id, "liu": liu.id}

    # 王芳: 12 cans on 30 Aug run out 30 Aug + 90 d = 28 Nov; reminder 5 days before = 23 Nov (today).
    m = member(1, "王芳", "13800001234", zhang, total_spend_cents=0)
    record_purchase(m.id, zhang.id, [SaleLine(formula.id, 12, 420_000)], rules, zone,
                    utc("2026-08-30 10:00"))
    ids["wangfang"] = m.id

    # 李娜: bought a stroller yesterday 15:00; follow-up within 24 h: due today 23 Nov.
    m = member(2, "李娜", "13900002345", zhang)
    record_purchase(m.id, zhang.id, [SaleLine(stroller.id, 1, 129_900)], rules, zone,
                    utc("2026-11-22 15:00"))
    ids["lina"] = m.id

    # 陈晓燕: birthday 25 Nov, due 22 Nov (1 day late); 3 packs of diapers on 20 Oct run out
    # 20 Oct + 30 d = 19 Nov, due 14 Nov (9 days late). One line, two reasons, 9 days late.
    m = member(3, "陈晓燕", "13700003456", liu, birthday=date(1992, 11, 25))
    record_purchase(m.id, liu.id, [SaleLine(diapers.id, 3, 38_700)], rules, zone,
                    utc("2026-10-20 18:00"))
    ids["chenxiaoyan"] = m.id

    # 赵敏: one can on 27 May, nothing since and never contacted: dormant from 27 May + 90 d =
    # 25 Aug, then again every 30 days: 24 Sep, 24 Oct, 23 Nov (today).
    m = member(4, "赵敏", "13600004567", liu)
    record_purchase(m.id, liu.id, [SaleLine(formula.id, 1, 35_000)], rules, zone,
                    utc("2026-05-27 11:00"))
    ids["zhaomin"] = m.id

    # 孙丽丽: on 20 Nov 张丽 agreed to call back today.
    m = member(5, "孙丽丽", "13500005678", zhang)
    log_contact(ContactEntry(m.id, zhang.id, "wechat", "reached", True, "周一再联系，问奶粉段数",
                             TODAY), rules, zone, utc("2026-11-20 19:00"))
    ids["sunlili"] = m.id

    # 周婷: complaint on 19 Nov; feedback call booked for 21 Nov: 2 days late.
    m = member(6, "周婷", "13300006789", liu)
    log_contact(ContactEntry(m.id, liu.id, "in_store", "complaint", False, "推车轮子异响",
                             date(2026, 11, 21)), rules, zone, utc("2026-11-19 16:00"))
    ids["zhouting"] = m.id

    # 吴静 refused promotions: her formula runs out like 王芳's, but she gets no sales call.
    m = member(7, "吴静", "13200007890", zhang, accepts_promotions=False)
    record_purchase(m.id, zhang.id, [SaleLine(formula.id, 12, 420_000)], rules, zone,
                    utc("2026-08-30 12:00"))
    ids["wujing"] = m.id

    # 郑雪 asked never to be contacted: bought yesterday, no follow-up.
    m = member(8, "郑雪", "13100008901", zhang, do_not_contact=True)
    record_purchase(m.id, zhang.id, [SaleLine(diapers.id, 1, 12_900)], rules, zone,
                    utc("2026-11-22 10:00"))
    ids["zhengxue"] = m.id

    # 黄小梅: her son 乐乐 turns one on 24 Nov; due 21 Nov, 2 days late. A purchase on 15 Nov
    # (2 packs: run out 5 Dec, reminder 30 Nov) keeps her from being dormant.
    m = member(9, "黄小梅", "18600009012", liu)
    Child.create(member=m, name="乐乐", birth_date=date(2025, 11, 24))
    record_purchase(m.id, liu.id, [SaleLine(diapers.id, 2, 25_800)], rules, zone,
                    utc("2026-11-15 10:00"))
    log_contact(ContactEntry(m.id, liu.id, "phone", "reached", True, "纸尿裤合适"), rules, zone,
                utc("2026-11-16 10:00"))
    ids["huangxiaomei"] = m.id

    refresh_shop(TODAY, rules, zone, NOW)
    return ids
