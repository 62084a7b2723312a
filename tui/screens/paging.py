"""↑↓ through a table of lines and [ ] through their pages, for the drill-down screens."""

from __future__ import annotations

from textual.widgets import DataTable


class PagedLines:
    """For a screen with `self.page` (its `total` lines), `self.first_line`, a `load()`
    that reads the page starting there, and `page_size` lines a page."""

    page_size: int

    def action_cursor(self, delta: int) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if delta > 0 else table.action_cursor_up()

    def action_page(self, step: int) -> None:
        if self.page is None:
            return
        new = self.first_line + step * self.page_size
        if 0 <= new < self.page.total:
            self.first_line = new
            self.load()
