"""The `tracker` command: parses arguments, calls `tracker.services` (every write) and
`tracker.queries` (every read), prints.

Exit status: 0 done, 1 a user error (message on stderr, nothing written), 2 bad usage.
Text output never prints a stored control character raw (`tracker.text.clean`). A command's
module is imported when the command runs, and the TUI and the database layer only by the
commands that need them, so that the others start quickly (`tracker plans` on a SQLite file
imports no SQLAlchemy).

- `group`: the `tracker` group, its options, its commands and the errors it reports;
  `context`: the settings and the store opened on first use; `output`: JSON, tables, an
  export's bytes, and the plans and actions lists; `quick`: the screen and those two lists
  without click, for the argument lists it reads as the group would (`entry`, `python -m
  tracker`); `screen`: the screen made ready and run (no click);
- `launch`: `tracker demo`; `lists`: the reads (`check` among them);
  `edits`: a manager's changes; `authoring`: writing a plan (`action`, `rec`, `plan`);
  `review`: the YJB's; `exchange`: import, export, dump, portfolio; `admin`: backup, restore,
  verify.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.cli.group import main


def __getattr__(name: str) -> Any:
    """`main`, the click group (`tracker.cli.group`), imported when first asked for: the quick
    path (`entry`) answers the commonest reads without click."""
    if name == "main":
        from tracker.cli.group import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def entry() -> None:
    """The `tracker` command: the quick path (`tracker.cli.quick`) when it knows the arguments,
    else the click group, which does everything else in its own words."""
    from tracker.cli.quick import run_quick

    code = run_quick(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from tracker.cli.group import main

    main()


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit status (for tests)."""
    from tracker.cli.group import main

    try:
        main.main(args=list(argv) if argv is not None else None, prog_name="tracker")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


__all__ = ["entry", "main", "run"]
