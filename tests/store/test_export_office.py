"""The Office exports reopened with the libraries councils' tools stand in for: the board report
in python-docx, the spreadsheet and the portfolio in openpyxl. Headings, cells, colour fills,
frozen header and filters are checked, not just the bytes."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, date, datetime

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from openpyxl.worksheet.worksheet import Worksheet

from conftest import TODAY
from tracker import services
from tracker.exporters import export_plan, export_portfolio
from tracker.exporters.data import BRAG_HEX, PORTFOLIO_COLUMNS
from tracker.exporters.sheet import COLUMNS
from tracker.queries import lists
from tracker.queries import plan as plan_reads
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges
from tracker.store import Store
from tracker.vocab import Brag

HEX_BRAG = {v: k for k, v in BRAG_HEX.items()}


def export(store: Store, plan: str, fmt: str, **options: object) -> bytes:
    with store.read() as session:
        return export_plan(SessionReader(session), plan, fmt, TODAY, **options)  # type: ignore[arg-type]


def actions_of(store: Store, plan: str) -> dict[str, lists.ActionRow]:
    with store.read() as session:
        return {
            a.ref: a for a in plan_reads.plan_detail(SessionReader(session), plan, TODAY).actions
        }


def fill(cell: _Cell) -> str | None:
    """A DOCX table cell's shading colour (RGB hex), if any."""
    tc_pr = cell._tc.tcPr
    shading = None if tc_pr is None else tc_pr.find(qn("w:shd"))
    return None if shading is None else shading.get(qn("w:fill"))


def rows_of(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def table_after(doc: object, heading: str) -> Table:
    """The first table after the heading that starts with `heading`."""
    body = doc.element.body  # type: ignore[attr-defined]
    seen = False
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            seen = seen or text.startswith(heading)
        elif child.tag == qn("w:tbl") and seen:
            return Table(child, doc)  # type: ignore[arg-type]
    raise AssertionError(f"no table after {heading!r}")


# DOCX ----------------------------------------------------------------------------------------


def test_docx_board_report_sections_and_header(loaded: Store) -> None:
    doc = Document(io.BytesIO(export(loaded, "stockton-2010", "docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == (
        "Board report: Improvement plan: Stockton on Tees YOS, Core Case Inspection 2009"
    )
    assert headings[1:8] == [
        "The plan",
        "BRAG summary",
        "Red and overdue actions",
        "Due by the next board meeting (12 Oct 2010)",
        "Evidence on file",
        "What changed since the last board report",
        "Decisions for the board",
    ]
    assert "All actions" in headings
    assert next(h for h in headings if h.startswith("Recommendation")) == (
        "Recommendation 1 (YOS Manager)"
    )
    facts = dict(tuple(r) for r in rows_of(table_after(doc, "The plan")))
    assert facts["Area"] == "Stockton on Tees"
    assert facts["Inspection"] == "Core Case Inspection (CCI)"
    assert "Risk of Harm to others MINIMUM" in facts["Headline scores"]
    assert facts["Submitted"] == "2 Feb 2010 (on time)"
    assert facts["Submission due"] == "3 Feb 2010"
    assert facts["Next board meeting"] == "12 Oct 2010"
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert doc.core_properties.created == datetime(2010, 9, 15, tzinfo=UTC)  # "today", not now


def test_docx_brag_summary_is_a_coloured_table_with_a_bar_chart(loaded: Store) -> None:
    """The counts, each colour's cell filled, and a chart: a bar (an inline picture in the
    colour, described for a screen reader) as long as its count, the longest 70 mm."""
    doc = Document(io.BytesIO(export(loaded, "stockton-2010", "docx")))
    summary = table_after(doc, "BRAG summary")
    rows = rows_of(summary)
    assert rows[0] == ["Colour", "Actions", "Share", "Chart"]
    assert rows[1:] == [
        ["Red", "2", "15%", ""],
        ["Amber", "3", "23%", ""],
        ["Green", "4", "31%", ""],
        ["Blue", "4", "31%", ""],
        ["Total", "13", "", ""],
    ]
    bars = []
    for row in summary.rows[1:5]:
        (inline,) = row.cells[3]._tc.xpath(".//wp:inline")
        blip = inline.xpath(".//a:blip")[0].get(qn("r:embed"))
        png = doc.part.related_parts[blip].blob
        pixel = png_pixel(png)
        bars.append((inline.docPr.get("descr"), round(inline.extent.cx / 36000), pixel))
    assert bars == [
        ("Red: 2", 35, BRAG_HEX[Brag.RED]),
        ("Amber: 3", 52, BRAG_HEX[Brag.AMBER]),
        ("Green: 4", 70, BRAG_HEX[Brag.GREEN]),
        ("Blue: 4", 70, BRAG_HEX[Brag.BLUE]),
    ]
    assert len(doc.inline_shapes) == 4  # the chart's bars, and no other picture
    fills = [fill(row.cells[0]) for row in summary.rows]
    assert fills == [
        None,
        *(BRAG_HEX[c] for c in (Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE)),
        None,
    ]


def png_pixel(png: bytes) -> str:
    """The colour of a one-colour PNG's first pixel, as hex: read with zlib, as any viewer."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    at, idat = 8, b""
    while at < len(png):
        (size,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        if kind == b"IDAT":
            idat += png[at + 8 : at + 8 + size]
        at += 12 + size
    return zlib.decompress(idat)[1:4].hex().upper()


def test_docx_red_and_overdue_first_with_their_colour(loaded: Store) -> None:
    doc = Document(io.BytesIO(export(loaded, "halton-warrington-2009", "docx")))
    attention = table_after(doc, "Red and overdue actions")
    header, *body = attention.rows
    assert [c.text for c in header.cells][:3] == ["Ref", "BRAG", "Why"]
    refs = [row.cells[0].text for row in body]
    # most overdue first; 1.2 is amber by hand but overdue, so it is listed too
    assert refs == ["2.2", "2.1", "3.3", "1.3", "3.1", "1.2", "3.2"]
    actions = actions_of(loaded, "halton-warrington-2009")
    for row in body:
        ref = row.cells[0].text
        assert HEX_BRAG[fill(row.cells[1]) or ""] is actions[ref].brag.colour
    blocked = next(row for row in body if row.cells[0].text == "3.3")
    assert "271 days overdue" in blocked.cells[5].text  # the reason says "blocked"
    decisions = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    assert any(d.startswith("Action 3.3 is blocked") for d in decisions)
    assert any(d.startswith("Action 1.2 is shown amber by hand") for d in decisions)


def test_docx_all_actions_tables_colour_every_brag_cell(loaded: Store) -> None:
    doc = Document(io.BytesIO(export(loaded, "stockton-2010", "docx")))
    actions = actions_of(loaded, "stockton-2010")
    seen = {}
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:3] != ["Ref", "BRAG", "Status"]:
            continue
        for row in table.rows[1:]:
            seen[row.cells[0].text] = fill(row.cells[1])
    assert set(seen) == set(actions)
    assert all(HEX_BRAG[seen[ref] or ""] is a.brag.colour for ref, a in actions.items())


# XLSX ----------------------------------------------------------------------------------------


def sheet_of(data: bytes, name: str = "Actions") -> Worksheet:
    ws = openpyxl.load_workbook(io.BytesIO(data))[name]
    assert isinstance(ws, Worksheet)
    return ws


def test_xlsx_columns_frozen_header_and_filter(loaded: Store) -> None:
    ws = sheet_of(export(loaded, "stockton-2010", "xlsx"))
    assert ws.title == "Actions"
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert COLUMNS == (
        "Ref",
        "Recommendation",
        "Owner role",
        "Action",
        "Lead",
        "Target date",
        "Status",
        "BRAG",
        "Progress",
        "Success measure",
        "Evidence",
        "Last update",
    )
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:L14"  # the header and 13 actions
    assert ws.max_row == 14


def test_xlsx_summary_sheet_with_a_native_bar_chart(loaded: Store) -> None:
    """The workbook's first sheet is a summary (it opens on the actions, as before): the plan,
    its BRAG counts with each colour's cell filled, % complete and overdue, and an Excel bar
    chart of the counts (one bar per colour, in its colour) that Excel draws from the cells,
    so it stays true if a cell is edited."""
    wb = openpyxl.load_workbook(io.BytesIO(export(loaded, "stockton-2010", "xlsx")))
    assert wb.sheetnames == ["Summary", "Actions"]
    assert wb.active is not None and wb.active.title == "Actions"
    ws = wb["Summary"]
    values = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r[0] is not None}
    assert values["Plan"][0] == "stockton-2010"
    assert values["Four-week clock"][0] == "submitted on time 2 Feb 2010"
    assert values["Next board meeting"][0] == datetime(2010, 10, 12)
    counts = {c: values[c][0] for c in ("Red", "Amber", "Green", "Blue", "Total")}
    assert counts == {"Red": 2, "Amber": 3, "Green": 4, "Blue": 4, "Total": 13}
    assert values["Complete"][0] == "38% (5 of 13 actions)" and values["Overdue"][0] == 1
    (chart,) = ws._charts
    assert chart.tagname == "barChart"
    (series,) = chart.series
    assert series.val.numRef.f == "'Summary'!$B$13:$B$16"  # the counts' cells
    categories = series.cat.strRef or series.cat.numRef
    assert categories.f == "'Summary'!$A$13:$A$16"  # the colours' names
    colours = [p.graphicalProperties.solidFill.srgbClr for p in series.dPt]
    assert colours == [BRAG_HEX[c] for c in (Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE)]


def test_xlsx_actions_print_on_a4_landscape_with_headings_on_every_page(loaded: Store) -> None:
    ws = sheet_of(export(loaded, "stockton-2010", "xlsx"))
    setup = ws.page_setup
    assert (setup.orientation, int(setup.paperSize or 0)) == ("landscape", 9)  # 9: A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # one page wide, as long as it takes
    assert ws.sheet_properties.pageSetUpPr is not None
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"  # the headings on every printed page
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:L14"
    assert ws.oddFooter.right.text == "Page &P of &N"
    portfolio = sheet_of(export_portfolio_xlsx(loaded), "Portfolio")
    assert portfolio.page_setup.orientation == "landscape"
    assert portfolio.print_title_rows == "$1:$1"


def export_portfolio_xlsx(store: Store) -> bytes:
    with store.read() as session:
        return export_portfolio(SessionReader(session), TODAY, "xlsx")


def test_xlsx_cells_and_brag_fills(loaded: Store) -> None:
    ws = sheet_of(export(loaded, "stockton-2010", "xlsx"))
    actions = actions_of(loaded, "stockton-2010")
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert set(rows) == set(actions)
    col = {name: i for i, name in enumerate(COLUMNS)}
    for ref, a in actions.items():
        row = rows[ref]
        brag = row[col["BRAG"]]
        assert brag.value == a.brag.colour.value.capitalize() + ("*" if a.brag.overridden else "")
        assert brag.fill.fill_type == "solid"
        assert brag.fill.fgColor.rgb[-6:] == BRAG_HEX[a.brag.colour]
        assert row[col["Progress"]].value == a.progress
        assert row[col["Status"]].value == a.status.value
    first = rows["1.1"]
    assert first[col["Owner role"]].value == "Head of Service"
    assert first[col["Lead"]].value == "Miriam Robertson"
    assert first[col["Target date"]].value == datetime(2010, 4, 30)  # a date, not text
    assert first[col["Last update"]].value == datetime(2010, 4, 27)
    assert first[col["Recommendation"]].value.startswith("Good quality risk management plans")
    assert first[col["Success measure"]].value.startswith("Revised template used")
    assert first[col["Evidence"]].value == (
        "Risk management plan template, version 3 (April 2010) (accepted); "
        "Management Board minutes, May 2010: revised templates noted (pending)"
    )


def test_xlsx_and_docx_are_the_same_bytes_each_time(loaded: Store) -> None:
    """No clock inside the packages: the same plan on the same day gives the same file."""
    for fmt in ("xlsx", "docx"):
        first = export(loaded, "stockton-2010", fmt)
        assert export(loaded, "stockton-2010", fmt) == first
    with loaded.read() as session:
        portfolio = export_portfolio(SessionReader(session), TODAY, "xlsx")
        assert export_portfolio(SessionReader(session), TODAY, "xlsx") == portfolio


def test_xlsx_text_never_becomes_a_formula(loaded: Store) -> None:
    services.update_action(
        loaded, "stockton-2010/1.2", "tester", TODAY, ActionChanges(text='=HYPERLINK("x","y")')
    )
    ws = sheet_of(export(loaded, "stockton-2010", "xlsx"))
    cell = next(r[3] for r in ws.iter_rows(min_row=2) if r[0].value == "1.2")
    assert cell.value == '=HYPERLINK("x","y")' and cell.data_type == "s"
    csv = export(loaded, "stockton-2010", "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv


def test_xlsx_keeps_only_the_filtered_actions(loaded: Store) -> None:
    ws = sheet_of(export(loaded, "stockton-2010", "xlsx", action_ids=["stockton-2010/3.1", "3.3"]))
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == ["3.1", "3.3"]
    assert ws.auto_filter.ref == "A1:L3"


def kind_of_each_cell(ws: Worksheet) -> dict[str, str]:
    """Each cell's named style (what Excel's Cell Styles shows for it), by coordinate, every
    cell of the table (the empty ones too)."""
    return {c.coordinate: c.style for row in ws.iter_rows() for c in row}


def test_xlsx_each_kind_of_cell_is_one_named_style(loaded: Store) -> None:
    """Issue 17: a table's cells are not styled one by one. Each kind (the heading, text, a
    date, a percentage, a BRAG colour) is one named style of the workbook, and every cell of
    the kind has it, with its look: the heading bold and shaded, text wrapping at the top of
    its cell, a date `d mmm yyyy`, a BRAG cell filled in its colour."""
    wb = openpyxl.load_workbook(io.BytesIO(export(loaded, "stockton-2010", "xlsx")))
    ws = wb["Actions"]
    kinds = kind_of_each_cell(ws)
    col = {name: i for i, name in enumerate(COLUMNS)}
    assert {kinds[c.coordinate] for c in ws[1]} == {"Tracker heading"}
    for row in ws.iter_rows(min_row=2):
        brag = row[col["BRAG"]]
        assert kinds[brag.coordinate] == f"Tracker {brag.value.rstrip('*').lower()}"  # Red*: red
        assert kinds[row[col["Target date"]].coordinate] == "Tracker date"
        assert kinds[row[col["Progress"]].coordinate] == "Tracker percent"
        assert kinds[row[col["Action"]].coordinate] == "Tracker text"
    styles = {s.name: s for s in wb._named_styles}
    for kind in ("Tracker heading", "Tracker text", "Tracker date", "Tracker percent"):
        assert styles[kind].alignment.wrap_text and styles[kind].alignment.vertical == "top"
    assert styles["Tracker heading"].font.bold
    assert styles["Tracker heading"].fill.fgColor.rgb[-6:] == "D9D9D9"
    assert styles["Tracker date"].number_format == "d mmm yyyy"
    assert styles["Tracker percent"].number_format == '0"%"'
    for colour in Brag:
        assert styles[f"Tracker {colour.value}"].fill.fgColor.rgb[-6:] == BRAG_HEX[colour]
    # The cells look as their kind does (the summary sheet's cells are each their own).
    for row in ws.iter_rows():
        for cell in row:
            kind = styles[kinds[cell.coordinate]]
            assert (cell.font, cell.fill, cell.alignment, cell.number_format) == (
                kind.font,
                kind.fill,
                kind.alignment,
                kind.number_format,
            ), cell.coordinate


def test_portfolio_each_kind_of_cell_is_one_named_style(loaded: Store) -> None:
    """The portfolio's heading is one kind, but the colour counts' headings each their colour's;
    its dates, % complete and the rest each one kind, whichever row they are in."""
    ws = sheet_of(export_portfolio_xlsx(loaded), "Portfolio")
    kinds = kind_of_each_cell(ws)
    coloured = {c.value.capitalize(): f"Tracker {c.value}" for c in Brag}
    expected = {c.coordinate: coloured.get(str(c.value), "Tracker heading") for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        for name, cell in zip(PORTFOLIO_COLUMNS, row, strict=True):
            if isinstance(cell.value, datetime):
                expected[cell.coordinate] = "Tracker date"
            elif name == "% complete":
                expected[cell.coordinate] = "Tracker percent"
            else:
                expected[cell.coordinate] = "Tracker text"
    assert kinds == expected
    assert "Tracker date" in kinds.values()  # the dates are there to be checked


# Portfolio -----------------------------------------------------------------------------------


def test_portfolio_workbook_has_one_row_per_plan(loaded: Store) -> None:
    with loaded.read() as session:
        ws = sheet_of(export_portfolio(SessionReader(session), TODAY, "xlsx"), "Portfolio")
        plans = {p.id: p for p in lists.plan_rows(SessionReader(session), TODAY)}
    assert ws.title == "Portfolio"
    assert [c.value for c in ws[1]] == list(PORTFOLIO_COLUMNS)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:P4"
    found = {
        r[0]: dict(zip(PORTFOLIO_COLUMNS, r, strict=True))
        for r in ws.iter_rows(2, values_only=True)
    }
    assert (
        set(found)
        == set(plans)
        == {
            "stockton-2010",
            "halton-warrington-2009",
            "cambridgeshire-2014",
        }
    )
    stockton = found["stockton-2010"]
    assert stockton["Clock"] == "submitted on time 2 Feb 2010"
    assert stockton["Submission due"] == datetime(2010, 2, 3)
    assert (stockton["Actions"], stockton["% complete"]) == (13, 38)
    assert [stockton[c] for c in ("Red", "Amber", "Green", "Blue", "Overdue")] == [2, 3, 4, 4, 1]
    assert stockton["Evidence awaiting review"] == 6
    assert (stockton["Recommendations"], stockton["Signed off"]) == (5, 0)
    assert found["halton-warrington-2009"]["Submission due"] is None  # publication unknown
    header = {c.value: c for c in ws[1]}
    assert header["Red"].fill.fgColor.rgb[-6:] == BRAG_HEX[Brag.RED]


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_portfolio_refuses_other_formats(loaded: Store, fmt: str) -> None:
    with loaded.read() as session, pytest.raises(services.ServiceError, match="xlsx, html"):
        export_portfolio(SessionReader(session), date(2010, 9, 15), fmt)
