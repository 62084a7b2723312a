"""`make bench`: the register's speed budgets, measured on a 100,000-member demo shop.

Writes the figures to docs/benchmarks.md. Budgets (issue 2): demo build <= 60 s;
a day's queue <= 100 ms; launch to first painted queue <= 1.2 x a minimal Textual app;
peak memory <= 150 MB. Issue 3: a lookup <= 5 ms; a key press in the lookup to its
results painted <= 16 ms (one frame at 60 Hz). Issue 11: eight writers and two readers
at once, 0 errors, 0 lost, a write's p99 <= 250 ms, no writer out-writing another 2 x
(bench/writers_bench.py, which also runs alone). Issue 14: reading and checking 1,000,000
purchase lines from a GB18030 CSV, the first part of an import (bench/intake_bench.py). Issue 14 too: 100,000 members and
1,000,000 purchase lines exported to CSV and to XLSX, ≤ 20 s each (bench/export_bench.py).
"""

from __future__ import annotations

import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import timings  # noqa: E402

from tui.clock import system_now as utc_now  # noqa: E402  (the benchmark runs on today)
from tui.clock import local_day  # noqa: E402
from tui.db.callbacks.queue import callback_queue  # noqa: E402
from tui.db.callbacks.raising import refresh_shop  # noqa: E402
from tui.db.connection import close_database, open_database  # noqa: E402
from tui.db.models import Staff  # noqa: E402
from tui.demo.build import build_demo  # noqa: E402
from tui.settings import load_settings  # noqa: E402

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "100000"))
DATA = ROOT / "bench" / "data"
DB = DATA / f"shop-{MEMBERS}.db"
LAUNCHES = 11



#: launches run with Python's bytecode cache on, as on a shop's box: a sandbox that sets
#: PYTHONDONTWRITEBYTECODE would make every launch compile the program from source
LAUNCH_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def english_settings() -> Path:
    """settings.toml with `language = "en"`: the demo shop speaks Chinese, and the launch and
    lookup figures are taken in both, to show what the translations cost."""
    text = (ROOT / "settings.toml").read_text(encoding="utf-8")
    path = DATA / "settings-en.toml"
    path.write_text(re.sub(r'(?m)^language = "[^"]*"', 'language = "en"', text), encoding="utf-8")
    return path


#: the launch probes' environment in each language (SHOPFLOOR_SETTINGS, read by load_settings)
LANGUAGES: dict[str, dict[str, str]] = {}


def launch(*args: str, language: str = "zh-CN") -> dict:
    start = time.time()
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "launch.py"), *args],
                         capture_output=True, text=True, check=True, cwd=ROOT,
                         env=LANGUAGES.get(language, LAUNCH_ENV)).stdout
    result = json.loads(out.strip().splitlines()[-1])
    if "painted" in result:  # `enter` times from its own Enter key, not from the start
        result["seconds"] = result["painted"] - start
    return result


def lookup_rows() -> list[tuple]:
    """Issue 3: p50/p95 of a lookup for each kind of query, on queries drawn from real members."""
    import random

    from tui.db.members.lookup import lookup_members
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
        # what the screen searches on the way to a full pinyin, one key at a time (one
        # letter alone asks for a second: no query)
        "pinyin, first 2–5 letters (zh … zhang)": [m.name_pinyin[:2 + i % 4]
                                                   for i, m in enumerate(picks)],
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


def paint_rows(language: str = "zh-CN") -> list[tuple]:
    """Issue 3: key press in the lookup to repainted results, p50/p95 per kind of query
    (bench/lookup_paint.py: the real app, headless, on the benchmark's database)."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "lookup_paint.py"), str(DB)],
                         capture_output=True, text=True, check=True, cwd=ROOT,
                         env=LANGUAGES.get(language)).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(f"lookup, key press to the typed character painted: p50 {result['echo_p50']:.1f} ms, "
          f"p95 {result['echo_p95']:.1f} ms", flush=True)
    rows = []
    for kind, r in result["kinds"].items():
        print(f"{kind}: [p50, p95] ms by query length {r['by_length']}, max {r['max']:.1f} ms",
              flush=True)
        shown = "" if language == "zh-CN" else f", in {language}"
        rows.append((f"Lookup, key press to painted results: {kind}, {r['keys']} keys{shown}",
                     f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms", "≤ 16 ms (issue 3)",
                     r["p95"] <= 16))
    return rows


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


def issue_rows(settings) -> list[tuple]:
    """Issues 4–6 and 11: the leaderboards, the even split, a PDCA check panel, the day's
    sheet, eight writers at once."""
    from assign_bench import measure as assign
    from eod_bench import measure as eod
    from intake_bench import measure as intake
    from intake_bench import rows as intake_rows
    from leaderboard_bench import measure as boards
    from pdca_bench import measure as pdca
    from writers_bench import measure as writers
    from writers_bench import rows as writers_rows

    def timed(row: dict, issue: int) -> tuple:
        budget = f"≤ {row['budget_ms']:,} ms (issue {issue})" if row["budget_ms"] else "—"
        return (row["what"], f"p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms", budget,
                row["met"])

    out = [timed(row, 4) for row in boards(DB, settings)]
    a = assign(DB, settings)
    out.append((f"Even split of {a['split_members']:,} members over {a['guides']} guides "
                f"(preview {a['plan_s']} s + apply {a['apply_s']} s, "
                f"{a['split_callbacks_moved']:,} calls moved)", f"{a['split_s']} s",
                f"≤ {a['budget_s']} s (issue 4)", a["within_budget"]))
    out.append((f"  hand-over of the busiest guide ({a['handover_members']:,} members)",
                f"{a['handover_s']} s", "—", None))
    p = pdca(DB, settings)
    out.append((f"PDCA check panel, plan of {p['target_members']:,} members",
                f"p50 {p['check_p50_ms']} ms, p95 {p['check_p95_ms']} ms",
                f"≤ {p['budget_ms']} ms (issue 5)", p["within_budget"]))
    out.append(("  its first drill-down page",
                f"p50 {p['drill_first_page_p50_ms']} ms, p95 {p['drill_first_page_p95_ms']} ms",
                "—", None))
    out.append((f"  its start: targets frozen, {p['campaign_calls_open']:,} campaign calls spread "
                f"by capacity (issue 12)", f"{p['start_plan_s']} s", "—", None))
    out += [timed(row, 6) for row in eod(DB, settings)]
    out += writers_rows(writers(DB))
    out += intake_rows(intake())
    from export_bench import measure as exports
    from export_bench import rows as export_rows

    out += export_rows(exports())  # its own shop: 100,000 members, 1,000,000 purchase lines
    return out


def main() -> int:
    settings = load_settings().with_database(DB)
    DATA.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    print(f"building the demo shop with {MEMBERS:,} members …", flush=True)
    summary = build_demo(DB, settings, members=MEMBERS, seed=7, now=utc_now())
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
    refresh_shop(today, rules, zone, utc_now())
    rows.append(("Daily rule run over every member (background, once a day)",
                 f"{time.perf_counter() - start:.1f} s", "—", None))
    from tui.db.connection import data_version

    p50, p95 = timings(data_version, runs=200)
    rows.append(("Has another session written? (PRAGMA data_version, every refresh_seconds "
                 "on the UI thread)", f"p50 {p50:.3f} ms, p95 {p95:.3f} ms", "—", None))
    close_database()
    rows += issue_rows(settings)
    # after the day's rule run, so that the app does not start one while keys are timed
    LANGUAGES["zh-CN"] = LAUNCH_ENV
    LANGUAGES["en"] = {**LAUNCH_ENV, "SHOPFLOOR_SETTINGS": str(english_settings())}
    at = next(i for i, row in enumerate(rows) if row[0].startswith("Daily rule run"))
    rows[at:at] = paint_rows() + paint_rows("en")

    for mode in ("minimal", "floor", "app", "signin"):  # warm: the bytecode cache written
        launch(mode, str(DB))
    apps, minimals, floors, peaks, apps_en = [], [], [], [], []
    for _ in range(LAUNCHES):
        minimals.append(launch("minimal")["seconds"])
        floors.append(launch("floor")["seconds"])
        result = launch("app", str(DB))
        apps.append(result["seconds"])
        peaks.append(result["peak_mib"])
        apps_en.append(launch("app", str(DB), language="en")["seconds"])
    app_s, min_s = statistics.median(apps), statistics.median(minimals)
    floor_s = statistics.median(floors)
    ratio = app_s / min_s
    rows.append((f"Launch to first painted queue (median of {LAUNCHES})",
                 f"{app_s * 1000:.0f} ms vs minimal Textual app {min_s * 1000:.0f} ms = {ratio:.2f}×",
                 "≤ 1.2×", ratio <= 1.2))
    app_en = statistics.median(apps_en)
    rows.append(("  the same in English (no catalogue loaded): what the translations cost",
                 f"{app_en * 1000:.0f} ms = {app_en / min_s:.2f}×; Chinese "
                 f"{(app_s - app_en) * 1000:+.0f} ms", "no worse (issue 13)",
                 app_s - app_en <= 0.02))
    rows.append(("Floor: the queue's widgets, 24 fixed rows, no database",
                 f"{floor_s * 1000:.0f} ms = {floor_s / min_s:.2f}× the minimal app", "—", None))
    signins, enters, beside, signins_en = [], [], [], []
    for _ in range(LAUNCHES):  # the minimal app again, alternating: the same minutes' noise
        beside.append(launch("minimal")["seconds"])
        signins.append(launch("signin", str(DB))["seconds"])
        signins_en.append(launch("signin", str(DB), language="en")["seconds"])
        enters.append(launch("enter", str(DB))["enter_ms"])
    sign_s, enter_ms = statistics.median(signins), statistics.median(enters)
    sign_en = statistics.median(signins_en)
    min_s = statistics.median(beside)
    rows.append((f"Launch to the painted sign-in screen, as a shop opens it (median of {LAUNCHES})",
                 f"{sign_s * 1000:.0f} ms = {sign_s / min_s:.2f}× the minimal app", "≤ 1.3×",
                 sign_s / min_s <= 1.3))
    rows.append(("  the same in English (no catalogue loaded)",
                 f"{sign_en * 1000:.0f} ms = {sign_en / min_s:.2f}×; Chinese "
                 f"{(sign_s - sign_en) * 1000:+.0f} ms", "no worse (issue 13)",
                 sign_s - sign_en <= 0.02))
    rows.append((f"Sign-in: Enter with the PIN typed to the painted queue (median of {LAUNCHES})",
                 f"{enter_ms:.0f} ms (the PIN check itself is scrypt, ~40 ms by design)",
                 "≤ 100 ms", enter_ms <= 100))
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
