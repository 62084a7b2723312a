"""What stands behind a leaderboard figure: the contacts, members or callbacks it counts,
a page at a time, by the same definitions as the boards (tui/db/boards/figures.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from tui.clock import shop_time, stored_text
from tui.db.boards.figures import (NOT_REACHED, BoardError, archive_gains, archive_score,
                                   bits_source, callbacks_due_sql, check_board,
                                   contacts_with_deadline_sql, filled_counts, first_buy_sql,
                                   is_complete)
from tui.db.boards.periods import Period
from tui.db.models import database
from tui.i18n import _
from tui.settings import ArchiveSettings, Settings


@dataclass(frozen=True)
class ContactLine:
    contact_id: int
    at: datetime  #: shop time
    member_id: int
    member_no: str
    member: str
    channel: str
    outcome: str
    care: bool
    note: str
    #: follow-up board: the first purchase after the contact (shop time), if any, and
    #: whether it came within the window
    bought_at: datetime | None = None
    success: bool | None = None


@dataclass(frozen=True)
class MemberLine:
    member_id: int
    member_no: str
    member: str
    hard_filled: int | None = None
    soft_filled: int | None = None
    score: Fraction | None = None  #: completeness now, exact
    complete: bool | None = None
    contacts: int | None = None  #: visits board: the guide's contacts with them in the period
    last_contact_at: datetime | None = None  #: shop time
    gained: Fraction | None = None  #: archive board: completeness gained in the period


@dataclass(frozen=True)
class CallbackLine:
    callback_id: int
    member_id: int
    member_no: str
    member: str
    reason: str
    due_on: date
    status: str
    closed_at: datetime | None  #: shop time
    closed_by: str | None  #: who logged the contact that closed it
    on_time: bool


@dataclass(frozen=True)
class DrillPage:
    board: str
    figure: str
    guide_id: int
    guide: str
    period: Period
    kind: str  #: "contacts", "members" or "callbacks"
    label: str  #: the figure's column heading
    meaning: str
    total: int  #: lines behind the figure (every page)
    offset: int = 0
    lines: tuple = field(default_factory=tuple)


#: lines on one page of a drill-down; the CLI prints them all
DRILL_PAGE = 200


def _page(limit: int | None, offset: int) -> str:
    return f" LIMIT {-1 if limit is None else int(limit)} OFFSET {int(offset)}"


def drill_down(board: str, figure: str, guide_id: int, period: Period, settings: Settings,
               today: date, limit: int | None = DRILL_PAGE, offset: int = 0) -> DrillPage:
    """The members, contacts or callbacks behind one figure of one guide's row."""
    _title, columns, _figure = check_board(board, settings)
    col = next((c for c in columns if c.key == figure), None)
    if col is None:
        raise BoardError(_("board {board} has no figure {figure!r}; one of {keys}").format(
            board=board, figure=figure, keys=", ".join(c.key for c in columns)))
    zone = settings.shop.zone
    with database.atomic():
        row = database.execute_sql("SELECT name FROM staff WHERE id = ?", [guide_id]).fetchone()
        if row is None:
            raise BoardError(_("no staff member with id {id}").format(id=guide_id))
        if board == "archive":
            total, lines = _archive_members(figure, guide_id, period, settings.archive, limit, offset)
        elif board == "visits" and figure == "reached":
            total, lines = _reached_members(guide_id, period, zone, limit, offset)
        elif board == "visits":
            total, lines = _contacts(guide_id, period, zone, figure == "care", limit, offset)
        elif board == "callbacks":
            total, lines = _callbacks(figure, guide_id, period, today, zone, limit, offset)
        else:
            total, lines = _follow_up_contacts(figure == "followed", guide_id, period, zone,
                                               settings.leaderboards.follow_up_success_days,
                                               limit, offset)
    return DrillPage(board, figure, guide_id, row[0], period, col.drill, col.label, col.meaning,
                     total, offset, tuple(lines))


def _archive_members(figure: str, guide_id: int, period: Period, archive: ArchiveSettings,
                     limit: int | None, offset: int) -> tuple[int, list[MemberLine]]:
    if figure == "gained":
        gains = archive_gains(period, archive, staff_id=guide_id)
        order = sorted(gains, key=lambda no: (-gains[no], no))
        shown = order[offset:] if limit is None else order[offset:offset + limit]
        marks = ",".join("?" * len(shown)) or "NULL"
        names = {r[0]: r[1:] for r in database.execute_sql(
            f"SELECT member_no, id, name FROM member WHERE member_no IN ({marks})", shown)}
        return len(order), [MemberLine(names.get(no, (0,))[0], no,
                                       names.get(no, (0, "(merged away)"))[1], gained=gains[no])
                            for no in shown]
    lines = []
    for mid, no, name, bits in database.execute_sql(
            f"SELECT m.id, m.member_no, m.name, {bits_source()} FROM member m "
            "WHERE m.owner_id = ? AND m.erased_at IS NULL", [guide_id]):
        hard, soft = filled_counts(bits, archive)
        done = is_complete(hard, soft, archive)
        if figure != "complete" or done:
            lines.append(MemberLine(mid, no, name, hard, soft, archive_score(hard, soft, archive),
                                    done))
    lines.sort(key=lambda ln: (-ln.score, ln.member_no))
    return len(lines), lines[offset:] if limit is None else lines[offset:offset + limit]


def _contact_lines(rows, zone: ZoneInfo) -> list[ContactLine]:
    return [ContactLine(cid, shop_time(at, zone), mid, no, name, channel, outcome, bool(care),
                        note or "") for cid, at, mid, no, name, channel, outcome, care, note in rows]


_CONTACT_COLS = ("c.id, c.contacted_at, c.member_id, m.member_no, m.name, c.channel, c.outcome, "
                 "c.care, c.note")


def _contacts(guide_id: int, period: Period, zone: ZoneInfo, care_only: bool,
              limit: int | None, offset: int) -> tuple[int, list[ContactLine]]:
    where = "c.staff_id = ? AND c.contacted_at >= ? AND c.contacted_at < ?"
    where += " AND c.care <> 0" if care_only else ""
    params = [guide_id, stored_text(period.start), stored_text(period.end)]
    total = database.execute_sql(f"SELECT COUNT(*) FROM contact c WHERE {where}", params).fetchone()[0]
    rows = database.execute_sql(
        f"SELECT {_CONTACT_COLS} FROM contact c JOIN member m ON m.id = c.member_id "
        f"WHERE {where} ORDER BY c.contacted_at DESC, c.id DESC" + _page(limit, offset), params)
    return total, _contact_lines(rows, zone)


def _reached_members(guide_id: int, period: Period, zone: ZoneInfo, limit: int | None,
                     offset: int) -> tuple[int, list[MemberLine]]:
    not_reached = ",".join(f"'{o}'" for o in NOT_REACHED)
    base = f"""
        SELECT c.member_id AS mid, COUNT(*) AS n, MAX(c.contacted_at) AS last
        FROM contact c
        WHERE c.staff_id = ? AND c.contacted_at >= ? AND c.contacted_at < ?
          AND c.outcome NOT IN ({not_reached})
        GROUP BY c.member_id"""
    params = [guide_id, stored_text(period.start), stored_text(period.end)]
    total = database.execute_sql(f"SELECT COUNT(*) FROM ({base})", params).fetchone()[0]
    rows = database.execute_sql(
        f"SELECT g.mid, m.member_no, m.name, g.n, g.last FROM ({base}) g "
        f"JOIN member m ON m.id = g.mid ORDER BY g.last DESC, m.member_no" + _page(limit, offset),
        params)
    return total, [MemberLine(mid, no, name, contacts=n, last_contact_at=shop_time(last, zone))
                   for mid, no, name, n, last in rows]


def _callbacks(figure: str, guide_id: int, period: Period, today: date, zone: ZoneInfo,
               limit: int | None, offset: int) -> tuple[int, list[CallbackLine]]:
    sql, params = callbacks_due_sql(period, today, zone)
    mine = "AND cb.owner_id = ?"
    mine += {"on_time": " AND cb.status = 'done' AND cb.closed_at < d.day_end",
             "late": " AND cb.status = 'done' AND cb.closed_at >= d.day_end",
             "not_done": " AND cb.status <> 'done'"}.get(figure, "")
    params = params + [guide_id]
    total = database.execute_sql(sql.format(cols="COUNT(*)", mine=mine), params).fetchone()[0]
    cols = ("cb.id, cb.member_id, m.member_no, m.name, cb.reason, cb.due_on, cb.status, "
            "cb.closed_at, s.name, cb.status = 'done' AND cb.closed_at < d.day_end")
    listing = sql.format(cols=cols, mine=mine).replace(
        "FROM d CROSS JOIN callback cb",
        "FROM d CROSS JOIN callback cb JOIN member m ON m.id = cb.member_id "
        "LEFT JOIN contact k ON k.id = cb.contact_id LEFT JOIN staff s ON s.id = k.staff_id")
    rows = database.execute_sql(listing + " ORDER BY cb.due_on DESC, m.member_no, cb.id"
                                + _page(limit, offset), params)
    return total, [CallbackLine(cid, mid, no, name, reason, date.fromisoformat(due), status,
                                shop_time(closed, zone), by, bool(on_time))
                   for cid, mid, no, name, reason, due, status, closed, by, on_time in rows]


def _follow_up_contacts(only_success: bool, guide_id: int, period: Period, zone: ZoneInfo,
                        days: int, limit: int | None, offset: int) -> tuple[int, list[ContactLine]]:
    template = contacts_with_deadline_sql(period, zone, days)
    first_buy, bought = first_buy_sql()
    mine = "AND c.staff_id = ?" + (f" AND {bought}" if only_success else "")
    total = database.execute_sql(template.format(cols="COUNT(*)", mine=mine), [guide_id]).fetchone()[0]
    listing = template.format(
        cols=f"{_CONTACT_COLS}, {first_buy}, {bought}",
        mine=mine).replace("FROM d CROSS JOIN contact c",
                           "FROM d CROSS JOIN contact c JOIN member m ON m.id = c.member_id")
    rows = database.execute_sql(listing + " ORDER BY c.contacted_at DESC, c.id DESC"
                                + _page(limit, offset), [guide_id])
    out = []
    for *contact, first, success in rows:
        line = _contact_lines([contact], zone)[0]
        out.append(replace(line, bought_at=shop_time(first, zone), success=bool(success)))
    return total, out


