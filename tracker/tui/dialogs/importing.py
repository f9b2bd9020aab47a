"""Importing an inspection report: a folder tree to pick the file, then a preview of what was
found, with its warnings, where the user corrects the area, the publication date and each
recommendation's owners before the draft plan is made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Checkbox, DirectoryTree, Input, Label, Static, TextArea

from tracker.text import one_line, uk_day
from tracker.tui.dialogs.base import Dialog, parse_optional_date

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tracker.importers import Finding

REPORT_SUFFIXES = (".txt", ".md", ".pdf", ".docx")


class ReportTree(DirectoryTree):
    """Folders and the files the importer reads (.txt, .md, .pdf, .docx); no hidden ones. Its
    top line is the folder's own name (`.` would say nothing)."""

    def __init__(self, path: Path, *, id: str | None = None) -> None:
        super().__init__(path, id=id)
        self.root.set_label(self.folder_name())

    def folder_name(self) -> str:
        """The shown folder's name."""
        resolved = Path(self.path).expanduser().resolve()
        return resolved.name or str(resolved)

    async def watch_path(self) -> None:
        await super().watch_path()
        self.root.set_label(self.folder_name())

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        found = []
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                folder = path.is_dir()
            except OSError:
                continue
            if folder or path.suffix.lower() in REPORT_SUFFIXES:
                found.append(path)
        return found


@dataclass(frozen=True)
class ImportRequest:
    """A report to read."""

    path: str


class ImportDialog(Dialog[ImportRequest]):
    """Choose an inspection report to read: pick it in the folder tree or type its path (a
    folder's path shows that folder)."""

    TITLE_TEXT = "Import an inspection report (.txt, .md, .pdf, .docx)"
    OK_LABEL = "Read it"
    WIDE = True

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def fields(self) -> ComposeResult:
        yield Label("Report file: choose it below (Enter) or type its path")
        yield Input(id="path", placeholder="/path/to/report.pdf")
        yield ReportTree(self.start, id="files")

    @on(DirectoryTree.FileSelected, "#files")
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)
        self.action_submit()

    def enter_pressed(self) -> None:
        typed = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if typed.is_dir():
            tree = self.query_one("#files", ReportTree)
            tree.path = typed
            tree.focus()
            return
        self.action_submit()

    def result(self) -> ImportRequest:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            raise ValueError("choose the report's file")
        return ImportRequest(path)


@dataclass(frozen=True)
class CorrectedImport:
    """What the user confirmed: the report's finding as read, the corrections to make to it
    (None: as the report says; `owners` only for the recommendations whose owners were
    changed), and the plan id (None: the default, from the area and year). The importer makes
    the corrections (`tracker.importers.import_report(..., area=, published=, owners=)`)."""

    finding: Finding
    plan_id: str | None = None
    area: str | None = None
    published: date | None = None
    owners: dict[str, list[str]] = field(default_factory=dict)

    def corrected(self) -> Finding:
        """The finding as corrected (a copy); ReportError naming a correction it refuses."""
        from tracker.importers import correct

        return correct(self.finding, area=self.area, published=self.published, owners=self.owners)


def added_recommendations(text: str, after: list[str]) -> list[tuple[str, str, list[str]]]:
    """Recommendations typed by hand, one a line, owners after ` | ` separated by `;`
    ("Improve the quality of plans | Head of Service"), each given the next free number after
    the refs `after`: (ref, text, owners). ValueError for a line with owners and no text."""
    numbers = [int(ref) for ref in after if ref.isdigit()]
    next_ref = max(numbers, default=0) + 1
    added: list[tuple[str, str, list[str]]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        words, _, owners = line.partition("|")
        words = " ".join(words.split())
        if not words:
            raise ValueError("Added recommendations: a line has owners but no text")
        while str(next_ref) in after:
            next_ref += 1
        added.append((str(next_ref), words, owners_from(owners)))
        next_ref += 1
    return added


def owners_text(owners: list[str]) -> str:
    """A recommendation's owners as the preview edits them: `A; B` (a role may hold commas)."""
    return "; ".join(owners)


def owners_from(text: str) -> list[str]:
    """Owners typed as `A; B`; an empty field is no owner stated."""
    return [" ".join(part.split()) for part in text.split(";") if part.strip()]


class ImportPreview(Dialog[CorrectedImport]):
    """What the importer found, with its warnings, for the user to correct (area, publication
    date, plan id, each recommendation's owners) before the draft plan is made. `answer` is
    an earlier try (refused), whose corrections the fields start from."""

    OK_LABEL = "Make the draft plan"
    WIDE = True
    SUBMIT_ON_ENTER = False
    AUTO_FOCUS = ""
    """Focus goes to the area's field without scrolling: the warnings above it come first."""

    def __init__(self, answer: CorrectedImport, name: str, error: str = "") -> None:
        super().__init__()
        self.finding = answer.finding
        self.answer = answer
        self.error = error
        self.field_error = False
        self.existing: str | None = None
        self.TITLE_TEXT = f"Found in {one_line(name, 60)}: check and correct, then make the plan"

    def fields(self) -> ComposeResult:
        f, given = self.finding, self.answer
        # The warnings first: they say what to correct below, and change as it is corrected.
        yield Static("", id="warnings", markup=False)
        yield Label("Area inspected")
        yield Input(given.area or f.area, id="area")
        yield Label("Publication date (e.g. 25/03/2015 or 25 Mar 2015)")
        yield Input(
            uk_day(given.published or f.published), id="published", placeholder="not stated"
        )
        yield Static("", id="due")
        facts = [f"Inspection: {f.kind.value}"]
        for score in f.scores:
            percent = "" if score.percent is None else f" {score.percent}%"
            level = "" if score.improvement is None else f" {score.improvement.value}"
            facts.append(f"Score: {one_line(score.name)}{percent}{level}")
        facts += [f"Rating: {one_line(r.name)}: {r.rating.value}" for r in f.ratings]
        yield Static("\n".join(facts), id="facts", markup=False)
        yield Label("Plan id (empty: from the area and year)")
        yield Input(given.plan_id or "", id="plan-id")
        yield Label(
            f"{len(f.recommendations)} recommendations; owners separated by ';' "
            "(empty: no owner stated)"
        )
        for index, rec in enumerate(f.recommendations):
            text = f"({one_line(rec.ref)}) {one_line(rec.text)}"
            yield Static(text, classes="rec-text", markup=False)
            owners = given.owners.get(rec.ref, rec.owners)
            yield Input(owners_text(owners), id=f"owners-{index}", placeholder="no owner stated")
        yield Label(
            "Add recommendations by hand: one a line, owners after '|' (e.g. Improve the "
            "quality of plans | Head of Service; Police)"
        )
        yield TextArea("", id="added", soft_wrap=True)
        if not f.recommendations:
            yield Checkbox(
                "Make the draft plan without recommendations (add them in the plan screen)",
                given.finding.without_recommendations,
                id="without",
            )
        from tracker.importers.create import existing_plan

        self.existing = existing_plan(self.error)
        if self.existing:
            yield Button(f"Open plan {self.existing} instead", id="open-existing")

    @on(Button.Pressed, "#open-existing")
    def _open_existing(self) -> None:
        """Leave the import and open the plan already made for this report."""
        plan = self.existing
        self.dismiss(None)
        opener = getattr(self.app, "open_plan", None)
        if plan and callable(opener):
            opener(plan)

    @on(TextArea.Changed, "#added")
    @on(Checkbox.Changed, "#without")
    def _hand_changed(self) -> None:
        self._refresh_checks()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#area", Input).focus(scroll_visible=False)
        self._refresh_checks()
        if self.error:
            self.say(self.error)

    @on(Input.Changed)
    def _changed(self) -> None:
        self._refresh_checks()

    def _refresh_checks(self) -> None:
        """The due date, the default plan id and the warnings, as the fields now stand."""
        from tracker.importers import ReportError, default_plan_id

        try:
            found = self.result().corrected()
        except ValueError as exc:  # a ReportError is one too
            self.say(str(exc))
            self.field_error = True
            return
        if self.field_error:
            # The field is right now; a refusal from the importer stays until the next try.
            self.say("")
            self.field_error = False
        due = found.submission_due
        self.query_one("#due", Static).update(
            f"Submission due: {uk_day(due)} (publication + 4 weeks)"
            if due
            else "Submission due: unknown until the publication date is entered"
        )
        try:
            default = default_plan_id(found)
        except ReportError:
            default = "give the area first"
        self.query_one("#plan-id", Input).placeholder = default
        warnings = found.warnings
        self.query_one("#warnings", Static).update(
            "Check:\n" + "\n".join(f"• {one_line(w)}" for w in warnings)
            if warnings
            else "Nothing to check: every field was found."
        )

    def _with_hand_added(self, found: Finding) -> Finding:
        """The finding with the recommendations typed by hand after its own, and the user's
        wish to make the draft without any: a copy when either was given."""
        import copy

        from tracker.importers import FoundRecommendation

        typed = self.query_one("#added", TextArea).text
        added = added_recommendations(typed, [r.ref for r in found.recommendations])
        boxes = self.query("#without")
        without = bool(boxes) and boxes.first(Checkbox).value
        if not added and without == found.without_recommendations:
            return found
        fixed = copy.deepcopy(found)
        fixed.recommendations += [FoundRecommendation(ref, text, o) for ref, text, o in added]
        fixed.without_recommendations = without
        return fixed

    def result(self) -> CorrectedImport:
        """The corrections as typed: ValueError naming a field that cannot be read."""
        f = self.finding
        area = " ".join(self.query_one("#area", Input).value.split())
        if not area:
            raise ValueError("Area: enter the area inspected")
        typed = self.query_one("#published", Input).value
        published = parse_optional_date(typed, "Publication date")
        if published is None and f.published is not None:
            raise ValueError("Publication date: give the date (the report states one)")
        owners: dict[str, list[str]] = {}
        for index, rec in enumerate(f.recommendations):
            now = owners_from(self.query_one(f"#owners-{index}", Input).value)
            if now != rec.owners:
                owners[rec.ref] = now
        f = self._with_hand_added(f)
        return CorrectedImport(
            f,
            self.query_one("#plan-id", Input).value.strip() or None,
            area=None if area == " ".join(f.area.split()) else area,
            published=None if published == f.published else published,
            owners=owners,
        )
