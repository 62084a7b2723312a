"""Opening the shop's database: late initialisation, pragmas, and the schema brought up to date."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from contextlib import AbstractContextManager

from peewee import DatabaseError, OperationalError, SqliteDatabase

from tui.db.migrations import SchemaError, check_usable, migrate
from tui.db.models import DEMO_KEY, Meta, database  # DEMO_KEY: the demo build marks its shop with it

#: what a database busy past the timeout, or a disk that refuses, raises: callers above
#: the db catch this name, never peewee's
DatabaseUnavailable = OperationalError


def snapshot() -> AbstractContextManager:
    """One transaction to read in: every query inside sees the same database."""
    return database.atomic()


def demo_note() -> str | None:
    """The demo shop's note for the sign-in screen (its PINs); None in a real shop."""
    row = Meta.get_or_none(Meta.key == DEMO_KEY)
    return row.value if row is not None else None


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


def open_database(path: str | Path, busy_timeout_ms: int = 5000) -> SqliteDatabase:
    """Initialise the shared `database` on PATH, create or upgrade its schema, return it.

    Raises SchemaError with a one-line message when the file cannot be used.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise SchemaError(f"{path}: folder {path.parent} does not exist")
    check_usable(path)
    if not database.is_closed():
        database.close()
    database.init(str(path), pragmas=pragmas(busy_timeout_ms), timeout=busy_timeout_ms / 1000)
    try:
        database.connect(reuse_if_open=True)
        migrate(database, path)
    except (sqlite3.DatabaseError, DatabaseError) as exc:
        database.close()
        raise SchemaError(f"{path}: cannot open as a database: {exc}") from None
    except SchemaError:
        database.close()
        raise
    return database


def close_database() -> None:
    if not database.is_closed():
        database.close()
