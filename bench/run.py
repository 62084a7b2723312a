"""`make bench`: the register's speed budgets, measured on a 100,000-member demo shop.

Writes the figures to docs/benchmarks.md. Budgets (issue 2): demo build <= 60 s;
a day's queue <= 100 ms; launch to first painted queue <= 1.2 x a minimal Textual app;
peak memory <= 150 MB.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.db.callbacks import refresh_shop, utc_now  # noqa: E402
from tui.db.connection import close_database, open_database  # noqa: E402
from tui.db.demo import build_demo  # noqa: E402
from tui.db.models import Staff  # noqa: E402
from tui.db.queue import callback_queue  # noqa: E402
from tui.db.rules import local_day  # noqa: E402
from tui.settings import load_settings  # noqa: E402

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "100000"))
DATA = ROOT / "bench" / "data"
DB = DATA / f"shop-{MEMBERS}.db"
LAUNCHES = 7


def timings(fn, runs: int = 30) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    fn()  # warm the page cache once, as a running shop's would be
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def launch(*args: str) -> dict:
    start = time.time()
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "launch.py"), *args],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["seconds"] = result["painted"] - start
    return result


def lookup_rows() -> list[tuple]:
    """Issue 3: p50/p95 of a lookup for each kind of query, on queries drawn from real members."""
    import random

    from tui.db.lookup import lookup_members
    from tui.db.models import Member

    rng = random.Random(5)
    sample = list(Member.select(Member.phone, Member.name, Member.name_pinyin, Member.name_initials)
                  .where(Member.phone.is_null(False)).order_by(Member.id).limit(5000))
    picks = [rng.choice(sample) for _ in range(200)]
    kinds = {
        "phone tail (4 digits)": [m.phone[-4:] for m in picks],
        "whole phone": [m.phone for m in picks],
        "surname, one character (张)": [m.name[0] for m in picks],
        "name, two characters (王芳)": [m.name[:2] for m in picks],
        "pinyin initials (zs)": [m.name_initials[:2] for m in picks],
        "full pinyin (zhangsan)": [m.name_pinyin for m in picks],
    }
    out = []
    for kind, queries in kinds.items():
        for q in queries[:10]:
            lookup_members(q)  # warm
        samples = []
        for q in queries:
            start = time.perf_counter()
            lookup_members(q)
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        p95 = samples[int(len(samples) * 0.95) - 1]
        out.append((f"Lookup: {kind}", f"p50 {statistics.median(samples):.2f} ms, p95 {p95:.2f} ms",
                    "≤ 5 ms (issue 3)", p95 <= 5))
    return out


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}")


def main() -> int:
    settings = load_settings().with_database(DB)
    DATA.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    print(f"building the demo shop with {MEMBERS:,} members …", flush=True)
    summary = build_demo(DB, settings, members=MEMBERS, seed=7)
    rows = [("Demo shop build", f"{summary.seconds:.1f} s", "≤ 60 s", summary.seconds <= 60)]
    facts = (f"{summary.members:,} members, {summary.children:,} children, "
             f"{summary.purchases:,} purchases with {summary.purchase_lines:,} lines, "
             f"{summary.contacts:,} contacts")
    print(facts, flush=True)

    open_database(DB, settings.database.busy_timeout_ms)
    rules, zone = settings.callbacks, settings.shop.zone
    today = local_day(utc_now(), zone)
    guide = Staff.select().where(Staff.role == "guide").order_by(Staff.id).first()
    shop_page = callback_queue(today, rules, zone, limit=None)
    guide_page = callback_queue(today, rules, zone, guide_id=guide.id, limit=None)
    p50, p95 = timings(lambda: callback_queue(today, rules, zone, limit=200))
    rows.append((f"Day's queue, whole shop, first page of 200 ({shop_page.counts.due:,} due)",
                 f"p50 {p50:.1f} ms, p95 {p95:.1f} ms", "≤ 100 ms", p95 <= 100))
    p50, p95 = timings(lambda: callback_queue(today, rules, zone, guide_id=guide.id, limit=200))
    rows.append((f"Day's queue, one guide ({guide_page.counts.due:,} due)",
                 f"p50 {p50:.1f} ms, p95 {p95:.1f} ms", "≤ 100 ms", p95 <= 100))
    p50, p95 = timings(lambda: callback_queue(today, rules, zone, limit=None), runs=10)
    rows.append(("Day's queue, whole shop, every line (CLI twin)",
                 f"p50 {p50:.1f} ms, p95 {p95:.1f} ms", "—", None))
    rows += lookup_rows()
    start = time.perf_counter()
    refresh_shop(today, rules, zone)
    rows.append(("Daily rule run over every member (background, once a day)",
                 f"{time.perf_counter() - start:.1f} s", "—", None))
    close_database()

    apps, minimals, floors, peaks = [], [], [], []
    for _ in range(LAUNCHES):
        minimals.append(launch("minimal")["seconds"])
        floors.append(launch("floor")["seconds"])
        result = launch("app", str(DB))
        apps.append(result["seconds"])
        peaks.append(result["peak_mib"])
    app_s, min_s = statistics.median(apps), statistics.median(minimals)
    floor_s = statistics.median(floors)
    ratio = app_s / min_s
    rows.append((f"Launch to first painted queue (median of {LAUNCHES})",
                 f"{app_s * 1000:.0f} ms vs minimal Textual app {min_s * 1000:.0f} ms = {ratio:.2f}×",
                 "≤ 1.2×", ratio <= 1.2))
    rows.append(("Floor: the queue's widgets, 24 fixed rows, no database",
                 f"{floor_s * 1000:.0f} ms = {floor_s / min_s:.2f}× the minimal app", "—", None))
    rows.append(("Peak memory of the app to first paint", f"{max(peaks):.0f} MiB", "≤ 150 MB",
                 max(peaks) <= 150 * 1e6 / 2**20))

    lines = ["# Benchmarks", "",
             "Measured by `make bench` (bench/run.py); never by the test suite.", "",
             f"- When: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
             f"- Machine: {machine()}",
             f"- Database: demo shop, seed 7: {facts}", "",
             "| What | Measured | Budget | Met |", "|---|---|---|---|"]
    for what, measured, budget, met in rows:
        mark = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {what} | {measured} | {budget} | {mark} |")
    notes = ROOT / "docs" / "benchmarks-notes.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0 if all(met is not False for *_, met in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
