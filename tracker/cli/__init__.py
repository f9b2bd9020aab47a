"""The `tracker` command: parses arguments, calls `tracker.services` (every write) and
`tracker.queries` (every read), prints.

Exit status: 0 done, 1 a user error (message on stderr, nothing written), 2 bad usage.
Text output never prints a stored control character raw (`tracker.text.clean`). The TUI and
the database layer are imported only by the commands that need them, so that the others
start quickly (`tracker plans` on a SQLite file imports no SQLAlchemy).

- `group`: the `tracker` group, its options and the errors it reports; `context`: the
  settings and the store opened on first use; `output`: JSON, tables, an export's bytes;
- `launch`: the screen (`tracker`, `tracker demo`); `lists`: the reads; `edits`: a manager's
  changes; `review`: the YJB's; `exchange`: import, export, dump, portfolio; `admin`: backup,
  restore, verify.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from tracker.cli import admin, edits, exchange, launch, lists, review
from tracker.cli.group import main

evidence = click.Group(
    "evidence",
    commands=[edits.evidence_add, lists.evidence_list],
    help="Evidence of implementation.",
)

for command in (
    launch.demo,
    edits.load,
    exchange.dump,
    lists.plans,
    lists.actions,
    edits.update,
    evidence,
    review.review,
    lists.signoffs,
    lists.history,
    edits.step,
    admin.backup,
    admin.restore,
    admin.verify,
    lists.roles,
    exchange.import_report,
    exchange.export,
    exchange.portfolio,
    lists.digest,
):
    main.add_command(command)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit status (for tests)."""
    try:
        main.main(args=list(argv) if argv is not None else None, prog_name="tracker")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


__all__ = ["main", "run"]
