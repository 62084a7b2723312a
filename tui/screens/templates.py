"""The message library on a member's card: pick a caring message, see it filled in, copy it.

The copy goes to the clipboard of the terminal the guide sits at (OSC 52), so it works
over SSH too; the guide pastes it into WeChat or SMS.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.db.members.card import MemberCard
from tui.i18n import N_, _
from tui.reports.templates import FilledTemplate, fill_template
from tui.settings import MessageTemplate
from tui.text import shown
from tui.widgets.footer import ShopFooter


#: after a copy: the text went to the terminal, which may or may not let programs fill the
#: clipboard (OSC 52); no terminal answers, so the words say what to do if nothing pastes
SENT = N_("Sent to the terminal's clipboard: paste it into WeChat or SMS. Nothing pastes? "
          "This terminal refuses it; t shows the message again to select with the mouse.")


class TemplatesScreen(ModalScreen[bool]):
    """Returns True once a message was copied; Esc returns False."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="templates.close"),
        Binding("c", "copy", N_("Copy"), id="templates.copy"),
        Binding("j", "move(1)", N_("Down"), show=False, id="templates.down"),
        Binding("k", "move(-1)", N_("Up"), show=False, id="templates.up"),
    ]

    def __init__(self, card: MemberCard, templates: tuple[MessageTemplate, ...],
                 settings_file: str = "settings.toml") -> None:
        super().__init__()
        self.card = card
        self.templates = templates
        self.settings_file = settings_file
        #: every template filled in once: the card does not change while this is open
        self.filled: list[FilledTemplate] = [fill_template(t, card) for t in templates]

    def compose(self) -> ComposeResult:
        with Vertical(id="templates", classes="dialog"):
            yield Static(_("A message for {name}").format(name=self.card.name), id="templates-title",
                         markup=False)
            if self.templates:
                yield OptionList(*[Option(t.name, id=str(i)) for i, t in enumerate(self.templates)],
                                 id="templates-list", markup=False)
                yield Static("", id="templates-preview", markup=False)
                yield Static("", id="templates-status", markup=False)
            else:
                yield Static(_("No message templates yet. Add [[templates]] tables, each with a "
                               "name and a text, to {file} (the shop's settings.toml has "
                               "examples) and start again.").format(file=self.settings_file),
                             id="templates-status", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        if self.templates:
            options = self.query_one(OptionList)
            options.highlighted = 0
            options.focus()
            self.show(0)

    @property
    def current(self) -> int | None:
        if not self.templates:
            return None
        return self.query_one(OptionList).highlighted

    def show(self, index: int | None) -> None:
        if index is None:
            return
        filled = self.filled[index]
        self.query_one("#templates-preview", Static).update(shown(filled.text))
        status = self.query_one("#templates-status", Static)
        problem = self.refusal(filled)
        status.set_class(problem is not None, "-refused")
        status.update(_("{problem}: cannot be copied").format(
                          problem=problem[:1].upper() + problem[1:]) if problem
                      else _("Enter or c copies it, to paste into WeChat or SMS"))

    def refusal(self, filled: FilledTemplate) -> str | None:
        """Why this message must not be copied, or None."""
        if self.card.do_not_contact:
            return _("{name} asked not to be contacted").format(name=self.card.name)
        if filled.missing:
            return _("needs {what}").format(what=_(" and ").join(_(m) for m in filled.missing))
        return None

    @on(OptionList.OptionHighlighted, "#templates-list")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show(event.option_index)

    @on(OptionList.OptionSelected, "#templates-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_copy()

    def action_copy(self) -> None:
        index = self.current
        if index is None:
            self.notify(_("Nothing to copy: there are no message templates"), severity="warning")
            return
        filled = self.filled[index]
        problem = self.refusal(filled)
        if problem is not None:
            self.notify(_("Not copied: {problem}").format(problem=problem), severity="warning",
                        markup=False)
            return
        self.app.copy_to_clipboard(filled.text)
        # OSC 52 has no answer: whether the terminal took it cannot be known, only said
        self.app.notify(_(SENT), markup=False)
        self.dismiss(True)

    def action_move(self, step: int) -> None:
        if self.templates:
            options = self.query_one(OptionList)
            (options.action_cursor_down if step > 0 else options.action_cursor_up)()

    def action_close(self) -> None:
        self.dismiss(False)
