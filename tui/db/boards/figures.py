"""What each leaderboard counts, shared by the boards and their drill-downs: the boards and
their columns, the archive score, and the SQL of each figure's definition.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from tui.clock import day_start_utc, stored_text
from tui.db.archive_log import ARCHIVE_ACTION, archive_bits_sql, field_mask, parse_change_words
from tui.db.boards.periods import Period
from tui.db.models import database
from tui.errors import ShopfloorError
from tui.i18n import N_, _
from tui.settings import ArchiveSettings, Settings


#: outcomes in which nobody was spoken to; every other outcome reached the member
NOT_REACHED = ("no_answer", "wrong_number")


class BoardError(ShopfloorError, ValueError):
    """An unknown board or figure; str() is the one line to print."""


@dataclass(frozen=True)
class Rate:
    """`done` of `of`, kept whole so the screen can say "12/15 80%"."""

    done: int
    of: int

    @property
    def value(self) -> Fraction:
        """The share; 0 when nothing was due (for ranking: nothing done)."""
        return Fraction(self.done, self.of) if self.of else Fraction(0)


#: a figure is a count, a Rate, or an exact fraction (a share of one archive, 0..1 each)
Figure = int | Rate | Fraction


@dataclass(frozen=True)
class Column:
    key: str
    label: str  #: the column heading
    kind: str  #: "count", "rate", "percent" (a Fraction 0..1) or "points" (a Fraction of archives)
    drill: str  #: what Enter on the figure lists: "members", "contacts" or "callbacks"
    meaning: str  #: one line for the help and the drill-down's heading


BOARDS: dict[str, tuple[str, tuple[Column, ...], str]] = {
    "archive": (N_("Archive completeness"), (
        Column("members", N_("Members"), "count", "members",
               N_("members the guide owns (erased members not counted), as the archive stands now")),
        Column("complete", N_("Complete"), "count", "members",
               N_("of those, archives at or above {threshold} completeness, now")),
        Column("quality", N_("Average"), "percent", "members",
               N_("average completeness of the guide's members, now")),
        Column("gained", N_("Gained"), "points", "members",
               N_("completeness the guide's archive work added in the period, in percentage "
               "points summed over the members worked on")),
    ), "complete"),
    "visits": (N_("Visits"), (
        Column("contacts", N_("Contacts"), "count", "contacts",
               N_("contacts the guide logged in the period")),
        Column("reached", N_("Reached"), "count", "members",
               N_("distinct members the guide reached (not no-answer, not wrong number)")),
        Column("care", N_("Care"), "count", "contacts", N_("contacts logged as care contacts")),
    ), "contacts"),
    "callbacks": (N_("Callbacks done on time"), (
        Column("on_time", N_("On time"), "count", "callbacks",
               N_("due callbacks done by the end of their due day")),
        Column("rate", N_("On time rate"), "rate", "callbacks",
               N_("due callbacks done on time / callbacks due in the period")),
        Column("late", N_("Late"), "count", "callbacks", N_("due callbacks done after their due day")),
        Column("not_done", N_("Not done"), "count", "callbacks",
               N_("due callbacks still open or missed")),
    ), "rate"),
    "follow_up": (N_("Follow-up success"), (
        Column("contacts", N_("Contacts"), "count", "contacts",
               N_("contacts the guide logged in the period")),
        Column("followed", N_("Bought after"), "count", "contacts",
               N_("contacts followed by a purchase from that member within {days} days")),
        Column("rate", N_("Success"), "rate", "contacts", N_("contacts followed by a purchase / contacts")),
    ), "followed"),
}


def check_board(name: str, settings: Settings) -> tuple[str, tuple[Column, ...], str]:
    """The board's title, columns (their meanings with this shop's settings) and figure."""
    try:
        title, columns, default = BOARDS[name]
    except KeyError:
        raise BoardError(_("no board {name!r}; one of {names}").format(
            name=name, names=", ".join(BOARDS))) from None
    words = {"threshold": f"{settings.archive.complete_threshold:.0%}",
             "days": settings.leaderboards.follow_up_success_days}
    return _(title), tuple(replace(c, label=_(c.label), meaning=_(c.meaning).format(**words))
                           for c in columns), default


def has_column(table: str, column: str) -> bool:
    return database.execute_sql(f"SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?",
                                [column]).fetchone() is not None


def sql_ids(ids: Sequence[int]) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"


def day_bounds(days: Sequence[date], zone: ZoneInfo, ahead: int = 0) -> str:
    """VALUES rows (day, its UTC start, its UTC end, UTC end of day + `ahead`): each shop
    day's bounds worked out in Python, so daylight saving is right in any zone."""
    rows = []
    for d in days:
        rows.append("('%s','%s','%s','%s')" % (
            d.isoformat(), stored_text(day_start_utc(d, zone)), stored_text(day_start_utc(d + timedelta(days=1), zone)),
            stored_text(day_start_utc(d + timedelta(days=ahead + 1), zone))))
    return "VALUES " + ",".join(rows)


def weights(archive: ArchiveSettings) -> tuple[Fraction, Fraction]:
    """Per field: hard weight / hard fields, soft weight / soft fields, as exact fractions
    of the weights as written in settings.toml."""
    return (Fraction(str(archive.hard_weight)) / len(archive.hard_fields),
            Fraction(str(archive.soft_weight)) / len(archive.soft_fields))


def archive_score(hard: int, soft: int, archive: ArchiveSettings) -> Fraction:
    per_hard, per_soft = weights(archive)
    return per_hard * hard + per_soft * soft


def is_complete(hard: int, soft: int, archive: ArchiveSettings) -> bool:
    """At or above the threshold, computed exactly as the member card computes its score
    (members.completeness.archive_completeness), so a card at 80% is complete here too."""
    score = (archive.hard_weight * hard / len(archive.hard_fields)
             + archive.soft_weight * soft / len(archive.soft_fields))
    return score >= archive.complete_threshold


def archive_gains(period: Period, archive: ArchiveSettings, staff_id: int | None = None,
           ) -> dict[int | str, Fraction]:
    """Completeness gained in the period from the audit log's archive lines, per guide who
    did the work (or, for `staff_id`, per member number): each field filled adds its
    current weight, each emptied takes it away; fields not on the current lists count
    nothing. The same few sentences repeat, so each is read once."""
    hard, soft = set(archive.hard_fields), set(archive.soft_fields)
    who = "a.subject" if staff_id is not None else "a.staff_id"
    mine = "AND a.staff_id = ?" if staff_id is not None else "AND a.staff_id IS NOT NULL"
    sql = f"""
        SELECT {who}, a.detail FROM audit_log a
        WHERE a.action = ? AND a.at >= ? AND a.at < ? {mine}"""
    params = [ARCHIVE_ACTION, stored_text(period.start), stored_text(period.end)]
    params += [staff_id] if staff_id is not None else []
    # whole numbers of hard and soft fields per key; the weights are applied once at the end
    counted: dict[str, tuple[int, int]] = {}
    fields: dict[int | str, list[int]] = {}
    for key, detail in database.execute_sql(sql, params):
        change = counted.get(detail)
        if change is None:
            filled, emptied = parse_change_words(detail)
            change = counted[detail] = (
                sum(f in hard for f in filled) - sum(f in hard for f in emptied),
                sum(f in soft for f in filled) - sum(f in soft for f in emptied))
        tally = fields.get(key)
        if tally is None:
            tally = fields[key] = [0, 0]
        tally[0] += change[0]
        tally[1] += change[1]
    per_hard, per_soft = weights(archive)
    return {key: per_hard * h + per_soft * s for key, (h, s) in fields.items()}


def bits_source() -> str:
    """Where an archive's filled-field bits come from: the stored `member.archive_bits`
    (kept by triggers, with a covering index: a month's board reads the index alone) when
    the schema has it, else worked out from each member row."""
    return ("m.archive_bits" if has_column("member", "archive_bits")
            else f"({archive_bits_sql('m')})")


def filled_counts(bits: int, archive: ArchiveSettings) -> tuple[int, int]:
    """(hard, soft) fields filled, of the settings' field lists."""
    return ((bits & field_mask(archive.hard_fields)).bit_count(),
            (bits & field_mask(archive.soft_fields)).bit_count())


def callbacks_due_sql(period: Period, today: date, zone: ZoneInfo) -> tuple[str, list]:
    """The callbacks the board counts, with `d.day_end` (the UTC end of the due day):
    due in the period, not cancelled, and already due (due_on <= today) or done. The
    days drive the join, so each day is one range of the owner/status/due index."""
    days = period.each_day()
    sql = f"""
        WITH d(day, day_start, day_end, unused) AS ({day_bounds(days, zone)})
        SELECT {{cols}}
        FROM d CROSS JOIN callback cb
        WHERE cb.due_on = d.day AND cb.status IN ('open', 'missed', 'done')
          AND (d.day <= ? OR cb.status = 'done') {{mine}}"""
    return sql, [today.isoformat()]


def contacts_with_deadline_sql(period: Period, zone: ZoneInfo, days: int) -> str:
    """Contacts of the period joined to `d`: the day the contact fell on, with `d.deadline`,
    the UTC end of the shop day `days` days after it. The days drive the join (CROSS JOIN
    keeps them outside), so each day's contacts are one range of the staff/time index."""
    return f"""
        WITH d(day, day_start, day_end, deadline) AS ({day_bounds(period.each_day(), zone, days)})
        SELECT {{cols}}
        FROM d CROSS JOIN contact c
        WHERE c.contacted_at >= d.day_start AND c.contacted_at < d.day_end {{mine}}"""


#: the first purchase by the contact's member after the contact, worked out per contact
_FIRST_BUY_LIVE = ("(SELECT MIN(p.purchased_at) FROM purchase p WHERE p.member_id = c.member_id "
                   "AND p.purchased_at > c.contacted_at)")


#: a purchase by the contact's member after the contact and before its deadline
_BOUGHT_AFTER_LIVE = ("EXISTS (SELECT 1 FROM purchase p WHERE p.member_id = c.member_id "
                      "AND p.purchased_at > c.contacted_at AND p.purchased_at < d.deadline)")


def first_buy_sql() -> tuple[str, str]:
    """SQL for the contact's first purchase after it, and for "bought in time": the stored
    `contact.next_purchase_at` (kept by triggers; the month's contacts are then one index
    range) when the schema has it, else one probe of the member's purchases per contact."""
    if has_column("contact", "next_purchase_at"):
        return "c.next_purchase_at", "coalesce(c.next_purchase_at < d.deadline, 0)"
    return _FIRST_BUY_LIVE, _BOUGHT_AFTER_LIVE


#: the triggers of migration 9 (tui/db/migrations/m09_leaderboards.py)
DERIVED_TRIGGERS = ("member_archive_bits_insert", "member_archive_bits_update",
                    "member_archive_bits_sale", "child_archive_bits_insert",
                    "child_archive_bits_delete", "child_archive_bits_move",
                    "contact_next_purchase_insert", "contact_next_purchase_move",
                    "purchase_next_purchase_insert", "purchase_next_purchase_move",
                    "purchase_next_purchase_delete")


@contextmanager
def derived_columns_paused(db=None):
    """For a bulk load such as the demo's: the triggers that keep `member.archive_bits` and
    `contact.next_purchase_at` are set aside, the rows loaded, the triggers put back as they
    were and both columns worked out once for every row (seconds less than a trigger per
    row). Call inside the load's transaction. Without the schema step it does nothing."""
    db = db or database
    marks = ",".join("?" * len(DERIVED_TRIGGERS))
    saved = db.execute_sql(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                           f"AND name IN ({marks})", DERIVED_TRIGGERS).fetchall()
    for name, _sql in saved:
        db.execute_sql(f"DROP TRIGGER {name}")
    try:
        yield
    finally:
        for _name, sql in saved:
            db.execute_sql(sql)
    if saved and has_column("member", "archive_bits"):
        db.execute_sql(f"UPDATE member SET archive_bits = {archive_bits_sql('member')}")
    if saved and has_column("contact", "next_purchase_at"):
        db.execute_sql("UPDATE contact SET next_purchase_at = (SELECT MIN(p.purchased_at) "
                       "FROM purchase p WHERE p.member_id = contact.member_id "
                       "AND p.purchased_at > contact.contacted_at)")
