"""The board report as one self-contained HTML file: opens in any browser, can be emailed as
an attachment, and prints cleanly on A4. It draws the document `tracker.exporters.layout` lays
out; the portfolio page (`tracker.exporters.portfolio`) shares the page, its table and its
colours.

No external reference of any kind (no stylesheet, script, font or image is fetched): the styles
are inline, the BRAG chart is inline SVG. Every stored text is cleaned of control characters
and escaped with `html.escape`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence

from tracker.exporters.blocks import (
    Block,
    Cell,
    Chart,
    Column,
    Document,
    Heading,
    ItemList,
    Listing,
    Paragraph,
    Run,
    Table,
)
from tracker.exporters.board import BoardReport
from tracker.exporters.data import BRAG_HEX, BRAG_INK, BRAG_ORDER
from tracker.exporters.layout import board_document
from tracker.text import clean, has_control
from tracker.vocab import Brag

CSS = (
    """
@page { size: A4; margin: 15mm 12mm; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; font-size: 11pt; color: #1a1a1a;
  line-height: 1.4; max-width: 62rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #444; padding-bottom: .1em; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin-bottom: .2em; }
.meta, .small, footer { color: #444; }
.small { font-size: .9em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
th, td { border: 1px solid #999; padding: .25em .45em; text-align: left; vertical-align: top; }
thead th { background: #e8e8e8; }
table.facts { width: auto; }
table.facts th { background: #f3f3f3; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
.nowrap { white-space: nowrap; }
.brag { font-weight: 700; white-space: nowrap; }
"""
    + "".join(
        f".brag-{c.value} {{ background: #{BRAG_HEX[c]}; color: #{BRAG_INK[c]}; }}\n"
        for c in BRAG_ORDER
    )
    + """
.note { color: #333; font-size: .92em; margin-top: .25em; }
ol.decisions li { margin-bottom: .5em; }
svg.chart { display: block; margin: .5em 0; }
body.wide { max-width: none; margin: 1rem; padding: 0; }
.scroll { overflow-x: auto; }
svg.stack { display: block; width: 100%; max-width: 200px; min-width: 4em; margin-top: .2em; }
.counts { white-space: normal; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; }
  tr, li, svg, table.facts { break-inside: avoid; }
  thead { display: table-header-group; }
  .brag, thead th, svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer { font-size: 8pt; }
}
"""
)
"""The page's styles: screen and A4 print."""


# Text `e` leaves as it is: most of a page's text, and matching is cheaper than escaping.
_PLAIN = re.compile("[^&<>\"'\x00-\x08\x0b-\x1f\x7f-\x9f]*")


def e(text: object) -> str:
    """Stored text made safe inside HTML: control characters visible, then escaped."""
    shown = text if isinstance(text, str) else "" if text is None else str(text)
    if _PLAIN.fullmatch(shown) and not has_control(shown):
        return shown
    return html.escape(clean(shown))


def page(title: str, body: Iterable[str], footer: str, *, wide: bool = False) -> bytes:
    """A complete HTML document, UTF-8: the inline styles, `body` and a footer (`body` and
    `footer` are HTML already escaped). A `wide` page (a table of many columns) takes the
    window's whole width rather than a column of text's."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        '<body class="wide">' if wide else "<body>",
        *body,
        f'<footer class="small">{footer}</footer>',
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    cls: str = "",
    *,
    row_heads: bool = False,
) -> str:
    """A table; the cells are HTML already escaped. Number columns are aligned right; with
    no `columns` there is no heading row, and with `row_heads` each row's first cell is its
    heading."""
    opens = ['<td class="num">' if c.numeric else "<td>" for c in columns]
    body = []
    for row in rows:
        cells = [f"{tag}{c}</td>" for tag, c in zip(opens or ["<td>"] * len(row), row, strict=True)]
        if row_heads:
            cells[0] = f"<th>{row[0]}</th>"
        body.append(f"<tr>{''.join(cells)}</tr>\n")
    attr = f' class="{cls}"' if cls else ""
    head = "".join(
        f'<th class="num">{e(c.title)}</th>' if c.numeric else f"<th>{e(c.title)}</th>"
        for c in columns
    )
    thead = f"<thead><tr>{head}</tr></thead>\n" if columns else ""
    return f"<table{attr}>\n{thead}<tbody>\n{''.join(body)}</tbody>\n</table>"


def brag_chart(chart: Chart, width: int = 460) -> str:
    """A chart as an inline SVG bar chart: one bar per colour, with its count. No namespace
    URL is written: an HTML parser places `<svg>` in the SVG namespace itself."""
    bar_left, row_h = 70, 26
    most = max([*(b.count for b in chart.bars), 1])
    scale = (width - bar_left - 40) / most
    rows = []
    for i, bar in enumerate(chart.bars):
        y, length = 6 + i * row_h, round(bar.count * scale, 1)
        rows.append(
            f'<text x="0" y="{y + 15}" font-size="13">{e(bar.label)}</text>'
            f'<rect x="{bar_left}" y="{y}" width="{length}" height="20" '
            f'fill="#{BRAG_HEX[bar.colour]}"></rect>'
            f'<text x="{bar_left + length + 6}" y="{y + 15}" font-size="13">{bar.count}</text>'
        )
    height = 12 + len(chart.bars) * row_h
    return (
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Arial, Helvetica, sans-serif">'
        f"<title>{e(chart.description)}</title>" + "".join(rows) + "</svg>"
    )


def brag_stack(counts: Mapping[Brag, int], width: int = 200) -> str:
    """The colours as one stacked inline SVG bar, each colour's share of the actions."""
    total = sum(counts.values())
    x, parts = 0.0, []
    for colour in BRAG_ORDER:
        n = counts.get(colour, 0)
        if not n:
            continue
        w = round(width * n / total, 1)
        parts.append(
            f'<rect x="{round(x, 1)}" y="0" width="{w}" height="14" fill="#{BRAG_HEX[colour]}">'
            f"<title>{colour.value.capitalize()}: {n}</title></rect>"
        )
        x += w
    label = ", ".join(f"{c.value} {counts.get(c, 0)}" for c in BRAG_ORDER)
    return (
        f'<svg class="stack" role="img" width="{width}" height="14" '
        f'viewBox="0 0 {width} 14" preserveAspectRatio="none">'
        f"<title>{label}</title>{''.join(parts)}</svg>"
    )


def brag_span(text: str, colour: Brag) -> str:
    """A colour's label (`Amber*`), escaped, on its colour."""
    return f'<span class="brag brag-{colour.value}">{e(text)}</span>'


def _runs(runs: tuple[Run, ...]) -> str:
    parts = []
    for run in runs:
        text = e(run.text) if run.brag is None else brag_span(run.text, run.brag)
        parts.append(f"<strong>{text}</strong>" if run.strong else text)
    return "".join(parts)


def _cell(cell: Cell) -> str:
    if cell.brag is not None:
        text = brag_span(cell.text, cell.brag)
    elif cell.items:
        text = "<br>".join(map(e, cell.items))
    else:
        text = e(cell.text)
    if cell.strong:
        text = f"<strong>{text}</strong>"
    if cell.nowrap:
        text = f'<span class="nowrap">{text}</span>'
    if cell.note is not None:
        text += f'<div class="note">{e(cell.note)}</div>'
    return text


def _table(block: Table) -> list[str]:
    drawn = [] if block.chart is None else [brag_chart(block.chart)]
    rows = ([_cell(c) for c in row] for row in block.rows)
    cls = "facts" if block.narrow else ""
    return [*drawn, table(block.columns, rows, cls, row_heads=block.row_heads)]


def _list(block: ItemList) -> list[str]:
    tag = "ol" if block.numbered else "ul"
    attr = f' class="{block.name}"' if block.name else ""
    items = [
        f"<li>{_runs(item.line)}"
        + "".join(f'<div class="note">{e(line)}</div>' for line in item.more)
        + "</li>"
        for item in block.items
    ]
    return [f"<{tag}{attr}>", *items, f"</{tag}>"]


def _block(block: Block) -> list[str]:
    match block:
        case Heading(text, level):
            return [f"<h{level}>{e(text)}</h{level}>"]
        case Paragraph(text, meta):
            return [f'<p class="meta">{e(text)}</p>' if meta else f"<p>{e(text)}</p>"]
        case Table():
            return _table(block)
        case ItemList():
            return _list(block)
        case Listing(shown, _):
            return _table(shown)


def render_document(doc: Document) -> bytes:
    """A document as a self-contained HTML page (UTF-8 bytes): the title and the lines about
    it in the page's header, each section under its anchor, the footer at the foot."""
    body = ["<header>", f"<h1>{e(doc.title)}</h1>"]
    for paragraph in doc.intro:
        body += _block(paragraph)
    body += ["</header>", "<main>"]
    for section in doc.sections:
        body += [f'<section id="{e(section.id)}">', f"<h2>{e(section.heading)}</h2>"]
        for block in section.blocks:
            body += _block(block)
        body.append("</section>")
    body.append("</main>")
    return page(doc.title, body, e(doc.footer))


def render_html(report: BoardReport) -> bytes:
    """The board report as a self-contained HTML document (UTF-8 bytes)."""
    return render_document(board_document(report))
