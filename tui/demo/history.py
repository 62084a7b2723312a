"""The demo shop's history: a year of sales that follow real consumption cycles, and the
contact log the guides kept for the last TRACKING_DAYS."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

from tui.demo.data import (BUNDLE_DAYS, COMPLAINT_SHARE, DAY, FOLLOW_UP_SHARE, NOTES_BIRTHDAY,
                           NOTES_COMPLAINT, NOTES_DORMANT, NOTES_FOLLOW, NOTES_RESOLVED,
                           NOTES_RETRY, NOTES_SCHEDULED, SCHEDULED_SHARE, TRACKING_DAYS,
                           WALK_IN_PER_MEMBER_DAY)
from tui.demo.shop import DemoShop, Pick, any_time, shop_time


def make_sales(shop: DemoShop) -> None:
    rng, today = shop.rng, shop.today
    sales: list[tuple] = []  # (t, member id or 0, staff id, [(product, qty, amount)])
    formula_qty = Pick((1, 2, 3, 4, 6, 8, 12), (3, 6, 10, 16, 32, 13, 20))
    diaper_qty = Pick((3, 4, 5, 6, 8), (15, 25, 15, 30, 15))
    wipes_qty = Pick((4, 6, 8, 10, 12), (20, 30, 22, 16, 12))

    rand, days, price = rng.random, shop.days, shop.price

    def amount(product: int, qty: int) -> int:
        """Six cans or more 5% off, twelve 10% off, to the fen."""
        rate = 0.9 if qty >= 12 else (0.95 if qty >= 6 else 1.0)
        return int(price[product] * qty * rate + 0.5)

    for mid in range(1, shop.n + 1):
        p = shop.plan[mid]
        if p["never"]:
            continue
        owner = p["owner"]

        def staff() -> int:
            if owner is not None and rng.random() < 0.65:
                return owner
            return rng.choice(shop.guides)

        end = p["lapse"] if p["lapse"] is not None else today
        if p["lapse"] is not None:
            start = max(p["joined"], p["lapse"] - rng.randint(30, 300), today - 500)
        else:
            start = max(p["joined"], today - 365)
        trips: dict[int, list[tuple[int, int, int]]] = {}

        # before a birth: the pram, the cot, the bottles
        for birth in p["born"] + p["due"]:
            if rng.random() < 0.5:
                day = birth - rng.randint(15, 100)
                if start <= day <= min(end, today):
                    items = rng.sample(shop.gear_prenatal, rng.randint(1, 2))
                    trips.setdefault(day, []).extend((g, 1, price[g]) for g in sorted(items))

        born = p["born"] or ([today - rng.randint(60, 900)] if not p["due"] else [])
        if born:
            brand = shop.formula[shop.formula_pick(rng)]
            diaper_stop = rng.randint(720, 1000)
            # [formula products by stage, until what age, usual quantity, other quantities,
            #  the day the stock at home runs out, the day they come for more, product]
            streams = []
            if rand() < 0.75:
                streams.append([brand, 1095, formula_qty(rng), (1, 2, 3, 4, 6, 12), 0.0, 0,
                                None])
            streams.append([None, diaper_stop, diaper_qty(rng), (3, 4, 6, 8), 0.0, 0,
                            shop.diaper_pick(rng)])
            if rand() < 0.5:
                streams.append([None, diaper_stop + 200, wipes_qty(rng), (4, 6, 10), 0.0, 0,
                                shop.wipes_pick(rng)])
            # how many days before running out this family usually comes (late if negative),
            # and how much faster than the label their baby gets through a can or a pack
            ahead = rng.randint(-2, 5)
            appetite = 0.92 + 0.16 * rand()
            first = born[0]
            day = max(start, first + 2 + int(rand() * 14))
            while day <= end:
                if day < first:
                    day = first + 2 + int(rand() * 14)
                    continue
                age = day - born[bisect_right(born, day) - 1]
                lines = []
                soonest = None
                for st in streams:
                    if age > st[1]:
                        continue
                    if st[5] <= day + BUNDLE_DAYS:
                        if st[0] is not None:  # formula: the stage follows the baby's age
                            product = st[0][0 if age < 180 else (1 if age < 365 else 2)]
                        else:
                            product = st[6]
                        qty = st[2] if rand() < 0.7 else st[3][int(rand() * len(st[3]))]
                        lines.append((product, qty, amount(product, qty)))
                        # what is left at home is used first (the rules count it the same way)
                        st[4] = max(st[4], day) + qty * days[product] / appetite
                        st[5] = max(day + 1, int(st[4]) - ahead - 2 + int(rand() * 5))
                    if soonest is None or st[5] < soonest:
                        soonest = st[5]
                if soonest is None:
                    break  # the child has outgrown all of it
                if rand() < 0.04:
                    g = shop.gear_whim(rng)
                    lines.append((g, 1, price[g]))
                if lines:
                    trips.setdefault(day, []).extend(lines)
                day = soonest if soonest > day else day + 1

        for day in sorted(trips):
            t = any_time(shop, day)
            if t >= shop.now_t:
                break  # later today, or a day to come: not yet
            sales.append((t, mid, staff(), trips[day]))

    # customers without a card: a few tickets a day
    walk_in = shop.n * WALK_IN_PER_MEMBER_DAY
    for day in range(today - 365, today + 1):
        count = int(walk_in) + (1 if rng.random() < walk_in % 1 else 0)
        for _ in range(count):
            t = any_time(shop, day)
            if t >= shop.now_t:
                continue
            r = rng.random()
            if r < 0.35:
                brand = shop.formula[shop.formula_pick(rng)]
                product, qty = brand[rng.randrange(3)], rng.randint(1, 2)
            elif r < 0.65:
                product, qty = shop.diaper_pick(rng), rng.randint(1, 2)
            elif r < 0.85:
                product, qty = shop.wipes_pick(rng), rng.randint(1, 4)
            else:
                product, qty = shop.gear_whim(rng), 1
            sales.append((t, 0, rng.choice(shop.guides),
                          [(product, qty, amount(product, qty))]))

    sales.sort(key=lambda s: (s[0], s[1]))
    shop.purchases = []
    shop.lines = []
    shop.purchase_t = [0]
    shop.sale_times: list[list[int]] = [[] for _ in range(shop.n + 1)]
    for pid, (t, mid, sid, lines) in enumerate(sales, start=1):
        shop.purchases.append((pid, mid or None, sid, shop.clock.utc_text(t)))
        shop.purchase_t.append(t)
        for product, qty, cents in lines:
            shop.lines.append((len(shop.lines) + 1, pid, product, qty, cents))
        if mid:
            shop.plan[mid]["purchases"].append((t, pid, lines[0][0]))
            shop.sale_times[mid].append(t)


def make_contacts(shop: DemoShop) -> None:
    rng, today, now_t = shop.rng, shop.today, shop.now_t
    rules = shop.rules
    channel_follow = Pick(("phone", "wechat", "sms", "home_visit"), (45, 47, 5, 3))
    channel_call = Pick(("phone", "wechat", "sms"), (60, 35, 5))
    contacts: list[tuple] = []  # (t, member, staff, channel, outcome, care, note, next ordinal)
    tracking = (today - TRACKING_DAYS) * DAY
    shop.last_contact_t = [0] * (shop.n + 1)

    for mid in range(1, shop.n + 1):
        p = shop.plan[mid]
        owner = p["owner"]
        who = owner if owner is not None else rng.choice(shop.guides)
        mine: list[tuple] = []

        def add(t, outcome, channel, care, note, next_day=None, staff=None):
            if next_day is None and outcome == "no_answer":
                next_day = t // DAY + rules.no_answer_retry_days
            if next_day is None and outcome == "complaint":
                next_day = t // DAY + rules.complaint_feedback_days
            mine.append((t, mid, staff or who, channel, outcome, care, note, next_day))
            if outcome == "no_answer" and rng.random() < 0.85:
                retry = shop_time(shop, next_day, lo=t + 3600)
                if retry is not None:
                    mine.append((retry, mid, staff or who, "wechat", "reached", 1,
                                 rng.choice(NOTES_RETRY) if rng.random() < 0.5 else "", None))

        # the follow-up call after each sale
        for t, _pid, first_product in p["purchases"]:
            if t < tracking or rng.random() >= FOLLOW_UP_SHARE:
                continue
            d = t // DAY
            ct = shop_time(shop, d, lo=t + 1800) if rng.random() < 0.3 else None
            if ct is None:
                ct = shop_time(shop, d + 1)
            if ct is None:
                continue
            r = rng.random()
            outcome = "reached" if r < 0.86 else ("no_answer" if r < 0.96 else "will_come")
            note = ""
            if outcome == "reached" and rng.random() < 0.45:
                note = rng.choice(NOTES_FOLLOW[shop.category[first_product]])
            add(ct, outcome, channel_follow(rng), 1 if rng.random() < 0.95 else 0, note)

        # a sleeping member is called when dormant, then about monthly
        sales_ok = p["accepts"] != 0
        if sales_ok:
            last_buy = p["purchases"][-1][0] // DAY if p["purchases"] else p["joined"]
            day = last_buy + rules.dormant_purchase_days + rng.randint(0, 8)
            if day < tracking // DAY:  # sleepers from before the log: worked through in a month
                day = tracking // DAY + rng.randint(0, 30)
            while day <= today:
                t = shop_time(shop, day)
                if t is None:
                    break
                r = rng.random()
                outcome = "reached" if r < 0.5 else ("no_answer" if r < 0.85 else "will_come")
                note = ""
                if outcome == "reached" and rng.random() < 0.6:
                    note = rng.choice(NOTES_DORMANT)
                add(t, outcome, channel_call(rng), 1 if rng.random() < 0.5 else 0, note)
                day += rules.dormant_contact_days + rng.randint(0, 12)

        # birthday wishes now and then
        for born in [p["birthday"]] + [date.fromordinal(b) for b in p["kid_births"]]:
            if born is None:
                continue
            for year in (date.fromordinal(today).year - 1, date.fromordinal(today).year):
                try:
                    when = born.replace(year=year).toordinal()
                except ValueError:
                    when = date(year, 2, 28).toordinal()
                if when <= born.toordinal() or rng.random() > 0.3:
                    continue
                t = shop_time(shop, when - rng.randint(0, 2), lo=p["created"])
                if t is not None:
                    add(t, "reached", "wechat", 1, rng.choice(NOTES_BIRTHDAY))

        # an old complaint, settled
        if p["purchases"] and rng.random() < 0.01:
            t0 = p["purchases"][rng.randrange(len(p["purchases"]))][0]
            t = shop_time(shop, t0 // DAY + rng.randint(1, 20))
            if t is not None:
                feedback_on = t // DAY + rules.complaint_feedback_days
                mine.append((t, mid, who, "in_store", "complaint", 0,
                             rng.choice(NOTES_COMPLAINT), feedback_on))
                fb = shop_time(shop, feedback_on, lo=t + 60)
                if fb is not None:
                    mine.append((fb, mid, who, "phone", "reached", 1,
                                 rng.choice(NOTES_RESOLVED), None))

        if p["promo_t"] is not None:
            mine.append((p["promo_t"], mid, who, "phone", "declined_promotions", 0,
                         "不想收促销信息", None))
        mine.sort(key=lambda c: c[0])
        if p["dnc"] is not None:
            mine = [c for c in mine if c[0] < p["dnc"]]
            mine.append((p["dnc"], mid, who, "phone", "do_not_contact", 0, "要求不再联系", None))
        mine = [c for c in mine if p["created"] <= c[0] < now_t and c[0] >= tracking]
        if mine:
            shop.last_contact_t[mid] = mine[-1][0]
        contacts.extend(mine)

    # booked call-backs and open complaints: the newest contact of a few members
    def newest(count: int, reason: str) -> None:
        tries = 0
        done = 0
        while done < count and tries < count * 20:
            tries += 1
            mid = rng.randint(1, shop.n)
            p = shop.plan[mid]
            if p["dnc"] is not None or p.get("booked"):
                continue
            if reason == "complaint":
                back = rules.complaint_feedback_days if done == 0 else rng.randint(1, 6)
            else:
                back = rng.randint(0, 6)
            day = shop.today - back
            t = shop_time(shop, day, lo=max(shop.last_contact_t[mid], p["created"]) + 60)
            if t is None:
                continue
            p["booked"] = True
            staff = p["owner"] or rng.choice(shop.guides)
            if reason == "complaint":
                if rng.random() < 0.4:
                    staff = shop.member_manager
                nxt = day + rules.complaint_feedback_days
                contacts.append((t, mid, staff, rng.choice(("in_store", "phone")), "complaint",
                                 0, rng.choice(NOTES_COMPLAINT), nxt))
            else:
                nxt = shop.today if done == 0 else max(day + 1, shop.today + rng.randint(-2, 6))
                contacts.append((t, mid, staff, rng.choice(("phone", "wechat")),
                                 "will_come" if rng.random() < 0.3 else "reached", 1,
                                 rng.choice(NOTES_SCHEDULED), nxt))
            shop.last_contact_t[mid] = t
            done += 1

    newest(max(2, round(shop.n * COMPLAINT_SHARE)), "complaint")
    newest(max(3, round(shop.n * SCHEDULED_SHARE)), "scheduled")
    for p in shop.plan[1:]:
        del p["purchases"]  # sale_times keeps what is still needed

    contacts.sort(key=lambda c: (c[0], c[1]))
    shop.contacts = []
    shop.contact_t = [0]
    # per member, in time order: contact times and ids
    shop.member_contacts: list[list[int]] = [[] for _ in range(shop.n + 1)]
    shop.member_contact_ids: list[list[int]] = [[] for _ in range(shop.n + 1)]
    for cid, (t, mid, sid, channel, outcome, care, note, nxt) in enumerate(contacts, start=1):
        shop.contacts.append((cid, mid, sid, shop.clock.utc_text(t), channel, outcome, care,
                              note, shop.clock.day_text(nxt) if nxt is not None else None))
        shop.contact_t.append(t)
        shop.member_contacts[mid].append(t)
        shop.member_contact_ids[mid].append(cid)
