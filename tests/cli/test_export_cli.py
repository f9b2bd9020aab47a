"""`tracker export`, `tracker portfolio` and `tracker digest` as a user runs them: the files they
write, the errors they explain (exit 1, a message, nothing written, nothing recorded), and
review or read-only sessions that export without leaving a trace in the database."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from conftest import TODAY, cli_env, snapshot
from tracker.exporters import digest, export_plan
from tracker.queries.session import SessionReader
from tracker.store import open_store

PLAN = "stockton-2010"


def board_reports(db: Path) -> int:
    return len(snapshot(db)["board_reports"])


def expected(db: Path, fmt: str) -> bytes:
    store = open_store(db)
    try:
        with store.read() as session:
            return export_plan(SessionReader(session), PLAN, fmt, TODAY)
    finally:
        store.dispose()


# Writing files -------------------------------------------------------------------------------


def test_o_writes_the_file_whole_in_the_format_of_its_ending(
    tracker, loaded_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "board.html"
    out.write_text("an older, much longer report\n" * 5000)
    done = tracker("export", PLAN, "-o", str(out), "--draft", db=loaded_path)
    assert done.code == 0, done.err
    assert done.out == "" and f"wrote {PLAN} as html to {out}" in done.err
    assert out.read_bytes() == expected(loaded_path, "html")  # replaced whole, nothing left over
    assert not list(tmp_path.glob(".tracker-*"))  # no temporary file left behind
    sheet = tmp_path / "actions.XLSX"
    assert tracker("export", PLAN, "-o", str(sheet), db=loaded_path).code == 0
    assert zipfile.is_zipfile(sheet)
    ws = openpyxl.load_workbook(sheet)["Actions"]
    assert ws is not None and ws["A1"].value == "Ref"
    word = tmp_path / "board.docx"
    assert (
        tracker("export", PLAN, "-f", "docx", "-o", str(word), "--draft", db=loaded_path).code == 0
    )
    assert Document(str(word)).paragraphs[0].text.startswith("Board report: ")


def test_stdout_gets_the_bytes_of_a_text_format(tracker, loaded_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = tracker("export", PLAN, "-f", "ics", db=loaded_path)
    assert done.code == 0
    assert done.out.replace("\n", "\r\n") == expected(loaded_path, "ics").decode("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "nope"], "no plan 'nope'"),
        (["export", PLAN, "-f", "pdf"], "unknown format 'pdf': choose one of md, html, docx"),
        (
            ["export", PLAN, "-o", "board.pdf"],
            "cannot tell the format from the ending of 'board.pdf'",
        ),
        (["export", PLAN, "-o", "missing/board.md"], "folder"),
        (["export", PLAN, "-o", "."], "it is a folder"),
        (["export", PLAN, "--since", "2010-09-01", "--since-last-board"], "not both"),
        (["export", PLAN, "-f", "csv", "--since", "2010-09-01"], "are for board reports"),
        (["portfolio", "-f", "pdf"], "unknown format 'pdf'"),
        (["portfolio", "-o", "all.csv"], "cannot tell the format"),
        (["digest", "--owner", "Head of Nothing"], "no role is called 'Head of Nothing'"),
    ],
    ids=[
        "unknown-plan",
        "unknown-format",
        "unknown-ending",
        "missing-folder",
        "folder",
        "two-sinces",
        "since-not-board",
        "portfolio-format",
        "portfolio-ending",
        "digest-owner",
    ],
)
def test_user_errors_exit_1_with_a_message_and_change_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    before = snapshot(loaded_path)
    files = set(tmp_path.rglob("*"))
    done = tracker(*args, db=loaded_path)
    assert done.code == 1, (done.out, done.err)
    assert message in done.err and done.err.startswith("tracker: ")
    assert "Traceback" not in done.err and done.out == ""
    assert snapshot(loaded_path) == before  # no board report recorded
    assert {f for f in tmp_path.rglob("*") if f.suffix != ".db-journal"} <= files


def test_a_binary_format_is_not_written_to_a_terminal(loaded_path: Path, tmp_path: Path) -> None:
    before = snapshot(loaded_path)
    parent, child = pty.openpty()
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tracker",
                "--db",
                str(loaded_path),
                "export",
                PLAN,
                "-f",
                "docx",
            ],
            stdout=child,
            stderr=subprocess.PIPE,
            env=cli_env(tmp_path),
            cwd=tmp_path,
            timeout=60,
        )
        shown = b""
        while select.select([parent], [], [], 0.2)[0]:
            try:
                shown += os.read(parent, 65536)
            except OSError:
                break
    finally:
        os.close(child)
        os.close(parent)
    assert done.returncode == 1
    assert b"docx is a binary format: give -o FILE" in done.stderr
    assert b"PK" not in shown  # not a byte of the zip reached the terminal
    assert snapshot(loaded_path) == before


def test_a_binary_format_can_be_piped(tracker, loaded_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The CLI fixture's stdout is a pipe, not a terminal: `tracker export -f xlsx > f` works.
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(loaded_path), "export", PLAN, "-f", "xlsx"],
        capture_output=True,
        env=cli_env(loaded_path.parent),
        cwd=loaded_path.parent,
        timeout=60,
    )
    assert done.returncode == 0
    ws = openpyxl.load_workbook(io.BytesIO(done.stdout))["Actions"]
    assert ws is not None and ws.max_row == 14


# Recording board reports ---------------------------------------------------------------------


def changes_of_docx(path: Path) -> list[list[str]]:
    """The "what changed" table of a Word board report: each row's cells."""
    doc = Document(str(path))
    body = doc.element.body
    heading = next(p for p in doc.paragraphs if p.text.startswith("What changed since"))
    found = heading._p.getnext()
    assert found is not None and found.tag.endswith("tbl"), "no table of changes"
    table = next(t for t in doc.tables if t._tbl is found)
    assert body is not None
    return [[c.text for c in row.cells] for row in table.rows]


def changes_of_html(path: Path) -> list[list[str]]:
    """The "what changed" table of an HTML board report: each row's cells, as text (entries
    on their own lines joined by `; `, as Word's cell holds them)."""
    import html as html_lib
    import re

    page = path.read_text(encoding="utf-8")
    part = page.split('<section id="changes">', 1)[1].split("</section>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", part, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        text = [re.sub(r"<[^>]+>", "", c.replace("<br>", "; ")) for c in cells]
        rows.append([html_lib.unescape(t) for t in text])
    return rows


def issued_for_the_last_meeting(db: Path) -> None:
    """A board report recorded 40 days ago: the last meeting's (every pattern is at most
    monthly), so that today's papers list what changed since."""
    from datetime import UTC, datetime, timedelta

    from tracker.services import record_board_report

    store = open_store(db)
    try:
        when = datetime.now(UTC) - timedelta(days=40)
        record_board_report(store, PLAN, "Miriam Robertson", "docx", issued_at=when)
    finally:
        store.dispose()


def test_docx_then_html_of_one_meeting_list_the_same_changes(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    """The issue's steps: `-o board.docx`, then `-o board.html` a moment later. The HTML used
    to say nothing had changed (the DOCX counted as the last report); both are this meeting's
    papers and list the same changes, and the second says so."""
    issued_for_the_last_meeting(loaded_path)
    done = tracker("update", f"{PLAN}/3.2", "--progress", "75", db=loaded_path)
    assert done.code == 0, done.err
    word, page = tmp_path / "board.docx", tmp_path / "board.html"
    first = tracker("export", PLAN, "-o", str(word), db=loaded_path)
    second = tracker("export", PLAN, "-o", str(page), db=loaded_path)
    assert first.code == 0 and second.code == 0, first.err + second.err
    in_word, on_page = changes_of_docx(word), changes_of_html(page)
    assert in_word == on_page
    (row,) = [r for r in on_page if r[0] == "3.2"]
    assert "progress: 60% → 75%" in row[2].split("; ") and row[3].startswith("tester (")
    assert "the same meeting's papers as the report issued" in second.err
    assert "(docx)" in second.err


def test_a_board_pack_is_written_from_one_read_and_recorded_once(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    """`-o` once for each file: the board report in Word, as a web page and in Markdown, and
    the spreadsheet, in one command; one board report recorded (its formats named), and a
    later export of this meeting's report in one format lists the same changes as the pack."""
    issued_for_the_last_meeting(loaded_path)
    assert tracker("update", f"{PLAN}/5.2", "--status", "blocked", db=loaded_path).code == 0
    files = [tmp_path / f"pack.{ending}" for ending in ("docx", "html", "md", "xlsx")]
    done = tracker("export", PLAN, *(a for f in files for a in ("-o", str(f))), db=loaded_path)
    assert done.code == 0, done.err
    assert all(f.exists() for f in files)
    rows = snapshot(loaded_path)["board_reports"]
    assert len(rows) == 2  # the last meeting's, and the pack's: once
    assert "docx,html,md" in rows[-1]  # the formats of the pack's board reports
    assert done.err.count("recorded the board report") == 1
    assert "(docx, html, md)" in done.err
    assert changes_of_docx(files[0]) == changes_of_html(files[1])
    (row,) = [r for r in changes_of_html(files[1]) if r[0] == "5.2"]
    assert row[2] == "colour: amber → red (blocked); status: in progress → blocked"
    markdown = files[2].read_text(encoding="utf-8")
    later = tracker("export", PLAN, "-o", str(tmp_path / "later.md"), db=loaded_path)
    assert later.code == 0, later.err
    section = markdown.split("## What changed", 1)[1].split("\n## ", 1)[0]
    assert section in (tmp_path / "later.md").read_text(encoding="utf-8")
    assert openpyxl.load_workbook(files[3]).sheetnames == ["Summary", "Actions"]


@pytest.mark.parametrize(
    ("files", "options", "message"),
    [
        (["a.docx", "a.html"], ["-f", "md"], "-f names one format"),
        (["a.html", "b.htm"], [], "two -o files in html"),
        (["a.docx", "missing/a.html"], [], "does not exist"),
        (["a.xlsx", "a.csv"], ["--since-last-board"], "are for board reports"),
    ],
    ids=["format-with-a-pack", "format-twice", "second-folder-missing", "since-without-board"],
)
def test_a_refused_pack_writes_and_records_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path, files: list[str], options: list[str], message: str
) -> None:
    before = snapshot(loaded_path)
    outputs = [a for f in files for a in ("-o", str(tmp_path / f))]
    done = tracker("export", PLAN, *outputs, *options, db=loaded_path)
    assert done.code == 1 and message in done.err and "Traceback" not in done.err
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(("a.", "b."))]
    assert snapshot(loaded_path) == before


def test_a_board_report_is_recorded_only_when_issued_to_a_file(tracker, loaded_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`tracker export PLAN | less` is a look, not an issue; nor is a draft, a report over
    another period (--since), or a spreadsheet. Only a board report written with -o is."""
    for args in (
        [],
        ["-f", "html"],
        ["--since-last-board"],
        ["-o", "draft.md", "--draft"],
        ["-o", "since.md", "--since", "2010-09-01"],
        ["-o", "actions.csv"],
    ):
        done = tracker("export", PLAN, *args, db=loaded_path)
        assert done.code == 0, (args, done.err)
        assert "recorded" not in done.err, args
    assert board_reports(loaded_path) == 0
    done = tracker("export", PLAN, "-o", "board.html", "--since-last-board", db=loaded_path)
    assert done.code == 0 and "recorded the board report for stockton-2010 as issued" in done.err
    rows = snapshot(loaded_path)["board_reports"]
    assert len(rows) == 1 and rows[0][3:] == ("tester", "html")


@pytest.mark.parametrize("mode", ["--reviewer", "--read-only"])
def test_reviewer_and_read_only_export_but_record_nothing(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path, mode: str
) -> None:
    before = snapshot(loaded_path)
    for fmt in ("md", "docx"):
        out = tmp_path / f"for-yjb.{fmt}"
        done = tracker(mode, "export", PLAN, "-o", str(out), db=loaded_path)
        assert done.code == 0, done.err
        assert out.stat().st_size > 0 and "recorded" not in done.err
    assert tracker(mode, "portfolio", "-o", str(tmp_path / "all.xlsx"), db=loaded_path).code == 0
    assert snapshot(loaded_path) == before


# Portfolio and digest ------------------------------------------------------------------------


def test_portfolio_formats(tracker, loaded_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = tracker("portfolio", db=loaded_path)
    assert text.code == 0
    lines = text.out.splitlines()
    assert lines[0].split()[:3] == ["PLAN", "AREA", "INSPECTION"] and len(lines) == 4
    data = json.loads(tracker("portfolio", "-f", "json", db=loaded_path).out)
    assert {row["plan"] for row in data} == {PLAN, "halton-warrington-2009", "cambridgeshire-2014"}
    stockton = next(row for row in data if row["plan"] == PLAN)
    assert (stockton["percent_complete"], stockton["red"], stockton["overdue"]) == (38, 2, 1)
    page = tmp_path / "portfolio.htm"
    done = tracker("portfolio", "-o", str(page), db=loaded_path)
    assert done.code == 0 and "wrote the portfolio as html" in done.err
    assert page.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_digest_prints_the_same_text_as_the_library(tracker, loaded_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = tracker("digest", "--within", "30", "--owner", "yos manager", db=loaded_path)
    assert done.code == 0
    store = open_store(loaded_path)
    with store.read() as session:
        assert done.out == digest(SessionReader(session), TODAY, 30, "YOS Manager")
    store.dispose()
    assert done.out.startswith(
        "Improvement plan actions overdue or due by 15 Oct 2010 for Head of Service, "
        "as of 15 Sep 2010\n"
    )


def test_portfolio_as_text_goes_to_the_file_asked_for(
    tracker, loaded_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "portfolio.txt"
    done = tracker("portfolio", "-o", str(out), db=loaded_path)
    assert done.code == 0, done.err
    assert done.out == "" and "wrote the portfolio as text" in done.err
    assert out.read_text("utf-8") == tracker("portfolio", db=loaded_path).out
    assert out.read_text("utf-8").startswith("PLAN ")


# File modes ----------------------------------------------------------------------------------


def test_a_new_export_honours_the_umask_and_an_overwrite_keeps_the_mode(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path, tmp_path: Path
) -> None:
    """As `> file` would: a new file is 0666 less the umask (not 0600 whatever the umask), and
    a file written again keeps the mode its owner gave it."""
    old = os.umask(0o027)  # the CLI's process inherits it
    try:
        fresh = tmp_path / "board.md"
        assert tracker("export", PLAN, "-o", str(fresh), "--draft", db=loaded_path).code == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
        shared = tmp_path / "shared.xlsx"
        shared.write_bytes(b"old")
        shared.chmod(0o664)
        assert tracker("export", PLAN, "-o", str(shared), db=loaded_path).code == 0
        assert stat.S_IMODE(shared.stat().st_mode) == 0o664
        assert zipfile.is_zipfile(shared)
        private = tmp_path / "private.html"
        private.write_bytes(b"old")
        private.chmod(0o600)
        assert tracker("portfolio", "-o", str(private), db=loaded_path).code == 0
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    finally:
        os.umask(old)
    os.umask(0o022)
    try:
        loose = tmp_path / "loose.csv"
        assert tracker("export", PLAN, "-o", str(loose), db=loaded_path).code == 0
        assert stat.S_IMODE(loose.stat().st_mode) == 0o644
    finally:
        os.umask(old)
    assert not list(tmp_path.glob(".tracker-*"))
