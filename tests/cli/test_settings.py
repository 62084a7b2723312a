"""The command line and settings.toml: which file it reads, and one line with exit status 2
for bad settings or bad arguments."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from settings_files import REPO, REPO_SETTINGS, variant  # noqa: F401 (its fixtures, used by name)


# --- through the command line --------------------------------------------------------------------

def shopfloor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "SHOPFLOOR_SETTINGS"}
    clean.update(env or {})
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          cwd=REPO, env=clean, timeout=60)


def assert_one_line_exit_2(done: subprocess.CompletedProcess, line: str) -> None:
    assert "Traceback" not in done.stderr
    assert done.stderr == line + "\n"
    assert done.stdout == ""
    assert done.returncode == 2


def test_cli_bad_settings_is_one_line_and_exit_2(tmp_path):
    bad = variant(tmp_path, 'stale_after_days = 14', 'stale_after_days = 0')
    assert_one_line_exit_2(
        shopfloor("--settings", str(bad), "queue"),
        f"shopfloor: {bad}: callbacks.stale_after_days: expected a whole number from 1 to 365")


def test_cli_reads_shopfloor_settings_and_resolves_the_database_beside_it(tmp_path):
    conf = variant(tmp_path, 'path = "shopfloor.db"', 'path = "data/shop.db"',
                   name="conf/settings.toml")
    db = tmp_path / "conf" / "data" / "shop.db"  # not REPO / "data" / "shop.db" (the cwd)
    assert_one_line_exit_2(
        shopfloor("queue", env={"SHOPFLOOR_SETTINGS": str(conf)}),
        f"shopfloor: {db}: no database here; start a real shop with 'shopfloor init "
        f"--db {db}', build the demo shop with 'shopfloor demo --db {db}', or pick one with --db")


def test_cli_settings_option_beats_the_environment(tmp_path):
    bad = variant(tmp_path, 'stale_after_days = 14', 'stale_after_days = 0', name="bad.toml")
    env_bad = variant(tmp_path, 'follow_up_hours = 24', 'follow_up_hours = 0', name="env.toml")
    assert_one_line_exit_2(
        shopfloor("--settings", str(bad), "queue", env={"SHOPFLOOR_SETTINGS": str(env_bad)}),
        f"shopfloor: {bad}: callbacks.stale_after_days: expected a whole number from 1 to 365")


@pytest.mark.parametrize("args, line", [
    (("queue", "--date", "2026-13-01"),
     "shopfloor queue: argument --date: '2026-13-01' is not a date; use YYYY-MM-DD "
     "(see shopfloor queue --help)"),
    (("queue", "--format", "xml"),
     "shopfloor queue: argument --format: invalid choice: 'xml' (choose from 'text', 'json', "
     "'csv') (see shopfloor queue --help)"),
    (("demo", "--members", "0"),
     "shopfloor demo: argument --members: '0': give a whole number from 1 to 1000000 "
     "(see shopfloor demo --help)"),
])
def test_cli_bad_arguments_are_one_line_and_exit_2(args, line, english_settings_file):
    assert_one_line_exit_2(shopfloor(*args, env={"SHOPFLOOR_SETTINGS": str(english_settings_file)}),
                           line)


def test_cli_with_the_repository_settings_speaks_chinese():
    """The demo shop's settings.toml says zh-CN: what `make run` and a bare `shopfloor` read."""
    assert_one_line_exit_2(
        shopfloor("queue", "--date", "2026-13-01"),
        "shopfloor queue：参数 --date：'2026-13-01' 不是日期；请写作 年-月-日"
        "（见 shopfloor queue --help）")


def test_cli_settings_saved_in_gbk_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_bytes(REPO_SETTINGS.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    done = shopfloor("--settings", str(path), "queue")
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert done.stderr.startswith(f"shopfloor: {path}: ") and done.stderr.count("\n") == 1
