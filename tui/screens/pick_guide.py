"""Choose whose queue to work: a guide, a manager, or the whole shop."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.markup import escape
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.db.staff import active_staff
from tui.i18n import N_, _

#: a staff member's role, as the list shows it
ROLE_WORDS = {"guide": N_("guide"), "manager": N_("manager")}


class PickGuideScreen(ModalScreen[int | None]):
    """Returns the chosen staff id; Esc returns None and changes nothing."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="pick_guide.cancel"),
        Binding("j", "down", show=False, id="pick_guide.down"),
        Binding("k", "up", show=False, id="pick_guide.up"),
    ]

    def __init__(self, current: int | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        staff = active_staff()
        with Vertical(id="pick-guide", classes="dialog"):
            yield Label(_("Who is working? (↑↓, Enter)"))
            yield OptionList(*[Option(f"{escape(s.name)}  · {_(ROLE_WORDS.get(s.role, s.role))}",
                                      id=str(s.id)) for s in staff],
                             id="staff-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for index in range(options.option_count):
            if options.get_option_at_index(index).id == str(self.current):
                options.highlighted = index
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
