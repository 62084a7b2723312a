"""Issue 4: the even split of 10,000 members within 1 s (preview and apply together).

Works on a copy of a demo database, never on the original: 10,000 members (every tenth
one on file) are made unassigned, then `plan_even_split(unassigned)` and `apply_split`
are timed, and a hand-over of the guide with the most members after that.

    .venv/bin/python bench/assign_bench.py [DB]     # default bench/data/shop-100000.db
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.clock import system_now as utc_now  # noqa: E402  (the benchmark runs on today)
from tui.clock import local_day  # noqa: E402
from tui.db.assign.apply import apply_hand_over, apply_split  # noqa: E402
from tui.db.assign.plan import plan_even_split, plan_hand_over
from tui.db.connection import close_database, open_database  # noqa: E402
from tui.db.members.segments import parse_segment  # noqa: E402
from tui.db.models import Staff, database  # noqa: E402
from tui.settings import Settings, load_settings  # noqa: E402

SPLIT_MEMBERS = 10_000
BUDGET_S = 1.0


def _copy(source: Path, target: Path) -> None:
    """A consistent copy even while the source is open in WAL mode. The source is only
    read; a read-write connection (not mode=ro) tidies its -wal and -shm away on close."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def measure(db_path: str | Path, settings: Settings, members: int = SPLIT_MEMBERS) -> dict:
    """Time preview + apply of an even split of `members` unassigned members on a copy of
    db_path; the copy is deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="assign-bench-"))
    try:
        copy = folder / "shop.db"
        _copy(Path(db_path), copy)
        open_database(copy, settings.database.busy_timeout_ms)
        now = utc_now()
        today = local_day(now, settings.shop.zone)
        manager = Staff.get(Staff.role == "manager")
        guides = [s.id for s in Staff.select(Staff.id).where(
            (Staff.role == "guide") & (Staff.active == True)).order_by(Staff.id)]  # noqa: E712
        on_file = [r[0] for r in database.execute_sql(
            "SELECT id FROM member WHERE erased_at IS NULL ORDER BY id")]
        picked = on_file[::max(1, len(on_file) // members)][:members]
        with database.atomic("IMMEDIATE"):
            # the demo's own unassigned members get a guide, so exactly `members` are
            # unassigned: members spread over the whole file (every page of it is touched),
            # with their open calls unowned as the rules raise them for a member without one
            sql = database.execute_sql
            for i, guide in enumerate(guides):
                sql("UPDATE member SET owner_id = ? WHERE owner_id IS NULL AND id % ? = ?",
                    (guide, len(guides), i))
            sql("CREATE TEMP TABLE bench_pick (id INTEGER PRIMARY KEY)")
            database.cursor().executemany("INSERT INTO bench_pick VALUES (?)",
                                          [(i,) for i in picked])
            sql("UPDATE member SET owner_id = NULL WHERE id IN (SELECT id FROM bench_pick)")
            sql("UPDATE callback SET owner_id = NULL WHERE status = 'open'"
                " AND reason NOT IN ('scheduled', 'complaint')"
                " AND member_id IN (SELECT id FROM bench_pick)")
            sql("DROP TABLE bench_pick")
        database.execute_sql("PRAGMA optimize")
        unassigned = parse_segment("unassigned")

        start = time.perf_counter()
        plan = plan_even_split(unassigned, settings, today)
        planned = time.perf_counter()
        result = apply_split(plan, manager.id, now)
        applied = time.perf_counter()
        after = [(g.name, g.members_after, g.callbacks_after) for g in plan.guides]

        busiest = database.execute_sql(
            "SELECT owner_id, count(*) FROM member WHERE owner_id IS NOT NULL"
            " GROUP BY owner_id ORDER BY 2 DESC LIMIT 1").fetchone()
        h_start = time.perf_counter()
        h_plan = plan_hand_over(busiest[0], None, today)
        h_result = apply_hand_over(h_plan, manager.id, now, deactivate=True)
        h_end = time.perf_counter()
        return {
            "members_on_file": database.execute_sql("SELECT count(*) FROM member").fetchone()[0],
            "guides": len(plan.guides),
            "split_members": plan.members,
            "split_callbacks_moved": result.callbacks,
            "plan_s": round(planned - start, 3),
            "apply_s": round(applied - planned, 3),
            "split_s": round(applied - start, 3),
            "budget_s": BUDGET_S,
            "within_budget": applied - start <= BUDGET_S,
            "members_after_min_max": [min(a[1] for a in after), max(a[1] for a in after)],
            "callbacks_after_min_max": [min(a[2] for a in after), max(a[2] for a in after)],
            "handover_members": h_plan.members,
            "handover_callbacks_moved": h_result.callbacks,
            "handover_s": round(h_end - h_start, 3),
        }
    finally:
        close_database()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "data" / "shop-100000.db"
    if not source.exists():
        sys.exit(f"{source}: no such database; build one with "
                 f"'shopfloor demo --members 100000 --db {source}'")
    print(json.dumps(measure(source, load_settings()), ensure_ascii=False, indent=2))
