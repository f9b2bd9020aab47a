"""Many users, one truth: three experiments that try to make the tracker lose or damage data,
and the figures that say they could not (docs/reliability.md).

    python bench/reliability.py [--db FOLDER|URL] [--processes N] [--updates N] [--kills N]
                                [--quick] [--json FILE]

1. Concurrent editors. N processes (multiprocessing, spawn) read an action's version and save
   a change with `update_action(..., expected_version=...)` on a small set of shared actions.
   Each save writes a value no other save writes, so the audit trail can be checked against
   what every editor was told: every applied save is in it exactly once, based on the version
   its editor read, in an unbroken chain of versions ending in the final state; every other
   save was told ConflictError and left no trace. No "database is locked", no other error.
2. Crash safety. `tracker load` (the real CLI, in a child process) loads a large generated
   plan and is SIGKILLed at a random moment of its write transaction (timed by a first, whole
   load), again and again. After each kill: SQLite's
   `PRAGMA integrity_check` and `foreign_key_check` (on PostgreSQL: amcheck on every index),
   no orphan rows, and the plan is whole or absent, as is every plan loaded before.
3. Hostile input. A corpus of generated and hand-written bad inputs through the real CLI
   (`load`, `import`, `update`, `evidence add`): each must exit 1 (2 for a bad option value,
   as click reports bad usage), say what is wrong on stderr without a traceback or a raw
   control character, and leave the database exactly as it was.

The databases: SQLite files in FOLDER (default: a temporary folder), or scratch databases
created on the PostgreSQL server of a `postgresql+psycopg://` URL and dropped afterwards.
Without --db the experiments run on SQLite, and also on PostgreSQL when
TRACKER_TEST_DATABASE_URL is set. Exit status 0 when every figure is as it must be.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import gc
import gzip
import io
import json
import multiprocessing
import os
import queue
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

import tomli_w  # noqa: E402
from sqlalchemy import Engine, create_engine, exists, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from tracker import services  # noqa: E402
from tracker.models import (  # noqa: E402
    Action,
    AuditEvent,
    Base,
    Evidence,
    Plan,
    ProgressUpdate,
    Recommendation,
)
from tracker.planfile import (  # noqa: E402
    FORMAT_VERSION,
    ActionDoc,
    EvidenceDoc,
    InspectionDoc,
    PlanDoc,
    RecommendationDoc,
    RoleDoc,
    UpdateDoc,
    parse_plan,
    read_plan,
    render_plan,
)
from tracker.store import database_url, open_store, sqlite_file  # noqa: E402
from tracker.text import has_control  # noqa: E402
from tracker.vocab import ActionStatus, EvidenceKind, InspectionKind, PlanStatus  # noqa: E402

TODAY = date(2010, 9, 15)
"""The day the bench runs as (inside the sample Stockton plan's life)."""
SAMPLES = sorted((ROOT / "sample_plans").glob("*.toml"))
SHARED_PLAN = "stockton-2010"
SHARED_ACTIONS = 4
"""How many actions the concurrent editors fight over."""
THINK_MS = 2.0
"""The longest pause between reading an action and saving it (widens the race)."""
SERVER_ENV = "TRACKER_TEST_DATABASE_URL"


@dataclass(frozen=True)
class Settings:
    """How hard each experiment pushes."""

    processes: int = 8
    updates: int = 150
    """Save attempts per editor process."""
    kills: int = 50
    plan_actions: int = 2000
    """Actions in the plan that is loaded and killed."""
    seed: int = 2026


FULL = Settings()
QUICK = Settings(processes=4, updates=60, kills=8, plan_actions=1200)


# Databases -------------------------------------------------------------------------------------


def _engine(db: str) -> Engine:
    return create_engine(database_url(db), poolclass=NullPool)


class Target:
    """Where the experiments get fresh databases: copies of an empty one at the schema head
    and of one holding the sample plans."""

    kind = "sqlite"

    def fresh(self, label: str, *, samples: bool = True) -> str:
        """A new database (path or URL), empty or holding the sample plans."""
        raise NotImplementedError

    def drop(self, db: str) -> None:
        """Remove a database made by `fresh`."""

    def close(self) -> None:
        """Remove the templates and anything else left."""


def _load_samples(db: str) -> None:
    store = open_store(db)
    services.load_plans(store, [(p.name, read_plan(p)) for p in SAMPLES], "loader")
    store.dispose()


class SqliteTarget(Target):
    """SQLite files in a folder."""

    kind = "sqlite"

    def __init__(self, folder: Path, *, keep: bool) -> None:
        self.folder = folder
        self.keep = keep
        folder.mkdir(parents=True, exist_ok=True)
        self.templates = {False: folder / "template-empty.db", True: folder / "template-samples.db"}
        for path in self.templates.values():
            self._remove(path)
        open_store(self.templates[False]).dispose()
        shutil.copy(self.templates[False], self.templates[True])
        _load_samples(str(self.templates[True]))

    @staticmethod
    def _remove(path: Path) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def fresh(self, label: str, *, samples: bool = True) -> str:
        path = self.folder / f"{label}.db"
        self._remove(path)
        shutil.copy(self.templates[samples], path)
        return str(path)

    def drop(self, db: str) -> None:
        if not self.keep:
            self._remove(Path(db))

    def close(self) -> None:
        for path in self.templates.values():
            self._remove(path)
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)


class ServerTarget(Target):
    """Scratch databases on a PostgreSQL server, copied from two templates."""

    kind = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"rel{os.getpid()}_{uuid.uuid4().hex[:6]}_"
        self.made: set[str] = set()
        self.templates = {False: f"{self.prefix}tmpl_empty", True: f"{self.prefix}tmpl_samples"}
        empty, samples = self.templates[False], self.templates[True]
        try:
            self.made.add(empty)
            self._admin(f'CREATE DATABASE "{empty}"')
            open_store(self._url(empty)).dispose()
            self.made.add(samples)
            self._admin(f'CREATE DATABASE "{samples}" TEMPLATE "{empty}"')
            _load_samples(self._url(samples))
        except BaseException:
            self.close()
            raise

    def _admin(self, sql: str) -> None:
        engine = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with engine.connect() as conn:
            conn.execute(text(sql))
        engine.dispose()

    def _url(self, name: str) -> str:
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def fresh(self, label: str, *, samples: bool = True) -> str:
        name = f"{self.prefix}{label}"
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.templates[samples]}"')
        self.made.add(name)
        return self._url(name)

    def drop(self, db: str) -> None:
        name = make_url(db).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.discard(str(name))

    def close(self) -> None:
        for name in sorted(self.made):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()


def snapshot(db: str) -> dict[str, list[Any]]:
    """Every row of every table, in key order (as tests/conftest.py takes it)."""
    engine = _engine(db)
    found: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in conn.execute(query)]
        found["alembic_version"] = [
            tuple(r) for r in conn.execute(text("SELECT * FROM alembic_version"))
        ]
    engine.dispose()
    return found


def orphan_rows(db: str) -> int:
    """Rows whose foreign key points at no row: none, if every transaction was whole."""
    engine = _engine(db)
    count = 0
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                child, parent = fk.parent, fk.column
                query = (
                    select(func.count())
                    .select_from(table)
                    .where(child.is_not(None), ~exists().where(parent == child))
                )
                count += int(conn.scalar(query) or 0)
    engine.dispose()
    return count


def storage_problems(db: str) -> tuple[list[str], str]:
    """What the database itself finds wrong with its files, and what was checked: SQLite's
    integrity_check and foreign_key_check; on PostgreSQL, amcheck's check of every B-tree
    index against its table (when the amcheck extension is installed)."""
    path = sqlite_file(database_url(db))
    if path is not None:
        lite = sqlite3.connect(path, timeout=60)
        try:
            rows = [str(r[0]) for r in lite.execute("PRAGMA integrity_check")]
            problems = [] if rows == ["ok"] else [f"integrity_check: {r}" for r in rows]
            problems += [
                f"foreign_key_check: {r}" for r in lite.execute("PRAGMA foreign_key_check")
            ]
        finally:
            lite.close()
        return problems, "PRAGMA integrity_check and foreign_key_check"
    engine = _engine(db)
    problems = []
    with engine.connect() as conn:
        try:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            conn.commit()
        except Exception:  # amcheck not installed: the other checks still run
            conn.rollback()
            engine.dispose()
            return [], "none (the amcheck extension is not installed)"
        indexes = conn.execute(
            text(
                "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE a.amname = 'btree' AND n.nspname = 'public'"
            )
        ).all()
        for oid, name in indexes:
            try:
                conn.execute(text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
            except Exception as exc:
                conn.rollback()
                problems.append(f"amcheck {name}: {exc}")
    engine.dispose()
    return problems, f"amcheck bt_index_check(heapallindexed) of {len(indexes)} indexes"


def server_backends(db: str) -> int:
    """Other connections to this PostgreSQL database (0 on SQLite)."""
    if sqlite_file(database_url(db)) is not None:
        return 0
    engine = _engine(db)
    with engine.connect() as conn:
        count = conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    engine.dispose()
    return int(count or 0)


def writer_in_transaction(db: str) -> bool:
    """Whether some other connection is inside a write transaction right now: on SQLite the
    write lock is taken (BEGIN IMMEDIATE cannot start), on PostgreSQL a backend of this
    database holds a transaction id (it has written)."""
    path = sqlite_file(database_url(db))
    if path is not None:
        lite = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            lite.execute("BEGIN IMMEDIATE")
            lite.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            lite.close()
    engine = _engine(db)
    with engine.connect() as conn:
        count = conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
        )
    engine.dispose()
    return bool(count)


def base_env(work: Path) -> dict[str, str]:
    """An environment that keeps the CLI away from the real user's config and data."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_CONFIG=str(work / "no-config.toml"),
        TRACKER_USER="bench",
        TRACKER_TODAY=TODAY.isoformat(),
        XDG_DATA_HOME=str(work / "xdg-data"),
        PYTHONIOENCODING="utf-8",
        PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    )
    return env


def _nonzero(figures: Any, *names: str) -> list[str]:
    """`name: value` for each figure named that is not zero."""
    return [f"{n.replace('_', ' ')}: {getattr(figures, n)}" for n in names if getattr(figures, n)]


# 1. Concurrent editors -----------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One editor's try at saving: what it read, what it wrote and what it was told."""

    worker: int
    ref: str
    value: str
    expected: int
    read: str | None
    outcome: str
    """applied, conflict or error"""
    version: int | None = None
    """The new version (applied) or the version the conflict reported."""
    error: str = ""


@dataclass
class EditorFigures:
    """What the concurrent editors experiment found."""

    processes: int = 0
    actions: int = 0
    attempted: int = 0
    applied: int = 0
    conflicts: int = 0
    lost: int = 0
    """Saves reported as applied that are missing from the trail, or that overwrote a change
    their editor had not seen (based on a version other than the one stored)."""
    saved_despite_conflict: int = 0
    spurious_conflicts: int = 0
    trail_errors: int = 0
    """Breaks in each action's chain of versions and values, and trail entries nobody made."""
    lock_errors: int = 0
    other_errors: int = 0
    seconds: float = 0.0
    samples: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every way the figures fall short; empty when all is as it must be."""
        found = _nonzero(
            self,
            "lost",
            "saved_despite_conflict",
            "spurious_conflicts",
            "trail_errors",
            "lock_errors",
            "other_errors",
        )
        if self.applied + self.conflicts + self.lock_errors + self.other_errors != self.attempted:
            found.append("some attempts have no outcome")
        if self.attempted and not self.applied:
            found.append("no save was applied")
        return found


def _editor(
    db: str,
    worker: int,
    refs: list[str],
    count: int,
    seed: int,
    check_version: bool,
    ready: Any,
    go: Any,
    results: Any,
) -> None:
    """An editor process: `count` times, read an action, pause, save a change to it based on
    the version read. Puts its attempts (as dicts) on `results`."""
    attempts: list[dict[str, Any]] = []
    rng = random.Random(seed * 7919 + worker)
    try:
        store = open_store(db, migrate=False)
    except Exception as exc:
        ready.put(worker)
        results.put((worker, attempts, f"cannot open the database: {exc}"))
        return
    ready.put(worker)
    go.wait()
    try:
        for n in range(count):
            ref = refs[rng.randrange(len(refs))]
            value = f"editor {worker} save {n}"
            expected, read = -1, None
            try:
                with store.read() as session:
                    action = services.get_action(session, ref)
                    expected, read = action.version, action.lead
                time.sleep(rng.random() * THINK_MS / 1000)
                version = services.update_action(
                    store,
                    ref,
                    f"editor-{worker}",
                    TODAY,
                    services.ActionChanges(lead=value),
                    expected_version=expected if check_version else None,
                )
                got = Attempt(worker, ref, value, expected, read, "applied", version)
            except services.ConflictError as exc:
                got = Attempt(worker, ref, value, expected, read, "conflict", exc.current_version)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                got = Attempt(worker, ref, value, expected, read, "error", None, error)
            attempts.append(dataclasses.asdict(got))
    finally:
        store.dispose()
        results.put((worker, attempts, ""))


@dataclass(frozen=True)
class TrailEvent:
    """An audit trail entry for a change of an action's lead."""

    id: int
    ref: str
    version: int | None
    old: str | None
    new: str | None


def check_editors(
    attempts: list[Attempt],
    start: dict[str, tuple[int, str | None]],
    trail: list[TrailEvent],
    final: dict[str, tuple[int, str | None]],
) -> EditorFigures:
    """Hold what every editor was told against the audit trail and the final state.
    `start` and `final` map each action to its (version, lead); `trail` is in id order."""
    figures = EditorFigures(attempted=len(attempts), actions=len(start))
    by_value: dict[str, list[TrailEvent]] = {}
    for event in trail:
        by_value.setdefault(event.new or "", []).append(event)
    claimed: set[int] = set()
    for attempt in attempts:
        events = by_value.get(attempt.value, [])
        if attempt.outcome == "applied":
            figures.applied += 1
            match = events[0] if len(events) == 1 else None
            if (
                match is None
                or match.ref != attempt.ref
                or match.version != attempt.version
                or attempt.version != attempt.expected + 1
                or match.old != attempt.read
            ):
                figures.lost += 1
                figures.samples.append(f"lost: {attempt}")
            if match is not None:
                claimed.add(match.id)
        elif attempt.outcome == "conflict":
            figures.conflicts += 1
            if events:
                figures.saved_despite_conflict += 1
                figures.samples.append(f"saved despite conflict: {attempt}")
            if attempt.version is None or attempt.version <= attempt.expected:
                figures.spurious_conflicts += 1
                figures.samples.append(f"spurious conflict: {attempt}")
        elif "database is locked" in attempt.error:
            figures.lock_errors += 1
            figures.samples.append(f"error: {attempt.error}")
        else:
            figures.other_errors += 1
            figures.samples.append(f"error: {attempt.error}")
    unclaimed = [e for e in trail if e.id not in claimed]
    figures.trail_errors += len(unclaimed)
    figures.samples += [f"trail entry nobody was told was applied: {e}" for e in unclaimed[:3]]
    for ref, (version, lead) in start.items():
        chain = [e for e in trail if e.ref == ref]
        for event in chain:
            if event.version != version + 1 or event.old != lead:
                figures.trail_errors += 1
                figures.samples.append(f"chain broken at {event} (after v{version} {lead!r})")
            version, lead = event.version or 0, event.new
        if final[ref] != (version, lead):
            figures.trail_errors += 1
            figures.samples.append(f"{ref}: final {final[ref]}, trail ends at {(version, lead)}")
    figures.samples = figures.samples[:10]
    return figures


def _editor_state(db: str) -> tuple[dict[str, tuple[int, str | None]], dict[str, int], int]:
    """The shared actions' (version, lead), their ids, and the newest audit id."""
    engine = _engine(db)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Action.ref, Action.id, Action.version, Action.lead)
            .join(Plan, Plan.id == Action.plan_id)
            .where(Plan.slug == SHARED_PLAN)
            .order_by(Action.id)
            .limit(SHARED_ACTIONS)
        ).all()
        last = int(conn.scalar(select(func.max(AuditEvent.id))) or 0)
    engine.dispose()
    state = {f"{SHARED_PLAN}/{r.ref}": (r.version, r.lead) for r in rows}
    ids = {f"{SHARED_PLAN}/{r.ref}": r.id for r in rows}
    return state, ids, last


def run_editors(
    db: str, settings: Settings, *, check_version: bool = True, timeout: float = 600.0
) -> EditorFigures:
    """Experiment 1 on the database `db` (which holds the sample plans). `check_version=False`
    makes the editors save without their version: the lost updates the checks must catch."""
    start, ids, last_audit = _editor_state(db)
    refs = sorted(start)
    context = multiprocessing.get_context("spawn")
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    workers = [
        context.Process(
            target=_editor,
            args=(db, w, refs, settings.updates, settings.seed, check_version, ready, go, results),
            daemon=True,
        )
        for w in range(settings.processes)
    ]
    for process in workers:
        process.start()
    attempts: list[Attempt] = []
    failures: list[str] = []
    try:
        for _ in workers:
            ready.get(timeout=timeout)
        began = time.perf_counter()
        go.set()
        for _ in workers:
            _, rows, failure = results.get(timeout=timeout)
            attempts += [Attempt(**row) for row in rows]
            if failure:
                failures.append(failure)
        seconds = time.perf_counter() - began
    finally:
        for process in workers:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    engine = _engine(db)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                AuditEvent.id,
                AuditEvent.entity_ref,
                AuditEvent.entity_version,
                AuditEvent.old_value,
                AuditEvent.new_value,
            )
            .where(
                AuditEvent.id > last_audit,
                AuditEvent.entity == "action",
                AuditEvent.entity_id.in_(ids.values()),
                AuditEvent.field == "lead",
            )
            .order_by(AuditEvent.id)
        ).all()
    engine.dispose()
    trail = [TrailEvent(*row) for row in rows]
    final, _, _ = _editor_state(db)
    figures = check_editors(attempts, start, trail, final)
    figures.processes = settings.processes
    figures.seconds = round(seconds, 2)
    figures.other_errors += len(failures)
    figures.attempted += len(failures)
    figures.samples += failures
    return figures


# 2. Crash safety -----------------------------------------------------------------------------

CRASH_ID = "crash-template"
_CHILD = """
import sys
sys.path.insert(0, {root!r})
from sqlalchemy import event
from sqlalchemy.engine import Engine
{imports}


def _say(what):
    # Only watches: says when the store's write transaction begins and commits.
    def listener(connection):
        if connection.get_execution_options().get("tracker_write"):
            print(what, flush=True)

    return listener


event.listen(Engine, "begin", _say("writing"))
event.listen(Engine, "commit", _say("committing"))
print("ready", flush=True)
{call}
"""
_LOAD_CHILD = _CHILD.format(
    root=str(ROOT),
    imports="from tracker.cli import main",
    call='main(["--db", sys.argv[1], "load", sys.argv[2]], prog_name="tracker")',
)
_PIECEMEAL_CHILD = _CHILD.format(
    root=str(ROOT),
    imports="from bench.reliability import piecemeal_load",
    call="piecemeal_load(sys.argv[1], sys.argv[2])",
)


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


def plan_counts(db: str) -> dict[str, tuple[int, int, int, int]]:
    """Each plan's (recommendations, actions, progress notes, evidence)."""
    engine = _engine(db)
    found: dict[str, tuple[int, int, int, int]] = {}
    with engine.connect() as conn:
        for slug, plan_id in conn.execute(select(Plan.slug, Plan.id)):

            def count(query: Any) -> int:
                return int(conn.scalar(query) or 0)

            in_plan = select(Action.id).where(Action.plan_id == plan_id)
            found[slug] = (
                count(select(func.count()).where(Recommendation.plan_id == plan_id)),
                count(select(func.count()).where(Action.plan_id == plan_id)),
                count(select(func.count()).where(ProgressUpdate.action_id.in_(in_plan))),
                count(select(func.count()).where(Evidence.action_id.in_(in_plan))),
            )
    engine.dispose()
    return found


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
                plan = services.get_plan(session, doc.id)
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
        found = _nonzero(
            self, "partial", "storage_failures", "orphans", "earlier_changed", "failed_loads"
        )
        if self.absent + self.whole + self.partial != self.kills:
            found.append("some kills were not checked")
        if self.survived != self.kills:
            found.append(f"survived {self.survived} of {self.kills} kills")
        if not self.usable_after:
            found.append("the database could not load a plan after the kills")
        return found


class Loader:
    """A `tracker load` child process and the lines it prints ("ready", "writing")."""

    def __init__(self, db: str, file: Path, env: dict[str, str], piecemeal: bool) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _PIECEMEAL_CHILD if piecemeal else _LOAD_CHILD, db, str(file)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            text=True,
        )
        self.lines: queue.Queue[tuple[str, float]] = queue.Queue()
        self.errors: list[str] = []
        threading.Thread(
            target=self._read, args=(self.process.stdout, self.lines), daemon=True
        ).start()
        threading.Thread(target=self._read, args=(self.process.stderr, None), daemon=True).start()
        if self.wait_for("ready") is None:
            self.finish()
            raise RuntimeError(f"the loader did not start: {''.join(self.errors)[-2000:]}")

    def _read(self, stream: Any, lines: queue.Queue[tuple[str, float]] | None) -> None:
        for line in stream:
            if lines is None:
                self.errors.append(line)
            else:
                lines.put((line.strip(), time.perf_counter()))
        if lines is not None:
            lines.put(("", time.perf_counter()))  # end of output: the process has ended

    def wait_for(self, wanted: str, timeout: float = 300.0) -> float | None:
        """Wait for the line `wanted`; the moment it came (perf_counter), or None if the
        process ended first."""
        while True:
            line, when = self.lines.get(timeout=timeout)
            if line == wanted:
                return when
            if line == "":
                return None

    def last(self, wanted: str, timeout: float = 600.0) -> float | None:
        """Read to the end of the output; when the line `wanted` last came, or None."""
        found = None
        while True:
            line, when = self.lines.get(timeout=timeout)
            if line == wanted:
                found = when
            if line == "":
                return found

    def kill(self) -> bool:
        """SIGKILL the process; whether it was still running."""
        running = self.process.poll() is None
        if running:
            self.process.send_signal(signal.SIGKILL)
        self.finish()
        return running

    def finish(self, timeout: float = 600.0) -> int:
        """Wait for the process to end; its exit status."""
        return self.process.wait(timeout=timeout)


def run_crashes(
    db: str, settings: Settings, work: Path, *, piecemeal: bool = False
) -> CrashFigures:
    """Experiment 2 on the database `db`: `settings.kills` SIGKILLs of `tracker load` at
    random moments of its write transaction (from when it begins to a tenth past when it
    commits, as timed by a first, whole load). `piecemeal=True` kills a loader that commits a
    plan in pieces instead: the partial plans the checks must catch."""
    figures = CrashFigures()
    rng = random.Random(settings.seed)
    env = base_env(work)
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
    # Calibrate: how long a whole load takes, and how long its write transaction lasts.
    loader = Loader(db, plan_file("crash-calibrate"), env, piecemeal)
    ready = time.perf_counter()
    writing = loader.wait_for("writing")
    committed = loader.last("committing")
    if loader.finish() != 0 or writing is None or committed is None:
        raise RuntimeError(f"the calibration load failed: {''.join(loader.errors)[-2000:]}")
    figures.load_seconds = round(committed - ready, 3)
    figures.write_seconds = round(committed - writing, 3)
    expected = plan_counts(db)
    for attempt in range(settings.kills * 3):
        if figures.kills == settings.kills:
            break
        plan_id = f"crash-{attempt:03d}"
        loader = Loader(db, plan_file(plan_id), env, piecemeal)
        if loader.wait_for("writing") is not None:
            time.sleep(rng.uniform(0, figures.write_seconds * 1.1))
        in_write = writer_in_transaction(db)
        if not loader.kill():  # it had finished: not a kill
            if loader.process.returncode != 0:
                figures.failed_loads += 1
                figures.samples.append(f"{plan_id}: {''.join(loader.errors)[-300:]}")
            expected = plan_counts(db)
            continue
        figures.kills += 1
        figures.in_write += in_write
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
        figures.samples += [
            f"{s}: {expected[s]} before a kill, {now.get(s)} after" for s in changed
        ]
        whole_or_none = state is None or state == wanted
        figures.survived += not problems and not orphans and whole_or_none and not changed
        expected = now
    # The database must still take a whole load after all that.
    loader = Loader(db, plan_file("crash-after"), env, piecemeal=False)
    code = loader.finish()
    figures.usable_after = code == 0 and plan_counts(db).get("crash-after") == wanted
    if not figures.usable_after:
        figures.samples.append(
            f"load after the kills: exit {code}: {''.join(loader.errors)[-500:]}"
        )
    figures.seconds = round(time.perf_counter() - began, 2)
    figures.samples = figures.samples[:10]
    return figures


# 3. Hostile input ----------------------------------------------------------------------------

ACTION = f"{SHARED_PLAN}/2.2"
"""An action of the sample plans (in progress) that the update and evidence cases aim at."""
USAGE = 2
"""click's exit status for a bad option value (bad usage), e.g. `--due 2010-02-31`."""
ISOLATE_SECONDS = 10.0
"""How long a case that runs in a process of its own may take before it counts as a hang."""
KNOWN_BUGS: dict[str, str] = {
    "import/fifo.txt": "tracker.importers.extract reads a named pipe and blocks for ever",
    "import/dev-zero.pdf": "tracker.importers.extract reads /dev/zero (through a symbolic "
    "link) until memory runs out: MemoryError with a traceback",
    "import/dev-zero.txt": "as import/dev-zero.pdf",
}
"""Cases that fail for a reason already reported, by case name. They still run and are shown;
they do not count against the run. Remove an entry once the bug is fixed."""
ESCAPES = {
    "esc-clear": "\x1b[2J",
    "esc-osc-title": "\x1b]0;owned\x07",
    "esc-colour": "\x1b[31mred",
    "c1-csi": "\x9b31m",
    "bell": "\x07",
    "backspace": "abc\x08\x08\x08xyz",
    "carriage-return": "safe\rFAKE",
    "delete": "\x7f",
    "nul": "\x00",
    "vertical-tab": "\x0b",
}
"""Control characters and terminal escape sequences, by name."""


@dataclass(frozen=True)
class Case:
    """A bad input: the CLI arguments (after `--db DB`), words of which at least one must be
    in the message, the exit status wanted, and whether to run it in a process of its own
    (inputs that might hang or exhaust the process)."""

    name: str
    args: tuple[str, ...]
    expect: tuple[str, ...]
    code: int = 1
    isolate: bool = False


def base_plan(plan_id: str = "hostile") -> dict[str, Any]:
    """A valid plan file (as a TOML table) that touches every key; each generated case
    breaks one thing in it."""
    return {
        "format": 1,
        "id": plan_id,
        "title": "Hostile input base plan",
        "status": "agreed",
        "submitted": date(2010, 2, 2),
        "agreed": date(2010, 2, 22),
        "board_meetings": "FREQ=MONTHLY;BYDAY=2TU",
        "board_meetings_start": date(2010, 3, 1),
        "notes": "A valid plan: every corpus entry breaks one thing in it.",
        "inspection": {
            "area": "Hostileshire",
            "kind": "CCI",
            "published": date(2010, 1, 6),
            "published_note": "From the report's cover.",
            "fieldwork_start": date(2009, 9, 1),
            "fieldwork_end": date(2009, 10, 31),
            "source": "hand-written for the reliability bench",
            "scores": [
                {"name": "Safeguarding", "percent": 61, "improvement": "MINIMUM"},
                {"name": "Leadership", "rating": "Good"},
            ],
        },
        "roles": [{"name": "Head of Hostile YOS", "aliases": ["HoHY"]}],
        "recommendations": [
            {
                "ref": "1",
                "text": "Make sure that every assessment is timely.",
                "owners": ["Head of Hostile YOS"],
                "response": "agreed",
                "theme": "Assessment",
                "actions": [
                    {
                        "ref": "1.1",
                        "text": "Audit assessments monthly.",
                        "owner": "HoHY",
                        "lead": "A. Manager",
                        "start": date(2010, 2, 1),
                        "target": date(2010, 6, 30),
                        "status": "in progress",
                        "progress": 40,
                        "success_measure": "80% timely.",
                        "impact_check": "Re-audit in six months.",
                        "updates": [
                            {"date": date(2010, 3, 1), "author": "A. Manager", "text": "Begun."}
                        ],
                        "evidence": [
                            {
                                "title": "Audit tool",
                                "kind": "template",
                                "date": date(2010, 2, 10),
                                "reference": "Shared drive, audits folder",
                            },
                            {
                                "title": "First audit",
                                "kind": "audit",
                                "file": "/shared/audit-1.pdf",
                                "sha256": "ab" * 32,
                                "size": 12345,
                                "expires": date(2011, 2, 10),
                                "review": "accepted",
                                "reviewer": "YJB link",
                                "reviewed": date(2010, 4, 1),
                                "review_comment": "Fine.",
                            },
                        ],
                    },
                    {
                        "ref": "1.2",
                        "text": "Train the team.",
                        "status": "complete",
                        "progress": 100,
                        "completed": date(2010, 5, 1),
                        "brag_override": "green",
                        "brag_override_reason": "Signed off by the board.",
                    },
                ],
            },
            {"ref": "2", "text": "Involve children in planning.", "owners": ["HoHY"]},
        ],
    }


def _leaves(table: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) in a TOML table, lists of tables entered, lists of text kept whole."""
    if isinstance(table, dict):
        for key, value in table.items():
            yield (*path, key), value
            yield from _leaves(value, (*path, key))
    elif isinstance(table, list):
        for i, item in enumerate(table):
            if isinstance(item, dict):
                yield from _leaves(item, (*path, i))


def _set(table: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A deep copy of `table` with the value at `path` replaced (or removed: value _DROP)."""
    copy: dict[str, Any] = json.loads(json.dumps(table, default=_iso), object_hook=_dates)
    node: Any = copy
    for step in path[:-1]:
        node = node[step]
    if value is _DROP:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return copy


_DROP = object()


def _iso(value: Any) -> Any:
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    raise TypeError(value)


def _dates(table: dict[str, Any]) -> Any:
    return date.fromisoformat(table["__date__"]) if set(table) == {"__date__"} else table


def _schema_key(path: tuple[Any, ...]) -> str:
    """`recommendations.actions.evidence.size` for any list positions on the way."""
    return ".".join(str(p) for p in path if not isinstance(p, int))


def _wrong_values(value: Any) -> list[tuple[str, Any]]:
    """Values of the wrong type for a key that holds `value`."""
    if isinstance(value, bool):
        return [("text", "yes")]
    if isinstance(value, int):
        return [("text", str(value)), ("float", 4.5), ("bool", True)]
    if isinstance(value, date):
        return [("text", value.isoformat()), ("number", 20100106)]
    if isinstance(value, str):
        return [("number", 42), ("list", [value])]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [("text", "none"), ("list-of-numbers", [1, 2])]
    if isinstance(value, list):
        return [("text", "HoHY"), ("list-of-numbers", [7])]
    if isinstance(value, dict):
        return [("text", "somewhere")]
    return []


REQUIRED = {
    "format",
    "id",
    "inspection",
    "inspection.area",
    "inspection.kind",
    "inspection.scores.name",
    "roles.name",
    "recommendations.ref",
    "recommendations.text",
    "recommendations.actions.ref",
    "recommendations.actions.text",
    "recommendations.actions.updates.date",
    "recommendations.actions.updates.author",
    "recommendations.actions.updates.text",
    "recommendations.actions.evidence.title",
}
ENUMS = {
    "status": "done",
    "inspection.kind": "full",
    "inspection.scores.improvement": "SOME",
    "inspection.scores.rating": "Brilliant",
    "recommendations.response": "maybe",
    "recommendations.actions.status": "finished",
    "recommendations.actions.brag_override": "purple",
    "recommendations.actions.evidence.kind": "video",
    "recommendations.actions.evidence.review": "ok",
}
TEXT_FIELDS = [
    ("title",),
    ("notes",),
    ("inspection", "area"),
    ("inspection", "scores", 0, "name"),
    ("roles", 0, "aliases"),
    ("recommendations", 0, "text"),
    ("recommendations", 0, "owners"),
    ("recommendations", 0, "actions", 0, "text"),
    ("recommendations", 0, "actions", 0, "lead"),
    ("recommendations", 0, "actions", 0, "updates", 0, "text"),
    ("recommendations", 0, "actions", 0, "evidence", 0, "title"),
    ("recommendations", 0, "actions", 0, "evidence", 1, "file"),
]
"""Text fields that control characters are put into."""


def _generated_plans(base: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], tuple[str, ...]]]:
    """(name, plan table, words the message must hold): one broken thing each."""
    seen: set[str] = set()
    for path, value in _leaves(base):
        key = _schema_key(path)
        if key in seen:
            continue
        seen.add(key)
        leaf = str(path[-1])
        for kind, wrong in _wrong_values(value):
            yield f"wrong-type/{key}={kind}", _set(base, path, wrong), (leaf,)
        if key in REQUIRED:
            yield f"missing/{key}", _set(base, path, _DROP), (leaf, "required")
        if key in ENUMS:
            yield f"bad-value/{key}", _set(base, path, ENUMS[key]), (leaf,)
    for path in [(), ("inspection",), ("inspection", "scores", 0), ("roles", 0)] + [
        ("recommendations", 0, *rest)
        for rest in [
            (),
            ("actions", 0),
            ("actions", 0, "updates", 0),
            ("actions", 0, "evidence", 0),
        ]
    ]:
        name = ".".join(str(p) for p in path) or "top"
        yield f"unknown-key/{name}", _set(base, (*path, "colour"), "red"), ("colour", "unknown")
    for i, (escape, sequence) in enumerate(ESCAPES.items()):
        for path in (TEXT_FIELDS[i % len(TEXT_FIELDS)], TEXT_FIELDS[(i + 5) % len(TEXT_FIELDS)]):
            node: Any = base
            for step in path:
                node = node[step]
            bad: Any = [f"x{sequence}"] if isinstance(node, list) else f"{node}{sequence}"
            yield f"control/{escape}/{_schema_key(path)}", _set(base, path, bad), ("control",)


def _actions_path(*rest: Any) -> tuple[Any, ...]:
    return ("recommendations", 0, "actions", 0, *rest)


def _rule_breaks(base: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], tuple[str, ...]]]:
    """Hand-written: values of the right type that break a rule of the format."""
    rec = ("recommendations", 0)
    ev = _actions_path("evidence", 1)
    long_text, long_name = "x" * 20_001, "n" * 201
    cases: list[tuple[str, tuple[Any, ...], Any, tuple[str, ...]]] = [
        ("progress-101", _actions_path("progress"), 101, ("progress",)),
        ("progress-negative", _actions_path("progress"), -1, ("progress",)),
        ("percent-150", ("inspection", "scores", 0, "percent"), 150, ("percent",)),
        ("format-2", ("format",), 2, ("format",)),
        ("huge-integer", _actions_path("progress"), 2**70, ("progress", "too large")),
        ("size-over-int32", (*ev, "size"), 3_000_000_000, ("size", "too large")),
        ("size-negative", (*ev, "size"), -5, ("size",)),
        ("target-before-start", _actions_path("target"), date(2010, 1, 1), ("target", "before")),
        ("agreed-before-submitted", ("agreed",), date(2010, 1, 2), ("agreed", "before")),
        ("fieldwork-backwards", ("inspection", "fieldwork_end"), date(2009, 1, 1), ("fieldwork",)),
        ("status-needs-date", ("status",), "monitoring", ("forwarded",)),
        ("complete-without-date", _actions_path("status"), "complete", ("completed",)),
        ("completed-not-complete", _actions_path("completed"), date(2010, 5, 1), ("completed",)),
        ("override-no-reason", _actions_path("brag_override"), "red", ("reason",)),
        ("sha256-short", (*ev, "sha256"), "abc", ("sha256",)),
        ("sha256-upper", (*ev, "sha256"), "AB" * 32, ("sha256",)),
        ("file-and-reference", (*ev, "reference"), "also here", ("reference",)),
        ("sha-with-reference", _actions_path("evidence", 0, "sha256"), "ab" * 32, ("sha256",)),
        ("reviewed-no-reviewer", (*ev, "reviewer"), _DROP, ("reviewer",)),
        ("bad-rrule", ("board_meetings",), "FREQ=SOMETIMES", ("board_meetings",)),
        ("id-upper", ("id",), "Hostile-Plan", ("id",)),
        ("id-spaces", ("id",), "hostile plan", ("id",)),
        ("id-path", ("id",), "../../etc/passwd", ("id",)),
        ("id-empty", ("id",), "", ("id",)),
        ("id-long", ("id",), "h" * 101, ("id",)),
        ("id-slash", ("id",), "plan/1", ("id",)),
        ("id-unicode", ("id",), "plän", ("id",)),
        ("id-leading-dash", ("id",), "-plan", ("id",)),
        ("id-of-a-loaded-plan", ("id",), SHARED_PLAN, ("already in the database",)),
        ("rec-ref-space", (*rec, "ref"), "1 1", ("ref",)),
        ("rec-ref-path", (*rec, "ref"), "../1", ("ref",)),
        ("rec-ref-empty", (*rec, "ref"), "", ("ref",)),
        ("rec-ref-long", (*rec, "ref"), "1" * 21, ("ref",)),
        ("action-ref-slash", _actions_path("ref"), "1/1", ("ref",)),
        ("duplicate-rec-ref", ("recommendations", 1, "ref"), "1", ("used twice",)),
        ("duplicate-action-ref", _actions_path("ref"), "1.2", ("used twice",)),
        (
            "duplicate-action-ref-across",
            ("recommendations", 1, "actions"),
            [{"ref": "1.1", "text": "Again."}],
            ("used twice",),
        ),
        ("empty-role-alias", ("roles", 0, "aliases"), [" "], ("alias", "empty")),
        (
            "alias-taken",
            ("roles",),
            [{"name": "A team"}, {"name": "B team", "aliases": ["A team"]}],
            ("alias",),
        ),
        ("huge-notes", ("notes",), long_text, ("notes", "characters")),
        ("huge-action-text", _actions_path("text"), long_text, ("text", "characters")),
        ("huge-update", _actions_path("updates", 0, "text"), long_text, ("text", "characters")),
        ("huge-rec-text", (*rec, "text"), long_text, ("text", "characters")),
        ("huge-evidence-title", (*ev, "title"), long_text, ("title", "characters")),
        ("long-area", ("inspection", "area"), long_name, ("area", "characters")),
        ("long-lead", _actions_path("lead"), long_name, ("lead", "characters")),
        ("long-owner", _actions_path("owner"), long_name, ("owner", "characters")),
        ("long-role", ("roles", 0, "name"), long_name, ("name", "characters")),
        ("long-alias", ("roles", 0, "aliases"), [long_name], ("aliases", "characters")),
        ("long-rec-owner", (*rec, "owners"), [long_name], ("owners", "characters")),
        ("long-theme", (*rec, "theme"), long_name, ("theme", "characters")),
        ("long-author", _actions_path("updates", 0, "author"), long_name, ("author", "characters")),
        ("long-reviewer", (*ev, "reviewer"), long_name, ("reviewer", "characters")),
        ("long-score-name", ("inspection", "scores", 0, "name"), long_name, ("name", "characters")),
        ("long-rrule", ("board_meetings",), "FREQ=MONTHLY;" + "x" * 500, ("board_meetings",)),
        ("nul-escape-in-area", ("inspection", "area"), "Hostile\x00shire", ("control",)),
    ]
    for name, path, value, expect in cases:
        yield f"rule/{name}", _set(base, path, value), expect


def _hand_written_toml(base_text: str) -> dict[str, bytes]:
    """Plan files that are broken as text: malformed TOML, impossible dates, encodings, NUL
    bytes, binary data, emptiness and size. Name -> bytes."""
    good = base_text.encode("utf-8")
    published = "published = 2010-01-06"
    assert published in base_text

    def date_swap(day: str) -> bytes:
        return base_text.replace(published, f"published = {day}").encode("utf-8")

    lines = base_text.splitlines(keepends=True)
    files: dict[str, bytes] = {
        "toml/unterminated-string": b'format = 1\nid = "hostile\n',
        "toml/unterminated-multiline": b'format = 1\nnotes = """never closed\n',
        "toml/unclosed-array": b"format = 1\nboard = [1, 2\n",
        "toml/unclosed-table-header": b"format = 1\n[inspection\narea = 'x'\n",
        "toml/unclosed-array-table": b"format = 1\n[[recommendations]\nref = '1'\n",
        "toml/duplicate-key": good.replace(b'id = "hostile"', b'id = "hostile"\nid = "again"'),
        "toml/duplicate-table": good + b'\n[inspection]\narea = "Again"\n',
        "toml/key-without-value": b"format = 1\nid =\n",
        "toml/bare-word-value": b"format = 1\nid = hostile\n",
        "toml/bad-escape": b'format = 1\nid = "host\\qile"\n',
        "toml/only-equals": b"=\n",
        "toml/inline-table-newline": b"format = 1\ninspection = { area = 'x',\n kind = 'CCI' }\n",
        "toml/raw-escape-byte": good.replace(b"Hostileshire", b"Hostile\x1b[2Jshire"),
        "toml/raw-bell-byte": good.replace(b"Hostileshire", b"Hostile\x07shire"),
        "toml/truncated-half": good[: len(good) // 2] + b'"unterminated',
        "toml/cut-inside-string": "".join(lines[:3]).encode() + b'title = "Host',
        "toml/dotted-key-clash": b"format = 1\ninspection = 'x'\ninspection.area = 'y'\n",
        "toml/deep-nesting": b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "date/feb-31": date_swap("2010-02-31"),
        "date/feb-29-not-leap": date_swap("2011-02-29"),
        "date/feb-30": date_swap("2010-02-30"),
        "date/april-31": date_swap("2010-04-31"),
        "date/month-13": date_swap("2010-13-01"),
        "date/month-0": date_swap("2010-00-10"),
        "date/day-0": date_swap("2010-01-00"),
        "date/year-0": date_swap("0000-01-06"),
        "date/no-leading-zeros": date_swap("2010-1-6"),
        "date/hour-25": date_swap("2010-01-06T25:00:00"),
        "date/uk-style": date_swap("06/01/2010"),
        "date/quoted-impossible": date_swap('"2010-02-31"'),
        "date/update-june-31": good.replace(b"date = 2010-03-01", b"date = 2010-06-31"),
        "empty/zero-bytes": b"",
        "empty/whitespace": b" \n\t\n   \n",
        "empty/comments-only": b"# a plan\n# nothing here\n",
        "empty/bom-only": b"\xef\xbb\xbf",
        "nul/middle": good[:200] + b"\x00" + good[200:],
        "nul/start": b"\x00" + good,
        "nul/in-comment": b"# \x00\n" + good,
        "encoding/latin-1": good.replace(b"Hostileshire", "Hôstileshire".encode("latin-1")),
        "encoding/cp1252-quotes": good.replace(b"Begun.", "\u201cBegun\u201d".encode("cp1252")),
        "encoding/invalid-byte-ff": good.replace(b"Hostileshire", b"Host\xffshire"),
        "encoding/truncated-multibyte": good + "# é".encode()[:-1],
        "encoding/overlong-slash": good.replace(b"Hostileshire", b"Host\xc0\xafshire"),
        "encoding/surrogate": good.replace(b"Hostileshire", b"Host\xed\xa0\x80shire"),
        "encoding/utf-16-bom": "\ufeff".encode("utf-16-le") + base_text.encode("utf-16-le"),
        "encoding/utf-16-be": base_text.encode("utf-16-be"),
        "encoding/utf-32": base_text.encode("utf-32"),
        "encoding/bom-then-text": b"\xef\xbb\xbf" + b"garbage = = =\n",
        "binary/random": random.Random(7).randbytes(4096),
        "binary/png": b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(512),
        "binary/zip": _zip_bytes({"word/document.xml": "<w:document/>"}),
        "binary/pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "binary/elf": b"\x7fELF\x02\x01\x01" + bytes(120),
        "binary/gzip": gzip.compress(good),
        "size/over-20-mib": b"# " + b"x" * (21 * 1024 * 1024) + b"\n" + good,
        "size/19-mib-string": good.replace(
            b"Hostileshire", b"Hostileshire" + b"y" * (19 * 1024 * 1024)
        ),
        "size/long-line-many-keys": good
        + b"[extra]\n"
        + b"".join(b"k%d = %d\n" % (i, i) for i in range(50_000)),
    }
    return files


def _zip_bytes(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


HAND_EXPECT = {
    "toml": ("TOML", "unknown key", "nest"),
    "date": ("TOML", "published", "date"),
    "empty": ("required", "TOML"),
    "nul": ("binary",),
    "encoding": ("UTF-8", "binary", "TOML"),
    "binary": ("binary", "UTF-8", "TOML"),
    "size": ("bytes", "characters", "unknown key"),
}
"""Words the message must hold, by kind of hand-written plan file."""


def _report_cases(folder: Path) -> list[Case]:
    """Bad inspection reports for `tracker import`."""
    seed = (ROOT / "tests" / "seeds" / "stockton-2010-board-report.txt").read_text("utf-8")
    rng = random.Random(11)
    files: dict[str, tuple[bytes, tuple[str, ...]]] = {
        "empty.txt": (b"", ("empty",)),
        "blank.md": (b"  \n\t\n", ("empty",)),
        "nul.txt": (seed.encode()[:500] + b"\x00" + seed.encode()[500:], ("binary",)),
        "random.txt": (rng.randbytes(8192), ("binary", "not an inspection report", "no ")),
        "random.pdf": (rng.randbytes(8192), ("not a PDF",)),
        "random.docx": (rng.randbytes(8192), ("not a zip", "not a Word")),
        "text.pdf": (seed.encode(), ("not a PDF",)),
        "header-only.pdf": (b"%PDF-1.4\n", ("PDF", "no text")),
        "damaged.pdf": (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF",
            ("PDF", "no text"),
        ),
        "blank-page.pdf": (_blank_pdf(), ("no text",)),
        "encrypted.pdf": (_blank_pdf(password="secret"), ("password",)),
        "pdf-named.txt": (_blank_pdf(), ("PDF",)),
        "zip-named.md": (_zip_bytes({"a.txt": "x"}), ("zip",)),
        "not-word.docx": (_zip_bytes({"hello.txt": "not word"}), ("not a Word",)),
        "word-xml-garbage.docx": (
            _zip_bytes({"word/document.xml": "<not xml", "[Content_Types].xml": "<x"}),
            ("Word", "docx"),
        ),
        "no-recommendations.docx": (_docx_bytes("The weather in Hostileshire was fine."), ()),
        "zip-bomb.docx": (_zip_bomb(), ("unpacks to more than",)),
        "report.doc": (seed.encode(), ("cannot read .doc",)),
        "report.rtf": (b"{\\rtf1 hello}", ("cannot read .rtf",)),
        "report": (seed.encode(), ("without an extension",)),
        "plan.toml": (
            (ROOT / "sample_plans" / "stockton-2010.toml").read_bytes(),
            ("cannot read",),
        ),
        "lorem.txt": (b"Lorem ipsum dolor sit amet. " * 200, ()),
        "latin-1-noise.txt": (bytes(rng.randrange(0xA0, 0x100) for _ in range(3000)), ()),
        "utf-16-odd.txt": (b"\xff\xfe" + b"a\x00b\x00c", ("UTF-16",)),
        "no-recommendations.txt": (seed.split("recommendation")[0].encode(), ()),
    }
    cases: list[Case] = []
    for name, (data, expect) in files.items():
        path = folder / name
        path.write_bytes(data)
        # () means: any message that says it cannot import this report.
        words = expect or ("recommendation", "not an inspection report", "report", "area")
        cases.append(Case(f"import/{name}", ("import", str(path)), words))
    sparse = folder / "over-50-mib.txt"
    with sparse.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    seed_file = folder / "stockton-seed.txt"
    seed_file.write_text(seed, "utf-8")
    (folder / "folder.pdf").mkdir(exist_ok=True)
    fifo = folder / "fifo.txt"
    os.mkfifo(fifo)
    for name, target in (("dev-zero.pdf", "/dev/zero"), ("dev-zero.txt", "/dev/zero")):
        (folder / name).symlink_to(target)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    cases += [
        Case("import/over-50-mib.txt", ("import", str(sparse)), ("bytes",)),
        Case("import/folder.pdf", ("import", str(folder / "folder.pdf")), ("folder",)),
        Case("import/missing.txt", ("import", str(folder / "missing.txt")), ("does not exist",)),
        Case("import/dangling.txt", ("import", str(folder / "dangling.txt")), ("does not exist",)),
        Case("import/fifo.txt", ("import", str(fifo)), ("regular file", "pipe"), isolate=True),
        Case(
            "import/dev-zero.pdf", ("import", str(folder / "dev-zero.pdf")), ("regular",), 1, True
        ),
        Case(
            "import/dev-zero.txt", ("import", str(folder / "dev-zero.txt")), ("regular",), 1, True
        ),
        Case(
            "import/id-taken",
            ("import", str(seed_file), "--id", SHARED_PLAN),
            ("already in the database",),
        ),
        Case("import/id-upper", ("import", str(seed_file), "--id", "Bad-Id"), ("plan id",)),
        Case("import/id-path", ("import", str(seed_file), "--id", "../../x"), ("plan id",)),
        Case("import/id-escape", ("import", str(seed_file), "--id", "x\x1b[2J"), ("plan id",)),
    ]
    return cases


def _blank_pdf(password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx_bytes(paragraph: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A .docx-looking zip whose one part unpacks to 310 MiB of zeros (about 300 KiB packed)."""
    buffer = io.BytesIO()
    block = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w") as member:
            for _ in range(310):
                member.write(block)
    return buffer.getvalue()


def _update_cases() -> list[Case]:
    """Bad edits of an action through `tracker update`."""
    cases = [
        Case("update/no-such-plan", ("update", "nowhere-2010/1.1", "--note", "x"), ("no plan",)),
        Case(
            "update/no-such-action",
            ("update", f"{SHARED_PLAN}/99.9", "--note", "x"),
            ("no action",),
        ),
        Case("update/ref-plan-only", ("update", SHARED_PLAN, "--note", "x"), ("not an action id",)),
        Case("update/ref-slash", ("update", "/", "--note", "x"), ("not an action id",)),
        Case("update/ref-empty", ("update", "", "--note", "x"), ("not an action id",)),
        Case("update/ref-trailing", ("update", f"{SHARED_PLAN}/", "--note", "x"), ("action id",)),
        Case("update/ref-path", ("update", "../../etc/passwd", "--note", "x"), ("no plan",)),
        Case("update/ref-escape", ("update", "\x1b[2J/1.1", "--note", "x"), ("no plan",)),
        Case("update/nothing-to-change", ("update", ACTION), ("nothing to change",)),
        Case("update/progress-101", ("update", ACTION, "--progress", "101"), ("progress",)),
        Case("update/progress-negative", ("update", ACTION, "--progress", "-1"), ("progress",)),
        Case(
            "update/complete-at-50",
            ("update", ACTION, "--status", "complete", "--progress", "50"),
            ("100%",),
        ),
        Case(
            "update/completed-not-complete",
            ("update", ACTION, "--completed", "2010-05-01"),
            ("completion date",),
        ),
        Case(
            "update/due-before-start",
            ("update", ACTION, "--start", "2010-06-01", "--due", "2010-05-01"),
            ("before the start",),
        ),
        Case("update/override-no-reason", ("update", ACTION, "--override", "red"), ("reason",)),
        Case("update/empty-text", ("update", ACTION, "--text", ""), ("empty",)),
        Case("update/blank-note", ("update", ACTION, "--note", "   "), ("empty",)),
        Case("update/huge-note", ("update", ACTION, "--note", "x" * 20_001), ("characters",)),
        Case("update/huge-text", ("update", ACTION, "--text", "x" * 20_001), ("characters",)),
        Case("update/long-lead", ("update", ACTION, "--lead", "l" * 201), ("characters",)),
        Case("update/long-owner", ("update", ACTION, "--owner", "o" * 201), ("characters",)),
        Case(
            "update/long-user", ("--as", "u" * 201, "update", ACTION, "--note", "x"), ("user name",)
        ),
        Case(
            "update/escape-user",
            ("--as", "u\x1b[2J", "update", ACTION, "--note", "x"),
            ("user name",),
        ),
        Case(
            "update/stale-version",
            ("update", ACTION, "--note", "x", "--expect-version", "0"),
            ("changed by someone else",),
        ),
        Case(
            "update/huge-version",
            ("update", ACTION, "--note", "x", "--expect-version", str(2**70)),
            ("version",),
        ),
        Case(
            "update/negative-version",
            ("update", ACTION, "--note", "x", "--expect-version", "-3"),
            ("version",),
        ),
        Case(
            "update/due-feb-31", ("update", ACTION, "--due", "2010-02-31"), ("not a date",), USAGE
        ),
        Case(
            "update/due-uk-31-feb",
            ("update", ACTION, "--due", "31/02/2010"),
            ("not a date",),
            USAGE,
        ),
        Case(
            "update/start-feb-29",
            ("update", ACTION, "--start", "2011-02-29"),
            ("not a date",),
            USAGE,
        ),
        Case(
            "update/completed-month-13",
            ("update", ACTION, "--completed", "2010-13-01"),
            ("not a date",),
            USAGE,
        ),
        Case("update/due-escape", ("update", ACTION, "--due", "\x1b[2J"), ("not a date",), USAGE),
        Case("update/progress-word", ("update", ACTION, "--progress", "ten"), ("progress",), USAGE),
    ]
    options = ["--note", "--text", "--lead", "--owner", "--success-measure", "--impact-check"]
    for i, (escape, sequence) in enumerate(ESCAPES.items()):
        for option in (options[i % len(options)], options[(i + 2) % len(options)]):
            if escape == "nul":
                continue  # a NUL byte cannot be passed in a process's arguments
            cases.append(
                Case(
                    f"update/control/{escape}{option}",
                    ("update", ACTION, option, f"text {sequence} more"),
                    ("control",),
                )
            )
    cases.append(
        Case(
            "update/control/override-reason",
            ("update", ACTION, "--override", "red", "--override-reason", "why\x1b[2J"),
            ("control",),
        )
    )
    return cases


def _evidence_cases(folder: Path) -> list[Case]:
    """Bad evidence through `tracker evidence add`: files that are not plain files, path
    tricks, and bad text."""
    real = folder / "evidence.pdf"
    real.write_bytes(b"%PDF-1.4 evidence\n")
    (folder / "link.pdf").symlink_to(real)
    (folder / "link-to-passwd").symlink_to("/etc/passwd")
    (folder / "dangling.pdf").symlink_to(folder / "gone.pdf")
    (folder / "loop-a.pdf").symlink_to(folder / "loop-b.pdf")
    (folder / "loop-b.pdf").symlink_to(folder / "loop-a.pdf")
    (folder / "a-folder.pdf").mkdir(exist_ok=True)
    os.mkfifo(folder / "pipe.pdf")
    escaped = folder / "name\x1b[2J\x07.pdf"
    escaped.write_bytes(b"evidence")

    def add(name: str, *options: str, expect: tuple[str, ...], isolate: bool = False) -> Case:
        args = ("evidence", "add", ACTION, *options)
        return Case(f"evidence/{name}", args, expect, isolate=isolate)

    def file(name: str, path: str | Path, expect: tuple[str, ...], isolate: bool = False) -> Case:
        return add(name, "--title", "Evidence", "--file", str(path), expect=expect, isolate=isolate)

    return [
        file("symlink", folder / "link.pdf", ("symbolic link",)),
        file("symlink-to-passwd", folder / "link-to-passwd", ("symbolic link",)),
        file("dangling-symlink", folder / "dangling.pdf", ("symbolic link",)),
        file("symlink-loop", folder / "loop-a.pdf", ("symbolic link",)),
        file("folder", folder / "a-folder.pdf", ("not a regular file",)),
        file("missing", folder / "missing.pdf", ("does not exist",)),
        file("named-pipe", folder / "pipe.pdf", ("not a regular file",), isolate=True),
        file("dev-null", "/dev/null", ("not a regular file",), isolate=True),
        file("dev-zero", "/dev/zero", ("not a regular file",), isolate=True),
        file("proc-folder", "/proc/self", ("not a regular file", "symbolic link")),
        file("dot-dot-through-file", f"{real}/../evidence.pdf", ("does not exist",)),
        file("name-too-long", folder / ("n" * 5000 + ".pdf"), ("too long",)),
        file("no-such-home", "~no-such-user-here/evidence.pdf", ("home directory",)),
        file("empty-path", "", ("not a regular file", "does not exist")),
        file("escape-in-name", escaped, ("control",)),
        add(
            "file-and-ref", "--title", "E", "--file", str(real), "--ref", "R", expect=("not both",)
        ),
        add("neither", "--title", "E", expect=("either a file or a reference",)),
        add("empty-title", "--title", "", "--ref", "R", expect=("empty",)),
        add("huge-title", "--title", "t" * 20_001, "--ref", "R", expect=("characters",)),
        add("huge-ref", "--title", "E", "--ref", "r" * 20_001, expect=("characters",)),
        add("empty-ref", "--title", "E", "--ref", " ", expect=("empty",)),
        add("escape-title", "--title", "E\x1b[2J", "--ref", "R", expect=("control",)),
        add("osc-title", "--title", "E\x1b]0;owned\x07", "--ref", "R", expect=("control",)),
        add("c1-ref", "--title", "E", "--ref", "R\x9b31m", expect=("control",)),
        add("cr-ref", "--title", "E", "--ref", "R\rFAKE", expect=("control",)),
        Case(
            "evidence/no-such-action",
            ("evidence", "add", f"{SHARED_PLAN}/99.9", "--title", "E", "--ref", "R"),
            ("no action",),
        ),
        Case(
            "evidence/bad-action-id",
            ("evidence", "add", "nothing", "--title", "E", "--ref", "R"),
            ("not an action id",),
        ),
        Case(
            "evidence/date-feb-31",
            ("evidence", "add", ACTION, "--title", "E", "--ref", "R", "--date", "2010-02-31"),
            ("not a date",),
            USAGE,
        ),
    ]


def _path_cases(folder: Path, good: Path) -> list[Case]:
    """Plan file paths that are not plain files, and loads of several files."""
    fifo = folder / "fifo.toml"
    os.mkfifo(fifo)
    (folder / "dev-zero.toml").symlink_to("/dev/zero")
    (folder / "loop-a.toml").symlink_to(folder / "loop-b.toml")
    (folder / "loop-b.toml").symlink_to(folder / "loop-a.toml")
    (folder / "dangling.toml").symlink_to(folder / "gone.toml")
    (folder / "a-folder.toml").mkdir(exist_ok=True)
    bad = folder / "second-bad.toml"
    bad.write_text(tomli_w.dumps(_set(base_plan("second"), ("format",), "one")), "utf-8")
    twin = folder / "twin.toml"
    twin.write_text(tomli_w.dumps(base_plan()), "utf-8")
    sample = ROOT / "sample_plans" / f"{SHARED_PLAN}.toml"

    def load(name: str, *paths: Path | str, expect: tuple[str, ...], isolate: bool = False) -> Case:
        return Case(f"load/path/{name}", ("load", *map(str, paths)), expect, isolate=isolate)

    return [
        load("missing", folder / "missing.toml", expect=("cannot be read",)),
        load("missing-folder", folder / "no" / "such" / "plan.toml", expect=("cannot be read",)),
        load("folder", folder / "a-folder.toml", expect=("folder",)),
        load("named-pipe", fifo, expect=("regular file",), isolate=True),
        load("dev-zero", folder / "dev-zero.toml", expect=("regular file",), isolate=True),
        load("dev-null", "/dev/null", expect=("regular file",), isolate=True),
        load("symlink-loop", folder / "loop-a.toml", expect=("cannot be read",)),
        load("dangling-symlink", folder / "dangling.toml", expect=("cannot be read",)),
        load("name-too-long", folder / ("n" * 5000 + ".toml"), expect=("too long",)),
        load("empty-name", "", expect=("folder",)),
        load("proc-self-environ", "/proc/self/environ", expect=("binary", "TOML")),
        load("good-then-bad", good, bad, expect=("format",)),
        load("bad-then-good", bad, good, expect=("format",)),
        load("same-id-twice", good, twin, expect=("more than once",)),
        load("same-file-twice", good, good, expect=("more than once",)),
        load("good-then-loaded-sample", good, sample, expect=("already in the database",)),
    ]


def build_corpus(folder: Path) -> list[Case]:
    """Write the hostile corpus's files into `folder` (which must be empty or new) and
    return its cases, every one of which must be refused."""
    folder.mkdir(parents=True, exist_ok=True)
    plans = folder / "plans"
    plans.mkdir(exist_ok=True)
    base = base_plan()
    base_text = tomli_w.dumps(base)
    parse_plan(base_text.encode(), "base")  # the base itself is valid
    good = plans / "good.toml"
    good.write_text(base_text, "utf-8")
    cases: list[Case] = []
    written: list[tuple[str, bytes, tuple[str, ...]]] = [
        (name, tomli_w.dumps(table).encode("utf-8"), expect)
        for name, table, expect in [*_generated_plans(base), *_rule_breaks(base)]
    ]
    written += [
        (name, data, HAND_EXPECT[name.split("/")[0]])
        for name, data in _hand_written_toml(base_text).items()
    ]
    for n, (name, data, expect) in enumerate(written):
        path = plans / f"{n:03d}-{name.replace('/', '__').replace('=', '-')}.toml"
        path.write_bytes(data)
        cases.append(Case(f"load/{name}", ("load", str(path)), expect))
    for sub, make in (
        ("paths", lambda f: _path_cases(f, good)),
        ("reports", _report_cases),
        ("evidence", _evidence_cases),
    ):
        (folder / sub).mkdir(exist_ok=True)
        cases += make(folder / sub)
    cases += _update_cases()
    names = [c.name for c in cases]
    duplicated = {n for n in names if names.count(n) > 1}
    assert not duplicated, f"corpus names used twice: {sorted(duplicated)}"
    return cases


@dataclass
class HostileFigures:
    """What the hostile input experiment found."""

    tried: int = 0
    refused_cleanly: int = 0
    failures: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    """Cases in KNOWN_BUGS that still fail (not counted as failures)."""
    fixed: list[str] = field(default_factory=list)
    """Cases in KNOWN_BUGS that now pass: take them out of KNOWN_BUGS."""
    by_command: dict[str, int] = field(default_factory=dict)
    own_process: int = 0
    """Cases run as `python -m tracker` processes (the rest through click's CliRunner)."""
    seconds: float = 0.0

    def problems(self) -> list[str]:
        """Every way the figures fall short; empty when all is as it must be."""
        found = list(self.failures)
        if self.tried - len(self.known) < MIN_CORPUS:
            found.append(f"only {self.tried - len(self.known)} inputs tried, not {MIN_CORPUS}")
        return found


MIN_CORPUS = 200


def _run_in_process(case: Case, db: str, env: dict[str, str]) -> tuple[int, str, str, str]:
    from click.testing import CliRunner

    from tracker.cli import main

    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("TRACKER_")}
    result = CliRunner().invoke(main, ["--db", db, *case.args], env={**unset, **env})
    crash = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        crash = "".join(traceback.format_exception(*result.exc_info))
    return result.exit_code, result.stdout, result.stderr, crash


def _limit_memory() -> None:
    limit = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _run_process(
    case: Case, db: str, env: dict[str, str], work: Path
) -> tuple[int | None, str, str, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", db, *case.args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=work,
        preexec_fn=_limit_memory,
    )
    try:
        out, err = process.communicate(timeout=ISOLATE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None, "", "", ""
    return (
        process.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        "",
    )


def judge(case: Case, code: int | None, out: str, err: str, crash: str) -> list[str]:
    """What is wrong with how the CLI answered a bad input (empty: refused cleanly)."""
    if code is None:
        return [f"still running after {ISOLATE_SECONDS:.0f} s (hangs)"]
    problems = []
    if crash or "Traceback" in out + err:
        last = (crash or err).strip().splitlines()[-1:] or [""]
        problems.append(f"traceback: {last[0][:200]}")
    if code != case.code:
        problems.append(f"exit {code}, not {case.code}")
    message = err.strip()
    if not message:
        problems.append("nothing on stderr")
    elif not any(word.lower() in message.lower() for word in case.expect):
        shown = message.splitlines()[-1][:200]
        problems.append(f"the message does not say {' or '.join(case.expect)!r}: {shown}")
    if has_control(out + err):
        problems.append("printed a raw control character")
    return problems


def run_hostile(
    target: Target, settings: Settings, work: Path, *, real_processes: bool = False
) -> HostileFigures:
    """Experiment 3: every case of the corpus through the CLI on a database holding the
    sample plans, each checked against a snapshot of the database taken before. Cases run in
    the bench's process (click's CliRunner) one after another on one database; those that
    must be isolated (or all, with `real_processes`) run as `python -m tracker` processes,
    a few at a time, each on a database of its own."""
    del settings  # the whole corpus runs at every setting
    began = time.perf_counter()
    cases = build_corpus(work / "corpus")
    env = base_env(work)
    db = target.fresh("hostile")
    before = snapshot(db)
    found: dict[str, list[str]] = {}
    lock = threading.Lock()

    def in_own_process(index: int, case: Case) -> None:
        with lock:
            own = target.fresh(f"hostile-{index}")
        problems = judge(case, *_run_process(case, own, env, work))
        if snapshot(own) != before:
            problems.append("the database changed")
        with lock:
            target.drop(own)
        found[case.name] = problems

    workers = max(2, os.cpu_count() or 2) if real_processes else 3
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(in_own_process, index, case)
            for index, case in enumerate(cases)
            if case.isolate or real_processes
        ]
        for n, case in enumerate(cases):
            if case.isolate or real_processes:
                continue
            if n % 20 == 0:
                gc.collect()  # each run's engine (and its pooled connection) goes with it
            problems = judge(case, *_run_in_process(case, db, env))
            if snapshot(db) != before:
                problems.append("the database changed")
                db = target.fresh("hostile")
            found[case.name] = problems
        for future in futures:
            future.result()
    target.drop(db)
    figures = HostileFigures()
    figures.own_process = len(futures)
    for case in cases:
        problems = found[case.name]
        figures.tried += 1
        command = case.args[0] if case.args[0] != "--as" else case.args[2]
        figures.by_command[command] = figures.by_command.get(command, 0) + 1
        if not problems:
            figures.refused_cleanly += 1
            if case.name in KNOWN_BUGS:
                figures.fixed.append(case.name)
        elif case.name in KNOWN_BUGS:
            figures.known.append(f"{case.name}: {'; '.join(problems)}")
        else:
            figures.failures.append(f"{case.name}: {'; '.join(problems)}")
    figures.seconds = round(time.perf_counter() - began, 2)
    return figures


# The run -------------------------------------------------------------------------------------


@dataclass
class Results:
    """The three experiments' figures on one database."""

    database: str
    editors: EditorFigures | None = None
    crash: CrashFigures | None = None
    hostile: HostileFigures | None = None

    def problems(self) -> list[str]:
        """Every way the figures fall short, by experiment."""
        found: list[str] = []
        for name in ("editors", "crash", "hostile"):
            figures = getattr(self, name)
            if figures is not None:
                found += [f"{self.database} {name}: {p}" for p in figures.problems()]
        return found


EXPERIMENTS = ("editors", "crash", "hostile")


def run_all(
    target: Target,
    settings: Settings,
    work: Path,
    *,
    only: tuple[str, ...] = EXPERIMENTS,
    real_processes: bool = False,
    say: Callable[[str], None] = lambda _: None,
) -> Results:
    """Run the experiments named in `only` on `target`."""
    results = Results(target.kind)
    if "editors" in only:
        say(f"{target.kind}: concurrent editors...")
        db = target.fresh("editors")
        results.editors = run_editors(db, settings)
        target.drop(db)
    if "crash" in only:
        say(f"{target.kind}: crash safety...")
        db = target.fresh("crash")
        results.crash = run_crashes(db, settings, work)
        target.drop(db)
    if "hostile" in only:
        say(f"{target.kind}: hostile input...")
        results.hostile = run_hostile(target, settings, work, real_processes=real_processes)
    return results


def _rows(results: Results) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    e, c, h = results.editors, results.crash, results.hostile
    if e is not None:
        rows += [
            ("Concurrent editors", ""),
            ("  processes", str(e.processes)),
            ("  shared actions", str(e.actions)),
            ("  updates attempted", str(e.attempted)),
            ("  applied", str(e.applied)),
            ("  conflicts reported to the loser", str(e.conflicts)),
            ("  lost updates", str(e.lost)),
            ("  saved despite a conflict", str(e.saved_despite_conflict)),
            ("  spurious conflicts", str(e.spurious_conflicts)),
            ("  audit trail errors", str(e.trail_errors)),
            ('  "database is locked" errors', str(e.lock_errors)),
            ("  other errors", str(e.other_errors)),
            ("  seconds", f"{e.seconds:.1f}"),
        ]
    if c is not None:
        rows += [
            ("Crash safety", ""),
            ("  rows in the plan loaded", str(c.plan_rows)),
            ("  seconds for a whole load", f"{c.load_seconds:.2f}"),
            ("  ... of which writing", f"{c.write_seconds:.2f}"),
            ("  kills (SIGKILL)", str(c.kills)),
            ("  ... inside the write transaction", str(c.in_write)),
            ("  survived (every check passed)", str(c.survived)),
            ("  storage check failures", str(c.storage_failures)),
            ("  plan absent after the kill", str(c.absent)),
            ("  plan whole after the kill", str(c.whole)),
            ("  partial plans", str(c.partial)),
            ("  orphan rows", str(c.orphans)),
            ("  earlier plans changed", str(c.earlier_changed)),
            ("  whole load after the kills", "ok" if c.usable_after else "FAILED"),
            ("  seconds", f"{c.seconds:.1f}"),
        ]
    if h is not None:
        rows += [
            ("Hostile input", ""),
            ("  inputs tried", str(h.tried)),
            *[(f"  ... {k}", str(v)) for k, v in sorted(h.by_command.items())],
            ("  ... run as processes of their own", str(h.own_process)),
            ("  refused cleanly", str(h.refused_cleanly)),
            ("  failures", str(len(h.failures))),
            ("  known bugs (reported, not counted)", str(len(h.known))),
            ("  seconds", f"{h.seconds:.1f}"),
        ]
    rows.append(("Verdict", "FAIL" if results.problems() else "pass"))
    return rows


def table(all_results: list[Results]) -> str:
    """The figures side by side, a column per database."""
    columns: list[dict[tuple[str, str], str]] = []
    labels: list[tuple[str, str]] = []
    for results in all_results:
        column: dict[tuple[str, str], str] = {}
        section = ""
        for label, value in _rows(results):
            section = label if not label.startswith(" ") else section
            column[section, label] = value
            if (section, label) not in labels:
                labels.append((section, label))
        columns.append(column)
    width = max(len(label) for _, label in labels) + 2
    lines = [" " * width + "".join(f"{r.database:>12}" for r in all_results)]
    for key in labels:
        cells = "".join(f"{column.get(key, '-'):>12}" for column in columns)
        lines.append(f"{key[1]:<{width}}{cells}".rstrip())
    for results in all_results:
        if results.crash is not None:
            lines.append(f"{results.database} storage check: {results.crash.storage_check}")
        for problem in results.problems():
            lines.append(f"! {problem}")
        for name in ("editors", "crash"):
            figures = getattr(results, name)
            if figures is not None and figures.problems():
                lines += [f"  {results.database} {name}: {s}" for s in figures.samples]
        if results.hostile is not None:
            lines += [f"  known bug, {results.database}: {k}" for k in results.hostile.known]
            lines += [
                f"  fixed, take out of KNOWN_BUGS, {results.database}: {k}"
                for k in results.hostile.fixed
            ]
    return "\n".join(lines)


def as_json(all_results: list[Results], settings: Settings) -> dict[str, Any]:
    """The settings and every figure, for --json."""
    return {
        "settings": dataclasses.asdict(settings),
        "ok": not any(r.problems() for r in all_results),
        "databases": {
            r.database: {
                "editors": None if r.editors is None else dataclasses.asdict(r.editors),
                "crash": None if r.crash is None else dataclasses.asdict(r.crash),
                "hostile": None if r.hostile is None else dataclasses.asdict(r.hostile),
                "problems": r.problems(),
            }
            for r in all_results
        },
    }


def make_target(db: str | None, work: Path) -> Target:
    """A SQLite folder (default: inside `work`) or a PostgreSQL server URL."""
    if db is not None and "://" in db:
        backend = make_url(db).get_backend_name()
        if backend != "postgresql":
            raise SystemExit(f"reliability: --db {db!r}: give a folder or a postgresql URL")
        return ServerTarget(db)
    if db is None:
        return SqliteTarget(work / "sqlite", keep=False)
    return SqliteTarget(Path(db).expanduser().resolve(), keep=True)


def main(argv: list[str] | None = None) -> int:
    """The command line: run, print the table (and JSON), exit 1 if any figure is wrong."""
    parser = argparse.ArgumentParser(
        prog="reliability", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--db", metavar="FOLDER|URL", help="SQLite folder or PostgreSQL URL")
    parser.add_argument("--processes", type=int, help="editor processes")
    parser.add_argument("--updates", type=int, help="save attempts per editor process")
    parser.add_argument("--kills", type=int, help="loads to SIGKILL")
    parser.add_argument("--plan-actions", type=int, help="actions in the plan that is killed")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--quick", action="store_true", help="the CI setting")
    parser.add_argument("--only", choices=EXPERIMENTS, action="append", help="repeatable")
    parser.add_argument(
        "--real-processes",
        action="store_true",
        help="run every hostile input as a `python -m tracker` process (slower)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    chosen = {
        k: getattr(args, k)
        for k in ("processes", "updates", "kills", "plan_actions", "seed")
        if getattr(args, k) is not None
    }
    settings = dataclasses.replace(settings, **chosen)
    dbs: list[str | None] = [args.db]
    if args.db is None and os.environ.get(SERVER_ENV):
        dbs.append(os.environ[SERVER_ENV])
    all_results = []
    with tempfile.TemporaryDirectory(prefix="tracker-reliability-") as folder:
        work = Path(folder)
        for n, db in enumerate(dbs):
            run_work = work / f"run{n}"
            run_work.mkdir()
            target = make_target(db, run_work)
            try:
                all_results.append(
                    run_all(
                        target,
                        settings,
                        run_work,
                        only=tuple(args.only or EXPERIMENTS),
                        real_processes=args.real_processes,
                        say=lambda line: print(line, file=sys.stderr, flush=True),
                    )
                )
            finally:
                target.close()
    print(table(all_results))
    if args.json is not None:
        args.json.write_text(json.dumps(as_json(all_results, settings), indent=2) + "\n")
    return 1 if any(r.problems() for r in all_results) else 0


if __name__ == "__main__":
    sys.exit(main())
