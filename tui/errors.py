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
    where = f"; details in {_log_path}" if _log_path is not None else ""
    return f"{doing}: {error}. Try again{where}."
