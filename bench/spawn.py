"""Run one command and report its wall time and peak memory, measured from a small process.

    python bench/spawn.py FD COMMAND [ARGS...]

Writes `SECONDS MAXRSS_KIB EXIT_CODE` to file descriptor FD when the command ends, and exits
with the command's exit code.

Why a second process: on Linux a child's peak memory (`ru_maxrss`) counts the memory of the
process it was forked from, because the kernel keeps the larger of the two across `exec`.
bench/run.py grows to tens of MiB (it runs the TUI in process and builds datasets), so every
command it started directly was reported at least that large. Forked from this small script
instead, a command's figure is its own. The time is taken here too, around the fork and the
wait, so this script's own start-up is not counted.
"""

from __future__ import annotations

import os
import sys
import time


def main() -> int:
    fd, argv = int(sys.argv[1]), sys.argv[2:]
    os.set_inheritable(fd, False)  # closed in the command at exec: only this script writes it
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    os.write(fd, f"{elapsed} {usage.ru_maxrss} {code}".encode())
    os.close(fd)
    return code


if __name__ == "__main__":
    sys.exit(main())
