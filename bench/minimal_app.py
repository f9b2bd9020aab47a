"""The yardstick: a minimal Textual app (Header, Footer, Static) that exits as soon as its
first screen has been painted. bench/run.py times it beside the tracker in the same run."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    Minimal().run()
