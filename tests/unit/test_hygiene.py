"""Architecture rules that a test can hold: the core never imports Textual, CI runs the README."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

CORE = [
    "tracker.models",
    "tracker.rules",
    "tracker.services",
    "tracker.queries",
    "tracker.planfile",
    "tracker.store",
    "tracker.config",
    "tracker.cli",
    "tracker.services.review",
    "tracker.queries.session",
    "tracker.queries.lookups",
    "tracker.verify",
    "tracker.files",
    "tracker.importers",
    "tracker.exporters",
    "tracker.exporters.markdown",
    "tracker.exporters.html",
    "tracker.exporters.docx",
    "tracker.exporters.sheet",
    "tracker.exporters.ics",
    "tracker.exporters.portfolio",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        f"import sys\nfor m in {CORE!r}: __import__(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(len(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"


def test_rules_import_only_stdlib_and_dateutil() -> None:
    code = (
        "import sys\nbefore = set(sys.modules)\nimport tracker.rules\n"
        "print(sorted({m.split('.')[0] for m in set(sys.modules) - before}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "sqlalchemy" not in done.stdout and "textual" not in done.stdout


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text()
    assert "tracker demo" in blocks[0]
