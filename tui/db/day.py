"""What happened in the shop over a period, for the end-of-day sheet: the contacts by
channel, the purchases that followed a contact, and the members who joined.

The sheet's other figures come from the queries the screens use (the callback queue,
the leaderboards, the PDCA check); these are the ones no screen answered yet. Times are
stored in UTC; a period's bounds are its shop days' (tui.db.boards.periods).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tui.clock import day_start_utc, local_day, stored, stored_text
from tui.db.boards.periods import Period
from tui.db.models import CHANNELS, database



# -- contacts by channel ------------------------------------------------------------------

@dataclass(frozen=True)
class ChannelCount:
    channel: str  #: phone, wechat, sms, in_store, home_visit (models.CHANNELS)
    contacts: int  #: contacts logged on this channel in the period, by anyone
    care: int  #: of them, logged as care contacts


@dataclass(frozen=True)
class ContactsByChannel:
    channels: tuple[ChannelCount, ...]  #: every channel, in CHANNELS order, zeros included
    contacts: int  #: all contacts logged in the period
    care: int
    members: int  #: distinct members contacted


def contacts_by_channel(period: Period) -> ContactsByChannel:
    """Every contact logged in the period, whoever logged it, counted per channel."""
    rows = database.execute_sql(
        "SELECT channel, COUNT(*), SUM(care <> 0) FROM contact "
        "WHERE contacted_at >= ? AND contacted_at < ? GROUP BY channel",
        [stored_text(period.start), stored_text(period.end)]).fetchall()
    got = {channel: (n, care or 0) for channel, n, care in rows}
    known = [c for c in CHANNELS] + sorted(c for c in got if c not in CHANNELS)
    channels = tuple(ChannelCount(c, *got.get(c, (0, 0))) for c in known)
    members = database.execute_sql(
        "SELECT COUNT(DISTINCT member_id) FROM contact WHERE contacted_at >= ? AND contacted_at < ?",
        [stored_text(period.start), stored_text(period.end)]).fetchone()[0]
    return ContactsByChannel(channels, sum(c.contacts for c in channels),
                             sum(c.care for c in channels), members)


# -- purchases that followed a contact --------------------------------------------------------

@dataclass(frozen=True)
class FollowedPurchase:
    purchase_id: int
    member_id: int
    member_no: str
    member: str
    purchased_at: datetime  #: UTC, as stored
    amount_cents: int
    contact_id: int  #: the contact it followed: the member's last one before it
    staff_id: int  #: who made that contact: the purchase is credited to them
    staff: str


@dataclass(frozen=True)
class StaffSales:
    staff_id: int
    staff: str
    purchases: int
    members: int
    sales_cents: int


@dataclass(frozen=True)
class SalesAfterContacts:
    purchases: tuple[FollowedPurchase, ...]  #: oldest first
    by_staff: tuple[StaffSales, ...]  #: by name
    all_purchases: int  #: every purchase in the period, members' or not
    all_sales_cents: int

    @property
    def sales_cents(self) -> int:
        return sum(p.amount_cents for p in self.purchases)

    @property
    def members(self) -> int:
        return len({p.member_id for p in self.purchases})


def sales_after_contacts(period: Period, zone: ZoneInfo, days: int) -> SalesAfterContacts:
    """Purchases in the period that followed a contact, the mirror of the follow-up
    board's "bought after": a purchase counts when it is the member's first purchase
    after a contact and comes no later than `days` shop days after the contact's day
    (leaderboards.follow_up_success_days). It is credited once, to whoever made the
    member's last contact before it (the board credits each contact; here each sale is
    counted once)."""
    start, end = stored_text(period.start), stored_text(period.end)
    # every purchase of the period with its amount and the member's last contact before
    # it, in one pass over the purchases (no index leads by time); then whether another
    # purchase came between that contact and this one (then this is not its first)
    rows = database.execute_sql("""
        WITH bought AS MATERIALIZED (
            SELECT p.id, p.member_id, p.purchased_at,
                   (SELECT COALESCE(SUM(l.amount_cents), 0) FROM purchase_line l
                    WHERE l.purchase_id = p.id) AS cents,
                   CASE WHEN p.member_id IS NOT NULL THEN
                       (SELECT c.id FROM contact c WHERE c.member_id = p.member_id
                          AND c.contacted_at < p.purchased_at
                        ORDER BY c.contacted_at DESC, c.id DESC LIMIT 1) END AS contact_id
            FROM purchase p
            WHERE p.purchased_at >= ? AND p.purchased_at < ?)
        SELECT b.id, b.member_id, m.member_no, m.name, b.purchased_at, b.cents,
               c.id, c.contacted_at, c.staff_id, s.name,
               c.id IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM purchase q WHERE q.member_id = b.member_id
                     AND q.purchased_at > c.contacted_at AND q.purchased_at < b.purchased_at)
        FROM bought b
        LEFT JOIN contact c ON c.id = b.contact_id
        LEFT JOIN member m ON m.id = b.member_id
        LEFT JOIN staff s ON s.id = c.staff_id
        ORDER BY b.purchased_at, b.id""", [start, end]).fetchall()
    totals = (len(rows), sum(r[5] for r in rows))
    followed = []
    for pid, mid, no, name, at, cents, cid, contacted_at, sid, staff, first in rows:
        if not first:
            continue
        at = stored(at)
        deadline = day_start_utc(local_day(stored(contacted_at), zone) + timedelta(days=days + 1),
                                 zone)
        if at < deadline:
            followed.append(FollowedPurchase(pid, mid, no, name, at, cents, cid, sid, staff))
    per: dict[int, list[FollowedPurchase]] = {}
    for p in followed:
        per.setdefault(p.staff_id, []).append(p)
    by_staff = tuple(sorted(
        (StaffSales(sid, ps[0].staff, len(ps), len({p.member_id for p in ps}),
                    sum(p.amount_cents for p in ps)) for sid, ps in per.items()),
        key=lambda s: (s.staff, s.staff_id)))
    return SalesAfterContacts(tuple(followed), by_staff, totals[0], totals[1])


# -- new members ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class NewMember:
    member_id: int
    member_no: str
    name: str
    owner: str | None


@dataclass(frozen=True)
class NewMembers:
    count: int  #: members who joined in the period
    first: tuple[NewMember, ...]  #: the first of them by member number, up to the limit asked


def new_members(period: Period, limit: int = 10, names: bool = True) -> NewMembers:
    """Members whose joining day (a shop day) falls in the period; merged-away records are
    gone from the table and not counted, erased ones are (they did join). Without `names`
    (a sheet nobody signed in asked for: cron) each is listed by member number only."""
    first, last = period.first_day.isoformat(), period.last_day.isoformat()
    count = database.execute_sql(
        "SELECT COUNT(*) FROM member WHERE joined_on >= ? AND joined_on <= ?",
        [first, last]).fetchone()[0]
    rows = database.execute_sql(
        "SELECT m.id, m.member_no, m.name, s.name FROM member m "
        "LEFT JOIN staff s ON s.id = m.owner_id "
        "WHERE m.joined_on >= ? AND m.joined_on <= ? ORDER BY m.member_no LIMIT ?",
        [first, last, limit]).fetchall()
    return NewMembers(count, tuple(NewMember(r[0], r[1], r[2] if names else "", r[3])
                                   for r in rows))


__all__ = ["ChannelCount", "ContactsByChannel", "FollowedPurchase", "NewMember", "NewMembers",
           "SalesAfterContacts", "StaffSales", "contacts_by_channel", "new_members",
           "sales_after_contacts"]
