"""Experiment 1, concurrent editors: N OS processes edit the same few actions at once, and
every save is held against what its editor was told and what the audit trail says.

The editors mix four kinds of save, each writing a value no other save writes:
- `update`: `update_action(lead=..., expected_version=...)` on one action;
- `bulk`: `bulk_update` of the same lead on two actions, each with the version read, which
  must be all or none;
- `note`: `add_note`, which never conflicts;
- `evidence`: `add_evidence` with a reference, which never conflicts.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from bench.reliability.settings import TODAY, Settings, nonzero
from tests.support.databases import engine_for
from tracker import services
from tracker.models import Action, AuditEvent, Evidence, Plan, ProgressUpdate
from tracker.queries import lookups
from tracker.store import Store, open_store

SHARED_PLAN = "stockton-2010"
SHARED_ACTIONS = 4
"""How many actions the concurrent editors fight over."""
THINK_MS = 2.0
"""The longest pause between reading an action and saving it (widens the race)."""
KINDS = {"update": 5, "bulk": 2, "note": 2, "evidence": 1}
"""The kinds of save and how often each is chosen."""
LONG_WRITES = 8
"""The most whole plans the long writer loads while the editors save."""
_CONFLICT_REF = re.compile(r"action (\S+) was changed by someone else")


@dataclass(frozen=True)
class Attempt:
    """One editor's try at saving: what it read, what it wrote and what it was told."""

    worker: int
    kind: str
    refs: tuple[str, ...]
    value: str
    expected: tuple[int, ...]
    """The version of each action in `refs` when the editor read it."""
    read: tuple[str | None, ...]
    """The lead of each action in `refs` when the editor read it."""
    outcome: str
    """applied, conflict or error"""
    version: int | None = None
    """The new version (an applied update) or the version the conflict reported."""
    conflict_ref: str | None = None
    """The action the conflict named."""
    error: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Attempt:
        """An attempt from `dataclasses.asdict` after a trip through a queue (lists back to
        tuples)."""
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
        return cls(**fields)


@dataclass(frozen=True)
class TrailEvent:
    """An audit trail entry for one of the shared actions: a lead change, note or evidence."""

    id: int
    ref: str
    version: int | None
    old: str | None
    new: str | None
    field: str = "lead"


@dataclass
class EditorFigures:
    """What the concurrent editors experiment found."""

    processes: int = 0
    actions: int = 0
    attempted: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    applied: int = 0
    conflicts: int = 0
    lost: int = 0
    """Saves reported as applied that are missing from the trail (or the tables), there more
    than once, or that overwrote a change their editor had not seen."""
    saved_despite_conflict: int = 0
    """Saves reported as conflicts that left a trace (for a bulk save: on any of its actions)."""
    spurious_conflicts: int = 0
    trail_errors: int = 0
    """Breaks in each action's chain of versions and values, and entries nobody made."""
    lock_errors: int = 0
    other_errors: int = 0
    long_writes: int = 0
    """Whole plans loaded (each with the most roles and aliases a plan file may give) by one
    more process while the editors saved: long write transactions beside short ones."""
    longest_write: float = 0.0
    """The longest of those loads, in seconds: how long a short save might wait."""
    long_write_errors: int = 0
    """Loads of the long writer that failed (its own "database is locked" among them)."""
    unversioned: int = 0
    """`tracker update` processes run at once on one action without --expect-version (each
    a lead and a note): every one must apply to whatever is current."""
    unversioned_failures: int = 0
    """Those that exited non-zero, printed a traceback, or whose note is not there once."""
    seconds: float = 0.0
    samples: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every way the figures fall short; empty when all is as it must be."""
        found = nonzero(
            self,
            "lost",
            "saved_despite_conflict",
            "spurious_conflicts",
            "trail_errors",
            "lock_errors",
            "other_errors",
            "long_write_errors",
            "unversioned_failures",
        )
        if self.applied + self.conflicts + self.lock_errors + self.other_errors != self.attempted:
            found.append("some attempts have no outcome")
        if self.attempted and not self.applied:
            found.append("no save was applied")
        return found


def _save(
    store: Store, kind: str, refs: tuple[str, ...], value: str, worker: int, versions: Any
) -> int | None:
    """Make one save of `kind`; the new version for an update."""
    actor = f"editor-{worker}"
    if kind == "update":
        return services.update_action(
            store, refs[0], actor, TODAY, services.ActionChanges(lead=value),
            expected_version=versions[0],
        )  # fmt: skip
    if kind == "bulk":
        changed = services.bulk_update(
            store, dict(zip(refs, versions, strict=True)), actor, TODAY,
            services.ActionChanges(lead=value),
        )  # fmt: skip
        if sorted(changed) != sorted(refs):
            raise RuntimeError(f"bulk_update changed {changed}, not {list(refs)}")
        return None
    if kind == "note":
        services.add_note(store, refs[0], actor, TODAY, value)
        return None
    services.add_evidence(store, refs[0], actor, value, reference=f"shelf for {value}")
    return None


def editor(
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
    """An editor process: `count` times, read one or two actions, pause, save a change based
    on the versions read. Puts its attempts (as dicts) on `results`."""
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
    kinds, weights = list(KINDS), list(KINDS.values())
    try:
        for n in range(count):
            kind = rng.choices(kinds, weights)[0]
            # A bulk save takes its actions in any order, as two people's selections would.
            chosen = tuple(rng.sample(refs, 2)) if kind == "bulk" else (rng.choice(refs),)
            value = f"editor {worker} {kind} {n}"
            expected: tuple[int, ...] = ()
            read: tuple[str | None, ...] = ()
            try:
                with store.read() as session:
                    actions = [lookups.get_action(session, ref) for ref in chosen]
                    expected = tuple(a.version for a in actions)
                    read = tuple(a.lead for a in actions)
                time.sleep(rng.random() * THINK_MS / 1000)
                versions = expected if check_version else tuple(None for _ in chosen)
                version = _save(store, kind, chosen, value, worker, versions)
                got = Attempt(worker, kind, chosen, value, expected, read, "applied", version)
            except services.ConflictError as exc:
                named = _CONFLICT_REF.search(str(exc))
                got = Attempt(
                    worker, kind, chosen, value, expected, read, "conflict",
                    exc.current_version, named.group(1) if named else None,
                )  # fmt: skip
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                got = Attempt(worker, kind, chosen, value, expected, read, "error", error=error)
            attempts.append(dataclasses.asdict(got))
    finally:
        store.dispose()
        results.put((worker, attempts, ""))


def _long_plan(actions: int, n: int) -> Any:
    """A plan of `actions` actions with the most roles and aliases a plan file may give."""
    from bench.reliability.crash import big_plan
    from tracker.planfile import MAX_ITEMS, RoleDoc

    roles, aliases = MAX_ITEMS["PlanDoc.roles"], MAX_ITEMS["RoleDoc.aliases"]
    return dataclasses.replace(
        big_plan(actions, plan_id=f"long-write-{n}"),
        roles=[
            RoleDoc(f"Long role {n}-{r}", [f"Long alias {n}-{r}-{a}" for a in range(aliases)])
            for r in range(roles)
        ],
    )


def long_writer(db: str, actions: int, ready: Any, go: Any, stop: Any, results: Any) -> None:
    """A process that loads whole plans, one after another, while the editors save, until
    `stop`. Puts (loads, longest seconds, errors) on `results`."""
    loads, longest, errors = 0, 0.0, []
    try:
        store = open_store(db, migrate=False)
        docs = [_long_plan(actions, n) for n in range(LONG_WRITES)]
    except Exception as exc:
        ready.put(-1)
        results.put((0, 0.0, [f"cannot start: {type(exc).__name__}: {exc}"]))
        return
    ready.put(-1)
    go.wait()
    try:
        for n, doc in enumerate(docs):
            if stop.is_set():
                break
            began = time.perf_counter()
            try:
                services.load_plans(store, [(f"long-{n}.toml", doc)], "long-writer")
                loads += 1
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
            longest = max(longest, time.perf_counter() - began)
    finally:
        store.dispose()
        results.put((loads, round(longest, 2), errors))


def run_unversioned(
    db: str, processes: int = 4, each: int = 6, timeout: float = 120.0
) -> tuple[int, list[str]]:
    """`processes` at a time, `each` rounds: `tracker update REF --lead ... --note ...` as real
    processes with no --expect-version, on one action. (runs, what went wrong)."""
    import subprocess
    import sys
    import tempfile
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    from tests.support.databases import cli_env

    ref = f"{SHARED_PLAN}/1.2"
    work = Path(tempfile.mkdtemp(prefix="unversioned-"))
    env = cli_env(work, "unversioned")

    def one(worker: int, n: int) -> str | None:
        note = f"unversioned {worker}-{n}"
        done = subprocess.run(
            [sys.executable, "-m", "tracker", "--db", db, "update", ref,
             "--lead", f"Lead {worker}-{n}", "--note", note],
            capture_output=True, text=True, env=env, cwd=work, timeout=timeout,
        )  # fmt: skip
        if done.returncode != 0 or "Traceback" in done.stderr:
            return f"{note}: exit {done.returncode}: {done.stderr.strip()[-200:]}"
        return None

    with ThreadPoolExecutor(max_workers=processes) as pool:
        found = list(
            pool.map(lambda wn: one(*wn), [(w, n) for n in range(each) for w in range(processes)])
        )
    problems = [f for f in found if f is not None]
    engine = engine_for(db)
    with engine.connect() as conn:
        notes = (
            conn.execute(
                select(ProgressUpdate.text).where(ProgressUpdate.text.like("unversioned %"))
            )
            .scalars()
            .all()
        )
    engine.dispose()
    wanted = sorted(f"unversioned {w}-{n}" for w in range(processes) for n in range(each))
    if sorted(notes) != wanted:
        problems.append(f"notes: {len(notes)} kept of {len(wanted)}")
    return len(found), problems


def _check_applied(
    attempt: Attempt,
    events: list[TrailEvent],
    rows: dict[tuple[str, str], int],
    figures: EditorFigures,
) -> set[int]:
    """Count an applied save as lost unless the trail (and for notes and evidence, the table)
    holds it exactly once, based on what its editor read. The trail entries it accounts for."""
    ok = len(events) == len(attempt.refs)
    if attempt.kind in ("update", "bulk"):
        for ref, expected, read in zip(attempt.refs, attempt.expected, attempt.read, strict=True):
            match = [e for e in events if e.ref == ref]
            ok = ok and len(match) == 1 and match[0].version == expected + 1
            ok = ok and match[0].old == read
        if attempt.kind == "update":
            ok = ok and attempt.version == attempt.expected[0] + 1
    else:
        ok = ok and events[0].ref == attempt.refs[0]
        ok = ok and rows.get((attempt.refs[0], attempt.value), 0) == 1
    if not ok:
        figures.lost += 1
        figures.samples.append(f"lost: {attempt} trail {events}")
    return {e.id for e in events}


def check_editors(
    attempts: list[Attempt],
    start: dict[str, tuple[int, str | None]],
    trail: list[TrailEvent],
    final: dict[str, tuple[int, str | None]],
    rows: dict[tuple[str, str], int] | None = None,
) -> EditorFigures:
    """Hold what every editor was told against the audit trail and the final state.
    `start` and `final` map each action to its (version, lead); `trail` is in id order;
    `rows` counts the notes and evidence made by the editors by (action, text or title)."""
    rows = rows or {}
    figures = EditorFigures(attempted=len(attempts), actions=len(start))
    by_value: dict[str, list[TrailEvent]] = {}
    for event in trail:
        # A note's trail entry is its text; a piece of evidence's is "title: reference".
        value = (event.new or "").split(": ")[0] if event.field == "evidence" else event.new
        by_value.setdefault(value or "", []).append(event)
    claimed: set[int] = set()
    for attempt in attempts:
        figures.by_kind[attempt.kind] = figures.by_kind.get(attempt.kind, 0) + 1
        events = by_value.get(attempt.value, [])
        if attempt.outcome == "applied":
            figures.applied += 1
            claimed |= _check_applied(attempt, events, rows, figures)
        elif attempt.outcome == "conflict":
            figures.conflicts += 1
            if events or rows.get((attempt.refs[0], attempt.value)):
                figures.saved_despite_conflict += 1
                figures.samples.append(f"saved despite conflict: {attempt}")
            named = attempt.conflict_ref
            if (
                attempt.kind not in ("update", "bulk")
                or named not in attempt.refs
                or attempt.version is None
                or attempt.version <= attempt.expected[attempt.refs.index(named)]
            ):
                figures.spurious_conflicts += 1
                figures.samples.append(f"spurious conflict: {attempt}")
        elif "database is locked" in attempt.error or "stayed locked" in attempt.error:
            figures.lock_errors += 1
            figures.samples.append(f"error: {attempt.error}")
        else:
            figures.other_errors += 1
            figures.samples.append(f"error: {attempt.error}")
    unclaimed = [e for e in trail if e.id not in claimed]
    figures.trail_errors += len(unclaimed)
    figures.samples += [f"trail entry nobody was told was applied: {e}" for e in unclaimed[:3]]
    told = {(a.refs[0], a.value) for a in attempts if a.outcome == "applied"}
    phantoms = [key for key in rows if key not in told]
    figures.trail_errors += len(phantoms)
    figures.samples += [f"a note or evidence nobody made: {key}" for key in phantoms[:3]]
    for ref, (version, lead) in start.items():
        for event in (e for e in trail if e.ref == ref and e.field == "lead"):
            if event.version != version + 1 or event.old != lead:
                figures.trail_errors += 1
                figures.samples.append(f"chain broken at {event} (after v{version} {lead!r})")
            version, lead = event.version or 0, event.new
        if final[ref] != (version, lead):
            figures.trail_errors += 1
            figures.samples.append(f"{ref}: final {final[ref]}, trail ends at {(version, lead)}")
    figures.samples = figures.samples[:10]
    return figures


def _state(db: str) -> tuple[dict[str, tuple[int, str | None]], dict[str, int], int]:
    """The shared actions' (version, lead), their ids, and the newest audit id."""
    engine = engine_for(db)
    with engine.connect() as conn:
        found = conn.execute(
            select(Action.ref, Action.id, Action.version, Action.lead)
            .join(Plan, Plan.id == Action.plan_id)
            .where(Plan.slug == SHARED_PLAN)
            .order_by(Action.id)
            .limit(SHARED_ACTIONS)
        ).all()
        last = int(conn.scalar(select(func.max(AuditEvent.id))) or 0)
    engine.dispose()
    state = {f"{SHARED_PLAN}/{r.ref}": (r.version, r.lead) for r in found}
    ids = {f"{SHARED_PLAN}/{r.ref}": r.id for r in found}
    return state, ids, last


def _written(
    db: str, ids: dict[str, int], last_audit: int
) -> tuple[list[TrailEvent], dict[tuple[str, str], int]]:
    """The trail entries written since `last_audit` for the shared actions, and how many notes
    and pieces of evidence the editors' values name, by (action, value)."""
    refs = {id_: ref for ref, id_ in ids.items()}
    engine = engine_for(db)
    with engine.connect() as conn:
        found = conn.execute(
            select(
                AuditEvent.id, AuditEvent.entity_ref, AuditEvent.entity_version,
                AuditEvent.old_value, AuditEvent.new_value, AuditEvent.field,
            )
            .where(
                AuditEvent.id > last_audit,
                AuditEvent.entity == "action",
                AuditEvent.entity_id.in_(ids.values()),
                AuditEvent.field.in_(("lead", "note", "evidence")),
            )
            .order_by(AuditEvent.id)
        ).all()  # fmt: skip
        rows: dict[tuple[str, str], int] = {}
        for model, column in ((ProgressUpdate, ProgressUpdate.text), (Evidence, Evidence.title)):
            for action_id, value in conn.execute(
                select(model.action_id, column).where(
                    model.action_id.in_(ids.values()), column.startswith("editor ")
                )
            ):
                key = (refs[action_id], value)
                rows[key] = rows.get(key, 0) + 1
    engine.dispose()
    return [TrailEvent(*row) for row in found], rows


def run_editors(
    db: str,
    settings: Settings,
    *,
    check_version: bool = True,
    long_writes: bool = True,
    unversioned: bool = True,
    timeout: float = 600.0,
) -> EditorFigures:
    """Experiment 1 on the database `db` (which holds the sample plans). `check_version=False`
    makes the editors save without their version: the lost updates the checks must catch.
    With `long_writes`, one more process loads large plans the whole time (`long_writer`):
    no short save may fail with "database is locked" beside them. With `unversioned`, CLI
    processes then save without a version (`run_unversioned`)."""
    start, ids, last_audit = _state(db)
    refs = sorted(start)
    context = multiprocessing.get_context("spawn")
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    stop, long_results = context.Event(), context.Queue()
    loader = context.Process(
        target=long_writer,
        args=(db, settings.plan_actions, ready, go, stop, long_results),
        daemon=True,
    )
    workers = [
        context.Process(
            target=editor,
            args=(db, w, refs, settings.updates, settings.seed, check_version, ready, go, results),
            daemon=True,
        )
        for w in range(settings.processes)
    ]
    for process in workers:
        process.start()
    if long_writes:
        loader.start()
    attempts: list[Attempt] = []
    failures: list[str] = []
    long: tuple[int, float, list[str]] = (0, 0.0, [])
    try:
        for _ in range(len(workers) + long_writes):
            ready.get(timeout=timeout)
        began = time.perf_counter()
        go.set()
        for _ in workers:
            _, made, failure = results.get(timeout=timeout)
            attempts += [Attempt.from_row(row) for row in made]
            if failure:
                failures.append(failure)
        seconds = time.perf_counter() - began
        stop.set()
        if long_writes:
            long = long_results.get(timeout=timeout)
    finally:
        stop.set()
        for process in [*workers, *([loader] if long_writes else [])]:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    trail, rows = _written(db, ids, last_audit)
    final, _, _ = _state(db)
    figures = check_editors(attempts, start, trail, final, rows)
    figures.processes = settings.processes
    figures.seconds = round(seconds, 2)
    figures.other_errors += len(failures)
    figures.attempted += len(failures)
    figures.samples += failures
    figures.unversioned, unversioned_problems = run_unversioned(db) if unversioned else (0, [])
    figures.unversioned_failures = len(unversioned_problems)
    figures.samples += [f"without --expect-version: {p}" for p in unversioned_problems[:3]]
    figures.long_writes, figures.longest_write, long_errors = long
    figures.long_write_errors = len(long_errors)
    figures.samples += [f"long writer: {error}" for error in long_errors[:3]]
    return figures
