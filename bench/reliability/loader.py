"""The writer that the crash experiment kills: `tracker load` in a process of its own.

Starting Python and importing the tracker takes most of a second, far longer than a load's
write transaction, so a kill needs no fresh interpreter: one loader process (`serve`) imports
the tracker once and then forks a child for each load, which runs the real CLI
(`tracker.cli.main`, or the deliberately broken `piecemeal_load`) and is the process that is
SIGKILLed. A listener on SQLAlchemy's engine events prints when the store's write transaction
begins and commits; it only watches.

    python -m bench.reliability.loader [--piecemeal]    # reads "DB<TAB>FILE" lines
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

if __package__ in (None, ""):  # run as a file: make the bench and the tracker importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))


def _say(line: str) -> None:
    # One write of the whole line: a child killed half way through a print (unbuffered
    # output writes the text and the newline apart) would run its words into the next line.
    os.write(sys.stdout.fileno(), f"{line}\n".encode())


def _on(what: str) -> Callable[[Any], None]:
    def listener(connection: Any) -> None:
        if connection.get_execution_options().get("tracker_write"):
            _say(what)

    return listener


def serve(piecemeal: bool) -> None:
    """The loader process: for each `DB<TAB>FILE` line on stdin, fork a child that loads FILE
    into DB; print `pid N` when it starts and `exit CODE` when it has ended (-9: killed)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    run: Callable[[str, str], int]
    if piecemeal:
        from bench.reliability.crash import piecemeal_load

        def run(db: str, file: str) -> int:
            piecemeal_load(db, file)
            return 0
    else:
        from tracker.cli import main

        def run(db: str, file: str) -> int:
            try:
                main(["--db", db, "load", file], prog_name="tracker")
            except SystemExit as exc:
                return int(exc.code or 0)
            return 0

    event.listen(Engine, "begin", _on("writing"))
    event.listen(Engine, "commit", _on("committing"))
    _say("ready")
    for line in sys.stdin:
        db, file = line.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:  # the child: the load, then out without running the parent's clean-up
            code = 1
            try:
                code = run(db, file)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        _say(f"exit {os.waitstatus_to_exitcode(status)}")


class Loader:
    """The loader process, seen from the bench: start a load, wait for what it prints, kill
    it. One load at a time."""

    def __init__(self, env: dict[str, str], root: Path, *, piecemeal: bool = False) -> None:
        args = [sys.executable, "-m", "bench.reliability.loader"]
        self.process = subprocess.Popen(
            [*args, "--piecemeal"] if piecemeal else args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=root,
            text=True,
        )
        self.lines: queue.Queue[tuple[str, float]] = queue.Queue()
        self.errors: list[str] = []
        self.pid = 0
        self.code: int | None = None
        for stream, lines in ((self.process.stdout, self.lines), (self.process.stderr, None)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()
        if self._next()[0] != "ready":
            raise RuntimeError(f"the loader did not start: {''.join(self.errors)[-2000:]}")

    def _read(self, stream: IO[str], lines: queue.Queue[tuple[str, float]] | None) -> None:
        for line in stream:
            if lines is None:
                self.errors.append(line)
            else:
                lines.put((line.strip(), time.perf_counter()))
        if lines is not None:
            lines.put(("exit gone", time.perf_counter()))  # the loader itself has ended

    def _next(self, timeout: float = 60.0) -> tuple[str, float]:
        line, when = self.lines.get(timeout=timeout)
        if line.startswith("exit "):
            word = line.split()[1]
            self.code = int(word) if word.lstrip("-").isdigit() else -999
        return line, when

    def start(self, db: str, file: Path) -> None:
        """Begin loading `file` into `db` in a new child."""
        assert self.process.stdin is not None
        self.errors.clear()
        self.code = None
        self.process.stdin.write(f"{db}\t{file}\n")
        self.process.stdin.flush()
        line, _ = self._next()
        if not line.startswith("pid "):
            raise RuntimeError(f"the loader did not fork: {line} {''.join(self.errors)[-2000:]}")
        self.pid = int(line.split()[1])

    def wait_for(self, wanted: str) -> float | None:
        """Wait for the line `wanted`: the moment it came (perf_counter), or None if the load
        ended first."""
        while self.code is None:
            line, when = self._next()
            if line == wanted:
                return when
        return None

    def last(self, wanted: str) -> float | None:
        """Read to the end of the load; when the line `wanted` last came, or None."""
        found = None
        while self.code is None:
            line, when = self._next()
            if line == wanted:
                found = when
        return found

    def finish(self) -> int:
        """Wait for the load to end; its exit status (-9 if it was killed)."""
        self.last("")
        assert self.code is not None
        return self.code

    def kill(self) -> bool:
        """SIGKILL the load; whether that is what ended it (it had not finished already)."""
        if self.code is None:
            # It may have ended a moment ago: then its exit line says how.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        return self.finish() == -signal.SIGKILL

    def close(self) -> None:
        """End the loader process."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


if __name__ == "__main__":
    serve(sys.argv[1:] == ["--piecemeal"])
