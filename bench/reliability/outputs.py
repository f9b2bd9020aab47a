"""Hostile outputs: every `-o` of a reading session (`--reviewer`, `--read-only`) and of a
manager's aimed at the database itself, at its -wal and -shm files, at a hard link and at a
symbolic link to it (issue 14, point 1). Each must be refused and the database left as it was:
0 databases lost. The database's path is known only when a case runs: `@DB@` in a case's
arguments stands for it (`run_hostile` puts it in, and makes the links)."""

from __future__ import annotations

import os
from pathlib import Path

from bench.reliability.cases import Case
from bench.reliability.editors import SHARED_PLAN

DB = "@DB@"
"""Stands for the database's path in a case's arguments."""
NAMES = {
    "itself": DB,
    "wal": f"{DB}-wal",
    "shm": f"{DB}-shm",
    "hard-link": f"{DB}.hard",
    "symbolic-link": f"{DB}.soft",
}
COMMANDS = {
    "dump": ("dump", SHARED_PLAN),
    "export-md": ("export", SHARED_PLAN, "-f", "md"),
    "export-docx": ("export", SHARED_PLAN, "-f", "docx"),
    "export-xlsx": ("export", SHARED_PLAN, "-f", "xlsx"),
    "export-ics": ("export", SHARED_PLAN, "-f", "ics"),
    "portfolio": ("portfolio", "-f", "xlsx"),
}
SESSIONS = {"reviewer": ("--reviewer",), "read-only": ("--read-only",), "manager": ()}


def output_cases() -> list[Case]:
    """Every session, command and name of the database; the reading sessions with and
    without --force too (which lets them replace a file, never the database)."""
    cases: list[Case] = []
    for session, flags in SESSIONS.items():
        for command, args in COMMANDS.items():
            for name, target in NAMES.items():
                for force in ((), ("--force",)) if flags else ((),):
                    label = f"output/{session}/{command}/{name}{'/force' if force else ''}"
                    cases.append(
                        Case(
                            label,
                            (*flags, *args, "-o", target, *force),
                            ("the database",),
                            sqlite_only=True,
                        )
                    )
    return cases


def resolve(args: tuple[str, ...], db: str) -> tuple[str, ...]:
    """`args` with the database's path put in for `@DB@`, and the hard and symbolic links
    to it made (once per database)."""
    if not any(DB in a for a in args):
        return args
    path = Path(db)
    hard, soft = Path(f"{db}.hard"), Path(f"{db}.soft")
    if not hard.exists():
        os.link(path, hard)
    if not soft.is_symlink():
        soft.symlink_to(path)
    return tuple(a.replace(DB, db) for a in args)
