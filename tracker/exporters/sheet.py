"""The plan as a spreadsheet, one row per action, in the columns councils use: XLSX (written
with openpyxl: a frozen header, filters, the BRAG cell filled in its colour) and CSV (the csv
module, UTF-8 with a byte-order mark so that Excel reads it as UTF-8).

Stored text is cleaned of control characters (openpyxl refuses some of them, and a terminal
escape must never reach a file). No text becomes a formula: in XLSX every text cell is written
as a string, and in CSV a cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
leading `'`, as OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import TYPE_CHECKING

from tracker.exporters.data import (
    BRAG_HEX,
    BRAG_INK,
    ActionInfo,
    PlanData,
    brag_label,
)
from tracker.exporters.office import stable_zip, xml_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

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

Cell = str | int | date | None


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
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for info in data.actions:
        writer.writerow([_csv_cell(v) for v in row_values(info)])
    return out.getvalue().encode("utf-8-sig")


def style_sheet(ws: Worksheet, widths: tuple[int, ...], rows: int) -> None:
    """A bold, shaded header row that stays in view (frozen), filters on every column, and
    column widths; text wraps and sits at the top of its cell."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill(fill_type="solid", fgColor="D9D9D9")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{rows + 1}"
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap


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
            cell.number_format = "d mmm yyyy"


def render_xlsx(data: PlanData) -> bytes:
    """The plan's actions as an XLSX workbook: sheet "Actions" in `COLUMNS`, the BRAG cell
    filled in its colour, the header frozen and filterable."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Actions"
    put(ws, 1, list(COLUMNS))
    brag_col = COLUMNS.index("BRAG") + 1
    progress_col = COLUMNS.index("Progress") + 1
    for i, info in enumerate(data.actions, start=2):
        put(ws, i, row_values(info))
        colour = info.row.brag.colour
        cell = ws.cell(row=i, column=brag_col)
        cell.fill = PatternFill(fill_type="solid", fgColor=BRAG_HEX[colour])
        cell.font = Font(bold=True, color=BRAG_INK[colour])
        ws.cell(row=i, column=progress_col).number_format = '0"%"'
    style_sheet(ws, WIDTHS, len(data.actions))
    return save(wb, data.title, data.today)


def save(wb: object, title: str, today: date) -> bytes:
    """The workbook's bytes, with its title set and its dates (created, modified, and each
    part of the package) set to `today` rather than the clock: the file says when it was true
    of the plan, and the same plan on the same day gives the same bytes."""
    import zipfile
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
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return stable_zip(buffer.getvalue(), today)
