"""Issue 14, point 2b: on SQLite, a name that looks like the author's does not pass the own-work
rule, and the audit trail records the operating-system account beside the name given.

A manager (Miriam) finishes an action and adds its evidence; then someone opens the tracker
as a reviewer under a name that reads as "Miriam" on screen and tries to accept it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import snapshot
from tracker.names import os_account, same_person, skeleton, user_name

ACTION = "stockton-2010/4.2"


@pytest.fixture
def finished(tracker, loaded_path: Path) -> int:  # type: ignore[no-untyped-def]
    """Miriam finishes 4.2 and adds its evidence; the evidence's id."""
    done = tracker("--as", "Miriam", "update", ACTION, "--status", "complete", db=loaded_path)
    assert done.code == 0, done.err
    added = tracker(
        "--as", "Miriam", "evidence", "add", ACTION, "--title", "Audit", "--ref", "QA/4.2",
        db=loaded_path,
    )  # fmt: skip
    assert added.code == 0, added.err
    listed = tracker("evidence", "list", ACTION, "--json", db=loaded_path)
    return int(json.loads(listed.out)[-1]["id"])


@pytest.mark.parametrize(
    ("name", "said"),
    [
        # A Cyrillic М (U+041C) for the Latin M: refused as a look-alike of a name in the
        # database, naming the character.
        ("\u041ciriam", "U+041C CYRILLIC CAPITAL LETTER EM"),
        # A Greek omicron-free one: the Cyrillic і (U+0456) for i.
        ("M\u0456riam", "U+0456"),
        # Fullwidth letters are Miriam written another way (NFKC): her own work.
        ("\uff2d\uff49riam", "nobody reviews their own work"),
        # Case and spacing: the same name, plainly; her own work.
        ("  miriam ", "nobody reviews their own work"),
        # Invisible characters inside a name are refused before anything is read.
        ("Mir\u200biam", "U+200B"),
        ("Miri\u202eam", "U+202E"),
    ],
)
def test_a_name_that_looks_like_the_authors_cannot_review_her_work(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, finished: int, name: str, said: str
) -> None:
    before = snapshot(loaded_path)
    result = tracker(
        "--as", name, "--reviewer", "review", "evidence", str(finished), "--accept",
        db=loaded_path,
    )  # fmt: skip
    assert result.code != 0, result
    assert said in result.err, result.err
    assert "Traceback" not in result.err
    assert snapshot(loaded_path) == before


def test_a_look_alike_of_any_name_in_the_database_is_refused_for_any_write(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, finished: int
) -> None:
    # Not only reviews: a manager's note under a name that reads as Miriam's would make the
    # trail show two Miriams.
    before = snapshot(loaded_path)
    result = tracker("--as", "Mir\u0456am", "update", ACTION, "--note", "x", db=loaded_path)
    assert result.code == 1 and "looks like 'Miriam'" in result.err, result.err
    assert snapshot(loaded_path) == before
    # A name that merely resembles another in the ordinary way is a different person.
    other = tracker("--as", "Marian", "update", ACTION, "--note", "x", db=loaded_path)
    assert other.code == 0, other.err


def test_someone_else_may_review_and_the_trail_keeps_the_account(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, finished: int
) -> None:
    accepted = tracker(
        "--as", "Yasmin Officer (YJB)", "--reviewer", "review", "evidence", str(finished),
        "--accept", db=loaded_path,
    )  # fmt: skip
    assert accepted.code == 0, accepted.err
    trail = json.loads(tracker("history", ACTION, "--json", db=loaded_path).out)
    account = os_account()
    assert account is not None
    assert {row["account"] for row in trail} == {account}
    assert {row["actor"] for row in trail} == {"Miriam", "Yasmin Officer (YJB)"}
    # Shown beside the name where the two differ (the system's account is not "Miriam").
    shown = tracker("history", ACTION, db=loaded_path).out
    assert f"Miriam (login {account})" in shown, shown


def test_names_kept_in_one_form_and_compared_by_their_look() -> None:
    assert user_name("  \uff39asmin   Officer ") == "Yasmin Officer"
    assert same_person("Y\u0430smin Officer") == same_person("yasmin  officer")
    assert skeleton("Jos\u00e9") != skeleton("Jose")  # an accent is a visible difference
    assert same_person("Yasmin") != same_person("Yasmine")
    with pytest.raises(ValueError, match="U\\+2066"):
        user_name("\u2066Yasmin")
