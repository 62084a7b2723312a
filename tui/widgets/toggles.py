"""Several yes/no choices on one line: each option has a digit; pressing it ticks or unticks it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class DigitToggles(Widget, can_focus=True):
    """Options numbered 1..9; a digit ticks or unticks its option ([x] / [ ])."""

    DEFAULT_CSS = """
    DigitToggles {
        height: auto;
        padding: 0 1;
    }
    """

    chosen: reactive[frozenset[str]] = reactive(frozenset())

    @dataclass
    class Changed(Message):
        toggles: "DigitToggles"
        chosen: frozenset[str]

        @property
        def control(self) -> "DigitToggles":
            return self.toggles

    def __init__(self, options: list[tuple[str, str]], chosen: frozenset[str] = frozenset(), *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self.set_reactive(DigitToggles.chosen, frozenset(chosen))

    def render(self) -> Text:
        text = Text()
        for i, (value, label) in enumerate(self.options, start=1):
            if i > 1:
                text.append("  ")
            ticked = value in self.chosen
            text.append(f"{i} [{'x' if ticked else ' '}] {label}",
                        style="bold" if ticked else "")
        return text

    def values(self) -> tuple[str, ...]:
        """The ticked options, in the options' order."""
        return tuple(v for v, _ in self.options if v in self.chosen)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.options):
                event.stop()
                event.prevent_default()
                value = self.options[index][0]
                self.chosen = self.chosen ^ {value}
                self.post_message(self.Changed(self, self.chosen))
