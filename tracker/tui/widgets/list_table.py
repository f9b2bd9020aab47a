"""A list to read under an action's tab (its progress notes, evidence, changes): Textual's
DataTable, which says when its size changes, so that its screen fits the columns to the room the
list has, not to the terminal's width (the keys panel, `?`, docks beside it and takes some)."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import DataTable


class ListTable(DataTable[str]):
    """A DataTable of text cells that posts `Resized` when its width or height changes."""

    class Resized(Message):
        """The list's size changed: the terminal's did, a tab showed it for the first time, or
        a panel docked beside it. Its screen fits its columns again."""

        def __init__(self, table: ListTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> ListTable:
            """The list."""
            return self.table

    def on_resize(self) -> None:
        self.post_message(self.Resized(self))

    @property
    def room(self) -> int:
        """The columns' room: the list's width less its scroll bar and a margin (before the
        list is first laid out, the terminal's width less the same)."""
        return (self.outer_size.width or self.app.size.width) - 2
