"""Assigning members (a manager's screen): choose a set of members by keys, see how the even
split would leave every guide, apply it after a confirm; or hand a leaving guide's members
over. The member card's `a` gives one member to one guide (`assign_from_card`).

Every write goes through tui/db/assign/plan.py, which refuses anyone but a manager.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from tui.db.assign.apply import apply_hand_over, apply_split, assign_members
from tui.db.assign.plan import (AssignResult, SplitPlan, counted, may_assign, plan_even_split,
                                plan_hand_over)
from tui.db.audit import PermissionDenied
from tui.db.members.segments import BOUGHT, VALUED, Segment, SegmentError
from tui.db.staff import guides as staff_guides
from tui.reports.assign import guide_cells, plan_headline, sources_words
from tui.reports.text import fit
from tui.screens.base import ShopScreen
from tui.screens.pick_guide import PickGuideScreen
from tui.widgets.choice import DigitChoice
from tui.i18n import N_, _
from tui.widgets.footer import ShopFooter

# screens this one opens are imported where they open, for start-up time (tui/screens/__init__.py)


#: the segment kinds a digit picks, in the screen's words
KIND_CHOICES = [("unassigned", N_("unassigned")), ("brand", N_("brand")),
                ("product", N_("product")), ("category", N_("category")),
                ("tier", N_("VIP tier")), ("dormant", N_("dormant")), ("owner", N_("owner"))]
VALUE_HINTS = {"brand": N_("brand, e.g. 飞鹤"), "product": N_("product SKU, e.g. FH-3"),
               "category": N_("category, e.g. formula"), "tier": N_("VIP tier, e.g. 金卡"),
               "owner": N_("the guide who owns them now")}

ASSIGN_HELP = N_("""\
[b]Assigning members[/b] (a manager's work; every change is in the audit log)

[b]Even split[/b]: choose which members with a digit, type the value where
one is asked (Enter), and the preview shows every active guide: members and
open callbacks now, coming in (+in), going out (-out) and after.
  1 unassigned   2 bought a brand   3 bought a product (SKU)   4 a category
  5 a VIP tier   6 dormant          7 owned by a guide
  Brand, product and category ask "since" (YYYY-MM-DD; empty: ever).
The split evens out member counts first, then open callbacks: the members
with the most callbacks go first to the guide with the fewest.
Enter on the preview applies it too, as y does.
""")


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def day_words(day) -> str:
    """"Wed 2026-11-25" (周三 2026-11-25)."""
    return _("{weekday} {day}").format(weekday=_(WEEKDAYS[day.weekday()]), day=day.isoformat())


class PickReceiver(PickGuideScreen):
    """A guide from the list (guides only, unlike "who is working"); Esc returns None."""

    def __init__(self, question: str, current: int | None = None,
                 with_inactive: bool = False) -> None:
        super().__init__(current)
        self.question, self.with_inactive = question, with_inactive

    def compose(self) -> ComposeResult:
        guides = staff_guides(self.with_inactive)
        with Vertical(id="pick-guide", classes="dialog"):
            yield Label(self.question, markup=False)
            inactive = "  · " + _("inactive")
            yield OptionList(*[Option(escape(g.name) + ("" if g.active else inactive),
                                      id=str(g.id)) for g in guides], id="staff-list")


class AssignScreen(ShopScreen):
    """The even split and the hand-over, previewed before anything changes."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel / back"), id="assign.cancel",
                tooltip=N_("cancel the preview; again: back")),
        Binding("y", "apply", N_("Apply"), id="assign.apply",
                tooltip=N_("apply the preview (asks first)")),
        Binding("h", "hand_over", N_("Hand-over"), id="assign.handover",
                tooltip=N_("hand over a leaving guide's members and open callbacks")),
        Binding("d", "toggle_deactivate", N_("Deactivate"), id="assign.deactivate",
                tooltip=N_("in a hand-over: deactivate the leaving guide too (yes / no)"), show=False),
        Binding("question_mark", "help", N_("Help"), tooltip=N_("this help"), id="assign.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.plan: SplitPlan | None = None
        self.kind: str | None = None
        self.deactivate = True  #: a hand-over deactivates the leaving guide unless d says no
        self.refused = ""  #: the data layer's refusal for the person at the keyboard
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static("", id="assign-title")
        yield DigitChoice([(value, _(label)) for value, label in KIND_CHOICES], id="assign-kind")
        with Horizontal(id="assign-form"):
            yield Input(placeholder=_("choose which members first"), id="assign-value",
                        disabled=True)
            yield Input(placeholder=_("since YYYY-MM-DD (empty: ever)"), id="assign-since")
        yield Static("", id="assign-status", markup=False)
        yield DataTable(id="assign-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="assign-summary", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        app = self.app
        self.query_one("#assign-title", Static).update(
            _("[b]Assign members[/b] · {day} · as {user}").format(day=day_words(app.today()),
                                                                  user=escape(app.user_name)))
        self.query_one("#assign-since", Input).display = False
        table = self.query_one(DataTable)
        for label, width in ((N_("Guide"), 14), (N_("Members"), 7), (N_("+in"), 5),
                             (N_("-out"), 5), (N_("after"), 5), (N_("Calls"), 5), (N_("+in"), 5),
                             (N_("-out"), 5), (N_("after"), 5)):
            table.add_column(_(label), width=width)
        self.query_one(DigitChoice).focus()
        self._status(_("Which members? A digit chooses; h hands over a leaving guide's members."))
        self.check()

    @work(thread=True, exclusive=True, group="assign-plan", name=N_("Could not check who may assign"),
          exit_on_error=False)
    def check(self) -> None:
        """A guide sees the refusal at once instead of after choosing the members."""
        may_assign(self.app.user_id)

    def job_done(self, worker: Worker) -> None:
        if worker.result is None:
            return
        if worker.group == "assign-plan":
            self.show_plan(worker.result)
        elif worker.group == "assign-write":
            self.applied(worker.result)

    def job_failed(self, words: str, worker: Worker) -> None:
        if worker.group == "assign-plan":
            if isinstance(worker.error, PermissionDenied):  # may not assign at all
                self.refused = words
                for field in self.query(Input):
                    field.disabled = True
            self._status(words, error=True)
        elif worker.group == "assign-write":
            self.plan = None
            self._status(words, error=True)
            self.query_one("#assign-summary", Static).update(
                _("Nothing changed. Choose the members again (1–7) or h for a hand-over."))
        else:
            super().job_failed(words, worker)

    # -- choosing the members -------------------------------------------------------------
    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#assign-status", Static)
        status.update(Text(text, style="bold red" if error else ""))

    @on(DigitChoice.Changed, "#assign-kind")
    def kind_chosen(self, event: DigitChoice.Changed) -> None:
        self.kind = event.value
        value = self.query_one("#assign-value", Input)
        since = self.query_one("#assign-since", Input)
        value.disabled = self.kind not in VALUED
        value.placeholder = _(VALUE_HINTS.get(self.kind, N_("no value needed")))
        since.display = self.kind in BOUGHT
        if self.kind in VALUED:
            value.focus()
        else:
            self.preview()

    @on(Input.Submitted, "#assign-value")
    def value_typed(self) -> None:
        if self.kind in BOUGHT:
            self.query_one("#assign-since", Input).focus()
        else:
            self.preview()

    @on(Input.Submitted, "#assign-since")
    def since_typed(self) -> None:
        self.preview()

    def preview(self) -> None:
        """The even split of the chosen members, read on a worker."""
        from tui.db.members.archive import parse_day

        if self.refused:
            self._status(self.refused, error=True)
            return
        if self.kind is None:
            self._status(_("Choose which members first: a digit from 1 to 7."), error=True)
            return
        value = self.query_one("#assign-value", Input).value if self.kind in VALUED else ""
        since_text = self.query_one("#assign-since", Input).value.strip()
        since = None
        if self.kind in BOUGHT and since_text:
            since = parse_day(since_text)
            if since is None:
                self._status(_("{text} is not a real date; use YYYY-MM-DD, or leave it empty for "
                               "ever.").format(text=since_text), error=True)
                return
        try:
            segment = Segment.of(self.kind, value, since)
        except SegmentError as exc:
            self._status(str(exc), error=True)
            return
        self._status(_("Working out the split of {segment}…").format(segment=segment.words))
        app = self.app
        self._plan(lambda: plan_even_split(segment, app.settings, app.today()))

    @work(thread=True, exclusive=True, group="assign-plan", name=N_("Could not work out the preview"),
          exit_on_error=False)
    def _plan(self, make: Callable[[], SplitPlan]) -> SplitPlan:
        return make()

    def show_plan(self, plan: SplitPlan) -> None:
        self.plan = plan
        table = self.query_one(DataTable)
        table.clear()
        for g in plan.guides:
            cells = guide_cells(g)
            table.add_row(Text(fit(cells[0], 14)), *(Text(c, justify="right") for c in cells[1:]),
                          key=str(g.guide_id))
        self._status(plan_headline(plan))
        self._summary()
        table.focus()

    def _summary(self) -> None:
        plan = self.plan
        if plan is None:
            return
        keys = _("y or Enter applies (asks first) · Esc cancels")
        if plan.kind == "handover":
            leaving = next(g.name for g in plan.guides if g.leaving)
            keys = _("Deactivate {guide} afterwards: {answer} (d) · {keys}").format(
                guide=leaving, answer=_("yes") if self.deactivate else _("no"), keys=keys)
        elif not plan.members:
            keys = _("Nobody is in this set: choose another (1–7) · Esc back")
        self.query_one("#assign-summary", Static).update(f"{sources_words(plan)}\n{keys}")

    # -- actions ---------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#assign-table")
    def row_selected(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        plan = self.plan
        if self.refused:
            self._status(self.refused, error=True)
            return
        if plan is None or self.busy:
            if not self.busy:
                self._status(_("Nothing to apply yet: choose the members (1–7), or h for a "
                               "hand-over."), error=True)
            return
        if plan.kind == "split" and not plan.members:
            self._status(_("Nobody is in this set; nothing to apply."), error=True)
            return
        if plan.kind == "split":
            question = _("Split {members} members ({title}) over {guides} guides? {moving} "
                         "members and {callbacks} open callbacks change owner.").format(
                members=plan.members, title=plan.title, guides=len(plan.receivers),
                moving=plan.members_moving, callbacks=plan.callbacks_moving)
        else:
            leaving = next(g.name for g in plan.guides if g.leaving)
            question = (_("Hand over {guide}'s {members} members and {callbacks} open callbacks "
                          "to {guides} guides and deactivate {guide}?") if self.deactivate
                        else _("Hand over {guide}'s {members} members and {callbacks} open "
                               "callbacks to {guides} guides?")).format(
                guide=leaving, members=plan.members, callbacks=plan.callbacks_moving,
                guides=len(plan.receivers))
        self.app.push_screen(ConfirmScreen(question, weighty=True),
                             lambda yes: self._apply(plan, self.deactivate) if yes else None)

    @work(thread=True, exclusive=True, group="assign-write", name=N_("Nothing changed"),
          exit_on_error=False)
    def _apply(self, plan: SplitPlan, deactivate: bool) -> AssignResult:
        app = self.app
        self.busy = True
        try:
            if plan.kind == "split":
                return apply_split(plan, app.user_id, app.clock.now())
            return apply_hand_over(plan, app.user_id, app.clock.now(), deactivate)
        finally:
            self.busy = False

    def applied(self, result: AssignResult) -> None:
        self.plan = None
        words = _("Done: {words}.").format(words=result.words)
        self._status(words)
        self.notify(words, markup=False)
        self.query_one("#assign-summary", Static).update(
            _("Applied and written to the audit log. Choose another set (1–7), h for a "
              "hand-over, Esc back."))
        self.query_one(DigitChoice).focus()

    def action_hand_over(self) -> None:
        if self.refused:
            self._status(self.refused, error=True)
            return

        def picked(staff_id: int | None) -> None:
            if staff_id is None:
                return
            self.deactivate = True
            self._status(_("Working out the hand-over…"))
            app = self.app
            self._plan(lambda: plan_hand_over(staff_id, None, app.today()))

        self.app.push_screen(PickReceiver(_("Who is leaving? (↑↓, Enter)"),
                                          with_inactive=True), picked)

    def action_toggle_deactivate(self) -> None:
        if self.plan is not None and self.plan.kind == "handover":
            self.deactivate = not self.deactivate
            self._summary()

    def action_cancel(self) -> None:
        if self.plan is not None:
            self.plan = None
            self.query_one(DataTable).clear()
            self.query_one("#assign-summary", Static).update("")
            self._status(_("Cancelled: nothing changed. Choose the members (1–7), or h."))
            self.query_one(DigitChoice).focus()
            return
        self.app.pop_screen()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(_(ASSIGN_HELP)))


def assign_from_card(screen: Screen, member_id: int, label: str,
                     done: Callable[[], None]) -> None:
    """The member card's `a`: pick a guide, the member (and their open callbacks) go to
    them; `done` runs after (the card reads itself again)."""
    app = screen.app
    try:
        may_assign(app.user_id)
    except PermissionDenied as exc:
        app.refuse(str(exc), severity="error")
        return

    def write(guide_id: int) -> None:
        result = assign_members([member_id], guide_id, app.user_id, app.clock.now())
        guide = result.per_guide[0][0]
        words = (_("{member} now belongs to {guide}; {callbacks} moved.").format(
            member=label, guide=guide, callbacks=counted(result.callbacks, "open callback"))
            if result.members else _("{member} already belongs to {guide}.").format(
                member=label, guide=guide))
        app.call_from_thread(screen.notify, words, markup=False)
        app.call_from_thread(done)

    def picked(guide_id: int | None) -> None:
        if guide_id is not None:
            screen.run_worker(lambda: write(guide_id), thread=True, group="assign-one",
                              name=_("Not assigned"), exit_on_error=False)

    app.push_screen(PickReceiver(_("{member} goes to: (↑↓, Enter)").format(member=label)), picked)
