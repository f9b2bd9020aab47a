"""`tracker import` end to end on broken and report-shaped input, in-process through click's
CliRunner: whatever the file holds, the command exits 0 (imported, or a dry run that would
import) or 1 (refused, with a message), never with a traceback, and a refused import writes
nothing to the database."""

from __future__ import annotations

import itertools
import os
import random
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS, cli_env, snapshot
from tracker.cli import main

SEED_TEXTS = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
EXAMPLES = max(int(os.environ.get("FUZZ_EXAMPLES", "60")) // 3, 5)
"""Examples per test (a third of the parser's fuzz: each runs the whole command)."""
CLI_FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PIECES = [
    "Recommendations\n",
    "Recommendations (primary responsibility is indicated in brackets)\n",
    "(1) ",
    "1. ",
    "• ",
    "- ",
    "a) ",
    "1\t",
    "(Head of Service)",
    "(MAPPA)",
    " and ",
    "The YOT Management Board should:\n",
    "We recommend that the YOS Manager should:\n",
    "Core Case Inspection of youth offending work in Wigan\n",
    "INSPECTION OF YOUTH OFFENDING WORK IN WIGAN\n",
    "Youth Offending Service in September and October 2022\n",
    "HMI Probation\n",
    "Publication date: 31 June 2015\n",
    "published on 6th January 2010",
    "Safeguarding score: Score: 68% Comment: MODERATE improvement required\n",
    "| Area | Safeguarding | Risk of Harm | Likelihood of Reoffending |\n",
    "| Wigan YOS | 90% | 90% | 90% |\n",
    "| Bolton | 90% | 90% | 90% |\n",
    "Page 2 of 9\n",
    "4. BACKGROUND\n",
    "## Heading\n",
    "\f",
    "\t",
    "\n",
    "\n\n",
    "â€™",
    "\x00",
    "ΥΟΤ",
]


def import_once(db: str, work: Path, report: Path, flags: list[str]) -> tuple[int, str]:
    """Run `tracker --db DB import FLAGS REPORT` in-process; the exit status and all output,
    after checking nothing escaped but a clean exit."""
    result = CliRunner().invoke(
        main, ["--db", db, "import", *flags, str(report)], env=cli_env(work)
    )
    output = result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{output}"
    )
    assert "Traceback" not in output
    assert result.exit_code in (0, 1), (result.exit_code, output)
    if result.exit_code == 1:
        assert result.stderr.startswith("tracker: "), result.stderr
    return result.exit_code, output


def check_import(db: str, work: Path, text: str, suffix: str, flags: list[str]) -> None:
    report = work / f"report{suffix}"
    report.write_text(text, "utf-8", errors="surrogatepass")
    before = snapshot(db)
    code, _ = import_once(db, work, report, with_ids(flags))
    if code == 1 or "--dry-run" in flags:
        assert snapshot(db) == before, "a refused import or a dry run wrote to the database"
    else:
        assert snapshot(db) != before, "an accepted import wrote nothing"


FLAGS = st.sampled_from(
    [[], ["--dry-run"], ["--json"], ["--dry-run", "--json"], ["--area", "X"], ["--id"]]
)
"""The options tried; a bare `--id` is given a new plan id each time, so that an import that
is accepted really writes (not only the first one of each area)."""
_IDS = itertools.count(1)


def with_ids(flags: list[str]) -> list[str]:
    return [f"--id=fuzz-{next(_IDS)}" if flag == "--id" else flag for flag in flags]


@CLI_FUZZ
@given(st.lists(st.sampled_from([*PIECES, "word", "Wigan", "Westby", "YOS"]), max_size=120), FLAGS)
def test_report_shaped_noise_imports_or_is_refused_cleanly(
    loaded_target: str, tmp_path: Path, pieces: list[str], flags: list[str]
) -> None:
    check_import(loaded_target, tmp_path, " ".join(pieces), ".txt", flags)


@CLI_FUZZ
@given(
    st.sampled_from(range(len(SEED_TEXTS))),
    st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 300), st.sampled_from(PIECES)),
        max_size=6,
    ),
    st.randoms(use_true_random=False),
    FLAGS,
    st.sampled_from([".txt", ".md"]),
)
def test_mutated_seed_reports_import_or_are_refused_cleanly(
    loaded_target: str,
    tmp_path: Path,
    seed: int,
    edits: list[tuple[int, int, str]],
    rnd: random.Random,
    flags: list[str],
    suffix: str,
) -> None:
    text = SEED_TEXTS[seed]
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut :]
    lines = text.split("\n")
    if rnd.random() < 0.3:
        a, b = rnd.randrange(len(lines)), rnd.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
    check_import(loaded_target, tmp_path, "\n".join(lines), suffix, flags)


@CLI_FUZZ
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".pdf", ".docx", ".md"]), FLAGS)
def test_random_bytes_are_refused_cleanly(
    loaded_target: str, tmp_path: Path, data: bytes, suffix: str, flags: list[str]
) -> None:
    report = tmp_path / f"random{suffix}"
    report.write_bytes(data)
    before = snapshot(loaded_target)
    code, _ = import_once(loaded_target, tmp_path, report, with_ids(flags))
    if code == 1 or "--dry-run" in flags:
        assert snapshot(loaded_target) == before


def test_the_same_report_twice_is_imported_once_and_then_refused(
    loaded_target: str, tmp_path: Path
) -> None:
    report = tmp_path / "wigan.txt"
    report.write_text(
        "Core Case Inspection of youth offending work in Wigan\n"
        "The report was published on 3rd March 2011.\n\nRecommendations\n"
        "(1) plans are reviewed (YOS Manager)\n",
        "utf-8",
    )
    assert import_once(loaded_target, tmp_path, report, [])[0] == 0
    before = snapshot(loaded_target)
    # The same report again, and the same service and year however the report words it.
    again = tmp_path / "wigan-again.txt"
    again.write_text(
        report.read_text("utf-8").replace(" in Wigan\n", " in the Metropolitan Borough of Wigan\n")
    )
    for twice in (report, again):
        code, output = import_once(loaded_target, tmp_path, twice, [])
        assert code == 1, output
        assert (
            "this report's plan (Wigan, 2011) is already in the database as plan 'wigan-2011'"
            in (" ".join(output.split()))
        )
        assert snapshot(loaded_target) == before
    # Asked for by its own id, a second plan is made.
    assert import_once(loaded_target, tmp_path, report, ["--id", "wigan-2011-second"])[0] == 0
    assert snapshot(loaded_target) != before
