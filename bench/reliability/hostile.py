"""Experiment 3, hostile input: a corpus of generated and hand-written bad inputs through the
real CLI (`load`, `import`, `update`, `evidence add`). Each must exit 1 (2 for the few values
click itself refuses as bad usage), say what is wrong on stderr without a traceback or a raw
control character, and leave the database exactly as it was.
"""

from __future__ import annotations

import concurrent.futures
import gc
import os
import resource
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from bench.reliability.cases import Case, base_plan
from bench.reliability.commands import evidence_cases, path_cases, update_cases
from bench.reliability.outputs import output_cases, resolve
from bench.reliability.plans import generated_plans, rule_breaks
from bench.reliability.reports import report_cases
from bench.reliability.settings import Settings
from bench.reliability.texts import HAND_EXPECT, hand_written_toml
from tests.support.databases import Target, cli_env, snapshot
from tracker.planfile import parse_plan
from tracker.text import has_control

MIN_CORPUS = 200
"""The issue's floor for the corpus."""
ISOLATE_SECONDS = 10.0
"""How long a case that runs in a process of its own may take before it counts as a hang."""
KNOWN_BUGS: dict[str, str] = {}
"""Cases that fail for a reason already reported, by case name. They still run and are shown;
they do not count against the run. Remove an entry once the bug is fixed."""


def build_corpus(folder: Path) -> list[Case]:
    """Write the hostile corpus's files into `folder` (which must be empty or new) and
    return its cases, every one of which must be refused."""
    folder.mkdir(parents=True, exist_ok=True)
    plans = folder / "plans"
    plans.mkdir(exist_ok=True)
    base = base_plan()
    base_text = tomli_w.dumps(base)
    parse_plan(base_text.encode(), "base")  # the base itself is valid
    good = plans / "good.toml"
    good.write_text(base_text, "utf-8")
    cases: list[Case] = []
    written: list[tuple[str, bytes, tuple[str, ...]]] = [
        (name, tomli_w.dumps(table).encode("utf-8"), expect)
        for name, table, expect in [*generated_plans(base), *rule_breaks(base)]
    ]
    written += [
        (name, data, HAND_EXPECT[name.split("/")[0]])
        for name, data in hand_written_toml(base_text).items()
    ]
    for n, (name, data, expect) in enumerate(written):
        path = plans / f"{n:03d}-{name.replace('/', '__').replace('=', '-')}.toml"
        path.write_bytes(data)
        cases.append(Case(f"load/{name}", ("load", str(path)), expect))
    for sub, make in (
        ("paths", lambda f: path_cases(f, good)),
        ("reports", report_cases),
        ("evidence", evidence_cases),
    ):
        (folder / sub).mkdir(exist_ok=True)
        cases += make(folder / sub)
    cases += update_cases()
    cases += output_cases()
    names = [c.name for c in cases]
    duplicated = {n for n in names if names.count(n) > 1}
    assert not duplicated, f"corpus names used twice: {sorted(duplicated)}"
    return cases


@dataclass
class HostileFigures:
    """What the hostile input experiment found."""

    tried: int = 0
    refused_cleanly: int = 0
    failures: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    """Cases in KNOWN_BUGS that still fail (not counted as failures)."""
    fixed: list[str] = field(default_factory=list)
    """Cases in KNOWN_BUGS that now pass: take them out of KNOWN_BUGS."""
    by_command: dict[str, int] = field(default_factory=dict)
    own_process: int = 0
    """Cases run as `python -m tracker` processes (the rest through click's CliRunner)."""
    seconds: float = 0.0

    def problems(self) -> list[str]:
        """Every way the figures fall short; empty when all is as it must be."""
        found = list(self.failures)
        if self.tried - len(self.known) < MIN_CORPUS:
            found.append(f"only {self.tried - len(self.known)} inputs tried, not {MIN_CORPUS}")
        return found


def run_in_process(case: Case, db: str, env: dict[str, str]) -> tuple[int, str, str, str]:
    """Run one case through click's CliRunner in this process: (exit status, stdout, stderr,
    the traceback of an exception that escaped, or "")."""
    from click.testing import CliRunner

    from tracker.cli import main

    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("TRACKER_")}
    args = resolve(case.args, db)
    result = CliRunner().invoke(main, ["--db", db, *args], env={**unset, **env})
    crash = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        crash = "".join(traceback.format_exception(*result.exc_info))
    return result.exit_code, result.stdout, result.stderr, crash


def _limit_memory() -> None:
    limit = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_process(
    case: Case, db: str, env: dict[str, str], work: Path
) -> tuple[int | None, str, str, str]:
    """Run one case as a `python -m tracker` process with a time and memory limit: as
    `run_in_process`, with None for the exit status of a case that hung."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", db, *resolve(case.args, db)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=work,
        preexec_fn=_limit_memory,
    )
    try:
        out, err = process.communicate(timeout=ISOLATE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None, "", "", ""
    return (
        process.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        "",
    )


def judge(case: Case, code: int | None, out: str, err: str, crash: str) -> list[str]:
    """What is wrong with how the CLI answered a bad input (empty: refused cleanly)."""
    if code is None:
        return [f"still running after {ISOLATE_SECONDS:.0f} s (hangs)"]
    problems = []
    if crash or "Traceback" in out + err:
        last = (crash or err).strip().splitlines()[-1:] or [""]
        problems.append(f"traceback: {last[0][:200]}")
    if code != case.code:
        problems.append(f"exit {code}, not {case.code}")
    message = err.strip()
    if not message:
        problems.append("nothing on stderr")
    elif not any(word.lower() in message.lower() for word in case.expect):
        shown = message.splitlines()[-1][:200]
        problems.append(f"the message does not say {' or '.join(case.expect)!r}: {shown}")
    if has_control(out + err):
        problems.append("printed a raw control character")
    return problems


def _unchanged(db: str, before: dict[str, Any]) -> str | None:
    """None if the database holds what it held `before`; else what became of it."""
    try:
        now = snapshot(db)
    except Exception as exc:  # a database overwritten is the failure this reports
        return f"the database was lost ({type(exc).__name__})"
    return None if now == before else "the database changed"


def run_hostile(
    target: Target, settings: Settings, work: Path, *, real_processes: bool = False
) -> HostileFigures:
    """Experiment 3: every case of the corpus through the CLI on a database holding the
    sample plans, each checked against a snapshot of the database taken before. Cases run in
    the bench's process (click's CliRunner) one after another on one database; those that
    must be isolated (or all, with `real_processes`) run as `python -m tracker` processes,
    a few at a time, each on a database of its own."""
    del settings  # the whole corpus runs at every setting
    began = time.perf_counter()
    cases = [
        c for c in build_corpus(work / "corpus") if target.kind == "sqlite" or not c.sqlite_only
    ]
    env = cli_env(work, "bench")
    db = target.fresh("hostile")
    before = snapshot(db)
    found: dict[str, list[str]] = {}
    lock = threading.Lock()

    def in_own_process(index: int, case: Case) -> None:
        with lock:
            own = target.fresh(f"hostile-{index}")
        problems = judge(case, *run_process(case, own, env, work))
        if _unchanged(own, before) is not None:
            problems.append(str(_unchanged(own, before)))
        with lock:
            target.drop(own)
        found[case.name] = problems

    workers = max(2, os.cpu_count() or 2) if real_processes else 3
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(in_own_process, index, case)
            for index, case in enumerate(cases)
            if case.isolate or real_processes
        ]
        for n, case in enumerate(cases):
            if case.isolate or real_processes:
                continue
            if n % 20 == 0:
                gc.collect()  # each run's engine (and its pooled connection) goes with it
            problems = judge(case, *run_in_process(case, db, env))
            changed = _unchanged(db, before)
            if changed is not None:
                problems.append(changed)
                db = target.fresh("hostile")
            found[case.name] = problems
        for future in futures:
            future.result()
    target.drop(db)
    figures = HostileFigures()
    figures.own_process = len(futures)
    for case in cases:
        problems = found[case.name]
        figures.tried += 1
        command = case.args[0] if case.args[0] != "--as" else case.args[2]
        figures.by_command[command] = figures.by_command.get(command, 0) + 1
        if not problems:
            figures.refused_cleanly += 1
            if case.name in KNOWN_BUGS:
                figures.fixed.append(case.name)
        elif case.name in KNOWN_BUGS:
            figures.known.append(f"{case.name}: {'; '.join(problems)}")
        else:
            figures.failures.append(f"{case.name}: {'; '.join(problems)}")
    figures.seconds = round(time.perf_counter() - began, 2)
    return figures
