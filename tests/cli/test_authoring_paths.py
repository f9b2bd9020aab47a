"""One plan written two ways gives the same plan: through the CLI's commands alone (`plan new`,
`rec add`, `action add`, `rec edit`, `plan edit`), and through `tracker edit` with a scripted
editor that writes the same content into the plan file. `tracker dump` of both is the same,
but for who and when (no dump holds those) and the rows' versions (a row edited twice has a
higher one)."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

PLAN = "newtown-2026"

NEW = ("plan", "new", "--area", "Newtown", "--kind", "SQS", "--published", "20/11/2026")
NEW += ("--id", PLAN)

EDITOR = '''\
"""A scripted editor: writes the plan's title and two recommendations with their actions."""
import sys
from pathlib import Path

path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
head, sep, rest = text.partition("\\n[inspection]")
head = head.replace('id = "newtown-2026"\\n', 'id = "newtown-2026"\\ntitle = "Newtown YOS plan"\\n')
path.write_text(head + sep + rest + """
[[recommendations]]
ref = "1"
text = "Improve the quality of assessments"
owners = ["Head of Service"]

[[recommendations.actions]]
ref = "1.1"
text = "Audit ten assessments a month"
owner = "Head of Service"
lead = "Jo Manager"
target = 2027-03-31
success_measure = "Nine in ten rated sufficient"

[[recommendations.actions]]
ref = "1.2"
text = "Train every case manager"
owner = "Head of Service"
start = 2027-01-04
target = 2027-02-26
success_measure = "Every case manager trained"

[[recommendations]]
ref = "2"
text = "Publish the panel's decisions"
owners = ["Chair of the Management Board", "Head of Service"]
response = "partly agreed"
response_reason = "The court publishes some of them"

[[recommendations.actions]]
ref = "2.1"
text = "Publish the panel's own decisions monthly"
owner = "Chair of the Management Board"
target = 2027-04-30
success_measure = "Twelve months published"
""", encoding="utf-8")
'''


def by_commands(tracker, db: Path) -> None:  # type: ignore[no-untyped-def]
    steps = [
        NEW,
        (
            "rec",
            "add",
            PLAN,
            "--text",
            "Improve the quality of assessments",
            "--owner",
            "Head of Service",
        ),
        ("rec", "add", PLAN, "--text", "Publish the panel's decisions"),
        (
            "rec",
            "edit",
            f"{PLAN}/2",
            "--owner",
            "Chair of the Management Board",
            "--owner",
            "Head of Service",
            "--response",
            "partly agreed",
            "--reason",
            "The court publishes some of them",
        ),
        (
            "action",
            "add",
            f"{PLAN}/1",
            "--text",
            "Audit ten assessments a month",
            "--lead-role",
            "Head of Service",
            "--lead",
            "Jo Manager",
            "--target",
            "2027-03-31",
            "--measure",
            "Nine in ten rated sufficient",
        ),
        (
            "action",
            "add",
            f"{PLAN}/1",
            "--text",
            "Train every case manager",
            "--lead-role",
            "Head of Service",
            "--start",
            "4 Jan 2027",
            "--target",
            "26/02/2027",
            "--measure",
            "Every case manager trained",
        ),
        (
            "action",
            "add",
            f"{PLAN}/2",
            "--text",
            "Publish the panel's own decisions monthly",
            "--lead-role",
            "Chair of the Management Board",
            "--target",
            "2027-04-30",
            "--measure",
            "Twelve months published",
        ),
        ("plan", "edit", PLAN, "--title", "Newtown YOS plan"),
    ]
    for step in steps:
        done = tracker(*step, db=db)
        assert done.code == 0, (step, done.err)


def comparable(dump: str) -> str:
    """A dump without its rows' versions (how often a row changed, not what it holds)."""
    return re.sub(r"(?m)^version = \d+\n", "", dump)


def test_the_same_plan_by_commands_and_by_editing_its_file(tracker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    by_hand, by_file = tmp_path / "commands.db", tmp_path / "file.db"
    by_commands(tracker, by_hand)
    assert tracker("check", PLAN, db=by_hand).code == 0

    assert tracker(*NEW, db=by_file).code == 0
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    edited = tracker("edit", PLAN, db=by_file, EDITOR=command, VISUAL="", TMPDIR=str(tmp_path))
    assert edited.code == 0, edited.err
    assert tracker("check", PLAN, db=by_file).code == 0

    first = tracker("dump", PLAN, db=by_hand)
    second = tracker("dump", PLAN, db=by_file)
    assert first.code == second.code == 0
    assert "Audit ten assessments a month" in first.out
    assert comparable(first.out) == comparable(second.out)
    history = tracker("history", f"{PLAN}/2.1", "--json", db=by_file)
    assert '"field": "added"' in history.out
