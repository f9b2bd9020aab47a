"""The TOML plan format: the samples, the round trip, and every kind of bad file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from tracker.planfile import (
    ActionDoc,
    EvidenceDoc,
    InspectionDoc,
    PlanDoc,
    PlanFileError,
    RecommendationDoc,
    ScoreDoc,
    UpdateDoc,
    latest_note,
    parse_plan,
    read_plan,
    render_plan,
    shift_dates,
)
from tracker.vocab import ActionStatus, Improvement, InspectionKind


def test_there_are_three_sample_plans() -> None:
    assert [p.stem for p in SAMPLES] == [
        "cambridgeshire-2014",
        "halton-warrington-2009",
        "stockton-2010",
    ]


def test_samples_state_what_the_reports_state() -> None:
    stockton = read_plan(SAMPLES[2])
    assert stockton.inspection.published == date(2010, 1, 6)
    assert [r.owners for r in stockton.recommendations] == [
        ["YOS Manager"],
        ["YOS Manager"],
        ["YOS Manager"],
        ["YOS Manager"],
        ["Chair of the YOS Management Board"],
    ]
    halton = read_plan(SAMPLES[1])
    assert halton.inspection.published is None  # the report gives no exact date
    assert halton.recommendations[0].owners == [
        "Chair of the Management Board",
        "Head of Service",
        "all staff",
    ]
    assert [(s.percent, s.improvement) for s in halton.inspection.scores] == [
        (79, Improvement.MINIMUM),
        (76, Improvement.MINIMUM),
        (78, Improvement.MINIMUM),
    ]
    cambs = read_plan(SAMPLES[0])
    assert cambs.inspection.published == date(2014, 4, 23)
    assert all(r.owners == [] for r in cambs.recommendations)  # the SQS letter names none
    assert len(cambs.recommendations) == 3


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_render_parse_render_is_byte_identical(path: Path) -> None:
    first = render_plan(read_plan(path))
    again = parse_plan(first.encode(), "dumped")
    assert render_plan(again) == first


def _where(data: str) -> str:
    with pytest.raises(PlanFileError) as caught:
        parse_plan(data.encode(), "plan.toml")
    return str(caught.value)


MINIMAL = 'format = 1\nid = "x-2020"\n[inspection]\narea = "X"\nkind = "CCI"\n'


def test_minimal_plan_loads() -> None:
    doc = parse_plan(MINIMAL.encode(), "plan.toml")
    assert doc.id == "x-2020"
    assert doc.inspection.kind is InspectionKind.CCI


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('format = 1\nid = "x"\n[inspection\n', "plan.toml: is not valid TOML"),
        ('format = 1\nid = "x"\n', "plan.toml: inspection: is required"),
        (MINIMAL.replace('"CCI"', '"XYZ"'), "inspection.kind: 'XYZ' is not one of"),
        (MINIMAL + "status = 1\n", "inspection.status: unknown key"),
        (MINIMAL.replace("id = ", "idd = "), "plan.toml: idd: unknown key"),
        (MINIMAL.replace("format = 1", "format = 2"), "format: this tracker reads format 1"),
        (MINIMAL.replace('"x-2020"', '"Bad Id"'), "id: 'Bad Id': use lower case"),
        ('submitted = "2010-02-30"\n' + MINIMAL, "submitted: must be a date"),
        ('status = "submitted"\n' + MINIMAL, "status: 'submitted' needs the date 'submitted'"),
        (
            "submitted = 2010-02-01\nagreed = 2010-01-01\n" + MINIMAL,
            "agreed: 2010-01-01 is before submitted (2010-02-01)",
        ),
        ('board_meetings = "whenever"\n' + MINIMAL, "board_meetings: 'whenever' is not an RFC"),
        (MINIMAL + '[[inspection.scores]]\nname = "S"\npercent = 140\n', "percent: must be"),
    ],
)
def test_bad_plan_files_name_the_key_and_problem(text: str, message: str) -> None:
    assert message in _where(text)


REC = '[[recommendations]]\nref = "1"\ntext = "Do better"\n'


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (REC + REC, "recommendations[ref=1].ref: '1' is used twice"),
        (
            REC + '[[recommendations.actions]]\nref = "1.1"\ntext = "a"\nprogress = 101\n',
            "recommendations[ref=1].actions[ref=1.1].progress: must be from 0 to 100",
        ),
        (
            REC + '[[recommendations.actions]]\nref = "1.1"\ntext = "a"\nstatus = "complete"\n',
            "actions[ref=1.1].completed: a complete action needs its completion date",
        ),
        (
            REC + '[[recommendations.actions]]\nref = "1.1"\ntext = "a"\nbrag_override = "red"\n',
            "brag_override_reason: a BRAG override needs a reason",
        ),
        (
            REC + '[[recommendations.actions]]\nref = "1.1"\ntext = "a"\n'
            '[[recommendations.actions.evidence]]\ntitle = "t"\n',
            "actions[ref=1.1].evidence[1]: give exactly one of 'reference' and 'file'",
        ),
        (
            REC + '[[recommendations.actions]]\nref = "1.1"\ntext = "a"\n'
            "start = 2020-05-01\ntarget = 2020-04-01\n",
            "target: 2020-04-01 is before start 2020-05-01",
        ),
        (REC.replace("Do better", "Do \\u001b[31mbetter"), "holds a control character"),
        (
            REC + '[[recommendations.actions]]\nref = "1.1"\ntext = "a"\n'
            '[[recommendations]]\nref = "2"\ntext = "b"\n'
            '[[recommendations.actions]]\nref = "1.1"\ntext = "c"\n',
            "'1.1' is used twice in this plan",
        ),
    ],
)
def test_bad_recommendations_and_actions_name_where(extra: str, message: str) -> None:
    assert message in _where(MINIMAL + extra)


def test_binary_non_utf8_huge_and_missing_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="is a binary file"):
        parse_plan(b"%PDF-1.4\x00\x01", "report.toml")
    with pytest.raises(PlanFileError, match=r"plan.toml:2: is not UTF-8"):
        parse_plan(b'format = 1\nid = "\xff"\n', "plan.toml")
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    with pytest.raises(PlanFileError, match="a plan file may be at most"):
        read_plan(big)
    with pytest.raises(PlanFileError, match="cannot be read"):
        read_plan(tmp_path / "missing.toml")
    with pytest.raises(PlanFileError, match="is a folder"):
        read_plan(tmp_path)


def test_shift_dates_moves_every_date_and_latest_note() -> None:
    doc = read_plan(SAMPLES[2])
    reached = latest_note(doc)
    assert reached is not None
    moved = shift_dates(doc, 10)
    assert latest_note(moved) == date.fromordinal(reached.toordinal() + 10)
    assert moved.inspection.published == date(2010, 1, 16)
    assert moved.recommendations[0].text == doc.recommendations[0].text


# Hypothesis: any plan the format can hold survives render -> parse -> render unchanged.

safe_text = st.text(
    # Stored text holds no control, invisible formatting (Cf) or line-separator character.
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"), blacklist_characters="\x7f"
    )
    | st.sampled_from("\n\t"),
    min_size=1,
    max_size=40,
)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
optional = st.none() | safe_text


@st.composite
def actions(draw: st.DrawFn, ref: str) -> ActionDoc:
    status = draw(st.sampled_from(list(ActionStatus)))
    complete = status is ActionStatus.COMPLETE
    return ActionDoc(
        ref=ref,
        text=draw(safe_text),
        owner=draw(optional),
        lead=draw(optional),
        target=draw(st.none() | dates),
        status=status,
        progress=100 if complete else draw(st.integers(0, 100)),
        success_measure=draw(optional),
        completed=draw(dates) if complete else None,
        updates=draw(st.lists(st.builds(UpdateDoc, dates, safe_text, safe_text), max_size=2)),
        evidence=draw(
            st.lists(
                st.builds(
                    EvidenceDoc, title=safe_text, date=st.none() | dates, reference=safe_text
                ),
                max_size=2,
            )
        ),
    )


@st.composite
def plans(draw: st.DrawFn) -> PlanDoc:
    recs = []
    for i in range(draw(st.integers(0, 3))):
        count = draw(st.integers(0, 2))
        recs.append(
            RecommendationDoc(
                ref=str(i + 1),
                text=draw(safe_text),
                owners=draw(st.lists(safe_text, max_size=2)),
                actions=[draw(actions(f"{i + 1}.{j + 1}")) for j in range(count)],
            )
        )
    return PlanDoc(
        format=1,
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)),
        notes=draw(optional),
        inspection=InspectionDoc(
            area=draw(safe_text),
            kind=draw(st.sampled_from(list(InspectionKind))),
            published=draw(st.none() | dates),
            scores=draw(
                st.lists(
                    st.builds(ScoreDoc, safe_text, st.none() | st.integers(0, 100)), max_size=3
                )
            ),
        ),
        recommendations=recs,
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(plans())
def test_any_plan_round_trips(doc: PlanDoc) -> None:
    text = render_plan(doc)
    parsed = parse_plan(text.encode(), "generated")
    assert parsed == doc
    assert render_plan(parsed) == text


ACTION = '[[recommendations.actions]]\nref = "1.1"\ntext = "a"\n'


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            REC + ACTION + "withdrawn = 2020-05-01\n",
            "actions[ref=1.1].withdrawn_reason: a withdrawal needs its reason",
        ),
        (
            REC + 'withdrawn_reason = "gone"\n',
            "recommendations[ref=1].withdrawn_reason: goes with the date 'withdrawn'",
        ),
        (
            REC + 'withdrawn = 2020-05-01\nwithdrawn_reason = "merged"\n' + ACTION,
            "actions[ref=1.1].withdrawn: recommendation 1 is withdrawn, and its actions with it",
        ),
        (REC + ACTION + "version = 0\n", "actions[ref=1.1].version: a row's version is 1 or more"),
        ("version = -2\n", "version: a row's version is 1 or more"),
        ('submitted_incomplete = ["no owner"]\n', "submitted_incomplete: goes with the date"),
        (
            'submitted = 2020-05-01\nsubmitted_incomplete = ["a\\nb"]\n',
            "submitted_incomplete[1]: one gap a line",
        ),
    ],
)
def test_withdrawals_versions_and_gaps_are_checked(extra: str, message: str) -> None:
    head, _, tail = MINIMAL.partition("[inspection]")
    text = head + (extra if not extra.startswith("[[") else "") + "[inspection]" + tail
    if extra.startswith("[["):
        text += extra
    assert message in _where(text)


def test_a_file_of_every_new_key_reads_back_as_written() -> None:
    text = (
        MINIMAL.replace(
            "[inspection]",
            'submitted = 2020-05-01\nsubmitted_incomplete = ["a", "b"]\nversion = 4\n[inspection]',
        )
        + REC
        + 'response = "partly agreed"\nresponse_reason = "cost"\nversion = 2\n'
        + ACTION
        + 'withdrawn = 2020-05-02\nwithdrawn_reason = "dropped"\nversion = 3\n'
    )
    doc = parse_plan(text.encode(), "plan.toml")
    assert (doc.submitted_incomplete, doc.version) == (["a", "b"], 4)
    rec = doc.recommendations[0]
    assert (rec.response_reason, rec.version) == ("cost", 2)
    action = rec.actions[0]
    assert (action.withdrawn, action.withdrawn_reason, action.version) == (
        date(2020, 5, 2),
        "dropped",
        3,
    )
    assert render_plan(parse_plan(render_plan(doc).encode(), "again")) == render_plan(doc)


def test_a_huge_or_hostile_unknown_key_is_named_cut_and_quoted() -> None:
    huge = "x" * 10_000_000
    text = f'format = 1\nid = "a-1"\n{huge} = 1\n[inspection]\narea = "A"\nkind = "SQS"\n'
    with pytest.raises(PlanFileError) as refused:
        parse_plan(text.encode(), "huge.toml")
    assert len(str(refused.value)) < 200
    assert "unknown key" in str(refused.value) and "xxxx" in str(refused.value)
    escaped = 'format = 1\nid = "a-1"\n"bad\\u001b[2Jkey" = 1\n'
    with pytest.raises(PlanFileError) as refused:
        parse_plan(escaped.encode(), "escape.toml")
    assert "\x1b" not in str(refused.value) and "unknown key" in str(refused.value)
