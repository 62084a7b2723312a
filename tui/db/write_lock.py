"""Taking SQLite's write lock: every write transaction (BEGIN IMMEDIATE) waits its turn.

SQLite's own busy handler is not fair: a waiting session sleeps longer and longer (up to
100 ms a time) while the session that just committed takes the lock again at once; with
eight sessions one saved thousands of writes while others saved one, and a write waited
the whole busy timeout for "database is locked". Here a write that finds the lock taken
is refused at once and tries again after a short random pause (from half a millisecond,
doubling to at most a few), so every waiting session looks again within a few
milliseconds of the lock coming free, until the bound (the busy timeout of settings)
has passed. Only BEGIN is retried: nothing of the transaction has happened yet, so
trying again is always safe. Every write path gets it, since `models.database` is a
`ShopDatabase` and `database.atomic("IMMEDIATE")` begins here.
"""

from __future__ import annotations

import logging
import random
import time

from peewee import OperationalError, SqliteDatabase

from tui.i18n import _

#: the first pause after a refused BEGIN and the longest: a write holds the lock for a
#: millisecond or a few, so a session waiting looks again about as often
FIRST_PAUSE_S = 0.0005
LONGEST_PAUSE_S = 0.004

_log = logging.getLogger("shopfloor")


class LockWaitOver(OperationalError):
    """The write lock was not free within the wait: "database is locked", said in the
    language spoken (a person reads it), so it is known by its class, not its words."""


def is_busy(error: BaseException) -> bool:
    """SQLITE_BUSY: another session holds the lock (a full disk or a damaged file is not)."""
    return isinstance(error, LockWaitOver) or (
        isinstance(error, OperationalError) and "database is locked" in str(error))


class ShopDatabase(SqliteDatabase):
    """The shop's SQLite database: write transactions begin through `take_write_lock`."""

    #: how long a write may wait for the lock before it gives up; set by `init` from the
    #: busy timeout
    write_wait_s = 5.0

    def init(self, database, pragmas=None, timeout=5, **kwargs):
        self.write_wait_s = timeout
        super().init(database, pragmas=pragmas, timeout=timeout, **kwargs)

    def begin(self, lock_type=None, wait_s: float | None = None):
        """BEGIN; a write transaction's (IMMEDIATE, EXCLUSIVE) through `take_write_lock`,
        waiting at most `wait_s` (`atomic("IMMEDIATE", wait_s=…)`), else the busy timeout."""
        lock = (lock_type or self._lock_type or "").upper()
        if lock not in ("IMMEDIATE", "EXCLUSIVE"):
            return super().begin(lock_type)
        self.take_write_lock(lock, self.write_wait_s if wait_s is None else wait_s)

    def take_write_lock(self, lock: str, wait_s: float) -> None:
        """BEGIN `lock`, tried again after a short random pause while another session
        holds the lock, for at most `wait_s`; then OperationalError "database is locked"."""
        cursor = self.cursor()
        # SQLite's busy handler off for the BEGIN alone: the pauses are ours
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            deadline = time.monotonic() + wait_s
            pause = FIRST_PAUSE_S
            while True:
                try:
                    super().begin(lock)
                    return
                except OperationalError as exc:
                    if not is_busy(exc):
                        raise
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise LockWaitOver(
                            _("database is locked: another session kept the write lock "
                              "for {seconds:g} s").format(seconds=wait_s)) from None
                time.sleep(min(left, random.uniform(pause / 2, pause)))
                pause = min(pause * 2, LONGEST_PAUSE_S)
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(self.write_wait_s * 1000)}")

    def rollback(self):
        """ROLLBACK, unless SQLite has already rolled the transaction back itself (a full
        disk, an I/O error do): then "cannot rollback - no transaction is active" would
        hide the error that says what happened."""
        if not self.is_closed() and not self.connection().in_transaction:
            return
        super().rollback()

    def optimize(self, wait_s: float = 0.5) -> bool:
        """PRAGMA optimize (fresh statistics for the query planner) in a write transaction
        of its own, waiting its turn like any other write: its ANALYZE needs the write
        lock. If the lock is not free within `wait_s`, or the optimize fails at all, it is
        skipped and logged: statistics a day older never turn finished work into a
        failure. True if it ran."""
        try:
            with self.atomic("IMMEDIATE", wait_s=wait_s):
                self.execute_sql("PRAGMA optimize")
            return True
        except OperationalError as exc:
            _log.info("PRAGMA optimize skipped: %s", exc)
            return False
