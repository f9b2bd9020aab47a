"""What comes into the tracker and goes out of it: an inspection report imported as a draft
plan, a plan exported (board report, spreadsheet, plan file, calendar) or dumped as a plan
file, and the reviewer's portfolio of every plan.

Nothing here writes a file itself: `tracker.services.issue_board_report` and `write_export`
write them whole or not at all, and record a board report as issued.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker import services
from tracker.cli.context import Context
from tracker.cli.group import DATE
from tracker.cli.output import (
    as_json,
    fail,
    format_for,
    refuse_binary_on_terminal,
    said_written,
    text_or_dash,
    write_stdout,
)
from tracker.cli.output import portfolio as output_portfolio
from tracker.text import clean, one_line

if TYPE_CHECKING:
    from tracker.exporters.board import MeetingPapers
    from tracker.importers import ImportRun
    from tracker.store import Store

output_option = click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to FILE."
)
"""`-o FILE`: write the export to FILE (whole or not at all), not to stdout."""

force_option = click.option(
    "--force",
    is_flag=True,
    help="Read-only and reviewer sessions: replace the -o file if it exists (never the database).",
)
"""`--force`: let a read-only or reviewer session replace an existing -o file."""


@click.command("import")
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what the report holds; write nothing.")
@click.option("--json", "json_out", is_flag=True, help="Print what was found as JSON.")
@click.option("--id", "plan_id", metavar="PLAN_ID", help="The new plan's id (default: area-year).")
@click.option("--area", metavar="NAME", help="The area inspected, if the report does not name it.")
@click.option(
    "--without-recommendations",
    is_flag=True,
    help="Make the draft plan even if no recommendations are found (add them with `rec add`).",
)
@click.pass_obj
def import_report(
    obj: Context,
    report: Path,
    dry_run: bool,
    json_out: bool,
    plan_id: str | None,
    area: str | None,
    without_recommendations: bool,
) -> None:
    """Read an inspection report (.txt, .md, .pdf, .docx) and make a draft plan from it.

    A dry run prints everything that was found and writes nothing; it exits 1 if the import
    would be refused (no recommendations found, the plan id is taken, ...). See
    docs/import.md."""
    from tracker.importers import ReportError, run_import, to_json
    from tracker.store import database_url, sqlite_file

    if not dry_run and obj.settings.read_only:
        fail("the database is open read-only: nothing can be imported (--dry-run shows it)")

    def opened() -> Store:
        # Called only once the report is accepted: a refused report leaves no database behind.
        if not dry_run:
            services.require_editor(obj.store)
        return obj.store

    # A dry run needs no database: with none yet, it checks against a throwaway one.
    db_file = sqlite_file(database_url(obj.settings.db))
    no_database = dry_run and db_file is not None and not db_file.exists()
    store: Callable[[], Store] | None = None if no_database else opened
    try:
        run = run_import(
            store,
            report,
            obj.settings.user,
            dry_run=dry_run,
            plan_id=plan_id,
            area=area,
            without_recommendations=without_recommendations,
        )
    except ReportError as exc:
        fail(str(exc))
    if json_out:
        data = to_json(run.finding)
        data["plan_id"] = None if run.result is None else run.result.plan_id
        data["created_roles"] = [] if run.result is None else run.result.created_roles
        data["dry_run"] = dry_run
        data["refused"] = None if run.refused is None else run.refused.problem
        as_json(data)
    else:
        _print_import(run, dry_run)
    if run.refused is not None:
        fail(f"{run.refused}; the import would be refused (dry run: nothing written)")


def _print_import(run: ImportRun, dry_run: bool) -> None:
    """What the report holds and what the import made (or would make), as text."""
    finding, result = run.finding, run.result
    click.echo(f"{clean(finding.source)}: {clean(finding.area) or '(area not stated)'}")
    click.echo(f"  inspection      {finding.kind.value}")
    click.echo(f"  published       {text_or_dash(finding.published)}")
    click.echo(f"  submission due  {text_or_dash(finding.submission_due)}")
    if finding.fieldwork is not None:
        click.echo(
            f"  fieldwork       {finding.fieldwork.start.isoformat()} to "
            f"{finding.fieldwork.end.isoformat()}"
        )
    for score in finding.scores:
        level = "" if score.improvement is None else f" {score.improvement.value}"
        percent = "" if score.percent is None else f" {score.percent}%"
        click.echo(f"  score           {clean(score.name)}{percent}{level}")
    for rating in finding.ratings:
        click.echo(f"  rating          {clean(rating.name)}: {rating.rating.value}")
    click.echo(f"  {len(finding.recommendations)} recommendations:")
    for rec in finding.recommendations:
        owners = "; ".join(rec.owners) if rec.owners else "no owner stated"
        click.echo(f"    ({clean(rec.ref)}) {one_line(rec.text)} [{one_line(owners)}]")
    for warning in finding.warnings:
        click.echo(f"  warning: {one_line(warning)}")
    new_role = "would be a new role" if dry_run else "new role"
    for role in [] if result is None else result.created_roles:
        click.echo(f"  {new_role}: {one_line(role)}")
    if result is not None and not dry_run:
        click.echo(f"created draft plan {result.plan_id}")
    elif result is not None:
        click.echo(f"dry run: nothing written; the import would create plan {result.plan_id}")


@click.command()
@click.argument("plan")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE, not stdout.")
@force_option
@click.pass_obj
def dump(obj: Context, plan: str, output: Path | None, force: bool) -> None:
    """Write a plan out as a plan file (TOML)."""
    from tracker.exporters import plan_file_text

    with obj.reader() as reader:
        text = plan_file_text(reader, plan)
    if output is None:
        click.echo(text, nl=False)
        return
    # Whole or not at all, as export -o; never over the database, by any name.
    services.write_export(output, text.encode("utf-8"), guard=obj.output_guard(force))


@click.command("export")
@click.argument("plan")
@click.option(
    "-f",
    "--format",
    "fmt",
    metavar="FORMAT",
    help="md, html or docx (board report), xlsx or csv (spreadsheet), toml (plan file) or ics "
    "(calendar). Default: from the -o file's ending, else md.",
)
@click.option(
    "-o",
    "--output",
    "outputs",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Write to FILE. Give it more than once for a board pack (-o board.docx -o "
    "board.html -o board.xlsx): every file from one read, recorded as issued once.",
)
@click.option("--since", type=DATE, help="Board reports: list changes since DATE.")
@click.option(
    "--since-last-board",
    is_flag=True,
    help="Board reports: list changes since the last board report (the default).",
)
@click.option("--draft", is_flag=True, help="Board reports: do not record this one as issued.")
@force_option
@click.pass_obj
def export(
    obj: Context,
    plan: str,
    fmt: str | None,
    outputs: tuple[Path, ...],
    since: date | None,
    since_last_board: bool,
    draft: bool,
    force: bool,
) -> None:
    """Export a plan: board report (md, html, docx), spreadsheet (xlsx, csv), plan file (toml)
    or calendar (ics); several at once with -o given for each file (a board pack). A board
    report written to a file with -o is recorded as issued, so that the next meeting's lists
    what changed since; never one printed to stdout, a --draft, a --since report, or one from
    a --reviewer or --read-only session. Every board report for the same meeting lists the
    same changes."""
    from tracker import exporters

    if since is not None and since_last_board:
        fail("give --since DATE or --since-last-board, not both")
    endings = {v: k for k, v in exporters.SUFFIXES.items()} | {".htm": "html", ".markdown": "md"}
    if len(outputs) > 1 and fmt is not None:
        fail("-f names one format: with several -o files, each file's ending names its format")
    formats = [format_for(fmt, o, exporters.PLAN_FORMATS, endings) or "md" for o in outputs]
    if not outputs:
        formats = [format_for(fmt, None, exporters.PLAN_FORMATS, endings) or "md"]
    twice = [f for i, f in enumerate(formats) if f in formats[:i]]
    if twice:
        fail(f"two -o files in {twice[0]}: give each format once")
    board = [f for f in formats if f in exporters.BOARD_FORMATS]
    if (since is not None or since_last_board) and not board:
        fail(
            f"--since and --since-last-board are for board reports "
            f"({', '.join(exporters.BOARD_FORMATS)}), not {', '.join(formats)}"
        )
    output = outputs[0] if outputs else None
    what = f"{plan} as {formats[0]}"
    refuse_binary_on_terminal(what, formats[0] in exporters.BINARY_FORMATS, output)
    # Only a report written to a file for the board moves the "since the last report" mark:
    # a look at one (`| less`), a draft, or one over another period must not.
    record = not draft and since is None and not (obj.settings.reviewer or obj.settings.read_only)
    today = obj.settings.today
    with obj.reader() as reader:
        papers = None
        if record and board and outputs:
            from datetime import UTC, datetime

            from tracker.exporters.board import papers_for

            papers = papers_for(reader, plan, today, datetime.now(UTC))
        if len(outputs) > 1:
            from tracker.services.board_reports import issue_board_pack

            pack = issue_board_pack(
                lambda: obj.store,
                plan,
                list(zip(formats, outputs, strict=True)),
                lambda: exporters.export_pack(reader, plan, formats, today, since=since),
                obj.settings.user,
                record=record,
                guard=obj.output_guard(force),
            )
            recorded = pack.recorded
        else:
            one = formats[0]
            issued = services.issue_board_report(
                lambda: obj.store,
                plan,
                one,
                lambda: exporters.export_plan(reader, plan, one, today, since=since),
                output,
                obj.settings.user,
                record=record,
                guard=obj.output_guard(force),
            )
            recorded = [one] if issued.recorded else []
    if output is None:
        write_stdout(issued.data)
    for fmt, written in zip(formats, outputs, strict=False):
        said_written(f"{plan} as {fmt}", written)
    if recorded:
        _said_recorded(plan, recorded, papers)


def _said_recorded(plan: str, formats: list[str], papers: MeetingPapers | None) -> None:
    """Say on stderr that a board report (or pack) was recorded as issued, and from when it
    lists changes: a copy of papers already issued for the same meeting says so."""
    from tracker.exporters.data import moment

    said = f"recorded the board report for {plan} as issued ({', '.join(formats)})"
    if papers is not None and papers.already:
        first = papers.already[0]
        click.echo(
            f"{said}: the same meeting's papers as the report issued {moment(first.at)} "
            f"({first.formats.replace(',', ', ')}), listing the same changes; the next "
            "meeting's report lists changes from now",
            err=True,
        )
        return
    click.echo(
        f"{said}: the next meeting's report lists changes from now, and any other report for "
        "this meeting the same changes as this one (--draft does not record)",
        err=True,
    )


@click.command("portfolio")
@click.option(
    "-f",
    "--format",
    "fmt",
    metavar="FORMAT",
    help="text (the screen), json, xlsx or html. Default: from the -o file's ending, else text.",
)
@output_option
@force_option
@click.pass_obj
def portfolio(obj: Context, fmt: str | None, output: Path | None, force: bool) -> None:
    """Every plan for a reviewer: clock, % complete, colours, overdue, evidence to review."""
    output_portfolio(obj, fmt, output, force)
