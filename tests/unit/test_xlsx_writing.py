"""How the XLSX writers write (issue 17), without a database: a row's cells made in their kind's
named style, the package dated as it is written, the collector paused while a sheet is built.
What the files hold is tests/store/test_export_office.py's and the golden tests'."""

from __future__ import annotations

import gc
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from tracker.exporters.office import DatedZip, stable_zip
from tracker.exporters.sheet import DATE, HEADING, PERCENT, TEXT, Kinds, collector_paused

DAY = date(2010, 9, 15)


def test_a_row_is_made_of_its_kinds_cells() -> None:
    """Each value takes its column's kind, but a date is always a date; text stays text (never
    a formula) and an empty cell keeps its kind's look, so what is typed into it wraps."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    kinds = Kinds(wb)
    kinds.add_table_kinds()
    kinds.append(ws, ["Ref", "Due", "Done", "Note"], [HEADING] * 4)
    kinds.append(ws, ["=1+1", DAY, 40, None], [TEXT, TEXT, PERCENT, TEXT])
    buffer = io.BytesIO()
    wb.save(buffer)
    back = openpyxl.load_workbook(buffer)
    sheet = back.active
    assert sheet is not None
    assert [c.style for c in sheet[1]] == [HEADING] * 4
    formula, due, done, empty = sheet[2]
    assert (formula.value, formula.data_type, formula.style) == ("=1+1", "s", TEXT)
    assert (due.value, due.style, due.number_format) == (datetime(2010, 9, 15), DATE, "d mmm yyyy")
    assert (done.value, done.style, done.number_format) == (40, PERCENT, '0"%"')
    assert empty.value is None and empty.style == TEXT and empty.alignment.wrap_text


def test_the_kinds_are_added_to_the_workbook_once() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    kinds = Kinds(wb)
    kinds.add_table_kinds(colours=True)
    added = list(wb.named_styles)
    for i in range(50):
        kinds.append(ws, [f"action {i}", DAY, i], [TEXT, TEXT, PERCENT])
    assert wb.named_styles == added
    assert added.count(TEXT) == 1 and "Tracker red" in added and len(added) == 9  # and Normal


@pytest.mark.parametrize("day", [DAY, date(1970, 1, 1), date(2200, 1, 1)])
def test_a_dated_zip_is_what_stable_zip_makes_of_the_same_members(
    day: date, tmp_path: Path
) -> None:
    """The package is dated as it is written: the bytes `stable_zip` made by rewriting it."""
    part = tmp_path / "sheet1.xml"
    part.write_bytes(b"<worksheet>" + b"<row/>" * 1000 + b"</worksheet>")
    plain, dated = io.BytesIO(), io.BytesIO()
    for archive in (zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED), DatedZip(dated, day)):
        with archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.write(part, "xl/worksheets/sheet1.xml")
    assert dated.getvalue() == stable_zip(plain.getvalue(), day)
    stamps = {i.date_time for i in zipfile.ZipFile(dated).infolist()}
    assert len(stamps) == 1 and stamps.pop()[0] == min(max(day.year, 1980), 2107)


def test_the_collector_is_paused_while_a_sheet_is_built_and_on_again_after() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a failed export")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
