"""Golden files: each export of the sample plans, with a fixed "today", is exactly the file in
tests/golden/export/. A change to an exporter shows here as a diff to review. DOCX and XLSX are
compared as a text dump of the reopened document or workbook (`docx_dump`, `xlsx_dump`): every
paragraph with its style, every table cell with its fill, every sheet cell with its value,
number format and fill; their zip bytes are checked to be stable in test_export_office.py.

To accept a reviewed change, regenerate the files and read the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/store/test_export_golden.py

The exports are deterministic by design (dates come from "today", never the clock); the one
exception is the "what changed since the last board report" section, whose timestamps come from
the audit trail, so `test_board_report_after_edits` replaces those with `<TIME>` (and their days,
"reported by", with `<DAY>`) first.
"""

from __future__ import annotations

import difflib
import io
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from conftest import ROOT, TODAY
from tracker import services
from tracker.exporters import digest, export_plan, export_portfolio
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges, record_board_report
from tracker.store import Store
from tracker.vocab import ActionStatus

GOLDEN = ROOT / "tests" / "golden" / "export"
PLANS = ("stockton-2010", "halton-warrington-2009", "cambridgeshire-2014")

NEXT_MEETING = datetime.now(UTC) + timedelta(days=40)
"""When the report after one issued now is issued: 40 days on, after the next meeting of any
pattern (they are at most monthly), so that it lists what changed since the one issued now."""


def check_golden(name: str, found: bytes) -> None:
    """`found` is byte for byte the golden file `name` (written instead with UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(found)
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1 to write it"
    expected = path.read_bytes()
    if found != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(),
            found.decode("utf-8", "replace").splitlines(),
            f"golden/{name}",
            "exported",
            lineterm="",
        )
        pytest.fail(
            f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept):\n"
            + "\n".join(list(diff)[:60])
        )


def export(store: Store, plan: str, fmt: str) -> bytes:
    with store.read() as session:
        return export_plan(SessionReader(session), plan, fmt, TODAY, now=NEXT_MEETING)


@pytest.mark.parametrize("plan", PLANS)
def test_board_report_markdown(loaded: Store, plan: str) -> None:
    check_golden(f"{plan}.md", export(loaded, plan, "md"))


@pytest.mark.parametrize("plan", PLANS)
def test_board_report_html(loaded: Store, plan: str) -> None:
    check_golden(f"{plan}.html", export(loaded, plan, "html"))


@pytest.mark.parametrize("plan", ["stockton-2010", "halton-warrington-2009"])
def test_spreadsheet_csv(loaded: Store, plan: str) -> None:
    check_golden(f"{plan}.csv", export(loaded, plan, "csv"))


@pytest.mark.parametrize("plan", PLANS)
def test_calendar_ics(loaded: Store, plan: str) -> None:
    check_golden(f"{plan}.ics", export(loaded, plan, "ics"))


@pytest.mark.parametrize("plan", PLANS)
def test_plan_file_toml(loaded: Store, plan: str) -> None:
    check_golden(f"{plan}.toml", export(loaded, plan, "toml"))


@pytest.mark.parametrize(
    ("name", "within", "owner"),
    [("digest.txt", 14, None), ("digest-head-of-service-60.txt", 60, "YOS Manager")],
)
def test_digest(loaded: Store, name: str, within: int, owner: str | None) -> None:
    with loaded.read() as session:
        text = digest(SessionReader(session), TODAY, within, owner)
    check_golden(name, text.encode("utf-8"))


def docx_dump(data: bytes) -> bytes:
    """A DOCX document as text, in body order: the page and core properties, then each
    paragraph as `[Style] text` and each table row as `| cell | cell |`, a shaded cell's fill
    as `{C0392B}` and bold text as `**text**`."""
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    props = doc.core_properties
    lines = [
        f"page {section.page_width.mm:.0f}x{section.page_height.mm:.0f} mm, "  # type: ignore[union-attr]
        f"margins {section.left_margin.mm:.0f} mm",  # type: ignore[union-attr]
        f"title {props.title!r}, author {props.author!r}, created {props.created}",
    ]
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            para = Paragraph(child, doc)
            lines.append(f"[{para.style.name if para.style else '-'}] {_runs(para)}")
        elif child.tag == qn("w:tbl"):
            table = Table(child, doc)
            lines.append(f"table ({table.style.name if table.style else '-'})")
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    tc_pr = cell._tc.tcPr
                    shading = None if tc_pr is None else tc_pr.find(qn("w:shd"))
                    fill = "" if shading is None else f"{{{shading.get(qn('w:fill'))}}}"
                    cells.append(fill + " / ".join(_runs(p) for p in cell.paragraphs))
                lines.append("| " + " | ".join(cells) + " |")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _runs(para: Paragraph) -> str:
    """The paragraph's runs: text (`**bold**`), and a picture as `[picture DESCRIPTION, W x H
    mm]`."""
    out = []
    for run in para.runs:
        out.append(f"**{run.text}**" if run.bold and run.text else run.text)
        for inline in run._r.xpath(".//wp:inline"):
            size = f"{inline.extent.cx / 36000:.0f} x {inline.extent.cy / 36000:.0f} mm"
            out.append(f"[picture {inline.docPr.get('descr')}, {size}]")
    return "".join(out)


def xlsx_dump(data: bytes) -> bytes:
    """An XLSX workbook as text: each sheet's title, frozen panes, filter and column widths,
    then every cell that holds a value or a fill: value (with its type), number format, fill
    and font."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    lines = [f"title {wb.properties.title!r}, created {wb.properties.created}"]
    for ws in wb.worksheets:
        widths = {k: v.width for k, v in sorted(ws.column_dimensions.items())}
        setup = ws.page_setup
        lines += [
            f"sheet {ws.title!r}: freeze {ws.freeze_panes}, filter {ws.auto_filter.ref}",
            f"widths {widths}",
            f"print {setup.orientation}, paper {setup.paperSize}, fit {setup.fitToWidth} wide "
            f"x {setup.fitToHeight} tall, titles {ws.print_title_rows}, header "
            f"{ws.oddHeader.center.text!r}, footer {ws.oddFooter.right.text!r}",
        ]
        for chart in ws._charts:
            series = chart.series[0]
            colours = [p.graphicalProperties.solidFill.srgbClr for p in series.dPt]
            lines.append(
                f"chart {chart.tagname} {chart.type} at {chart.anchor._from.col},"
                f"{chart.anchor._from.row}: values {series.val.numRef.f}, categories "
                f"{series.cat.strRef.f if series.cat.strRef else series.cat.numRef.f}, "
                f"colours {colours}"
            )
        for row in ws.iter_rows():
            for cell in row:
                fill = cell.fill.fgColor.rgb if cell.fill.fill_type else None
                if cell.value is None and fill is None:
                    continue
                font = " bold" if cell.font.bold else ""
                ink = cell.font.color
                if ink is not None and ink.type == "rgb":  # not a theme colour
                    font += f" ink {ink.rgb}"
                lines.append(
                    f"{cell.coordinate} {cell.data_type} {cell.value!r} "
                    f"[{cell.number_format}] fill {fill or '-'}{font}"
                )
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.parametrize("plan", PLANS)
def test_board_report_docx(loaded: Store, plan: str) -> None:
    check_golden(f"{plan}.docx.txt", docx_dump(export(loaded, plan, "docx")))


@pytest.mark.parametrize("plan", PLANS)
def test_spreadsheet_xlsx(loaded: Store, plan: str) -> None:
    check_golden(f"{plan}.xlsx.txt", xlsx_dump(export(loaded, plan, "xlsx")))


def test_portfolio_html_and_xlsx(loaded: Store) -> None:
    with loaded.read() as session:
        check_golden("portfolio.html", export_portfolio(SessionReader(session), TODAY, "html"))
        check_golden(
            "portfolio.xlsx.txt", xlsx_dump(export_portfolio(SessionReader(session), TODAY, "xlsx"))
        )


_MOMENT = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d UTC")


def test_board_report_after_edits(loaded: Store) -> None:
    """The second board report of a plan: what changed since the first, the evidence added since
    it, and the decisions the edits raise. Only the audit trail's timestamps are normalised."""
    record_board_report(loaded, "stockton-2010", "Miriam Robertson", "md")
    services.update_action(
        loaded,
        "stockton-2010/3.2",
        "Miriam Robertson",
        TODAY,
        ActionChanges(progress=75),
        note="Panel met twice in September; 14 cases discussed.",
    )
    services.update_action(
        loaded,
        "stockton-2010/4.2",
        "Team Manager (Community Supervision)",
        TODAY,
        ActionChanges(status=ActionStatus.BLOCKED),
    )
    services.add_evidence(
        loaded,
        "stockton-2010/3.2",
        "Miriam Robertson",
        "Compliance panel minutes, September 2010",
        reference="QA/2010-11/panel",
    )
    text = _MOMENT.sub("<TIME>", export(loaded, "stockton-2010", "md").decode("utf-8"))
    real = datetime.now(UTC).date()  # the day of each change, in "reported by"
    text = text.replace(f"({real.day} {real:%b} {real.year})", "(<DAY>)")
    check_golden("stockton-2010-second-report.md", text.encode("utf-8"))


def test_golden_files_are_all_used() -> None:
    """Every file in the golden folder belongs to a test here, so none goes stale unseen."""
    every_plan = ("md", "html", "docx.txt", "xlsx.txt", "ics", "toml")
    expected = {f"{p}.{ending}" for p in PLANS for ending in every_plan}
    expected |= {"stockton-2010-second-report.md"}
    expected |= {"stockton-2010.csv", "halton-warrington-2009.csv"}
    expected |= {"portfolio.html", "portfolio.xlsx.txt"}
    expected |= {"digest.txt", "digest-head-of-service-60.txt"}
    assert {p.name for p in Path(GOLDEN).iterdir()} == expected
