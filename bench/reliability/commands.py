"""Bad edits through `tracker update` and `tracker evidence add`, and plan file paths for
`tracker load` that are not plain files."""

from __future__ import annotations

import os
from pathlib import Path

import tomli_w

from bench.reliability.cases import ACTION, ESCAPES, USAGE, Case, base_plan, set_value
from bench.reliability.editors import SHARED_PLAN
from bench.reliability.settings import ROOT


def update_cases() -> list[Case]:
    """Bad edits of an action through `tracker update`."""
    cases = [
        Case("update/no-such-plan", ("update", "nowhere-2010/1.1", "--note", "x"), ("no plan",)),
        Case(
            "update/no-such-action",
            ("update", f"{SHARED_PLAN}/99.9", "--note", "x"),
            ("no action",),
        ),
        Case("update/ref-plan-only", ("update", SHARED_PLAN, "--note", "x"), ("not an action id",)),
        Case("update/ref-slash", ("update", "/", "--note", "x"), ("not an action id",)),
        Case("update/ref-empty", ("update", "", "--note", "x"), ("not an action id",)),
        Case("update/ref-trailing", ("update", f"{SHARED_PLAN}/", "--note", "x"), ("action id",)),
        Case("update/ref-path", ("update", "../../etc/passwd", "--note", "x"), ("no plan",)),
        Case("update/ref-escape", ("update", "\x1b[2J/1.1", "--note", "x"), ("no plan",)),
        Case("update/nothing-to-change", ("update", ACTION), ("nothing to change",)),
        Case("update/progress-101", ("update", ACTION, "--progress", "101"), ("progress",)),
        Case("update/progress-negative", ("update", ACTION, "--progress", "-1"), ("progress",)),
        Case(
            "update/complete-at-50",
            ("update", ACTION, "--status", "complete", "--progress", "50"),
            ("100%",),
        ),
        Case(
            "update/completed-not-complete",
            ("update", ACTION, "--completed", "2010-05-01"),
            ("completion date",),
        ),
        Case(
            "update/due-before-start",
            ("update", ACTION, "--start", "2010-06-01", "--due", "2010-05-01"),
            ("before the start",),
        ),
        Case("update/override-no-reason", ("update", ACTION, "--override", "red"), ("reason",)),
        Case("update/empty-text", ("update", ACTION, "--text", ""), ("empty",)),
        Case("update/blank-note", ("update", ACTION, "--note", "   "), ("empty",)),
        Case("update/huge-note", ("update", ACTION, "--note", "x" * 20_001), ("characters",)),
        Case("update/huge-text", ("update", ACTION, "--text", "x" * 20_001), ("characters",)),
        Case("update/long-lead", ("update", ACTION, "--lead", "l" * 201), ("characters",)),
        Case("update/long-owner", ("update", ACTION, "--owner", "o" * 201), ("characters",)),
        Case(
            "update/long-user", ("--as", "u" * 201, "update", ACTION, "--note", "x"), ("user name",)
        ),
        Case(
            "update/escape-user",
            ("--as", "u\x1b[2J", "update", ACTION, "--note", "x"),
            ("user name",),
        ),
        Case(
            "update/stale-version",
            ("update", ACTION, "--note", "x", "--expect-version", "0"),
            ("changed by someone else",),
        ),
        Case(
            "update/huge-version",
            ("update", ACTION, "--note", "x", "--expect-version", str(2**70)),
            ("version",),
        ),
        Case(
            "update/negative-version",
            ("update", ACTION, "--note", "x", "--expect-version", "-3"),
            ("version",),
        ),
        Case("update/due-feb-31", ("update", ACTION, "--due", "2010-02-31"), ("not a date",)),
        Case(
            "update/due-uk-31-feb",
            ("update", ACTION, "--due", "31/02/2010"),
            ("not a date",),
        ),
        Case(
            "update/start-feb-29",
            ("update", ACTION, "--start", "2011-02-29"),
            ("not a date",),
        ),
        Case(
            "update/completed-month-13",
            ("update", ACTION, "--completed", "2010-13-01"),
            ("not a date",),
        ),
        Case("update/due-escape", ("update", ACTION, "--due", "\x1b[2J"), ("not a date",)),
        Case("update/progress-word", ("update", ACTION, "--progress", "ten"), ("progress",), USAGE),
    ]
    options = ["--note", "--text", "--lead", "--owner", "--success-measure", "--impact-check"]
    for i, (escape, sequence) in enumerate(ESCAPES.items()):
        for option in (options[i % len(options)], options[(i + 2) % len(options)]):
            if escape == "nul":
                continue  # a NUL byte cannot be passed in a process's arguments
            cases.append(
                Case(
                    f"update/control/{escape}{option}",
                    ("update", ACTION, option, f"text {sequence} more"),
                    ("control",),
                )
            )
    cases.append(
        Case(
            "update/control/override-reason",
            ("update", ACTION, "--override", "red", "--override-reason", "why\x1b[2J"),
            ("control",),
        )
    )
    return cases


def evidence_cases(folder: Path) -> list[Case]:
    """Bad evidence through `tracker evidence add`: files that are not plain files, path
    tricks, and bad text."""
    real = folder / "evidence.pdf"
    real.write_bytes(b"%PDF-1.4 evidence\n")
    (folder / "link.pdf").symlink_to(real)
    (folder / "link-to-passwd").symlink_to("/etc/passwd")
    (folder / "dangling.pdf").symlink_to(folder / "gone.pdf")
    (folder / "loop-a.pdf").symlink_to(folder / "loop-b.pdf")
    (folder / "loop-b.pdf").symlink_to(folder / "loop-a.pdf")
    (folder / "a-folder.pdf").mkdir(exist_ok=True)
    os.mkfifo(folder / "pipe.pdf")
    escaped = folder / "name\x1b[2J\x07.pdf"
    escaped.write_bytes(b"evidence")

    def add(name: str, *options: str, expect: tuple[str, ...], isolate: bool = False) -> Case:
        args = ("evidence", "add", ACTION, *options)
        return Case(f"evidence/{name}", args, expect, isolate=isolate)

    def file(name: str, path: str | Path, expect: tuple[str, ...], isolate: bool = False) -> Case:
        return add(name, "--title", "Evidence", "--file", str(path), expect=expect, isolate=isolate)

    return [
        file("symlink", folder / "link.pdf", ("symbolic link",)),
        file("symlink-to-passwd", folder / "link-to-passwd", ("symbolic link",)),
        file("dangling-symlink", folder / "dangling.pdf", ("symbolic link",)),
        file("symlink-loop", folder / "loop-a.pdf", ("symbolic link",)),
        file("folder", folder / "a-folder.pdf", ("not a regular file",)),
        file("missing", folder / "missing.pdf", ("does not exist",)),
        file("named-pipe", folder / "pipe.pdf", ("not a regular file",), isolate=True),
        file("dev-null", "/dev/null", ("not a regular file",), isolate=True),
        file("dev-zero", "/dev/zero", ("not a regular file",), isolate=True),
        file("proc-folder", "/proc/self", ("not a regular file", "symbolic link")),
        file("dot-dot-through-file", f"{real}/../evidence.pdf", ("does not exist",)),
        file("name-too-long", folder / ("n" * 5000 + ".pdf"), ("too long",)),
        file("no-such-home", "~no-such-user-here/evidence.pdf", ("home directory",)),
        file("empty-path", "", ("not a regular file", "does not exist")),
        file("escape-in-name", escaped, ("control",)),
        add(
            "file-and-ref", "--title", "E", "--file", str(real), "--ref", "R", expect=("not both",)
        ),
        add("neither", "--title", "E", expect=("either a file or a reference",)),
        add("empty-title", "--title", "", "--ref", "R", expect=("empty",)),
        add("huge-title", "--title", "t" * 20_001, "--ref", "R", expect=("characters",)),
        add("huge-ref", "--title", "E", "--ref", "r" * 20_001, expect=("characters",)),
        add("empty-ref", "--title", "E", "--ref", " ", expect=("empty",)),
        add("escape-title", "--title", "E\x1b[2J", "--ref", "R", expect=("control",)),
        add("osc-title", "--title", "E\x1b]0;owned\x07", "--ref", "R", expect=("control",)),
        add("c1-ref", "--title", "E", "--ref", "R\x9b31m", expect=("control",)),
        add("cr-ref", "--title", "E", "--ref", "R\rFAKE", expect=("control",)),
        Case(
            "evidence/no-such-action",
            ("evidence", "add", f"{SHARED_PLAN}/99.9", "--title", "E", "--ref", "R"),
            ("no action",),
        ),
        Case(
            "evidence/bad-action-id",
            ("evidence", "add", "nothing", "--title", "E", "--ref", "R"),
            ("not an action id",),
        ),
        Case(
            "evidence/date-feb-31",
            ("evidence", "add", ACTION, "--title", "E", "--ref", "R", "--date", "2010-02-31"),
            ("not a date",),
        ),
    ]


def path_cases(folder: Path, good: Path) -> list[Case]:
    """Plan file paths that are not plain files, and loads of several files."""
    fifo = folder / "fifo.toml"
    os.mkfifo(fifo)
    (folder / "dev-zero.toml").symlink_to("/dev/zero")
    (folder / "loop-a.toml").symlink_to(folder / "loop-b.toml")
    (folder / "loop-b.toml").symlink_to(folder / "loop-a.toml")
    (folder / "dangling.toml").symlink_to(folder / "gone.toml")
    (folder / "a-folder.toml").mkdir(exist_ok=True)
    bad = folder / "second-bad.toml"
    bad.write_text(tomli_w.dumps(set_value(base_plan("second"), ("format",), "one")), "utf-8")
    twin = folder / "twin.toml"
    twin.write_text(tomli_w.dumps(base_plan()), "utf-8")
    sample = ROOT / "sample_plans" / f"{SHARED_PLAN}.toml"

    def load(name: str, *paths: Path | str, expect: tuple[str, ...], isolate: bool = False) -> Case:
        return Case(f"load/path/{name}", ("load", *map(str, paths)), expect, isolate=isolate)

    return [
        load("missing", folder / "missing.toml", expect=("cannot be read",)),
        load("missing-folder", folder / "no" / "such" / "plan.toml", expect=("cannot be read",)),
        load("folder", folder / "a-folder.toml", expect=("folder",)),
        load("named-pipe", fifo, expect=("regular file",), isolate=True),
        load("dev-zero", folder / "dev-zero.toml", expect=("regular file",), isolate=True),
        load("dev-null", "/dev/null", expect=("regular file",), isolate=True),
        load("symlink-loop", folder / "loop-a.toml", expect=("cannot be read",)),
        load("dangling-symlink", folder / "dangling.toml", expect=("cannot be read",)),
        load("name-too-long", folder / ("n" * 5000 + ".toml"), expect=("too long",)),
        load("empty-name", "", expect=("folder",)),
        load("proc-self-environ", "/proc/self/environ", expect=("binary", "TOML")),
        load("good-then-bad", good, bad, expect=("format",)),
        load("bad-then-good", bad, good, expect=("format",)),
        load("same-id-twice", good, twin, expect=("more than once",)),
        load("same-file-twice", good, good, expect=("more than once",)),
        load("good-then-loaded-sample", good, sample, expect=("already in the database",)),
    ]
