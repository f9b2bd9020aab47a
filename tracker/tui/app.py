"""The tracker's Textual app: plans -> plan -> action, with help, palette and remappable keys."""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from tracker.config import Settings
from tracker.queries.lists import PlanRow
from tracker.queries.reader import Reader, reader_for
from tracker.tui.commands import TrackerCommands
from tracker.tui.dialogs.base import WriteAhead
from tracker.tui.screens.plans import PlansScreen

if TYPE_CHECKING:
    from textual.theme import Theme

    from tracker.files import OutputGuard
    from tracker.store import Store


def _now() -> datetime:
    return datetime.now(UTC)


def remember_theme(path: Path, name: str) -> None:
    """Set `theme = "name"` in the TOML config file at `path` (made if there is none): the
    top-level line replaced where there is one, else put first; nothing else changes."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    setting = f"theme = {json.dumps(name)}"
    for index, line in enumerate(lines):
        if line.lstrip().startswith("["):
            lines.insert(0, setting)  # a table begins: top-level keys are above it
            break
        if "=" in line and line.split("=", 1)[0].strip() in ("theme", '"theme"'):
            lines[index] = setting
            break
    else:
        lines.insert(0, setting)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


NEXT_SCREENS = ("tracker.tui.screens.plan", "tracker.tui.screens.action")
"""The modules of the screens a user opens next from the home screen, imported by the warm-up
while the user reads it."""


class TrackerApp(App[None]):
    """The tracker. Takes its store and settings (user, today, config) so that tests run it on
    a temporary database with a fixed "today".

    `store` may be a function that opens it: the database layer (SQLAlchemy) is then imported
    and opened in a thread after the home screen has shown, which reads its list with
    `tracker.queries` alone. `notice` is a line the home screen always shows (the demo says
    there where its database is, so that another terminal can run `tracker --db PATH ...`).
    `first_plans` is the home screen's first read of the plans, when the caller has made it
    (`tracker.cli` does, before Textual is imported). `clock` gives the current moment (timezone
    aware; default: now, in UTC), for what is recorded as of a moment, such as a board report
    issued; "today", for the rules, is `settings.today`."""

    CSS_PATH = "app.tcss"
    ALLOW_IN_MAXIMIZED_VIEW: ClassVar[str] = "KeyFooter"
    """The footer stays when a widget is maximized (as Textual's own Footer does)."""
    TITLE = "YOS improvement plans"
    COMMANDS: ClassVar = App.COMMANDS | {TrackerCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit-ctrl"),
        Binding("question_mark", "toggle_help", "Help", key_display="?", id="app.help"),
    ]
    """Every binding has an id, so a `[keymap]` table in the config file can remap it."""

    def __init__(
        self,
        store: Store | Callable[[], Store],
        settings: Settings,
        title: str | None = None,
        notice: str | None = None,
        first_plans: list[PlanRow] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self._store = store
        self.clock: Callable[[], datetime] = clock or _now
        self._first_plans = first_plans
        self._store_lock = threading.Lock()
        self._warming = False
        self._store_warming = False
        self.settings = settings
        self.notice = notice
        if title:
            self.sub_title = title

    def on_mount(self) -> None:
        keymap = self.settings.extra.get("keymap")
        if isinstance(keymap, dict):
            self.set_keymap({str(k): str(v) for k, v in keymap.items()})
        theme = self.settings.extra.get("theme")
        if isinstance(theme, str):
            if theme in self.available_themes:
                self.theme = theme
            else:
                names = ", ".join(sorted(self.available_themes))
                self.notify(
                    f"config file: no theme {theme!r}; choose one of {names}",
                    severity="warning",
                    timeout=10,
                )
        # Subscribed once the config's theme is applied: a theme the user chooses later (the
        # palette's "Theme") is the one to remember.
        self.call_later(self.theme_changed_signal.subscribe, self, self._remember_theme)

    def _remember_theme(self, theme: Theme) -> None:
        """Write a theme chosen on screen into the config file (`theme = "..."`), so that the
        next start opens with it; the rest of the file is left as it is."""
        path = Path(self.settings.config_file)

        def write() -> None:
            remember_theme(path, theme.name)

        def failed() -> None:
            try:
                write()
            except OSError as exc:
                self.call_from_thread(
                    self.notify,
                    f"Theme {theme.name} not remembered: {exc}",
                    severity="warning",
                )

        self.run_worker(failed, thread=True, group="theme", exclusive=True, exit_on_error=False)

    def get_default_screen(self) -> PlansScreen:
        """The home screen, as the app's first screen rather than one pushed when the app has
        mounted: Textual then composes it after its start-up batch, so that its first render
        is the first frame shown. A screen pushed from `on_mount` was composed, laid out and
        rendered inside the batch, that frame thrown away, and the screen shown only when a
        later refresh repainted it."""
        return PlansScreen()

    @property
    def store(self) -> Store:
        """The database, opened on first use (from a worker thread, never the event loop)."""
        with self._store_lock:
            if callable(self._store):
                self._store = self._store()
            return self._store

    def lists(self) -> AbstractContextManager[Reader]:
        """A reader for every read (`tracker.queries.reader.reader_for`): straight from the
        SQLite file where it can, so that a screen need not wait for the store or import
        SQLAlchemy; else through the store. Called from workers only."""
        return reader_for(self.settings.db, lambda: self.store)

    def output_guard(self) -> OutputGuard:
        """What an export dialog's file may not be: the database in use, by any name, nor, in
        a read-only or reviewer session, a file already there (the screens have no --force)."""
        from tracker.files import OutputGuard  # here: the first frame needs no file guard

        s = self.settings
        return OutputGuard.for_session(s.db, read_only=s.read_only, reviewer=s.reviewer)

    def take_first_plans(self) -> list[PlanRow] | None:
        """The plans read before the app started, once (every later read is a fresh one)."""
        found, self._first_plans = self._first_plans, None
        return found

    def warm_up(self) -> None:
        """Import the next screens' modules in a thread (once), so that the first plan opened
        need not import its screen (about 90 ms). The home screen calls this when its plans
        are on screen. The store is not opened here: reading needs none (`lists`), and
        SQLAlchemy alone is 28 MiB of the process; it opens when a write comes in view
        (`warm_store`)."""
        if self._warming:
            return
        self._warming = True

        def warm() -> None:
            for module in NEXT_SCREENS:
                importlib.import_module(module)

        self.run_worker(warm, thread=True, group="warm-up", exit_on_error=False)

    def warm_store(self) -> None:
        """Open the store in a thread (once), so that the change the user is about to make
        need not wait for it (SQLAlchemy's import and the schema check, 0.1-0.3 s): called
        when a dialog or the action's form opens, while the user types."""
        if self._store_warming or not callable(self._store):
            return
        self._store_warming = True
        self.run_worker(lambda: self.store, thread=True, group="warm-store", exit_on_error=False)

    def on_write_ahead(self, _: WriteAhead) -> None:
        self.warm_store()

    @property
    def mode(self) -> str:
        """How this session may change the plans, in words (empty for a manager)."""
        if self.settings.read_only:
            return "read only"
        if self.settings.reviewer:
            return "YJB review mode"
        return ""

    # The other screens and the help panel are imported when first shown (or by the warm-up,
    # `NEXT_SCREENS`), so that the home screen comes up sooner.

    def open_plan(self, slug: str, at_first_gap: bool = False) -> None:
        """Show a plan (`at_first_gap`: with the cursor on the first row its ready-to-submit
        checklist names, for a plan just imported or started)."""
        from tracker.tui.screens.plan import PlanScreen

        self.push_screen(PlanScreen(slug, at_first_gap))

    def open_action(self, ref: str, via_plan: bool = False, edit: bool = False) -> None:
        """Show an action (`edit`: its form, once read, in place of its read view).

        `via_plan` (the command palette's "Open action"): its plan is shown under it first,
        unless it is the screen showing now, so that Escape from the action goes back to its
        plan, as it does when the action is opened from the plan."""
        from tracker.tui.screens.action import ActionScreen

        if via_plan:
            from tracker.tui.screens.plan import PlanScreen

            slug = ref.rpartition("/")[0]
            here = self.screen
            if slug and not (isinstance(here, PlanScreen) and here.slug == slug):
                self.push_screen(PlanScreen(slug))
        self.push_screen(ActionScreen(ref, edit))

    def open_overdue(self) -> None:
        """Show what is overdue in every plan."""
        from tracker.tui.screens.overdue import OverdueScreen

        self.push_screen(OverdueScreen())

    def action_toggle_help(self) -> None:
        """Show or hide the keys of the current screen: the tracker's own keys, each with
        what it does (`KeysHelp`), not the widgets' scrolling keys."""
        from tracker.tui.widgets.keys_help import KeysHelp

        shown = self.screen.query(KeysHelp)
        if shown:
            shown.remove()
        else:
            self.screen.mount(KeysHelp())

    async def action_quit(self) -> None:
        """Quit; if an action has unsaved edits, ask first (nothing is lost silently)."""
        unsaved = [s for s in self.screen_stack if getattr(s, "has_unsaved", lambda: False)()]
        if not unsaved:
            self.exit()
            return
        from tracker.tui.dialogs.confirm import ConfirmDialog

        def answer(discard: bool | None) -> None:
            if discard:
                self.exit()

        self.push_screen(ConfirmDialog("Quit and discard your unsaved changes?"), answer)
