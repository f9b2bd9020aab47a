"""The search box of a list screen: docked above the list, built the first time it is asked for
(a screen that is never searched never builds an Input: it is among the dearest widgets to style
at start-up), then shown and hidden."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input


class SearchBar(Input):
    """A one-line search, `#search`, shown by `open` and hidden (and emptied) by `close`. The
    screen filters its list on `Input.Changed` and puts the cursor back in it on Enter."""

    def __init__(self, placeholder: str) -> None:
        super().__init__(placeholder=placeholder, id="search")

    def open(self) -> None:
        """Show the box and put the cursor in it (at once: keys typed next go there)."""
        self.remove_class("hidden")
        self.screen.set_focus(self)

    def close(self) -> None:
        """Empty the box and hide it."""
        self.value = ""
        self.add_class("hidden")


def search_bar(screen: Screen[Any]) -> SearchBar | None:
    """The screen's search box, if it has been asked for."""
    found = screen.query(SearchBar)
    return found.first() if found else None


async def open_search_bar(screen: Screen[Any], placeholder: str, above: Widget) -> SearchBar:
    """Show the screen's search box, mounting it (before `above`, the list it searches) the
    first time, and put the cursor in it."""
    bar = search_bar(screen)
    if bar is None:
        bar = SearchBar(placeholder)
        await screen.mount(bar, before=above)
    bar.open()
    return bar
