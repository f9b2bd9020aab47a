"""The plan screen's ways to the rows that need work: a draft's checklist gaps (`g`, or a
click on a ref) and the withdrawn rows (`w` shows them, dimmed)."""

from __future__ import annotations

from tracker.tui.dialogs.plan import Filters
from tracker.tui.screens.checklist import gap_key
from tracker.tui.screens.plan_base import PlanScreenBase
from tracker.tui.widgets.search import search_bar
from tracker.tui.widgets.table import FastTable


class PlanGaps(PlanScreenBase):
    """Moving to the checklist's gaps; showing the withdrawn rows."""

    def action_toggle_withdrawn(self) -> None:
        """Show the withdrawn actions and recommendations, dimmed (again: hide them)."""
        self.show_withdrawn = not self.show_withdrawn
        self.refill()

    def action_next_gap(self) -> None:
        """Move the cursor to the next row the checklist names (after the cursor, from the
        top again after the last), and say what it lacks."""
        gaps = self.gap_keys()
        if not gaps:
            self.notify("Nothing stands between this plan and submitting it", timeout=3)
            return
        table = self.query_one("#actions", FastTable)
        self._show_rows(gaps)
        rows = sorted(table.get_row_index(k) for k in gaps if table.has_key(k))
        if not rows:
            return
        row = next((r for r in rows if r > table.cursor_row), rows[0])
        self._go_to(table.key_at(row))

    def action_goto_gap(self, index: int) -> None:
        """Move the cursor to the row of the checklist's gap `index` (a click on its ref)."""
        if self.detail is None or self.detail.readiness is None:
            return
        gaps = self.detail.readiness.gaps
        if not 0 <= index < len(gaps):
            return
        key = gap_key(self.slug, gaps[index])
        if key is not None:
            self._show_rows([key])
            self._go_to(key)

    def _show_rows(self, keys: list[str]) -> None:
        """Make sure the rows `keys` are in the table: a filter, search or order that leaves
        one out is cleared (and said)."""
        table = self.query_one("#actions", FastTable)
        if all(table.has_key(k) for k in keys):
            return
        self.filters = Filters()
        self.overdue_only = False
        self.search_text = ""
        self.sort_index = 0
        box = search_bar(self)
        if box is not None:
            box.close()
        self.refill()
        self.notify("Filters cleared to show the checklist's rows", timeout=3)

    def _go_to(self, key: str) -> None:
        """Put the cursor on row `key` and say what the checklist finds lacking there."""
        table = self.query_one("#actions", FastTable)
        if not table.has_key(key):
            return
        table.move_cursor(row=table.get_row_index(key))
        table.focus()
        if self.detail is not None and self.detail.readiness is not None:
            said = [g.message for g in self.detail.readiness.gaps if gap_key(self.slug, g) == key]
            if said:
                self.notify("; ".join(said), timeout=4, markup=False)
