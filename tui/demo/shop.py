"""The demo shop's people and stock (staff, products, members and their children), made in
memory, with the weighted pick and the shop-hours clock every step of the demo draws with."""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date, datetime

from tui.clock import ShopSeconds, local_day
from tui.demo.data import (CHILD_GIVEN, CHILD_NICKNAMES, CLOSE_S, DAY, DIAPERS, EMAIL_NAMES,
                           ESTATES, FEMALE_CHARS, FORMULA, FORMULA_DAYS, GEAR, GUIDE_NAMES,
                           HOUR_WEIGHTS, LAPSED_SHARE, MALE_CHARS, MANAGERS, NATIONALITIES,
                           NEVER_BOUGHT_SHARE, OPEN_S, PHONE_PREFIXES, ROADS, SOFT, SURNAMES,
                           WIPES)
from tui.settings import Settings


def _cum(weights) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


class Pick:
    """Weighted choice by one random number (what random.choices does, without the list)."""

    def __init__(self, items, weights):
        self.items, self.cum = tuple(items), _cum(weights)
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


class DemoShop:
    """The demo shop as it is built: who works there, what it sells, who its members are,
    then their history. The functions below and in tui.demo.history and tui.demo.build fill
    it in, step by step, from its one random stream (the same seed, the same shop)."""

    def __init__(self, settings: Settings, n: int, seed: int, now: datetime):
        self.settings, self.n, self.now = settings, n, now
        self.rules, self.zone = settings.callbacks, settings.shop.zone
        self.rng = random.Random(seed)
        self.seed = seed
        self.clock = ShopSeconds(self.zone)
        self.today = local_day(now, self.zone).toordinal()
        self.now_t = self.clock.local(now)
        self.hour = Pick(range(9, 21), HOUR_WEIGHTS)
        self.phases: list[tuple[str, float]] = []  #: (step, seconds) of the build
        self.mark = 0.0  #: when the step being timed began


def shop_time(shop: DemoShop, day: int, lo: int | None = None, hi: int | None = None) -> int | None:
    """A moment on `day` in shop hours, after `lo` and before `hi` and now; None if none."""
    start, end = day * DAY + OPEN_S, min(day * DAY + CLOSE_S, shop.now_t)
    if lo is not None and lo > start:
        start = lo
    if hi is not None and hi < end:
        end = hi
    if start >= end:
        return None
    if start == day * DAY + OPEN_S and end == day * DAY + CLOSE_S:
        return any_time(shop, day)
    return start + int(shop.rng.random() * (end - start))


def any_time(shop: DemoShop, day: int) -> int:
    """A moment on `day` in shop hours, busier late morning and after work; maybe after now."""
    return day * DAY + shop.hour(shop.rng) * 3600 + int(shop.rng.random() * 3600)


# -- the people and the stock --


def make_staff_and_products(shop: DemoShop) -> None:
    rng, today = shop.rng, shop.today
    n_guides = max(3, min(20, shop.n // 5000))
    shop.staff = []
    for name, _role in MANAGERS:
        t = (today - 1100) * DAY + OPEN_S
        shop.staff.append((len(shop.staff) + 1, name, "manager", 1, shop.clock.utc_text(t)))
    for name in GUIDE_NAMES[:n_guides]:
        t = (today - rng.randint(420, 1000)) * DAY + OPEN_S + rng.randrange(3600)
        shop.staff.append((len(shop.staff) + 1, name, "guide", 1, shop.clock.utc_text(t)))
    shop.guides = [s[0] for s in shop.staff if s[2] == "guide"]
    # the PINs written in the README (managers 8888, guides 1234), each with its own salt
    shop.staff = [(*s, demo_pin_hash(s[0], s[2], shop.seed)) for s in shop.staff]
    shop.member_manager = 2
    # owners: an even split that drifted (people left, new members went to whoever was free)
    shop.owner_pick = Pick(shop.guides, [1 + rng.uniform(-0.25, 0.25) for _ in shop.guides])

    products = []
    shop.formula = []  # per brand: (brand, (product ids of stages 1..3))
    for sku, brand, series, prices, _w in FORMULA:
        ids = []
        for stage in (1, 2, 3):
            products.append((f"{sku}-{stage}", f"{series} {stage}段 800g", brand, "formula",
                             "can", FORMULA_DAYS[stage - 1], prices[stage - 1]))
            ids.append(len(products))
        shop.formula.append(tuple(ids))
    shop.formula_pick = Pick(range(len(FORMULA)), [f[4] for f in FORMULA])
    shop.diapers = []
    for sku, brand, name, days, price, _w in DIAPERS:
        products.append((sku, name, brand, "diapers", "pack", days, price))
        shop.diapers.append(len(products))
    shop.diaper_pick = Pick(shop.diapers, [d[5] for d in DIAPERS])
    shop.wipes = []
    for sku, brand, name, days, price, _w in WIPES:
        products.append((sku, name, brand, "wipes", "pack", days, price))
        shop.wipes.append(len(products))
    shop.wipes_pick = Pick(shop.wipes, [w[5] for w in WIPES])
    gear_ids, whim, before_birth = [], [], []
    for sku, brand, name, price, weight, prenatal in GEAR:
        products.append((sku, name, brand, "gear", "piece", None, price))
        gear_ids.append(len(products))
        whim.append(weight)
        if prenatal:
            before_birth.append(len(products))
    shop.gear_whim = Pick(gear_ids, whim)
    shop.gear_prenatal = before_birth
    shop.products = [(i + 1, *p) for i, p in enumerate(products)]
    shop.days = {p[0]: p[6] for p in shop.products}
    shop.price = {p[0]: p[7] for p in shop.products}
    shop.category = {p[0]: p[4] for p in shop.products}


def make_members(shop: DemoShop) -> None:
    rng, clk, today, n = shop.rng, shop.clock, shop.today, shop.n
    surname = Pick([s for s, _ in SURNAMES], [w for _, w in SURNAMES])
    nationality = Pick([v for v, _ in NATIONALITIES], [w for _, w in NATIONALITIES])
    phones: set[str] = set()
    shop.members: list[tuple] = []
    shop.children: list[tuple] = []
    # per member (index = id): what the sales and contacts need
    shop.plan: list[dict | None] = [None]
    for mid in range(1, n + 1):
        female = rng.random() < 0.88
        chars = FEMALE_CHARS if female else MALE_CHARS
        family_name = surname(rng)
        if mid % 250 in (2, 3):  # a few of each for certain: both read two ways in pinyin
            family_name = "曾" if mid % 250 == 2 else "单"
        given = rng.choice(chars)
        if rng.random() >= 0.3:
            given += rng.choice(chars)
        name = family_name + given
        while True:
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
            if phone not in phones:
                phones.add(phone)
                break
        lapsed = rng.random() < LAPSED_SHARE
        back = rng.randint(1, 730)  # days since joining
        lapse_day = None
        if lapsed:
            gone = rng.randint(100, 400)
            back = min(800, max(back, gone + rng.randint(10, 150)))
            lapse_day = today - gone
        joined = today - back
        created_t = shop_time(shop, joined) or (joined * DAY + OPEN_S)
        never = rng.random() < NEVER_BOUGHT_SHARE or (back < 20 and rng.random() < 0.4)

        # the mother's (or father's) own birthday
        age = rng.randint(22, 40) if female else rng.randint(24, 45)
        birthday = age_approx = None
        leap_born = mid % 400 == 1  # a few 29 February birthdays for certain
        if rng.random() < 0.70 or leap_born:
            year = date.fromordinal(today).year - age
            if rng.random() < 0.003 or leap_born:
                year -= year % 4  # a leap year (no centuries in range): born on 29 February
                birthday = date(year, 2, 29)
            else:
                birthday = date.fromordinal(date(year, 1, 1).toordinal() + rng.randrange(365))
        elif rng.random() < 0.5:
            age_approx = age

        # children: born in the last three years; some babies still on the way
        kids: list[tuple[int | None, int | None, str | None]] = []
        expecting = rng.random() < 0.08
        r = rng.random()
        if expecting:
            born = 1 if r < 0.4 else 0
        else:
            born = 2 if r < 0.20 else (0 if r > 0.97 else 1)
        twins = False
        if born:
            older = today - (rng.randint(300, 1095) if expecting else rng.randint(0, 1095))
            kids.append((older, None, None))
            if born == 2:
                if today - older < 400 or rng.random() < 0.15:
                    kids.append((older, None, None))
                    twins = True
                else:
                    kids.append((rng.randint(older + 330, today), None, None))
        if expecting:
            kids.append((None, today + rng.randint(7, 150), None))
        named = []
        for birth, due, _ in kids:
            r = rng.random()
            if due is not None:
                label = "二宝" if born and r < 0.5 else None
            elif r < 0.6:
                label = rng.choice(CHILD_NICKNAMES)
            elif r < 0.9:
                label = family_name + rng.choice(CHILD_GIVEN)
            else:
                label = None
            named.append((birth, due, label))
        for birth, due, label in named:
            shop.children.append((len(shop.children) + 1, mid, label,
                                  clk.day_text(birth) if birth is not None else None,
                                  clk.day_text(due) if due is not None else None))

        promo_r = rng.random()
        accepts = None if promo_r < 0.40 else (1 if promo_r < 0.90 else 0)
        promo_t = None
        promo_contact = False
        if accepts == 1:
            promo_t = created_t
        elif accepts == 0:
            if rng.random() < 0.5:
                promo_t = created_t
            else:
                promo_t = (shop_time(shop, rng.randint(joined, today), lo=created_t + 60)
                           or created_t)
                promo_contact = promo_t != created_t
        dnc_t = None
        if rng.random() < 0.02:
            dnc_t = shop_time(shop, rng.randint(joined, today), lo=created_t + 60)
        owner = None if rng.random() < 0.03 else shop.owner_pick(rng)

        # the archive: a diligent guide fills most fields, a busy one few
        diligence = rng.random()
        soft = {}
        for column, phrases, rate in SOFT:
            if rng.random() < rate * (0.1 + 0.9 * diligence):
                text = rng.choice(phrases)
                if column == "family":
                    if twins:
                        text = "双胞胎家庭，" + text
                    elif born == 2:
                        text = "二胎家庭，" + text
                    elif expecting and not born:
                        text = f"第一胎，预产期{date.fromordinal(kids[-1][1]).month}月"
                soft[column] = text
            else:
                soft[column] = None
        email = address = None
        if rng.random() < 0.25 * (0.5 + diligence):
            if rng.random() < 0.6:
                email = f"{rng.randrange(10 ** 5, 10 ** 10)}@qq.com"
            else:
                email = f"{rng.choice(EMAIL_NAMES)}{rng.randrange(100, 10000)}@163.com"
        if rng.random() < 0.4 * (0.5 + diligence):
            address = (f"{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.choice(ESTATES)}"
                       f"{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元"
                       f"{rng.randint(1, 28)}0{rng.randint(1, 4)}")
        shop.members.append((
            mid, f"M{mid:06d}", name, "女" if female else "男",
            birthday.isoformat() if birthday else None, age_approx, nationality(rng),
            phone, phone[-4:], email, address,
            soft["occupation"], soft["family"], soft["personality"], soft["shopping_habits"],
            soft["style"], soft["hobbies"], soft["lifestyle"], soft["values_"],
            accepts, clk.utc_text(promo_t) if promo_t is not None else None,
            1 if dnc_t is not None else 0, clk.utc_text(dnc_t) if dnc_t is not None else None,
            owner, clk.day_text(joined), clk.utc_text(created_t)))
        shop.plan.append({
            "joined": joined, "created": created_t, "lapse": lapse_day, "never": never,
            "owner": owner, "born": sorted(b for b, _, _ in named if b is not None),
            "due": [d for _, d, _ in named if d is not None], "birthday": birthday,
            "kid_births": [b for b, _, _ in named if b is not None],
            "accepts": accepts, "promo_t": promo_t if promo_contact else None, "dnc": dnc_t,
            "purchases": [],
        })


#: the demo shop's PINs, as the README gives them


DEMO_PINS = {"manager": "8888", "guide": "1234"}


def demo_pin_hash(staff_id: int, role: str, seed: int) -> str:
    """The PIN's hash with a salt drawn from the seed: the same seed, the same file."""
    import random

    from tui.db.staff import hash_pin

    salt = random.Random(f"pin-{seed}-{staff_id}").randbytes(16)
    return hash_pin(DEMO_PINS[role], salt)
