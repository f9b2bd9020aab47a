"""What the importer will open: only a regular file (after following links), and at most
MAX_FILE_BYTES of it. A named pipe would block for ever and a link to /dev/zero would read
until memory runs out, so both are refused at once, by a real `tracker import` process that
must finish within seconds. pypdf's own complaints about a damaged PDF never reach the user."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import SEEDS, cli_env
from tracker.importers import ReportError, extract, preview

extract_module = importlib.import_module("tracker.importers.extract")

STOCKTON = SEEDS / "stockton-2010-board-report.txt"


def run_import(tmp_path: Path, report: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """`tracker import REPORT` in a process of its own, killed if it takes over 30 seconds."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "--db",
            str(tmp_path / "t.db"),
            "import",
            *flags,
            str(report),
        ],
        capture_output=True,
        text=True,
        env=cli_env(tmp_path),
        cwd=tmp_path,
        timeout=30,
    )


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    done = run_import(tmp_path, fifo, "--dry-run")
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        f"tracker: {fifo}: is a named pipe, not a regular file: give the report file itself\n"
    )


@pytest.mark.parametrize("name", ["zero.pdf", "zero.txt", "zero.docx"])
def test_a_link_to_a_device_is_refused_naming_where_it_leads(tmp_path: Path, name: str) -> None:
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    done = run_import(tmp_path, link)
    assert done.returncode == 1
    assert done.stderr == (
        f"tracker: {link}: is a character device (a link to /dev/zero), not a regular file: "
        "give the report file itself\n"
    )
    assert not (tmp_path / "t.db").exists(), "a refused report leaves no database behind"


def test_a_link_to_a_real_report_is_read_and_a_dangling_one_does_not_exist(tmp_path: Path) -> None:
    link = tmp_path / "stockton.txt"
    link.symlink_to(STOCKTON)
    assert preview(link).area == "Stockton-on-Tees"
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(ReportError) as caught:
        preview(dangling)
    assert str(caught.value) == f"{dangling}: does not exist"


def test_no_more_than_the_limit_is_read_even_when_the_size_is_not_known_beforehand(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # /proc files are regular but say they are empty: only reading finds their length.
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0 and len(status.read_bytes()) > 100
    link = tmp_path / "status.txt"
    link.symlink_to(status)
    monkeypatch.setattr(extract_module, "MAX_FILE_BYTES", 100)
    with pytest.raises(ReportError) as caught:
        extract(link)
    assert caught.value.problem == "is more than 100 bytes; a report may be at most that"


def test_a_damaged_pdf_gives_one_message_and_nothing_from_pypdf(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.4\nthis is not a pdf\n")
    done = run_import(tmp_path, fake, "--dry-run")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"tracker: {fake}: cannot be read as a PDF")
    assert "EOF marker" not in done.stderr
