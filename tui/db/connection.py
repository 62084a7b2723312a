"""Opening the shop's database: late initialisation, pragmas, and the schema brought up to date."""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import AbstractContextManager
from pathlib import Path

from peewee import DatabaseError, OperationalError, SqliteDatabase

from tui.db.migrations import SchemaError, check_usable, migrate, read_only_uri, writable
from tui.db.models import DEMO_KEY, Meta, database  # DEMO_KEY: the demo build marks its shop with it
from tui.db.backups.sessions import APP, join, leave
from tui.errors import DAMAGED, damaged
from tui.files import create_private
from tui.i18n import _

#: what a database busy past the timeout, or a disk that refuses, raises: callers above
#: the db catch this name, never peewee's
DatabaseUnavailable = OperationalError
#: any other refusal by SQLite (a damaged file): callers catch this name, never peewee's
DatabaseFault = DatabaseError


def snapshot() -> AbstractContextManager:
    """One transaction to read in: every query inside sees the same database."""
    return database.atomic()


def demo_note() -> str | None:
    """The demo shop's note for the sign-in screen (its PINs); None in a real shop."""
    row = Meta.get_or_none(Meta.key == DEMO_KEY)
    return row.value if row is not None else None


def is_demo_shop(path: Path) -> bool:
    """Is the database at PATH a demo shop (the demo build marks it), read without
    changing it? A real shop's database, or a file that is none, is not."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute("SELECT 1 FROM meta WHERE key = ?", (DEMO_KEY,)).fetchone() is not None
        finally:
            con.close()
    except sqlite3.Error:
        return False


def pragmas(busy_timeout_ms: int) -> dict[str, object]:
    # WAL lets readers go on while one session writes; NORMAL is durable enough
    # with WAL and much faster; the busy timeout lets concurrent writers queue.
    return {
        "journal_mode": "wal",
        "synchronous": "normal",
        "foreign_keys": 1,
        "busy_timeout": busy_timeout_ms,
        "cache_size": -32_000,
        # read pages straight from the OS cache: the queue's scan touches thousands of
        # member rows, and a syscall per page doubled its time on a cold start
        "mmap_size": 256 * 2**20,
    }


def open_database(path: str | Path, busy_timeout_ms: int = 5000, *, group: str = "",
                  what: str | None = "") -> SqliteDatabase:
    """Initialise the shared `database` on PATH, create or upgrade its schema, return it.

    A new file is created owner-only (0600; 0660 with the shop's GROUP), before SQLite
    makes it, so its -wal and -shm are too. This process joins the database's sessions
    as WHAT (tui.db.backups.sessions), so a restore can say who is at work; WHAT None joins none,
    for a file no one else knows of yet (the demo being built).

    Raises SchemaError with a one-line message when the file cannot be used.
    """
    path = Path(path)
    if path.is_dir():
        raise SchemaError(_("{path}: is a folder; give the database file's path").format(
            path=path))
    if not path.parent.is_dir():
        raise SchemaError(_("{path}: folder {folder} does not exist").format(
            path=path, folder=path.parent))
    check_usable(path)
    if not database.is_closed():
        close_database()
    if not path.exists():
        try:
            os.close(create_private(path, group))
        except FileExistsError:
            pass  # another session made it first
        except OSError as exc:
            raise SchemaError(_("{path}: cannot create the database ({why})").format(
                path=path, why=exc.strerror or exc)) from None
    if what is not None:
        join(path, what or _what_this_is())
    if writable(path):
        database.init(str(path), pragmas=pragmas(busy_timeout_ms), timeout=busy_timeout_ms / 1000)
    else:  # a read-only disk or file: lookups, the queue and reports still work
        database.init(read_only_uri(path), uri=True, timeout=busy_timeout_ms / 1000,
                      pragmas={k: v for k, v in pragmas(busy_timeout_ms).items()
                               if k not in ("journal_mode", "synchronous")})
    try:
        database.connect(reuse_if_open=True)
        migrate(database, path)
    except (sqlite3.DatabaseError, DatabaseError) as exc:
        close_database()
        if damaged(exc):
            raise SchemaError(_("{path}: {damaged}").format(path=path, damaged=_(DAMAGED))) from None
        # SQLite's own words after the colon (it has no others)
        raise SchemaError(_("{path}: cannot open as a database: {error}").format(
            path=path, error=exc)) from None
    except SchemaError:
        close_database()
        raise
    return database


def read_only() -> bool:
    """Is the open database only to be read (a read-only disk or file)?"""
    return "mode=ro" in (database.database or "")


def _what_this_is() -> str:
    command = [a for a in sys.argv[1:] if not a.startswith("-")][:1]
    return f"shopfloor {command[0]}" if command else APP


def close_database() -> None:
    if not database.is_closed():
        database.close()
    leave()


def data_version() -> int | None:
    """A number that moves whenever another connection commits to the file (SQLite's
    PRAGMA data_version on this thread's own connection): a read of shared memory, cheap
    enough to ask every few seconds whether an open screen is out of date. None when no
    database is open or it cannot answer now (the next look asks again)."""
    if database.database is None:
        return None
    try:
        return database.execute_sql("PRAGMA data_version").fetchone()[0]
    except DatabaseError:  # busy, or a file gone bad: what the next read will say
        return None
