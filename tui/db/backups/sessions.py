"""Who holds the database: every process that opens it joins here, so that a restore or
a demo rebuild can refuse while anyone is at work on it, and say who.

Beside shop.db is the folder shop.db.sessions/ (0700). Each open session holds a shared
lock on its `gate` file and an exclusive lock on its own `<pid>.who`, which says who it
is; what replaces the file takes the gate exclusively, which no session can then join.
The kernel drops a killed process's locks, so a session that died never blocks anyone.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tui.errors import ShopfloorError
from tui.i18n import _


class DatabaseHeld(ShopfloorError):
    """Someone else has the database open, or a restore has it; str() says who."""


_held: dict[str, object] = {}
#: what the app is called in a session's facts, before anyone signs in
APP = "shopfloor"


def folder(db_path: Path) -> Path:
    return Path(f"{db_path}.sessions")


def join(db_path: Path, what: str) -> None:
    """Register this process as a session on DB_PATH (leaving any other first).

    A folder that cannot be written (a read-only copy) registers nothing: nothing can be
    swapped in there either."""
    leave()
    place = folder(db_path)
    try:
        place.mkdir(mode=0o700, exist_ok=True)
        gate = os.open(place / "gate", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        return
    try:
        fcntl.flock(gate, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(gate)
        raise DatabaseHeld(_("{path}: a restore or a demo rebuild is under way; try again "
                             "in a minute").format(path=db_path)) from None
    who_path = place / f"{os.getpid()}.who"
    who = os.open(who_path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    fcntl.flock(who, fcntl.LOCK_EX)
    _held.update(gate=gate, who=who, path=who_path)
    describe(what)


def describe(what: str, person: str | None = None) -> None:
    """Say who this session is, for a restore that has to refuse: the command ("shopfloor
    queue"), or the person signed in to the app. Kept as facts, not words: whoever reads
    them (`others`) says them in their own language."""
    who = _held.get("who")
    if who is None:
        return
    facts = {"what": what, "person": person, "pid": os.getpid(), "since": time.strftime("%H:%M")}
    os.ftruncate(who, 0)
    os.pwrite(who, json.dumps(facts, ensure_ascii=False).encode("utf-8"), 0)


def _said(text: str) -> str:
    """A session's facts in the language spoken: "张丽 in the app (process 812, since 09:30)"."""
    try:
        facts = json.loads(text)
        what, person, pid, since = facts["what"], facts["person"], facts["pid"], facts["since"]
    except (ValueError, TypeError, KeyError):
        return text  # a session of an older version: its own words
    if person:
        what = _("{name} in the app").format(name=person)
    elif what == APP:
        what = _("the app, nobody signed in")
    return _("{what} (process {pid}, since {since})").format(what=what, pid=pid, since=since)


def leave() -> None:
    who_path = _held.pop("path", None)
    for key in ("who", "gate"):
        fd = _held.pop(key, None)
        if fd is not None:
            os.close(fd)
    if who_path is not None:
        Path(who_path).unlink(missing_ok=True)


def others(db_path: Path) -> list[str]:
    """What each other live session on DB_PATH says it is; a dead one's file is removed."""
    found = []
    place = folder(db_path)
    for path in sorted(place.glob("*.who")) if place.is_dir() else ():
        if path == _held.get("path"):
            continue
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # alive
                found.append(_said(os.pread(fd, 4096, 0).decode("utf-8", "replace").strip())
                             or path.stem)
            else:
                path.unlink(missing_ok=True)
        finally:
            os.close(fd)
    return found


@contextmanager
def alone(db_path: Path, doing: str) -> Iterator[None]:
    """Hold DB_PATH with no session open on it and none able to join, or refuse in one
    line naming who is at work; for replacing the file under everyone."""
    leave()
    place = folder(db_path)
    place.mkdir(mode=0o700, exist_ok=True)
    gate = os.open(place / "gate", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(gate, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = others(db_path)
            raise DatabaseHeld(_("{path}: cannot {doing} while it is open: {who}; close it "
                                 "first").format(path=db_path, doing=_(doing),
                                                 who="; ".join(who) or _("another session"))
                               ) from None
        yield
    finally:
        os.close(gate)
