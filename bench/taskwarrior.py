"""Taskwarrior beside the tracker, for bench/run.py: `task +OVERDUE export` on the same
actions, when `task` is installed."""

from __future__ import annotations

import json
import random
import shutil
import statistics
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from bench.process import TODAY, env, run_process
from bench.synthetic import ANCHOR


def taskwarrior(
    db: Path, work: Path, runs: int, overdue: int, tracker_argv: list[str]
) -> dict[str, Any] | None:
    """`task +OVERDUE export` on the same actions (as tasks with due dates), or None when
    Taskwarrior is not installed. Taskwarrior judges "overdue" by its own clock, so each due
    date is moved by as many days as the real today is after the dataset's ANCHOR, to the end
    of that day: it then finds the same actions overdue as the tracker does on ANCHOR
    (`overdue`, checked against its own count).

    Timed in rounds with the tracker's own `tracker_argv` (`actions --overdue --json`), the
    two in a shuffled order in each round, so that the ratio compares them under the same
    load of the host: timed apart, a minute's change in the load moved it by a third. Three
    times `runs` rounds, after one to warm up: each takes a tenth of a second. The median of
    each is `s` (Taskwarrior) and `tracker_s`."""
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
        from tracker.queries.lists import action_rows
        from tracker.queries.session import store_reader
        from tracker.rules import parse_date
        from tracker.store import open_store

        data.mkdir(parents=True)
        rc.write_text("confirmation=off\nverbose=nothing\nnews.version=2.6.0\n")
        store = open_store(db)
        with store_reader(store) as reader:
            rows = action_rows(reader, parse_date(TODAY))
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
    commands = {"s": ([task, "+OVERDUE", "export"], extra), "tracker_s": (tracker_argv, {})}
    times: dict[str, list[float]] = {name: [] for name in commands}
    order = random.Random(len(tracker_argv))
    for round_ in range(3 * runs + 1):
        names = list(commands)
        order.shuffle(names)
        for name in names:
            argv, variables = commands[name]
            took, _peak = run_process(argv, extra=variables)
            if round_:
                times[name].append(took)
    found: dict[str, Any] = {name: round(statistics.median(t), 4) for name, t in times.items()}
    found["rounds"] = 3 * runs
    found["overdue_tasks"] = int(counted.stdout.strip() or 0)
    found["same_tasks"] = found["overdue_tasks"] == overdue
    return found
