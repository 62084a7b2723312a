"""Issue 14: reading and checking a POS's sales export, the first part of an import whose
whole budget is <= 60 s and <= 300 MB peak for 1,000,000 lines.

The bench writes a GB18030 CSV of LINES purchase lines itself (a POS header in Chinese,
names outside ASCII, ¥ amounts with thousands, returns, a phone with spaces), then reads
and checks it with `tui.intake.rows.check_file` in a fresh process, so that the peak
memory is that of reading alone. `measure()` gives bench/run.py its rows. As a script:

    .venv/bin/python bench/intake_bench.py [LINES]
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINES = int(os.environ.get("BENCH_PURCHASE_LINES", "1000000"))
DATA = ROOT / "bench" / "data"
#: the reading part's own share of the import's 60 s: the writes take the rest
BUDGET_S = 15
BUDGET_MB = 300

HEADER = "销售单号,行号,交易时间,会员卡号,会员姓名,手机号码,商品条码,商品名称,数量,单价(元),实收金额(元),导购"
PRODUCTS = [("6901234567890", "飞鹤星飞帆3段 800g", 35800), ("6901234567891", "帮宝适 L 码", 12900),
            ("6901234567892", "贝亲湿巾 80 抽", 1990), ("6901234567893", "美赞臣蓝臻2段", 42800)]
NAMES = ["刘䶮", "王芳", "张伟", "李娜", "陈静", "赵敏", "周杰", "吴倩"]
GUIDES = ["王芳", "李娜", "陈静"]



def own_peak_kib() -> int:
    """This process's own peak memory (VmHWM): ru_maxrss would carry the parent's over
    exec on Linux (make bench's parent holds the 100,000-member shop, 1.5 GB)."""
    with open("/proc/self/status") as fh:
        return int(fh.read().split("VmHWM:")[1].split()[0])

def write_sales(path: Path, lines: int, seed: int = 14) -> Path:
    """LINES sale lines in GB18030, two or three lines a receipt, CRLF as Excel writes."""
    rng = random.Random(seed)
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="gb18030", newline="") as fh:
        fh.write(HEADER + "\r\n")
        receipt, line = 0, 3
        for n in range(lines):
            if line >= rng.choice((2, 3)):
                receipt, line = receipt + 1, 0
                minute = receipt % (60 * 24 * 365)
                when = f"2026/{1 + minute // 43200 % 12}/{1 + minute // 1440 % 28} " \
                       f"{minute // 60 % 24}:{minute % 60:02d}"
                member = rng.randrange(100_000)
                phone = f"138 {member // 10000:04d} {member % 10000:04d}"
            line += 1
            barcode, name, price = PRODUCTS[n % len(PRODUCTS)]
            quantity = -1 if n % 97 == 0 else 1 + n % 3
            amount = price * quantity
            sign = "-" if amount < 0 else ""
            fh.write(f"R{receipt:08d},{line},{when},V{member:06d},{NAMES[member % 8]},{phone},"
                     f"{barcode},{name},{quantity},{price / 100:.2f},"
                     f"\"{sign}¥{abs(amount) // 100:,}.{abs(amount) % 100:02d}\","
                     f"{GUIDES[member % 3]}\r\n")
    tmp.replace(path)
    return path


def _read(path: Path) -> dict:
    """In this process: check every line; the time, the counts, the peak memory."""
    from tui.intake.mapping import guess
    from tui.intake.read import open_table
    from tui.intake.rows import Problem, check_table

    start = time.perf_counter()
    table = open_table(path)
    rows = problems = 0
    for item in check_table(table, "purchases", guess("purchases", table.header)):
        if isinstance(item, Problem):
            problems += 1
        else:
            rows += 1
    seconds = time.perf_counter() - start
    peak = own_peak_kib() * 1024
    return {"seconds": round(seconds, 2), "rows": rows, "problems": problems,
            "encoding": table.encoding_name, "peak_mb": round(peak / 1e6, 1),
            "bytes": path.stat().st_size}


def measure(lines: int = LINES) -> dict:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"sales-{lines}-gb18030.csv"
    if not path.exists():
        write_sales(path, lines)
    out = subprocess.run([sys.executable, __file__, "--read", str(path)], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["lines"] = lines
    result["met"] = result["seconds"] <= BUDGET_S and result["peak_mb"] <= BUDGET_MB
    return result


def rows(result: dict) -> list[tuple]:
    """bench/run.py's table rows."""
    return [(f"Import, reading and checking {result['lines']:,} purchase lines from a "
             f"{result['bytes'] / 1e6:.0f} MB GB18030 CSV ({result['rows']:,} rows, "
             f"{result['problems']:,} problems; no writes)",
             f"{result['seconds']} s, peak {result['peak_mb']} MB",
             f"≤ {BUDGET_S} s of the import's 60 s, ≤ {BUDGET_MB} MB (issue 14)", result["met"])]


def main() -> int:
    if sys.argv[1:2] == ["--read"]:
        print(json.dumps(_read(Path(sys.argv[2]))))
        return 0
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else LINES
    result = measure(lines)
    print(json.dumps(result))
    for what, measured, budget, met in rows(result):
        print(f"{what}: {measured} (budget {budget}: {'met' if met else 'MISSED'})")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
