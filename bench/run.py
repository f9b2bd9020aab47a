"""The tracker's speed at national scale, beside a minimal Textual app measured in the same run.

    python bench/run.py [--scales 1 10] [--runs 5] [--json bench/results.json] [--work DIR]

For each scale it builds (once, cached in --work) the synthetic dataset of bench/generate.py,
then times, as medians of --runs runs after one warm-up run:

- the minimal Textual app, start to exit after its first paint (the yardstick);
- the tracker's TUI, start to the first painted home screen with every plan listed
  (both in a pseudo-terminal of 120x40, whole process);
- opening the largest plan, and a search keystroke to repaint in the biggest table the TUI
  shows, the plans list (in-process, with Textual's Pilot; the keystroke is the CPU time from
  the key to the repainted screen, Pilot's idle waits for the next refresh tick left out);
- `tracker plans`, `tracker actions --overdue --json`, a board report export (HTML) of one
  plan, the portfolio XLSX, importing a report (whole process);
- `task +OVERDUE export` of Taskwarrior on the same tasks, when `task` is installed;
- loading the whole dataset from its TOML plan files into a new database (fewer runs);
- the peak memory (max RSS) of each whole-process measurement, each command started from the
  small bench/spawn.py so that the figure is the command's own, not this script's.

It prints one table with the figures the issue asks for beside their targets, and writes the
same figures as JSON so that runs can be compared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import ANCHOR, SERVICES, generate  # noqa: E402

TODAY = ANCHOR.isoformat()
SEED_REPORT = ROOT / "tests" / "seeds" / "halton-warrington-2009-cci-report.txt"
PYTHON = sys.executable


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


SPAWN = ROOT / "bench" / "spawn.py"
"""Starts each timed command from a small process, so that its peak memory is its own."""


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


def tracker(*args: str) -> list[str]:
    return [PYTHON, "-m", "tracker", *args]


# In-process measurements with Pilot ------------------------------------------------------------


async def _tui_figures(db: Path, runs: int) -> dict[str, Any]:
    from tracker import queries
    from tracker.config import Settings
    from tracker.rules import parse_date
    from tracker.store import open_store
    from tracker.tui.app import TrackerApp
    from tracker.tui.table import FastTable

    today = parse_date(TODAY)
    store = open_store(db)
    with store.read() as session:
        rows = queries.plan_rows(session, today)
    largest = max(rows, key=lambda r: (r.summary.total, r.id)).id
    settings = Settings(str(db), "Bench Runner", today, Path("/nonexistent.toml"), {})
    app = TrackerApp(store, settings)
    opening: list[float] = []
    keystroke: list[float] = []
    plan_keystroke: list[float] = []
    biggest = 0
    async with app.run_test(size=(120, 40)) as pilot:

        async def idle() -> None:
            for _ in range(50):
                await app.workers.wait_for_complete()
                await pilot.pause()
                if all(w.is_finished for w in app.workers):
                    return

        await idle()
        plans_table = app.screen.query_one("#plans", FastTable)
        biggest = plans_table.row_count
        # A search on the plans list, the biggest table the TUI shows: each key refills it.
        await pilot.press("slash")
        for i in range(runs + 1):
            for letter in "north":
                # CPU time from the key to the repainted screen: Pilot's waits for the next
                # refresh tick are idle time a user does not see as lag, so they are left out.
                started = time.process_time()
                await pilot.press(letter)
                await pilot.pause()
                if i:
                    keystroke.append(time.process_time() - started)
            await pilot.press(*["backspace"] * 5)
            await pilot.pause()
        await pilot.press("escape")
        await idle()
        for i in range(runs + 1):
            started = time.perf_counter()
            app.open_plan(largest)
            await idle()
            if i:
                opening.append(time.perf_counter() - started)
            await pilot.press("slash")
            for letter in "the":  # a search narrows the plan's actions with each key
                started = time.process_time()
                await pilot.press(letter)
                await pilot.pause()
                if i:
                    plan_keystroke.append(time.process_time() - started)
            await pilot.press("escape", "escape")
            await idle()
    store.dispose()
    return {
        "largest_plan": largest,
        "open_largest_plan_s": round(statistics.median(opening), 4),
        "filter_keystroke_s": round(statistics.median(keystroke), 4),
        "plan_search_keystroke_s": round(statistics.median(plan_keystroke), 4),
        "biggest_table_rows": biggest,
    }


# Taskwarrior -----------------------------------------------------------------------------------


def taskwarrior(db: Path, work: Path, runs: int, overdue: int) -> dict[str, Any] | None:
    """`task +OVERDUE export` on the same actions (as tasks with due dates), or None when
    Taskwarrior is not installed. Taskwarrior judges "overdue" by its own clock, so each due
    date is moved by as many days as the real today is after the dataset's ANCHOR, to the end
    of that day: it then finds the same actions overdue as the tracker does on ANCHOR
    (`overdue`, checked against its own count)."""
    task = shutil.which("task")
    if task is None:
        return None
    shift = date.today() - ANCHOR
    # Kept per day: the due dates are moved by the days since ANCHOR, so a copy made on an
    # earlier day would find one more day's actions overdue.
    data = work / f"taskdata-{db.stem}-{shift.days}"
    rc = work / f"taskrc-{db.stem}"
    extra = {"TASKDATA": str(data), "TASKRC": str(rc), "TZ": "UTC"}
    if not data.exists():
        from tracker import queries
        from tracker.rules import parse_date
        from tracker.store import open_store

        data.mkdir(parents=True)
        rc.write_text("confirmation=off\nverbose=nothing\nnews.version=2.6.0\n")
        store = open_store(db)
        with store.read() as session:
            rows = queries.action_rows(session, parse_date(TODAY))
        store.dispose()
        tasks = [
            {
                "description": r.text,
                "project": r.plan.replace("-", "_"),
                "status": "completed" if r.status.value == "complete" else "pending",
                "entry": "20200101T000000Z",
                "end": "20200101T000000Z" if r.status.value == "complete" else None,
                "due": (r.target + shift).strftime("%Y%m%dT235959Z") if r.target else None,
                "tags": [r.status.value.replace(" ", "_")],
            }
            for r in rows
        ]
        tasks = [{k: v for k, v in t.items() if v is not None} for t in tasks]
        source = work / f"tasks-{db.stem}.json"
        source.write_text(json.dumps(tasks))
        subprocess.run(
            [task, "import", str(source)], env=env(**extra), check=True, capture_output=True
        )
    counted = subprocess.run(
        [task, "+OVERDUE", "count"], env=env(**extra), capture_output=True, text=True, check=True
    )
    found: dict[str, Any] = median_of(
        runs, lambda: run_process([task, "+OVERDUE", "export"], extra=extra)
    )
    found["overdue_tasks"] = int(counted.stdout.strip() or 0)
    found["same_tasks"] = found["overdue_tasks"] == overdue
    return found


# The figures -----------------------------------------------------------------------------------


def dataset(scale: int, work: Path, services: int = SERVICES) -> tuple[Path, Path]:
    """The cached database and plan files at `scale` (of `services` services)."""
    name = f"national-x{scale}" if services == SERVICES else f"services{services}-x{scale}"
    db = work / f"{name}.db"
    toml = work / f"{name}-toml"
    if not db.exists():
        print(f"building the dataset at scale {scale}…", file=sys.stderr)
        partial = db.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        shutil.rmtree(toml, ignore_errors=True)
        toml.mkdir(parents=True)
        generate(str(partial), scale, toml_dir=toml, quiet=True, services=services)
        partial.rename(db)
    return db, toml


def attempt(work: Callable[[], Any]) -> Any:
    """A figure, or its error (so that one failure does not lose the other figures)."""
    try:
        return work()
    except RuntimeError as exc:
        print(f"  failed: {exc}", file=sys.stderr)
        return {"error": str(exc)}


def measure(scale: int, runs: int, work: Path, services: int = SERVICES) -> dict[str, Any]:
    db, toml = dataset(scale, work, services)
    found: dict[str, Any] = {"scale": scale, "services": services}
    minimal = [PYTHON, str(ROOT / "bench" / "minimal_app.py")]
    found["minimal_textual_app"] = attempt(
        lambda: median_of(runs, lambda: run_process(minimal, tty=True))
    )
    tui = tracker("--db", str(db))
    found["tui_start_to_home"] = attempt(
        lambda: median_of(
            runs, lambda: run_process(tui, tty=True, extra={"TRACKER_EXIT_WHEN_READY": "1"})
        )
    )
    found |= asyncio.run(_tui_figures(db, runs))
    largest = found["largest_plan"]
    out, sheet = work / "board.html", work / "portfolio.xlsx"
    commands = {
        "plans": tracker("--db", str(db), "plans"),
        "actions_overdue_json": tracker("--db", str(db), "actions", "--overdue", "--json"),
        "board_report_html": tracker(
            "--db", str(db), "export", largest, "-f", "html", "--draft", "-o", str(out)
        ),
        "portfolio_xlsx": tracker("--db", str(db), "portfolio", "-f", "xlsx", "-o", str(sheet)),
    }
    for name, argv in commands.items():

        def timed(argv: list[str] = argv) -> dict[str, float]:
            return median_of(runs, lambda: run_process(argv))

        found[name] = attempt(timed)
    copy = work / "import-target.db"
    importing = tracker("--db", str(copy), "import", str(SEED_REPORT), "--id", "bench-import")
    found["import_report"] = attempt(
        lambda: median_of(
            runs, lambda: run_process(importing), setup=lambda: shutil.copyfile(db, copy)
        )
    )
    fresh = work / "load-target.db"
    files = sorted(str(p) for p in toml.glob("*.toml"))
    loading = tracker("--db", str(fresh), "load", *files)
    found["load_toml"] = attempt(
        lambda: median_of(
            max(1, min(runs, 3 if scale == 1 else 1)),
            lambda: run_process(loading),
            setup=lambda: fresh.unlink(missing_ok=True),
        )
    )
    found["load_toml_files"] = len(files)
    overdue = json.loads(
        subprocess.run(
            commands["actions_overdue_json"], env=env(), capture_output=True, check=True
        ).stdout
    )
    found["overdue_actions"] = len(overdue)
    found["taskwarrior_overdue_export"] = attempt(lambda: taskwarrior(db, work, runs, len(overdue)))
    return found


TARGETS = {
    1: {
        "tui_ratio": 1.25,
        "keystroke_s": 0.016,
        "plans_s": 0.4,
        "board_s": 0.6,
        "load_s": 2.5,
        "tui_mib": 80,
    },
    10: {
        "tui_ratio": 1.75,
        "keystroke_s": 0.033,
        "plans_s": 0.6,
        "board_s": 0.6,
        "task": 0.5,
        "load_s": 20,
        "tui_mib": 120,
    },
}
"""The issue's figures to reach, by scale (a smaller smoke run is held to scale 1's)."""


def report(results: list[dict[str, Any]]) -> None:
    def s(x: float) -> str:
        return f"{x:.3f} s"

    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    lines = [("what", *[f"scale {r['scale']}" for r in results])]

    def add(label: str, cell: Callable[[dict[str, Any]], str]) -> None:
        def safe_cell(r: dict[str, Any]) -> str:
            try:
                return cell(r)
            except (KeyError, TypeError):
                return "failed (see above)"

        lines.append((label, *[safe_cell(r) for r in results]))

    def target(r: dict[str, Any], key: str) -> float | None:
        return TARGETS.get(r["scale"], {}).get(key)

    lines.append(("services", *[str(r.get("services", SERVICES)) for r in results]))

    def check(value: float, r: dict[str, Any], key: str, text: str) -> str:
        limit = target(r, key)
        return text if limit is None else f"{text} (<= {limit:g}: {mark(value <= limit)})"

    add("minimal Textual app, start to exit", lambda r: s(r["minimal_textual_app"]["s"]))
    add("TUI start to home screen", lambda r: s(r["tui_start_to_home"]["s"]))
    add(
        "  ratio to the minimal app",
        lambda r: check(
            ratio := r["tui_start_to_home"]["s"] / r["minimal_textual_app"]["s"],
            r,
            "tui_ratio",
            f"{ratio:.2f}x",
        ),
    )
    add("open the largest plan (in-process)", lambda r: s(r["open_largest_plan_s"]))
    add(
        "search keystroke to repaint, plans list",
        lambda r: check(
            r["filter_keystroke_s"],
            r,
            "keystroke_s",
            f"{r['filter_keystroke_s'] * 1000:.1f} ms in {r['biggest_table_rows']} rows",
        ),
    )
    add(
        "  the same in a plan's actions",
        lambda r: f"{r['plan_search_keystroke_s'] * 1000:.1f} ms",
    )
    add("tracker plans", lambda r: check(r["plans"]["s"], r, "plans_s", s(r["plans"]["s"])))
    add("tracker actions --overdue --json", lambda r: s(r["actions_overdue_json"]["s"]))

    def task_cell(r: dict[str, Any]) -> str:
        tw = r["taskwarrior_overdue_export"]
        if tw is None:
            return "task not installed"
        ratio = r["actions_overdue_json"]["s"] / tw["s"]
        same = "same" if tw["same_tasks"] else f"NOT the same: {tw['overdue_tasks']}"
        text = f"{s(tw['s'])}, ratio {ratio:.2f}x ({r['overdue_actions']} overdue, {same})"
        return check(ratio, r, "task", text)

    add("Taskwarrior task +OVERDUE export", task_cell)
    add(
        "board report export, one plan",
        lambda r: check(r["board_report_html"]["s"], r, "board_s", s(r["board_report_html"]["s"])),
    )
    add("portfolio XLSX", lambda r: s(r["portfolio_xlsx"]["s"]))
    add("import a report", lambda r: s(r["import_report"]["s"]))
    add(
        "load the dataset from TOML",
        lambda r: check(
            r["load_toml"]["s"],
            r,
            "load_s",
            f"{s(r['load_toml']['s'])} ({r['load_toml_files']} files)",
        ),
    )
    add(
        "TUI peak memory (home screen, every plan)",
        lambda r: check(
            r["tui_start_to_home"]["peak_mib"],
            r,
            "tui_mib",
            f"{r['tui_start_to_home']['peak_mib']:.0f} MiB",
        ),
    )

    def peak(r: dict[str, Any]) -> str:
        figures = [v["peak_mib"] for v in r.values() if isinstance(v, dict) and "peak_mib" in v]
        return f"{max(figures):.0f} MiB"

    add("peak memory of any process", peak)
    widths = [max(len(row[i]) for row in lines) for i in range(len(lines[0]))]
    for n, row in enumerate(lines):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tracker-bench")
    parser.add_argument(
        "--services",
        type=int,
        default=SERVICES,
        help="services in the dataset (default all 155; fewer for a quick smoke run, as in CI)",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = [measure(scale, args.runs, args.work, args.services) for scale in args.scales]
    report(results)
    meta = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "runs": args.runs,
    }
    args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
