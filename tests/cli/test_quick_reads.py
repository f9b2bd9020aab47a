"""The quick path (tracker/cli/quick.py, issue 17): `python -m tracker` answers `plans` and
`actions` without click, importing nothing those reads do not use, and prints, says and exits
exactly as the click group does; every other argument list, and every error, goes to the group.
`tracker --help` still lists every command with its short help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY, cli_env
from tracker.cli.quick import parse

NOT_IMPORTED = [
    "click",
    "sqlalchemy",
    "alembic",
    "textual",
    "dateutil",
    "openpyxl",
    "docx",
    "platformdirs",
    "pathlib",
    "urllib",
    "tempfile",
    "threading",
    "getpass",
    "hashlib",
    "dataclasses",
    "inspect",
    "tracker.services",
    "tracker.store",
    "tracker.files",
    "tracker.cli.group",
    "tracker.cli.lists",
    "tracker.queries.exports",
    "tracker.queries.action",
    "tracker.exporters.board",
]
"""What `actions --overdue --json` does without: the argument parser, the database layer's
writers and ORM, the screens, the exporters' libraries, recurrence and date parsing, the
config folder's library (platformdirs, with tempfile and shutil), pathlib (with urllib and
ipaddress), threads, the user's account (TRACKER_USER names them), fingerprinting files, the
reads of one whole plan for its exports (the portfolio lists plans only); and dataclasses,
which imports inspect (with ast, dis and tokenize) and compiles each class's methods at
import: the read path's records are named tuples."""


GUARDED = [
    "dataclasses",
    "inspect",
    "tracker.files",
    "hashlib",
    "pathlib",
    "urllib",
    "urllib.parse",
]
"""What a command that may write a file imports to guard it (`tracker.files.OutputGuard`)."""


def imported_by(
    argv: list[str], tmp_path: Path, env: dict[str, str] | None = None
) -> tuple[set[str], str]:
    """The modules `python -m tracker ARGV` imports (as -X importtime lists them), and what it
    printed."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tracker", *argv],
        capture_output=True,
        text=True,
        env=env or cli_env(tmp_path),
        cwd=tmp_path,
        check=True,
    )
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return names, done.stdout


def by_the_group(argv: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`argv` run by the click group itself (`tracker.cli.run`), as before the quick path."""
    code = f"import sys; from tracker.cli import run; sys.exit(run({argv!r}))"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=cli_env(tmp_path),
        cwd=tmp_path,
    )


def by_the_command(argv: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker", *argv],
        capture_output=True,
        text=True,
        env=cli_env(tmp_path),
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    ("argv", "uses"),
    [
        (["actions", "--overdue", "--json"], []),
        (["plans"], []),  # a plan's due date, four weeks after publication, needs no dateutil
        (["actions", "--all", "--plan=stockton-2010"], []),
        # The portfolio's reads are the exports' (dataclasses), and any output is guarded.
        (["portfolio", "-f", "json"], GUARDED),
        # The workbook: openpyxl, written whole (services), the colours counted meanwhile.
        (
            ["portfolio", "-o", "p.xlsx"],
            [*GUARDED, "openpyxl", "tracker.services", "tempfile", "threading"],
        ),
    ],
)
def test_the_small_reads_import_no_click_nor_what_they_do_not_use(
    argv: list[str], uses: list[str], loaded_path: Path, tmp_path: Path
) -> None:
    full = ["--db", str(loaded_path), "--today", TODAY.isoformat(), *argv]
    names, out = imported_by(full, tmp_path)
    assert out.strip() or (tmp_path / "p.xlsx").stat().st_size, "it printed nothing"
    assert "tracker.cli.quick" in names and "tracker.queries.lists" in names
    cut = {n for n in names if within(n, NOT_IMPORTED) and not within(n, uses)}
    assert sorted(cut) == []


def within(name: str, packages: list[str]) -> bool:
    """Whether module `name` is one of `packages` or inside one."""
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_the_small_reads_find_the_config_folder_without_platformdirs_nor_pathlib(
    loaded_path: Path, tmp_path: Path
) -> None:
    """As a user runs them, with no TRACKER_CONFIG: the config file is found in the XDG
    folder and read (the database it names is the one listed), yet neither platformdirs nor
    pathlib, nor what tracker.files builds on them, is imported."""
    env = cli_env(tmp_path)
    del env["TRACKER_CONFIG"]
    env.update(HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "xdg-config"))
    config = tmp_path / "xdg-config" / "yos-tracker" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"db = {str(loaded_path)!r}\n")
    names, out = imported_by(["--today", TODAY.isoformat(), "plans"], tmp_path, env)
    assert "stockton-2010" in out
    assert "tracker.regular" in names
    cut = {"platformdirs", "pathlib", "tracker.files", "dataclasses", "hashlib"} & names
    assert sorted(cut) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["actions", "--overdue", "--json"],
        ["actions"],
        ["actions", "--all"],
        ["actions", "--all", "--json", "--owner", "Head of Service"],
        ["actions", "--plan", "stockton-2010", "--overdue"],
        ["plans"],
        ["plans", "--json"],
        ["--reviewer", "--read-only", "plans"],
        # Errors: the quick path hands them to the group, which says them as ever.
        ["actions", "--plan", "no-such-plan"],
        ["actions", "--owner", "-"],
        ["--today", "31/02/2026", "plans"],
        ["--as", "", "plans"],
        ["portfolio"],
        ["portfolio", "-f", "json"],
        ["portfolio", "--format=HTML"],
        ["portfolio", "-f", "docx"],  # not a portfolio format: `fail`, as the command says it
        ["portfolio", "-o", "plans.pdf"],  # an ending that names no format
        ["--db", "missing/x.db", "portfolio", "-o", "p.xlsx"],
    ],
)
def test_the_quick_path_prints_says_and_exits_as_the_group_does(
    argv: list[str], loaded_path: Path, tmp_path: Path
) -> None:
    full = ["--db", str(loaded_path), "--today", TODAY.isoformat(), *argv]
    quick, group = by_the_command(full, tmp_path), by_the_group(full, tmp_path)
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        group.returncode,
        group.stdout,
        group.stderr,
    )
    assert quick.stdout or quick.stderr


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["portfolio", "-o", "p.xlsx"], "p.xlsx"),
        (["portfolio", "--format", "html", "--output", "board/p.html"], "board/p.html"),
        (["--read-only", "portfolio", "-o", "p.json", "--force"], "p.json"),
    ],
)
def test_the_portfolio_file_is_written_and_said_as_the_group_does(
    argv: list[str], name: str, loaded_path: Path, tmp_path: Path
) -> None:
    """The same bytes, the same words (`wrote the portfolio as xlsx to p.xlsx`) and status, by
    the quick path and by the group, each in a folder of its own; an existing file in a
    read-only session is replaced only with --force, as the command replaces it."""
    full = ["--db", str(loaded_path), "--today", TODAY.isoformat(), *argv]
    done = []
    for run in (by_the_command, by_the_group):
        folder = tmp_path / run.__name__
        (folder / "board").mkdir(parents=True)
        (folder / name).write_bytes(b"last week's")
        result = run(full, folder)
        done.append((result.returncode, result.stdout, result.stderr, (folder / name).read_bytes()))
    assert done[0] == done[1]
    code, out, err, written = done[0]
    assert code == 0 and out == "" and err.startswith("wrote the portfolio as "), err
    assert written != b"last week's" and len(written) > 1000


@pytest.mark.parametrize(
    "argv",
    [
        ["--read-only", "portfolio", "-o", "p.xlsx"],  # there already: refused without --force
        ["portfolio", "-o", "{db}"],  # the database itself, by its own name
    ],
)
def test_a_portfolio_file_refused_is_refused_as_the_group_refuses_it(
    argv: list[str], loaded_path: Path, tmp_path: Path
) -> None:
    full = ["--db", str(loaded_path), "--today", TODAY.isoformat()]
    full += [a.format(db=loaded_path) for a in argv]
    (tmp_path / "p.xlsx").write_bytes(b"kept")
    before = loaded_path.read_bytes()
    quick, group = by_the_command(full, tmp_path), by_the_group(full, tmp_path)
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        group.returncode,
        group.stdout,
        group.stderr,
    )
    assert quick.returncode == 1 and quick.stderr.startswith("tracker: "), quick.stderr
    assert (tmp_path / "p.xlsx").read_bytes() == b"kept"
    assert loaded_path.read_bytes() == before


def test_the_screen_opens_by_the_quick_path_without_click_as_the_group_opens_it(
    loaded_path: Path, tmp_path: Path
) -> None:
    """The bare `tracker`: the screen made ready as the group makes it (the plans read before
    Textual shows, the collector on again with start-up frozen out of its scans), click never
    imported, and the screen's exit status the command's."""
    code = f"""
import gc, sys
from tracker.tui.app import TrackerApp
def run(self):
    plans = self.take_first_plans() or []
    print(gc.isenabled(), gc.get_freeze_count() > 10_000, len(plans), "click" in sys.modules)
    self._return_code = 3  # as when the screen stops on an error it reported
TrackerApp.run = run
sys.argv = ["tracker", "--db", {str(loaded_path)!r}, "--today", "{TODAY.isoformat()}"]
from tracker.cli import entry
entry()
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(tmp_path)
    )
    assert done.stdout.split() == ["True", "True", "3", "False"], done.stderr
    assert done.returncode == 3


def test_a_database_the_screen_cannot_open_is_the_groups_error(tmp_path: Path) -> None:
    """Not a database: the quick path hands it to the group, which says so, exit 1, before any
    screen is drawn."""
    bad = tmp_path / "notes.db"
    bad.write_text("minutes of the management board, not a database\n" * 50)
    argv = ["--db", str(bad)]
    quick, group = by_the_command(argv, tmp_path), by_the_group(argv, tmp_path)
    assert quick.returncode == group.returncode == 1
    assert quick.stderr == group.stderr and quick.stderr.startswith("tracker: "), quick.stderr
    assert quick.stdout == group.stdout == ""


def test_a_database_that_is_not_there_is_the_groups_error(tmp_path: Path) -> None:
    argv = ["--db", str(tmp_path / "none" / "x.db"), "actions", "--overdue", "--json"]
    quick, group = by_the_command(argv, tmp_path), by_the_group(argv, tmp_path)
    assert quick.returncode == group.returncode == 1
    assert quick.stderr == group.stderr and quick.stderr.startswith("tracker: ")


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["actions", "--help"],
        ["--version"],
        ["actions", "--status", "blocked"],
        ["actions", "--due-within", "7"],
        ["--db", "", "plans"],
        ["--db=", "plans"],
        ["--db", "--json", "plans"],
        ["plans", "--json", "--json"],
        ["--db", "a.db", "--db", "b.db", "plans"],
        ["--json", "plans"],
        ["plans", "--plan", "x"],
        ["actions", "--plan"],
        ["actions", "--json=yes"],
        ["plans", "extra"],
        ["plans", "actions"],
        ["roles"],
        ["actions", "--", "--json"],
        ["portfolio", "-o=p.xlsx"],  # click reads the value "=p.xlsx"
        ["portfolio", "-op.xlsx"],
        ["portfolio", "-o", "a.xlsx", "--output", "b.xlsx"],
        ["portfolio", "-f", "xlsx", "--format", "html"],
        ["portfolio", "-o", "-"],
        ["portfolio", "--json"],
    ],
)
def test_an_argument_list_the_quick_path_does_not_read_as_the_group_goes_to_the_group(
    argv: list[str],
) -> None:
    assert parse(argv) is None


def test_the_quick_path_reads_options_as_the_group_does() -> None:
    assert parse([]) == ({}, "", {})  # no command: the screen
    assert parse(["--db", "x.db", "--reviewer", "--today=2026-03-31"]) == (
        {"db": "x.db", "reviewer": True, "today": "2026-03-31"},
        "",
        {},
    )
    assert parse(["--db=x.db", "--as", "Ann", "--reviewer", "actions", "--json", "--overdue"]) == (
        {"db": "x.db", "user": "Ann", "reviewer": True},
        "actions",
        {"json_out": True, "overdue": True},
    )
    assert parse(["--db", "plans", "plans"]) == ({"db": "plans"}, "plans", {})
    assert parse(["actions", "--plan", "p", "--all", "--owner=Ann Lee"]) == (
        {},
        "actions",
        {"plan": "p", "everything": True, "owner": "Ann Lee"},
    )
    assert parse(["portfolio", "-f", "xlsx", "--output=p.xlsx", "--force"]) == (
        {},
        "portfolio",
        {"fmt": "xlsx", "output": "p.xlsx", "force": True},
    )


COMMANDS = [
    "action",
    "actions",
    "backup",
    "check",
    "demo",
    "digest",
    "dump",
    "edit",
    "evidence",
    "export",
    "history",
    "import",
    "load",
    "plan",
    "plans",
    "portfolio",
    "rec",
    "restore",
    "review",
    "roles",
    "signoffs",
    "step",
    "update",
    "verify",
]


def test_help_still_lists_every_command_with_its_short_help(tmp_path: Path) -> None:
    done = by_the_command(["--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    listed = done.stdout.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed if line.strip()] == COMMANDS
    short = {line.split()[0]: " ".join(line.split()[1:4]) for line in listed if line.strip()}
    assert short["actions"] == "List actions with"
    assert short["plans"] == "List the plans,"
    assert short["evidence"] == "Evidence of implementation."
