"""The end-of-day summary (日结): one sheet at closing that says how the day went.

`eod_summary` gathers the figures by calling the query functions the screens use (the
callback queue, the leaderboards, the PDCA check) and, for what no screen shows yet,
tui.db.day, inside one read transaction; `eod_text` lays them out for a receipt of 32,
42 or 48 columns or an A4 page of 80, Chinese counted as two columns. The same day and
database give the same sheet, byte for byte: nothing on it depends on the clock.

The sheet is wholly in the language spoken (tui.i18n); its headings carry the Chinese and
the English words together only when [printing] bilingual_heading asks for it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from tui.db.boards.boards import Board, leaderboard, sort_key
from tui.db.boards.figures import BOARDS, Figure
from tui.db.boards.periods import Period, make_period
from tui.db.callbacks.queue import QueueCounts, callback_queue
from tui.db.connection import snapshot
from tui.db.day import (ContactsByChannel, NewMembers, SalesAfterContacts, contacts_by_channel,
                        new_members, sales_after_contacts)
from tui.db.imports import DayImport, imports_between
from tui.db.staff import active_guides
from tui.files import first_free
from tui.i18n import N_, _, in_language, ngettext, pgettext
from tui.money import Fen, yuan
from tui.reports.leaderboards import BOARD_LABELS, figure_words
from tui.reports.text import cell_width, fit, fit_right
from tui.settings import Settings
from tui.text import one_line, shown

#: the widths the sheet is laid out for: 58 mm and 80 mm receipts, and A4
WIDTHS = (32, 42, 48, 80)
#: new members listed by name on the sheet; the rest are counted
NEW_MEMBERS_LISTED = 10

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
CHANNEL_WORDS = {"phone": N_("phone"), "wechat": N_("WeChat"), "sms": N_("SMS"),
                 "in_store": N_("in store"), "home_visit": N_("home visit")}
#: a plan figure's pace (tui.db.pdca.check), in words
PACE_WORDS = ("on pace", "behind", "not started")


# -- the figures -----------------------------------------------------------------------------

@dataclass(frozen=True)
class GuideCallbacks:
    """One guide's callbacks due on the day, as the callbacks leaderboard counts them."""

    guide_id: int
    guide: str
    due: int  #: callbacks due on the day (not cancelled)
    done: int  #: done by the end of the day
    late: int  #: done after the day (a sheet printed later)
    missed: int  #: still open, or gone stale


@dataclass(frozen=True)
class GuideArchive:
    """One guide's row of the archive leaderboard for the day."""

    guide_id: int
    guide: str
    gained: Fraction  #: completeness added by the guide's archive work, in archives (0.123 = 12.3 points)
    complete: int  #: the guide's members with a complete archive, now
    members: int  #: the guide's members, now


@dataclass(frozen=True)
class BoardLeader:
    board: str  #: archive, visits, callbacks, follow_up
    figure: str  #: the column the board ranks on
    figure_label: str
    kind: str  #: the figure's kind, for figure_words
    leaders: tuple[str, ...]  #: rank 1, ties included; () when nobody has anything yet
    value: Figure  #: the leaders' figure (the top of the board)


@dataclass(frozen=True)
class PlanFigures:
    """A running plan's latest cycle against its targets (the PDCA check's whole-plan row)."""

    name: str
    cycle_number: int
    first_day: date
    last_day: date
    targets: int  #: target members
    figures: tuple  #: completion, success, sales: tui.db.pdca.plans.Figure, each with its target


@dataclass(frozen=True)
class GuideQueue:
    guide_id: int
    guide: str
    due: int  #: members in the guide's queue
    overdue: int  #: of them, with a call already overdue


@dataclass(frozen=True)
class EodSummary:
    shop: str
    day: date
    period: Period  #: the day as a period (its UTC bounds)
    follow_up_days: int  #: a purchase this many days after a contact follows it
    callbacks: tuple[GuideCallbacks, ...]  #: every active guide, by name
    queue: QueueCounts  #: the day's queue as it stands: still due, overdue, called back on the day
    contacts: ContactsByChannel
    sales: SalesAfterContacts
    new_members: NewMembers
    archive: tuple[GuideArchive, ...]  #: every active guide, by name
    leaders: tuple[BoardLeader, ...]  #: one per leaderboard, in BOARDS order
    plans: tuple[PlanFigures, ...] | None  #: running plans; None: no PDCA module to ask
    tomorrow: QueueCounts  #: the whole shop's queue for the next day, as raised so far
    tomorrow_by_guide: tuple[GuideQueue, ...]
    bilingual: bool = False  #: headings in Chinese and English ([printing] bilingual_heading)
    imports: tuple[DayImport, ...] = ()  #: files brought in on the day, and inbox files refused

    @property
    def callbacks_total(self) -> GuideCallbacks:
        rows = self.callbacks
        return GuideCallbacks(0, "all guides", sum(r.due for r in rows), sum(r.done for r in rows),
                              sum(r.late for r in rows), sum(r.missed for r in rows))

    @property
    def archive_gained(self) -> Fraction:
        return sum((r.gained for r in self.archive), Fraction(0))


def _by_name(board: Board) -> list:
    """The board's rows in the order of the guides list (by name), not by rank."""
    return sorted(board.rows, key=lambda r: (r.guide, r.guide_id))


def _leader(board: Board) -> BoardLeader:
    col = board.column(board.rank_by)
    top = [r for r in board.rows if r.rank == 1]
    value = top[0].figures[board.rank_by] if top else 0
    names = tuple(r.guide for r in top) if top and sort_key(value) > 0 else ()
    return BoardLeader(board.name, col.key, col.label, col.kind, names, value)


def _leaders_section(boards: dict[str, Board]) -> tuple[BoardLeader, ...]:
    """The leader of each board for the day (tui.db.boards.boards.leaderboard)."""
    return tuple(_leader(boards[name]) for name in BOARDS)


def _plans_section(day: date, settings: Settings) -> tuple[PlanFigures, ...] | None:
    """Each running plan's latest cycle, target against actual, counted up to the end of
    the day: tui.db.pdca.view.plan_list, the PDCA screen's list. None when the PDCA module is
    not there (the sheet then says so)."""
    try:
        from tui.db.pdca.view import plan_list
    except ImportError:
        return None
    return tuple(PlanFigures(p.name, p.cycle_number, p.first_day, p.last_day, p.targets,
                             (p.completion, p.success, p.sales))
                 for p in plan_list(day, settings) if p.status == "running")


def eod_summary(day: date, settings: Settings, names: bool = True) -> EodSummary:
    """The figures of the day's sheet, read in one transaction (one consistent picture)."""
    zone, rules = settings.shop.zone, settings.callbacks
    period = make_period("range", day, day, zone)
    tomorrow = day + timedelta(days=1)
    with snapshot():
        boards = {name: leaderboard(name, period, settings, day) for name in BOARDS}
        callbacks = []
        for row in _by_name(boards["callbacks"]):
            f = row.figures
            callbacks.append(GuideCallbacks(row.guide_id, row.guide, f["rate"].of, f["on_time"],
                                            f["late"], f["not_done"]))
        archive = [GuideArchive(r.guide_id, r.guide, r.figures["gained"], r.figures["complete"],
                                r.figures["members"]) for r in _by_name(boards["archive"])]
        queue = callback_queue(day, rules, zone, limit=0).counts
        ahead = callback_queue(tomorrow, rules, zone, limit=0).counts
        ahead_by_guide = []
        for guide_id, name in active_guides(by_name=True):
            counts = callback_queue(tomorrow, rules, zone, guide_id=guide_id, limit=0).counts
            ahead_by_guide.append(GuideQueue(guide_id, name, counts.due, counts.overdue))
        return EodSummary(
            shop=settings.shop.name, day=day, period=period,
            follow_up_days=settings.leaderboards.follow_up_success_days,
            callbacks=tuple(callbacks), queue=queue,
            contacts=contacts_by_channel(period),
            sales=sales_after_contacts(period, zone, settings.leaderboards.follow_up_success_days),
            new_members=new_members(period, NEW_MEMBERS_LISTED, names),
            archive=tuple(archive), leaders=_leaders_section(boards),
            plans=_plans_section(day, settings),
            tomorrow=ahead, tomorrow_by_guide=tuple(ahead_by_guide),
            bilingual=settings.printing.bilingual_heading,
            imports=imports_between(period.start, period.end))


# -- words -----------------------------------------------------------------------------------

def num(n: int) -> str:
    return f"{n:,}"


def day_words(day: date) -> str:
    """2026-11-23 Mon, 2026-11-23 周一."""
    return f"{day.isoformat()} {_(WEEKDAYS[day.weekday()])}"


def board_words(board: str) -> str:
    """The sheet's own name for a board, so it reads the same whatever the boards' screen
    calls it."""
    words = {"archive": pgettext("end-of-day board", "Archive"),
             "visits": pgettext("end-of-day board", "Visits"),
             "callbacks": pgettext("end-of-day board", "Callbacks"),
             "follow_up": pgettext("end-of-day board", "Follow-up")}
    return words.get(board) or BOARD_LABELS.get(board, board)


def ranked_on_words(board: str, figure: str, label: str) -> str:
    """The figure a board ranks on, in the sheet's words (lower case in English)."""
    words = {("archive", "complete"): pgettext("end-of-day figure", "complete"),
             ("visits", "contacts"): pgettext("end-of-day figure", "contacts"),
             ("callbacks", "rate"): pgettext("end-of-day figure", "on time rate"),
             ("follow_up", "followed"): pgettext("end-of-day figure", "bought after")}
    return words.get((board, figure)) or label.lower()


def plan_figure_words(key: str) -> str:
    """A plan's figure (tui.db.pdca.check.FIGURES) in the sheet's words."""
    words = {"completion": pgettext("end-of-day plan figure", "completion"),
             "success": pgettext("end-of-day plan figure", "success"),
             "sales": pgettext("end-of-day plan figure", "performance")}
    return words.get(key, key)


def pace_words(pace: str) -> str:
    """A plan's pace as the narrow sheet says it (shorter than the check panel's words)."""
    words = {"on pace": pgettext("end-of-day sheet", "on pace"),
             "behind": pgettext("end-of-day sheet", "behind"),
             "not started": pgettext("end-of-day sheet", "not started")}
    return words.get(pace, pace)


# -- layout ------------------------------------------------------------------------------------

def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _alone(ch: str) -> bool:
    """A Chinese character or punctuation mark: a line may break before and after it."""
    return _is_wide(ch) or (not ch.isascii() and unicodedata.category(ch).startswith("P"))


def _tokens(text: str) -> list[str]:
    """Words to wrap on: a run of spaces, a run of other narrow characters, or one
    character that stands alone (see _alone)."""
    out: list[str] = []
    for ch in text:
        if ch == " " and out and out[-1].startswith(" "):
            out[-1] += ch
        elif ch == " " or _alone(ch) or not out or out[-1].startswith(" ") or _alone(out[-1][-1]):
            out.append(ch)
        else:
            out[-1] += ch
    return out


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """The text in lines of at most `width` columns, broken at spaces or between Chinese
    characters; a word longer than a line is cut across lines. Later lines are indented
    by `indent` columns. Nothing is dropped but what would act on a terminal or printer
    (tui.text.one_line), which has no width to count."""
    text = one_line(text)
    lines: list[str] = []
    line, used = "", 0
    room = width
    for token in _tokens(text):
        w = cell_width(token)
        if token.startswith(" "):
            if line:
                line, used = line + token, used + w
            continue
        if used + w > room and line.strip():
            lines.append(line.rstrip())
            line, used, room = " " * indent, indent, width
        while w > room - used:  # longer than a whole line: cut it
            cut, taken = "", 0
            for ch in token:
                if used + taken + cell_width(ch) > room:
                    break
                cut, taken = cut + ch, taken + cell_width(ch)
            if not cut:
                break
            lines.append(line + cut)
            token = token[len(cut):]
            w = cell_width(token)
            line, used, room = " " * indent, indent, width
        line, used = line + token, used + w
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def center(text: str, width: int) -> str:
    text = one_line(text)
    pad = max(0, width - cell_width(text)) // 2
    return (" " * pad + text).rstrip()


class Sheet:
    """Lines of at most `width` columns."""

    def __init__(self, width: int, bilingual: bool = False) -> None:
        self.width = width
        self.bilingual = bilingual
        self.lines: list[str] = []
        #: tables stop widening here: on A4 a guide's figures stay near their name
        self.table_width = width if width <= 48 else 64

    def add(self, text: str = "", indent: int = 0) -> None:
        self.lines.extend(wrap(text, self.width, indent) if text else [""])

    def rule(self, ch: str = "-") -> None:
        self.lines.append(ch * self.width)

    def heading(self, title: str, right: str = "") -> None:
        """Callbacks ........ 2026-11-23 in the language spoken (回访 Callbacks … when
        bilingual: the Chinese, then the English); the right-hand words move below if
        there is no room. `title` is the English, marked with N_."""
        words = f"{in_language('zh-CN', title)} {title}" if self.bilingual else _(title)
        left, right = one_line(words), one_line(right)
        if right and cell_width(left) + 2 + cell_width(right) <= self.width:
            self.lines.append(left + fit_right(right, self.width - cell_width(left)))
        else:
            self.add(left)
            if right:
                self.lines.append(fit_right(right, self.width))

    def parts(self, parts: Sequence[str], sep: str = " · ") -> None:
        """Parts joined by `sep`, a line broken between parts where it can be."""
        line = ""
        for part in map(one_line, parts):
            joined = f"{line}{sep}{part}" if line else part
            if line and cell_width(joined) > self.width:
                self.add(line + sep.rstrip())
                line = part
            else:
                line = joined
        if line:
            self.add(line)

    def pair(self, left: str, right: str) -> None:
        """Words on the left, a figure on the right; the words shorten visibly (…)."""
        room = self.width - cell_width(right) - 1
        self.lines.append((fit(left, room) + " " + right).rstrip())

    def table(self, heads: Sequence[str], rows: Sequence[Sequence[str]],
              total: Sequence[str] | None = None) -> None:
        """A name column that takes the room left, then right-aligned figures. Names too
        long for the room end in '…'."""
        figures = len(heads) - 1
        widths = [max(cell_width(r[i]) for r in [heads, *rows, *([total] if total else [])])
                  for i in range(1, figures + 1)]
        name_w = max(4, self.table_width - sum(widths) - figures)

        def line(cells: Sequence[str]) -> str:
            out = fit(cells[0], name_w)
            for cell, w in zip(cells[1:], widths):
                out += " " + fit_right(cell, w)
            return out.rstrip()

        self.lines.append(line(heads))
        for row in rows:
            self.lines.append(line(row))
        if total is not None:
            self.lines.append(line(total))

    def text(self) -> str:
        return shown("\n".join(self.lines) + "\n")


# -- the sheet -----------------------------------------------------------------------------------

def _narrow(sheet: Sheet) -> bool:
    return sheet.width < 42


def _header(s: EodSummary, sheet: Sheet) -> None:
    for line in wrap(s.shop, sheet.width):
        sheet.lines.append(center(line, sheet.width))
    sheet.heading(N_("End of day"), day_words(s.day))
    sheet.rule("=")


def _callbacks(s: EodSummary, sheet: Sheet) -> None:
    sheet.heading(N_("Callbacks due on the day"))
    late = pgettext("callbacks done after the day", "late")
    heads = ((_("guide"), _("due"), _("done"), late, _("miss")) if _narrow(sheet)
             else (_("guide"), _("due"), _("done"), late, _("missed")))
    t = s.callbacks_total
    sheet.table(heads, [(r.guide, num(r.due), num(r.done), num(r.late), num(r.missed))
                        for r in s.callbacks],
                (_("all guides"), num(t.due), num(t.done), num(t.late), num(t.missed)))
    q = s.queue
    sheet.add(ngettext("Still due: {n:,} member, {overdue:,} overdue.",
                       "Still due: {n:,} members, {overdue:,} overdue.", q.due)
              .format(n=q.due, overdue=q.overdue))
    sheet.add(ngettext("Called back: {n:,} member.", "Called back: {n:,} members.",
                       q.done_today).format(n=q.done_today))


def _contacts(s: EodSummary, sheet: Sheet) -> None:
    c = s.contacts
    sheet.heading(N_("Contacts by channel"))
    heads = ((_("channel"), _("all"), _("care")) if _narrow(sheet)
             else (_("channel"), _("contacts"), _("care")))
    sheet.table(heads, [(_(CHANNEL_WORDS[ch.channel]) if ch.channel in CHANNEL_WORDS
                         else ch.channel, num(ch.contacts), num(ch.care)) for ch in c.channels],
                (_("all channels"), num(c.contacts), num(c.care)))
    sheet.add(_("Members contacted: {n:,}.").format(n=c.members))


def _sales(s: EodSummary, sheet: Sheet) -> None:
    a = s.sales
    sheet.heading(N_("Sales after a contact"))
    sheet.add(ngettext("First purchase within {days} day after a contact; credited to the "
                       "last contact.",
                       "First purchase within {days} days after a contact; credited to the "
                       "last contact.", s.follow_up_days).format(days=s.follow_up_days))
    heads = ((_("contact by"), _("buys"), _("sales")) if _narrow(sheet)
             else (_("contact by"), _("purchases"), _("sales")))
    rows = [(r.staff, num(r.purchases), yuan(r.sales_cents, Fen.ALWAYS)) for r in a.by_staff]
    rows.append((_("after a contact"), num(len(a.purchases)), yuan(a.sales_cents, Fen.ALWAYS)))
    sheet.table(heads, rows, (_("all purchases"), num(a.all_purchases),
                              yuan(a.all_sales_cents, Fen.ALWAYS)))


def _members(s: EodSummary, sheet: Sheet) -> None:
    n = s.new_members
    sheet.heading(N_("Members"))
    sheet.add(_("New members: {n:,}").format(n=n.count))
    owner_w = min(8, max((cell_width(m.owner or "—") for m in n.first), default=0))
    for m in n.first:
        left = f"  {m.member_no} {m.name}"
        sheet.lines.append((fit(left, sheet.table_width - owner_w - 1) + " "
                            + fit(m.owner or "—", owner_w)).rstrip())
    if n.count > len(n.first):
        sheet.add("  " + _("… and {n:,} more").format(n=n.count - len(n.first)))
    sheet.add(_("Archive gained (points):"))
    heads = (_("guide"), _("gained"), _("complete"))
    members = sum(r.members for r in s.archive)
    sheet.table(heads, [(r.guide, figure_words(r.gained, "points"),
                         f"{num(r.complete)}/{num(r.members)}") for r in s.archive],
                (_("all guides"), figure_words(s.archive_gained, "points"),
                 f"{num(sum(r.complete for r in s.archive))}/{num(members)}"))


def _plans(s: EodSummary, sheet: Sheet) -> None:
    sheet.heading(N_("Plans running"))
    if s.plans is None:
        sheet.add(_("(PDCA plans are not part of this version.)"))
        return
    if not s.plans:
        sheet.add(_("No plan is running."))
        return
    from tui.reports.pdca import actual_words, target_words

    for p in s.plans:
        sheet.parts([p.name, _("cycle {n}").format(n=p.cycle_number),
                     f"{p.first_day:%m-%d}..{p.last_day:%m-%d}",
                     ngettext("{n:,} target", "{n:,} targets", p.targets).format(n=p.targets)])
        narrow = sheet.width < 40
        heads = (("", _("actual"), _("target")) if narrow
                 else ("", _("actual"), _("target"), _("pace")))
        rows = []
        for f in p.figures:
            cells = [plan_figure_words(f.key), actual_words(f), target_words(f)]
            rows.append(cells if narrow else cells + [pace_words(f.pace)])
        sheet.table(heads, rows)
        if narrow:
            behind = [plan_figure_words(f.key) for f in p.figures if f.pace == "behind"]
            waiting = all(f.pace == "not started" for f in p.figures)
            pace = ("not started" if waiting else None if behind else "on pace")
            sheet.add(_("Pace: {pace}").format(pace=pace_words(pace)) if pace else
                      _("Behind: {figures}").format(
                          figures=pgettext("list separator", ", ").join(behind)))


def _leaders(s: EodSummary, sheet: Sheet) -> None:
    sheet.heading(N_("Leaders of the day"))
    rows = []
    for b in s.leaders:
        label = board_words(b.board)
        if not _narrow(sheet):
            label = _("{board} ({figure})").format(
                board=label, figure=ranked_on_words(b.board, b.figure, b.figure_label))
        rows.append((label, "、".join(b.leaders) or "—", figure_words(b.value, b.kind)))
    # board, leaders, figure: the leaders' names take the room between
    label_w = max(cell_width(r[0]) for r in rows)
    value_w = max(cell_width(r[2]) for r in rows)
    names_w = max(4, min(sheet.table_width, sheet.width) - label_w - value_w - 2)
    for label, names, value in rows:
        sheet.lines.append(fit(label, label_w) + " " + fit(names, names_w) + " "
                           + fit_right(value, value_w))


def _tomorrow(s: EodSummary, sheet: Sheet) -> None:
    sheet.heading(N_("Tomorrow's queue"), day_words(s.day + timedelta(days=1)))
    heads = ((_("guide"), _("members"), pgettext("end-of-day sheet", "late")) if _narrow(sheet)
             else (_("guide"), _("members"), _("overdue")))
    sheet.table(heads, [(g.guide, num(g.due), num(g.overdue)) for g in s.tomorrow_by_guide],
                (_("whole shop"), num(s.tomorrow.due), num(s.tomorrow.overdue)))


def _imports(s: EodSummary, sheet: Sheet) -> None:
    """Only on a day with imports: what came in, and an inbox file that did not (the
    manager must look at its report)."""
    sheet.heading(N_("Imports"))
    for line in s.imports:
        if line.kind is None:
            sheet.add(_("NOT brought in: {file} ({why})").format(file=line.file_name,
                                                              why=line.why))
            continue
        c = line.counts
        words = {"members": _("{new} new, {filled} filled").format(
                     new=c.get("new", 0), filled=c.get("filled", 0)),
                 "products": _("{new} new, {filled} filled").format(
                     new=c.get("new", 0), filled=c.get("filled", 0)),
                 "purchases": _("{lines} sale lines").format(lines=c.get("lines", 0))}
        undone = " " + _("(undone)") if line.undone else ""
        sheet.add(f"{line.file_name}: {words.get(line.kind, '')}{undone}")


SECTIONS = (_callbacks, _contacts, _sales, _members, _plans, _leaders, _tomorrow)


def eod_text(summary: EodSummary, width: int = 80) -> str:
    """The sheet, every line at most `width` columns (Chinese counts two)."""
    if width < WIDTHS[0]:
        raise ValueError(f"the end-of-day sheet needs at least {WIDTHS[0]} columns, not {width}")
    sheet = Sheet(width, summary.bilingual)
    _header(summary, sheet)
    for i, section in enumerate(SECTIONS + ((_imports,) if summary.imports else ())):
        if i:
            sheet.rule()
        section(summary, sheet)
    sheet.rule("=")
    title = (f"{in_language('zh-CN', 'End of day')} End of day" if summary.bilingual
             else _("End of day"))
    for line in wrap(f"Shopfloor · {title} {summary.day.isoformat()}", width):
        sheet.lines.append(center(line, width))
    return sheet.text()


def sheet_file(database: Path, day: date) -> Path:
    """Where a sheet that could not be printed is kept: eod-YYYY-MM-DD.txt beside the
    database (eod-YYYY-MM-DD-2.txt … when that is taken: a file is never written over)."""
    return first_free(database.parent, f"eod-{day.isoformat()}", ".txt")


__all__ = ["WIDTHS", "BoardLeader", "EodSummary", "GuideArchive", "GuideCallbacks",
           "GuideQueue", "PlanFigures", "Sheet", "center", "day_words", "eod_summary",
           "eod_text", "sheet_file", "wrap", "yuan"]
