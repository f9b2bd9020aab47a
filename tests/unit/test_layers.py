"""The layer contracts (pyproject.toml `[tool.importlinter]`, run by `lint-imports` in CI) hold
on the real tree, and they bite: a copy of the package with one wrong import added, even one
made lazily inside a function, fails naming the contract it breaks. Beside them, what a contract
cannot say: the CLI opens the screens lazily, and only the services write."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the package and contracts under `root` (nothing cached)."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},  # a contract's name on one line
    )


def test_the_real_tree_keeps_every_contract() -> None:
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 broken" in done.stdout


WRONG = [
    (
        "queries/lists.py",
        "def _wrong() -> None:\n    from tracker.services import ActionChanges  # noqa: F401\n",
        [
            "Each layer imports only the layers below it BROKEN",
            "Exporters and queries never import the services (only services write) BROKEN",
            "tracker.queries.lists -> tracker.services",
        ],
    ),
    (
        "rules.py",
        "import textual  # noqa: F401\n",
        ["Nothing outside tracker.tui imports Textual BROKEN", "tracker.rules -> textual"],
    ),
    (
        "exporters/data.py",
        "from sqlalchemy import select  # noqa: F401\n",
        ["import SQLAlchemy or Alembic BROKEN", "tracker.exporters.data -> sqlalchemy"],
    ),
    (
        "queries/roles.py",
        "from tracker.queries import lookups  # noqa: F401\n",
        [
            "The reads on a SQLite file at the head need no SQLAlchemy, however indirectly BROKEN",
            "tracker.queries.roles -> tracker.queries.lookups",
        ],
    ),
    (
        "models.py",
        "from tracker import store  # noqa: F401\n",
        ["Each layer imports only the layers below it BROKEN", "tracker.models -> tracker.store"],
    ),
]


@pytest.mark.parametrize(("module", "line", "said"), WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, said: list[str]
) -> None:
    shutil.copytree(
        ROOT / "tracker", tmp_path / "tracker", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    assert lint(tmp_path).returncode == 0, "the copy keeps the contracts before the change"
    wrong = tmp_path / "tracker" / module
    wrong.write_text(wrong.read_text() + "\n\n" + line)
    done = lint(tmp_path)
    assert done.returncode != 0
    for words in said:
        assert words in done.stdout, done.stdout


def test_the_cli_opens_the_screens_lazily() -> None:
    """The contracts count an import inside a function like any other; only running it shows
    that `tracker plans` never loads Textual."""
    code = "import sys, tracker.cli, tracker.__main__; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


WRITES = {"insert", "update", "delete"}
"""SQLAlchemy's statements that change rows."""
SESSION_WRITES = {"add", "add_all", "commit", "delete", "flush", "merge", "bulk_save_objects"}
"""What a Session does to write."""


def test_only_the_services_and_the_store_use_sqlalchemy_to_write() -> None:
    found = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        where = path.relative_to(ROOT / "tracker").as_posix()
        if where.startswith("services/") or where == "store.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                found += [f"{where}: imports {a.name}" for a in node.names if a.name in WRITES]
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SESSION_WRITES
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "session"
            ):
                found.append(f"{where}:{node.lineno}: session.{node.func.attr}()")
    assert found == []
