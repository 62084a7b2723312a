"""The archive's 20/80 completeness score: hard fields weigh 0.2, soft fields 0.8, and the
missing field a guide can ask for that raises the score most (settings [archive]).

Which fields are filled is decided in tui.db.archive_log, the same test the leaderboards'
SQL makes.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.db.archive_log import is_filled
from tui.settings import ArchiveSettings

#: fields a guide cannot ask for: they follow from the purchases
DERIVED_FIELDS = frozenset({"total_spend", "products_bought"})


@dataclass(frozen=True)
class Completeness:
    hard_filled: int
    hard_total: int
    soft_filled: int
    soft_total: int
    score: float  #: 0..1: hard_weight × hard share + soft_weight × soft share
    missing: tuple[str, ...]  #: empty fields, soft first (each is worth more), settings order
    ask_next: str | None  #: the missing field a guide can ask for that raises the score most

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def archive_completeness(fields: dict[str, object], archive: ArchiveSettings) -> Completeness:
    """0.2 × filled hard / hard fields + 0.8 × filled soft / soft fields (weights from settings)."""
    hard = [f for f in archive.hard_fields if is_filled(fields.get(f))]
    soft = [f for f in archive.soft_fields if is_filled(fields.get(f))]
    score = (archive.hard_weight * len(hard) / len(archive.hard_fields)
             + archive.soft_weight * len(soft) / len(archive.soft_fields))
    missing_soft = [f for f in archive.soft_fields if f not in soft]
    missing_hard = [f for f in archive.hard_fields if f not in hard]
    soft_gain = archive.soft_weight / len(archive.soft_fields)
    hard_gain = archive.hard_weight / len(archive.hard_fields)
    first, second = (missing_soft, missing_hard) if soft_gain >= hard_gain else (missing_hard,
                                                                                   missing_soft)
    askable = [f for f in first + second if f not in DERIVED_FIELDS]
    return Completeness(len(hard), len(archive.hard_fields), len(soft), len(archive.soft_fields),
                        score, tuple(first + second), askable[0] if askable else None)
