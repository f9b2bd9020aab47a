"""A deterministic synthetic dataset at N times national size, for the benchmarks.

    python bench/generate.py --scale 1 --db /tmp/national.db [--seed 1] [--toml DIR]

Scale 1 is England and Wales as a YJB reviewer sees it: 155 services, each with a plan of 5
recommendations, 4 actions per recommendation and 3 pieces of evidence per action (3,100
actions, 9,300 evidence), with progress notes and an audit history. Scale N has N plans per
service: one for each of its last N inspections, the older ones further along their lifecycle.

The plans go in the way a real load does: each is rendered as a plan file, parsed and checked
by `tracker.planfile` and loaded by `services.load_plans` (one transaction, bulk inserts).
`--toml DIR` also writes those plan files, for `tracker load DIR/*.toml`. The audit history
(status and progress changes over the months) is bulk-inserted, as a migration or an import
from another system would. The same seed and scale give the same data, dated around ANCHOR
(run the tracker with `--today 2026-11-01` to see it as the benchmarks do).

The plans are made in bench/synthetic.py, from the words in bench/words.py; this module
builds the database from them (and keeps their names importable from here).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

# The dataset's parts, importable from here as before (bench/run.py and others use these names).
from bench.synthetic import (  # noqa: E402
    ACTIONS,
    ANCHOR,
    EVIDENCE,
    KINDS,
    RECOMMENDATIONS,
    SERVICES,
    history,
    make_action,
    make_plan,
    plans,
    slug,
)
from bench.words import AREAS  # noqa: E402
from tracker.planfile import parse_plan, render_plan  # noqa: E402

__all__ = [
    "ACTIONS",
    "ANCHOR",
    "AREAS",
    "EVIDENCE",
    "KINDS",
    "RECOMMENDATIONS",
    "SERVICES",
    "generate",
    "history",
    "main",
    "make_action",
    "make_plan",
    "plans",
    "slug",
]


def generate(
    db: str,
    scale: int,
    seed: int = 1,
    toml_dir: Path | None = None,
    quiet: bool = False,
    services: int = SERVICES,
) -> dict[str, float]:
    """Build the dataset into database `db` (which must hold no plans yet)."""
    from tracker.services import load_plans
    from tracker.store import open_store

    started = time.perf_counter()
    docs = plans(scale, seed, services)
    checked = []
    for doc in docs:
        text = render_plan(doc)
        if toml_dir is not None:
            (toml_dir / f"{doc.id}.toml").write_text(text, "utf-8")
        checked.append((f"{doc.id}.toml", parse_plan(text.encode("utf-8"), f"{doc.id}.toml")))
    built = time.perf_counter()
    store = open_store(db)
    try:
        # The bench's own synthetic plans: their reviews and closings are the national picture.
        load_plans(store, checked, "bench/generate.py", decisions_from_file=True)
        loaded = time.perf_counter()
        events = history(scale, seed, store)
    finally:
        store.dispose()
    done = time.perf_counter()
    figures = {
        "plans": len(docs),
        "actions": len(docs) * RECOMMENDATIONS * ACTIONS,
        "evidence": len(docs) * RECOMMENDATIONS * ACTIONS * EVIDENCE,
        "audit_events": events,
        "build_and_check_s": round(built - started, 2),
        "load_s": round(loaded - built, 2),
        "history_s": round(done - loaded, 2),
    }
    if not quiet:
        for key, value in figures.items():
            print(f"{key:>18}  {value}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="times national size (default 1)")
    parser.add_argument("--db", required=True, help="SQLite file or database URL")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--toml", type=Path, help="also write the plan files to this folder")
    parser.add_argument(
        "--services",
        type=int,
        default=SERVICES,
        help=f"services in the dataset (default {SERVICES}, all of England and Wales)",
    )
    args = parser.parse_args()
    if args.scale < 1:
        parser.error("--scale must be 1 or more")
    if not 1 <= args.services <= len(AREAS):
        parser.error(f"--services must be from 1 to {len(AREAS)}")
    if args.toml is not None:
        args.toml.mkdir(parents=True, exist_ok=True)
    generate(args.db, args.scale, args.seed, args.toml, services=args.services)


if __name__ == "__main__":
    main()
