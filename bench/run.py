"""The tracker's speed at national scale, beside a minimal Textual app measured in the same run.

    python bench/run.py [--scales 1 10] [--runs 5] [--json bench/results.json] [--work DIR]

For each scale it builds (once, cached in --work) the synthetic dataset of bench/generate.py,
then times, as medians of --runs runs after one warm-up run:

- the TUI's start as a user feels it, launch to first screen: the tracker (a normal start, its
  warm-up thread and all) and the minimal Textual app (the yardstick), each launched in a fresh
  tmux session of 120x40 whose screen is read (`tmux capture-pane`, about every 5 ms) until it
  shows the minimal app's text, or at least five of the dataset's plan ids: the home screen's
  list painted; and the same launches in a pseudo-terminal of the bench's own, read as the app
  writes (bench/terminal.py). The runs are interleaved, in a shuffled order each round, so
  that drift in the host's speed hits both; the ratios of their medians are the headline.
  tmux skipped, and said so, when it is not installed (bench/startup.py);
- a user's walk, in the pseudo-terminal, after the launch: Enter on the first plan (the first
  plan of the session), Enter on its first action, back and down to the next, each timed from
  the key to the first read that brings the new screen's text, after a pause of a second in
  which a user reads the screen (and the warm-up runs); then the TUI's peak memory, a plan and
  an action open;
- secondary, in the same rounds: both apps start to exit in a pseudo-terminal, each exiting
  after its first paint (the tracker with TRACKER_EXIT_WHEN_READY=1). Textual's exit waits
  0.1-0.2 s for its input thread, which dilutes this ratio;
- opening the largest plan, and a search keystroke to repaint in the biggest table the TUI
  shows, the plans list (in-process, with Textual's Pilot; the keystroke is the CPU time from
  the key to the repainted screen, Pilot's idle waits for the next refresh tick left out);
- `tracker plans`, `tracker actions --overdue --json`, a board report export (HTML) of one
  plan, the portfolio XLSX, importing a report (whole process);
- `task +OVERDUE export` of Taskwarrior on the same tasks, when `task` is installed;
- loading the whole dataset from its TOML plan files into a new database (fewer runs);
- the peak memory (max RSS) of each whole-process measurement, each command started from the
  small bench/spawn.py so that the figure is the command's own, not this script's.

Every command runs with compiled bytecode, as an installed tracker has it (bench/process.py).
It prints one table with the figures the issue asks for beside their targets, and writes the
same figures as JSON so that runs can be compared: `minimal_app_visible`, `tui_home_visible`
and `tui_visible_ratio` are the headline; `capture_pane_s` is the cost of one screen read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Also importable from here, as before: PYTHON, ROOT, run_process, tracker, env, median_of.
from bench.generate import SERVICES, generate  # noqa: E402
from bench.pilot import tui_figures  # noqa: E402
from bench.process import (  # noqa: E402
    PYTHON,
    TODAY,
    attempt,
    env,
    median_of,
    run_process,
    tracker,
)
from bench.report import report  # noqa: E402
from bench.startup import startup_figures  # noqa: E402
from bench.taskwarrior import taskwarrior  # noqa: E402

__all__ = [
    "PYTHON",
    "ROOT",
    "TODAY",
    "dataset",
    "env",
    "main",
    "measure",
    "median_of",
    "run_process",
    "tracker",
]

SEED_REPORT = ROOT / "tests" / "seeds" / "halton-warrington-2009-cci-report.txt"


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


def measure(scale: int, runs: int, work: Path, services: int = SERVICES) -> dict[str, Any]:
    db, toml = dataset(scale, work, services)
    found: dict[str, Any] = {"scale": scale, "services": services}
    found |= startup_figures(db, runs, seed=scale)
    found |= asyncio.run(tui_figures(db, runs))
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
    found["taskwarrior_overdue_export"] = attempt(
        lambda: taskwarrior(db, work, runs, len(overdue), commands["actions_overdue_json"])
    )
    return found


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
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
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
