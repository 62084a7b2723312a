"""What goes out to a spreadsheet: members, purchases, contacts, callbacks and the boards,
read row by row from one cursor (a million purchase lines are never a list), a manager's
alone and audited, one line per export.

Rows are plain tuples of stored values made the shop's: days as `date`, times as the
shop's wall-clock `datetime`, money in fen, codes (a channel, a reason) as stored; the
words and the file are tui.reports.exports'.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tui.clock import day_start_utc, stored_text
from tui.db.audit import audit, require_manager
from tui.db.models import database
from tui.i18n import N_
from tui.settings import Settings

#: what can be exported, in the order the form numbers them
KINDS = ("members", "purchases", "contacts", "callbacks", "boards")
#: the words of the refusal a guide gets (require_manager translates it)
DOING = N_("export the shop's data")


@dataclass(frozen=True)
class Span:
    """The shop days an export covers, both inclusive; None: no bound on that side."""

    first_day: date | None = None
    last_day: date | None = None

    @property
    def text(self) -> str:
        """For the audit line: "2026-11-01..2026-11-30", "..2026-11-30", "all"."""
        if self.first_day is None and self.last_day is None:
            return "all"
        return (f"{self.first_day.isoformat() if self.first_day else ''}.."
                f"{self.last_day.isoformat() if self.last_day else ''}")


def check_exporter(staff_id: int) -> str:
    """The manager's name, or PermissionDenied: asked before a file is begun."""
    return require_manager(staff_id, DOING).name


class _ShopTimes:
    """Stored UTC text → the shop's wall-clock time, fast for a million rows: the zone's
    offset is looked up once an hour of UTC, not once a row."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.offsets: dict[str, timedelta] = {}

    def __call__(self, text: str | None) -> datetime | None:
        if text is None:
            return None
        moment = datetime.fromisoformat(text)
        hour = text[:13]
        offset = self.offsets.get(hour)
        if offset is None:
            offset = moment.replace(tzinfo=timezone.utc).astimezone(self.zone).utcoffset()
            self.offsets[hour] = offset
        return (moment + offset).replace(microsecond=0)


def _day(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def _bounds(column: str, span: Span, zone: ZoneInfo, days: bool = False) -> tuple[str, list]:
    """SQL conditions for a stored time (or a day, `days`) inside the span."""
    where, params = [], []
    if span.first_day is not None:
        where.append(f"{column} >= ?")
        params.append(span.first_day.isoformat() if days
                      else stored_text(day_start_utc(span.first_day, zone)))
    if span.last_day is not None:
        where.append(f"{column} {'<=' if days else '<'} ?")
        params.append(span.last_day.isoformat() if days
                      else stored_text(day_start_utc(span.last_day + timedelta(days=1), zone)))
    return (" AND " + " AND ".join(where)) if where else "", params


def _cursor(sql: str, params: list) -> Iterator[tuple]:
    """The rows of one read, in one transaction (one consistent picture while the file is
    written); fetched in blocks from the cursor, never all at once."""
    with database.atomic():
        cursor = database.execute_sql(sql, params)
        while True:
            block = cursor.fetchmany(2000)
            if not block:
                return
            yield from block


def member_rows(span: Span, zone: ZoneInfo) -> Iterator[tuple]:
    """(member_no, name, phone, gender, birthday, address, joined_on, email, guide,
    total_spend_cents) of every member not erased, joined inside the span, by number."""
    where, params = _bounds("m.joined_on", span, zone, days=True)
    sql = ("SELECT m.member_no, m.name, m.phone, m.gender, m.birthday, m.address, m.joined_on, "
           "m.email, s.name, m.total_spend_cents FROM member m "
           "LEFT JOIN staff s ON s.id = m.owner_id "
           f"WHERE m.erased_at IS NULL{where} ORDER BY m.member_no")
    for row in _cursor(sql, params):
        yield row[:4] + (_day(row[4]), row[5], _day(row[6])) + row[7:]


def purchase_rows(span: Span, zone: ZoneInfo) -> Iterator[tuple]:
    """(receipt no = the purchase's id, line no, sold at, member_no, phone, barcode, sku, product,
    brand, category, quantity, list price in fen, amount in fen, guide) of every purchase
    line sold inside the span, in receipt order (as recorded: no sort of a million lines,
    the primary key and the lines' index give the order), its lines numbered from 1. An
    erased member's sale stays, nameless: no member number, no phone (the anonymous totals
    the shop keeps)."""
    where, params = _bounds("p.purchased_at", span, zone)
    sql = ("SELECT p.id, p.purchased_at, "
           "CASE WHEN m.erased_at IS NULL THEN m.member_no END, "
           "CASE WHEN m.erased_at IS NULL THEN m.phone END, "
           # no barcode on file yet (products have a SKU): the POS's column stays, empty
           "NULL, pr.sku, pr.name, pr.brand, pr.category, l.quantity, pr.price_cents, "
           "l.amount_cents, "
           "s.name FROM purchase p JOIN purchase_line l ON l.purchase_id = p.id "
           "JOIN product pr ON pr.id = l.product_id "
           "LEFT JOIN member m ON m.id = p.member_id LEFT JOIN staff s ON s.id = p.staff_id "
           f"WHERE 1{where} ORDER BY l.purchase_id, l.id")  # the index's own order: no sort
    times = _ShopTimes(zone)
    receipt, line = None, 0
    for row in _cursor(sql, params):
        if row[0] != receipt:
            receipt, line = row[0], 0
        line += 1
        yield (receipt, line, times(row[1])) + row[2:]


def contact_rows(span: Span, zone: ZoneInfo) -> Iterator[tuple]:
    """(contacted at, member_no, member, guide, channel, outcome, care, note, next contact
    on) of every contact logged inside the span, oldest first; none of an erased member's."""
    where, params = _bounds("c.contacted_at", span, zone)
    sql = ("SELECT c.contacted_at, m.member_no, m.name, s.name, c.channel, c.outcome, c.care, "
           "c.note, c.next_contact_on FROM contact c JOIN member m ON m.id = c.member_id "
           "JOIN staff s ON s.id = c.staff_id "
           f"WHERE m.erased_at IS NULL{where} ORDER BY c.contacted_at, c.id")
    times = _ShopTimes(zone)
    for row in _cursor(sql, params):
        yield (times(row[0]),) + row[1:6] + (bool(row[6]), row[7], _day(row[8]))


def callback_rows(span: Span, zone: ZoneInfo) -> Iterator[tuple]:
    """(due on, member_no, member, reason, status, guide, detail, raised at, closed at) of
    every callback due inside the span, by due day; none of an erased member's."""
    where, params = _bounds("b.due_on", span, zone, days=True)
    sql = ("SELECT b.due_on, m.member_no, m.name, b.reason, b.status, s.name, b.detail, "
           "b.created_at, b.closed_at FROM callback b JOIN member m ON m.id = b.member_id "
           "LEFT JOIN staff s ON s.id = b.owner_id "
           f"WHERE m.erased_at IS NULL{where} ORDER BY b.due_on, b.id")
    times = _ShopTimes(zone)
    for row in _cursor(sql, params):
        yield (_day(row[0]),) + row[1:7] + (times(row[7]), times(row[8]))


def board_rows(span: Span, settings: Settings, today: date) -> Iterator[tuple]:
    """(board title, period, rank, guide, figure label, kind, value, done, of) for every
    figure of every active guide on the four boards over the span (a span without a
    first or last day runs from the first of today's month, or to today). `value` is a
    count, or a share 0..1 as a float (a rate, an average); `done`/`of` a rate's parts."""
    from tui.db.boards.boards import leaderboard
    from tui.db.boards.figures import BOARDS, Rate
    from tui.db.boards.periods import make_period

    first = span.first_day or (span.last_day or today).replace(day=1)
    last = span.last_day or max(today, first)
    period = make_period("range", first, last, settings.shop.zone)
    for name in BOARDS:
        board = leaderboard(name, period, settings, today)
        for row in board.rows:
            for column in board.columns:
                value = row.figures[column.key]
                if isinstance(value, Rate):
                    yield (board.title, period.text, row.rank, row.guide, column.label,
                           "rate", float(value.value), value.done, value.of)
                elif column.kind in ("percent", "points"):
                    yield (board.title, period.text, row.rank, row.guide, column.label,
                           column.kind, float(value), None, None)
                else:
                    yield (board.title, period.text, row.rank, row.guide, column.label,
                           "count", int(value), None, None)


def export_rows(kind: str, span: Span, settings: Settings, today: date) -> Iterator[tuple]:
    """The rows of one kind of export (KINDS), streamed."""
    zone = settings.shop.zone
    if kind == "members":
        return member_rows(span, zone)
    if kind == "purchases":
        return purchase_rows(span, zone)
    if kind == "contacts":
        return contact_rows(span, zone)
    if kind == "callbacks":
        return callback_rows(span, zone)
    if kind == "boards":
        return board_rows(span, settings, today)
    raise ValueError(f"no export {kind!r}; one of {', '.join(KINDS)}")


def record_export(staff_id: int, now: datetime, kind: str, span: Span, rows: int,
                  path: str) -> None:
    """The audit line of one export written: what, the range, how many rows, the file."""
    with database.atomic("IMMEDIATE"):
        manager = require_manager(staff_id, DOING)
        audit(manager.id, now, "export", kind,
              f"{kind} {span.text}: {rows} rows to {path}")


__all__ = ["KINDS", "Span", "check_exporter", "export_rows", "record_export"]
