"""What the `tracker` command imports to start: a command that only reads, on a SQLite file at
the schema head, imports no SQLAlchemy (importing it costs more than the read) and no Textual
(only the screen does), and of the command line only its own module; the exports are held to
the same in tests/store/test_reads.py. And every command the group lists loads by its name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from conftest import TODAY

READS = [
    ["plans"],
    ["plans", "--json"],
    ["actions", "--overdue"],
    ["actions", "--status", "blocked", "--json"],
    ["actions", "--all"],
    ["check", "stockton-2010", "--json"],
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


def test_a_command_imports_its_own_module_alone(loaded_path: Path) -> None:
    code = f"""
import sys
from tracker.cli import run
code = run(["--db", {str(loaded_path)!r}, "--today", "{TODAY}", "plans"])
print(code, sorted(m for m in sys.modules if m.startswith("tracker.cli.")))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = [f"tracker.cli.{m}" for m in ("context", "group", "lists", "output")]
    assert done.stdout.strip().splitlines()[-1] == f"0 {modules}", done.stderr


def test_every_command_the_group_lists_loads_under_its_name() -> None:
    from tracker.cli import main

    def names(group: click.Group, ctx: click.Context) -> list[str]:
        found = []
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None and command.name == name, name
            found.append(name)
            if isinstance(command, click.Group):
                inner = click.Context(command, info_name=name, parent=ctx)
                found += [f"{name} {sub}" for sub in names(command, inner)]
        return found

    listed = names(main, click.Context(main, info_name="tracker"))
    assert "plans" in listed and "evidence add" in listed and "review sign-off" in listed
    assert "action add" in listed and "rec edit" in listed and "plan new" in listed
    assert len(listed) == 38
