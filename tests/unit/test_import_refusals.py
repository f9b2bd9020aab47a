"""What the importer refuses, with a message naming the file and the problem, and fuzzing:
no input, however broken, raises anything but ReportError."""

from __future__ import annotations

import contextlib
import io
import os
import random
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from tracker.importers import Finding, ReportError, extract_text, parse_report, preview, to_json
from tracker.importers.extract import decode_text

SEED_TEXTS = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
"""Examples per fuzz test; FUZZ_EXAMPLES=5000 for a long run before a release."""
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
FILE_FUZZ = settings(
    max_examples=max(EXAMPLES * 2 // 3, 1),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def refused(path: Path) -> str:
    with pytest.raises(ReportError) as caught:
        preview(path)
    assert str(path) in str(caught.value), "the message must name the file"
    return caught.value.problem


def test_empty_and_blank_files_are_refused(tmp_path: Path) -> None:
    for name, data in [("empty.txt", b""), ("blank.md", b" \n\t\n")]:
        path = tmp_path / name
        path.write_bytes(data)
        assert "empty" in refused(path)


def test_binary_data_is_refused_as_text(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(range(256)) * 40)
    assert "binary" in refused(path)


def test_a_pdf_or_docx_named_as_text_is_refused_with_the_fix(tmp_path: Path) -> None:
    pdf = tmp_path / "report.txt"
    pdf.write_bytes(b"%PDF-1.4\n...")
    assert "name ending .pdf" in refused(pdf)


def test_a_pdf_that_is_not_a_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text("Core Case Inspection\nRecommendations\n(1) x (Head of Service)\n")
    assert "is not a PDF" in refused(path)


def test_a_damaged_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF")
    problem = refused(path)
    assert "PDF" in problem or "no text" in problem


def test_a_docx_that_is_not_a_zip_or_not_word_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_text("Recommendations")
    assert "not a zip archive" in refused(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not word")
    path.write_bytes(buffer.getvalue())
    assert "not a Word document" in refused(path)


def test_unknown_kinds_missing_files_folders_and_huge_files_are_refused(tmp_path: Path) -> None:
    doc = tmp_path / "report.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "cannot read .doc" in refused(doc)
    assert "does not exist" in refused(tmp_path / "missing.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "is a folder" in refused(folder)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: no real disk use
    assert "at most 52,428,800" in refused(huge)


def test_text_that_is_not_an_inspection_report_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "recipe.txt"
    path.write_text("Victoria sponge\n\nRecommendations\n- use fresh eggs\n- sift the flour\n")
    assert "does not look like an inspection report" in refused(path)


@pytest.mark.parametrize(
    "text",
    [
        "Wigan Youth Offending Service had an inspection of its office fire alarms in March "
        "2015.\n\nRecommendations\n1. Replace the batteries in every smoke detector (Facilities "
        "Manager)\n2. Test the alarm weekly\n",
        "The YOT's minibus was inspected by the council's fleet team.\n\nRecommendations\n"
        "- replace the tyres (Transport Manager)\n",
        "Minutes of the Parish Council. The youth offending team asked about the inspection.\n"
        "Recommendations\n1. Repair the bus shelter\n",
    ],
)
def test_a_text_that_only_mentions_an_inspection_and_a_yos_is_refused(text: str) -> None:
    with pytest.raises(ReportError) as caught:
        parse_report(text, "alarm.txt")
    assert caught.value.problem.startswith(
        "does not look like an inspection report of youth offending work: it names neither "
        "HM Inspectorate of Probation nor an inspection of youth offending work"
    )


@pytest.mark.parametrize(
    "signal",
    [
        "HM Inspectorate of Probation",
        "HMI Probation",
        "Short Quality Screening of youth offending work in Wigan",
        "Inspection of youth offending services in Wigan",
        "Joint inspection of the Wigan Youth Offending Team",
    ],
)
def test_a_text_that_names_the_inspectorate_or_the_inspection_is_read(signal: str) -> None:
    text = f"{signal}\n\nWigan YOS\n\nRecommendations\n1. plans are reviewed (YOS Manager)\n"
    assert parse_report(text, "wigan.txt").recommendations[0].owners == ["YOS Manager"]


def test_a_report_without_recommendations_keeps_what_was_found_and_says_what_is_missing() -> None:
    text = SEED_TEXTS[0].split("Areas requiring improvement")[0]
    found = parse_report(text, "letter.txt")
    assert (found.area, found.published, found.submission_due) == (
        "Cambridgeshire",
        date(2014, 4, 23),
        date(2014, 5, 21),
    )
    assert found.recommendations == []
    assert any(
        w.startswith("no recommendations found") and "add them by hand" in w for w in found.warnings
    )


def test_text_in_windows_1252_and_utf16_is_read(tmp_path: Path) -> None:
    text = "Core Case Inspection of youth offending work in Wigan\nRecommendations\n"
    text += "(1) children’s plans are reviewed (YOS Manager)\n"
    for name, data in [("a.txt", text.encode("cp1252")), ("b.txt", text.encode("utf-16"))]:
        path = tmp_path / name
        path.write_bytes(data)
        finding = preview(path)
        assert finding.recommendations[0].text == "children’s plans are reviewed"


def check(finding: Finding) -> None:
    """What any accepted text must give: at least one recommendation, unique refs, no empty
    text, and JSON-ready output."""
    refs = [r.ref for r in finding.recommendations]
    assert len(set(refs)) == len(refs)
    assert refs or any(w.startswith("no recommendations found") for w in finding.warnings)
    assert all(r.text.strip() for r in finding.recommendations)
    assert all(o.strip() for r in finding.recommendations for o in r.owners)
    to_json(finding)


def parse_any(text: str) -> None:
    try:
        finding = parse_report(text, "fuzz.txt")
    except ReportError:
        return
    check(finding)


@FUZZ
@given(st.text(max_size=3000))
def test_random_text_gives_a_finding_or_a_report_error(text: str) -> None:
    parse_any(text)


WORDS = st.sampled_from(
    [
        "Recommendations",
        "(1)",
        "1.",
        "•",
        "-",
        "*",
        "(",
        ")",
        "Head of Service",
        "and",
        ",",
        "published",
        "Publication date:",
        "6th January 2010",
        "31 February 2011",
        "Score:",
        "79%",
        "MINIMUM",
        "improvement",
        "Safeguarding",
        "should:",
        "The YOT Management Board",
        "youth offending work in",
        "inspection",
        "YOS",
        "\n",
        "\n\n",
        "\t",
        "  ",
        "Good",
        "Areas requiring improvement",
        "Copy to:",
        "To:",
        "â€™",
        "<i>",
        "**",
        "ΥΟΤ",
        "%",
        "Page 3 of 40",
        "12",
        "\f",
        "Wednesday",
        "We recommend that the Head of Service:",
        "The previous inspection report was published on",
        "Area\tSafeguarding\tRisk of Harm\tLikelihood of Reoffending",
        "Wigan\t79\t76\t78",
        "Youth Offending Service Management Board",
    ]
)


@FUZZ
@given(st.lists(WORDS, max_size=300))
def test_report_shaped_noise_gives_a_finding_or_a_report_error(words: list[str]) -> None:
    parse_any(" ".join(words))


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from(["utf-8", "latin-1", "cp1252"]))
def test_random_bytes_decoded_give_a_finding_or_a_report_error(data: bytes, codec: str) -> None:
    parse_any(data.decode(codec, errors="replace"))


@FUZZ
@given(
    st.sampled_from(range(len(SEED_TEXTS))),
    st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 400), st.text(max_size=40)), max_size=8
    ),
    st.randoms(use_true_random=False),
)
def test_mutated_seeds_give_a_finding_or_a_report_error(
    seed: int, edits: list[tuple[int, int, str]], rnd: random.Random
) -> None:
    text = SEED_TEXTS[seed]
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut :]
    lines = text.split("\n")
    rnd.shuffle(lines[: rnd.randrange(len(lines) + 1)])
    parse_any("\n".join(lines))


@FILE_FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".md", ".pdf", ".docx"]))
def test_random_files_give_text_or_a_report_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    with contextlib.suppress(ReportError):
        extract_text(path)


@FILE_FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)), max_size=6))
def test_damaged_pdfs_and_docx_give_text_or_a_report_error(
    tmp_path: Path, damage: list[tuple[int, bytes]]
) -> None:
    from tests.support.documents import make_docx, make_pdf

    text = SEED_TEXTS[2][:3000]
    docx_path = tmp_path / "seed.docx"
    if not docx_path.exists():
        make_docx(text, docx_path)
    for name, data in [("seed.pdf", make_pdf(text)), ("damaged.docx", docx_path.read_bytes())]:
        broken = bytearray(data)
        for at, patch in damage:
            at %= len(broken)
            broken[at : at + len(patch)] = patch
        path = tmp_path / name
        path.write_bytes(bytes(broken))
        with contextlib.suppress(ReportError):
            preview(path)


def test_a_docx_asking_for_a_zip_version_python_lacks_is_a_report_error(tmp_path: Path) -> None:
    """A damaged central directory can ask for "zip version 6.4", which zipfile refuses with
    NotImplementedError rather than BadZipFile: still a clear message, not a traceback."""
    from tests.support.documents import make_docx

    good = tmp_path / "good.docx"
    make_docx(SEED_TEXTS[2][:3000], good)
    data = bytearray(good.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6 : entry + 8] = (64).to_bytes(2, "little")  # version needed to extract: 6.4
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(bytes(data))
    with pytest.raises(ReportError, match=r"damaged\.docx.*damaged zip archive.*6\.4"):
        preview(damaged)


def test_decode_text_never_raises_anything_but_report_error() -> None:
    rnd = random.Random(4)
    for _ in range(200):
        data = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 300)))
        with contextlib.suppress(ReportError):
            decode_text(data, "x.txt")
