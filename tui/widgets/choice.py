"""A one-key choice: every option has a digit; pressing it picks that option."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui.i18n import N_


class _Options:
    """The options laid out to the width given, each whole on one line: wrapping by words
    would split "5 will come in" after its digit."""

    def __init__(self, options: list[Text]) -> None:
        self.options = options

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines, line = [], Text()
        for option in self.options:
            if line.cell_len and line.cell_len + 2 + option.cell_len > options.max_width:
                lines.append(line)
                line = Text()
            if line.cell_len:
                line.append("  ")
            line.append_text(option)
        lines.append(line)
        yield Text("\n").join(lines)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widths = [option.cell_len for option in self.options]
        return Measurement(max(widths, default=0), sum(widths) + 2 * max(len(widths) - 1, 0))


class DigitChoice(Widget, can_focus=True):
    """Options numbered 1..9 on one or two lines; a digit picks, left and right step."""

    DEFAULT_CSS = """
    DigitChoice {
        height: auto;
        padding: 0 1;
        border: tall $border-blurred;
    }
    DigitChoice:focus {
        border: tall $border;
    }
    """

    BINDINGS = [
        Binding("left", "step(-1)", N_("Previous"), show=False, id="digit_choice.previous"),
        Binding("right", "step(1)", N_("Next"), show=False, id="digit_choice.next"),
    ]

    value: reactive[str | None] = reactive(None)

    @dataclass
    class Changed(Message):
        choice: "DigitChoice"
        value: str

        @property
        def control(self) -> "DigitChoice":
            return self.choice

    def __init__(self, options: list[tuple[str, str]], value: str | None = None, *,
                 advance: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        #: move to the next field as soon as a digit picks, in the same key event, so
        #: keys typed right after it can never land in the wrong field
        self.advance = advance
        self.set_reactive(DigitChoice.value, value)

    def render(self) -> _Options:
        return _Options([Text(f"{i} {label}", style="reverse bold" if value == self.value else "")
                         for i, (value, label) in enumerate(self.options, start=1)])

    def _pick(self, index: int) -> None:
        self.value = self.options[index][0]
        self.post_message(self.Changed(self, self.value))

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.options):
                event.stop()
                event.prevent_default()
                self._pick(index)
                if self.advance:
                    self.screen.focus_next()

    def action_step(self, delta: int) -> None:
        values = [v for v, _ in self.options]
        index = values.index(self.value) if self.value in values else -1
        self._pick((index + delta) % len(values))
