"""The three real reports in tests/seeds (copies of ../shared/seeds) import exactly: golden
JSON for each, the same recommendations and owners as the hand-checked sample plans, and the
same result when the report comes as a PDF or a Word document instead of text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import docx
import pytest

from conftest import ROOT, SEEDS
from tracker.importers import extract_text, parse_report, preview, to_json
from tracker.planfile import read_plan

GOLDEN = ROOT / "tests" / "golden" / "import"
SEED_PLANS = {
    "halton-warrington-2009-cci-report.txt": "halton-warrington-2009.toml",
    "stockton-2010-board-report.txt": "stockton-2010.toml",
    "cambridgeshire-2014-sqs-letter.txt": "cambridgeshire-2014.toml",
}
SEED_NAMES = sorted(SEED_PLANS)


def seed_json(name: str) -> dict[str, object]:
    path = SEEDS / name
    return to_json(parse_report(extract_text(path), path.name))


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_matches_its_golden_json(name: str) -> None:
    golden = GOLDEN / name.replace(".txt", ".json")
    found = seed_json(name)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert found == json.loads(golden.read_text("utf-8")), (
        f"{name} no longer imports as {golden.name}; if the change is right, rerun with "
        "UPDATE_GOLDEN=1 and review the diff"
    )


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_recommendations_match_the_hand_checked_sample_plan(name: str) -> None:
    plan = read_plan(ROOT / "sample_plans" / SEED_PLANS[name])
    found = seed_json(name)
    expected = [{"ref": r.ref, "text": r.text, "owners": r.owners} for r in plan.recommendations]
    assert found["recommendations"] == expected
    assert found["published"] == (
        plan.inspection.published and plan.inspection.published.isoformat()
    )
    assert found["area"] == plan.inspection.area
    assert found["kind"] == plan.inspection.kind.value
    assert found["fieldwork"] == {
        "start": plan.inspection.fieldwork_start and plan.inspection.fieldwork_start.isoformat(),
        "end": plan.inspection.fieldwork_end and plan.inspection.fieldwork_end.isoformat(),
    }
    expected_scores = [
        {"name": s.name, "percent": s.percent, "improvement": s.improvement and s.improvement.value}
        for s in plan.inspection.scores
    ]
    assert found["scores"] == expected_scores


def test_the_clock_runs_from_the_reports_own_publication_date() -> None:
    stockton = seed_json("stockton-2010-board-report.txt")
    assert (stockton["published"], stockton["submission_due"]) == ("2010-01-06", "2010-02-03")
    sqs = seed_json("cambridgeshire-2014-sqs-letter.txt")
    assert (sqs["published"], sqs["submission_due"]) == ("2014-04-23", "2014-05-21")


def test_a_report_without_a_publication_date_says_so_instead_of_guessing() -> None:
    cci = seed_json("halton-warrington-2009-cci-report.txt")
    assert cci["published"] is None and cci["submission_due"] is None
    warning = next(w for w in cci["warnings"] if w.startswith("publication date not stated"))  # type: ignore[union-attr]
    assert "enter it before the clock can run" in warning
    assert "August 2009" in warning


def test_the_sqs_letter_keeps_owners_empty_and_shows_who_it_is_addressed_to() -> None:
    sqs = seed_json("cambridgeshire-2014-sqs-letter.txt")
    assert all(r["owners"] == [] for r in sqs["recommendations"])  # type: ignore[index, union-attr]
    assert sqs["addressee"] == "Sarah Ferguson, Chair of Cambridgeshire YOS Management Board"
    link = next(c for c in sqs["copy_to"] if c["role"] == "YJB link staff")  # type: ignore[union-attr, index]
    assert link["names"] == ["Malcolm Potter", "Paula Williams", "Linda Paris"]


# Documents made from the seed text -------------------------------------------------------------

PAGE_LINES = 58
HEADER = "HMI Probation inspection report"


def _pdf_text(text: str) -> bytes:
    return text.encode("cp1252", errors="replace")


def _escape(data: bytes) -> bytes:
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _show(x: float, y: float, size: int, words: str) -> bytes:
    """A PDF text operation that shows `words` at (x, y) in Helvetica of `size` points."""
    return b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET" % (size, x, y, _escape(_pdf_text(words)))


def layout(text: str, width: int = 88) -> list[list[tuple[float, list[str]]]]:
    """The seed's lines laid out as a word processor would: paragraphs wrapped at `width`
    characters with a hanging indent for list items, a blank line's worth of space between
    paragraphs, tab-separated cells in columns; pages of PAGE_LINES lines."""
    rows: list[tuple[float, list[str]]] = []
    for line in text.split("\n"):
        if not line.strip():
            rows.append((0, []))
        elif "\t" in line:
            rows.append((0, line.split("\t")))
        else:
            bullet = re.match(r"- (?:\(\d+\) )?", line)
            indent = 14 if bullet else 0
            for i, piece in enumerate(textwrap.wrap(line, width)):
                rows.append((indent if i else 0, [piece]))
    pages = [rows[i : i + PAGE_LINES] for i in range(0, len(rows), PAGE_LINES)]
    return pages


def make_pdf(text: str) -> bytes:
    """A valid PDF of `text` in Helvetica, several pages, each with the same running header
    and a "Page N of M" footer, written by hand (no PDF library needed)."""
    pages = layout(text)
    objects: list[bytes] = [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"",  # the page tree, filled in below
    ]
    kids: list[int] = []
    for number, rows in enumerate(pages, start=1):
        ops: list[bytes] = [_show(50, 810, 8, HEADER)]
        y = 780.0
        for indent, cells in rows:
            for column, cell in enumerate(cells):
                if cell.strip():
                    ops.append(_show(50 + indent + 260 * column, y, 9, cell.strip()))
            y -= 12.5
        ops.append(_show(270, 30, 8, f"Page {number} of {len(pages)}"))
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 1 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(out)


def make_docx(text: str, path: Path) -> None:
    """A Word document of `text` as a person would type it: list items in Word's list styles
    (the "(1)" numbers left to Word's numbering), tab-separated lines as tables."""
    document = docx.Document()
    table_rows: list[list[str]] = []

    def flush() -> None:
        if table_rows:
            columns = max(len(r) for r in table_rows)
            table = document.add_table(rows=len(table_rows), cols=columns)
            for r, cells in enumerate(table_rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            table_rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            table_rows.append(line.split("\t"))
            continue
        flush()
        if not line.strip():
            continue
        numbered = re.match(r"- \(\d+\) ", line)
        if numbered:
            document.add_paragraph(line[numbered.end() :], style="List Number")
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
    flush()
    document.save(str(path))


def without_source(found: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in found.items() if k != "source"}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_a_pdf_of_the_seed_gives_the_same_result_as_the_text(name: str, tmp_path: Path) -> None:
    path = tmp_path / name.replace(".txt", ".pdf")
    path.write_bytes(make_pdf((SEEDS / name).read_text("utf-8")))
    text = extract_text(path)
    assert HEADER not in text and "Page 2 of" not in text
    assert without_source(to_json(preview(path))) == without_source(seed_json(name))


@pytest.mark.parametrize("name", SEED_NAMES)
def test_a_docx_of_the_seed_gives_the_same_result_as_the_text(name: str, tmp_path: Path) -> None:
    path = tmp_path / name.replace(".txt", ".docx")
    make_docx((SEEDS / name).read_text("utf-8"), path)
    assert without_source(to_json(preview(path))) == without_source(seed_json(name))


def test_the_importer_works_without_the_tui() -> None:
    """A script or a server may import reports: reading one never loads Textual."""
    code = (
        "import sys\nfrom tracker.importers import extract_text, parse_report\n"
        f"parse_report(extract_text({str(SEEDS / SEED_NAMES[0])!r}), 'x.txt')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
