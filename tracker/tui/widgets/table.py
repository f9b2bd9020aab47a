"""A table on Textual's Line API: it keeps its rows as plain data and renders only the lines
on screen, so a list of 1,550 plans or a search that refills it every keystroke costs what the
visible rows cost, not what the whole list costs (Textual's DataTable builds every row).

It offers the part of DataTable's interface the screens use: fixed-width columns, rows with
keys, a row cursor, `RowSelected` on Enter or a click on the cursor row, and
`HeaderSelected` on a click on a column's heading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.control import strip_control_codes
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker.tui.widgets.columns import PADDING, Column

Cell = str | Text


class LazyCells:
    """A row's cells, made when the row is first drawn (or asked for) and kept: a list of
    1,550 plans then builds the cells of the rows on screen, not of every row, and a search
    that refills the table with the same LazyCells reuses what was made."""

    __slots__ = ("_cells", "_make")

    def __init__(self, make: Callable[[], Sequence[Cell]]) -> None:
        self._make = make
        self._cells: tuple[Cell, ...] | None = None

    def cells(self) -> tuple[Cell, ...]:
        """The cells, made the first time."""
        if self._cells is None:
            self._cells = tuple(self._make())
        return self._cells


RowCells = Sequence[Cell] | LazyCells
"""A row as `add_rows` takes it: its cells, or a LazyCells that makes them."""


@dataclass(frozen=True)
class RowKey:
    """A row's key (as DataTable's, with the key in `value`)."""

    value: str


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis, or padded with spaces (as Rich's
    `Text.truncate(width, overflow="ellipsis", pad=True)` fits it)."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    if length < width:
        return text + " " * (width - length)
    return text


class FastTable(ScrollView, can_focus=True):
    """Rows of cells under a fixed heading line, with a cursor; only visible rows render."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False, system=True),
        Binding("up", "cursor_up", "Up", show=False, system=True),
        Binding("down", "cursor_down", "Down", show=False, system=True),
        Binding("pageup", "page_up", "Page up", show=False, system=True),
        Binding("pagedown", "page_down", "Page down", show=False, system=True),
        Binding("home", "first", "First", show=False, system=True),
        Binding("end", "last", "Last", show=False, system=True),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "fast-table--header",
        "fast-table--even-row",
        "fast-table--cursor",
    }
    DEFAULT_CSS = """
    FastTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        & > .fast-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .fast-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .fast-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .fast-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class _RowMessage(Message):
        """A message about one row: the table, the cursor's row and its key."""

        def __init__(self, table: FastTable, cursor_row: int, row_key: RowKey | None) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> FastTable:
            """The table."""
            return self.table

    class RowSelected(_RowMessage):
        """Enter, or a click on the cursor's row."""

        row_key: RowKey

    class RowHighlighted(_RowMessage):
        """The cursor moved to another row (or the table was refilled): what a detail pane
        under the table shows."""

    class Resized(Message):
        """The table's width or height changed: the terminal's did, or a panel docked beside
        the table (the keys, `?`) took some of its room. A screen fits its columns again."""

        def __init__(self, table: FastTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> FastTable:
            """The table."""
            return self.table

    def on_resize(self) -> None:
        self.post_message(self.Resized(self))

    @property
    def room(self) -> int:
        """The columns' room: the table's width, less a cell for its scroll bar (before the
        table is first laid out, the terminal's)."""
        return (self.outer_size.width or self.app.size.width) - 1

    class HeaderSelected(Message):
        """A click on a column's heading."""

        def __init__(self, table: FastTable, column_index: int, label: str) -> None:
            super().__init__()
            self.table = table
            self.column_index = column_index
            self.label = label

        @property
        def control(self) -> FastTable:
            """The table."""
            return self.table

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = True) -> None:
        super().__init__(id=id)
        self.columns: list[Column] = []
        self.zebra_stripes = zebra_stripes
        self._cells: list[tuple[Cell, ...] | LazyCells] = []
        self._keys: list[str] = []
        self._index: dict[str, int] = {}
        # Rendered rows, by key, zebra parity and cursor; kept while the row's cells are the
        # same objects, so a search that refills the table renders only rows it has not shown.
        self._lines: dict[tuple[str, bool, bool], tuple[tuple[Cell, ...], Strip]] = {}
        self._highlighted: RowKey | None = None

    # Data ----------------------------------------------------------------------------------

    def add_column(self, label: str, width: int, key: str = "") -> None:
        """Add a column of `width` cells."""
        self.columns.append(Column(label, width, key))
        self._changed()

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Show these columns (and no rows until rows are added again)."""
        self.clear(columns=True)
        self.columns.extend(columns)
        self._changed()

    def clear(self, columns: bool = False) -> None:
        """Remove every row (and the columns too, when `columns`)."""
        self._cells.clear()
        self._keys.clear()
        self._index.clear()
        if columns:
            self.columns.clear()
            self._lines.clear()
        if len(self._lines) > 20_000:
            self._lines.clear()
        self._changed()

    def add_row(self, *cells: Cell, key: str) -> None:
        """Add a row under `key` (unique in the table)."""
        if key in self._index:
            raise KeyError(f"a row with key {key!r} is already in the table")
        self._index[key] = len(self._keys)
        self._keys.append(key)
        self._cells.append(cells)
        self._changed()

    def add_rows(self, rows: Sequence[tuple[str, RowCells]]) -> None:
        """Add many (key, cells) rows at once: one relayout, not one per row. A row's cells
        may be a LazyCells, made only when the row is drawn."""
        for key, cells in rows:
            if key in self._index:
                raise KeyError(f"a row with key {key!r} is already in the table")
            self._index[key] = len(self._keys)
            self._keys.append(key)
            kept = cells if isinstance(cells, tuple | LazyCells) else tuple(cells)
            self._cells.append(kept)
        self._changed()

    def _row(self, index: int) -> tuple[Cell, ...]:
        cells = self._cells[index]
        return cells.cells() if isinstance(cells, LazyCells) else cells

    @property
    def row_count(self) -> int:
        """How many rows the table holds."""
        return len(self._keys)

    @property
    def rows(self) -> list[RowKey]:
        """The rows' keys, in order."""
        return [RowKey(k) for k in self._keys]

    def has_key(self, key: str) -> bool:
        """Whether a row has `key`."""
        return key in self._index

    def get_row_index(self, key: str) -> int:
        """The index of the row with `key` (KeyError if there is none)."""
        return self._index[key]

    def get_row_at(self, index: int) -> list[Cell]:
        """The cells of row `index`."""
        return list(self._row(index))

    def key_at(self, index: int) -> str:
        """The key of row `index`."""
        return self._keys[index]

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor (None in an empty table)."""
        return self._keys[self.cursor_row] if self._keys else None

    def move_cursor(self, *, row: int) -> None:
        """Put the cursor on row `row` (kept within the table) and scroll it into view."""
        self.cursor_row = row

    def _changed(self) -> None:
        width = sum(c.width + PADDING for c in self.columns)
        self.virtual_size = Size(width, len(self._keys) + 1)
        if self._keys and self.cursor_row >= len(self._keys):
            self.cursor_row = len(self._keys) - 1
        else:
            self.cursor_row = self.cursor_row  # the row under it may be another row now
        self.refresh()

    # Cursor --------------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._keys) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        key = RowKey(self._keys[new]) if 0 <= new < len(self._keys) else None
        if key != self._highlighted:
            self._highlighted = key
            self.post_message(self.RowHighlighted(self, new, key))

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        shown = self._visible_rows()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + shown:
            self.scroll_to(y=self.cursor_row - shown + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= self._visible_rows()

    def action_page_down(self) -> None:
        self.cursor_row += self._visible_rows()

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._keys) - 1

    def action_select_cursor(self) -> None:
        if self._keys:
            key = RowKey(self._keys[self.cursor_row])
            self.post_message(self.RowSelected(self, self.cursor_row, key))

    async def _on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x + round(self.scroll_x)
            for index, column in enumerate(self.columns):
                if x < column.width + PADDING:
                    self.post_message(self.HeaderSelected(self, index, column.label))
                    return
                x -= column.width + PADDING
            return
        row = event.y - 1 + round(self.scroll_y)
        if 0 <= row < len(self._keys):
            if row == self.cursor_row:
                self.action_select_cursor()
            else:
                self.cursor_row = row

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.refresh()

    def on_focus(self) -> None:
        self._lines.clear()

    def on_blur(self) -> None:
        self._lines.clear()

    # Rendering -----------------------------------------------------------------------------

    def _render_cells(self, cells: Sequence[Cell], style: Style) -> Strip:
        segments: list[Segment] = []
        add = segments.append
        console = self.app.console
        space = Segment(" ")
        for column, cell in zip(self.columns, cells, strict=False):
            add(space)
            if isinstance(cell, str):
                # Most cells are plain words: fitted directly, as Rich's Text would fit them
                # (control codes stripped, cut with an ellipsis or padded), without a Text.
                add(Segment(fit(strip_control_codes(cell), column.width)))
            else:
                text = cell.copy()
                text.no_wrap = True
                text.truncate(column.width, overflow="ellipsis", pad=True)
                rendered = text.render(console)  # the spans' styles; the text's own is below
                if text.style:
                    rendered = Segment.apply_style(rendered, style=console.get_style(text.style))
                segments.extend(rendered)
            add(space)
        width = sum(c.width + PADDING for c in self.columns)
        missing = len(self.columns) - len(cells)
        if missing > 0:
            add(Segment(" " * sum(c.width + PADDING for c in self.columns[-missing:])))
        # Every cell is fitted to its column, so the line's width is known without measuring.
        return Strip(Segment.apply_style(segments, post_style=None, style=style), width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = round(self.scroll_x)
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("fast-table--header")
            strip = self._render_cells([c.label for c in self.columns], style)
            return strip.crop_extend(scroll_x, scroll_x + width, style)
        row = y - 1 + round(self.scroll_y)
        if row >= len(self._keys):
            return Strip.blank(width, base)
        on_cursor = row == self.cursor_row
        style = base
        if self.zebra_stripes and row % 2:
            style += self.get_component_rich_style("fast-table--even-row")
        if on_cursor:
            style += self.get_component_rich_style("fast-table--cursor")
        cells = self._row(row)
        key = (self._keys[row], bool(row % 2), on_cursor)
        cached = self._lines.get(key)
        if cached is None or cached[0] is not cells:
            cached = self._lines[key] = (cells, self._render_cells(cells, style))
        return cached[1].crop_extend(scroll_x, scroll_x + width, style)
