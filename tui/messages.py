"""Messages that carry database answers from worker threads back to the screens."""

from __future__ import annotations

from dataclasses import dataclass

from typing import TYPE_CHECKING

from textual.message import Message

from tui.db.callbacks.queue import QueuePage

if TYPE_CHECKING:  # not imported at start-up: the first screen needs none of them
    from tui.db.boards.boards import Board
    from tui.db.boards.drill import DrillPage
    from tui.db.members.card import MemberCard
    from tui.reports.eod import EodSummary


@dataclass
class QueueLoaded(Message):
    page: QueuePage
    #: which read this answers: a slower, older read must not overwrite a newer one
    read: int = 0


@dataclass
class WorkFailed(Message):
    """A database job failed; `text` is the one line to show."""

    text: str


@dataclass
class RulesRan(Message):
    """The daily callback rules ran in the background: the queue should be read again."""

    inserted: int



@dataclass
class CardLoaded(Message):
    card: MemberCard


@dataclass
class BoardLoaded(Message):
    """A leaderboard read in a worker; `read` numbers it, as QueueLoaded's does."""

    board: Board
    read: int = 0


@dataclass
class DrillLoaded(Message):
    """One page of what is behind a leaderboard figure."""

    page: DrillPage
    read: int = 0


@dataclass
class EodLoaded(Message):
    """The end-of-day figures read in a worker; `read` numbers it, as QueueLoaded's does."""

    summary: EodSummary
    read: int = 0


@dataclass
class EodPrinted(Message):
    """The sheet went to the printer as `job`, or did not: `error` says why and `saved_to`
    where the sheet was written instead."""

    printer: str
    job: str = ""
    error: str = ""
    saved_to: str = ""
