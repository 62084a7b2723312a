"""The leaderboards (评比): every active guide ranked on one board for a period, and the
contacts, members or callbacks behind any figure.

Four boards: archive completeness, visits, callbacks done on time and follow-up
success. Each figure is worked out inside SQLite in a few set-based statements and is
exact: counts are integers, rates keep their numerator and denominator, averages and
gains are fractions. The definitions, word for word, are in docs/leaderboards.md; the
screen, `shopfloor leaderboard` and the end-of-day sheet all read them from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from zoneinfo import ZoneInfo

from tui.clock import stored_text
from tui.db.boards.figures import (BOARDS, NOT_REACHED, BoardError, Column, Figure, Rate,
                                   archive_gains, bits_source, callbacks_due_sql, check_board,
                                   contacts_with_deadline_sql, filled_counts, first_buy_sql,
                                   is_complete, sql_ids, weights)
from tui.db.boards.periods import Period
from tui.db.models import database
from tui.db.pinyin import name_order
from tui.db.staff import active_guides
from tui.i18n import _
from tui.settings import ArchiveSettings, Settings


@dataclass(frozen=True)
class BoardRow:
    rank: int  #: standard competition ranking: 1, 1, 3
    guide_id: int
    guide: str
    figures: dict[str, Figure]


@dataclass(frozen=True)
class Board:
    name: str
    title: str
    period: Period
    today: date
    columns: tuple[Column, ...]
    rank_by: str  #: the column the ranks are worked out on
    rows: tuple[BoardRow, ...]

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise BoardError(_("board {board} has no figure {figure!r}; one of {keys}").format(
            board=self.name, figure=key, keys=", ".join(c.key for c in self.columns)))


def sort_key(value: Figure) -> Fraction:
    if isinstance(value, Rate):
        return value.value
    return Fraction(value)


def ranked(rows: Sequence[tuple[int, str, dict[str, Figure]]], rank_by: str) -> tuple[BoardRow, ...]:
    """Best first; equal figures share a rank and the next rank skips (1, 1, 3); equal
    figures are listed by name, in pinyin order."""
    keyed = sorted(rows, key=lambda r: (-sort_key(r[2][rank_by]), name_order(r[1]), r[0]))
    out: list[BoardRow] = []
    for i, (gid, name, figures) in enumerate(keyed):
        if out and sort_key(out[-1].figures[rank_by]) == sort_key(figures[rank_by]):
            rank = out[-1].rank
        else:
            rank = i + 1
        out.append(BoardRow(rank, gid, name, figures))
    return tuple(out)


# -- shared pieces ---------------------------------------------------------------------


# -- archive completeness --------------------------------------------------------------


def archive_board_rows(period: Period, archive: ArchiveSettings) -> list[tuple[int, str, dict]]:
    guides = active_guides(by_name=True)
    ids = [g for g, _ in guides]
    source = bits_source()
    # without the stored bits every row is read anyway: one pass over the table beats
    # jumping from the owner index into it row by row
    scan = "" if source == "m.archive_bits" else "NOT INDEXED"
    sql = f"""
        SELECT m.owner_id, {source}, COUNT(*) FROM member m {scan}
        WHERE m.owner_id IN ({sql_ids(ids)}) AND m.erased_at IS NULL
        GROUP BY 1, 2"""
    # per owner: a count of members for each distinct set of filled fields; the sets are
    # few, so each is scored once
    sets: dict[int, dict[int, int]] = {g: {} for g in ids}
    for owner, bits, n in database.execute_sql(sql):
        sets[owner][bits] = n
    scored: dict[int, tuple[int, int, bool]] = {}
    for bits in {b for per_owner in sets.values() for b in per_owner}:
        hard, soft = filled_counts(bits, archive)
        scored[bits] = (hard, soft, is_complete(hard, soft, archive))
    gained = archive_gains(period, archive)
    per_hard, per_soft = weights(archive)
    rows = []
    for g, name in guides:
        n = hard_sum = soft_sum = complete = 0
        for bits, count in sets[g].items():
            hard, soft, done = scored[bits]
            n += count
            hard_sum += hard * count
            soft_sum += soft * count
            complete += count if done else 0
        quality = (per_hard * hard_sum + per_soft * soft_sum) / n if n else Fraction(0)
        rows.append((g, name, {"members": n, "complete": complete, "quality": quality,
                               "gained": gained.get(g, Fraction(0))}))
    return rows


# -- visits -------------------------------------------------------------------------------

def visits_board_rows(period: Period) -> list[tuple[int, str, dict]]:
    guides = active_guides(by_name=True)
    ids = [g for g, _ in guides]
    not_reached = ",".join(f"'{o}'" for o in NOT_REACHED)
    sql = f"""
        SELECT c.staff_id, COUNT(*),
               COUNT(DISTINCT CASE WHEN c.outcome NOT IN ({not_reached}) THEN c.member_id END),
               SUM(c.care <> 0)
        FROM contact c
        WHERE c.staff_id IN ({sql_ids(ids)}) AND c.contacted_at >= ? AND c.contacted_at < ?
        GROUP BY c.staff_id"""
    got = {r[0]: r[1:] for r in database.execute_sql(sql, [stored_text(period.start), stored_text(period.end)])}
    return [(g, name, dict(zip(("contacts", "reached", "care"), got.get(g, (0, 0, 0)))))
            for g, name in guides]


# -- callbacks done on time --------------------------------------------------------------


def callbacks_board_rows(period: Period, today: date, zone: ZoneInfo) -> list[tuple[int, str, dict]]:
    guides = active_guides(by_name=True)
    ids = [g for g, _ in guides]
    sql, params = callbacks_due_sql(period, today, zone)
    sql = sql.format(
        cols="cb.owner_id, COUNT(*), "
             "SUM(cb.status = 'done' AND cb.closed_at < d.day_end), "
             "SUM(cb.status = 'done' AND cb.closed_at >= d.day_end), "
             "SUM(cb.status <> 'done')",
        mine=f"AND cb.owner_id IN ({sql_ids(ids)})") + " GROUP BY cb.owner_id"
    got = {r[0]: r[1:] for r in database.execute_sql(sql, params)}
    rows = []
    for g, name in guides:
        due, on_time, late, not_done = got.get(g, (0, 0, 0, 0))
        rows.append((g, name, {"on_time": on_time, "rate": Rate(on_time, due), "late": late,
                               "not_done": not_done}))
    return rows


# -- follow-up success ----------------------------------------------------------------------


def follow_up_board_rows(period: Period, zone: ZoneInfo, days: int) -> list[tuple[int, str, dict]]:
    guides = active_guides(by_name=True)
    ids = [g for g, _ in guides]
    _, bought = first_buy_sql()
    sql = contacts_with_deadline_sql(period, zone, days).format(
        cols=f"c.staff_id, COUNT(*), SUM({bought})",
        mine=f"AND c.staff_id IN ({sql_ids(ids)})") + " GROUP BY c.staff_id"
    got = {r[0]: r[1:] for r in database.execute_sql(sql)}
    rows = []
    for g, name in guides:
        contacts, followed = got.get(g, (0, 0))
        rows.append((g, name, {"contacts": contacts, "followed": followed,
                               "rate": Rate(followed, contacts)}))
    return rows


# -- one board ---------------------------------------------------------------------------------

def leaderboard(name: str, period: Period, settings: Settings, today: date,
                rank_by: str | None = None) -> Board:
    """Board `name` for the period, every active guide on it, ranked on `rank_by` (default:
    the board's own figure). Read in one transaction: one consistent picture."""
    title, columns, default = check_board(name, settings)
    rank_by = rank_by or default
    if rank_by not in {c.key for c in columns}:
        raise BoardError(_("board {board} has no figure {figure!r}; one of {keys}").format(
            board=name, figure=rank_by, keys=", ".join(c.key for c in columns)))
    zone = settings.shop.zone
    with database.atomic():
        if name == "archive":
            rows = archive_board_rows(period, settings.archive)
        elif name == "visits":
            rows = visits_board_rows(period)
        elif name == "callbacks":
            rows = callbacks_board_rows(period, today, zone)
        else:
            rows = follow_up_board_rows(period, zone, settings.leaderboards.follow_up_success_days)
    return Board(name, title, period, today, columns, rank_by, ranked(rows, rank_by))


# -- the stored figures of migration 9 ---------------------------------------------------------


__all__ = ["BOARDS", "Board", "BoardError", "BoardRow", "Column", "Rate", "leaderboard",
           "ranked"]

