"""The one base for an expected mistake, and the log for the unexpected ones.

A `ShopfloorError` is something a person did or met that the program foresaw: a PIN that
does not match, a phone already on file, a printer that is off. Its message is written for
people and is shown as it is — on a screen, on the CLI's stderr — with no traceback. Every
domain's own errors (PlanError, ContactError, PrintError, …) derive from it, keeping the
built-in base they had (ValueError, PermissionError, …).

Anything else that escapes a worker is a fault: `log_fault` writes its traceback to
shopfloor.log beside the database and gives the one line to show instead.
"""

from __future__ import annotations

import logging
from pathlib import Path

from tui.i18n import N_, _

LOG_NAME = "shopfloor.log"
_log = logging.getLogger("shopfloor")
_log_path: Path | None = None


class ShopfloorError(Exception):
    """An expected mistake: str() is the one line a person reads, shown as it is."""


def use_log_folder(folder: Path) -> None:
    """Faults are written to shopfloor.log in `folder` (the database's), opened on the first."""
    global _log_path
    _log_path = folder / LOG_NAME


def _log_to(path: Path | None) -> None:
    """The log writes to `path` (opened on the first fault), or nowhere."""
    for old in list(_log.handlers):
        _log.removeHandler(old)
        old.close()
    handler: logging.Handler = logging.NullHandler()
    if path is not None:
        handler = logging.FileHandler(path, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.name = str(path)
    _log.addHandler(handler)
    _log.propagate = False


def fault_words(error: BaseException, doing: str) -> str:
    """The one line for a failed job: an expected mistake as it is; a fault as `doing` and
    the error, its traceback logged (shopfloor.log beside the database)."""
    if isinstance(error, ShopfloorError):
        return str(error)
    if not _log.handlers or _log.handlers[0].name != str(_log_path):
        _log_to(_log_path)
    _log.error("%s", doing, exc_info=(type(error), error, error.__traceback__))
    where = _("; details in {path}").format(path=_log_path) if _log_path is not None else ""
    if damaged(error):
        return _("{doing}: {damaged}{where}.").format(doing=doing, damaged=_(DAMAGED), where=where)
    if full(error):
        return _("{doing}: the disk is full; nothing was saved. Free some space and try "
                 "again{where}.").format(doing=doing, where=where)
    if "readonly database" in str(error):
        return _("{doing}: the database is read-only here; it can be read, not changed.").format(
            doing=doing)
    return _("{doing}: {error}. Try again{where}.").format(doing=doing, error=error, where=where)


#: what to say of a database file SQLite finds damaged (translated where it is said)
DAMAGED = N_("the database file is damaged; restore the newest backup "
             "(shopfloor restore FILE --as NAME)")


def damaged(error: BaseException) -> bool:
    """Did SQLite find the file damaged ("database disk image is malformed")?"""
    text = str(error)
    return "malformed" in text or "file is not a database" in text and "disk image" in text


def full(error: BaseException) -> bool:
    """Did the disk refuse the write? SQLite says so, or only that its rollback found no
    transaction, after a full disk had already ended it."""
    text = str(error)
    return "database or disk is full" in text or "No space left" in text
