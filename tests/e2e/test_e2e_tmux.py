"""End to end in a real terminal: tmux runs the real program, keys are typed, the screen read.

Open the demo, mark an action complete, quit, reopen the same database, see the change kept;
and the same change seen by `tracker actions --json` and `tracker history` from another process.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import cli_env

TODAY = "2026-11-22"


class Terminal:
    """One tmux session running a command at 120x40."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.name = f"tracker-e2e-{uuid.uuid4().hex[:8]}"
        exports = " ".join(
            f"{k}={shlex.quote(v)}"
            for k, v in env.items()
            if k.startswith(("TRACKER_", "XDG_", "PATH", "HOME", "PYTHON", "TMPDIR"))
        )
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                "120",
                "-y",
                "40",
                # COLUMNS and LINES, if the tmux server was started with them, would make
                # Textual draw at their size rather than the pane's.
                f"env -u COLUMNS -u LINES {exports} TERM=xterm-256color {command}; sleep 30",
                # With no client attached, tmux sizes a window by `default-size` (80x24)
                # whenever it looks again (another session made or ended): keep this one's.
                ";",
                "set-option",
                "-t",
                self.name,
                "window-size",
                "manual",
            ],
            check=True,
        )

    def screen(self) -> str:
        done = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def wait_for_match(self, pattern: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if re.search(pattern, shown):
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{pattern!r} never matched; the screen was:\n{self.screen()}")

    def keys(self, *keys: str, pause: float = 0.3) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(pause)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.5)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def tracker_command(*args: str) -> str:
    return " ".join(shlex.quote(a) for a in [sys.executable, "-m", "tracker", *args])


@pytest.fixture
def demo_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The CLI's environment with the demo's `tracker-demo-*` folder made in a scratch
    folder of this test's own (short, so that the path the demo shows fits on one line), and
    the scratch folder removed afterwards: a kept demo leaves nothing behind in /tmp."""
    scratch = Path(tempfile.mkdtemp(prefix="e2e-"))
    env = cli_env(
        tmp_path, TRACKER_TODAY=TODAY, TRACKER_USER="Miriam Robertson", TMPDIR=str(scratch)
    )
    try:
        yield env
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    assert not scratch.exists()


def test_demo_change_status_quit_reopen_and_see_it_kept(
    tmp_path: Path, terminals: list[Terminal], demo_env: dict[str, str]
) -> None:
    env = demo_env
    first = Terminal(tracker_command("demo", "--keep"), env)
    terminals.append(first)
    home = first.wait_for("3 plans")
    # While it runs, the demo says where its database is, so another terminal can use it.
    running = re.search(r"Demo database (\S+?):\s+kept\s+when\s+you\s+quit", home)
    assert running is not None, home
    assert running.group(1).startswith(env["TMPDIR"])
    # Find the plan through the palette, then the action by searching its words.
    first.keys("C-p")
    first.type("plan stockton")
    first.wait_for("Open plan stockton-2010")
    time.sleep(1.0)  # let the palette settle its list before choosing
    first.keys("Enter")
    first.wait_for("13 of 13 actions")
    first.keys("/")
    first.type("text-message")
    first.wait_for("1 of 13 actions")
    first.keys("Enter")
    before = first.screen()
    assert re.search(r"3\.3\s+RED\s+blocked", before), before
    # Bulk edit the action under the cursor: status -> complete.
    first.keys("b")
    first.wait_for("Change 1 selected action")
    first.keys("Enter", "Down", "Down", "Down", "Enter", "C-s", pause=0.4)
    first.wait_for("Changed 1 action")
    # The row repaints after the notice (the header's "% complete" is on screen throughout).
    first.wait_for_match(r"3\.3\s+AMBER\s+complete")  # complete, no evidence yet
    first.keys("Escape", "q")
    shown = first.wait_for("demo database: ")
    path = re.search(r"demo database: (\S+)", shown)
    assert path is not None
    db = path.group(1)
    assert db == running.group(1)

    # Another terminal, another process: the CLI sees the change and who made it.
    actions = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "--db",
            db,
            "actions",
            "--plan",
            "stockton-2010",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    row = next(r for r in json.loads(actions.stdout) if r["id"] == "stockton-2010/3.3")
    assert (row["status"], row["progress"]) == ("complete", 100)
    history = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", db, "history", "stockton-2010/3.3"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert re.search(
        # The name given, with the account beside it where the two differ (issue 14, 2b).
        r"Miriam Robertson(?: \(login [^)]+\))?\s+stockton-2010/3\.3\s+status\s+blocked\s+"
        r"complete",
        history.stdout,
    ), history.stdout

    # Reopen the same database: the change is kept.
    second = Terminal(tracker_command("--db", db), env)
    terminals.append(second)
    second.wait_for("3 plans")
    second.keys("C-p")
    second.type("plan stockton")
    second.wait_for("Open plan stockton-2010")
    time.sleep(1.0)
    second.keys("Enter")
    plan = second.wait_for("13 of 13 actions")
    assert re.search(r"3\.3\s+AMBER\s+complete", plan), plan
    assert "R1 A4 G4 B4" in plan  # the plan's colours moved with it
    second.keys("/")
    second.type("text-message")
    second.wait_for("1 of 13 actions")
    second.keys("Enter", "Enter")
    screen = second.wait_for_match(r"·\s+version\s+\d")  # the header may wrap anywhere
    assert "stockton-2010/3.3" in screen and "complete" in screen
    second.keys("Escape", "Escape", "q")


def test_demo_without_keep_says_so_and_deletes_its_database(
    terminals: list[Terminal], demo_env: dict[str, str]
) -> None:
    terminal = Terminal(tracker_command("demo"), demo_env)
    terminals.append(terminal)
    home = terminal.wait_for("3 plans")
    found = re.search(r"Demo database (\S+?):\s+deleted\s+when\s+you\s+quit", home)
    assert found is not None, home
    db = Path(found.group(1))
    assert db.is_file()
    terminal.keys("q")
    deadline = time.monotonic() + 20
    while db.parent.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not db.parent.exists()


def test_demo_runs_with_the_config_file_and_the_mode_flags(
    tmp_path: Path, terminals: list[Terminal], demo_env: dict[str, str]
) -> None:
    """The demo opens as `tracker --db FILE` would: the config file's keymap and role, and
    --read-only, apply to it."""
    config = tmp_path / "config.toml"
    config.write_text('role = "reviewer"\n\n[keymap]\n"plans.search" = "f2"\n', "utf-8")
    env = {**demo_env, "TRACKER_CONFIG": str(config)}
    reviewer = Terminal(tracker_command("demo"), env)
    terminals.append(reviewer)
    home = reviewer.wait_for("3 plans")
    assert "YJB review mode" in home and "f2 Search" in home, home
    assert "Import report" not in home  # a reviewer makes no plans
    reviewer.keys("q")
    read_only = Terminal(tracker_command("--read-only", "demo"), demo_env)
    terminals.append(read_only)
    home = read_only.wait_for("3 plans")
    assert "read only" in home and "Import report" not in home, home
    read_only.keys("q")


def test_write_a_plan_from_a_published_report_in_a_real_terminal(
    tmp_path: Path, terminals: list[Terminal]
) -> None:
    """Issue 13's story from a new user's keys: import a seed report (`i`), fill its
    publication date, add two actions under each recommendation (`a`), see the checklist go
    from "0 of 3" to ready, record `submitted` (`l`), export the board report (`x`); then
    `tracker history` names the user on each addition and the report lists every action."""
    seed = Path(__file__).parents[1] / "seeds" / "halton-warrington-2009-cci-report.txt"
    db = tmp_path / "plans.db"
    env = cli_env(tmp_path, TRACKER_TODAY="2009-11-02", TRACKER_USER="Jo Writer")
    inside = f"cd {shlex.quote(str(tmp_path))} && exec " + tracker_command("--db", str(db))
    screen = Terminal(f"sh -c {shlex.quote(inside)}", env)
    terminals.append(screen)
    screen.wait_for("No plans yet")
    screen.keys("i")
    screen.wait_for("Import an inspection report")
    screen.type(str(seed))
    screen.keys("C-s")
    screen.wait_for("publication date not stated")
    screen.keys("Tab")  # from the area to the publication date
    screen.type("12/10/2009")
    screen.wait_for("Submission due: 9 Nov 2009")
    screen.keys("C-s")
    screen.wait_for("0 of 3 recommendations have actions")
    written = []
    for rec in ("1", "2", "3"):
        for k, n in ((1, "one"), (2, "two")):
            screen.keys("a")
            screen.wait_for(f"Add an action to recommendation {rec}")
            text = f"Recommendation {rec} action {n}"
            screen.type(text)
            screen.keys("Tab")
            screen.type("Head of Service")
            screen.keys("Tab")
            screen.type("Jo Manager")
            screen.keys("Tab", "Tab")  # the start date stays empty
            screen.type("31/03/2010")
            screen.keys("Tab")
            screen.type(f"Measure for {rec} {n}")
            screen.keys("C-s")
            screen.wait_for_match(rf"(?m)^ {rec}\.{k} ")  # its row in the table
            written.append(text)
        screen.keys("Down")  # from the second action to the next recommendation
    screen.wait_for("ready to submit: 3 recommendations, 6 actions")
    screen.keys("l")
    screen.wait_for("Record a lifecycle step")
    screen.keys("C-s")  # submitted to HMIP, today
    screen.wait_for("submitted since 2 Nov 2009")
    screen.keys("x")
    screen.wait_for("Export plan")
    screen.keys("C-s")
    # The file itself is what counts (the notice naming it may come and go between two looks
    # at the screen when the machine is busy).
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("*.docx")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(tmp_path.glob("*.docx")), screen.screen()
    screen.keys("q")

    from docx import Document

    (report,) = tmp_path.glob("*.docx")
    document = Document(str(report))
    words = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    assert all(text in words for text in written), words
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "--db",
            str(db),
            "history",
            "halton-and-warrington-2009",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    added = [e for e in json.loads(done.stdout) if e["field"] == "added"]
    assert len(added) == 6 and {e["actor"] for e in added} == {"Jo Writer"}, added


ACTION_3_2 = (
    "Hold a fortnightly compliance panel at which case managers present every case with two "
    "unacceptable absences, to agree re-engagement work before a warning or breach"
)
LONG_NOTE = (
    "Panel sat on 14 September with the court team: eleven cases with two unacceptable "
    "absences were presented, nine children re-engaged after a home visit with their parent "
    "or carer, two cases went back to court for breach, and the panel asked education "
    "colleagues to join from October so that school attendance is seen alongside YOS contact"
)


def flat(text: str) -> str:
    """Screen text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


def test_a_long_action_and_a_long_note_read_whole_in_a_real_terminal(
    terminals: list[Terminal], demo_env: dict[str, str]
) -> None:
    """What a column cuts short is read whole in the pane under the list: the action under
    the cursor in the plan, the note just added in the action's Updates tab."""
    terminal = Terminal(tracker_command("demo"), demo_env)
    terminals.append(terminal)
    terminal.wait_for("3 plans")
    terminal.keys("C-p")
    terminal.type("plan stockton")
    terminal.wait_for("Open plan stockton-2010")
    time.sleep(1.0)  # let the palette settle its list before choosing
    terminal.keys("Enter")
    terminal.wait_for("13 of 13 actions")
    terminal.keys("/")
    terminal.type("fortnightly compliance")
    terminal.wait_for("1 of 13 actions")
    terminal.keys("Enter")  # the search kept, the cursor on its action
    deadline = time.monotonic() + 20
    while ACTION_3_2 not in flat(terminal.screen()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ACTION_3_2 in flat(terminal.screen()), terminal.screen()
    terminal.keys("Enter")  # open it
    terminal.wait_for("1 Details")
    terminal.keys("C-n")
    terminal.wait_for("Add a progress note")
    terminal.type(LONG_NOTE)
    terminal.keys("C-s")
    deadline = time.monotonic() + 20
    while flat(LONG_NOTE) not in flat(terminal.screen()) and time.monotonic() < deadline:
        time.sleep(0.2)
    shown = terminal.screen()
    assert flat(LONG_NOTE) in flat(shown), shown  # every word of it, under the notes
    terminal.keys("Escape", "Escape", "q")
