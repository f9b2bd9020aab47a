"""Many users, one truth: three experiments that try to make the tracker lose or damage data,
and the figures that say they could not (docs/reliability.md).

    python -m bench.reliability [--db FOLDER|URL] [--processes N] [--updates N] [--kills N]
                                [--quick] [--only editors|crash|hostile] [--json FILE]

1. Concurrent editors (`editors`). N processes (multiprocessing, spawn) read actions' versions
   and save changes based on them: single updates, bulk updates of two actions, notes and
   evidence, on a small set of shared actions. Every save writes a value no other save
   writes, so the audit trail can be held against what every editor was told: every applied
   save is in it exactly once, based on what its editor read, in an unbroken chain of versions
   ending in the final state; every other save was told ConflictError and left no trace. No
   "database is locked", no other error.
2. Crash safety (`crash`). `tracker load` in a child process is SIGKILLed at a random moment of
   its write transaction, again and again; after each kill the database passes its integrity
   checks, holds no orphan row and holds the plan whole or not at all.
3. Hostile input (`hostile`). A corpus of generated and hand-written bad inputs through the
   real CLI: each exits 1 with a message naming the problem, no traceback, no raw control
   character, and the database exactly as it was.

The databases (`targets`): SQLite files in FOLDER (default: a temporary folder), or scratch
databases on the PostgreSQL server of a `postgresql+psycopg://` URL, dropped afterwards.
Without --db the experiments run on SQLite, and also on PostgreSQL when
TRACKER_TEST_DATABASE_URL is set. Exit status 0 when every figure is as it must be.
"""

from __future__ import annotations

from bench.reliability.cases import Case, base_plan
from bench.reliability.crash import CrashFigures, run_crashes
from bench.reliability.editors import Attempt, EditorFigures, TrailEvent, check_editors, run_editors
from bench.reliability.hostile import (
    KNOWN_BUGS,
    MIN_CORPUS,
    HostileFigures,
    build_corpus,
    judge,
    run_hostile,
    run_in_process,
)
from bench.reliability.report import EXPERIMENTS, Results, as_json, run_all, table
from bench.reliability.settings import FULL, QUICK, SAMPLES, TODAY, Settings
from tests.support.databases import (
    ServerTarget,
    SqliteTarget,
    Target,
    cli_env,
    make_target,
    snapshot,
)

__all__ = [
    "EXPERIMENTS",
    "FULL",
    "KNOWN_BUGS",
    "MIN_CORPUS",
    "QUICK",
    "SAMPLES",
    "TODAY",
    "Attempt",
    "Case",
    "CrashFigures",
    "EditorFigures",
    "HostileFigures",
    "Results",
    "ServerTarget",
    "Settings",
    "SqliteTarget",
    "Target",
    "TrailEvent",
    "as_json",
    "base_plan",
    "build_corpus",
    "check_editors",
    "cli_env",
    "judge",
    "make_target",
    "run_all",
    "run_crashes",
    "run_editors",
    "run_hostile",
    "run_in_process",
    "snapshot",
    "table",
]
