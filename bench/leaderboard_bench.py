"""Issue 4: each leaderboard for "this month" on the 100,000-member demo shop, budget 100 ms.

`measure(db_path, settings)` gives p50/p95 per board (and for the first page behind the
top guide's figure) on whatever schema the database has; bench/run.py can add its rows.
Run as a script it measures a copy of the demo database twice: as it is, and with the
schema step proposed in docs/leaderboards.md (`tui.db.migrations.make_m09.proposed_schema()`: stored
archive bits, each contact's next purchase, covering indexes) and a month of archive work
in the audit log:

    .venv/bin/python bench/leaderboard_bench.py [bench/data/shop-100000.db]
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import timings  # noqa: E402

from tui.clock import system_now as utc_now  # noqa: E402  (the benchmark runs on today)
from tui.clock import local_day  # noqa: E402
from tui.db.archive_log import ARCHIVE_ACTION, ARCHIVE_FIELDS, change_words  # noqa: E402
from tui.db.boards.boards import leaderboard  # noqa: E402
from tui.db.boards.drill import drill_down  # noqa: E402
from tui.db.boards.figures import BOARDS
from tui.db.boards.periods import parse_period  # noqa: E402
from tui.db.connection import close_database, open_database  # noqa: E402
from tui.db.migrations.make_m09 import proposed_schema  # noqa: E402
from tui.db.models import database  # noqa: E402
from tui.settings import Settings, load_settings  # noqa: E402

BUDGET_MS = 100


def measure(db_path: str | Path, settings: Settings, runs: int = 30) -> list[dict]:
    """Each board for this month, and the first drill-down page behind its top figure."""
    open_database(db_path, settings.database.busy_timeout_ms)
    try:
        zone = settings.shop.zone
        today = local_day(utc_now(), zone)
        period = parse_period("month", today, zone, settings.leaderboards.week_starts_on)
        stored = database.execute_sql(
            "SELECT 1 FROM pragma_table_info('contact') WHERE name = 'next_purchase_at'").fetchone()
        out = []
        for name in BOARDS:
            board = leaderboard(name, period, settings, today)
            p50, p95 = timings(lambda: leaderboard(name, period, settings, today), runs)
            out.append({"what": f"Leaderboard {name}, this month ({len(board.rows)} guides)",
                        "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "budget_ms": BUDGET_MS,
                        "met": p95 <= BUDGET_MS, "proposed_schema": bool(stored)})
            top = board.rows[0]
            p50, p95 = timings(lambda: drill_down(name, board.rank_by, top.guide_id, period,
                                                  settings, today), max(5, runs // 3))
            out.append({"what": f"  behind {top.guide}'s {board.rank_by}, first page",
                        "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "budget_ms": None,
                        "met": None, "proposed_schema": bool(stored)})
        return out
    finally:
        close_database()


def apply_proposed_schema(db_path: Path, settings: Settings) -> None:
    """On a copy only: the schema step proposed in docs/leaderboards.md."""
    open_database(db_path, settings.database.busy_timeout_ms)
    try:
        with database.atomic():
            for statement in proposed_schema():
                database.execute_sql(statement)
    finally:
        close_database()


def add_archive_work(db_path: Path, lines: int, settings: Settings) -> None:
    """On a copy only: a month of archive work in the audit log (18,000 lines is a busy
    shop: twenty guides, thirty archive edits a day each, each on her own members), so
    "gained" has lines to add up. The demo has none."""
    open_database(db_path, settings.database.busy_timeout_ms)
    try:
        zone = settings.shop.zone
        month = parse_period("month", local_day(utc_now(), zone), zone)
        owners = database.execute_sql(
            "SELECT member_no, owner_id FROM member WHERE owner_id IS NOT NULL "
            "ORDER BY id LIMIT 50000").fetchall()
        rng = random.Random(4)
        span = (min(month.end, utc_now()) - month.start).total_seconds()
        rows = []
        for _ in range(lines):
            no, owner = rng.choice(owners)
            at = month.start + timedelta(seconds=rng.random() * span)
            fields = rng.sample(ARCHIVE_FIELDS, rng.randint(1, 3))
            gone = [fields.pop()] if len(fields) > 1 and rng.random() < 0.1 else []
            rows.append((owner, str(at), ARCHIVE_ACTION, no, change_words(fields, gone)))
        with database.atomic():
            database.cursor().executemany(
                "INSERT INTO audit_log (staff_id, at, action, subject, detail) VALUES (?,?,?,?,?)",
                rows)
    finally:
        close_database()


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "data" / "shop-100000.db"
    if not source.exists():
        print(f"{source}: no demo database; build one with "
              f"'shopfloor demo --members 100000 --db {source}'", file=sys.stderr)
        return 2
    settings = load_settings()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "shop.db"
        shutil.copyfile(source, copy)
        steps = (("the schema as it is", None),
                 ("with the proposed schema step", lambda: apply_proposed_schema(copy, settings)),
                 ("... and 18,000 archive lines this month",
                  lambda: add_archive_work(copy, 18_000, settings)))
        for label, prepare in steps:
            if prepare:
                prepare()
            print(f"\n{label}:")
            for row in measure(copy, settings.with_database(copy)):
                mark = "" if row["met"] is None else ("  ok" if row["met"] else "  OVER BUDGET")
                print(f"  {row['what']:<58} p50 {row['p50_ms']:6.1f} ms  p95 {row['p95_ms']:6.1f} ms{mark}")
                failed |= row["met"] is False and prepare is not None
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
