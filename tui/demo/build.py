"""The demo shop's build: `build_demo` writes the generated history, runs the callback rules and
plays the guides' last two weeks of work, so today's queue looks like a working shop's."""

from __future__ import annotations

import gc
import os
import time as clock
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from tui.db.boards.figures import derived_columns_paused
from tui.db.callbacks.raising import refresh_member, refresh_shop
from tui.db.callbacks.rules import RULE_REASONS
from tui.db.connection import DEMO_KEY, close_database, is_demo_shop, open_database
from tui.i18n import N_
from tui.db.migrations import SchemaError
from tui.db.pinyin import fill_name_keys
from tui.demo.data import (CLOSE_S, DAY, NOTES_BIRTHDAY, NOTES_DORMANT, NOTES_RESOLVED,
                           NOTES_RETRY, NOTES_RUNNING_OUT, OPEN_S, OVERDUE_DONE_SHARE,
                           TODAY_DONE_SHARE, TRACKING_DAYS)
from tui.demo.history import make_contacts, make_sales
from tui.demo.shop import DemoShop, Pick, make_members, make_staff_and_products, shop_time
from tui.errors import ShopfloorError
from tui.settings import Settings


class DemoError(ShopfloorError):
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


# --- the build --------------------------------------------------------------------------


def _leftovers(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]


#: what the sign-in screen of a demo shop says (Meta DEMO_KEY), as the README does
#: shown on the sign-in screen, in the language spoken there (stored in English, marked here)
DEMO_PINS_WORDS = N_("Demo shop PINs · managers 8888 · guides 1234")


def build_demo(path: Path, settings: Settings, *, now: datetime, members: int = 2000,
               seed: int = 7, over_demo: bool = False) -> DemoSummary:
    """Write the demo shop to PATH (which must not exist yet) and say what is in it.

    OVER_DEMO: PATH is a demo shop the caller holds alone (tui.db.backups.sessions.alone), to be
    replaced once the new one is complete; never a real shop's database.

    `now` is a naive UTC time (the caller's clock); the shop's "today" is its local day.
    The file is built beside PATH as PATH.building and renamed when complete. This uses
    (and leaves closed) the shared `tui.db.models.database`. The same members, seed and
    `now` give the same table contents, byte for byte: one random.Random(seed) decides
    everything, in a fixed order.
    """
    started = clock.perf_counter()
    path = Path(path)
    if path.is_dir():
        raise DemoError(f"{path}: is a folder; give the demo database's file path")
    if path.exists() and not (over_demo and is_demo_shop(path)):
        raise DemoError(f"{path}: already exists; the demo shop is only written to a new file "
                        "or over a demo shop")
    if not path.parent.is_dir():
        raise DemoError(f"{path}: folder {path.parent} does not exist")
    if members < 1:
        raise DemoError(f"members: expected 1 or more, got {members}")
    if now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    now = now.replace(microsecond=0)
    building = path.with_name(path.name + ".building")
    for stale in _leftovers(building) + ([] if path.exists() else _leftovers(path)[1:]):
        # a half-built file from a crash, or a journal whose database is gone: never ours to keep
        stale.unlink(missing_ok=True)
    # Millions of small tuples live through the build; the cyclic collector would walk them
    # again and again for nothing (nothing here makes cycles worth collecting early).
    collecting = gc.isenabled()
    gc.disable()
    try:
        summary = build(DemoShop(settings, members, seed, now), building)
        # after close: the database file is complete, no -wal beside it
        for stale in _leftovers(building)[1:]:
            stale.unlink(missing_ok=True)
        _fsync(building)  # built with synchronous off: on the disk before it takes the name
        if path.exists() and not over_demo:
            raise DemoError(f"{path}: appeared while the demo was being built; left as it was")
        for stale in _leftovers(path)[1:]:  # the old demo's WAL must never meet the new file
            stale.unlink(missing_ok=True)
        os.replace(building, path)
        _fsync(path.parent)
    except BaseException:
        close_database()
        for stale in _leftovers(building):
            stale.unlink(missing_ok=True)
        raise
    finally:
        if collecting:
            gc.enable()
    return DemoSummary(**{**summary, "seconds": round(clock.perf_counter() - started, 3)})


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def phase(shop: DemoShop, name: str) -> None:
    t = clock.perf_counter()
    shop.phases.append((name, round(t - shop.mark, 3)))
    shop.mark = t


# -- the steps --


def build(shop: DemoShop, building: Path) -> dict:
    shop.mark = clock.perf_counter()
    make_staff_and_products(shop)
    make_members(shop)
    phase(shop, "generate members")
    make_sales(shop)
    phase(shop, "generate sales")
    make_contacts(shop)
    phase(shop, "generate contacts")
    try:
        db = open_database(building, shop.settings.database.busy_timeout_ms, what=None)
    except SchemaError as exc:
        raise DemoError(str(exc)) from None
    # The file is renamed into place only when complete: durability while building buys nothing.
    db.execute_sql("PRAGMA foreign_keys = OFF")
    db.execute_sql("PRAGMA synchronous = OFF")
    db.execute_sql("PRAGMA journal_mode = OFF")
    db.execute_sql("PRAGMA cache_size = -400000")
    db.execute_sql("PRAGMA temp_store = MEMORY")
    shop.db = db
    with derived_columns_paused(db):  # the stored figures once at the end, not per row
        write_history(shop)
    # the sign-in screen of a demo shop shows the README's PINs; a real shop's never
    db.execute_sql("INSERT INTO meta (key, value) VALUES (?, ?)", (DEMO_KEY, DEMO_PINS_WORDS))
    phase(shop, "write history")
    day = date.fromordinal(shop.today)
    refresh_shop(day, shop.rules, shop.zone, shop.now)
    phase(shop, "refresh_shop 1")
    play_recent_work(shop)
    phase(shop, "play recent work")
    # What log_contact does after each contact: the rules again for that member. Members
    # without a new contact have the same facts as in the first run, so this equals a
    # second refresh_shop (a test checks that one more changes nothing) at a fraction of it.
    with db.atomic("IMMEDIATE"):
        for mid in shop.touched:
            refresh_member(mid, day, shop.rules, shop.zone, shop.now)
    phase(shop, "refresh touched members")
    with db.atomic("IMMEDIATE"):
        date_callbacks(shop)
    phase(shop, "date callbacks")
    summary = count(shop)
    db.execute_sql("PRAGMA journal_mode = WAL")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    phase(shop, "count and close")
    return {**summary, "phases": tuple(shop.phases)}


def write_history(shop: DemoShop) -> None:
    db = shop.db
    tables = (
        ("staff", "id, name, role, active, created_at, pin_hash", shop.staff),
        ("product", "id, sku, name, brand, category, unit, days_per_unit, price_cents",
         shop.products),
        ("member", "id, member_no, name, gender, birthday, age_approx, nationality, phone,"
         " phone_tail, email, address, occupation, family, personality, shopping_habits, style,"
         " hobbies, lifestyle, values_, accepts_promotions, promotions_set_at, do_not_contact,"
         " do_not_contact_set_at, owner_id, joined_on, created_at", shop.members),
        ("child", "id, member_id, name, birth_date, due_date", shop.children),
        ("purchase", "id, member_id, staff_id, purchased_at", shop.purchases),
        ("purchase_line", "id, purchase_id, product_id, quantity, amount_cents", shop.lines),
        ("contact", "id, member_id, staff_id, contacted_at, channel, outcome, care, note,"
         " next_contact_on", shop.contacts),
    )
    with db.atomic("IMMEDIATE"):
        cur = db.cursor()
        for table, columns, rows in tables:
            marks = ", ".join("?" * (columns.count(",") + 1))
            cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            phase(shop, f"insert {table}")
        # the gear lasts (no days per unit); a formula's stage and size, as its name says
        db.execute_sql("UPDATE product SET durable = 1 WHERE days_per_unit IS NULL")
        db.execute_sql("UPDATE product SET stage = CAST(substr(sku, -1) AS INTEGER), "
                       "spec = '800g' WHERE category = 'formula'")
        db.execute_sql("""
            UPDATE member SET total_spend_cents = s.spend, last_purchase_at = s.last
            FROM (SELECT p.member_id AS member_id, SUM(l.amount_cents) AS spend,
                         MAX(p.purchased_at) AS last
                  FROM purchase p JOIN purchase_line l ON l.purchase_id = p.id
                  WHERE p.member_id IS NOT NULL GROUP BY p.member_id) AS s
            WHERE s.member_id = member.id""")
        phase(shop, "member totals")
        fill_name_keys(db)  # zs or zhangsan finds 张三, as for a name written in the app
        phase(shop, "pinyin of names")
    # written: the rows are not needed again, and the rules want the memory
    del shop.members, shop.children, shop.purchases, shop.lines, shop.contacts


def play_recent_work(shop: DemoShop) -> None:
    """The guides' last two weeks: most due callbacks were done, late or on time."""
    rng, today, now_t = shop.rng, shop.today, shop.now_t
    rows = shop.db.execute_sql(
        "SELECT id, member_id, reason, source_key, due_on, owner_id FROM callback"
        " WHERE status = 'open' AND due_on <= ? ORDER BY member_id, due_on, id",
        (shop.clock.day_text(today),)).fetchall()
    by_member: dict[int, list[list]] = {}
    for cbid, mid, reason, key, due, owner in rows:
        by_member.setdefault(mid, []).append(
            [cbid, reason, key, date.fromisoformat(due).toordinal(), owner, None])

    def window(cb) -> int | None:
        """From when a contact already on file counts as doing this callback."""
        reason, key, due = cb[1], cb[2], cb[3]
        if reason == "follow_up":
            return shop.purchase_t[int(key.split(":")[1])]
        if reason in ("running_out", "birthday"):
            return (due - 3) * DAY
        return None  # dormant, scheduled, complaint: raised by the newest contact itself

    def on_file(mid: int, cb) -> int | None:
        start = window(cb)
        if start is None:
            return None
        times = shop.member_contacts[mid]
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
    next_id = len(shop.contact_t)
    channel = Pick(("phone", "wechat", "sms"), (55, 40, 5))

    for mid, cbs in by_member.items():
        kept = mid in keep
        times = shop.member_contacts[mid]
        ids = shop.member_contact_ids[mid]

        def close(cb, t: int, cid: int) -> None:
            cb[5] = (t, cid)
            closes.append((shop.clock.utc_text(t), cid, cb[0]))
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
                nxt = t // DAY + shop.rules.no_answer_retry_days
            care = 1 if reason not in ("dormant", "running_out") or rng.random() < 0.6 else 0
            staff = owner or shop.plan[mid]["owner"] or rng.choice(shop.guides)
            cid = next_id
            next_id += 1
            new_contacts.append((cid, mid, staff, shop.clock.utc_text(t), channel(rng),
                                 outcome, care, note,
                                 shop.clock.day_text(nxt) if nxt is not None else None))
            shop.contact_t.append(t)
            k = bisect_right(times, t)
            times.insert(k, t)
            ids.insert(k, cid)
            for other in cbs:  # like log_contact: everything due by that day is done
                if other[5] is None and other[3] <= t // DAY and (window(other) or 0) <= t:
                    close(other, t, cid)
            if nxt is not None and rng.random() < 0.75:  # no answer: tried again next day
                again = shop_time(shop, nxt, lo=t + 3600)
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
                t = shop_time(shop, rng.randint(cb[3], today - 1),
                                   lo=(start + 60) if start is not None else None)
                if t is None:
                    t = shop_time(shop, today - 1)
                if t is not None:
                    log(t, cb[1], cb[4])
        if not kept and any(cb[5] is None and cb[3] == today for cb in cbs):
            if rng.random() < TODAY_DONE_SHARE:
                t = shop_time(shop, today)
                if t is not None:
                    first = next(cb for cb in cbs if cb[5] is None and cb[3] == today)
                    log(t, first[1], first[4])

    cur = shop.db.cursor()
    with shop.db.atomic("IMMEDIATE"):
        cur.executemany("INSERT INTO contact (id, member_id, staff_id, contacted_at, channel,"
                        " outcome, care, note, next_contact_on)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new_contacts)
        cur.executemany("UPDATE callback SET status = 'done', closed_at = ?, contact_id = ?"
                        " WHERE id = ?", closes)
    shop.closed_t = closed_t
    shop.touched = sorted({c[1] for c in new_contacts})


def date_callbacks(shop: DemoShop) -> None:
    """When the rules would have raised each callback the queue and the reports look at.

    The rule runs above stamp everything with `now`; a callback done last week was raised
    before that: at the sale, at the contact that booked it, on the daily run that first
    saw the birthday. Callbacks due later keep `now`: today's run raised them.
    """
    today, now_t = shop.today, shop.now_t
    since = (today - TRACKING_DAYS) * DAY + OPEN_S  # the app has run since the log began
    rows = shop.db.execute_sql(
        "SELECT id, member_id, reason, source_key, due_on FROM callback"
        " WHERE due_on <= ? OR status <> 'open' ORDER BY id",
        (shop.clock.day_text(today),)).fetchall()

    def last_event(mid: int, day: int) -> int:
        """The member's last sale or contact on `day` (the rules ran right after it)."""
        best = 0
        sales = shop.sale_times[mid]
        i = bisect_left(sales, (day + 1) * DAY) - 1
        if i >= 0 and sales[i] >= day * DAY:
            best = sales[i]
        talks = shop.member_contacts[mid]
        i = bisect_left(talks, (day + 1) * DAY) - 1
        if i >= 0 and talks[i] >= day * DAY:
            best = max(best, talks[i])
        return best or day * DAY + CLOSE_S

    updates = []
    for cbid, mid, reason, key, due in rows:
        due_day = date.fromisoformat(due).toordinal()
        ref = key.split(":", 1)[-1]
        if reason == "follow_up":
            t = shop.purchase_t[int(ref)]
        elif reason in ("scheduled", "complaint"):
            t = shop.contact_t[int(ref)]
        elif reason == "running_out":  # brand:day of the newest purchase
            t = last_event(mid, date.fromisoformat(ref).toordinal())
        elif reason == "dormant":  # a daily run while it was coming up
            t = (due_day - shop.rules.stale_after_days) * DAY + OPEN_S
        else:  # birthday: the first daily run within a year of it
            t = (due_day - 365) * DAY + OPEN_S
        t = max(t, since, shop.plan[mid]["created"])
        t = min(t, shop.closed_t.get(cbid, now_t), now_t)
        updates.append((shop.clock.utc_text(t), cbid))
    shop.db.cursor().executemany("UPDATE callback SET created_at = ? WHERE id = ?", updates)


def count(shop: DemoShop) -> dict:
    sql = shop.db.execute_sql
    one = lambda q, *a: sql(q, a).fetchone()[0]  # noqa: E731
    oldest = shop.clock.day_text(shop.today - shop.rules.stale_after_days)
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
            shop.clock.day_text(shop.today), oldest),
    }
