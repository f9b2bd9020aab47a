"""What every screen shares: running database work in thread workers and reporting failures."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from tracker.errors import ConflictError, ServiceError, StoreError
from tracker.text import one_line
from tracker.vocab import Brag

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp

T = TypeVar("T")

BRAG_STYLE = {
    Brag.RED: "bold white on #b00020",
    Brag.AMBER: "bold black on #ffbf00",
    Brag.GREEN: "bold black on #2e9e44",
    Brag.BLUE: "bold white on #1f5fbf",
}
"""Board colours as Rich styles: a board reads colours first."""

USER_ERRORS = (ServiceError, StoreError, ValueError)


def brag_cell(colour: Brag, overridden: bool = False) -> Text:
    """A colour as a labelled, coloured cell (the word is there for those who cannot see it)."""
    label = f" {colour.value.upper()}{'*' if overridden else ''} "
    return Text(label, style=BRAG_STYLE[colour])


BRAG_ORDER = (Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE)


def brag_counts(counts: dict[Brag, int]) -> Text:
    """`R2 A3 G4 B4`, each count in its colour (dim when none)."""
    text = Text()
    for i, colour in enumerate(BRAG_ORDER):
        count = counts.get(colour, 0)
        style = BRAG_STYLE[colour].split(" on ")[1] if count else "dim"
        text.append(("" if i == 0 else " ") + f"{colour.value[0].upper()}{count}", style=style)
    return text


def brag_strip(counts: dict[Brag, int], width: int) -> Text:
    """A bar of `width` cells in board colours, each colour's share in proportion to its
    count (dots when there are no actions)."""
    total = sum(counts.get(c, 0) for c in BRAG_ORDER)
    bar = Text()
    if not total:
        bar.append("·" * width, style="dim")
        return bar
    used = 0
    for i, colour in enumerate(BRAG_ORDER):
        share = counts.get(colour, 0) * width / total
        cells = width - used if i == len(BRAG_ORDER) - 1 else round(share)
        cells = min(cells, width - used)
        bar.append("█" * cells, style=BRAG_STYLE[colour].split(" on ")[1])
        used += cells
    return bar


def brag_bar(counts: dict[Brag, int], width: int = 20) -> Text:
    """The colour bar with the counts after it: `██████░░ R2 A3 G4 B4`."""
    bar = brag_strip(counts, width)
    bar.append(" ")
    bar.append_text(brag_counts(counts))
    return bar


def safe(text: str | None, width: int | None = None) -> str:
    """Stored text made safe to show: control characters neutralised, one line."""
    return one_line(text or "", width)


HELP_BINDING = Binding("question_mark", "app.toggle_help", "Help", key_display="?", id="app.help")
"""`?` lists every key. Each screen binds it first, so that it is the first key its footer
shows and a narrow terminal never cuts it off; it has the app's id, so a keymap that moves the
app's help key moves this one too."""


class TrackerScreen(Screen[Any]):
    """A screen whose database work runs in thread workers; a worker's user error becomes a
    notification, so the screen never freezes and never shows a traceback."""

    BINDINGS: ClassVar[list[BindingType]] = [HELP_BINDING]

    @property
    def tracker(self) -> TrackerApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def run_db(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        *,
        name: str = "db",
        failed: Callable[[Exception], None] | None = None,
    ) -> Worker[None]:
        """Run `work` in a thread; hand its result to `done` (or its user error to `failed`,
        by default a notification) on the event loop."""

        def job() -> None:
            try:
                result = work()
            except USER_ERRORS as exc:
                self.app.call_from_thread(failed or self.report, exc)
                return
            self.app.call_from_thread(done, result)

        return self.run_worker(
            job, name=name, group=name, thread=True, exclusive=True, exit_on_error=False
        )

    def report(self, exc: Exception) -> None:
        """Show a user error."""
        title = "Changed by someone else" if isinstance(exc, ConflictError) else "Not saved"
        self.notify(str(exc), title=title, severity="error", timeout=8)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in a worker is shown, not raised into the terminal."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"Something went wrong: {event.worker.error}", severity="error")


class KeyFooter(Footer):
    """Textual's Footer, recomposed only when the keys it shows change.

    Textual's Footer rebuilds all its key widgets whenever the screen's bindings are signalled
    as updated: on every focus change, screen resume and mount, which at start-up meant three
    rebuilds of the same keys, each restyling every key widget (pyinstrument put the footer
    among the home screen's largest costs). This one compares what it would show (action, key,
    label, enabled, tooltip) with what it showed last and rebuilds only on a difference."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        app = screen.app
        shown = tuple(
            (binding.action, app.get_key_display(binding), binding.description, enabled, tip)
            for _node, binding, enabled, tip in screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )
        if shown == self._shown:
            return
        super().bindings_changed(screen)
        if app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # a rebuild is on its way (Footer only rebuilds in these cases)
