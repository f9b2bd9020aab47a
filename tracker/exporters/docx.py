"""The board report as a Word document (written with python-docx), for councils whose board
papers go out as DOCX. It draws the document `tracker.exporters.layout` lays out: tables in
Word's grid style with a bold heading row repeated on each printed page, every colour's cell
filled in that colour, and the BRAG chart as a column of bars (inline pictures, each as long
as its count) beside the counts.

Every stored text is cleaned of control characters (which Word's XML cannot hold, and which must
never reach a file raw) through `office.xml_text`.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from tracker.exporters.blocks import (
    Block,
    Cell,
    Chart,
    Column,
    Document,
    Heading,
    Item,
    ItemList,
    Listing,
    Paragraph,
    Table,
)
from tracker.exporters.board import BoardReport
from tracker.exporters.data import BRAG_HEX, BRAG_INK
from tracker.exporters.layout import board_document
from tracker.exporters.office import solid_png, stable_zip
from tracker.exporters.office import xml_text as clean
from tracker.vocab import Brag

if TYPE_CHECKING:
    from docx.document import Document as Word
    from docx.table import _Cell


def _shade(cell: _Cell, colour: Brag) -> None:
    """Fill a table cell in a BRAG colour, with text that stays readable on it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), BRAG_HEX[colour])
    cell._tc.get_or_add_tcPr().append(shading)
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.font.bold = True
            run.font.color.rgb = RGBColor.from_string(BRAG_INK[colour])


def _cell_text(cell: Cell) -> str:
    text = "; ".join(cell.items) if cell.items else cell.text
    return text if cell.note is None else f"{text}\n{cell.note}"


BAR_MM = 70
"""The length of the longest bar of a chart, in millimetres."""


def _bars(cells: list[_Cell], chart: Chart) -> None:
    """Draw `chart` as a column of bars: in each of `cells` (the rows its bars stand for), an
    inline picture of its colour as long as its share of the longest, with the chart's words
    as the picture's description for whoever cannot see it."""
    from docx.shared import Mm

    most = max([*(b.count for b in chart.bars), 1])
    for cell, bar in zip(cells, chart.bars, strict=False):
        if not bar.count:
            continue
        picture = io.BytesIO(solid_png(BRAG_HEX[bar.colour]))
        run = cell.paragraphs[0].add_run()
        shape = run.add_picture(picture, width=Mm(BAR_MM * bar.count / most), height=Mm(4))
        shape._inline.docPr.set("descr", clean(f"{bar.label}: {bar.count}"))
        shape._inline.docPr.set("name", clean(f"{bar.label} bar"))


def _table(doc: Word, block: Table) -> None:
    """A grid table, with a bold heading row (repeated on each printed page) when it has
    columns; row heads and strong cells in bold, colours' cells filled, and a chart drawn as
    a last column of bars."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if block.chart is not None and block.columns:
        chart = block.chart
        columns = (*block.columns, Column(chart.column))
        rows = tuple((*row, Cell()) for row in block.rows)
        _table(doc, Table(columns, rows, block.row_heads, block.narrow))
        table = doc.tables[-1]
        _bars([row.cells[-1] for row in table.rows[1:]], chart)
        return
    width = len(block.columns) or max((len(row) for row in block.rows), default=1)
    table = doc.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    if block.columns:
        head = table.add_row()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        head._tr.get_or_add_trPr().append(repeat)
        for word_cell, column in zip(head.cells, block.columns, strict=True):
            word_cell.paragraphs[0].add_run(clean(column.title)).bold = True
    for row in block.rows:
        for i, (word_cell, cell) in enumerate(zip(table.add_row().cells, row, strict=True)):
            word_cell.text = clean(_cell_text(cell))
            if cell.strong or (block.row_heads and i == 0):
                for run in word_cell.paragraphs[0].runs:
                    run.bold = True
            if cell.brag is not None:
                _shade(word_cell, cell.brag)


def _item(doc: Word, item: Item, style: str) -> None:
    """A list item as one paragraph in a list style, its further lines after line breaks; a
    run of text in bold (strong, or a colour's label) or not is one Word run."""
    pieces = [(run.text, run.strong or run.brag is not None) for run in item.line]
    pieces += [(f"\n{line}", False) for line in item.more]
    runs: list[tuple[str, bool]] = []
    for text, bold in pieces:
        if runs and runs[-1][1] == bold:
            text = runs.pop()[0] + text
        runs.append((text, bold))
    paragraph = doc.add_paragraph(style=style)
    for text, bold in runs:
        word_run = paragraph.add_run(clean(text))
        if bold:
            word_run.bold = True


def _block(doc: Word, block: Block) -> None:
    match block:
        case Heading(text, level):
            doc.add_heading(clean(text), level=level - 1)
        case Paragraph(text):
            doc.add_paragraph(clean(text))
        case Table():
            _table(doc, block)
        case ItemList(items, numbered):
            for item in items:
                _item(doc, item, "List Number" if numbered else "List Bullet")
        case Listing(shown, _):
            _table(doc, shown)


def render_document(doc: Document, today: date) -> bytes:
    """A document as DOCX (A4). Its core properties (title, dates) and the dates inside the
    package come from the document and `today`, not the clock, so that the same document on
    the same day is the same bytes. The footer is left out."""
    from docx import Document as new_document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    word = new_document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    stamp = datetime.combine(today, time.min, UTC)
    props = word.core_properties
    props.title = clean(doc.title)
    props.author = "YOS improvement plan tracker"
    props.created = props.modified = stamp
    word.add_heading(clean(doc.title), level=0)
    for paragraph in doc.intro:
        _block(word, paragraph)
    for part in doc.sections:
        word.add_heading(clean(part.heading), level=1)
        for block in part.blocks:
            _block(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return stable_zip(buffer.getvalue(), today)


def render_docx(report: BoardReport) -> bytes:
    """The board report as a DOCX document (A4)."""
    return render_document(board_document(report), report.today)
