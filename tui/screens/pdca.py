"""PDCA plans: the list of plans, and each running plan's check panel — targets against
actuals with progress bars, whole plan and per guide, against the time elapsed.

Enter on a figure lists the members and contacts behind it; s spot-checks, a adjusts,
c closes the cycle, n starts the next one, h shows the cycles side by side. The panel
and `shopfloor pdca` read the same `plan_check` and print it through the same cells.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.widgets import DataTable, Static

from tui.db.pdca.act import close_cycle
from tui.db.pdca.check import FIGURES, FIGURE_LABELS, PlanCheck, plan_check
from tui.db.pdca.view import PlanLine, plan_list
from tui.reports.pdca import (DEFINITIONS, actual_words, bar, figure_cells, plan_line_cells,
                              target_words)
from tui.reports.text import cell_width, fit, fit_right
from tui.screens.base import ReadScreen, plain
from tui.i18n import N_, _, ngettext
from tui.widgets.footer import ShopFooter

# screens this one opens are imported where they open, for start-up time (tui/screens/__init__.py)


def pdca_help(app: App) -> str:
    """Every definition exactly as docs/pdca.md has them (the keys come from the bindings)."""
    return _(PDCA_HELP).format(
        definitions=escape(_(DEFINITIONS)), stale=app.settings.callbacks.stale_after_days,
        capacity=app.settings.callbacks.guide_daily_capacity)


#: the help around the definitions, one block to translate whole
PDCA_HELP = N_("""\
[b]PDCA plans[/b] (计划 · 执行 · 检查 · 改进)
↑ ↓ a figure. The bar: █ done toward the target, ┃ where the days elapsed expect it.

[b]Definitions[/b] (exactly as computed; docs/pdca.md)
{definitions}
  Stale after: {stale} days; guide daily capacity: {capacity} calls (settings [callbacks]).
""")


#: the plan list's columns (plan_line_cells)
PLAN_COLUMNS = (N_("Plan"), "#", N_("Period"), N_("State"), N_("Completion"), N_("Success"),
                N_("Performance"))
#: the columns' widths while there is no plan: a name, "1", "12-01..12-31", "running", figures
EMPTY_WIDTHS = (16, 2, 12, 7, 10, 10, 11)


class PdcaScreen(ReadScreen):
    """Every plan, its latest cycle and how it stands; Enter opens the check panel."""

    BINDINGS = [
        Binding("enter", "open", N_("Check"),
                tooltip=N_("the plan's check panel"), id="pdca.open", priority=True),
        Binding("n", "new_plan", N_("New plan"), tooltip=N_("a new plan (manager)"), id="pdca.new"),
        Binding("h", "history", N_("History"), id="pdca.history",
                tooltip=N_("the plan's cycles side by side")),
        Binding("r", "reload", N_("Refresh"), tooltip=N_("read again"), id="pdca.reload", show=False),
        Binding("escape", "back", N_("Back"), tooltip=N_("back"), id="pdca.back"),
        Binding("question_mark", "help", N_("Help"), tooltip=N_("this help"), id="pdca.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.plans: list[PlanLine] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield Static(_("Reading the plans…"), id="counts")
        yield DataTable(id="pdca-plans", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="pdca-detail")
        yield ShopFooter()

    def on_mount(self) -> None:
        app = self.app
        self.query_one("#title", Static).update(
            _("[b]{shop}[/b] · PDCA plans · as {user}").format(shop=escape(app.settings.shop.name),
                                                               user=plain(app.user_name)))
        self.query_one(DataTable).focus()
        self.load()

    reading = N_("the plans")

    def read_page(self) -> list[PlanLine]:
        return plan_list(self.app.today(), self.app.settings)

    def show_page(self, plans: list[PlanLine]) -> None:
        self.plans = plans
        table = self.query_one(DataTable)
        table.clear(columns=True)
        rows = [plan_line_cells(p) for p in self.plans]
        # no plan yet: the columns as wide as a first plan's would be, not their headings
        # run together one space apart
        shortest = EMPTY_WIDTHS if not rows else (0,) * len(PLAN_COLUMNS)
        heads = [_(label) for label in PLAN_COLUMNS]
        widths = [min(16, max([cell_width(r[i]) for r in rows] + [cell_width(label), least]))
                  for i, (label, least) in enumerate(zip(heads, shortest))]
        for i, (label, width) in enumerate(zip(heads, widths)):
            table.add_column(fit_right(label, width) + " " if i >= 4 else fit(label, width + 1),
                             width=width + 1)
        for p, cells in zip(self.plans, rows):
            table.add_row(*(Text(fit_right(c, w) + " " if i >= 4 else fit(c, w + 1))
                            for i, (c, w) in enumerate(zip(cells, widths))), key=str(p.cycle_id))
        running = sum(1 for p in self.plans if p.status == "running")
        self.query_one("#counts", Static).update(
            _("{plans}, {running} running · figures as of {day}").format(
                plans=ngettext("{n} plan", "{n} plans", len(self.plans)).format(
                    n=len(self.plans)), running=running, day=self.app.today()))
        self.query_one("#pdca-detail", Static).update(
            _("Enter: the check panel · n: a new plan (manager) · h: a plan's cycles side by side")
            if self.plans else _("No plan yet. n makes one (a manager): name, members, period, "
                                 "targets, methods, who is responsible."))

    def _current(self) -> PlanLine | None:
        row = self.query_one(DataTable).cursor_row
        return self.plans[row] if 0 <= row < len(self.plans) else None

    def action_open(self) -> None:
        plan = self._current()
        if plan is not None:
            self.app.push_screen(CheckPanelScreen(plan.cycle_id))

    def action_new_plan(self) -> None:
        from tui.screens.pdca_form import PlanForm

        if not self.app.is_manager:
            self.app.refuse(_("Plans are a manager's; sign in as a manager (g on the queue)."))
            return

        def started(cycle_id: int | None) -> None:
            if cycle_id is not None:
                self.notify(_("Plan started: its targets are frozen, their calls spread over "
                              "the period in the guides' queues (guide_daily_capacity "
                              "{capacity} a day).").format(
                    capacity=self.app.settings.callbacks.guide_daily_capacity))
                self.load()
                self.app.push_screen(CheckPanelScreen(cycle_id))

        self.app.push_screen(PlanForm(), started)

    def action_history(self) -> None:
        from tui.screens.pdca_history import HistoryScreen

        plan = self._current()
        if plan is not None:
            self.app.push_screen(HistoryScreen(plan.plan_id))

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(pdca_help(self.app)))

    def on_screen_resume(self) -> None:
        self.load()


#: columns of the panel: (key, heading); the progress bar takes the width left over
PANEL_COLUMNS = (("who", N_("Who")), ("figure", N_("Figure")), ("bar", N_("Progress")),
                 ("actual", N_("Actual")), ("spot", N_("Spot-check")), ("target", N_("Target")),
                 ("expected", N_("By today")), ("pace", N_("Pace")))
MEANINGS = {
    "completion": N_("target members with a contact logged in the period / target members"),
    "success": N_("contacted target members who bought again after their first contact, "
                  "within the period / contacted target members"),
    "sales": N_("sales to target members in the period after their first contact (what "
                "counts as buying again)"),
}


#: the check panel's manager actions, one entry in the footer
MANAGE = Binding.Group(N_("Manage"))


class CheckPanelScreen(ReadScreen):
    """One cycle's figures: the whole plan, then each responsible guide, three rows each."""

    BINDINGS = [
        Binding("enter", "drill", N_("Members"), id="pdca.drill",
                tooltip=N_("the members and contacts behind the figure"), priority=True),
        # the manager's four are one footer entry ("s a c n Manage"): one each was wider
        # than 80 columns and cut Back and Help off the footer (the help lists each)
        Binding("s", "spot_check", N_("Spot-check"), id="pdca.spot", group=MANAGE,
                tooltip=N_("spot-check: draw contacts, mark each verified or not (manager)")),
        Binding("a", "adjust", N_("Adjust"), id="pdca.adjust", group=MANAGE,
                tooltip=N_("adjust a target, a method, people (manager; asks why)")),
        Binding("c", "close_cycle", N_("Close"), id="pdca.close", group=MANAGE,
                tooltip=N_("close the cycle with its final figures (manager)")),
        Binding("n", "next_cycle", N_("Next cycle"), id="pdca.next", group=MANAGE,
                tooltip=N_("start the next cycle from the adjusted plan (manager)")),
        Binding("h", "history", N_("History"), id="pdca.panel_history",
                tooltip=N_("the plan's cycles side by side")),
        Binding("r", "reload", N_("Refresh"), tooltip=N_("read again"), id="pdca.panel_reload", show=False),
        Binding("j", "cursor(1)", N_("Down"), show=False, tooltip=N_("down"), id="pdca.down"),
        Binding("k", "cursor(-1)", N_("Up"), show=False, tooltip=N_("up"), id="pdca.up"),
        Binding("escape", "back", N_("Back"), tooltip=N_("back"), id="pdca.panel_back"),
        Binding("question_mark", "help", N_("Help"), tooltip=N_("this help"), id="pdca.panel_help"),
    ]

    def __init__(self, cycle_id: int) -> None:
        super().__init__()
        self.cycle_id = cycle_id
        self.check: PlanCheck | None = None
        self.row_keys: list[tuple[int | None, str]] = []  #: (guide id or None, figure) per row
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield Static(_("Reading the figures…"), id="counts")
        yield Static("", id="pdca-info", markup=False)
        yield DataTable(id="pdca-panel", cursor_type="row", cell_padding=0)
        yield Static("", id="pdca-detail")
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    reading = N_("the figures")

    def read_page(self) -> PlanCheck:
        return plan_check(self.cycle_id, self.app.today(), self.app.settings)

    def show_page(self, check: PlanCheck) -> None:
        self.check = check
        from tui.reports.pdca import check_heading, check_subheading, methods_words

        self.query_one("#title", Static).update(f"[b]{plain(check_heading(check))}[/b]")
        self.query_one("#counts", Static).update(plain(check_subheading(check)))
        self.query_one("#pdca-info", Static).update(
            _("Members: {segment} · {responsible} · bought again: {bought}\nMethods: {methods}")
            .format(segment=check.segment_words, responsible=check.responsible,
                    bought=check.repurchase_words, methods=methods_words(check.methods)))
        table = self.query_one(DataTable)
        keep = table.cursor_row
        rows, keys = self._rows(check)
        widths = self._widths(rows)
        table.clear(columns=True)
        for (key, label), width in zip(PANEL_COLUMNS, widths):
            right = key in ("actual", "target", "expected")
            label = _(label)
            table.add_column(fit_right(label, width) + " " if right else fit(label, width + 1),
                             key=key, width=width + 1)
        for i, ((guide_id, figure), cells) in enumerate(zip(keys, rows)):
            g = check.row(guide_id)
            f = g.figure(figure)
            pace_style = {"on pace": "green", "behind": "bold red"}.get(f.pace, "")
            out = []
            for (key, _label), width, text in zip(PANEL_COLUMNS, widths, cells):
                if key == "bar":
                    text = bar(f, width)
                style = (pace_style if key in ("pace", "bar") else
                         "bold" if key == "who" else "")
                shown = (fit_right(text, width) if key in ("actual", "target", "expected")
                         else fit(text, width)) + " "
                out.append(Text(shown, style=style))
            table.add_row(*out, key=f"{guide_id}:{figure}:{i}")
        self.row_keys = keys
        if keys:
            table.move_cursor(row=min(max(keep, 0), len(keys) - 1))
        self._detail()

    def _rows(self, check: PlanCheck) -> tuple[list[list[str]], list[tuple[int | None, str]]]:
        rows, keys = [], []
        for g in check.rows:
            who = _("plan") if g.guide_id is None and g is check.whole else g.guide
            for i, figure in enumerate(FIGURES):
                name, act, tgt, exp, pace, spot = figure_cells(g, figure)
                rows.append([who if i == 0 else "", name, "", act, spot, tgt, exp, pace])
                keys.append((g.guide_id, figure) if g is not check.whole else (None, figure))
        return rows, keys

    def _widths(self, rows: list[list[str]]) -> list[int]:
        """Each column as wide as its widest cell (at least its heading); the bar takes
        what is left, from 4 to 24 columns."""
        widths = []
        for i, (key, label) in enumerate(PANEL_COLUMNS):
            widest = max([cell_width(r[i]) for r in rows] + [cell_width(_(label))])
            widths.append(min(widest, 12) if key == "who" else widest)
        room = self.size.width - 2 - sum(w + 1 for w in widths) - 1
        widths[2] = max(4, min(24, room + widths[2]))
        return widths

    # -- the highlighted figure ----------------------------------------------------------------
    def _focus(self) -> tuple[int | None, str, bool] | None:
        """(guide id, figure, whole plan) of the highlighted row."""
        if self.check is None or not self.row_keys:
            return None
        row = self.query_one(DataTable).cursor_row
        if not 0 <= row < len(self.row_keys):
            return None
        guide_id, figure = self.row_keys[row]
        return guide_id, figure, row < len(FIGURES)

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        detail = self.query_one("#pdca-detail", Static)
        focus = self._focus()
        if focus is None or self.check is None:
            detail.update("")
            return
        guide_id, figure, whole = focus
        g = self.check.whole if whole else self.check.row(guide_id)
        f = g.figure(figure)
        who = _("whole plan") if whole else g.guide
        spot = ""
        if figure == "completion" and g.spot_drawn:
            spot = (_(" · spot-check: {verified}/{checked} verified, {drawn} drawn")
                    if g.spot_checked else _(" · spot-check: {drawn} drawn, none checked yet")
                    ).format(verified=g.spot_verified, checked=g.spot_checked, drawn=g.spot_drawn)
        detail.update(
            _("[b]{who}[/b] · {figure} [b]{actual}[/b] · target {target} · {pace}{spot}\n"
              "{meaning}\nEnter: the members and contacts behind it · ? definitions").format(
                who=plain(who), figure=_(FIGURE_LABELS[figure]), actual=escape(actual_words(f)),
                target=escape(target_words(f)), pace=escape(_(f.pace)), spot=escape(spot),
                meaning=escape(_(MEANINGS[figure]))))

    # -- actions ---------------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if delta > 0 else table.action_cursor_up()

    def action_drill(self) -> None:
        from tui.screens.pdca_drill import PlanDrillScreen

        focus = self._focus()
        if focus is None:
            return
        guide_id, figure, whole = focus
        self.app.push_screen(PlanDrillScreen(self.cycle_id, figure, guide_id, whole))

    def action_spot_check(self) -> None:
        from tui.screens.pdca_spot import SpotCheckScreen

        if self.check is not None:
            self.app.push_screen(SpotCheckScreen(self.cycle_id))

    def _manager(self, doing: str) -> bool:
        if not self.app.is_manager:
            self.app.refuse(_("Only a manager can {doing}; sign in as a manager (g on the "
                              "queue).").format(doing=_(doing)))
            return False
        return True

    def _cycle_running(self) -> bool:
        if self.check is not None and self.check.status != "running":
            self.notify(_("Cycle {cycle} is closed; its figures are final. n starts the next "
                          "cycle.").format(cycle=self.check.cycle_number), severity="warning")
            return False
        return self.check is not None

    def action_adjust(self) -> None:
        from tui.screens.pdca_form import AdjustForm

        if self.check is None or not self._manager(N_("adjust a plan")):
            return

        def done(words: str | None) -> None:
            if words:
                self.notify(_("Written down: {words}").format(words=words), markup=False)
                self.load()

        self.app.push_screen(AdjustForm(self.check), done)

    def action_close_cycle(self) -> None:
        from tui.reports.pdca import actual_words as words
        from tui.screens.confirm import ConfirmScreen

        if not self._manager(N_("close a cycle")) or not self._cycle_running() or self.busy:
            return
        w = self.check.whole
        question = _("Close cycle {cycle} of {plan} with its figures as of {day}: completion "
                     "{completion}, success {success}, performance {sales}? They are kept as "
                     "they are; open campaign calls are cancelled.").format(
            cycle=self.check.cycle_number, plan=self.check.plan_name, day=self.check.as_of,
            completion=words(w.figure("completion")), success=words(w.figure("success")),
            sales=words(w.figure("sales")))
        self.app.push_screen(ConfirmScreen(question, weighty=True),
                             lambda yes: self._close() if yes else None)

    @work(thread=True, exclusive=True, group="pdca-write", name=N_("Not closed"),
          exit_on_error=False)
    def _close(self) -> None:
        app = self.app
        self.busy = True
        try:
            check = close_cycle(self.cycle_id, app.user_id, app.clock.now(), app.settings)
        finally:
            self.busy = False
        app.call_from_thread(self.notify, _("Cycle {cycle} closed; its figures are final. n "
                                            "starts the next one.").format(
                                                cycle=check.cycle_number), markup=False)
        app.call_from_thread(self.load)

    def action_next_cycle(self) -> None:
        from tui.screens.pdca_form import NextCycleForm

        if self.check is None or not self._manager(N_("start a cycle")):
            return
        if self.check.status == "running":
            self.notify(_("Close this cycle first (c): its final figures are kept."),
                        severity="warning")
            return

        def started(cycle_id: int | None) -> None:
            if cycle_id is not None:
                self.cycle_id = cycle_id
                self.notify(_("The next cycle started: targets frozen afresh, in the queues."))
                self.load()

        self.app.push_screen(NextCycleForm(self.check), started)

    def action_history(self) -> None:
        from tui.screens.pdca_history import HistoryScreen

        if self.check is not None:
            self.app.push_screen(HistoryScreen(self.check.plan_id))

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(pdca_help(self.app)))

    def on_screen_resume(self) -> None:
        self.load()


def open_pdca(app: App) -> None:
    """Show the PDCA plans (the lead wires this to a key and a palette command); a no-op
    when a PDCA screen is already on top."""
    if not isinstance(app.screen, (PdcaScreen, CheckPanelScreen)):
        app.push_screen(PdcaScreen())
