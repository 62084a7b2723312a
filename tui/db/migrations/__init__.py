"""Numbered schema migrations, one file a migration (m01_first_schema …
m14_imports), and the runner. The version lives in SQLite's `user_version`.

Each migration is frozen SQL, written once and never edited (with a Python step where
SQL cannot compute a value, such as pinyin): a database made by an older release
replays exactly the steps it missed. Before an existing database is upgraded, a backup
copy is written beside it. A new migration is a new file `mNN_what.py` with `ABOUT` and
`STEPS`, added to `_MODULES` below.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from peewee import SqliteDatabase

from tui.clock import system_now
from tui.db.migrations import (m01_first_schema, m02_member_value, m03_queue_indexes,
                               m04_name_keys, m05_notes, m06_lookup_indexes, m07_audit_log,
                               m08_sign_in, m09_leaderboards, m10_pdca,
                               m11_campaign_spread, m12_staff_language, m13_products, m14_imports)
from tui.errors import DAMAGED, ShopfloorError, damaged
from tui.files import create_private
from tui.i18n import _


class SchemaError(ShopfloorError):
    """The file cannot be used as a Shopfloor database; str() is the one line to print."""


_MODULES = (m01_first_schema, m02_member_value, m03_queue_indexes, m04_name_keys, m05_notes,
            m06_lookup_indexes, m07_audit_log, m08_sign_in, m09_leaderboards, m10_pdca,
            m11_campaign_spread, m12_staff_language, m13_products, m14_imports)

#: (number, what it does, its steps), oldest first; the number is the file's
MIGRATIONS: list[tuple[int, str, tuple]] = [
    (int(m.__name__.rsplit(".", 1)[1][1:3]), m.ABOUT, tuple(m.STEPS)) for m in _MODULES]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def schema_version(db: SqliteDatabase) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def _backup(db: SqliteDatabase, path: Path, version: int) -> Path:
    """Copy the whole database (WAL included) beside itself before changing its schema:
    written as .partial with the database's own mode, renamed when complete; a copy that
    does not fit leaves nothing behind and stops the upgrade."""
    stamp = system_now().strftime("%Y%m%d%H%M%S")  # names the file only; decides nothing
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        os.close(create_private(partial))
        os.chmod(partial, path.stat().st_mode & 0o777)  # the group may read it as it reads the database
        dest = sqlite3.connect(partial)
        try:
            db.connection().backup(dest)
        finally:
            dest.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        words = getattr(exc, "strerror", None) or str(exc)
        raise SchemaError(_("{path}: not upgraded: the copy kept before an upgrade could not be "
                            "written beside it ({words}); free some space and open it again")
                          .format(path=path, words=words)) from None
    return target


def writable(path: Path) -> bool:
    """Can this process change the database at PATH (the file, and its folder for the
    -wal and -shm)? Not on a read-only disk or without the permission."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def read_only_uri(path: Path) -> str:
    """The URI that opens PATH only to read. A WAL database whose -shm does not exist and
    cannot be made (a read-only disk, nobody else has it open) is opened as immutable:
    nobody can be writing to it then."""
    uri = f"file:{quote(str(path))}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
        uri += "&immutable=1"
    return uri


def check_usable(path: Path) -> None:
    """Refuse a file that is not ours before anything (even a pragma) changes it."""
    if not path.exists():
        return
    if not path.is_file():
        raise SchemaError(_("{path}: not a database file (a folder or a device); give the "
                            "database file's path").format(path=path))
    if path.stat().st_size == 0:
        raise SchemaError(_("{path}: an empty file, not a shop's database; give the right "
                            "--db, or remove the empty file").format(path=path))
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if damaged(exc):
            raise SchemaError(_("{path}: {damaged}").format(path=path,
                                                            damaged=_(DAMAGED))) from None
        raise SchemaError(_("{path}: cannot open as a database: {error}").format(
            path=path, error=exc)) from None
    _refuse_foreign(path, version, tables)
    if version < SCHEMA_VERSION and not writable(path):
        raise SchemaError(_("{path}: read-only here, and made by an older release; open it "
                            "once where it can be written, to upgrade it").format(path=path))


def _refuse_foreign(path: Path, version: int, tables: int) -> None:
    if version > SCHEMA_VERSION:
        raise SchemaError(_("{path}: schema version {version} is newer than this program "
                            "knows ({known}); install the newer Shopfloor").format(
            path=path, version=version, known=SCHEMA_VERSION))
    if version == 0 and tables:
        raise SchemaError(_("{path}: not a Shopfloor database (it has tables but no schema "
                            "version)").format(path=path))


def migrate(db: SqliteDatabase, path: Path) -> Path | None:
    """Bring the database up to SCHEMA_VERSION; return the backup made, if any."""
    version = schema_version(db)
    if version == SCHEMA_VERSION:
        return None
    tables = db.execute_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    _refuse_foreign(path, version, tables)
    backup = _backup(db, path, version) if version > 0 else None
    for number, _about, statements in MIGRATIONS:
        # IMMEDIATE: a second session opening at the same moment waits, then sees
        # the new version and skips the step instead of applying it twice.
        with db.atomic("IMMEDIATE"):
            if schema_version(db) >= number:
                continue
            for step in statements:
                # SQL, or a Python step for what SQL cannot compute (pinyin)
                step(db) if callable(step) else db.execute_sql(step)
            db.execute_sql(f"PRAGMA user_version = {number}")
    return backup
