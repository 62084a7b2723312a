"""Inputs that gave a traceback: each is one line now, with what to do."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from settings_files import english_text
from tui.cli import main
from tui.db.connection import close_database

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv, says", [
    (["queue", "--date", "9999-12-31"], "argument --date: 9999-12-31 is outside the years 1900–2100"),
    (["report", "eod", "--date", "0001-01-02"], "argument --date: 0001-01-02 is outside the years 1900–2100"),
    (["pdca", "--date", "2200-01-01"], "argument --date: 2200-01-01 is outside the years 1900–2100"),
    (["leaderboard", "--board", "visits", "--period", "0001-01-01..0001-01-05"],
     "--period: 0001-01-01 is outside the years 1900–2100"),
    (["assign", "split", "--segment", "brand:飞鹤 since 0001-01-01"],
     "0001-01-01 is outside the years 1900–2100"),
    (["member", "99999999999999999999999"], "no member '99999999999999999999999'; give a member id"),
    (["member", "²"], "no member '²'; give a member id or number such as M000123"),
    (["lookup", "²³⁴⁵"], "type the last 4 digits of a phone, a member number"),
])
def test_out_of_range_and_odd_digits_are_one_line(shop, manager_pin, settings, capsys, clock, argv, says):
    close_database()
    try:
        code = main(["--db", str(settings.database.path), *argv, "--as", manager_pin], clock=clock)
    except SystemExit as stop:  # argparse's own way out, status 2
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and says in err, err


def test_a_damaged_database_says_so_and_how_to_restore(shop, manager_pin, settings, capsys, clock, tmp_path):
    close_database()
    bad = tmp_path / "bad.db"
    shutil.copy(settings.database.path, bad)
    con = sqlite3.connect(bad)
    size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_master' "
                       "OR name = 'member'").fetchone()[0]
    con.close()
    with open(bad, "r+b") as fh:  # the member table's first page overwritten
        fh.seek(size * (root - 1))
        fh.write(b"\x05" + b"\xff" * 300)
    assert main(["--db", str(bad), "lookup", "王芳", "--as", manager_pin], clock=clock) == 1
    assert capsys.readouterr().err == ("shopfloor: the database file is damaged; restore the "
                                       "newest backup (shopfloor restore FILE --as NAME)\n")


def test_a_damaged_schema_is_said_at_opening(shop, settings, capsys, clock, tmp_path):
    close_database()
    bad = tmp_path / "bad.db"
    shutil.copy(settings.database.path, bad)
    with open(bad, "r+b") as fh:  # the schema's own pages, past the header
        fh.seek(100)
        fh.write(b"\xff" * 3900)
    assert main(["--db", str(bad), "queue"], clock=clock) == 2
    assert capsys.readouterr().err == (f"shopfloor: {bad}: the database file is damaged; restore "
                                       "the newest backup (shopfloor restore FILE --as NAME)\n")


def _settings_that(kind: str, tmp_path: Path) -> str:
    if kind == "loop":
        (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
        (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
        return str(tmp_path / "a.toml")
    if kind == "fifo":
        import os
        os.mkfifo(tmp_path / "pipe.toml")
        return str(tmp_path / "pipe.toml")
    if kind == "nested":
        (tmp_path / "deep.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000)
        return str(tmp_path / "deep.toml")
    return "/dev/zero"


@pytest.mark.parametrize("kind, says", [
    ("loop", "a.toml: a symbolic link that leads back to itself; give the settings file's own path"),
    ("fifo", "pipe.toml: not a regular file (a folder, a pipe or a device); give the settings file's path"),
    ("zero", "/dev/zero: not a regular file (a folder, a pipe or a device); give the settings file's path"),
    ("nested", "deep.toml: not valid TOML: arrays or tables nested too deeply"),
])
def test_a_settings_file_that_is_no_file_is_one_line_and_never_hangs(tmp_path, kind, says):
    done = subprocess.run([sys.executable, "-m", "tui", "--settings", _settings_that(kind, tmp_path),
                           "queue"], capture_output=True, text=True, timeout=30, cwd=REPO)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("shopfloor: ") and done.stderr.rstrip().endswith(says)


READ_ONLY = """
set -e
mount --bind -o ro {folder} {folder}
cd {repo}
{python} -m tui --settings {settings} lookup 王芳 --as 王店长 > {out}/lookup.txt 2>&1 || echo "lookup $?" >> {out}/codes
{python} -m tui --settings {settings} queue --date 2026-11-23 --as 王店长 > {out}/queue.txt 2>&1 || echo "queue $?" >> {out}/codes
SHOPFLOOR_NEW_PIN=4321 {python} -m tui --settings {settings} pin 张丽 --as 王店长 > {out}/pin.txt 2>&1 || echo "pin $?" >> {out}/codes
"""


def test_a_read_only_database_can_still_be_read(shop, manager_pin, settings, tmp_path):
    """On a read-only disk (a bind mount, read-only, in a mount namespace of its own)."""
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("needs mount namespaces (unshare -m), which this machine does not give")
    close_database()
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(settings.database.path, folder / "shop.db")
    text = english_text()
    (folder / "settings.toml").write_text(text.replace('path = "shopfloor.db"', 'path = "shop.db"'),
                                          encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    script = READ_ONLY.format(folder=folder, repo=REPO, python=sys.executable,
                              settings=folder / "settings.toml", out=out)
    subprocess.run(["unshare", "-m", "sh", "-c", script], check=True, timeout=120)
    codes = (out / "codes").read_text().split("\n") if (out / "codes").exists() else []
    assert [c for c in codes if c] == ["pin 1"]  # reads work; the one write is refused
    assert "王芳" in (out / "lookup.txt").read_text(encoding="utf-8")
    assert "王芳" in (out / "queue.txt").read_text(encoding="utf-8")
    assert (out / "pin.txt").read_text(encoding="utf-8").endswith(
        "shopfloor: the database is read-only here; nothing was changed (it can be read only)\n")
