"""`python -m bench.reliability` (or `python bench/reliability`): run the experiments, print
the table (and JSON), exit 1 if any figure is not as it must be."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/reliability`: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.reliability.report import EXPERIMENTS, as_json, run_all, table
from bench.reliability.settings import FULL, QUICK, SERVER_ENV
from tests.support.databases import make_target


def main(argv: list[str] | None = None) -> int:
    """The command line: run, print the table (and JSON), exit 1 if any figure is wrong."""
    parser = argparse.ArgumentParser(
        prog="reliability", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--db", metavar="FOLDER|URL", help="SQLite folder or PostgreSQL URL")
    parser.add_argument("--processes", type=int, help="editor processes")
    parser.add_argument("--updates", type=int, help="save attempts per editor process")
    parser.add_argument("--kills", type=int, help="loads to SIGKILL")
    parser.add_argument("--plan-actions", type=int, help="actions in the plan that is killed")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--quick", action="store_true", help="the CI setting")
    parser.add_argument("--only", choices=EXPERIMENTS, action="append", help="repeatable")
    parser.add_argument(
        "--real-processes",
        action="store_true",
        help="run every hostile input as a `python -m tracker` process (slower)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    chosen = {
        k: getattr(args, k)
        for k in ("processes", "updates", "kills", "plan_actions", "seed")
        if getattr(args, k) is not None
    }
    settings = dataclasses.replace(settings, **chosen)
    dbs: list[str | None] = [args.db]
    if args.db is None and os.environ.get(SERVER_ENV):
        dbs.append(os.environ[SERVER_ENV])
    all_results = []
    with tempfile.TemporaryDirectory(prefix="tracker-reliability-") as folder:
        work = Path(folder)
        for n, db in enumerate(dbs):
            run_work = work / f"run{n}"
            run_work.mkdir()
            target = make_target(db, run_work)
            try:
                all_results.append(
                    run_all(
                        target,
                        settings,
                        run_work,
                        only=tuple(args.only or EXPERIMENTS),
                        real_processes=args.real_processes,
                        say=lambda line: print(line, file=sys.stderr, flush=True),
                    )
                )
            finally:
                target.close()
    print(table(all_results))
    if args.json is not None:
        args.json.write_text(json.dumps(as_json(all_results, settings), indent=2) + "\n")
    return 1 if any(r.problems() for r in all_results) else 0


if __name__ == "__main__":
    sys.exit(main())
