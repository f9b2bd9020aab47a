"""The yardstick: a minimal Textual app (Header, Footer, Static). bench/run.py times it beside
the tracker in the same run.

    python bench/minimal_app.py [--stay]

It exits as soon as its first screen has been painted (start to exit, in a pseudo-terminal),
or with `--stay` it stays open, as the tracker does, until its terminal is closed (launch to
first screen, in tmux: bench/terminal.py reads the screen for its text, "Hello", then ends the
session)."""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Minimal(App[None]):
    def __init__(self, stay: bool = False) -> None:
        super().__init__()
        self.stay = stay

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello")
        yield Footer()

    def on_mount(self) -> None:
        if not self.stay:
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    Minimal(stay="--stay" in sys.argv[1:]).run()
