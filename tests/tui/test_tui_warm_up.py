"""The store opens in a thread while the screens answer. `tracker` hands the app a function
that opens the store, and the app calls it in a worker when a write comes in view (a dialog,
or the action's form, shows: `WriteAhead`), never for reading; nothing on the event loop may
wait for it. Here that function is slow on purpose: it holds until the test lets it open the
store. An action shows its details without it (read with plain SQL from the file); once its
form asks for the store, keys keep answering within KEY_LATENCY, and a save made meanwhile
waits for the store in its own worker and succeeds once it is open. After the home screen
shows, the warm-up imports the next screens' modules, and reading never imports
SQLAlchemy."""

from __future__ import annotations

import ast
import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from conftest import ROOT, TODAY
from tests.support.tui import action, make_app, notices, screen_text, settle
from tracker.store import Store, open_store
from tracker.tui.app import TrackerApp
from tracker.tui.screens.action import ActionScreen
from tracker.tui.widgets.keys_help import KeysHelp

KEY_LATENCY = 2.0
"""The most a key may take, from pressing it to its effect, while the store opens. Not a speed
figure (bench/ has those; here a key takes about 10 ms, and 0.45 s once on a loaded CI runner):
a key that waited for the store would take HOLD_LIMIT, ten times this."""

HOLD_LIMIT = 20.0
"""The longest the store is held back (were the event loop to wait for the store, a key would
take this long, and the test would say so rather than hang)."""

REF = "stockton-2010/3.2"


class SlowStore:
    """A function that opens the store as slowly as the test wants: it holds, once called,
    until `release()` (or HOLD_LIMIT seconds), so that what the test does meanwhile happens
    while the store is still opening, however slow the machine. It says when it was called,
    on which thread, for how long it held, and when the store is open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.asked = threading.Event()
        self.released = threading.Event()
        self.opened = threading.Event()
        self.threads: list[str] = []
        self.held = 0.0
        self.store: Store | None = None

    def __call__(self) -> Store:
        self.threads.append(threading.current_thread().name)
        self.asked.set()
        started = time.perf_counter()
        self.released.wait(HOLD_LIMIT)
        self.held = time.perf_counter() - started
        self.store = open_store(self.path)
        self.opened.set()
        return self.store

    def release(self) -> None:
        """Let the store open now."""
        self.released.set()


async def until(done: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Let the app run until `done()` holds."""
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        await asyncio.sleep(0.002)


class TabSwitches:
    """When the action's tabs were switched: a watcher on `TabbedContent.active`, which Textual
    calls as the key's action sets it, records the moment."""

    def __init__(self, screen: ActionScreen) -> None:
        self.tabs = screen.query_one("#tabs", TabbedContent)
        self.at: dict[str, float] = {}
        screen.watch(self.tabs, "active", self._switched, init=False)

    def _switched(self, active: str) -> None:
        self.at[active] = time.perf_counter()

    async def latency(self, pilot: Pilot[Any], key: str, tab: str) -> float:
        """Seconds from pressing `key` to the switch to `tab`. The key is sent as the terminal
        sends it (`App.simulate_key`: Pilot's `press` also waits for the whole process to go
        idle) once the screen is quiet, so that the figure is how long the event loop takes
        to answer it, not the repaint of the key before; the new tab's own repaint follows."""
        await pilot.pause()
        self.at.pop(tab, None)
        started = time.perf_counter()
        pilot.app.simulate_key(key)
        await until(lambda: tab in self.at, f"the switch to the {tab} tab")
        assert self.tabs.active == tab
        return self.at[tab] - started


async def editing_while_the_store_opens(pilot: Pilot[Any], slow: SlowStore) -> ActionScreen:
    """Open the action (read without the store: it is not asked for), then its form with the
    edit key, which asks for the store; wait (without waiting for the store, as `settle`
    would) until the form shows."""
    app: TrackerApp = pilot.app  # type: ignore[assignment]
    await until(lambda: app._warming, "the home screen's warm-up")
    app.open_action(REF)
    await until(lambda: isinstance(app.screen, ActionScreen), "the action screen")
    screen = app.screen
    assert isinstance(screen, ActionScreen)
    await until(lambda: screen.loaded is not None, "the action's details")
    await pilot.pause()
    assert REF in screen_text(app)
    assert "Progress % 60" in " ".join(screen_text(app).split())  # read, with no store
    assert not slow.asked.is_set()
    await pilot.press("e")
    await until(lambda: screen.editing, "the form")
    await until(slow.asked.is_set, "the form asking for the store")
    await pilot.pause()
    return screen


async def test_the_form_asks_for_the_store_and_keys_answer_while_it_opens(
    loaded_path: Path,
) -> None:
    slow = SlowStore(loaded_path)
    app = make_app(slow, db=str(loaded_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await editing_while_the_store_opens(pilot, slow)
        assert not slow.opened.is_set()
        assert screen.query_one("#progress", Input).value == "60"
        screen.set_focus(None)  # the tabs' keys, not a field's typing
        switches = TabSwitches(screen)
        took = {}
        for key, tab in (("2", "updates"), ("3", "evidence"), ("4", "history"), ("1", "details")):
            took[key] = await switches.latency(pilot, key, tab)
        await pilot.press("question_mark")  # the help panel shows too
        await until(lambda: bool(screen.query(KeysHelp)), "the help panel")
        assert max(took.values()) < KEY_LATENCY, took
        assert not slow.opened.is_set()  # every key was answered while the store was opening
        slow.release()
        await settle(pilot)
        assert slow.opened.is_set()
    assert len(slow.threads) == 1 and slow.threads[0] != "MainThread"  # opened once, in a thread
    assert slow.store is not None
    slow.store.dispose()


async def test_a_save_made_while_the_store_opens_waits_for_it_in_its_worker(
    loaded_path: Path,
) -> None:
    slow = SlowStore(loaded_path)
    app = make_app(slow, db=str(loaded_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await editing_while_the_store_opens(pilot, slow)
        screen.query_one("#progress", Input).value = "65"
        await pilot.press("ctrl+s")
        saving = [w for w in app.workers if w.name == "save"]
        assert saving and not saving[0].is_finished  # its worker waits for the store
        screen.set_focus(None)
        took = await TabSwitches(screen).latency(pilot, "3", "evidence")
        assert took < KEY_LATENCY, took  # the screen does not
        assert not slow.opened.is_set() and not saving[0].is_finished
        assert not any(n.startswith("Saved") for n in notices(app))
        slow.release()
        await settle(pilot)  # the store opens, then the save, then the read after it
        assert any(n.startswith(f"Saved {REF}") for n in notices(app)), notices(app)
        await pilot.press("1")
        await settle(pilot)
        assert "Progress % 65" in " ".join(screen_text(app).split())  # read back, as saved
    assert len(slow.threads) == 1 and slow.threads[0] != "MainThread"  # opened once, in a thread
    assert slow.store is not None
    assert action(slow.store, REF).row.progress == 65
    slow.store.dispose()


def test_the_screens_touch_the_store_only_in_the_work_they_hand_to_workers() -> None:
    """Where the code says `.store`, it is inside a function or lambda defined within a method
    (the work handed to a worker, or a function that opens the store when a worker calls it),
    never in a method's own body, which runs on the event loop. A structural check beside the
    tests above, which catch a wait for the store at run time on the paths they drive."""
    root = ROOT / "tracker" / "tui"
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            for method in cls.body:
                if not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in _own_nodes(method):
                    if isinstance(node, ast.Attribute) and node.attr == "store":
                        found.append(f"{path.relative_to(root)}:{node.lineno} {method.name}")
    assert found == []


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of a function's body, leaving out the functions and lambdas defined in it."""
    found: list[ast.AST] = []
    todo = list(ast.iter_child_nodes(function))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


WARM_CHECK = """
import asyncio, sys
from datetime import date
from pathlib import Path
from tracker.config import Settings
from tracker.tui.app import TrackerApp

NEXT = ("tracker.tui.screens.plan", "tracker.tui.screens.action")

def open_store():
    from tracker.store import open_store
    return open_store({db!r})

async def main() -> None:
    settings = Settings({db!r}, "Tess Tester", date.fromisoformat({today!r}),
                        "/nonexistent.toml", {{}})
    app = TrackerApp(open_store, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        print("before:", [m for m in NEXT if m in sys.modules], flush=True)
        for _ in range(500):
            await pilot.pause(0.01)
            if app._warming and not any(w.group == "warm-up" for w in app.workers):
                break
        print("after:", [m for m in NEXT if m in sys.modules])
        print("screen:", type(app.screen).__name__)
        app.open_plan("stockton-2010")
        for _ in range(100):
            await pilot.pause(0.02)
        app.open_action("stockton-2010/3.2")
        for _ in range(100):
            await pilot.pause(0.02)
        print("read:", type(app.screen).__name__, "sqlalchemy" in sys.modules)

asyncio.run(main())
"""


def test_the_warm_up_imports_the_next_screens_while_the_home_screen_is_read(
    loaded_path: Path,
) -> None:
    """In a fresh interpreter (these tests' own process has imported every screen), the
    plan and action screens' modules are not imported when the home screen first shows, and
    are once the warm-up has run: the first plan opened does not wait for its imports. Reading
    a plan and an action then never imports SQLAlchemy."""
    import subprocess
    import sys

    script = WARM_CHECK.format(db=str(loaded_path), today=TODAY.isoformat())
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert ran.returncode == 0, ran.stderr
    lines = dict(line.split(": ", 1) for line in ran.stdout.splitlines())
    assert lines["before"] == "[]"
    assert lines["after"] == "['tracker.tui.screens.plan', 'tracker.tui.screens.action']"
    assert lines["screen"] == "PlansScreen"  # nothing was opened: the imports were the warm-up's
    # A plan and an action read, and SQLAlchemy (28 MiB) never imported: no write was in view.
    assert lines["read"] == "ActionScreen False"


async def test_reading_never_opens_the_store_and_a_dialog_opens_it_in_a_thread(
    loaded_path: Path,
) -> None:
    """The store (SQLAlchemy, 28 MiB of the process) is not opened by looking: the home screen
    and a plan are read with plain SQL from the file. A dialog, which ends in a write, opens it
    in a thread as it shows, while the user types."""
    slow = SlowStore(loaded_path)
    app = make_app(slow, db=str(loaded_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_plan("stockton-2010")
        await settle(pilot)
        assert "stockton-2010" in screen_text(app)
        assert not slow.asked.is_set()
        await pilot.press("escape", "n")  # home, then "new plan": a dialog
        await until(slow.asked.is_set, "the dialog asking for the store")
        assert not slow.opened.is_set()
        slow.release()
        await until(slow.opened.is_set, "the store open")
        await pilot.press("escape")
        await settle(pilot)
    assert slow.threads and slow.threads[0] != "MainThread"
    assert slow.store is not None
    slow.store.dispose()


def test_the_home_screens_modules_import_neither_a_plans_reads_nor_the_file_guard() -> None:
    """What the first frame waits for: the home screen's modules, and the screen's start in
    the CLI, import neither one plan's reads (the glance beside the list imports them in its
    read's thread) nor the guard of an export's file (when an export is written)."""
    import subprocess
    import sys

    later = ("tracker.queries.plan", "tracker.files", "hashlib")
    code = (
        "import sys, tracker.cli.screen, tracker.tui.app; "
        f"print([m for m in {later!r} if m in sys.modules])"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"
