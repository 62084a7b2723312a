"""Today's callback queue: the first screen, where a guide works through whom to call."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.markup import escape
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui.clock import local_day
from tui.db.callbacks.contacts import ContactLogged
from tui.db.callbacks.queue import PAGE_SIZE, QueueLine, QueuePage, callback_queue
from tui.db.callbacks.raising import ensure_generated
from tui.i18n import N_, _, day_words, late_words, ngettext
from tui.reports.queue import detail_words, due_words, last_contact_words, reason_words
from tui.reports.text import fit, phone_words
from tui.screens.base import ReadScreen, plain
from tui.widgets.footer import ShopFooter

# screens this one opens are imported where they open, for start-up time (tui/screens/__init__.py)

#: the table's columns: key and head (translated where the table is laid out)
COLUMN_HEADS = (("name", N_("Member")), ("tail", N_("Tail")), ("reasons", N_("Reasons")),
                ("due", N_("Due")), ("owner", N_("Owner")), ("last", N_("Last call")))


class QueueScreen(ReadScreen):
    """Today's callback queue: whom to call and why, most overdue first."""
    reading = N_("the queue")
    follows_changes = True
    BINDINGS = [
        Binding("enter", "log_contact", N_("Contact"), id="queue.log",
                tooltip=N_("log a contact with the member"), priority=True),
        Binding("c", "open_card", N_("Card"), tooltip=N_("the highlighted member's card"),
                id="queue.card"),
        Binding("n", "note", N_("Note"), tooltip=N_("a note on the highlighted member"),
                id="queue.note", show=False),  # the footer is full at 80 columns; the help lists it
        Binding("s", "toggle_scope", N_("Mine/shop"), tooltip=N_("mine / whole shop"),
                id="queue.scope"),
        Binding("g", "app.sign_out", N_("Sign out"), id="queue.guide",
                tooltip=N_("sign out: the next person signs in")),
        Binding("S", "app.staff", N_("Staff"), show=False, tooltip=N_("staff (manager)"),
                id="queue.staff"),
        Binding("p", "app.products", N_("Products"), show=False,
                tooltip=N_("products (manager)"), id="queue.products"),
        Binding("r", "reload", N_("Refresh"),
                tooltip=N_("read the queue again"), id="queue.reload", show=False),
        Binding("right_square_bracket", "page(1)", N_("Next page"),
                tooltip=N_("next page"), id="queue.next", show=False),
        Binding("left_square_bracket", "page(-1)", N_("Prev page"),
                tooltip=N_("previous page"), id="queue.prev", show=False),
        Binding("j", "cursor(1)", N_("Down"), show=False, tooltip=N_("down"), id="queue.down"),
        Binding("k", "cursor(-1)", N_("Up"), show=False, tooltip=N_("up"), id="queue.up"),
        Binding("l", "leaderboard", N_("Boards"),
                tooltip=N_("leaderboards"), id="queue.leaderboard", show=False),
        Binding("i", "app.import_files", N_("Import"), show=False,
                tooltip=N_("import the shop's files (manager)"), id="queue.import"),
        Binding("x", "app.export", N_("Export"), show=False,
                tooltip=N_("export for Excel (manager)"), id="queue.export"),
        Binding("e", "app.end_of_day", N_("End of day"), id="queue.eod",
                tooltip=N_("end-of-day sheet (preview; p prints)"), show=False),
        Binding("question_mark", "help", N_("Help"), tooltip=N_("this help"), id="queue.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.queue_page: QueuePage | None = None
        self.shown_widths: dict[str, int] = {}  #: the columns of the page on screen
        self.first_row = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield Static(_("Reading the queue…"), id="counts")
        table = DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="detail")
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._title()
        first = self.app.first_page
        if first is not None and first.done() and first.exception() is None \
                and self._is_current(first.result()):
            # read while the app was starting: the very first frame shows the queue
            self.app.first_page = None
            self.show_page(first.result())
        else:
            self.load()
        self.run_rules()
        # a screen left open past midnight: the next day's rules run, the queue moves on
        self.set_interval(300, self._new_day)

    def _new_day(self) -> None:
        if self.queue_page is not None and self.queue_page.day != self.today:
            self.run_rules()
            self.load()

    def _is_current(self, page: QueuePage) -> bool:
        return (page.day, page.guide_id, page.offset) == (
            self.today, self._scope_guide(), self.first_row)

    # -- reading -----------------------------------------------------------
    @property
    def today(self) -> date:
        return self.app.today()

    def _scope_guide(self) -> int | None:
        return self.app.user_id if self.app.mine else None

    def read_page(self) -> QueuePage:
        app = self.app
        first, app.first_page = app.first_page, None
        page = None
        if first is not None:
            try:
                page = first.result()
            except Exception:  # the early read failed: read again below
                page = None
        if page is None or not self._is_current(page):
            page = callback_queue(self.today, app.settings.callbacks, app.settings.shop.zone,
                                  guide_id=self._scope_guide(), limit=PAGE_SIZE,
                                  offset=self.first_row, viewer=app.viewer)
        return page

    @work(thread=True, group="rules", name=N_("Could not raise today's callbacks"),
          exit_on_error=False)
    def run_rules(self) -> None:
        """The day's rule run, once a day, after the first paint so start-up stays fast."""
        app = self.app
        now = app.clock.now()
        if ensure_generated(local_day(now, app.settings.shop.zone), app.settings.callbacks,
                            app.settings.shop.zone, now):
            app.call_from_thread(self.load)

    def _widths(self) -> dict[str, int]:
        wide = self.size.width >= 100
        # as wide as the latest a line can be ("14 d late", "逾期 14 天": past the stale
        # limit a call leaves the queue) and its head
        due = max(9, cell_len(late_words(self.app.settings.callbacks.stale_after_days)),
                  cell_len(_("Due")))
        widths = {"name": 10, "tail": 4, "due": due, "owner": 8 if wide else 6,
                  "last": 11 if wide else 10}
        fixed = sum(widths.values()) + 2 * 6 + 2
        widths["reasons"] = max(12, self.size.width - fixed)
        return widths

    def on_resize(self) -> None:
        # the columns follow the terminal: a page shown at 80 columns is laid out again
        # at 120 (and its reasons get their details), not only at the next read
        if self.queue_page is not None and self._widths() != self.shown_widths:
            self.show_page(self.queue_page)

    def show_page(self, page: QueuePage) -> None:
        was = self._current()
        self.queue_page = page
        table = self.query_one(DataTable)
        keep = table.cursor_row
        # the highlight stays on the member it was on, wherever the new page puts her
        # (another session's contact takes a line out above her); else at the same place
        if was is not None:
            keep = next((i for i, line in enumerate(page.lines)
                         if line.member_id == was.member_id), keep)
        widths = self.shown_widths = self._widths()
        table.clear(columns=True)
        for key, head in COLUMN_HEADS:
            table.add_column(_(head), width=widths[key], key=key)
        # A screenful first, so the queue paints at once; the rest of the page right after.
        first = max(self.size.height, 24)
        for line in page.lines[:first]:
            table.add_row(*self._cells(line, widths, page.day), key=str(line.member_id))
        if page.lines and self.app.on_first_queue is not None:
            # told once the frame with the rows is painted, before the rest are added
            report, self.app.on_first_queue = self.app.on_first_queue, None
            self.call_after_refresh(report, self.app)
        if len(page.lines) > first:
            self.call_after_refresh(self._add_rest, page, first, widths, keep)
        if page.lines:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self._title()
        c = page.counts
        shown = (_("  ·  {first}–{last} of {due}").format(
                     first=page.offset + 1, last=page.offset + len(page.lines), due=c.due)
                 if c.due > len(page.lines) else "")
        self.query_one("#counts", Static).update(
            _("[b]{due}[/b] due  ·  [b red]{overdue}[/b red] overdue  ·  "
              "[b green]{done}[/b green] done today").format(
                due=c.due, overdue=c.overdue, done=c.done_today) + shown)
        self._detail()

    @staticmethod
    def _cells(line: QueueLine, widths: dict[str, int], day: date) -> tuple[Text, ...]:
        # Text cells, not str: a str cell is parsed as markup (slow, and a "[" in a note
        # would be taken for a tag).
        return (Text(fit(line.name, widths["name"])), Text(line.phone_tail or ""),
                Text(fit(reason_words(line, widths["reasons"]), widths["reasons"])),
                Text(fit(due_words(line), widths["due"]),
                     style="bold red" if line.days_overdue else ""),
                Text(fit(line.owner or "—", widths["owner"])),
                Text(fit(last_contact_words(line, day), widths["last"])))

    def _add_rest(self, page: QueuePage, start: int, widths: dict[str, int], keep: int) -> None:
        if self.queue_page is not page:  # a newer page arrived meanwhile
            return
        table = self.query_one(DataTable)
        for line in page.lines[start:]:
            table.add_row(*self._cells(line, widths, page.day), key=str(line.member_id))
        if keep >= table.cursor_row:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _title(self) -> None:
        app = self.app
        scope = (_("mine: {name}") if app.mine else _("whole shop (as {name})")).format(
            name=app.user_name)
        self.query_one("#title", Static).update(
            f"[b]{escape(app.settings.shop.name)}[/b] · {day_words(self.today)} · {escape(scope)}")

    def _current(self) -> QueueLine | None:
        if not self.queue_page or not self.queue_page.lines:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.queue_page.lines[row] if 0 <= row < len(self.queue_page.lines) else None

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        line = self._current()
        detail = self.query_one("#detail", Static)
        if line is None:
            detail.update(_("Nobody is due a call. Press [b]s[/b] for the whole shop, "
                            "[b]g[/b] to work as someone else.") if self.queue_page else "")
            return
        # names and notes are what people typed: never markup
        reasons = "\n".join(f"  [b]{r.label}[/b] {plain(detail_words(r.detail, r.reason))}"
                            for r in line.reasons)
        detail.update(f"[b]{plain(line.name)}[/b]  {phone_words(line.phone)}  {line.member_no}"
                      "  " + _("owner {name}").format(name=plain(line.owner or '—'))
                      + f"\n{reasons}")

    # -- actions -----------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if delta > 0 else table.action_cursor_up()

    def action_log_contact(self) -> None:
        from tui.screens.contact_form import ContactForm

        line = self._current()
        if line is None:
            self.notify(_("No member highlighted."), severity="warning")
            return

        def saved(result: ContactLogged | None) -> None:
            if result is None:
                return
            words = _("Contact with {name} logged").format(name=line.name)
            if result.callbacks_done:
                words += ngettext("; {n} callback(s) done", "; {n} callback(s) done",
                                  result.callbacks_done).format(n=result.callbacks_done)
            if result.next_contact_on:
                words += _("; next call {day}").format(day=f"{result.next_contact_on:%Y-%m-%d}")
            self.notify(words + _("."), markup=False)
            self.load()

        self.app.push_screen(ContactForm(line, self.app.user_id, self.today), saved)

    def action_open_card(self) -> None:
        line = self._current()
        if line is None:
            self.notify(_("No member highlighted."), severity="warning")
            return
        self.app.open_card(line.member_id)

    def action_note(self) -> None:
        """A note on the highlighted member without leaving the queue: n, the text, Enter."""
        from tui.screens.note_form import NoteForm

        line = self._current()
        if line is None:
            self.notify(_("No member highlighted."), severity="warning")
            return

        def saved(done: bool | None) -> None:
            if done:
                self.notify(_("Note on {name} saved.").format(name=line.name), markup=False)

        self.app.push_screen(NoteForm(line.member_id, line.name), saved)

    def action_toggle_scope(self) -> None:
        if self.app.mine and not self.app.may_see_shop:
            self.app.refuse(_("Guides see their own queue; a manager can allow the whole shop in "
                              "settings ([staff] guides_see_whole_shop)."))
            return
        self.app.mine = not self.app.mine
        self.first_row = 0
        self.load()

    def action_page(self, step: int) -> None:
        if not self.queue_page:
            return
        new = self.first_row + step * PAGE_SIZE
        if 0 <= new < self.queue_page.counts.due:
            self.first_row = new
            self.load()

    def action_reload(self) -> None:
        self.load()

    def action_leaderboard(self) -> None:
        from tui.screens.leaderboard import open_leaderboard

        open_leaderboard(self.app)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
