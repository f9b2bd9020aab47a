"""Launch to first screen, as a user sees it: a command started in a real terminal (tmux), its
screen read until the expected text is on it.

    with Tmux(env) as tmux:
        seen = tmux.time_to_visible([python, "bench/minimal_app.py", "--stay"], Sight(("Hello",)))

Each command runs in a fresh tmux session of 120x40, on a tmux server of this process's own
(its own socket, `tmux -L`, and no configuration file), so a user's tmux is never touched and
their settings change nothing. The server is started once and kept for a run of measurements:
a terminal is already open when a user types a command, and starting a server costs about
10 ms that is neither app's. The time runs from just before `tmux new-session` to the end of
the first `tmux capture-pane -p` that shows the text; then the session is killed, and the next
launch waits until the command's process is gone.

Polling resolution: each capture is a process spawn (the tmux client), 2.5-4 ms on the 2-core
development machine as its load varies (`Tmux.capture_cost` measures it; bench/run.py reports
it), and the loop pauses POLL_PAUSE between captures, so the screen is read every 5-6 ms. A
figure is late by at most one such period, about half on average, alike for every command
timed. Polling with no pause made the minimal app no quicker to see: on two cores the captures
took CPU time from the app they were waiting for.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

TMUX = shutil.which("tmux")
"""The tmux program, or None when it is not installed (the terminal figures are then skipped)."""

POLL_PAUSE = 0.002
"""Seconds between the end of one capture and the start of the next."""

COLUMNS, LINES = 120, 40
DEAD = "@@bench-pane"  # starts the status line printed after each capture


class NotVisible(RuntimeError):
    """The command never showed the expected text: it timed out, or it ended first."""


class TmuxMissing(RuntimeError):
    """tmux is not installed."""


@dataclass(frozen=True)
class Sight:
    """What a screen must show: at least `at_least` of `texts`, each as a whole word (so that
    "York" is not found in "North Yorkshire"), case and all."""

    texts: tuple[str, ...]
    at_least: int = 1

    def count(self, screen: str) -> int:
        """How many of the texts the screen shows, each as a whole word."""
        return len({m.group(1) for m in self._pattern.finditer(screen)})

    def seen(self, screen: str) -> bool:
        return self.count(screen) >= self.at_least

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        """One pattern for all the texts, made once: at each place a whole word may start, the
        longest text that is one there. (A pattern each, made at each look, cost the bench
        most of a second per look with the 1,550 plan ids of ten times national scale: Python
        keeps 512 compiled patterns, so each look compiled them all again, and the screen was
        read that much later.)"""
        longest_first = sorted(set(self.texts), key=len, reverse=True)
        either = "|".join(re.escape(text) for text in longest_first)
        return re.compile(rf"(?<!\w)(?=({either})(?!\w))")

    def __str__(self) -> str:
        if len(self.texts) == 1:
            return repr(self.texts[0])
        some = ", ".join(repr(t) for t in self.texts[:3])
        return f"{self.at_least} of {len(self.texts)} texts ({some}, …)"


@dataclass(frozen=True)
class Visible:
    """When a command's screen showed what was expected."""

    seconds: float
    """From just before the launch to the end of the first capture showing it."""
    first_text: float
    """The same to the first capture with any text on the screen (an earlier, partial frame)."""
    polls: int
    screen: str
    """The capture that showed it."""


class Tmux:
    """A tmux server of this process's own, for timing commands launch to first screen."""

    def __init__(self, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> None:
        if TMUX is None:
            raise TmuxMissing("tmux is not installed")
        found = dict(os.environ if env is None else env)
        for name in ("TMUX", "TMUX_PANE"):  # when the bench itself runs inside a tmux
            found.pop(name, None)
        self.env = found
        self.cwd = cwd or Path.cwd()
        self.socket = f"tracker-bench-{os.getpid()}-{time.monotonic_ns()}"
        self.base = [TMUX, "-L", self.socket, "-f", "/dev/null"]
        self.launches = 0
        self.socket_path = ""

    def __enter__(self) -> Tmux:
        # A session that keeps the server up between the timed ones, ending with this process
        # if it dies before it can stop the server (the server then ends with its last session).
        keeper = ["tail", f"--pid={os.getpid()}", "-f", "/dev/null"]
        self._tmux("new-session", "-d", "-s", "keeper", *keeper)
        # No status line (the pane is then the whole 120x40), and a command that ends keeps its
        # pane, so that its last screen can be reported (all but the keeper's).
        self._tmux("set-option", "-g", "status", "off")
        self._tmux("set-option", "-g", "remain-on-exit", "on")
        self._tmux("set-option", "-w", "-t", "=keeper:", "remain-on-exit", "off")
        self.socket_path = self._tmux("display-message", "-p", "#{socket_path}").stdout.strip()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, env=self.env)
        if self.socket_path:  # tmux leaves its socket file behind
            Path(self.socket_path).unlink(missing_ok=True)

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.base, *args], capture_output=True, text=True, env=self.env, check=True
        )

    def capture(self, session: str) -> tuple[str, bool, str, int]:
        """The session's screen, whether its command has ended (and with what status), and the
        command's process id: one tmux client, one process spawn."""
        target = f"={session}:"
        said = subprocess.run(
            [
                *self.base,
                "capture-pane",
                "-p",
                "-t",
                target,
                ";",
                "display-message",
                "-p",
                "-t",
                target,
                f"{DEAD} #{{pane_dead}} #{{pane_dead_status}} #{{pane_pid}}",
            ],
            capture_output=True,
            text=True,
            env=self.env,
        )
        screen, _, status = said.stdout.rpartition(DEAD)
        fields = status.split()
        if said.returncode != 0 or len(fields) < 2:
            raise NotVisible(f"tmux could not read the screen: {said.stderr.strip()}")
        dead = fields[0] == "1"
        return screen, dead, fields[1] if dead and len(fields) > 2 else "", int(fields[-1])

    def capture_cost(self, samples: int = 30) -> float:
        """The median time (s) of one capture, as `time_to_visible` polls: the resolution of its
        figures is this plus POLL_PAUSE."""
        took = []
        for _ in range(samples):
            started = time.perf_counter()
            self.capture("keeper")
            took.append(time.perf_counter() - started)
        return statistics.median(took)

    def time_to_visible(
        self, argv: Sequence[str], sight: Sight, timeout: float = 30.0, what: str = ""
    ) -> Visible:
        """Launch `argv` in a fresh session of 120x40 and poll its screen until it shows `sight`;
        then kill the session. NotVisible when it does not within `timeout` seconds, or when
        the command ends first (either with its last screen). tmux runs a command of two or
        more words directly, without a shell (one word would go through `sh -c`)."""
        what = what or " ".join(Path(a).name for a in argv[:3])
        self.launches += 1
        session = f"run-{self.launches}"
        launch = [
            *self.base,
            *("new-session", "-d", "-s", session, "-x", str(COLUMNS), "-y", str(LINES)),
            *("-c", str(self.cwd), "--", *argv),
        ]
        polls, first, pid, ended = 0, 0.0, 0, 0.0
        started = time.perf_counter()
        subprocess.run(launch, check=True, capture_output=True, env=self.env)
        try:
            while True:
                screen, dead, status, pid = self.capture(session)
                now = time.perf_counter() - started
                polls += 1
                if not dead:
                    ended = now
                if not first and screen.strip():
                    first = now
                if sight.seen(screen):
                    return Visible(now, first, polls, screen)
                # tmux marks a pane dead when its terminal closes, and has the exit status a
                # moment later, when it has reaped the command; wait for it briefly, as tmux
                # 3.3a sometimes never reaps a command that ends within a few milliseconds.
                if dead and (status or now > ended + 0.3):
                    said = f" (status {status})" if status else ""
                    raise NotVisible(
                        f"{what} ended{said} before showing {sight}; "
                        f"its screen was:\n{screen.rstrip()}"
                    )
                if now > timeout:
                    raise NotVisible(
                        f"{what} did not show {sight} within {timeout:g} s; "
                        f"its screen was:\n{screen.rstrip()}"
                    )
                time.sleep(POLL_PAUSE)
        finally:
            subprocess.run(
                [*self.base, "kill-session", "-t", f"={session}"], capture_output=True, env=self.env
            )
            gone(pid)


def gone(pid: int, timeout: float = 5.0) -> None:
    """Wait until process `pid` (a child of the tmux server, sent SIGHUP) has ended, so that a
    command's exit does not overlap the next launch (Linux)."""
    deadline = time.monotonic() + timeout
    while pid and time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:  # gone (or no /proc: then this does not wait)
            return
        if stat.rpartition(")")[2].split()[0] in "ZX":  # ended, not yet reaped by tmux
            return
        time.sleep(0.005)


_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: the title, the clipboard
    r"|\x1b[P^_X][^\x1b]*\x1b\\"  # DCS, PM, APC, SOS
    r"|\x1b[ -/]*[0-~]"  # the two- and three-character escapes
    r"|[\x00-\x08\x0b-\x1f\x7f]"  # the other control characters
)


def drawn_text(output: str) -> str:
    """What a program's terminal output draws, as text: each escape sequence and control
    character replaced by a NUL, so that a word is found where it was written in one piece
    (`Sight` matches whole words: text each side of a cursor move is never joined)."""
    return _ESCAPES.sub("\0", output)


class PtyApp:
    """A command in a pseudo-terminal of 120x40 of its own (a new session, as a terminal window
    starts a shell's command), its output read as it writes it: `until` waits for a text,
    `press` types keys and restarts the clock, so that a screen a key opens is timed from that
    key to the first read that brings its text. No polling: each time is that of a read.

    Unlike tmux this keeps no screen: a text counts once written (since the last key), even if
    a later frame covers it. For a first frame that is what a user sees."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        what: str = "",
    ) -> None:
        import codecs
        import fcntl
        import pty
        import struct
        import termios

        self.what = what or " ".join(Path(a).name for a in argv[:3])
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.written = ""
        self.mark = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(os.environ if env is None else env),
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def until(self, sight: Sight, timeout: float = 30.0) -> Visible:
        """Read until the text drawn since the launch or the last key shows `sight`: the time
        from then. NotVisible when it does not within `timeout` seconds or the command ends."""
        import select

        first, reads = 0.0, 0
        while True:
            left = timeout - (time.perf_counter() - self.mark)
            if left <= 0:
                raise NotVisible(
                    f"{self.what} did not show {sight} within {timeout:g} s; "
                    f"it drew:\n{self._tail()}"
                )
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:  # EIO: every copy of the terminal's other end is closed
                chunk = b""
            now = time.perf_counter() - self.mark
            if not chunk:
                raise NotVisible(
                    f"{self.what} ended (status {self.proc.wait(5)}) before showing {sight}; "
                    f"it drew:\n{self._tail()}"
                )
            reads += 1
            self.written += self.decoder.decode(chunk)
            drawn = drawn_text(self.written)
            if not first and drawn.strip("\0 \r\n"):
                first = now
            if sight.seen(drawn):
                return Visible(now, first, reads, drawn.replace("\0", " "))

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Read (and drop) what the command writes until it has written nothing for `quiet`
        seconds: its screen is still, as a user waits before the next key."""
        import select

        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                return
            try:
                if not os.read(self.master, 1 << 16):
                    return
            except OSError:
                return

    def press(self, keys: bytes) -> None:
        """Type `keys` (as a terminal sends them: b"\\r" is Enter) and start the clock."""
        self.written = ""
        self.mark = time.perf_counter()
        os.write(self.master, keys)

    def peak_kib(self) -> int:
        """The command's peak memory so far (VmHWM, Linux), in KiB; 0 where it cannot be read."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return 0
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def _tail(self) -> str:
        return drawn_text(self.written).replace(chr(0), " ")[-2000:].strip()

    def close(self) -> None:
        """End the command (SIGHUP, as when a terminal closes; SIGKILL if it lingers), reaped."""
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGHUP)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)


def pty_time_to_visible(
    argv: Sequence[str],
    sight: Sight,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 30.0,
    what: str = "",
) -> Visible:
    """Launch `argv` in a `PtyApp` and read what it writes until the text drawn shows `sight`
    (the time from just before the launch); then end it."""
    with PtyApp(argv, env, cwd, what) as app:
        return app.until(sight, timeout)
