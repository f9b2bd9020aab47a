"""bench/run.py's whole-process measurement: the time and the peak memory are the command's
own (bench/spawn.py starts it from a small process), not those of the large benchmarking
process that asked, and a failing command is reported with what it said."""

from __future__ import annotations

import sys

import pytest

from bench.run import run_process

MIB = 1024


def test_peak_memory_is_the_commands_own_not_the_callers() -> None:
    ballast = bytearray(300 * MIB * MIB)  # this process: 300 MiB more, every page touched
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    _, small = run_process([sys.executable, "-c", "pass"])
    big_code = "b = bytearray(120 * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1"
    _, big = run_process([sys.executable, "-c", big_code])
    del ballast
    assert small < 60 * MIB  # a bare interpreter, not the 300 MiB it was started beside
    assert 120 * MIB <= big < 200 * MIB


def test_the_time_is_the_commands_and_a_tty_run_works() -> None:
    elapsed, _ = run_process([sys.executable, "-c", "import time; time.sleep(0.3)"])
    assert 0.3 <= elapsed < 2
    code = "import os, sys; sys.exit(0 if os.get_terminal_size(0).columns == 120 else 3)"
    run_process([sys.executable, "-c", code], tty=True)


def test_a_failing_command_is_reported_with_what_it_said() -> None:
    with pytest.raises(RuntimeError, match=r"failed \(4\).*no such plan"):
        run_process(
            [sys.executable, "-c", "import sys; sys.stderr.write('no such plan'); sys.exit(4)"]
        )
