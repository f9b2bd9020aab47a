"""Dialogs for what leaves the tracker: a plan's exports and the portfolio. Importing a report
is in `importing`, the YJB's review in `review`."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label, Select, Static

from tracker.tui.dialogs.base import Dialog

PACK = "pack"
"""The board pack: the board report in Word and as a web page, and the spreadsheet."""
PACK_FORMATS = ("docx", "html", "xlsx")
EXPORT_FORMATS = [
    ("Board report, Word (docx)", "docx"),
    ("Board pack: Word, web page and spreadsheet beside it, recorded once", PACK),
    ("Board report, web page (html)", "html"),
    ("Board report, Markdown (md)", "md"),
    ("Spreadsheet (xlsx)", "xlsx"),
    ("Spreadsheet, plain (csv)", "csv"),
    ("Calendar of target dates (ics)", "ics"),
    ("Plan file for the YJB (toml, whole plan)", "toml"),
]
BOARD_FORMATS = ("docx", "html", "md", PACK)
PORTFOLIO_FORMATS = [("Workbook (xlsx)", "xlsx"), ("Web page (html)", "html")]


@dataclass(frozen=True)
class ExportRequest:
    """Where and how to export: the format, the file, and whether a board report is recorded
    as issued (the next one lists what changed since)."""

    fmt: str
    path: str
    record: bool = False

    def outputs(self) -> list[tuple[str, str]]:
        """Each (format, file) to write: one, or for the board pack one per format, the
        file's name with that format's ending."""
        if self.fmt != PACK:
            return [(self.fmt, self.path)]
        stem, dot, ending = self.path.rpartition(".")
        base = stem if dot and ending in (PACK, *PACK_FORMATS) else self.path
        return [(fmt, f"{base}.{fmt}") for fmt in PACK_FORMATS]


class FileExportDialog(Dialog[ExportRequest]):
    """Choose a format and the file to write; the file's ending follows the format."""

    OK_LABEL = "Export"
    SUBMIT_ON_ENTER = False
    FORMATS = PORTFOLIO_FORMATS

    def __init__(self, title: str, default_stem: str) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self.default_stem = default_stem

    def ending(self, fmt: str) -> str:
        """The file ending shown for format `fmt`."""
        return fmt

    def fields(self) -> ComposeResult:
        first = self.FORMATS[0][1]
        yield Label("Format")
        yield Select(self.FORMATS, id="format", value=first, allow_blank=False)
        yield Label("File")
        yield Input(f"{self.default_stem}.{self.ending(first)}", id="path")

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        stem, dot, _ = path.value.rpartition(".")
        path.value = f"{stem if dot else path.value}.{self.ending(str(event.value))}"

    def chosen(self) -> tuple[str, str]:
        """The format and the file, checked."""
        fmt = str(self.query_one("#format", Select).value)
        path = self.query_one("#path", Input).value.strip()
        if not path:
            raise ValueError("give the file to write")
        return fmt, path

    def result(self) -> ExportRequest:
        return ExportRequest(*self.chosen())


class PortfolioExportDialog(FileExportDialog):
    """Export the portfolio: one row per plan, for a reviewer covering many services."""

    def __init__(self, default_stem: str) -> None:
        super().__init__("Export the portfolio (every plan, one row each)", default_stem)


class ExportDialog(FileExportDialog):
    """Export the plan (as filtered on screen) to a file. A board report of the whole plan may
    be recorded as issued; a filtered one never is, since the next report would then skip the
    changes to the actions it left out."""

    FORMATS = EXPORT_FORMATS

    def ending(self, fmt: str) -> str:
        # The pack's files are named after the Word file's: board.docx, board.html, board.xlsx.
        return PACK_FORMATS[0] if fmt == PACK else fmt

    def __init__(self, what: str, default_stem: str, can_record: bool, filtered: bool) -> None:
        super().__init__(f"Export {what}", default_stem)
        self.can_record = can_record
        self.filtered = filtered

    def fields(self) -> ComposeResult:
        yield from super().fields()
        recordable = self.can_record and not self.filtered
        yield Checkbox(
            "Record as the board report issued now",
            value=recordable,
            id="record",
            disabled=not recordable,
        )
        if self.filtered:
            note = (
                "Filtered: not recorded as the board report issued, so the next board "
                "report still lists the changes to the actions left out here."
            )
        elif not self.can_record:
            note = "Not recorded as a board report issued: this session cannot write."
        else:
            note = ""
        yield Static(note, id="record-note", classes="dialog-note")

    @on(Select.Changed, "#format")
    def _record_follows_format(self, event: Select.Changed) -> None:
        board = str(event.value) in BOARD_FORMATS
        self.query_one("#record", Checkbox).disabled = (
            not self.can_record or self.filtered or not board
        )

    def result(self) -> ExportRequest:
        fmt, path = self.chosen()
        record = self.can_record and not self.filtered and fmt in BOARD_FORMATS
        return ExportRequest(fmt, path, record and self.query_one("#record", Checkbox).value)
