"""The search box of a list screen: hidden until asked for, docked above the list."""

from __future__ import annotations

from textual.widgets import Input


class SearchBar(Input):
    """A one-line search, `#search`, shown by `open` and hidden (and emptied) by `close`. The
    screen filters its list on `Input.Changed` and puts the cursor back in it on Enter."""

    def __init__(self, placeholder: str) -> None:
        super().__init__(placeholder=placeholder, id="search", classes="hidden")

    def open(self) -> None:
        """Show the box and put the cursor in it."""
        self.remove_class("hidden")
        self.focus()

    def close(self) -> None:
        """Empty the box and hide it."""
        self.value = ""
        self.add_class("hidden")
