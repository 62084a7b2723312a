"""Issue 5: the PDCA check panel of a 10,000-member plan within 200 ms.

Works on a copy of a demo database, never on the original. A plan "every buyer of 飞鹤
since day X repurchases this month" is started, X chosen so that about 10,000 members
are frozen as its targets (members spread over the whole file), with the members'
owners responsible; then `plan_check` (the panel's and `shopfloor pdca`'s one query) is
timed on this month's contacts and sales, and beside it the first page of a drill-down,
the plan list, the plan's start (freeze and campaign calls) and, when asked, the daily
rule run with the plan running.

    .venv/bin/python bench/pdca_bench.py [DB] [--refresh]   # default bench/data/shop-100000.db
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import timings  # noqa: E402

from tui.clock import system_now as utc_now  # noqa: E402  (the benchmark runs on today)
from tui.clock import local_day  # noqa: E402
from tui.db.callbacks.raising import refresh_shop  # noqa: E402
from tui.db.connection import close_database, open_database  # noqa: E402
from tui.db.members.segments import parse_segment  # noqa: E402
from tui.db.models import Staff, database  # noqa: E402
from tui.db.pdca.form import PlanDraft, Targets, plan_period  # noqa: E402
from tui.db.pdca.check import plan_check  # noqa: E402
from tui.db.pdca.plans import create_plan  # noqa: E402
from tui.db.pdca.view import plan_drill, plan_list  # noqa: E402
from tui.settings import Settings, load_settings  # noqa: E402

PLAN_MEMBERS = 10_000
BUDGET_MS = 200.0
BRAND = "飞鹤"


def _copy(source: Path, target: Path) -> None:
    """A consistent copy even while the source is open in WAL mode."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def _timed(fn, runs: int) -> tuple[float, float, object]:
    """p50 and p95 in milliseconds (bench/timing.py), and what the call returned."""
    p50, p95 = timings(fn, runs)
    return round(p50, 1), round(p95, 1), fn()


def _since_for(members: int, settings: Settings) -> str:
    """The shop day X from which about `members` members bought the brand: the day of the
    members-th newest last purchase of it."""
    row = database.execute_sql(
        """SELECT last FROM (SELECT p.member_id, MAX(p.purchased_at) AS last
                             FROM purchase p JOIN purchase_line l ON l.purchase_id = p.id
                             JOIN product pr ON pr.id = l.product_id
                             WHERE pr.brand = ? AND p.member_id IS NOT NULL
                             GROUP BY p.member_id)
           ORDER BY last DESC LIMIT 1 OFFSET ?""", (BRAND, members - 1)).fetchone()
    from datetime import datetime

    return local_day(datetime.fromisoformat(row[0]), settings.shop.zone).isoformat()


def measure(db_path: str | Path, settings: Settings, members: int = PLAN_MEMBERS,
            runs: int = 20, refresh: bool = False) -> dict:
    """Time the check panel of a plan of about `members` target members on a copy of
    db_path; the copy is deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="pdca-bench-"))
    try:
        copy = folder / "shop.db"
        _copy(Path(db_path), copy)
        settings = settings.with_database(copy)
        open_database(copy, settings.database.busy_timeout_ms)
        zone = settings.shop.zone
        now = utc_now()
        today = local_day(now, zone)
        manager = Staff.get(Staff.role == "manager")
        database.execute_sql("PRAGMA optimize")
        since = _since_for(members, settings)
        segment = parse_segment(f"brand:{BRAND} since {since}")
        period = plan_period("month", today, zone)
        draft = PlanDraft(f"{BRAND}复购 bench", segment, period, Targets(100, 60, 50_000_000),
                          ("running-out reminder", "cumulative gifts"), "owner")
        start = time.perf_counter()
        cycle_id = create_plan(draft, manager.id, now, settings)
        started = time.perf_counter() - start
        p50, p95, check = _timed(lambda: plan_check(cycle_id, today, settings), runs)
        d50, d95, drill = _timed(lambda: plan_drill(cycle_id, "completion", None, today,
                                                    settings, whole=True), runs)
        l50, l95, _ = _timed(lambda: plan_list(today, settings), max(3, runs // 4))
        w = check.whole
        out = {
            "members_on_file": database.execute_sql("SELECT count(*) FROM member").fetchone()[0],
            "contacts_on_file": database.execute_sql("SELECT count(*) FROM contact").fetchone()[0],
            "segment": segment.text,
            "period": f"{period.first_day}..{period.last_day}",
            "as_of": check.as_of.isoformat(),
            "target_members": w.targets,
            "guides": len(check.guides),
            "contacted": w.contacted,
            "succeeded": w.succeeded,
            "sales_cents": w.sales_cents,
            "campaign_calls_open": database.execute_sql(
                "SELECT count(*) FROM callback WHERE reason = 'campaign' AND status = 'open'"
            ).fetchone()[0],
            "start_plan_s": round(started, 2),
            "check_p50_ms": p50,
            "check_p95_ms": p95,
            "budget_ms": BUDGET_MS,
            "within_budget": p95 <= BUDGET_MS,
            "drill_first_page_p50_ms": d50,
            "drill_first_page_p95_ms": d95,
            "drill_members": drill.total,
            "plan_list_p50_ms": l50,
        }
        if refresh:
            # the daily rule run with the plan running (tomorrow, so nothing is cached)
            start = time.perf_counter()
            refresh_shop(today + timedelta(days=1), settings.callbacks, zone,
                         now + timedelta(days=1))
            out["refresh_shop_with_plan_s"] = round(time.perf_counter() - start, 1)
        return out
    finally:
        close_database()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    source = Path(args[0]) if args else ROOT / "bench" / "data" / "shop-100000.db"
    if not source.exists():
        sys.exit(f"{source}: no such database; build one with "
                 f"'shopfloor demo --members 100000 --db {source}'")
    print(json.dumps(measure(source, load_settings(), refresh="--refresh" in sys.argv),
                     ensure_ascii=False, indent=2))
