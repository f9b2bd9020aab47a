"""What every screen shares: running database work in thread workers and reporting failures."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from tracker.errors import ConflictError, ServiceError, StoreError

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp

T = TypeVar("T")

USER_ERRORS = (ServiceError, StoreError, ValueError)
"""The errors a worker shows the user as a notification: what they asked for was refused."""

HELP_BINDING = Binding("question_mark", "app.toggle_help", "Help", key_display="?", id="app.help")
"""`?` lists every key. Each screen binds it first, so that it is the first key its footer
shows and a narrow terminal never cuts it off; it has the app's id, so a keymap that moves the
app's help key moves this one too."""


CLI_HINT = re.compile(r"\s*\((?:run )?`?tracker [^)]*\)|\s*`tracker [^`]*`")
"""A command line in a service's message (`(tracker --reviewer review withdraw ...)`): words
for the command line, which a screen user cannot act on."""


def screen_words(message: str) -> str:
    """A service's message as a screen says it: without the command lines it names."""
    return CLI_HINT.sub("", message).strip()


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
        latest: bool = False,
    ) -> Worker[None]:
        """Run `work` in a thread; hand its result to `done` (or its user error to `failed`,
        by default a notification) on the event loop.

        A `latest` read is superseded by the next one of the same name: once that has started,
        this one's result (or error) is dropped, never shown over the newer one's. (A thread
        runs on when its worker is cancelled: a plan read as its screen came back, finishing
        after the read that followed a write, showed the plan from before the write and took
        the cursor's place from it.) A write's result is always shown."""

        def job() -> None:
            worker = get_current_worker()

            def handed(to: Callable[[Any], None]) -> Callable[[Any], None]:
                # Checked on the event loop, where the newer read is started: no race.
                return lambda value: None if latest and worker.is_cancelled else to(value)

            try:
                result = work()
            except USER_ERRORS as exc:
                self.app.call_from_thread(handed(failed or self.report), exc)
                return
            self.app.call_from_thread(handed(done), result)

        return self.run_worker(
            job, name=name, group=name, thread=True, exclusive=True, exit_on_error=False
        )

    def footer_first(self) -> tuple[str, ...]:
        """The actions whose keys the footer shows first, in order (the others follow as
        bound): a screen puts what matters now where a narrow footer still shows it."""
        return ()

    def report(self, exc: Exception) -> None:
        """Show a user error."""
        title = "Changed by someone else" if isinstance(exc, ConflictError) else "Not saved"
        self.notify(screen_words(str(exc)), title=title, severity="error", timeout=8)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in a worker is shown, not raised into the terminal."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"Something went wrong: {event.worker.error}", severity="error")
