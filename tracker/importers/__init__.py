"""Import an inspection report: read a `.txt`, `.md`, `.pdf` or `.docx` report, find what it
says (area, kind, publication date and the four-week clock, fieldwork, headline scores and
ratings, recommendations with their owner roles) and make a draft plan from it.

    finding = preview(path)                 # read and parse; no database
    planned = check_import(store, finding, area="Westby")  # what would be made, or ReportError
    result = import_report(                  # one transaction: the plan, or nothing
        store, finding, actor, plan_id=None,
        area="Westby",                       # corrections, all optional: the area inspected,
        published=date(2014, 4, 23),         # the publication date (starts the clock),
        owners={"2": ["Head of Service"]},   # and each recommendation's owners, by ref
    )

`run_import` is the `tracker import` command's whole job (it returns an `ImportRun`). Every
user error is a `ReportError`. docs/import.md describes what is recognised, the JSON shape and
the limits. Nothing here imports Textual.
"""

from tracker.importers.corrections import correct
from tracker.importers.create import (
    ImportResult,
    ImportRun,
    check_import,
    default_plan_id,
    import_report,
    known_role_names,
    plan_doc,
    preview,
    run_import,
)
from tracker.importers.extract import MAX_FILE_BYTES, Extracted, extract, extract_text
from tracker.importers.finding import (
    CopyEntry,
    Fieldwork,
    Finding,
    FoundRating,
    FoundRecommendation,
    FoundScore,
    ReportError,
    to_json,
)
from tracker.importers.report import parse_report

__all__ = [
    "MAX_FILE_BYTES",
    "CopyEntry",
    "Extracted",
    "Fieldwork",
    "Finding",
    "FoundRating",
    "FoundRecommendation",
    "FoundScore",
    "ImportResult",
    "ImportRun",
    "ReportError",
    "check_import",
    "correct",
    "default_plan_id",
    "extract",
    "extract_text",
    "import_report",
    "known_role_names",
    "parse_report",
    "plan_doc",
    "preview",
    "run_import",
    "to_json",
]
