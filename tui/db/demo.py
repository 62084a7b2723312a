"""The demo shop: a deterministic, realistic database to try the program on.

`build_demo` writes members, children, a year of sales that follow real consumption
cycles and the tracking log (kept for the last TRACKING_DAYS), then runs the same callback
rules the app runs daily and plays the guides' last two weeks of work, so today's queue
looks like a working shop's. The same members, seed and `now` give the same table
contents, byte for byte: one random.Random(seed) decides everything, in a fixed order.
"""

from __future__ import annotations

import gc
import os
import random
import time as clock
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from tui.db.callbacks import refresh_member, refresh_shop
from tui.db.connection import close_database, open_database
from tui.db.demo_data import (  # noqa: F401 - the tables the builder draws from
    MANAGERS,
    GUIDE_NAMES,
    FORMULA,
    FORMULA_DAYS,
    DIAPERS,
    WIPES,
    GEAR,
    SURNAMES,
    FEMALE_CHARS,
    MALE_CHARS,
    CHILD_NICKNAMES,
    CHILD_GIVEN,
    PHONE_PREFIXES,
    EMAIL_NAMES,
    ROADS,
    ESTATES,
    NATIONALITIES,
    SOFT,
    NOTES_FOLLOW,
    NOTES_DORMANT,
    NOTES_RUNNING_OUT,
    NOTES_BIRTHDAY,
    NOTES_SCHEDULED,
    NOTES_COMPLAINT,
    NOTES_RESOLVED,
    NOTES_RETRY,
    DAY,
    HOUR_WEIGHTS,
    LAPSED_SHARE,
    NEVER_BOUGHT_SHARE,
    FOLLOW_UP_SHARE,
    OVERDUE_DONE_SHARE,
    TODAY_DONE_SHARE,
    SCHEDULED_SHARE,
    COMPLAINT_SHARE,
    WALK_IN_PER_MEMBER_DAY,
    BUNDLE_DAYS,
    TRACKING_DAYS,
    OPEN_S,
    CLOSE_S,
)
from tui.db.migrations import SchemaError
from tui.db.rules import RULE_REASONS, local_day
from tui.settings import Settings


class DemoError(Exception):
    """The demo cannot be built as asked; str() is the one line to print."""


@dataclass(frozen=True)
class DemoSummary:
    """What went into the demo shop, and how long it took."""

    staff: int
    members: int
    children: int
    products: int
    purchases: int
    purchase_lines: int
    contacts: int
    #: open callbacks in today's queue window (due today, or overdue but not yet stale)
    callbacks_open_due_today_or_overdue: int
    seconds: float
    #: (phase, seconds) in build order, for the curious and for tuning
    phases: tuple[tuple[str, float], ...] = ()


def _cum(weights) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


class _Pick:
    """Weighted choice by one random number (what random.choices does, without the list)."""

    def __init__(self, items, weights):
        self.items, self.cum = tuple(items), _cum(weights)
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


class _Clock:
    """Shop-local moments as whole seconds (`ordinal * 86400 + second of day`), stored as UTC."""

    def __init__(self, zone: ZoneInfo):
        self.zone = zone
        self._offset: dict[int, int] = {}
        self._day: dict[int, str] = {}

    def day_text(self, ordinal: int) -> str:
        text = self._day.get(ordinal)
        if text is None:
            text = self._day[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def offset(self, ordinal: int) -> int:
        off = self._offset.get(ordinal)
        if off is None:
            noon = datetime.combine(date.fromordinal(ordinal), time(12))
            off = self._offset[ordinal] = int(self.zone.utcoffset(noon).total_seconds())
        return off

    def utc_text(self, t: int) -> str:
        u = t - self.offset(t // DAY)
        d, s = divmod(u, DAY)
        return f"{self.day_text(d)} {s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"

    def local(self, moment_utc: datetime) -> int:
        m = moment_utc.replace(tzinfo=timezone.utc).astimezone(self.zone)
        return m.date().toordinal() * DAY + m.hour * 3600 + m.minute * 60 + m.second


# --- the build --------------------------------------------------------------------------

def _leftovers(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]


def build_demo(path: Path, settings: Settings, members: int = 2000, seed: int = 7,
               now: datetime | None = None) -> DemoSummary:
    """Write the demo shop to PATH (which must not exist yet) and say what is in it.

    `now` is a naive UTC time (default: the clock); the shop's "today" is its local day.
    The file is built beside PATH as PATH.building and renamed when complete. This uses
    (and leaves closed) the shared `tui.db.models.database`.
    """
    started = clock.perf_counter()
    path = Path(path)
    if path.exists():
        raise DemoError(f"{path}: already exists; the demo shop is only written to a new file")
    if not path.parent.is_dir():
        raise DemoError(f"{path}: folder {path.parent} does not exist")
    if members < 1:
        raise DemoError(f"members: expected 1 or more, got {members}")
    if now is None:
        now = datetime.now(timezone.utc)
    if now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    now = now.replace(microsecond=0)
    building = path.with_name(path.name + ".building")
    for stale in _leftovers(building) + _leftovers(path)[1:]:
        # a half-built file from a crash, or a journal whose database is gone: never ours to keep
        stale.unlink(missing_ok=True)
    # Millions of small tuples live through the build; the cyclic collector would walk them
    # again and again for nothing (nothing here makes cycles worth collecting early).
    collecting = gc.isenabled()
    gc.disable()
    try:
        summary = _Builder(settings, members, seed, now).build(building)
        # after close: the database file is complete, no -wal beside it
        for stale in _leftovers(building)[1:]:
            stale.unlink(missing_ok=True)
        if path.exists():
            raise DemoError(f"{path}: appeared while the demo was being built; left as it was")
        os.replace(building, path)
    except BaseException:
        close_database()
        for stale in _leftovers(building):
            stale.unlink(missing_ok=True)
        raise
    finally:
        if collecting:
            gc.enable()
    return DemoSummary(**{**summary, "seconds": round(clock.perf_counter() - started, 3)})


class _Builder:
    """One build: the rows are made in memory first, then written in a few transactions."""

    def __init__(self, settings: Settings, n: int, seed: int, now: datetime):
        self.settings, self.n, self.now = settings, n, now
        self.rules, self.zone = settings.callbacks, settings.shop.zone
        self.rng = random.Random(seed)
        self.clock = _Clock(self.zone)
        self.today = local_day(now, self.zone).toordinal()
        self.now_t = self.clock.local(now)
        self.phases: list[tuple[str, float]] = []
        self._mark = clock.perf_counter()
        self.hour = _Pick(range(9, 21), HOUR_WEIGHTS)

    def phase(self, name: str) -> None:
        t = clock.perf_counter()
        self.phases.append((name, round(t - self._mark, 3)))
        self._mark = t

    # -- time helpers --

    def shop_time(self, day: int, lo: int | None = None, hi: int | None = None) -> int | None:
        """A moment on `day` in shop hours, after `lo` and before `hi` and now; None if none."""
        start, end = day * DAY + OPEN_S, min(day * DAY + CLOSE_S, self.now_t)
        if lo is not None and lo > start:
            start = lo
        if hi is not None and hi < end:
            end = hi
        if start >= end:
            return None
        if start == day * DAY + OPEN_S and end == day * DAY + CLOSE_S:
            return self.any_time(day)
        return start + int(self.rng.random() * (end - start))

    def any_time(self, day: int) -> int:
        """A moment on `day` in shop hours, busier late morning and after work; maybe after now."""
        return day * DAY + self.hour(self.rng) * 3600 + int(self.rng.random() * 3600)

    # -- the steps --

    def build(self, building: Path) -> dict:
        self.make_staff_and_products()
        self.make_members()
        self.phase("generate members")
        self.make_sales()
        self.phase("generate sales")
        self.make_contacts()
        self.phase("generate contacts")
        try:
            db = open_database(building, self.settings.database.busy_timeout_ms)
        except SchemaError as exc:
            raise DemoError(str(exc)) from None
        # The file is renamed into place only when complete: durability while building buys nothing.
        db.execute_sql("PRAGMA foreign_keys = OFF")
        db.execute_sql("PRAGMA synchronous = OFF")
        db.execute_sql("PRAGMA journal_mode = OFF")
        db.execute_sql("PRAGMA cache_size = -400000")
        db.execute_sql("PRAGMA temp_store = MEMORY")
        self.db = db
        self.write_history()
        self.phase("write history")
        day = date.fromordinal(self.today)
        refresh_shop(day, self.rules, self.zone, self.now)
        self.phase("refresh_shop 1")
        self.play_recent_work()
        self.phase("play recent work")
        # What log_contact does after each contact: the rules again for that member. Members
        # without a new contact have the same facts as in the first run, so this equals a
        # second refresh_shop (a test checks that one more changes nothing) at a fraction of it.
        with db.atomic("IMMEDIATE"):
            for mid in self.touched:
                refresh_member(mid, day, self.rules, self.zone, self.now)
        self.phase("refresh touched members")
        with db.atomic("IMMEDIATE"):
            self.date_callbacks()
        self.phase("date callbacks")
        summary = self.count()
        db.execute_sql("PRAGMA journal_mode = WAL")
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        close_database()
        self.phase("count and close")
        return {**summary, "phases": tuple(self.phases)}

    def make_staff_and_products(self) -> None:
        rng, today = self.rng, self.today
        n_guides = max(3, min(20, self.n // 5000))
        self.staff = []
        for name, _role in MANAGERS:
            t = (today - 1100) * DAY + OPEN_S
            self.staff.append((len(self.staff) + 1, name, "manager", 1, self.clock.utc_text(t)))
        for name in GUIDE_NAMES[:n_guides]:
            t = (today - rng.randint(420, 1000)) * DAY + OPEN_S + rng.randrange(3600)
            self.staff.append((len(self.staff) + 1, name, "guide", 1, self.clock.utc_text(t)))
        self.guides = [s[0] for s in self.staff if s[2] == "guide"]
        self.member_manager = 2
        # owners: an even split that drifted (people left, new members went to whoever was free)
        self.owner_pick = _Pick(self.guides, [1 + rng.uniform(-0.25, 0.25) for _ in self.guides])

        products = []
        self.formula = []  # per brand: (brand, (product ids of stages 1..3))
        for sku, brand, series, prices, _w in FORMULA:
            ids = []
            for stage in (1, 2, 3):
                products.append((f"{sku}-{stage}", f"{series} {stage}段 800g", brand, "formula",
                                 "can", FORMULA_DAYS[stage - 1], prices[stage - 1]))
                ids.append(len(products))
            self.formula.append(tuple(ids))
        self.formula_pick = _Pick(range(len(FORMULA)), [f[4] for f in FORMULA])
        self.diapers = []
        for sku, brand, name, days, price, _w in DIAPERS:
            products.append((sku, name, brand, "diapers", "pack", days, price))
            self.diapers.append(len(products))
        self.diaper_pick = _Pick(self.diapers, [d[5] for d in DIAPERS])
        self.wipes = []
        for sku, brand, name, days, price, _w in WIPES:
            products.append((sku, name, brand, "wipes", "pack", days, price))
            self.wipes.append(len(products))
        self.wipes_pick = _Pick(self.wipes, [w[5] for w in WIPES])
        gear_ids, whim, before_birth = [], [], []
        for sku, brand, name, price, weight, prenatal in GEAR:
            products.append((sku, name, brand, "gear", "piece", None, price))
            gear_ids.append(len(products))
            whim.append(weight)
            if prenatal:
                before_birth.append(len(products))
        self.gear_whim = _Pick(gear_ids, whim)
        self.gear_prenatal = before_birth
        self.products = [(i + 1, *p) for i, p in enumerate(products)]
        self.days = {p[0]: p[6] for p in self.products}
        self.price = {p[0]: p[7] for p in self.products}
        self.category = {p[0]: p[4] for p in self.products}

    def make_members(self) -> None:
        rng, clk, today, n = self.rng, self.clock, self.today, self.n
        surname = _Pick([s for s, _ in SURNAMES], [w for _, w in SURNAMES])
        nationality = _Pick([v for v, _ in NATIONALITIES], [w for _, w in NATIONALITIES])
        phones: set[str] = set()
        self.members: list[tuple] = []
        self.children: list[tuple] = []
        # per member (index = id): what the sales and contacts need
        self.plan: list[dict | None] = [None]
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
            created_t = self.shop_time(joined) or (joined * DAY + OPEN_S)
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
                self.children.append((len(self.children) + 1, mid, label,
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
                    promo_t = (self.shop_time(rng.randint(joined, today), lo=created_t + 60)
                               or created_t)
                    promo_contact = promo_t != created_t
            dnc_t = None
            if rng.random() < 0.02:
                dnc_t = self.shop_time(rng.randint(joined, today), lo=created_t + 60)
            owner = None if rng.random() < 0.03 else self.owner_pick(rng)

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
            self.members.append((
                mid, f"M{mid:06d}", name, "女" if female else "男",
                birthday.isoformat() if birthday else None, age_approx, nationality(rng),
                phone, phone[-4:], email, address,
                soft["occupation"], soft["family"], soft["personality"], soft["shopping_habits"],
                soft["style"], soft["hobbies"], soft["lifestyle"], soft["values_"],
                accepts, clk.utc_text(promo_t) if promo_t is not None else None,
                1 if dnc_t is not None else 0, clk.utc_text(dnc_t) if dnc_t is not None else None,
                owner, clk.day_text(joined), clk.utc_text(created_t)))
            self.plan.append({
                "joined": joined, "created": created_t, "lapse": lapse_day, "never": never,
                "owner": owner, "born": sorted(b for b, _, _ in named if b is not None),
                "due": [d for _, d, _ in named if d is not None], "birthday": birthday,
                "kid_births": [b for b, _, _ in named if b is not None],
                "accepts": accepts, "promo_t": promo_t if promo_contact else None, "dnc": dnc_t,
                "purchases": [],
            })

    def make_sales(self) -> None:
        rng, today = self.rng, self.today
        sales: list[tuple] = []  # (t, member id or 0, staff id, [(product, qty, amount)])
        formula_qty = _Pick((1, 2, 3, 4, 6, 8, 12), (3, 6, 10, 16, 32, 13, 20))
        diaper_qty = _Pick((3, 4, 5, 6, 8), (15, 25, 15, 30, 15))
        wipes_qty = _Pick((4, 6, 8, 10, 12), (20, 30, 22, 16, 12))

        rand, days, price = rng.random, self.days, self.price

        def amount(product: int, qty: int) -> int:
            """Six cans or more 5% off, twelve 10% off, to the fen."""
            rate = 0.9 if qty >= 12 else (0.95 if qty >= 6 else 1.0)
            return int(price[product] * qty * rate + 0.5)

        for mid in range(1, self.n + 1):
            p = self.plan[mid]
            if p["never"]:
                continue
            owner = p["owner"]

            def staff() -> int:
                if owner is not None and rng.random() < 0.65:
                    return owner
                return rng.choice(self.guides)

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
                        items = rng.sample(self.gear_prenatal, rng.randint(1, 2))
                        trips.setdefault(day, []).extend((g, 1, price[g]) for g in sorted(items))

            born = p["born"] or ([today - rng.randint(60, 900)] if not p["due"] else [])
            if born:
                brand = self.formula[self.formula_pick(rng)]
                diaper_stop = rng.randint(720, 1000)
                # [formula products by stage, until what age, usual quantity, other quantities,
                #  the day the stock at home runs out, the day they come for more, product]
                streams = []
                if rand() < 0.75:
                    streams.append([brand, 1095, formula_qty(rng), (1, 2, 3, 4, 6, 12), 0.0, 0,
                                    None])
                streams.append([None, diaper_stop, diaper_qty(rng), (3, 4, 6, 8), 0.0, 0,
                                self.diaper_pick(rng)])
                if rand() < 0.5:
                    streams.append([None, diaper_stop + 200, wipes_qty(rng), (4, 6, 10), 0.0, 0,
                                    self.wipes_pick(rng)])
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
                        g = self.gear_whim(rng)
                        lines.append((g, 1, price[g]))
                    if lines:
                        trips.setdefault(day, []).extend(lines)
                    day = soonest if soonest > day else day + 1

            for day in sorted(trips):
                t = self.any_time(day)
                if t >= self.now_t:
                    break  # later today, or a day to come: not yet
                sales.append((t, mid, staff(), trips[day]))

        # customers without a card: a few tickets a day
        walk_in = self.n * WALK_IN_PER_MEMBER_DAY
        for day in range(today - 365, today + 1):
            count = int(walk_in) + (1 if rng.random() < walk_in % 1 else 0)
            for _ in range(count):
                t = self.any_time(day)
                if t >= self.now_t:
                    continue
                r = rng.random()
                if r < 0.35:
                    brand = self.formula[self.formula_pick(rng)]
                    product, qty = brand[rng.randrange(3)], rng.randint(1, 2)
                elif r < 0.65:
                    product, qty = self.diaper_pick(rng), rng.randint(1, 2)
                elif r < 0.85:
                    product, qty = self.wipes_pick(rng), rng.randint(1, 4)
                else:
                    product, qty = self.gear_whim(rng), 1
                sales.append((t, 0, rng.choice(self.guides),
                              [(product, qty, amount(product, qty))]))

        sales.sort(key=lambda s: (s[0], s[1]))
        self.purchases = []
        self.lines = []
        self.purchase_t = [0]
        self.sale_times: list[list[int]] = [[] for _ in range(self.n + 1)]
        for pid, (t, mid, sid, lines) in enumerate(sales, start=1):
            self.purchases.append((pid, mid or None, sid, self.clock.utc_text(t)))
            self.purchase_t.append(t)
            for product, qty, cents in lines:
                self.lines.append((len(self.lines) + 1, pid, product, qty, cents))
            if mid:
                self.plan[mid]["purchases"].append((t, pid, lines[0][0]))
                self.sale_times[mid].append(t)

    def make_contacts(self) -> None:
        rng, today, now_t = self.rng, self.today, self.now_t
        rules = self.rules
        channel_follow = _Pick(("phone", "wechat", "sms", "home_visit"), (45, 47, 5, 3))
        channel_call = _Pick(("phone", "wechat", "sms"), (60, 35, 5))
        contacts: list[tuple] = []  # (t, member, staff, channel, outcome, care, note, next ordinal)
        tracking = (today - TRACKING_DAYS) * DAY
        self.last_contact_t = [0] * (self.n + 1)

        for mid in range(1, self.n + 1):
            p = self.plan[mid]
            owner = p["owner"]
            who = owner if owner is not None else rng.choice(self.guides)
            mine: list[tuple] = []

            def add(t, outcome, channel, care, note, next_day=None, staff=None):
                if next_day is None and outcome == "no_answer":
                    next_day = t // DAY + rules.no_answer_retry_days
                if next_day is None and outcome == "complaint":
                    next_day = t // DAY + rules.complaint_feedback_days
                mine.append((t, mid, staff or who, channel, outcome, care, note, next_day))
                if outcome == "no_answer" and rng.random() < 0.85:
                    retry = self.shop_time(next_day, lo=t + 3600)
                    if retry is not None:
                        mine.append((retry, mid, staff or who, "wechat", "reached", 1,
                                     rng.choice(NOTES_RETRY) if rng.random() < 0.5 else "", None))

            # the follow-up call after each sale
            for t, _pid, first_product in p["purchases"]:
                if t < tracking or rng.random() >= FOLLOW_UP_SHARE:
                    continue
                d = t // DAY
                ct = self.shop_time(d, lo=t + 1800) if rng.random() < 0.3 else None
                if ct is None:
                    ct = self.shop_time(d + 1)
                if ct is None:
                    continue
                r = rng.random()
                outcome = "reached" if r < 0.86 else ("no_answer" if r < 0.96 else "will_come")
                note = ""
                if outcome == "reached" and rng.random() < 0.45:
                    note = rng.choice(NOTES_FOLLOW[self.category[first_product]])
                add(ct, outcome, channel_follow(rng), 1 if rng.random() < 0.95 else 0, note)

            # a sleeping member is called when dormant, then about monthly
            sales_ok = p["accepts"] != 0
            if sales_ok:
                last_buy = p["purchases"][-1][0] // DAY if p["purchases"] else p["joined"]
                day = last_buy + rules.dormant_purchase_days + rng.randint(0, 8)
                if day < tracking // DAY:  # sleepers from before the log: worked through in a month
                    day = tracking // DAY + rng.randint(0, 30)
                while day <= today:
                    t = self.shop_time(day)
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
                    t = self.shop_time(when - rng.randint(0, 2), lo=p["created"])
                    if t is not None:
                        add(t, "reached", "wechat", 1, rng.choice(NOTES_BIRTHDAY))

            # an old complaint, settled
            if p["purchases"] and rng.random() < 0.01:
                t0 = p["purchases"][rng.randrange(len(p["purchases"]))][0]
                t = self.shop_time(t0 // DAY + rng.randint(1, 20))
                if t is not None:
                    feedback_on = t // DAY + rules.complaint_feedback_days
                    mine.append((t, mid, who, "in_store", "complaint", 0,
                                 rng.choice(NOTES_COMPLAINT), feedback_on))
                    fb = self.shop_time(feedback_on, lo=t + 60)
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
                self.last_contact_t[mid] = mine[-1][0]
            contacts.extend(mine)

        # booked call-backs and open complaints: the newest contact of a few members
        def newest(count: int, reason: str) -> None:
            tries = 0
            done = 0
            while done < count and tries < count * 20:
                tries += 1
                mid = rng.randint(1, self.n)
                p = self.plan[mid]
                if p["dnc"] is not None or p.get("booked"):
                    continue
                if reason == "complaint":
                    back = rules.complaint_feedback_days if done == 0 else rng.randint(1, 6)
                else:
                    back = rng.randint(0, 6)
                day = self.today - back
                t = self.shop_time(day, lo=max(self.last_contact_t[mid], p["created"]) + 60)
                if t is None:
                    continue
                p["booked"] = True
                staff = p["owner"] or rng.choice(self.guides)
                if reason == "complaint":
                    if rng.random() < 0.4:
                        staff = self.member_manager
                    nxt = day + rules.complaint_feedback_days
                    contacts.append((t, mid, staff, rng.choice(("in_store", "phone")), "complaint",
                                     0, rng.choice(NOTES_COMPLAINT), nxt))
                else:
                    nxt = self.today if done == 0 else max(day + 1, self.today + rng.randint(-2, 6))
                    contacts.append((t, mid, staff, rng.choice(("phone", "wechat")),
                                     "will_come" if rng.random() < 0.3 else "reached", 1,
                                     rng.choice(NOTES_SCHEDULED), nxt))
                self.last_contact_t[mid] = t
                done += 1

        newest(max(2, round(self.n * COMPLAINT_SHARE)), "complaint")
        newest(max(3, round(self.n * SCHEDULED_SHARE)), "scheduled")
        for p in self.plan[1:]:
            del p["purchases"]  # sale_times keeps what is still needed

        contacts.sort(key=lambda c: (c[0], c[1]))
        self.contacts = []
        self.contact_t = [0]
        # per member, in time order: contact times and ids
        self.member_contacts: list[list[int]] = [[] for _ in range(self.n + 1)]
        self.member_contact_ids: list[list[int]] = [[] for _ in range(self.n + 1)]
        for cid, (t, mid, sid, channel, outcome, care, note, nxt) in enumerate(contacts, start=1):
            self.contacts.append((cid, mid, sid, self.clock.utc_text(t), channel, outcome, care,
                                  note, self.clock.day_text(nxt) if nxt is not None else None))
            self.contact_t.append(t)
            self.member_contacts[mid].append(t)
            self.member_contact_ids[mid].append(cid)

    def write_history(self) -> None:
        db = self.db
        tables = (
            ("staff", "id, name, role, active, created_at", self.staff),
            ("product", "id, sku, name, brand, category, unit, days_per_unit, price_cents",
             self.products),
            ("member", "id, member_no, name, gender, birthday, age_approx, nationality, phone,"
             " phone_tail, email, address, occupation, family, personality, shopping_habits, style,"
             " hobbies, lifestyle, values_, accepts_promotions, promotions_set_at, do_not_contact,"
             " do_not_contact_set_at, owner_id, joined_on, created_at", self.members),
            ("child", "id, member_id, name, birth_date, due_date", self.children),
            ("purchase", "id, member_id, staff_id, purchased_at", self.purchases),
            ("purchase_line", "id, purchase_id, product_id, quantity, amount_cents", self.lines),
            ("contact", "id, member_id, staff_id, contacted_at, channel, outcome, care, note,"
             " next_contact_on", self.contacts),
        )
        with db.atomic("IMMEDIATE"):
            cur = db.cursor()
            for table, columns, rows in tables:
                marks = ", ".join("?" * (columns.count(",") + 1))
                cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
                self.phase(f"insert {table}")
            db.execute_sql("""
                UPDATE member SET total_spend_cents = s.spend, last_purchase_at = s.last
                FROM (SELECT p.member_id AS member_id, SUM(l.amount_cents) AS spend,
                             MAX(p.purchased_at) AS last
                      FROM purchase p JOIN purchase_line l ON l.purchase_id = p.id
                      WHERE p.member_id IS NOT NULL GROUP BY p.member_id) AS s
                WHERE s.member_id = member.id""")
            self.phase("member totals")
        # written: the rows are not needed again, and the rules want the memory
        del self.members, self.children, self.purchases, self.lines, self.contacts

    def play_recent_work(self) -> None:
        """The guides' last two weeks: most due callbacks were done, late or on time."""
        rng, today, now_t = self.rng, self.today, self.now_t
        rows = self.db.execute_sql(
            "SELECT id, member_id, reason, source_key, due_on, owner_id FROM callback"
            " WHERE status = 'open' AND due_on <= ? ORDER BY member_id, due_on, id",
            (self.clock.day_text(today),)).fetchall()
        by_member: dict[int, list[list]] = {}
        for cbid, mid, reason, key, due, owner in rows:
            by_member.setdefault(mid, []).append(
                [cbid, reason, key, date.fromisoformat(due).toordinal(), owner, None])

        def window(cb) -> int | None:
            """From when a contact already on file counts as doing this callback."""
            reason, key, due = cb[1], cb[2], cb[3]
            if reason == "follow_up":
                return self.purchase_t[int(key.split(":")[1])]
            if reason in ("running_out", "birthday"):
                return (due - 3) * DAY
            return None  # dormant, scheduled, complaint: raised by the newest contact itself

        def on_file(mid: int, cb) -> int | None:
            start = window(cb)
            if start is None:
                return None
            times = self.member_contacts[mid]
            i = bisect_left(times, start)
            if i < len(times) and times[i] < now_t:
                return times[i]
            return None

        # keep one member per reason untouched, so today's queue shows every kind of call
        keep: list[int] = []
        for reason in sorted(RULE_REASONS):
            candidates = [mid for mid, cbs in by_member.items()
                          if any(cb[1] == reason and on_file(mid, cb) is None for cb in cbs)]
            if candidates and not any(mid in keep for mid in candidates):
                keep.append(rng.choice(candidates))

        closes: list[tuple[str, int, int]] = []  # (closed_at text, contact id, callback id)
        closed_t: dict[int, int] = {}
        new_contacts: list[tuple] = []
        next_id = len(self.contact_t)
        channel = _Pick(("phone", "wechat", "sms"), (55, 40, 5))

        for mid, cbs in by_member.items():
            kept = mid in keep
            times = self.member_contacts[mid]
            ids = self.member_contact_ids[mid]

            def close(cb, t: int, cid: int) -> None:
                cb[5] = (t, cid)
                closes.append((self.clock.utc_text(t), cid, cb[0]))
                closed_t[cb[0]] = t

            def log(t: int, reason: str, owner: int | None, retry: bool = False) -> None:
                nonlocal next_id
                r = 0.0 if retry else rng.random()
                if reason == "dormant":
                    outcome = "reached" if r < 0.6 else ("no_answer" if r < 0.85 else "will_come")
                else:
                    outcome = "reached" if r < 0.82 else ("no_answer" if r < 0.92 else "will_come")
                notes = {"dormant": NOTES_DORMANT, "running_out": NOTES_RUNNING_OUT,
                         "birthday": NOTES_BIRTHDAY, "complaint": NOTES_RESOLVED
                         }.get(reason, NOTES_RETRY)
                note = rng.choice(notes) if outcome == "reached" and rng.random() < 0.5 else ""
                nxt = None
                if outcome == "no_answer":
                    nxt = t // DAY + self.rules.no_answer_retry_days
                care = 1 if reason not in ("dormant", "running_out") or rng.random() < 0.6 else 0
                staff = owner or self.plan[mid]["owner"] or rng.choice(self.guides)
                cid = next_id
                next_id += 1
                new_contacts.append((cid, mid, staff, self.clock.utc_text(t), channel(rng),
                                     outcome, care, note,
                                     self.clock.day_text(nxt) if nxt is not None else None))
                self.contact_t.append(t)
                k = bisect_right(times, t)
                times.insert(k, t)
                ids.insert(k, cid)
                for other in cbs:  # like log_contact: everything due by that day is done
                    if other[5] is None and other[3] <= t // DAY and (window(other) or 0) <= t:
                        close(other, t, cid)
                if nxt is not None and rng.random() < 0.75:  # no answer: tried again next day
                    again = self.shop_time(nxt, lo=t + 3600)
                    if again is not None:
                        log(again, reason, owner, retry=True)

            for cb in cbs:
                if cb[5] is not None:
                    continue
                start = window(cb)
                if start is not None:
                    i = bisect_left(times, start)
                    if i < len(times) and times[i] < now_t:
                        close(cb, times[i], ids[i])
                        continue
                if kept or cb[3] >= today:
                    continue
                if rng.random() < OVERDUE_DONE_SHARE:
                    t = self.shop_time(rng.randint(cb[3], today - 1),
                                       lo=(start + 60) if start is not None else None)
                    if t is None:
                        t = self.shop_time(today - 1)
                    if t is not None:
                        log(t, cb[1], cb[4])
            if not kept and any(cb[5] is None and cb[3] == today for cb in cbs):
                if rng.random() < TODAY_DONE_SHARE:
                    t = self.shop_time(today)
                    if t is not None:
                        first = next(cb for cb in cbs if cb[5] is None and cb[3] == today)
                        log(t, first[1], first[4])

        cur = self.db.cursor()
        with self.db.atomic("IMMEDIATE"):
            cur.executemany("INSERT INTO contact (id, member_id, staff_id, contacted_at, channel,"
                            " outcome, care, note, next_contact_on)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new_contacts)
            cur.executemany("UPDATE callback SET status = 'done', closed_at = ?, contact_id = ?"
                            " WHERE id = ?", closes)
        self.closed_t = closed_t
        self.touched = sorted({c[1] for c in new_contacts})

    def date_callbacks(self) -> None:
        """When the rules would have raised each callback the queue and the reports look at.

        The rule runs above stamp everything with `now`; a callback done last week was raised
        before that: at the sale, at the contact that booked it, on the daily run that first
        saw the birthday. Callbacks due later keep `now`: today's run raised them.
        """
        today, now_t = self.today, self.now_t
        since = (today - TRACKING_DAYS) * DAY + OPEN_S  # the app has run since the log began
        rows = self.db.execute_sql(
            "SELECT id, member_id, reason, source_key, due_on FROM callback"
            " WHERE due_on <= ? OR status <> 'open' ORDER BY id",
            (self.clock.day_text(today),)).fetchall()

        def last_event(mid: int, day: int) -> int:
            """The member's last sale or contact on `day` (the rules ran right after it)."""
            best = 0
            sales = self.sale_times[mid]
            i = bisect_left(sales, (day + 1) * DAY) - 1
            if i >= 0 and sales[i] >= day * DAY:
                best = sales[i]
            talks = self.member_contacts[mid]
            i = bisect_left(talks, (day + 1) * DAY) - 1
            if i >= 0 and talks[i] >= day * DAY:
                best = max(best, talks[i])
            return best or day * DAY + CLOSE_S

        updates = []
        for cbid, mid, reason, key, due in rows:
            due_day = date.fromisoformat(due).toordinal()
            ref = key.split(":", 1)[-1]
            if reason == "follow_up":
                t = self.purchase_t[int(ref)]
            elif reason in ("scheduled", "complaint"):
                t = self.contact_t[int(ref)]
            elif reason == "running_out":  # brand:day of the newest purchase
                t = last_event(mid, date.fromisoformat(ref).toordinal())
            elif reason == "dormant":  # a daily run while it was coming up
                t = (due_day - self.rules.stale_after_days) * DAY + OPEN_S
            else:  # birthday: the first daily run within a year of it
                t = (due_day - 365) * DAY + OPEN_S
            t = max(t, since, self.plan[mid]["created"])
            t = min(t, self.closed_t.get(cbid, now_t), now_t)
            updates.append((self.clock.utc_text(t), cbid))
        self.db.cursor().executemany("UPDATE callback SET created_at = ? WHERE id = ?", updates)

    def count(self) -> dict:
        sql = self.db.execute_sql
        one = lambda q, *a: sql(q, a).fetchone()[0]  # noqa: E731
        oldest = self.clock.day_text(self.today - self.rules.stale_after_days)
        return {
            "staff": one("SELECT count(*) FROM staff"),
            "members": one("SELECT count(*) FROM member"),
            "children": one("SELECT count(*) FROM child"),
            "products": one("SELECT count(*) FROM product"),
            "purchases": one("SELECT count(*) FROM purchase"),
            "purchase_lines": one("SELECT count(*) FROM purchase_line"),
            "contacts": one("SELECT count(*) FROM contact"),
            "callbacks_open_due_today_or_overdue": one(
                "SELECT count(*) FROM callback"
                " WHERE status = 'open' AND due_on <= ? AND due_on >= ?",
                self.clock.day_text(self.today), oldest),
        }
