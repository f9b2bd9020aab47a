"""What CI runs: the README's test command, and the layer contracts. Which modules may import
Textual, SQLAlchemy or one another is the contracts' to say (pyproject.toml
`[tool.importlinter]`, held by tests/unit/test_layers.py)."""

from __future__ import annotations

import re

from conftest import ROOT


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text()
    assert "tracker demo" in blocks[0]


def test_ci_checks_the_layer_contracts() -> None:
    assert re.search(r"^\.venv/bin/lint-imports\b", (ROOT / ".ci" / "run").read_text(), re.M)
