"""Issue 6: the end-of-day summary on the 100,000-member demo shop, budget 1 s.

`measure(db_path, settings)` times `eod_summary` (every figure of the sheet, read in one
transaction) and `eod_text` at the receipt and A4 widths, for the demo's today and the
day before; bench/run.py can add its rows. As a script:

    .venv/bin/python bench/eod_bench.py [bench/data/shop-100000.db]

Without a database it builds one (`shopfloor demo --members 100000`, about a minute) in
/tmp/eod100k.db.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import timings  # noqa: E402

from tui.clock import system_now as utc_now  # noqa: E402  (the benchmark runs on today)
from tui.clock import local_day  # noqa: E402
from tui.db.connection import close_database, open_database  # noqa: E402
from tui.reports.eod import WIDTHS, eod_summary, eod_text  # noqa: E402
from tui.settings import DEFAULT_SETTINGS, Settings, load_settings  # noqa: E402

BUDGET_MS = 1000



def measure(db_path: str | Path, settings: Settings, runs: int = 10) -> list[dict]:
    open_database(db_path, settings.database.busy_timeout_ms)
    try:
        today = local_day(utc_now(), settings.shop.zone)
        out = []
        for day, words in ((today, "today"), (today - timedelta(days=1), "yesterday")):
            summary = eod_summary(day, settings)
            p50, p95 = timings(lambda: eod_summary(day, settings), runs)
            out.append({"what": f"End-of-day summary, {words} ({day}; "
                                f"{summary.contacts.contacts:,} contacts, "
                                f"{summary.sales.all_purchases:,} purchases)",
                        "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "budget_ms": BUDGET_MS,
                        "met": p95 <= BUDGET_MS})
            p50, p95 = timings(lambda: [eod_text(summary, w) for w in WIDTHS], runs)
            out.append({"what": f"  its text at {', '.join(map(str, WIDTHS))} columns",
                        "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "budget_ms": None,
                        "met": None})
        return out
    finally:
        close_database()


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "data" / "shop-100000.db"
    if not path.exists():
        path = Path("/tmp/eod100k.db")
        if not path.exists():
            print(f"building the 100,000-member demo in {path} …", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "tui", "demo", "--members", "100000",
                            "--db", str(path)], check=True, cwd=ROOT)
    settings = load_settings(DEFAULT_SETTINGS).with_database(path)
    rows = measure(path, settings)
    for row in rows:
        budget = f" (budget {row['budget_ms']} ms: {'met' if row['met'] else 'MISSED'})" \
            if row["budget_ms"] else ""
        print(f"{row['what']}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms{budget}")
    return 0 if all(r["met"] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
