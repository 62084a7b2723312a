"""A terminal that is not UTF-8 (a Latin-1 or GBK locale, or PYTHONIOENCODING): the app
says so in one line with the fix and exits 2 before drawing anything; a command's output
to a terminal does the same, and to a pipe it is UTF-8 whatever the locale."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: how each kind of terminal is made: the locales are generated into a folder of the
#: test's own (LOCPATH), as the machine may have none but C.UTF-8
TERMINALS = {
    "PYTHONIOENCODING latin-1": ({"PYTHONIOENCODING": "latin-1"}, None, "iso8859-1"),
    "LC_ALL Latin-1": ({"LC_ALL": "en_US.ISO-8859-1"}, ("en_US", "ISO-8859-1"), "iso8859-1"),
    "LANG GBK": ({"LANG": "zh_CN.GBK"}, ("zh_CN", "GBK"), "gbk"),
}


def said(encoding: str) -> str:
    return (f"shopfloor: this terminal's character set is {encoding}, not UTF-8, and cannot "
            "show Chinese: start it with LANG=C.UTF-8 (LANG=C.UTF-8 shopfloor ...) or set "
            "the terminal to UTF-8\n")


@pytest.fixture(params=list(TERMINALS))
def terminal(request, tmp_path_factory) -> tuple[dict[str, str], str]:
    """The environment of a terminal that is not UTF-8, and the name Python gives its set."""
    env_vars, locale, encoding = TERMINALS[request.param]
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANG", "LC_ALL", "LC_CTYPE", "PYTHONIOENCODING", "PYTHONUTF8")}
    env.update(env_vars)
    if locale is not None:
        folder = tmp_path_factory.getbasetemp() / "locales"
        name = f"{locale[0]}.{locale[1]}"
        if not (folder / name).exists():
            if shutil.which("localedef") is None:
                pytest.skip("needs localedef to make a non-UTF-8 locale")
            folder.mkdir(exist_ok=True)
            made = subprocess.run(["localedef", "-i", locale[0], "-f", locale[1],
                                   str(folder / name)], capture_output=True, timeout=120)
            if not (folder / name).exists():
                pytest.skip(f"localedef could not make {name}: {made.stderr[-200:]!r}")
        env["LOCPATH"] = str(folder)
    return env, encoding


def shopfloor(args: list[str], env: dict[str, str], **how) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=REPO, env=env,
                          timeout=60, **how)


def test_the_app_says_in_one_line_what_to_do(shop, settings, terminal):
    env, encoding = terminal
    done = shopfloor(["--db", str(settings.database.path)], env, capture_output=True,
                     stdin=subprocess.DEVNULL)
    assert (done.returncode, done.stdout, done.stderr.decode("ascii")) == (2, b"", said(encoding))


def test_a_lookup_into_a_pipe_is_utf8_whatever_the_locale(shop, settings, manager_pin, terminal):
    env, _ = terminal
    env["SHOPFLOOR_PIN"] = "8888"
    done = shopfloor(["lookup", "1234", "--as", manager_pin, "--db", str(settings.database.path)],
                     env, capture_output=True)
    assert (done.returncode, done.stderr) == (0, b"")
    assert "M000001    王芳          13800001234  张丽        4,200.00  phone tail" in \
        done.stdout.decode("utf-8").splitlines()


def test_a_lookup_on_such_a_terminal_says_what_to_do(shop, settings, manager_pin, terminal):
    env, encoding = terminal
    env["SHOPFLOOR_PIN"] = "8888"
    screen, tty = pty.openpty()
    try:
        done = shopfloor(["lookup", "1234", "--as", manager_pin, "--db",
                          str(settings.database.path)], env, stdout=tty, stderr=subprocess.PIPE)
    finally:
        os.close(tty)
        os.close(screen)
    assert (done.returncode, done.stderr.decode("ascii")) == (2, said(encoding))
