"""Backups while the shop works on, their rotation, and restore: every copy is the
database at one moment, a failed one leaves nothing, a restore swaps whole files and
refuses while anyone has the database open."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from fixture_shop import build_fixture_shop
from old_shop import make_version_1
from tui.db.backups.copies import BackupError, Rotation, restore, rotate, take_backup, to_keep
from tui.db.connection import close_database, open_database
from tui.db.migrations import SCHEMA_VERSION
from tui.db.backups.sessions import DatabaseHeld

TESTS = str(Path(__file__).resolve().parents[1])
AT = datetime(2026, 11, 23, 21, 30)  # shop time: the backup's name


def rows(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows in id order: two databases are equal when these are."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: con.execute(f'SELECT * FROM "{n}" ORDER BY 1').fetchall() for n in names}
    finally:
        con.close()


@pytest.fixture
def shop_file(db, settings):
    """The fixture shop in its file, closed: as the other sessions find it."""
    ids = build_fixture_shop(settings)
    close_database()
    return settings.database.path, ids


# -- rotation -----------------------------------------------------------------------------

def test_the_rotation_keeps_the_newest_of_each_day_week_and_month():
    times = [datetime(2026, 9, 30, 21, 30),                           # Wed, September
             datetime(2026, 10, 31, 21, 30),                          # Sat, October
             datetime(2026, 11, 15, 21, 30),                          # Sun, ISO week 46
             datetime(2026, 11, 16, 21, 30), datetime(2026, 11, 16, 23, 0),  # Mon, week 47
             datetime(2026, 11, 21, 21, 30),                          # Sat, week 47
             datetime(2026, 11, 22, 21, 30),                          # Sun, week 47
             datetime(2026, 11, 23, 9, 0), datetime(2026, 11, 23, 21, 30)]   # Mon, week 48
    keep = to_keep(times, Rotation(keep_daily=2, keep_weekly=2, keep_monthly=2))
    # days: the newest of 23 Nov (21:30) and of 22 Nov; weeks: 48 → 23 Nov 21:30, 47 →
    # 22 Nov; months: November → 23 Nov 21:30, October → 31 Oct. Not kept: September,
    # week 46, 16 Nov (both), 21 Nov, 23 Nov 09:00.
    assert sorted(keep) == [datetime(2026, 10, 31, 21, 30), datetime(2026, 11, 22, 21, 30),
                            datetime(2026, 11, 23, 21, 30)]


def test_rotate_removes_only_backups_it_does_not_keep(tmp_path):
    for name in ("shopfloor-20261121-213000.db", "shopfloor-20261122-213000.db",
                 "shopfloor-20261123-213000.db", "shopfloor-20261123-213000-2.db",
                 "notes.txt", "shopfloor-2026-11-01.db"):
        (tmp_path / name).write_text("x")
    gone = rotate(tmp_path, Rotation(keep_daily=2, keep_weekly=0, keep_monthly=0))
    # 23 Nov 21:30:00 twice in one second: the -2 is the same moment, either may stand for it
    assert [p.name for p in gone] == ["shopfloor-20261121-213000.db"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt", "shopfloor-2026-11-01.db", "shopfloor-20261122-213000.db",
        "shopfloor-20261123-213000-2.db", "shopfloor-20261123-213000.db"]


# -- a backup -------------------------------------------------------------------------------

def test_a_backup_is_checked_private_and_named_by_shop_time(shop_file, tmp_path):
    path, _ = shop_file
    folder = tmp_path / "nas"
    folder.mkdir()
    made = take_backup(path, folder, AT)
    assert made == folder / "shopfloor-20261123-213000.db"
    assert made.stat().st_mode & 0o777 == 0o600
    assert rows(made) == rows(path)
    assert sorted(p.name for p in folder.iterdir()) == [made.name]  # no -wal, no .partial
    assert take_backup(path, folder, AT).name == "shopfloor-20261123-213000-2.db"


def test_a_missing_folder_is_one_line_and_nothing_is_written(shop_file, tmp_path):
    path, _ = shop_file
    with pytest.raises(BackupError) as refused:
        take_backup(path, tmp_path / "nas", AT)
    assert str(refused.value) == (f"{tmp_path / 'nas'}: the backup folder does not exist; "
                                  "create it, or mount the disk it is on")


def test_a_backup_that_does_not_fit_leaves_no_file(shop_file, tmp_path):
    """A disk that refuses more bytes (a file size limit here, as a full disk would)."""
    path, _ = shop_file
    folder = tmp_path / "nas"
    folder.mkdir()
    script = (f"import sys; sys.path.insert(0, {TESTS!r})\n"
              "from datetime import datetime; from pathlib import Path\n"
              "from tui.db.backups.copies import BackupError, take_backup\n"
              "try:\n"
              f"    take_backup(Path({str(path)!r}), Path({str(folder)!r}), datetime(2026, 11, 23))\n"
              "except BackupError as exc:\n"
              "    print(exc); sys.exit(1)\n")

    def small_files():
        import resource
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          preexec_fn=small_files, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(f"backup not written to {folder}: ")
    assert done.stdout.count("\n") == 1 and "Traceback" not in done.stderr
    assert list(folder.iterdir()) == []


WRITER = """
import sys
sys.path.insert(0, {tests!r})
from datetime import datetime, timedelta
from tui.db.connection import open_database
from tui.db.members.purchases import SaleLine, record_purchase
from tui.settings import load_settings
settings = load_settings().with_database({db!r})
open_database(settings.database.path, settings.database.busy_timeout_ms)
start = datetime(2026, 11, 23, 4, 0)
for i in range({rounds}):
    # the i-th sale of this writer is at second i: the sales in a copy must be 0 … k-1
    record_purchase({member}, {staff}, [SaleLine({product}, 1, 1000 + {n})],
                    settings.callbacks, settings.shop.zone, start + timedelta(seconds=i))
    if i == 10:
        print("writing", flush=True)
"""


def sales_of_each_writer(path: Path, members: list[int]) -> list[int]:
    """How many of each writer's sales the database holds, checking on the way that they
    are the first ones (no gap: a transaction is all there or not) and that each member's
    total spend is the sum of her sales (written in the same transaction as the sale)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        counts = []
        for n, member in enumerate(members):
            seconds = [r[0] for r in con.execute(
                "SELECT CAST(strftime('%s', p.purchased_at) - strftime('%s', '2026-11-23 04:00:00')"
                " AS INTEGER) FROM purchase p JOIN purchase_line l ON l.purchase_id = p.id "
                "WHERE p.member_id = ? AND l.amount_cents = ? ORDER BY 1", (member, 1000 + n))]
            assert seconds == list(range(len(seconds)))
            spent, summed = con.execute(
                "SELECT m.total_spend_cents, (SELECT sum(l.amount_cents) FROM purchase p JOIN "
                "purchase_line l ON l.purchase_id = p.id WHERE p.member_id = m.id) "
                "FROM member m WHERE m.id = ?", (member,)).fetchone()
            assert spent == summed
            counts.append(len(seconds))
        return counts
    finally:
        con.close()


def test_a_backup_taken_while_four_sessions_write_restores_to_that_moment(shop_file, settings, tmp_path):
    path, ids = shop_file
    folder = tmp_path / "nas"
    folder.mkdir()
    open_database(path)
    from tui.db.models import Product
    product = Product.get(Product.sku == "BBS-L").id
    close_database()
    members = [ids["wangfang"], ids["lina"], ids["zhaomin"], ids["huangxiaomei"]]
    before = sales_of_each_writer(path, members)
    writers = [subprocess.Popen(
        [sys.executable, "-c", WRITER.format(tests=TESTS, db=str(path), rounds=150, member=member,
                                             staff=ids["zhang"], product=product, n=n)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n, member in enumerate(members)]
    for w in writers:
        assert w.stdout.readline() == "writing\n", w.stderr.read()[-800:]
    made = take_backup(path, folder, AT)  # while all four write
    results = [w.communicate(timeout=180) for w in writers]
    assert [w.returncode for w in writers] == [0, 0, 0, 0], [err[-500:] for _, err in results]

    at_backup = sales_of_each_writer(made, members)
    assert before == [0, 0, 0, 0]
    assert all(10 < k <= 150 for k in at_backup)  # each had written 11 when the backup began
    assert sales_of_each_writer(path, members) == [150] * 4
    expected = rows(made)
    done = restore(made, path, folder, datetime(2026, 11, 23, 22, 0))
    assert rows(path) == expected  # every table, as at the backup's moment
    assert rows(done.saved) != expected  # the database it replaced, with all 600 sales
    assert sales_of_each_writer(done.saved, members) == [150] * 4


# -- restore --------------------------------------------------------------------------------

HOLDER = """
import sys, time
sys.path.insert(0, {tests!r})
from tui.db.backups.sessions import APP, describe
from tui.db.connection import open_database
open_database({db!r}, what=APP)
describe(APP, person="张丽")  # as the app says who signed in
print("open", flush=True)
time.sleep(120)
"""


def test_a_restore_is_refused_while_someone_has_the_database_open(shop_file, tmp_path):
    path, _ = shop_file
    folder = tmp_path / "nas"
    folder.mkdir()
    made = take_backup(path, folder, AT)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER.format(tests=TESTS, db=str(path))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        with pytest.raises(DatabaseHeld) as refused:
            restore(made, path, folder, AT)
        words = str(refused.value)
        assert words.startswith(f"{path}: cannot restore while it is open: 张丽 in the app (process {holder.pid}, since ")
        assert words.endswith("; close it first")
        # the session wrote facts, not words: a restorer who speaks Chinese reads Chinese
        from tui.i18n import use_language

        use_language("zh-CN")
        with pytest.raises(DatabaseHeld) as refused:
            restore(made, path, folder, AT)
        assert f"张丽正在使用本程序（进程 {holder.pid}，自 " in str(refused.value)
        use_language("en")
        assert sorted(p.name for p in folder.iterdir()) == [made.name]  # nothing done
    finally:
        holder.kill()
        holder.wait()
    # killed: the kernel let go of its lock, so it holds nothing any more
    assert restore(made, path, folder, AT).saved is not None


def test_no_session_can_open_the_database_while_a_restore_holds_it(shop_file):
    from tui.db.backups.sessions import alone

    path, _ = shop_file
    with alone(path, "restore"):
        with pytest.raises(DatabaseHeld, match="a restore or a demo rebuild is under way"):
            open_database(path)
    open_database(path)


def test_an_older_copy_is_upgraded_when_opened_after_the_restore(shop_file, tmp_path):
    path, _ = shop_file
    old = tmp_path / "old.db"
    make_version_1(old)
    assert restore(old, path, tmp_path, AT).version == 1
    db = open_database(path)
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute_sql("SELECT name FROM member ORDER BY id").fetchall() == [
        ("王芳",), ("李娜",), ("陈晓燕",)]


@pytest.mark.parametrize("make, says", [
    (lambda p: p.write_text("a shopping list"), "not a database file"),
    (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(),
     "not a Shopfloor database"),
    (lambda p: None, "no such file"),
])
def test_a_copy_that_is_not_a_shop_is_refused_before_anything(shop_file, tmp_path, make, says):
    path, _ = shop_file
    copy = tmp_path / "copy.db"
    make(copy)
    before = rows(path)
    with pytest.raises(BackupError) as refused:
        restore(copy, path, tmp_path, AT)
    assert str(refused.value) == f"{copy}: {says}"
    assert rows(path) == before
    assert not list(tmp_path.glob("shopfloor-*.db"))


def test_a_newer_copy_is_refused(shop_file, tmp_path):
    path, _ = shop_file
    folder = tmp_path / "nas"
    folder.mkdir()
    made = take_backup(path, folder, AT)
    con = sqlite3.connect(made)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(BackupError, match=f"schema version {SCHEMA_VERSION + 1} is newer"):
        restore(made, path, folder, AT)


RESTORER = """
import sys
sys.path.insert(0, {tests!r})
from datetime import datetime
from pathlib import Path
from tui.db.backups.copies import restore
print("go", flush=True)
restore(Path({copy!r}), Path({db!r}), Path({folder!r}), datetime(2026, 11, 23, 22, {minute}))
"""


def test_killed_at_any_moment_a_restore_leaves_the_old_database_or_the_new(shop_file, tmp_path):
    path, _ = shop_file
    folder = tmp_path / "nas"
    folder.mkdir()
    old = rows(path)
    copy = tmp_path / "old.db"
    make_version_1(copy)
    new = rows(copy)
    for n, delay in enumerate((0.0, 0.02, 0.05, 0.08, 0.12, 0.2, 0.3, 0.5)):
        if rows(path) == new:  # the last kill came after the swap: the old one back first
            restore(next(p for p in sorted(folder.glob("shopfloor-*.db")) if rows(p) == old),
                    path, folder, AT)
        p = subprocess.Popen([sys.executable, "-c", RESTORER.format(
            tests=TESTS, copy=str(copy), db=str(path), folder=str(folder), minute=n)],
            stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline() == "go\n"
        time.sleep(delay)
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
        assert rows(path) in (old, new)  # whichever moment the kill hit


BACKER = """
import sys
sys.path.insert(0, {tests!r})
from datetime import datetime
from pathlib import Path
from tui.db.backups.copies import take_backup
print("go", flush=True)
take_backup(Path({db!r}), Path({folder!r}), datetime(2026, 11, 23, 22, {minute}))
"""


def test_killed_at_any_moment_a_backup_harms_nothing_and_leaves_no_named_file(shop_file, tmp_path):
    path, _ = shop_file
    folder = tmp_path / "nas"
    folder.mkdir()
    before = rows(path)
    for n, delay in enumerate((0.0, 0.02, 0.05, 0.1, 0.2, 0.4)):
        p = subprocess.Popen([sys.executable, "-c", BACKER.format(
            tests=TESTS, db=str(path), folder=str(folder), minute=n)], stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline() == "go\n"
        time.sleep(delay)
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        assert rows(path) == before
        for made in folder.glob("shopfloor-*.db"):  # a named backup is always a whole one
            assert rows(made) == before
    take_backup(path, folder, AT)  # the next backup sweeps what the killed ones left
    assert not list(folder.glob(".*.partial"))
