"""The footer in the language spoken now: Textual's Footer, each key's description (an
N_-marked English text on its Binding) translated where it is shown, so a person's own
language after sign-in reaches every screen's keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from tui.i18n import _


class ShopFooter(Footer):
    """Footer() with its words translated; used by every screen instead of Footer."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
                if widget.tooltip:
                    widget.tooltip = _(str(widget.tooltip))
            elif isinstance(widget, FooterLabel):
                widget.update(_(str(widget.render())))
            yield widget


__all__ = ["ShopFooter"]
