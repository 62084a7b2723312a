"""A working day on the hand-built shop (fixture_shop.py), for the end-of-day sheet.

Monday 2026-11-23, Asia/Shanghai; everything below is written through the real write
functions, at shop-local times, and the figures it should give are worked out by hand
in test_eod.py. In the morning (09:00) the manager starts a plan on the 飞鹤 buyers
(王芳, 赵敏, 吴静: 王芳 and 吴静 are 张丽's, 赵敏 is 刘芳's).

  10:30 刘芳  周婷    in store  reached, care   (her complaint call, due 21 Nov: late)
  11:00 张丽  registers 司马欧阳慧琳娜 (a long name) and Anastasia Konstantinopoulou
  14:00 张丽  李娜    phone     reached, care   (follow-up due today: on time)
  15:00 张丽  孙丽丽  WeChat    will come       (call back due today: on time)
  15:30 刘芳  陈晓燕  edits her archive: occupation, hobbies, style
  16:00       孙丽丽  buys 2 cans of formula, ¥700.00  (after 张丽's contact at 15:00)
  16:30       黄小梅  buys 1 pack of diapers, ¥129.00  (after 刘芳's contact on 16 Nov)
  17:00       吴静    buys 1 pack of diapers, ¥129.00  (never contacted: not after a contact)
  17:10       a walk-in without a card buys wipes... of the stroller kind, ¥1,299.00
  18:00 张丽  王芳    phone     no answer       (running out, due today: a retry is booked)

Left undone: 赵敏 (刘芳, dormant, due today) and 陈晓燕 (刘芳, birthday and running out,
overdue), 黄小梅's birthday call (刘芳, due 21 Nov).
"""

from __future__ import annotations

from datetime import date

from fixture_shop import utc
from tui.db.boards.periods import make_period
from tui.db.callbacks.contacts import ContactEntry, log_contact
from tui.db.members.archive import register_member, update_member
from tui.db.members.purchases import SaleLine, record_purchase
from tui.db.members.segments import parse_segment
from tui.db.models import Product
from tui.db.pdca.form import PlanDraft, Targets
from tui.db.pdca.plans import create_plan
from tui.settings import Settings

LONG_CHINESE = "司马欧阳慧琳娜"
LONG_LATIN = "Anastasia Konstantinopoulou"


def build_eod_day(settings: Settings, ids: dict[str, int]) -> dict[str, int]:
    rules, zone = settings.callbacks, settings.shop.zone
    zhang, liu, boss = ids["zhang"], ids["liu"], ids["boss"]
    formula = Product.get(Product.sku == "FH-3").id
    diapers = Product.get(Product.sku == "BBS-L").id
    stroller = Product.get(Product.sku == "CAR-1").id

    draft = PlanDraft(name="飞鹤复购", segment=parse_segment("brand:飞鹤"),
                      period=make_period("range", date(2026, 11, 16), date(2026, 12, 15), zone),
                      targets=Targets(completion_pct=100, success_pct=50, sales_cents=500_000),
                      methods=("running-out reminders",))
    create_plan(draft, boss, utc("2026-11-23 09:00"), settings)

    def contact(member: str, staff: int, channel: str, outcome: str, care: bool, at: str) -> None:
        log_contact(ContactEntry(ids[member], staff, channel, outcome, care, ""), rules, zone,
                    utc(at))

    contact("zhouting", liu, "in_store", "reached", True, "2026-11-23 10:30")
    ids["simaou"] = register_member({"name": LONG_CHINESE, "phone": "13912340001"}, zhang,
                                    utc("2026-11-23 11:00"), settings)
    ids["anastasia"] = register_member({"name": LONG_LATIN, "phone": "13912340002",
                                        "gender": "F"}, zhang, utc("2026-11-23 11:05"), settings)
    contact("lina", zhang, "phone", "reached", True, "2026-11-23 14:00")
    contact("sunlili", zhang, "wechat", "will_come", False, "2026-11-23 15:00")
    update_member(ids["chenxiaoyan"], {"name": "陈晓燕", "occupation": "护士",
                                       "hobbies": "瑜伽", "style": "简约"},
                  liu, utc("2026-11-23 15:30"), settings)
    record_purchase(ids["sunlili"], zhang, [SaleLine(formula, 2, 70_000)], rules, zone,
                    utc("2026-11-23 16:00"))
    record_purchase(ids["huangxiaomei"], liu, [SaleLine(diapers, 1, 12_900)], rules, zone,
                    utc("2026-11-23 16:30"))
    record_purchase(ids["wujing"], zhang, [SaleLine(diapers, 1, 12_900)], rules, zone,
                    utc("2026-11-23 17:00"))
    record_purchase(None, zhang, [SaleLine(stroller, 1, 129_900)], rules, zone,
                    utc("2026-11-23 17:10"))
    contact("wangfang", zhang, "phone", "no_answer", False, "2026-11-23 18:00")
    return ids
