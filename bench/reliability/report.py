"""The three experiments run together on one database, and their figures as a table (a
column per database) or as JSON."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.reliability.crash import CrashFigures, run_crashes
from bench.reliability.editors import EditorFigures, run_editors
from bench.reliability.hostile import HostileFigures, run_hostile
from bench.reliability.settings import Settings
from tests.support.databases import Target


@dataclass
class Results:
    """The three experiments' figures on one database."""

    database: str
    editors: EditorFigures | None = None
    crash: CrashFigures | None = None
    hostile: HostileFigures | None = None

    def problems(self) -> list[str]:
        """Every way the figures fall short, by experiment."""
        found: list[str] = []
        for name in ("editors", "crash", "hostile"):
            figures = getattr(self, name)
            if figures is not None:
                found += [f"{self.database} {name}: {p}" for p in figures.problems()]
        return found


EXPERIMENTS = ("editors", "crash", "hostile")


def run_all(
    target: Target,
    settings: Settings,
    work: Path,
    *,
    only: tuple[str, ...] = EXPERIMENTS,
    real_processes: bool = False,
    say: Callable[[str], None] = lambda _: None,
) -> Results:
    """Run the experiments named in `only` on `target`."""
    results = Results(target.kind)
    if "editors" in only:
        say(f"{target.kind}: concurrent editors...")
        db = target.fresh("editors")
        results.editors = run_editors(db, settings)
        target.drop(db)
    if "crash" in only:
        say(f"{target.kind}: crash safety...")
        db = target.fresh("crash")
        results.crash = run_crashes(db, settings, work)
        target.drop(db)
    if "hostile" in only:
        say(f"{target.kind}: hostile input...")
        results.hostile = run_hostile(target, settings, work, real_processes=real_processes)
    return results


def _rows(results: Results) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    e, c, h = results.editors, results.crash, results.hostile
    if e is not None:
        rows += [
            ("Concurrent editors", ""),
            ("  processes", str(e.processes)),
            ("  shared actions", str(e.actions)),
            ("  updates attempted", str(e.attempted)),
            *[(f"  ... {k}", str(v)) for k, v in sorted(e.by_kind.items())],
            ("  applied", str(e.applied)),
            ("  conflicts reported to the loser", str(e.conflicts)),
            ("  lost updates", str(e.lost)),
            ("  saved despite a conflict", str(e.saved_despite_conflict)),
            ("  spurious conflicts", str(e.spurious_conflicts)),
            ("  audit trail errors", str(e.trail_errors)),
            ('  "database is locked" errors', str(e.lock_errors)),
            ("  other errors", str(e.other_errors)),
            ("  long writes beside them (whole plans)", str(e.long_writes)),
            ("  ... longest, seconds", f"{e.longest_write:.2f}"),
            ("  ... failed", str(e.long_write_errors)),
            ("  updates without --expect-version (CLI)", str(e.unversioned)),
            ("  ... refused, traceback or note lost", str(e.unversioned_failures)),
            ("  seconds", f"{e.seconds:.1f}"),
        ]
    if c is not None:
        rows += [
            ("Crash safety", ""),
            ("  rows in the plan loaded", str(c.plan_rows)),
            ("  seconds for a whole load", f"{c.load_seconds:.2f}"),
            ("  ... of which writing", f"{c.write_seconds:.2f}"),
            ("  kills (SIGKILL)", str(c.kills)),
            ("  ... inside the write transaction", str(c.in_write)),
            ("  survived (every check passed)", str(c.survived)),
            ("  storage check failures", str(c.storage_failures)),
            ("  plan absent after the kill", str(c.absent)),
            ("  plan whole after the kill", str(c.whole)),
            ("  partial plans", str(c.partial)),
            ("  orphan rows", str(c.orphans)),
            ("  earlier plans changed", str(c.earlier_changed)),
            ("  whole load after the kills", "ok" if c.usable_after else "FAILED"),
            ("  seconds", f"{c.seconds:.1f}"),
        ]
    if h is not None:
        rows += [
            ("Hostile input", ""),
            ("  inputs tried", str(h.tried)),
            *[(f"  ... {k}", str(v)) for k, v in sorted(h.by_command.items())],
            ("  ... run as processes of their own", str(h.own_process)),
            ("  refused cleanly", str(h.refused_cleanly)),
            ("  failures", str(len(h.failures))),
            ("  known bugs (reported, not counted)", str(len(h.known))),
            ("  seconds", f"{h.seconds:.1f}"),
        ]
    rows.append(("Verdict", "FAIL" if results.problems() else "pass"))
    return rows


def table(all_results: list[Results]) -> str:
    """The figures side by side, a column per database."""
    columns: list[dict[tuple[str, str], str]] = []
    labels: list[tuple[str, str]] = []
    for results in all_results:
        column: dict[tuple[str, str], str] = {}
        section = ""
        for label, value in _rows(results):
            section = label if not label.startswith(" ") else section
            column[section, label] = value
            if (section, label) not in labels:
                labels.append((section, label))
        columns.append(column)
    width = max(len(label) for _, label in labels) + 2
    lines = [" " * width + "".join(f"{r.database:>12}" for r in all_results)]
    for key in labels:
        cells = "".join(f"{column.get(key, '-'):>12}" for column in columns)
        lines.append(f"{key[1]:<{width}}{cells}".rstrip())
    for results in all_results:
        if results.crash is not None:
            lines.append(f"{results.database} storage check: {results.crash.storage_check}")
        for problem in results.problems():
            lines.append(f"! {problem}")
        for name in ("editors", "crash"):
            figures = getattr(results, name)
            if figures is not None and figures.problems():
                lines += [f"  {results.database} {name}: {s}" for s in figures.samples]
        if results.hostile is not None:
            lines += [f"  known bug, {results.database}: {k}" for k in results.hostile.known]
            lines += [
                f"  fixed, take out of KNOWN_BUGS, {results.database}: {k}"
                for k in results.hostile.fixed
            ]
    return "\n".join(lines)


def as_json(all_results: list[Results], settings: Settings) -> dict[str, Any]:
    """The settings and every figure, for --json."""
    return {
        "settings": dataclasses.asdict(settings),
        "ok": not any(r.problems() for r in all_results),
        "databases": {
            r.database: {
                "editors": None if r.editors is None else dataclasses.asdict(r.editors),
                "crash": None if r.crash is None else dataclasses.asdict(r.crash),
                "hostile": None if r.hostile is None else dataclasses.asdict(r.hostile),
                "problems": r.problems(),
            }
            for r in all_results
        },
    }
