"""The leaderboards (评比): every active guide ranked on one board for a period; Enter on
a figure lists the members, contacts or callbacks behind it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from tui.db.boards.boards import Board, BoardRow, leaderboard
from tui.db.boards.drill import DRILL_PAGE, DrillPage, drill_down
from tui.db.boards.figures import BOARDS
from tui.db.boards.periods import Period, PeriodError, parse_period
from tui.reports.leaderboards import (BOARD_LABELS, drill_columns, drill_heading, figure_words,
                                      line_cells)
from tui.reports.text import fit, fit_right
from tui.screens.base import ReadScreen, plain
from tui.screens.paging import PagedLines
from tui.i18n import N_, _, ngettext
from tui.widgets.footer import ShopFooter

# screens this one opens are imported where they open, for start-up time (tui/screens/__init__.py)


def leaderboard_help(app: App) -> str:
    """Every definition, with this shop's settings filled in (the keys come from the
    bindings)."""
    s = app.settings
    days = s.leaderboards.follow_up_success_days
    return _(LEADERBOARD_HELP).format(
        zone=escape(s.shop.timezone), week_day=_(s.leaderboards.week_starts_on.capitalize()),
        threshold=f"{s.archive.complete_threshold:.0%}",
        hard=f"{s.archive.hard_weight:g}/{len(s.archive.hard_fields)}",
        soft=f"{s.archive.soft_weight:g}/{len(s.archive.soft_fields)}",
        days=days, day_after=days + 1)


#: the help, one block to translate whole (its lines are laid out in each language)
LEADERBOARD_HELP = N_("""\
[b]Leaderboards[/b]
Every active guide (role guide; managers are not ranked) on each
board, with zero where there is nothing yet. Equal figures share a
rank: 1, 1, 3. Periods are whole days in the shop's time zone
({zone}); a week starts on {week_day}.
← → ↑ ↓ pick a figure.

[b]1 Archive completeness[/b] (the guide's members: member.owner)
  Members    members owned now (erased members left out)
  Complete   archives at or above {threshold} completeness, now
  Average    average completeness of those members, now
  Gained     what the guide's own archive work added in the period:
             each register, edit, child added or promotions answer
             logs the fields it filled or emptied, signed; each field
             counts its weight (hard {hard}, soft {soft}), in
             percentage points summed over the members worked on.
             A sale's derived fields, merges and erasures do not count.
[b]2 Visits[/b] (contacts the guide logged)
  Contacts   contacts logged in the period
  Reached    distinct members reached: any outcome but no answer
             or wrong number
  Care       contacts logged as care contacts
[b]3 Callbacks done on time[/b] (the guide's queue: callback owner)
  Due: callbacks due on a day of the period, up to today (or
  already done), not cancelled.
  On time    done by the end of the due day (whoever called)
  Late       done after the due day
  Not done   still open, or missed
[b]4 Follow-up success[/b] (credited to whoever made the contact)
  A contact in the period counts once when its member buys after
  it, no later than {days} shop days after the contact's day
  (day {days} counts, day {day_after} does not). Success = those / contacts.
""")


#: the days a week may start on, as the help names them
WEEK_DAYS = (N_("Monday"), N_("Sunday"))

#: what Enter on a figure lists, as the detail line says it
DRILL_WORDS = {"members": N_("members"), "contacts": N_("contacts"), "callbacks": N_("callbacks")}

#: the periods' keys, one entry in the footer
PERIODS = Binding.Group(N_("Period"))


class LeaderboardScreen(ReadScreen):
    """The leaderboards: every active guide ranked on one board for a period."""
    BINDINGS = [
        Binding("1", "board('archive')", N_("Archive"),
                tooltip=N_("board 1: archive completeness"), id="leaderboard.archive", show=False),
        Binding("2", "board('visits')", N_("Visits"),
                tooltip=N_("board 2: visits"), id="leaderboard.visits", show=False),
        Binding("3", "board('callbacks')", N_("Callbacks"), id="leaderboard.callbacks",
                tooltip=N_("board 3: callbacks done on time"), show=False),
        Binding("4", "board('follow_up')", N_("Follow-up"),
                tooltip=N_("board 4: follow-up success"), id="leaderboard.follow_up", show=False),
        Binding("tab", "next_board(1)", N_("Board"), tooltip=N_("next board"), id="leaderboard.next"),
        Binding("shift+tab", "next_board(-1)", N_("Previous board"), show=False,
                tooltip=N_("previous board"), id="leaderboard.previous"),
        # one footer entry for the four periods ("t w m c Period"): one each, with the
        # footer's other keys and the palette, is wider than 80 columns and cut "? Help"
        Binding("t", "period('today')", N_("Today"), tooltip=N_("today"), id="leaderboard.today",
                group=PERIODS),
        Binding("w", "period('week')", N_("Week"), tooltip=N_("this week"), id="leaderboard.week",
                group=PERIODS),
        Binding("m", "period('month')", N_("Month"), tooltip=N_("this month"), id="leaderboard.month",
                group=PERIODS),
        Binding("c", "custom_period", N_("Range"), id="leaderboard.range",
                tooltip=N_("a range of days FROM..TO, or one day"), group=PERIODS),
        Binding("enter", "drill", N_("Open"),
                tooltip=N_("what is behind the figure"), id="leaderboard.drill", priority=True),
        Binding("s", "rank_here", N_("Rank by"),
                tooltip=N_("rank on this column"), id="leaderboard.rank", show=False),
        Binding("r", "reload", N_("Refresh"),
                tooltip=N_("read again"), id="leaderboard.reload", show=False),
        Binding("escape", "back", N_("Back"), tooltip=N_("back"), id="leaderboard.back"),
        Binding("question_mark", "help", N_("Help"), tooltip=N_("this help"), id="leaderboard.help"),
    ]

    def __init__(self, board: str = "archive", period: str = "today") -> None:
        super().__init__()
        self.board_name = board
        self.period_text = period
        self.rank_by: str | None = None  #: None: the board's own figure
        self.board: Board | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield Static("", id="lb-tabs")
        yield Static(_("Reading the board…"), id="counts")
        yield DataTable(id="leaderboard", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="lb-detail")
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._tabs()
        self.load()

    # -- reading -----------------------------------------------------------------------
    reading = N_("the leaderboard")
    follows_changes = True

    def read_page(self) -> Board:
        app = self.app
        today = app.today()
        period = parse_period(self.period_text, today, app.settings.shop.zone,
                              app.settings.leaderboards.week_starts_on)
        return leaderboard(self.board_name, period, app.settings, today, rank_by=self.rank_by)

    def show_page(self, board: Board) -> None:
        same_board = self.board is not None and self.board.name == board.name
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate if same_board else None
        if (keep is not None and (board.period, board.rank_by) == (self.board.period,
                                                                   self.board.rank_by)
                and keep.row < len(self.board.rows)):
            # on the same guide when read again, though another session's write moved her rank
            guide = self.board.rows[keep.row].guide_id
            keep = Coordinate(next((i for i, row in enumerate(board.rows)
                                    if row.guide_id == guide), keep.row), keep.column)
        self.board = board
        widths = self._widths(board)
        table.clear(columns=True)
        table.add_column("#", width=3, key="rank")
        table.add_column(_("Guide"), width=widths[0], key="guide")
        for col, width in zip(board.columns, widths[1:]):
            marker = "▼" if col.key == board.rank_by else ""
            table.add_column(Text(fit_right(marker + col.label, width)), width=width, key=col.key)
        for row in board.rows:
            table.add_row(*self._cells(board, row, widths), key=str(row.guide_id))
        if board.rows:
            rank_col = 2 + [c.key for c in board.columns].index(board.rank_by)
            target = keep if keep is not None else Coordinate(0, rank_col)
            table.cursor_coordinate = Coordinate(min(target.row, table.row_count - 1),
                                                 min(target.column, len(board.columns) + 1))
        self._title()
        self._tabs()
        self.query_one("#counts", Static).update(
            _("[b]{title}[/b] · {period} · {guides} · ▼ ranks").format(
                title=escape(board.title), period=escape(board.period.label),
                guides=ngettext("{n} guide", "{n} guides", len(board.rows)).format(
                    n=len(board.rows))))
        self._detail()

    def _widths(self, board: Board) -> list[int]:
        """The guide's name, then each figure: the screen's width shared out."""
        n = len(board.columns)
        room = self.size.width - 2 - 3 - 2 * (n + 2)
        name = 10
        figure = max(8, min(16, (room - name) // n))
        return [name] + [figure] * n

    @staticmethod
    def _cells(board: Board, row: BoardRow, widths: list[int]) -> list[Text]:
        cells = [Text(fit_right(str(row.rank), 3)), Text(fit(row.guide, widths[0]))]
        for col, width in zip(board.columns, widths[1:]):
            cells.append(Text(fit_right(figure_words(row.figures[col.key], col.kind), width),
                              style="bold" if col.key == board.rank_by else ""))
        return cells

    def _title(self) -> None:
        app = self.app
        who = f" · {plain(app.user_name)}" if getattr(app, "user_name", "") else ""
        self.query_one("#title", Static).update(
            _("[b]{shop}[/b] · Leaderboards{who}").format(shop=escape(app.settings.shop.name),
                                                           who=who))

    def _tabs(self) -> None:
        parts = []
        for i, name in enumerate(BOARDS, start=1):
            label = f" {i} {_(BOARD_LABELS[name])} "
            parts.append(f"[reverse b]{label}[/]" if name == self.board_name else label)
        periods = " ".join(
            f"[reverse]{k}[/]" if self.period_text == p else k
            for k, p in (("t", "today"), ("w", "week"), ("m", "month")))
        custom = "[reverse]c[/]" if self.period_text not in ("today", "week", "month") else "c"
        self.query_one("#lb-tabs", Static).update(" ".join(parts) + f"   {periods} {custom}")

    # -- the highlighted figure ----------------------------------------------------------
    def _focus_figure(self) -> tuple[BoardRow, str] | None:
        """The highlighted guide and figure key; the rank and name columns mean the board's
        own figure."""
        board = self.board
        if board is None or not board.rows:
            return None
        coord = self.query_one(DataTable).cursor_coordinate
        if not 0 <= coord.row < len(board.rows):
            return None
        column = coord.column - 2
        key = board.columns[column].key if 0 <= column < len(board.columns) else board.rank_by
        return board.rows[coord.row], key

    @on(DataTable.CellHighlighted)
    def _detail(self) -> None:
        detail = self.query_one("#lb-detail", Static)
        focus = self._focus_figure()
        if focus is None:
            detail.update(_("No active guides to rank.") if self.board else "")
            return
        row, key = focus
        col = self.board.column(key)
        detail.update(_("[b]{guide}[/b] · {figure} [b]{value}[/b] · rank {rank}\n"
                        "{meaning}. Enter lists the {drill}.").format(
            guide=plain(row.guide), figure=escape(col.label),
            value=escape(figure_words(row.figures[key], col.kind)), rank=row.rank,
            meaning=escape(col.meaning), drill=_(DRILL_WORDS.get(col.drill, col.drill))))

    # -- actions -------------------------------------------------------------------------
    def action_board(self, name: str) -> None:
        if name != self.board_name:
            self.board_name, self.rank_by = name, None
            self._tabs()
            self.load()

    def action_next_board(self, step: int) -> None:
        names = list(BOARDS)
        self.action_board(names[(names.index(self.board_name) + step) % len(names)])

    def action_period(self, text: str) -> None:
        if text != self.period_text:
            self.period_text = text
            self._tabs()
            self.load()

    def action_custom_period(self) -> None:
        def typed(text: str | None) -> None:
            if text:
                self.action_period(text)

        self.app.push_screen(PeriodForm(self.period_text if ".." in self.period_text else ""),
                             typed)

    def action_rank_here(self) -> None:
        focus = self._focus_figure()
        if focus is not None and focus[1] != (self.board.rank_by if self.board else None):
            self.rank_by = focus[1]
            self.load()

    def action_drill(self) -> None:
        focus = self._focus_figure()
        if focus is None or self.board is None:
            self.notify(_("No figure highlighted."), severity="warning")
            return
        row, key = focus
        self.app.push_screen(DrillDownScreen(self.board.name, key, row.guide_id,
                                             self.board.period))

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(leaderboard_help(self.app)))


class PeriodForm(ModalScreen[str | None]):
    """A range of days typed as FROM..TO; checked here, so the board never gets a bad one."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="period_form.cancel")]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="period-form", classes="dialog"):
            yield Label(_("Days to rank, in the shop's calendar"))
            yield Input(value=self.text, placeholder="2026-11-01..2026-11-15", id="period-text")
            yield Static(_("FROM..TO, or one day · Enter shows it · Esc cancels"),
                         id="period-status", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def check(self) -> None:
        app = self.app
        text = self.query_one(Input).value.strip()
        try:
            parse_period(text, app.today(), app.settings.shop.zone,
                         app.settings.leaderboards.week_starts_on)
        except PeriodError as exc:
            self.query_one("#period-status", Static).update(f"{exc}")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DrillDownScreen(PagedLines, ReadScreen):
    """The members, contacts or callbacks behind one figure, a page at a time."""

    page_size = DRILL_PAGE

    BINDINGS = [
        Binding("escape,q", "back", N_("Back"), id="drill.back"),
        Binding("enter", "open_member", N_("Member card"), id="drill.member", priority=True),
        Binding("right_square_bracket", "page(1)", N_("Next page"), id="drill.next", show=False),
        Binding("left_square_bracket", "page(-1)", N_("Prev page"), id="drill.prev", show=False),
        Binding("j", "cursor(1)", N_("Down"), show=False, id="drill.down"),
        Binding("k", "cursor(-1)", N_("Up"), show=False, id="drill.up"),
    ]

    def __init__(self, board: str, figure: str, guide_id: int, period: Period) -> None:
        super().__init__()
        self.board_name, self.figure, self.guide_id, self.period = board, figure, guide_id, period
        self.first_line = 0
        self.page: DrillPage | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield Static(_("Reading…"), id="counts")
        yield DataTable(id="drill", cursor_type="row", zebra_stripes=True)
        yield Static("", id="lb-detail")
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    reading = N_("what is behind the figure")

    def read_page(self) -> DrillPage:
        app = self.app
        return drill_down(self.board_name, self.figure, self.guide_id, self.period,
                          app.settings, app.today(), limit=DRILL_PAGE, offset=self.first_line)

    def show_page(self, page: DrillPage) -> None:
        self.page = page
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for i, label in enumerate(drill_columns(page)):
            table.add_column(label, key=str(i))
        for i, line in enumerate(page.lines):
            table.add_row(*(Text(c) for c in line_cells(line, short=True)), key=str(i))
        self.query_one("#title", Static).update(f"[b]{plain(drill_heading(page))}[/b]")
        shown = (_(" · {first}–{last} of {total}, [ ] pages").format(
            first=page.offset + 1, last=page.offset + len(page.lines), total=f"{page.total:,}")
            if page.total > len(page.lines) else "")
        self.query_one("#counts", Static).update(f"{escape(page.meaning)}{shown}")
        self.query_one("#lb-detail", Static).update(
            _("Nothing behind this figure.") if not page.lines
            else _("Enter opens the member's card · Esc back to the board"))

    def action_open_member(self) -> None:
        if self.page is None or not self.page.lines:
            return
        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.page.lines):
            line = self.page.lines[row]
            if line.member_id:  # a member merged away since has no card
                self.app.open_card(line.member_id)

    def action_back(self) -> None:
        self.app.pop_screen()


def open_leaderboard(app: App, board: str = "archive", period: str = "today") -> None:
    """Show the leaderboards (the lead wires this to a key and a palette command); a no-op
    when they are already on top."""
    if not isinstance(app.screen, (LeaderboardScreen, DrillDownScreen)):
        app.push_screen(LeaderboardScreen(board, period))
