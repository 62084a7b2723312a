"""`shopfloor backup` and `shopfloor restore FILE`: the shop's archive kept safe.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import EXIT_NOT_DONE, UsageError, acting_id, add_acting, open_existing
from tui.i18n import N_, _, ngettext
from tui.clock import Clock, shop_time
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    backup = sub.add_parser(
        "backup", parents=[common],
        help=_("copy the database while the shop works on, checked, into the backup folder"))
    backup.add_argument("--to", metavar="DIR", type=Path, default=None,
                        help=_("the folder to write to (default: [backup] dir in settings)"))
    restore = sub.add_parser(
        "restore", parents=[common],
        help=_("put a backup in place of the database (a manager; the current one is backed up first)"))
    restore.add_argument("file", metavar="FILE", type=Path, help=_("the backup to restore"))
    add_acting(restore, _("the manager restoring (needed)"))


def _megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1_000_000:.1f} MB"


def cmd_backup(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    """A file-level copy by the system user who owns the database: it prints no personal
    data, so it asks for no PIN (the nightly cron line runs it)."""
    from tui.db.backups.copies import BackupError, Rotation, rotate, take_backup

    path = settings.database.path
    if not path.is_file():
        raise UsageError(_("{path}: no database here to back up; pick one with --db")
                         .format(path=path))
    folder = (args.to.expanduser().resolve() if args.to else settings.backup.dir)
    keep = settings.backup
    try:
        made = take_backup(path, folder, shop_time(clock.now(), clock.zone),
                           settings.database.file_group)
        gone = rotate(folder, Rotation(keep.keep_daily, keep.keep_weekly, keep.keep_monthly))
    except BackupError as exc:
        print(f"shopfloor: {exc}", file=sys.stderr)
        return EXIT_NOT_DONE
    print(ngettext("Backed up to {file} ({size}, integrity checked); {n} older backup removed "
                   "by the rotation.",
                   "Backed up to {file} ({size}, integrity checked); {n} older backups removed "
                   "by the rotation.", len(gone)).format(file=made, size=_megabytes(made),
                                                         n=len(gone)))
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.audit import require_manager
    from tui.db.backups.copies import BackupError, check_copy, note_restore, restore
    from tui.db.connection import close_database, open_database

    path = settings.database.path
    copy = args.file.expanduser().resolve()
    try:
        check_copy(copy)  # a bad file is said before anyone is asked for a PIN
    except BackupError as exc:
        print("shopfloor: " + _("not restored: {why}").format(why=exc), file=sys.stderr)
        return EXIT_NOT_DONE
    open_existing(settings)
    staff_id = acting_id(args, settings, clock, "restore")
    who = require_manager(staff_id, N_("restore the database")).name  # refused: main audits it
    close_database()
    now = clock.now()
    try:
        done = restore(copy, path, settings.backup.dir, shop_time(now, clock.zone),
                       settings.database.file_group)
    except BackupError as exc:
        print(f"shopfloor: {exc}", file=sys.stderr)
        return EXIT_NOT_DONE
    open_database(path, settings.database.busy_timeout_ms,
                  group=settings.database.file_group)  # an older copy is upgraded here
    note_restore(who, copy, done.saved, now)
    close_database()
    if done.saved:
        print(_("Restored {copy} into {path}; the database it replaced is kept in {saved}.")
              .format(copy=copy, path=path, saved=done.saved))
    else:
        print(_("Restored {copy} into {path}.").format(copy=copy, path=path))
    return 0


COMMANDS = {"backup": cmd_backup, "restore": cmd_restore}
