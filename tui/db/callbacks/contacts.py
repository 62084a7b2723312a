"""Logging a contact: the tracking log entry, its effects on the member, and the queue.

Everything happens in one IMMEDIATE transaction: the contact is written, the member's
due callbacks are completed by it, the outcome's consequences applied (a retry after no
answer, an opt-out, a feedback call after a complaint) and the rules run again for that
member. Either all of it is on file or none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from peewee import SQL

from tui.clock import local_day, shop_time, stored
from tui.db.archive_log import record_archive_change
from tui.db.callbacks.raising import refresh_member
from tui.db.models import CHANNELS, OUTCOMES, Callback, Contact, Member, Staff, database
from tui.errors import ShopfloorError
from tui.i18n import N_, CodeWords, _
from tui.settings import CallbackSettings
from tui.text import entered, text_problem

#: The digit a guide types for each channel and outcome, in form order.
CHANNEL_KEYS = {str(i): c for i, c in enumerate(CHANNELS, start=1)}
OUTCOME_KEYS = {str(i): o for i, o in enumerate(OUTCOMES, start=1)}

#: Each stored code's words, read in the language spoken now (tui.i18n.CodeWords):
#: `CHANNEL_LABELS[code]` is "phone" in English, "电话" in Chinese; the codes never change
#: (they are in the database and the JSON).
CHANNEL_LABELS = CodeWords({"phone": N_("phone"), "wechat": N_("WeChat"), "sms": N_("SMS"),
                            "in_store": N_("in store"), "home_visit": N_("home visit")})
OUTCOME_LABELS = CodeWords({"reached": N_("reached"), "no_answer": N_("no answer"),
                            "declined_promotions": N_("declined promotions"),
                            "wrong_number": N_("wrong number"), "will_come": N_("will come in"),
                            "bought": N_("bought"), "complaint": N_("complaint"),
                            "do_not_contact": N_("do not contact me")})


def channel_label(code: str) -> str:
    """A channel's word in the language spoken now ("phone" / "电话"); an unknown code as it is."""
    return CHANNEL_LABELS.get(code, code)


def outcome_label(code: str) -> str:
    """An outcome's word in the language spoken now ("no answer" / "未接通")."""
    return OUTCOME_LABELS.get(code, code)


class ContactError(ShopfloorError, ValueError):
    """A contact that cannot be logged as given; str() says what to change."""


#: a contact's note: what they said, not a transcript (as a note on the card)
CONTACT_NOTE_MAX = 500


@dataclass(frozen=True)
class ContactEntry:
    """What the guide filled in."""

    member_id: int
    staff_id: int
    channel: str
    outcome: str
    care: bool = False
    note: str = ""
    next_contact_on: date | None = None


@dataclass(frozen=True)
class ContactLogged:
    contact_id: int
    callbacks_done: int
    next_contact_on: date | None
    opted_out: bool


def log_contact(entry: ContactEntry, rules: CallbackSettings, zone: ZoneInfo,
                now: datetime) -> ContactLogged:
    """Write one contact and everything that follows from it."""
    if entry.channel not in CHANNELS:
        raise ContactError(_("unknown channel {channel}; one of {choices}").format(
            channel=repr(entry.channel), choices=", ".join(CHANNELS)))
    if entry.outcome not in OUTCOMES:
        raise ContactError(_("unknown outcome {outcome}; one of {choices}").format(
            outcome=repr(entry.outcome), choices=", ".join(OUTCOMES)))
    note = entered(entry.note)
    problem = text_problem(_("the note"), note, CONTACT_NOTE_MAX, lines=True)
    if problem:
        raise ContactError(problem)
    today = local_day(now, zone)
    if entry.next_contact_on is not None and entry.next_contact_on < today:
        raise ContactError(_("next contact {day} is in the past; give today or later").format(
            day=entry.next_contact_on.isoformat()))
    next_on = next_contact_after(entry.outcome, entry.next_contact_on, today, rules)

    with database.atomic("IMMEDIATE"):
        member = Member.get_or_none(Member.id == entry.member_id)
        if member is None:
            raise ContactError(_("member {id} is not on file").format(id=entry.member_id))
        if Staff.get_or_none((Staff.id == entry.staff_id) & (Staff.active == True)) is None:  # noqa: E712
            raise ContactError(_("staff {id} is not an active guide or manager").format(
                id=entry.staff_id))
        contact = Contact.create(
            member=entry.member_id, staff=entry.staff_id, contacted_at=now, channel=entry.channel,
            outcome=entry.outcome, care=entry.care, note=note, next_contact_on=next_on)
        # Due callbacks are answered by this contact; so is a follow-up due tomorrow: any
        # call after the sale is the follow-up, even the same evening. Found by the
        # member's index (`+status` rules out the open-calls index, which SQLite otherwise
        # picks without statistics and steps through every open call of the shop: 11 of a
        # contact's 15 ms under the write lock at 100,000 members)
        done = (Callback.update(status="done", closed_at=now, contact=contact.id)
                .where((Callback.member == entry.member_id) & (SQL('+"status"') == "open")
                       & ((Callback.due_on <= today) | (Callback.reason == "follow_up")))
                .execute())
        opted_out = apply_opt_out(member, entry.outcome, entry.staff_id, now)
        refresh_member(entry.member_id, today, rules, zone, now)
    return ContactLogged(contact.id, done, next_on, opted_out)


def next_contact_after(outcome: str, typed: date | None, day: date,
                       rules: CallbackSettings) -> date | None:
    """The next contact date a contact on `day` books: the one typed, else a retry after no
    answer or a feedback call after a complaint; an opt-out or a wrong number books none
    by itself. (A correction of the outcome works it out again: tui.db.members.corrections.)"""
    if outcome in ("declined_promotions", "do_not_contact", "wrong_number") or typed is not None:
        return typed
    if outcome == "no_answer":
        return day + timedelta(days=rules.no_answer_retry_days)
    if outcome == "complaint":
        return day + timedelta(days=rules.complaint_feedback_days)
    return None


def apply_opt_out(member: Member, outcome: str, staff_id: int, now: datetime) -> bool:
    """An outcome that is the member's answer on contact written on the member (inside the
    caller's transaction); whether it changed anything."""
    if outcome == "declined_promotions" and member.accepts_promotions is not False:
        Member.update(accepts_promotions=False, promotions_set_at=now).where(
            Member.id == member.id).execute()
        if member.accepts_promotions is None:  # a first answer fills the archive field
            record_archive_change(member, staff_id, now, (), ("accepts_promotions",))
        return True
    if outcome == "do_not_contact" and not member.do_not_contact:
        Member.update(do_not_contact=True, do_not_contact_set_at=now).where(
            Member.id == member.id).execute()
        return True
    return False


def parse_next_date(text: str, today: date) -> date | None:
    """The next contact date as a guide types it: empty, YYYY-MM-DD, MM-DD (this year's)
    or +N days; a day before today is refused, however it is typed."""
    text = text.strip()
    if not text:
        return None
    try:
        if text.startswith("+"):
            days = int(text[1:])
            if days < 0 or days > 3650:
                raise ValueError
            return today + timedelta(days=days)
        month_day = len(text) <= 5 and "-" in text
        if month_day:
            month, day = (int(p) for p in text.split("-"))
            when = date(today.year, month, day)
        else:
            when = date.fromisoformat(text)
    except ValueError:
        raise ContactError(_("next contact: type a date as YYYY-MM-DD, MM-DD or +days")) from None
    if when < today:
        # a month-day is this year's, never moved a year on unasked: 12-01 typed on
        # 12-03 is a slip as often as it is next December
        try:
            hint = (_(" ({day} for next year)").format(day=when.replace(year=today.year + 1))
                    if month_day else "")
        except ValueError:  # 02-29 with no 29 February next year
            hint = ""
        raise ContactError(_("next contact {day} is in the past; give today or later").format(
            day=when.isoformat()) + hint)
    return when


#: a contact this recent means someone is already on it: the contact form says who and when
RECENT_CONTACT = timedelta(hours=1)


@dataclass(frozen=True)
class RecentContact:
    """The member's latest contact, when it is recent: who made it, when, how it went."""

    staff_id: int
    staff: str
    contacted_at: datetime  #: shop time
    minutes_ago: int
    channel: str
    outcome: str


def recent_contact(member_id: int, now: datetime, zone: ZoneInfo,
                   within: timedelta = RECENT_CONTACT) -> RecentContact | None:
    """The member's latest contact in the `within` before `now` by anyone, else None: read
    as the contact form opens, so two guides do not call the same mother unknowingly."""
    row = (Contact.select(Contact.staff, Staff.name, Contact.contacted_at, Contact.channel,
                          Contact.outcome)
           .join(Staff, on=(Contact.staff == Staff.id))
           .where((Contact.member == member_id) & (Contact.contacted_at > now - within)
                  & (Contact.contacted_at <= now))
           .order_by(Contact.contacted_at.desc(), Contact.id.desc())
           .tuples().first())
    if row is None:
        return None
    staff_id, name, at, channel, outcome = row
    at = stored(at)
    return RecentContact(staff_id, name, shop_time(at, zone), int((now - at).total_seconds() // 60),
                         channel, outcome)
