"""Issue 11, part 9: eight sessions writing at once, two reading, on a copy of the demo shop.

Each writer is its own process, as each SSH session is: 200 writes back to back, a
quarter each of contacts logged, member edits, sign-ins and sales, every one as the
screens make it (the same db functions). Two readers read the day's queue and look
members up meanwhile. Afterwards the rows are counted: every write that returned is on
file (0 lost), and none raised (0 errors). Per write: its latency (call to return,
waiting for the write lock included) and how long it held the write lock (BEGIN
IMMEDIATE to COMMIT). Fairness: every writer's writes per second while all of them
were writing (up to the moment the first one finished), against the others'.

    .venv/bin/python bench/writers_bench.py [DB] [--writers 8] [--writes 200]
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WRITERS = 8
WRITES = 200
READERS = 2
KINDS = ("contact", "member edit", "sign-in", "sale")
#: the budget of issue 11: p99 of a write, and the most one writer may out-write another
P99_BUDGET_MS = 250.0
FAIRNESS_BUDGET = 2.0
#: the demo shop's guides' PIN (README)
GUIDE_PIN = "1234"


def _copy(source: Path, target: Path) -> None:
    """A consistent copy even while the source is open in WAL mode."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * q + 0.5) - 1))]


def _open(db: str):
    from tui.db.connection import open_database
    from tui.settings import load_settings

    settings = load_settings().with_database(db)
    open_database(settings.database.path, settings.database.busy_timeout_ms)
    return settings


def _wait_for(go: str) -> None:
    while not os.path.exists(go):
        time.sleep(0.001)


def _watch_the_lock(holds: dict[str, list[float]], waits: dict[str, list[float]],
                    doing: list[str]) -> None:
    """Record, under the kind of write being made (`doing[0]`), how long each write
    transaction held the lock (BEGIN IMMEDIATE returned to COMMIT or ROLLBACK done) and
    how long the write took from asking for the lock to its COMMIT."""
    from tui.db.models import database

    begin, commit, rollback = database.begin, database.commit, database.rollback
    taken: list[float] = []
    asked: list[float] = []

    def timed_begin(*args, **kwargs):
        asked.append(time.perf_counter())
        try:
            result = begin(*args, **kwargs)
        except Exception:
            asked.pop()
            raise
        taken.append(time.perf_counter())
        return result

    def ended(fn):
        def end(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            finally:
                if taken:
                    end = time.perf_counter()
                    holds[doing[0]].append((end - taken.pop()) * 1000)
                    waits[doing[0]].append((end - asked.pop()) * 1000)
        return end

    database.begin = timed_begin
    database.commit, database.rollback = ended(commit), ended(rollback)


def writer(n: int, db: str, go: str, writes: int, members: list[int]) -> dict:
    from tui.clock import system_now as utc_now  # the benchmark runs on today
    from tui.db.callbacks.contacts import ContactEntry, log_contact
    from tui.db.members.archive import update_member
    from tui.db.members.purchases import SaleLine, record_purchase
    from tui.db.models import Product, Staff
    from tui.db.staff import sign_in

    settings = _open(db)
    rules, zone = settings.callbacks, settings.shop.zone
    guides = list(Staff.select().where((Staff.role == "guide") & Staff.active).order_by(Staff.id))
    guide = guides[n % len(guides)]
    products = [(p.id, p.price_cents) for p in Product.select().order_by(Product.id)]
    rng = random.Random(n)
    # a writer edits members no other writer edits: the edits can be counted afterwards
    edited = iter(members)

    def one(kind: str, i: int) -> None:
        mark = f"bench w{n} #{i}"
        if kind == "contact":
            log_contact(ContactEntry(rng.choice(members), guide.id, "phone", "reached", False,
                                     mark), rules, zone, utc_now())
        elif kind == "member edit":
            update_member(next(edited), {"occupation": mark}, guide.id, utc_now(), settings)
        elif kind == "sign-in":
            sign_in(guide.id, GUIDE_PIN, utc_now(), settings.staff)
        else:
            product, price = rng.choice(products)
            record_purchase(rng.choice(members), guide.id, [SaleLine(product, 1, price)], rules,
                            zone, utc_now())

    holds: dict[str, list[float]] = {k: [] for k in KINDS}
    writes_only: dict[str, list[float]] = {k: [] for k in KINDS}
    doing = ["sign-in"]
    _watch_the_lock(holds, writes_only, doing)
    one("sign-in", -1)  # warm: the modules and the page cache as a running session has them
    holds["sign-in"].clear()
    writes_only["sign-in"].clear()
    done: dict[str, int] = {k: 0 for k in KINDS}
    latencies: dict[str, list[float]] = {k: [] for k in KINDS}
    finished: list[float] = []
    errors: list[str] = []
    _wait_for(go)
    started = time.monotonic()
    for i in range(writes):
        kind = doing[0] = KINDS[i % len(KINDS)]
        start = time.perf_counter()
        try:
            one(kind, i)
        except Exception as exc:  # every failure is counted, whatever it is
            errors.append(f"{kind}: {type(exc).__name__}: {exc}")
        else:
            done[kind] += 1
            latencies[kind].append((time.perf_counter() - start) * 1000)
        finished.append(time.monotonic())
    return {"writer": n, "started": started, "finished": finished, "done": done,
            "latencies": latencies, "errors": errors, "holds": holds,
            "writes_only": writes_only}


def reader(n: int, db: str, go: str, stop: str) -> dict:
    from tui.clock import local_day
    from tui.clock import system_now as utc_now
    from tui.db.callbacks.queue import callback_queue
    from tui.db.members.lookup import lookup_members

    settings = _open(db)
    rules, zone = settings.callbacks, settings.shop.zone
    today = local_day(utc_now(), zone)
    queries = ["8381", "王芳", "zs", "zhang", "13812345678", "李"]
    samples: list[float] = []
    errors: list[str] = []
    _wait_for(go)
    i = 0
    while not os.path.exists(stop):
        start = time.perf_counter()
        try:
            if n % 2 == 0:
                callback_queue(today, rules, zone, limit=200)
            else:
                lookup_members(queries[i % len(queries)])
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        samples.append((time.perf_counter() - start) * 1000)
        i += 1
        time.sleep(0.1)  # a person reads what was painted (ten reads a second: more than any)
    return {"reader": n, "what": "queue" if n % 2 == 0 else "lookup", "samples": samples,
            "errors": errors}


def _counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {"contact": one("SELECT count(*) FROM contact WHERE note LIKE 'bench w%'"),
                "member edit": one("SELECT count(*) FROM member WHERE occupation LIKE 'bench w%'"),
                "sale": one("SELECT count(*) FROM purchase"),
                "integrity": one("PRAGMA quick_check") == "ok"}
    finally:
        con.close()


def measure(db_path: str | Path, writers: int = WRITERS, writes: int = WRITES) -> dict:
    """The figures of `writers` sessions × `writes` mixed writes and two readers, on a copy
    of db_path (deleted afterwards)."""
    folder = Path(tempfile.mkdtemp(prefix="writers-bench-"))
    try:
        db = folder / "shop.db"
        _copy(Path(db_path), db)
        con = sqlite3.connect(db)
        ids = [r[0] for r in con.execute(
            "SELECT id FROM member WHERE erased_at IS NULL ORDER BY id")]
        con.close()
        sales_before = _counts(db)["sale"]
        rng = random.Random(11)
        rng.shuffle(ids)
        edits = (writes + len(KINDS) - 1) // len(KINDS)
        go, stop = str(folder / "go"), str(folder / "stop")
        procs = []
        for n in range(writers):
            task = {"role": "writer", "n": n, "db": str(db), "go": go, "writes": writes,
                    "members": ids[n * edits:(n + 1) * edits] + ids[-2000:]}
            procs.append(_spawn(task, folder, f"w{n}"))
        readers = [_spawn({"role": "reader", "n": n, "db": str(db), "go": go, "stop": stop},
                          folder, f"r{n}") for n in range(READERS)]
        time.sleep(2.0)  # every process has opened the shop and is at the start line
        open(go, "w").close()
        results = [_result(p) for p in procs]
        open(stop, "w").close()
        read = [_result(p) for p in readers]
        counts = _counts(db)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _figures(results, read, counts, sales_before, writers, writes)


def _spawn(task: dict, folder: Path, name: str) -> tuple[subprocess.Popen, Path]:
    out = folder / f"{name}.json"
    task["out"] = str(out)
    return subprocess.Popen([sys.executable, __file__, "--task", json.dumps(task)], cwd=ROOT), out


def _result(spawned: tuple[subprocess.Popen, Path]) -> dict:
    proc, out = spawned
    if proc.wait(timeout=1800) != 0:
        raise SystemExit(f"a bench process failed (exit {proc.returncode})")
    return json.loads(out.read_text())


def _figures(results: list[dict], read: list[dict], counts: dict, sales_before: int,
             writers: int, writes: int) -> dict:
    every = [ms for r in results for k in KINDS for ms in r["latencies"][k]]
    errors = [e for r in results for e in r["errors"]]
    done = {k: sum(r["done"][k] for r in results) for k in KINDS}
    lost = {"contact": done["contact"] - counts["contact"],
            "member edit": done["member edit"] - counts["member edit"],
            "sale": done["sale"] - (counts["sale"] - sales_before)}
    # fairness: writes each writer saved while every writer was still writing
    start = max(r["started"] for r in results)
    window_end = min(r["finished"][-1] for r in results)
    window = window_end - start
    in_window = [sum(1 for t in r["finished"] if t <= window_end) for r in results]
    rates = [c / window for c in in_window] if window > 0 else [0.0]
    whole = max(r["finished"][-1] for r in results) - min(r["started"] for r in results)
    holds = {k: [ms for r in results for ms in r["holds"][k]] for k in KINDS}
    transactions = [ms for r in results for k in KINDS for ms in r["writes_only"][k]]
    return {
        "writers": writers, "writes_each": writes, "readers": len(read),
        "writes": sum(done.values()), "errors": len(errors), "error_lines": errors[:5],
        "lost": sum(max(0, v) for v in lost.values()), "lost_by_kind": lost,
        "integrity_ok": counts["integrity"],
        "seconds": round(whole, 1),
        "write_p50_ms": round(statistics.median(every), 1) if every else None,
        "write_p99_ms": round(_pct(every, 0.99), 1) if every else None,
        "write_max_ms": round(max(every), 1) if every else None,
        "transaction_p50_ms": round(statistics.median(transactions), 1) if transactions else None,
        "transaction_p99_ms": round(_pct(transactions, 0.99), 1) if transactions else None,
        "transaction_max_ms": round(max(transactions), 1) if transactions else None,
        "p99_by_kind_ms": {k: round(_pct(r, 0.99), 1) for k in KINDS
                           if (r := [ms for x in results for ms in x["latencies"][k]])},
        "hold_p50_by_kind_ms": {k: round(statistics.median(v), 1) for k, v in holds.items() if v},
        "hold_p99_by_kind_ms": {k: round(_pct(v, 0.99), 1) for k, v in holds.items() if v},
        "window_s": round(window, 2),
        "saved_in_window": in_window,
        "fairness": round(max(rates) / min(rates), 2) if min(rates) > 0 else float("inf"),
        "reads": {r["what"]: {"n": len(r["samples"]),
                              "p95_ms": round(_pct(r["samples"], 0.95), 1) if r["samples"] else None,
                              "errors": len(r["errors"])} for r in read},
    }


def rows(figures: dict) -> list[tuple]:
    """The lines of docs/benchmarks.md's table."""
    f = figures
    fair_ok = f["fairness"] <= FAIRNESS_BUDGET
    return [
        (f"{f['writers']} writers × {f['writes_each']} mixed writes + {f['readers']} readers "
         f"({f['writes']:,} saved in {f['seconds']} s): errors, lost",
         f"{f['errors']} errors, {f['lost']} lost", "0, 0 (issue 11)",
         f["errors"] == 0 and f["lost"] == 0 and f["integrity_ok"]),
        ("  a write to the database, the lock asked for to COMMIT done (waiting included)",
         f"p50 {f['transaction_p50_ms']} ms, p99 {f['transaction_p99_ms']} ms, "
         f"max {f['transaction_max_ms']} ms", f"p99 ≤ {P99_BUDGET_MS:.0f} ms (issue 11)",
         f["transaction_p99_ms"] is not None and f["transaction_p99_ms"] <= P99_BUDGET_MS),
        ("  a whole write call (a sign-in's scrypt PIN check, validation included)",
         f"p50 {f['write_p50_ms']} ms, p99 {f['write_p99_ms']} ms, max {f['write_max_ms']} ms; "
         "p99 " + ", ".join(f"{k} {v} ms" for k, v in f["p99_by_kind_ms"].items()),
         f"p99 ≤ {P99_BUDGET_MS:.0f} ms (issue 11)",
         f["write_p99_ms"] is not None and f["write_p99_ms"] <= P99_BUDGET_MS),
        ("  fairness: the fastest writer's writes per second over the slowest's, while all write",
         f"{f['fairness']}× (saved by each: {', '.join(map(str, f['saved_in_window']))})",
         f"≤ {FAIRNESS_BUDGET:.0f}× (issue 11)", fair_ok),
        ("  write lock held, p99: " + ", ".join(f"{k} {v} ms" for k, v in
                                                f["hold_p99_by_kind_ms"].items()),
         "p50: " + ", ".join(f"{k} {v} ms" for k, v in f["hold_p50_by_kind_ms"].items()),
         "—", None),
    ]


if __name__ == "__main__":
    if "--task" in sys.argv:
        task = json.loads(sys.argv[sys.argv.index("--task") + 1])
        role = task.pop("role")
        out = task.pop("out")
        if role == "writer":
            result = writer(task["n"], task["db"], task["go"], task["writes"], task["members"])
        else:
            result = reader(task["n"], task["db"], task["go"], task["stop"])
        Path(out).write_text(json.dumps(result))
        raise SystemExit(0)
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", type=Path, default=ROOT / "bench" / "data" / "shop-100000.db")
    parser.add_argument("--writers", type=int, default=WRITERS)
    parser.add_argument("--writes", type=int, default=WRITES)
    opts = parser.parse_args()
    source = opts.db
    if not source.exists():
        sys.exit(f"{source}: no such database; build one with "
                 f"'shopfloor demo --members 100000 --db {source}'")
    figures = measure(source, opts.writers, opts.writes)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    for row in rows(figures):
        print(" | ".join("—" if x is None else str(x) for x in row))
