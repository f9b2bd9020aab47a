"""The plan as a spreadsheet, one row per action, in the columns councils use: XLSX (written
with openpyxl: a summary sheet with the plan, its BRAG counts and a native bar chart, then the
actions with a frozen header, filters, the BRAG cell filled in its colour, printing on A4
landscape) and CSV (the csv
module, UTF-8 with a byte-order mark so that Excel reads it as UTF-8).

Stored text is cleaned of control characters (openpyxl refuses some of them, and a terminal
escape must never reach a file). No text becomes a formula: in XLSX every text cell is written
as a string, and in CSV a cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
leading `'`, as OWASP advises against CSV injection.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from tracker.exporters.data import (
    BRAG_HEX,
    BRAG_INK,
    BRAG_ORDER,
    brag_label,
    kind_name,
)
from tracker.exporters.office import DatedZip, xml_text

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.worksheet.worksheet import Worksheet

    from tracker.exporters.data import ActionInfo, PlanData
    from tracker.vocab import Brag

COLUMNS = (
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
"""The spreadsheet's columns, in order."""

WIDTHS = (8, 50, 22, 60, 26, 12, 12, 9, 9, 50, 45, 12)
"""Each column's width in XLSX, in characters."""

Cell = str | int | float | date | None


def row_values(info: ActionInfo) -> list[Cell]:
    """An action's cells, in `COLUMNS` order, text cleaned of control characters."""
    r = info.row
    return [
        xml_text(r.ref),
        xml_text(info.recommendation_text),
        xml_text(r.owner) if r.owner else None,
        xml_text(r.text),
        xml_text(r.lead) if r.lead else None,
        r.target,
        r.status.value,
        brag_label(r.brag),
        r.progress,
        xml_text(info.success_measure) if info.success_measure else None,
        xml_text("; ".join(e.summary() for e in info.evidence)) or None,
        r.last_update,
    ]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def render_csv(data: PlanData) -> bytes:
    """The plan's actions as CSV: a header row, then one row per action. Dates are ISO
    (`2010-06-30`), progress a whole number of percent."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for info in data.actions:
        writer.writerow([_csv_cell(v) for v in row_values(info)])
    return out.getvalue().encode("utf-8-sig")


HEADING_FILL = "D9D9D9"
DATE_FORMAT = "d mmm yyyy"
PERCENT_FORMAT = '0"%"'
"""A progress or % complete, held as a whole number of percent."""


HEADING, TEXT, DATE, PERCENT = "Tracker heading", "Tracker text", "Tracker date", "Tracker percent"
"""The kinds of cell in a table sheet, each a named style of the workbook (its name is what
Excel's Cell Styles shows): the heading row (bold, shaded); text and plain numbers; a date
(`d mmm yyyy`); a whole number of percent (`38%`). `brag_kind` names a colour's."""


def brag_kind(colour: Brag) -> str:
    """The named style of a cell filled in a BRAG colour (bold, in the colour's ink)."""
    return f"Tracker {colour.value}"


class Kinds:
    """A workbook's kinds of cell: each one named style, added to the workbook once, whose look
    (font, fill, wrapping, number format) every cell of the kind shares.

    A cell is made with its kind's style, rather than styled after it is made: each style
    object set on a cell (`cell.font = ...`) is looked up in the workbook's list, hashed and
    compared, at every assignment, and at ten times the national scale the portfolio has
    25,000 cells."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.styles: dict[str, StyleArray] = {}

    def add(
        self,
        name: str,
        *,
        bold: bool = False,
        ink: str | None = None,
        fill: str | None = None,
        number_format: str = "General",
    ) -> None:
        """Add the kind `name` to the workbook, its text wrapping at the top of the cell: bold
        (in `ink`, an RGB hex colour), filled in `fill`, numbers shown by `number_format`."""
        from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
        from openpyxl.styles.borders import DEFAULT_BORDER
        from openpyxl.styles.fonts import DEFAULT_FONT

        # Unless set, a cell has the workbook's default font and border, as it would have had
        # without a style: a NamedStyle's own defaults are empty ones.
        style = NamedStyle(
            name,
            font=Font(bold=True, color=ink) if bold else DEFAULT_FONT,
            border=DEFAULT_BORDER,
            fill=PatternFill(fill_type="solid", fgColor=fill) if fill else None,
            alignment=Alignment(vertical="top", wrap_text=True),
            number_format=number_format,
        )
        self.wb.add_named_style(style)
        self.styles[name] = style.as_tuple()

    def add_table_kinds(self, colours: bool = False) -> None:
        """The kinds every table sheet has (`HEADING`, `TEXT`, `DATE`, `PERCENT`), and with
        `colours` one per BRAG colour."""
        self.add(HEADING, bold=True, fill=HEADING_FILL)
        self.add(TEXT)
        self.add(DATE, number_format=DATE_FORMAT)
        self.add(PERCENT, number_format=PERCENT_FORMAT)
        if colours:
            for colour in BRAG_ORDER:
                self.add(brag_kind(colour), bold=True, ink=BRAG_INK[colour], fill=BRAG_HEX[colour])

    def append(self, ws: Worksheet, values: Sequence[Cell], kinds: Sequence[str]) -> None:
        """Add a row below the sheet's last: each value a cell of the kind its column has in
        `kinds`, but a date always a `DATE` (shown `d mmm yyyy`). Numbers are numbers, and
        text is always text, never a formula. An empty cell keeps its kind's look, so that
        what is typed into it later wraps like the rest."""
        from openpyxl.cell.cell import Cell as SheetCell

        styles, date_style = self.styles, self.styles[DATE]
        cells = []
        # Each cell made at A1: `ws.append` gives it its place.
        for value, kind in zip(values, kinds, strict=True):
            if isinstance(value, str):
                cell = SheetCell(ws, 1, 1, value, styles[kind])
                cell.data_type = "s"
            elif isinstance(value, date):
                cell = SheetCell(ws, 1, 1, value, date_style)
            else:
                cell = SheetCell(ws, 1, 1, value, styles[kind])
            cells.append(cell)
        ws.append(cells)


def table_sheet(ws: Worksheet, widths: tuple[int, ...], rows: int) -> None:
    """A table sheet's layout, its rows written: the heading row stays in view (frozen),
    filters on every column, and column widths."""
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{rows + 1}"


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector off while a workbook is built and written: a large sheet is tens
    of thousands of cell objects, none garbage until the file is written, and each pass of the
    collector would scan them again (about a tenth of the time at ten times the national
    scale). It is turned back on, if it was on, however the block ends."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def put(ws: Worksheet, row: int, values: list[Cell]) -> None:
    """Write one row of values: dates as dates (shown `d mmm yyyy`), numbers as numbers,
    and text always as text, never as a formula."""
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        if value is None:
            continue
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT


def print_setup(ws: Worksheet, title: str) -> None:
    """Print a sheet as it reads: A4 landscape, as wide as one page (as many pages long as it
    takes), the heading row repeated on every page, and the title and page number in the
    header and footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None  # a new sheet has both
    header.center.text = xml_text(title).replace("&", "&&")
    footer.right.text = "Page &P of &N"


SUMMARY_ROWS = 12
"""The row of the summary sheet where its BRAG table starts (after the plan's facts)."""


def _summary_sheet(ws: Worksheet, data: PlanData) -> None:
    """The plan, the BRAG counts with each colour's cell filled, % complete and overdue, and
    a native Excel bar chart of the counts, one bar in each colour."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.chart.marker import DataPoint
    from openpyxl.styles import Font, PatternFill

    d, s = data.detail, data.summary
    ws["A1"] = xml_text(data.title)
    ws["A1"].font = Font(bold=True, size=14)
    facts: list[tuple[str, Cell]] = [
        ("Plan", d.id),
        ("Area", xml_text(d.area)),
        ("Inspection", kind_name(d.kind)),
        ("Status", d.status.value),
        ("Submission due", d.submission_due),
        ("Four-week clock", xml_text(d.clock)),
        ("Next board meeting", d.next_meeting),
        ("As of", data.today),
    ]
    if data.filtered:
        facts.append(("Covers", f"{len(data.actions)} of the plan's {data.total_actions} actions"))
    for i, (name, value) in enumerate(facts, start=3):
        put(ws, i, [name, value if value is not None else "unknown"])
        ws.cell(row=i, column=1).font = Font(bold=True)
    top = SUMMARY_ROWS + (1 if data.filtered else 0)
    put(ws, top, ["Colour", "Actions", "Share"])
    for cell in ws[top]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill(fill_type="solid", fgColor="D9D9D9")
    for i, colour in enumerate(BRAG_ORDER, start=top + 1):
        n = s.counts.get(colour, 0)
        put(ws, i, [colour.value.capitalize(), n, round(n / s.total, 4) if s.total else 0])
        label = ws.cell(row=i, column=1)
        label.fill = PatternFill(fill_type="solid", fgColor=BRAG_HEX[colour])
        label.font = Font(bold=True, color=BRAG_INK[colour])
        ws.cell(row=i, column=3).number_format = "0%"
    last = top + len(BRAG_ORDER)
    put(ws, last + 1, ["Total", s.total])
    ws.cell(row=last + 1, column=1).font = Font(bold=True)
    put(ws, last + 3, ["Complete", f"{s.percent_complete}% ({s.complete} of {s.total} actions)"])
    put(ws, last + 4, ["Overdue", s.overdue])
    for row in (last + 3, last + 4):
        ws.cell(row=row, column=1).font = Font(bold=True)
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 10

    chart = BarChart()
    chart.type = "bar"
    chart.title = "Actions by BRAG colour"
    chart.legend = None
    chart.y_axis.title = "Actions"
    chart.y_axis.majorUnit = 1
    chart.x_axis.scaling.orientation = "maxMin"  # red at the top, as the table reads
    chart.add_data(Reference(ws, min_col=2, min_row=top + 1, max_row=last), titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=last))
    series = chart.series[0]
    for i, colour in enumerate(BRAG_ORDER):
        point = DataPoint(idx=i)
        point.graphicalProperties.solidFill = BRAG_HEX[colour]
        point.graphicalProperties.line.solidFill = BRAG_HEX[colour]
        series.dPt.append(point)
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    chart.width, chart.height = 14, 7
    ws.add_chart(chart, "E3")
    print_setup(ws, f"Summary: {data.title}")
    ws.page_setup.fitToHeight = 1


def render_xlsx(data: PlanData) -> bytes:
    """The plan as an XLSX workbook: sheet "Summary" (the plan, its BRAG counts and a bar
    chart of them), then sheet "Actions" (the one it opens on), one row per action in
    `COLUMNS`, the BRAG cell filled in its colour, the heading frozen and filterable, printing
    on A4 landscape with the heading on every page."""
    from openpyxl import Workbook

    with collector_paused():
        wb = Workbook()
        summary = wb.active
        assert summary is not None
        summary.title = "Summary"
        _summary_sheet(summary, data)
        ws = wb.create_sheet("Actions")
        kinds = Kinds(wb)
        kinds.add_table_kinds(colours=True)
        kinds.append(ws, COLUMNS, [HEADING] * len(COLUMNS))
        columns = [PERCENT if name == "Progress" else TEXT for name in COLUMNS]
        brag_col = COLUMNS.index("BRAG")
        for info in data.actions:
            columns[brag_col] = brag_kind(info.row.brag.colour)
            kinds.append(ws, row_values(info), columns)
        table_sheet(ws, WIDTHS, len(data.actions))
        print_setup(ws, f"Actions: {data.title}")
        # It opens on the actions, as it always has (scripts and people read its active
        # sheet), with the summary the first tab.
        wb.active = ws
        return save(wb, data.title, data.today)


def save(wb: object, title: str, today: date) -> bytes:
    """The workbook's bytes, with its title set and its dates (created, modified, and each
    part of the package) set to `today` rather than the clock: the file says when it was true
    of the plan, and the same plan on the same day gives the same bytes."""
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    assert isinstance(wb, Workbook)
    stamp = datetime(today.year, today.month, today.day)
    wb.properties.title = xml_text(title)
    wb.properties.creator = "YOS improvement plan tracker"
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    # Workbook.save would stamp "modified" with the clock; the writer it uses does not.
    with DatedZip(buffer, today) as archive:
        ExcelWriter(wb, archive).save()
    return buffer.getvalue()
