"""What the `tracker` command imports: a command that only reads, on a SQLite file at the schema
head, imports no SQLAlchemy (importing it costs more than the read) and no Textual (only the
screen does); the exports are held to the same in tests/store/test_reads.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import TODAY

READS = [
    ["plans"],
    ["plans", "--json"],
    ["actions", "--overdue"],
    ["actions", "--status", "blocked", "--json"],
    ["roles"],
    ["history", "stockton-2010"],
    ["signoffs", "stockton-2010"],
    ["evidence", "list", "stockton-2010/2.2", "--json"],
    ["digest"],
    ["dump", "stockton-2010"],
    ["verify"],
]


def test_reads_on_a_sqlite_file_at_the_head_import_neither_sqlalchemy_nor_textual(
    loaded_path: Path,
) -> None:
    code = f"""
import sys
from tracker.cli import run
argvs = {READS!r}
codes = [run(["--db", {str(loaded_path)!r}, "--today", "{TODAY}", *argv]) for argv in argvs]
print(codes, "sqlalchemy" in sys.modules, "textual" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == f"{[0] * len(READS)} False False", done.stderr
