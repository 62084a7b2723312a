"""The shop's files on the command line: the demo never replaces a real shop, a file
that is no shop's database is refused, backup and restore say what they did in one line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main
from tui.db.connection import close_database

TESTS = str(Path(__file__).resolve().parents[1])


def table_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def test_demo_force_never_replaces_a_real_shop(shop, settings, capsys, clock):
    path = settings.database.path
    close_database()
    before = table_counts(path)
    assert main(["demo", "--db", str(path), "--members", "5", "--force"], clock=clock) == 2
    err = capsys.readouterr().err
    assert err == (f"shopfloor: {path}: a real shop's database, not a demo shop; it is never "
                   "replaced (give the demo another --db)\n")
    assert table_counts(path) == before


def test_demo_force_replaces_a_demo_shop(tmp_path, capsys, clock):
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--members", "8"], clock=clock) == 0
    assert main(["demo", "--db", str(path), "--members", "5", "--force"], clock=clock) == 0
    assert "5 members" in capsys.readouterr().out
    assert table_counts(path)["member"] == 5
    assert path.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob("*.building*"))


HOLDER = """
import sys, time
sys.path.insert(0, {tests!r})
from tui.db.connection import open_database
open_database({db!r}, what="刘芳 in the app")
print("open", flush=True)
time.sleep(120)
"""


def test_demo_force_waits_for_nobody_at_work_on_the_demo(tmp_path, capsys, clock):
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--members", "8"], clock=clock) == 0
    capsys.readouterr()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER.format(tests=TESTS, db=str(path))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        assert main(["demo", "--db", str(path), "--members", "5", "--force"], clock=clock) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"shopfloor: {path}: cannot rebuild the demo shop while it is "
                              "open: 刘芳 in the app (process ")
        assert table_counts(path)["member"] == 8
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("make, says", [
    (lambda p: p.write_bytes(b""), "an empty file, not a shop's database; give the right --db, "
                                   "or remove the empty file"),
    (lambda p: p.write_text("名单"), "cannot open as a database: file is not a database"),
    (lambda p: p.mkdir(), "is a folder; give the database file's path"),
])
def test_a_db_that_is_no_shop_is_refused_and_left_alone(tmp_path, capsys, clock, make, says):
    path = tmp_path / "shop.db"
    make(path)
    assert main(["--db", str(path), "queue"], clock=clock) == 2
    assert capsys.readouterr().err == f"shopfloor: {path}: {says}\n"
    assert path.is_dir() or path.stat().st_size in (0, len("名单".encode()))


def test_demo_into_a_folder_is_one_line(tmp_path, capsys, clock):
    assert main(["demo", "--db", str(tmp_path), "--members", "5"], clock=clock) == 2
    assert capsys.readouterr().err == (f"shopfloor: {tmp_path}: is a folder; give the demo "
                                       "database's file path\n")


def test_backup_says_where_in_one_line(shop, settings, capsys, clock, tmp_path):
    close_database()
    nas = tmp_path / "nas"
    nas.mkdir()
    assert main(["--db", str(settings.database.path), "backup", "--to", str(nas)], clock=clock) == 0
    out = capsys.readouterr().out
    made = nas / "shopfloor-20261123-113000.db"  # the clock's 11:30 in the shop
    assert out.startswith(f"Backed up to {made} (")
    assert out.endswith(" MB, integrity checked); 0 older backups removed by the rotation.\n")
    assert table_counts(made) == table_counts(settings.database.path)


def test_a_failed_backup_is_one_line_and_status_1(shop, settings, capsys, clock, tmp_path):
    close_database()
    nas = tmp_path / "nas"
    assert main(["--db", str(settings.database.path), "backup", "--to", str(nas)], clock=clock) == 1
    assert capsys.readouterr().err == (f"shopfloor: {nas}: the backup folder does not exist; "
                                       "create it, or mount the disk it is on\n")


def test_restore_is_a_managers(shop, settings, capsys, clock, tmp_path, monkeypatch):
    from tui.db.staff import hash_pin
    from tui.db.models import Staff

    for key, pin in (("boss", "8888"), ("zhang", "1234")):
        Staff.update(pin_hash=hash_pin(pin)).where(Staff.id == shop[key]).execute()
    close_database()
    db = str(settings.database.path)
    nas = tmp_path / "nas"
    nas.mkdir()
    assert main(["--db", db, "backup", "--to", str(nas)], clock=clock) == 0
    copy = next(nas.iterdir())
    capsys.readouterr()
    monkeypatch.setenv("SHOPFLOOR_PIN", "1234")
    assert main(["--db", db, "restore", str(copy), "--as", "张丽"], clock=clock) == 3
    assert capsys.readouterr().err == ("shopfloor: refused: only a manager can restore the "
                                       "database; 张丽 is a guide\n")
    monkeypatch.setenv("SHOPFLOOR_PIN", "8888")
    assert main(["--db", db, "restore", str(tmp_path / "nope.db"), "--as", "王店长"], clock=clock) == 1
    assert capsys.readouterr().err == f"shopfloor: not restored: {tmp_path / 'nope.db'}: no such file\n"


def test_a_database_others_can_read_is_said_on_stderr_and_the_command_goes_on(shop, manager_pin, settings, capsys, clock):
    close_database()
    path = settings.database.path
    path.chmod(0o644)
    assert main(["--db", str(path), "queue", "--as", manager_pin], clock=clock) == 0
    got = capsys.readouterr()
    # SQLite made the -wal and -shm as open as the database itself
    assert got.err == (f"shopfloor: warning: shop.db (-rw-r--r--), shop.db-wal (-rw-r--r--), "
                       f"shop.db-shm (-rw-r--r--) can be read by other users of this computer; "
                       f"chmod 600 {path}*\n")
    assert "王芳" in got.out


def test_setup_ssh_gives_each_key_a_forced_command_as_its_owner(shop, settings, capsys, clock, tmp_path):
    close_database()
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "张丽.pub").write_text("ssh-ed25519 AAAAC3Nza张 zhang@phone\n", encoding="utf-8")
    (keys / "王店长.pub").write_text("# the office PC\nssh-rsa AAAAB3Nza王 boss@office\n",
                                   encoding="utf-8")
    assert main(["--db", str(settings.database.path), "setup-ssh", "--keys", str(keys)],
                clock=clock) == 0
    got = capsys.readouterr()
    run = f"{sys.executable} -m tui --settings {settings.source}"
    assert got.out == (
        f"command=\"{run} --guide '王店长'\",restrict,pty ssh-rsa AAAAB3Nza王 boss@office\n"
        f"command=\"{run} --guide '张丽'\",restrict,pty ssh-ed25519 AAAAC3Nza张 zhang@phone\n")
    assert got.err == f"shopfloor: no key for 刘芳 (put it in {keys / '刘芳.pub'})\n"
