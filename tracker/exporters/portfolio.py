"""The reviewer's portfolio: one row per plan (clock, status, % complete, colours, overdue,
evidence awaiting review, recommendations signed off), as an XLSX workbook or a
self-contained HTML page.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tracker.exporters.data import (
    BRAG_ORDER,
    PORTFOLIO_COLUMNS,
    PORTFOLIO_NUMBERS,
    PortfolioRow,
    day,
    portfolio_values,
)
from tracker.exporters.office import xml_text

if TYPE_CHECKING:
    from tracker.exporters.blocks import Column

WIDTHS = (24, 26, 11, 14, 30, 12, 9, 11, 7, 7, 7, 7, 9, 12, 16, 10)
"""Each portfolio column's width in XLSX, in characters."""


def render_portfolio_xlsx(rows: list[PortfolioRow], today: date) -> bytes:
    """The portfolio as an XLSX workbook: sheet "Portfolio", frozen header, filters, and the
    colour count columns headed in their colour. Each kind of cell is one named style of the
    workbook (`tracker.exporters.sheet.Kinds`)."""
    from openpyxl import Workbook

    from tracker.exporters.sheet import (
        HEADING,
        PERCENT,
        TEXT,
        Kinds,
        brag_kind,
        collector_paused,
        print_setup,
        save,
        table_sheet,
    )

    title = f"Improvement plans portfolio, {day(today)}"
    with collector_paused():
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Portfolio"
        kinds = Kinds(wb)
        kinds.add_table_kinds(colours=True)
        coloured = {c.value.capitalize(): brag_kind(c) for c in BRAG_ORDER}
        kinds.append(ws, PORTFOLIO_COLUMNS, [coloured.get(c, HEADING) for c in PORTFOLIO_COLUMNS])
        columns = [PERCENT if c == "% complete" else TEXT for c in PORTFOLIO_COLUMNS]
        for row in rows:
            values = portfolio_values(row)
            kinds.append(ws, [xml_text(v) if isinstance(v, str) else v for v in values], columns)
        table_sheet(ws, WIDTHS, len(rows))
        print_setup(ws, title)
        return save(wb, title, today)


def _page_columns() -> list[Column]:
    """The portfolio's columns as the page shows them: the four colour counts as one BRAG
    column (their letters and a bar), and the recommendations signed off as `1 of 5`."""
    from tracker.exporters.blocks import Column

    shown = []
    for name in PORTFOLIO_COLUMNS:
        if name in ("Amber", "Green", "Blue", "Recommendations"):
            continue
        shown.append(Column("BRAG") if name == "Red" else Column(name, name in PORTFOLIO_NUMBERS))
    return shown


def render_portfolio_html(rows: list[PortfolioRow], today: date) -> bytes:
    """The portfolio as one self-contained HTML page: a table of every plan with a small BRAG
    chart for each. The page takes the window's width, and its cells wrap (the colour bar
    shrinks with its column), so that every column is in view in a window 1,400 pixels wide;
    narrower, the table scrolls sideways inside the page."""
    # Imported here: the spreadsheet needs none of the page's modules.
    from tracker.exporters.html import brag_stack, e, page, table

    cells = []
    for row in rows:
        p = row.plan
        counts = " ".join(
            f'<span class="brag brag-{c.value}">{c.value[0].upper()}'
            f"{p.summary.counts.get(c, 0)}</span>"
            for c in BRAG_ORDER
        )
        cells.append(
            (
                e(p.id),
                e(p.area),
                e(p.kind.value),
                day(p.submission_due) or "unknown",
                e(row.clock),
                e(p.status.value),
                str(p.summary.total),
                f"{p.summary.percent_complete}%",
                f'<span class="counts">{counts}</span>{brag_stack(p.summary.counts)}',
                str(p.summary.overdue),
                str(row.awaiting_review),
                f"{row.signed_off} of {row.recommendations}",
            )
        )
    body = [
        "<header>",
        "<h1>Improvement plans: portfolio</h1>",
        f'<p class="meta">{len(rows)} plans, most urgent first, as of {day(today)}</p>',
        "</header>",
        "<main>",
        '<div class="scroll">',
        table(_page_columns(), cells),
        "</div>",
        "</main>",
    ]
    footer = (
        f"Portfolio as of {day(today)}. Clock: the four-week rule (plan due with HMIP four "
        "weeks after publication). Produced by the YOS improvement plan tracker."
    )
    return page(f"Improvement plans portfolio, {day(today)}", body, footer, wide=True)
