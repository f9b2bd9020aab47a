"""Whole-process measurements for bench/run.py: the environment a timed command runs in, and
its wall time and peak memory, taken by the small bench/spawn.py around the command alone."""

from __future__ import annotations

import os
import pty
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.synthetic import ANCHOR

ROOT = Path(__file__).resolve().parent.parent
TODAY = ANCHOR.isoformat()
PYTHON = sys.executable
SPAWN = ROOT / "bench" / "spawn.py"
"""Starts each timed command from a small process, so that its peak memory is its own."""


def env(**extra: str) -> dict[str, str]:
    found = dict(os.environ)
    # Bytecode as an installed tracker has it (pip compiles a wheel's modules at install): a
    # machine that sets PYTHONDONTWRITEBYTECODE would otherwise compile every module of an
    # editable checkout from source at each start, and time the compiler, not the tracker.
    found.pop("PYTHONDONTWRITEBYTECODE", None)
    found.update(
        TRACKER_TODAY=TODAY,
        TRACKER_USER="Bench Runner",
        TRACKER_CONFIG=str(Path(tempfile.gettempdir()) / "tracker-bench-no-config.toml"),
        TERM="xterm-256color",
        COLUMNS="120",
        LINES="40",
        **extra,
    )
    return found


SCRIPT = Path(PYTHON).parent / "tracker"
"""The `tracker` command pip installed beside this Python, as a user runs it."""


def tracker(*args: str) -> list[str]:
    """The command line of `tracker ARGS`: the installed command, as a user types it (which
    imports neither runpy nor importlib.util, as `python -m tracker` does: 5-7 ms), or `python
    -m tracker` where this Python has no such command."""
    if SCRIPT.is_file():
        return [str(SCRIPT), *args]
    return [PYTHON, "-m", "tracker", *args]


def run_process(
    argv: Sequence[str], *, tty: bool = False, extra: dict[str, str] | None = None
) -> tuple[float, int]:
    """Run a whole process; its wall time (s) and peak memory (KiB), both taken by
    bench/spawn.py around the command alone. In a pseudo-terminal of 120x40 when `tty`, as a
    user's terminal would be."""
    report, into = os.pipe()
    command = [PYTHON, str(SPAWN), str(into), *argv]
    if tty:
        import fcntl
        import struct
        import termios

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        proc = subprocess.Popen(
            command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env(**(extra or {})),
            start_new_session=True,
            pass_fds=(into,),
        )
        os.close(slave)

        def drain() -> None:
            try:
                while os.read(master, 65536):
                    pass
            except OSError:
                pass

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
    else:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env(**(extra or {})),
            pass_fds=(into,),
        )
    os.close(into)
    with os.fdopen(report, "rb") as stream:
        said = stream.read().decode().split()
    proc.wait()
    if tty:
        reader.join(timeout=2)
        os.close(master)
    if proc.returncode != 0 or len(said) != 3:
        error = proc.stderr.read().decode() if proc.stderr else ""
        raise RuntimeError(f"{' '.join(argv[1:4])}… failed ({proc.returncode}): {error[-300:]}")
    return float(said[0]), int(said[1])


def median_of(
    runs: int, work: Callable[[], tuple[float, int]], setup: Callable[[], object] | None = None
) -> dict[str, float]:
    """Warm up once, then the median time (s) and the largest peak memory (MiB) of `runs`."""
    times: list[float] = []
    peak = 0
    for i in range(runs + 1):
        if setup is not None:
            setup()
        took, rss = work()
        if i:
            times.append(took)
            peak = max(peak, rss)
    return {"s": round(statistics.median(times), 4), "peak_mib": round(peak / 1024, 1)}


def attempt(work: Callable[[], Any]) -> Any:
    """A figure, or its error (so that one failure does not lose the other figures)."""
    try:
        return work()
    except RuntimeError as exc:
        print(f"  failed: {exc}", file=sys.stderr)
        return {"error": str(exc)}
