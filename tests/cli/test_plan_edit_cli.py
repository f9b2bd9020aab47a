"""Writing the whole plan as a file, end to end in a real process: `tracker load --update FILE
[--dry-run]` and `tracker edit PLAN` with a scripted editor (a small Python script in $EDITOR
that edits the file as a person would), its reopening on a file that breaks a rule, and the
sessions that may not write (reviewer, read-only) refusing both before any editor opens."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from conftest import snapshot

PLAN = "stockton-2010"

EDITOR = '''\
"""A scripted editor: each run applies the next of the edits in EDITS (a JSON list of
[old, new] replacements, or null to leave the file as it is), and notes the text it was given."""
import json, sys
from pathlib import Path

here = Path(__file__).parent
path = Path(sys.argv[1])
runs = here / "runs.json"
done = json.loads(runs.read_text()) if runs.exists() else []
text = path.read_text(encoding="utf-8")
done.append(text)
runs.write_text(json.dumps(done))
edit = json.loads((here / "edits.json").read_text())[len(done) - 1]
if edit is not None:
    old, new = edit
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
'''


def editor(tmp_path: Path, *edits: tuple[str, str] | None) -> dict[str, str]:
    """The environment of a `tracker edit` whose editor makes `edits`, one per opening."""
    folder = tmp_path / "editor"
    folder.mkdir(exist_ok=True)
    (folder / "edit.py").write_text(EDITOR)
    (folder / "edits.json").write_text(json.dumps([list(e) if e else None for e in edits]))
    (folder / "runs.json").unlink(missing_ok=True)
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(folder / 'edit.py'))}"
    return {"EDITOR": command, "VISUAL": "", "TMPDIR": str(tmp_path)}


def opened(tmp_path: Path) -> list[str]:
    """The text the scripted editor was given, each time it was opened."""
    runs = tmp_path / "editor" / "runs.json"
    return json.loads(runs.read_text()) if runs.exists() else []


def test_load_update_of_an_unchanged_dump_changes_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    assert tracker("dump", PLAN, "-o", "plan.toml", db=loaded_target).code == 0
    before = snapshot(loaded_target)
    done = tracker("load", "--update", "plan.toml", db=loaded_target)
    assert done.code == 0, done.err
    assert done.out == f"{PLAN}: the file matches the database; nothing changed\n"
    assert snapshot(loaded_target) == before


def test_load_update_dry_run_then_for_real(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    assert tracker("dump", PLAN, "-o", "plan.toml", db=loaded_target).code == 0
    path = tmp_path / "plan.toml"
    path.write_text(
        path.read_text().replace("target = 2010-11-30", "target = 2010-12-15", 1)
        + '\n[[recommendations]]\nref = "6"\ntext = "A new one"\n'
        '\n[[recommendations.actions]]\nref = "6.1"\ntext = "First step"\n'
    )
    before = snapshot(loaded_target)
    dry = tracker("load", "--update", "--dry-run", "plan.toml", db=loaded_target)
    assert dry.code == 0, dry.err
    assert dry.out.splitlines() == [
        "~ action 3.3 target: 2010-11-30 -> 2010-12-15",
        '+ recommendation 6 "A new one"',
        '+ action 6.1 "First step"',
        f"dry run: 3 changes to {PLAN}; nothing written",
    ]
    assert snapshot(loaded_target) == before
    done = tracker("load", "--update", "plan.toml", db=loaded_target)
    assert done.code == 0, done.err
    assert done.out.splitlines()[-1] == f"updated {PLAN}: 3 changes"
    assert "dump stockton-2010 again before changing it further" in done.err
    history = json.loads(tracker("history", f"{PLAN}/3.3", "--json", db=loaded_target).out)
    assert (history[0]["field"], history[0]["old"], history[0]["new"]) == (
        "target_on",
        "2010-11-30",
        "2010-12-15",
    )


def test_load_update_refuses_and_names_what_is_wrong(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    assert tracker("dump", PLAN, "-o", "plan.toml", db=loaded_target).code == 0
    path = tmp_path / "plan.toml"
    text = path.read_text()
    assert tracker("update", f"{PLAN}/3.2", "--progress", "65", db=loaded_target).code == 0
    before = snapshot(loaded_target)
    path.write_text(text.replace("progress = 60", "progress = 70", 1))
    stale = tracker("load", "--update", "plan.toml", db=loaded_target)
    assert stale.code == 1
    assert "action 3.2 (the file's version 1, now 2): changed since: progress: 60 -> 65 by" in (
        stale.err
    )
    assert "Nothing was saved" in stale.err and "Traceback" not in stale.err
    path.write_text(text.replace('ref = "3.3"', 'ref = "3.4"', 1))
    gone = tracker("load", "--update", "plan.toml", db=loaded_target)
    assert gone.code == 1 and "action 3.3 is not in the file" in gone.err
    assert snapshot(loaded_target) == before
    alone = tracker("load", "--dry-run", "plan.toml", db=loaded_target)
    assert alone.code == 1 and "--dry-run and --yes go with --update" in alone.err


def test_edit_applies_what_the_editor_saves(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    env = editor(tmp_path, ("progress = 60", "progress = 70"))
    done = tracker("edit", PLAN, db=loaded_target, **env)
    assert done.code == 0, done.err
    assert done.out.splitlines() == [
        "~ action 3.2 progress: 60 -> 70",
        f"updated {PLAN}: 1 change",
    ]
    (shown,) = opened(tmp_path)
    assert shown.startswith("# tracker edit: change the plan below")
    assert "version = 1" in shown
    history = json.loads(tracker("history", f"{PLAN}/3.2", "--json", db=loaded_target).out)
    assert (history[0]["actor"], history[0]["field"], history[0]["new"]) == (
        "tester",
        "progress",
        "70",
    )
    assert not list(Path(tmp_path).glob("tracker-edit-*"))


def test_edit_reopens_a_file_that_breaks_a_rule_until_it_is_fixed(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    env = editor(
        tmp_path,
        ("target = 2010-11-30", "target = 2010-13-30"),  # not a date: not TOML
        ("target = 2010-13-30", "target = 2010-03-01"),  # before its start: breaks a rule
        ("target = 2010-03-01", "target = 2010-12-15"),
    )
    done = tracker("edit", PLAN, db=loaded_target, **env)
    assert done.code == 0, done.err
    assert done.out.splitlines() == [
        "~ action 3.3 target: 2010-11-30 -> 2010-12-15",
        f"updated {PLAN}: 1 change",
    ]
    first, second, third = opened(tmp_path)
    assert not first.startswith("# error:")
    assert second.startswith("# error: the edited plan: is not valid TOML")
    assert third.startswith(
        "# error: the edited plan: recommendations[ref=3].actions[ref=3.3].target: 2010-03-01 "
        "is before start 2010-04-01\n#\n# tracker edit:"
    )
    assert third.count("# tracker edit:") == 1  # the header and errors do not pile up


def test_edit_reopens_a_file_the_update_refuses(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    env = editor(
        tmp_path,
        ('ref = "3.3"', 'ref = "3.9"'),  # 3.3 left out (and a new 3.9): refused
        ('ref = "3.9"', 'ref = "3.3"'),
    )
    done = tracker("edit", PLAN, db=loaded_target, **env)
    assert done.code == 0, done.err
    assert done.out.splitlines() == [f"{PLAN}: the file matches the database; nothing changed"]
    second = opened(tmp_path)[1]
    assert second.startswith("# error: plan stockton-2010: the file cannot be applied")
    assert "#   - action 3.3 is not in the file: nothing is removed by leaving it out" in second


def test_an_unchanged_or_empty_edit_changes_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    before = snapshot(loaded_target)
    same = tracker("edit", PLAN, db=loaded_target, **editor(tmp_path, None))
    assert (same.code, same.out) == (0, "edit cancelled, nothing changed\n")
    text = tracker("dump", PLAN, db=loaded_target).out
    emptied = tracker("edit", PLAN, db=loaded_target, **editor(tmp_path, (text, "\n")))
    assert (emptied.code, emptied.out) == (0, "edit cancelled, nothing changed\n")
    failed = tracker("edit", PLAN, db=loaded_target, EDITOR="false", VISUAL="")
    assert failed.code == 1 and "the editor exited with status 1" in failed.err
    assert snapshot(loaded_target) == before


def test_reviewer_and_read_only_sessions_refuse(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    assert tracker("dump", PLAN, "-o", "plan.toml", db=loaded_target).code == 0
    before = snapshot(loaded_target)
    for mode, said in (("--reviewer", "review mode"), ("--read-only", "read-only")):
        env = editor(tmp_path, ("progress = 60", "progress = 70"))
        edit = tracker(mode, "edit", PLAN, db=loaded_target, **env)
        assert edit.code == 1 and said in edit.err, edit.err
        assert opened(tmp_path) == []  # refused before the editor opened
        for extra in ([], ["--dry-run"]):
            load = tracker(mode, "load", "--update", *extra, "plan.toml", db=loaded_target)
            assert load.code == 1 and said in load.err, load.err
    assert snapshot(loaded_target) == before
