"""Messages that carry database answers from worker threads back to the screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.db.members import MemberCard
from tui.db.queue import QueuePage


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
