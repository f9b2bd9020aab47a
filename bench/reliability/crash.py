"""Experiment 2, crash safety: `tracker load` (the real CLI, in a child process) loads a
large generated plan and is SIGKILLed at a random moment of its write transaction, again and
again. After each kill the database must pass its own integrity checks, hold no orphan row,
and hold the killed plan whole or not at all, with every plan loaded before unchanged.
"""

from __future__ import annotations

import dataclasses
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from bench.reliability.checks import (
    orphan_rows,
    plan_counts,
    server_backends,
    storage_problems,
    writer_in_transaction,
)
from bench.reliability.loader import Loader
from bench.reliability.settings import ROOT, Settings, nonzero
from tests.support.databases import cli_env
from tracker import services
from tracker.models import Action, Recommendation
from tracker.planfile import (
    FORMAT_VERSION,
    ActionDoc,
    EvidenceDoc,
    InspectionDoc,
    PlanDoc,
    RecommendationDoc,
    RoleDoc,
    UpdateDoc,
    read_plan,
    render_plan,
)
from tracker.queries import lookups
from tracker.store import open_store
from tracker.vocab import ActionStatus, EvidenceKind, InspectionKind, PlanStatus

CRASH_ID = "crash-template"


def big_plan(actions: int, plan_id: str = CRASH_ID) -> PlanDoc:
    """A valid plan with `actions` actions in recommendations of 50, each action with two
    progress notes and a piece of evidence (every fifth a fingerprinted file)."""
    start = date(2010, 2, 1)
    recs: list[RecommendationDoc] = []
    for r in range((actions + 49) // 50):
        acts = []
        for a in range(min(50, actions - r * 50)):
            n = r * 50 + a
            ref = f"{r + 1}.{a + 1}"
            evidence = (
                EvidenceDoc(
                    title=f"Audit {n}",
                    kind=EvidenceKind.AUDIT,
                    file=f"/shared/evidence/audit-{n}.pdf",
                    sha256=f"{n:064x}",
                    size=1000 + n,
                )
                if n % 5 == 0
                else EvidenceDoc(title=f"Minutes {n}", reference=f"Board minutes item {n}")
            )
            acts.append(
                ActionDoc(
                    ref=ref,
                    text=f"Action {ref}: improve the quality of assessments, sample {n}.",
                    owner=f"Team manager {r % 7}",
                    lead=f"Lead {n % 13}",
                    start=start,
                    target=start + timedelta(days=90 + n % 200),
                    status=ActionStatus.IN_PROGRESS,
                    progress=n % 100,
                    success_measure="Audit shows 80% of assessments are good enough.",
                    updates=[
                        UpdateDoc(start + timedelta(days=30), "Lead", f"Started {ref}."),
                        UpdateDoc(start + timedelta(days=60), "Lead", f"Half way on {ref}."),
                    ],
                    evidence=[evidence],
                )
            )
        recs.append(
            RecommendationDoc(
                ref=str(r + 1),
                text=f"Recommendation {r + 1}: make sure that assessments are timely.",
                owners=[f"Team manager {r % 7}", "Head of Service"],
                actions=acts,
            )
        )
    return PlanDoc(
        format=FORMAT_VERSION,
        id=plan_id,
        title="A large plan, loaded and killed",
        inspection=InspectionDoc(area="Crashshire", kind=InspectionKind.CCI),
        status=PlanStatus.DRAFT,
        roles=[RoleDoc("Head of Service", ["HoS"])],
        recommendations=recs,
    )


def piecemeal_load(db: str, file: str) -> None:
    """A deliberately broken load, for proving the crash checks can fail: the plan without
    its actions in one transaction, then each action in a transaction of its own."""
    doc = read_plan(Path(file))
    bare = dataclasses.replace(
        doc, recommendations=[dataclasses.replace(r, actions=[]) for r in doc.recommendations]
    )
    store = open_store(db, migrate=False)
    services.load_plans(store, [(file, bare)], "piecemeal")
    for rec in doc.recommendations:
        for position, act in enumerate(rec.actions):
            with store.write() as session:
                plan = lookups.get_plan(session, doc.id)
                row = session.scalar(
                    select(Recommendation).where(
                        Recommendation.plan_id == plan.id, Recommendation.ref == rec.ref
                    )
                )
                assert row is not None
                session.add(
                    Action(
                        plan=plan,
                        recommendation=row,
                        position=position,
                        ref=act.ref,
                        text=act.text,
                        status=act.status,
                        progress=act.progress,
                    )
                )
    store.dispose()


@dataclass
class CrashFigures:
    """What the crash experiment found."""

    kills: int = 0
    survived: int = 0
    """Kills after which every check passed."""
    in_write: int = 0
    """Kills that landed while the loader was inside its write transaction."""
    absent: int = 0
    whole: int = 0
    partial: int = 0
    storage_failures: int = 0
    """integrity_check / foreign_key_check (SQLite) or amcheck (PostgreSQL) failures."""
    orphans: int = 0
    earlier_changed: int = 0
    """Plans present before a kill that were not as they were after it."""
    failed_loads: int = 0
    """Loads that ended by themselves before the kill, but with an error."""
    usable_after: bool = False
    storage_check: str = ""
    load_seconds: float = 0.0
    """A whole load, from the loader's start (after Python's imports) to its commit."""
    write_seconds: float = 0.0
    """A whole load's write transaction, from its beginning to its (last) commit."""
    plan_rows: int = 0
    seconds: float = 0.0
    samples: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every way the figures fall short; empty when all is as it must be."""
        found = nonzero(
            self, "partial", "storage_failures", "orphans", "earlier_changed", "failed_loads"
        )
        if self.absent + self.whole + self.partial != self.kills:
            found.append("some kills were not checked")
        if self.survived != self.kills:
            found.append(f"survived {self.survived} of {self.kills} kills")
        if not self.usable_after:
            found.append("the database could not load a plan after the kills")
        return found


def _check_after_kill(
    db: str,
    plan_id: str,
    wanted: tuple[int, int, int, int],
    expected: dict[str, tuple[int, int, int, int]],
    figures: CrashFigures,
) -> tuple[bool, dict[str, tuple[int, int, int, int]]]:
    """Every check after one kill, counted in `figures`: whether all passed, and each plan's
    counts now (what the next kill must leave)."""
    deadline = time.monotonic() + 60
    while server_backends(db) and time.monotonic() < deadline:
        time.sleep(0.05)  # the server notices the dead client and rolls back
    problems, figures.storage_check = storage_problems(db)
    figures.storage_failures += bool(problems)
    figures.samples += problems[:3]
    orphans = orphan_rows(db)
    figures.orphans += orphans
    now = plan_counts(db)
    state = now.get(plan_id)
    if state is None:
        figures.absent += 1
    elif state == wanted:
        figures.whole += 1
    else:
        figures.partial += 1
        figures.samples.append(f"{plan_id} partial after a kill: {state}, whole is {wanted}")
    changed = [s for s in expected if now.get(s) != expected[s]]
    figures.earlier_changed += len(changed)
    figures.samples += [f"{s}: {expected[s]} before a kill, {now.get(s)} after" for s in changed]
    whole_or_none = state is None or state == wanted
    return not problems and not orphans and whole_or_none and not changed, now


def run_crashes(
    db: str, settings: Settings, work: Path, *, piecemeal: bool = False
) -> CrashFigures:
    """Experiment 2 on the database `db`: `settings.kills` SIGKILLs of `tracker load` at
    random moments of its write transaction (from when it begins to a tenth past when it
    commits, as timed by a first, whole load). `piecemeal=True` kills a loader that commits a
    plan in pieces instead: the partial plans the checks must catch."""
    figures = CrashFigures()
    rng = random.Random(settings.seed)
    env = cli_env(work, "bench")
    doc = big_plan(settings.plan_actions)
    template = render_plan(doc)
    wanted = (
        len(doc.recommendations),
        sum(len(r.actions) for r in doc.recommendations),
        sum(len(a.updates) for r in doc.recommendations for a in r.actions),
        sum(len(a.evidence) for r in doc.recommendations for a in r.actions),
    )
    figures.plan_rows = sum(wanted)
    files = work / "crash"
    files.mkdir(parents=True, exist_ok=True)

    def plan_file(plan_id: str) -> Path:
        path = files / f"{plan_id}.toml"
        path.write_text(template.replace(f'id = "{CRASH_ID}"', f'id = "{plan_id}"', 1), "utf-8")
        return path

    began = time.perf_counter()
    loader = Loader(env, ROOT, piecemeal=piecemeal)
    try:
        # Calibrate: how long a whole load takes, and how long its write transaction lasts.
        started = time.perf_counter()
        loader.start(db, plan_file("crash-calibrate"))
        writing = loader.wait_for("writing")
        committed = loader.last("committing")
        if loader.finish() != 0 or writing is None or committed is None:
            raise RuntimeError(f"the calibration load failed: {''.join(loader.errors)[-2000:]}")
        figures.load_seconds = round(committed - started, 3)
        figures.write_seconds = round(committed - writing, 3)
        expected = plan_counts(db)
        for attempt in range(settings.kills * 3):
            if figures.kills == settings.kills:
                break
            plan_id = f"crash-{attempt:03d}"
            loader.start(db, plan_file(plan_id))
            if loader.wait_for("writing") is not None:
                time.sleep(rng.uniform(0, figures.write_seconds * 1.1))
            in_write = writer_in_transaction(db)
            if not loader.kill():  # it had finished: not a kill
                if loader.code != 0:
                    figures.failed_loads += 1
                    figures.samples.append(f"{plan_id}: {''.join(loader.errors)[-300:]}")
                expected = plan_counts(db)
                continue
            figures.kills += 1
            figures.in_write += in_write
            survived, expected = _check_after_kill(db, plan_id, wanted, expected, figures)
            figures.survived += survived
    finally:
        loader.close()
    # The database must still take a whole load after all that, by the CLI as anyone runs it.
    after = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", db, "load", str(plan_file("crash-after"))],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        timeout=600,
    )
    figures.usable_after = after.returncode == 0 and plan_counts(db).get("crash-after") == wanted
    if not figures.usable_after:
        figures.samples.append(
            f"load after the kills: exit {after.returncode}: {after.stderr[-500:]}"
        )
    figures.seconds = round(time.perf_counter() - began, 2)
    figures.samples = figures.samples[:10]
    return figures
