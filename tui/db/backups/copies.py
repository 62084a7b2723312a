"""Backups while the shop is open, their rotation, and restore.

A backup is SQLite's online backup of the live database, taken in one step inside one
read transaction, so it is the database as it was at one moment while others go on
writing (WAL). It is written as a hidden .partial file with the shop's mode, checked
with `PRAGMA integrity_check`, synced, and only then given its name,
shopfloor-YYYYMMDD-HHMMSS.db (shop time): a backup that fails leaves no file behind.

A restore checks the copy, refuses while anyone has the database open (tui.db.backups.sessions),
first backs up the database it replaces, then builds the new file beside the live one
and renames it into place; the old -wal and -shm go first so they can never meet the
new file. Killed at any moment, the live name holds the old database or the new one.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tui.db.migrations import SCHEMA_VERSION
from tui.db.backups.sessions import alone
from tui.errors import ShopfloorError
from tui.files import create_private
from tui.i18n import N_, _

#: the name of a backup; the -N is a second backup within the same second
NAME = re.compile(r"shopfloor-(\d{8})-(\d{6})(?:-(\d+))?\.db")

#: tables every Shopfloor database has, from the first schema on
_OURS = {"member", "staff", "callback", "contact"}


class BackupError(ShopfloorError):
    """A backup or restore that could not be done; str() is the one line to print."""


@dataclass(frozen=True)
class Rotation:
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _why(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    if "disk is full" in text or "No space left" in text:
        return _("the disk is full")
    return text


def _copy(source: Path, partial: Path, group: str, mode: int | None = None) -> None:
    """SOURCE's database, as at one moment, into the new file PARTIAL, checked and synced;
    PARTIAL is removed when anything fails."""
    try:
        os.close(create_private(partial, group))
        if mode is not None:
            os.chmod(partial, mode)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(partial)
            try:
                src.backup(dest)  # every page in one step: one read transaction, one moment
                dest.execute("PRAGMA journal_mode = DELETE")  # a lone file, no -wal beside it
                check = dest.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dest.close()
        finally:
            src.close()
        if check != "ok":
            raise BackupError(_("the copy failed its integrity check ({check})").format(check=check))
        _fsync(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


_PARTIAL = re.compile(r"\.shopfloor-.*\.(\d+)\.partial")


def _sweep(folder: Path) -> None:
    """Remove what killed backups left: a .partial whose process is gone."""
    for path in folder.glob(".shopfloor-*.partial"):
        found = _PARTIAL.fullmatch(path.name)
        if found and not _alive(int(found[1])):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def take_backup(db_path: Path, folder: Path, when: datetime, group: str = "") -> Path:
    """Back up DB_PATH into FOLDER, named by WHEN (shop time); return the backup's path."""
    if not db_path.is_file():
        raise BackupError(_("{path}: no database here to back up").format(path=db_path))
    if not folder.is_dir():
        raise BackupError(_("{folder}: the backup folder does not exist; create it, or mount "
                            "the disk it is on").format(folder=folder))
    stem = f"shopfloor-{when:%Y%m%d-%H%M%S}"
    target, n = folder / f"{stem}.db", 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{n}.db"
    _sweep(folder)
    partial = folder / f".{target.name}.{os.getpid()}.partial"
    try:
        _copy(db_path, partial, group)
        os.link(partial, target)  # never over a backup that appeared meanwhile
        partial.unlink()
        _fsync(folder)
    except BackupError as exc:
        raise BackupError(_("backup not written: {why}").format(why=exc)) from None
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(_("backup not written to {folder}: {why}").format(
            folder=folder, why=_why(exc))) from None
    return target


def backup_time(path: Path) -> datetime | None:
    found = NAME.fullmatch(path.name)
    if not found:
        return None
    try:
        return datetime.strptime(found[1] + found[2], "%Y%m%d%H%M%S")
    except ValueError:
        return None


def to_keep(times: list[datetime], rotation: Rotation) -> set[datetime]:
    """The backups a rotation keeps: the newest of each of the last KEEP_DAILY days that
    have one, of the last KEEP_WEEKLY ISO weeks, of the last KEEP_MONTHLY months."""
    keep: set[datetime] = set()
    for count, period in ((rotation.keep_daily, lambda t: t.date()),
                          (rotation.keep_weekly, lambda t: t.isocalendar()[:2]),
                          (rotation.keep_monthly, lambda t: (t.year, t.month))):
        newest: dict[object, datetime] = {}
        for t in times:
            key = period(t)
            if key not in newest or t > newest[key]:
                newest[key] = t
        for key in sorted(newest, reverse=True)[:count]:
            keep.add(newest[key])
    return keep


def rotate(folder: Path, rotation: Rotation) -> list[Path]:
    """Remove the backups in FOLDER the rotation does not keep; return them. Only files
    named as backups are ever touched."""
    backups = {p: t for p in folder.iterdir() if p.is_file() and (t := backup_time(p))}
    keep = to_keep(list(backups.values()), rotation)
    gone = []
    for path, t in sorted(backups.items(), key=lambda item: item[1]):
        if t not in keep:
            path.unlink(missing_ok=True)
            gone.append(path)
    return gone


def check_copy(path: Path) -> int:
    """The schema version of a copy fit to restore; BackupError says why one is not."""
    if not path.is_file():
        raise BackupError(_("{path}: no such file").format(path=path))
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise BackupError(_("{path}: not a database file").format(path=path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = con.execute("PRAGMA integrity_check").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise BackupError(_("{path}: cannot be read as a database ({why})").format(
            path=path, why=exc)) from None
    if check != "ok":
        raise BackupError(_("{path}: damaged ({check}); pick another backup").format(
            path=path, check=check))
    if version < 1 or not _OURS <= tables:
        raise BackupError(_("{path}: not a Shopfloor database").format(path=path))
    if version > SCHEMA_VERSION:
        raise BackupError(_("{path}: schema version {version} is newer than this program knows "
                            "({known}); install the newer Shopfloor to restore it").format(
            path=path, version=version, known=SCHEMA_VERSION))
    return version


@dataclass(frozen=True)
class Restored:
    saved: Path | None  #: the backup of the database it replaced
    version: int  #: the restored copy's schema version (upgraded when next opened)


def restore(copy: Path, db_path: Path, folder: Path, when: datetime, group: str = "") -> Restored:
    """Put COPY in place of DB_PATH, the current database saved into FOLDER first."""
    version = check_copy(copy)
    if copy.resolve() == db_path.resolve():
        raise BackupError(_("{path}: that is the database itself; give a backup's path")
                          .format(path=copy))
    with alone(db_path, N_("restore")):
        try:
            saved = take_backup(db_path, folder, when, group) if db_path.exists() else None
        except BackupError as exc:
            raise BackupError(_("not restored: the database it would replace could not be "
                                "backed up first ({why})").format(why=exc)) from None
        mode = db_path.stat().st_mode & 0o777 if db_path.exists() else None
        partial = db_path.with_name(f".{db_path.name}.restoring")
        partial.unlink(missing_ok=True)  # a killed restore's; nobody else can be restoring
        try:
            _copy(copy, partial, group, mode)
        except BackupError as exc:
            raise BackupError(_("not restored: {why}").format(why=exc)) from None
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(_("not restored: the copy could not be written beside {path}: "
                                "{why}").format(path=db_path, why=_why(exc))) from None
        # Nobody has the database open: its WAL, if any, belongs to a killed session.
        # Checkpoint it into the old file (already backed up), then never let it near the new.
        if db_path.exists():
            con = sqlite3.connect(db_path)
            try:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                con.close()
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(partial, db_path)
        _fsync(db_path.parent)
    return Restored(saved=saved, version=version)


def note_restore(by: str, copy: Path, saved: Path | None, now: datetime) -> None:
    """The audit line of a restore, in the restored database (open): who, from what, and
    where the database it replaced was kept. The restorer may not be on an older copy's
    staff list, so the line names them."""
    from tui.db.audit import audit
    from tui.db.models import database

    with database.atomic():
        audit(None, now, "restore", str(copy),
              f"by {by}; the database it replaced is kept in {saved}" if saved else f"by {by}")


__all__ = ["BackupError", "NAME", "Restored", "Rotation", "backup_time", "check_copy",
           "note_restore", "restore", "rotate", "take_backup", "to_keep"]
