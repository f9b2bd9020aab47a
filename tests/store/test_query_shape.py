"""Rows are read by column name, never by position alone (`tracker.queries.reader.Query.rows`):
a SELECT whose columns come in another order still gives the same records, and one that lacks
a column the code reads fails at once with a `QueryShapeError` naming it, rather than reading
one field's values into another."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import pytest

from conftest import TODAY
from tests.support.signoffs import PLAN
from tracker.queries import exports, lists, plandoc, portfolio
from tracker.queries import plan as plan_reads
from tracker.queries.reader import Query, QueryShapeError, Reader, open_sqlite
from tracker.queries.session import SessionReader
from tracker.store import Store

Result = tuple[Sequence[str], Iterable[Sequence[Any]]]


class Permuted:
    """A reader whose every result has its columns in another order, names and values
    together, as a SELECT written with its columns reordered gives them."""

    def __init__(self, inner: Reader, order: Callable[[int], list[int]]) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self.order = order
        self.moved = 0
        """How many results came out in another order (one column cannot move)."""

    def run(self, sql: str, params: Mapping[str, Any]) -> Result:
        names, rows = self.inner.run(sql, params)
        order = self.order(len(names))
        if order != sorted(order):
            self.moved += 1
        return [names[i] for i in order], ([row[i] for i in order] for row in rows)


def reversed_order(n: int) -> list[int]:
    """The last column first."""
    return list(reversed(range(n)))


def rotated_order(n: int) -> list[int]:
    """Each column one place to the left, the first last."""
    return [*range(1, n), 0][:n]


class Without:
    """A reader whose results lack one column, as a SELECT that forgot it gives them."""

    def __init__(self, inner: Reader, column: str) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self.column = column

    def run(self, sql: str, params: Mapping[str, Any]) -> Result:
        names, rows = self.inner.run(sql, params)
        keep = [i for i, name in enumerate(names) if name != self.column]
        return [names[i] for i in keep], ([row[i] for i in keep] for row in rows)


def readers(store: Store) -> Iterator[tuple[str, Reader]]:
    """The SQLAlchemy reader on the store, and on a SQLite file the light one too."""
    with store.read() as session:
        yield "SessionReader", SessionReader(session)
    light = open_sqlite(store.url)
    if light is not None:
        try:
            yield "SqliteReader", light
        finally:
            light.close()


def everything(reader: Reader) -> dict[str, Any]:
    """The records of the reads that unpack the most columns."""
    slugs = [row.id for row in lists.plan_rows(reader, TODAY)]
    return {
        "plan_rows": lists.plan_rows(reader, TODAY),
        "action_rows": lists.action_rows(reader, TODAY),
        "action_rows overdue": lists.action_rows(reader, TODAY, overdue=True),
        "action_rows of a plan": lists.action_rows(reader, TODAY, plan=PLAN),
        "plan_detail": [plan_reads.plan_detail(reader, s, TODAY) for s in slugs],
        "plan_data": [exports.plan_data(reader, s, TODAY) for s in slugs],
        "plan_doc": [plandoc.plan_doc(reader, s) for s in slugs],
        "portfolio_rows": portfolio.portfolio_rows(reader, TODAY),
    }


@pytest.mark.parametrize("order", [reversed_order, rotated_order])
def test_a_reordered_select_gives_the_same_records(
    loaded: Store, order: Callable[[int], list[int]]
) -> None:
    for name, reader in readers(loaded):
        permuted = Permuted(reader, order)
        expected = everything(reader)
        found = everything(permuted)
        for read, records in expected.items():
            assert records, read
            assert found[read] == records, (name, read)
        assert permuted.moved > 20, "the columns of most results were moved"


@pytest.mark.parametrize(
    ("column", "read"),
    [
        ("colour", lambda r: lists.plan_rows(r, TODAY)),
        ("role_name", lambda r: lists.action_rows(r, TODAY)),
        ("published_note", lambda r: plan_reads.plan_detail(r, PLAN, TODAY)),
        ("review_comment", lambda r: exports.plan_data(r, PLAN, TODAY)),
    ],
    ids=["plan_rows", "action_rows", "plan_detail", "plan_data"],
)
def test_a_missing_column_fails_loudly_naming_it(
    loaded: Store, column: str, read: Callable[[Reader], object]
) -> None:
    for _, reader in readers(loaded):
        with pytest.raises(QueryShapeError, match=f"gives no column {column} "):
            read(Without(reader, column))


class Canned:
    """A reader that gives the same result to every query."""

    def __init__(self, names: list[str], rows: list[tuple[Any, ...]]) -> None:
        self.names = names
        self.rows = rows

    def run(self, sql: str, params: Mapping[str, Any]) -> Result:
        return self.names, iter(self.rows)


def test_the_mapping_by_name() -> None:
    query = Query("example", "SELECT ...", ("a", "b", "c"))
    assert list(query.rows(Canned(["c", "a", "b"], [(3, 1, 2), (6, 4, 5)]))) == [
        (1, 2, 3),
        (4, 5, 6),
    ]
    assert list(query.rows(Canned(["b", "x", "c", "a"], [(2, 0, 3, 1)]))) == [(1, 2, 3)]
    assert list(query.taking("one", ("c",)).rows(Canned(["a", "c"], [(1, 3)]))) == [(3,)]
    with pytest.raises(QueryShapeError, match=r"'example' gives no column a, c \(it gives b\)"):
        query.first(Canned(["b"], [(2,)]))
    with pytest.raises(QueryShapeError, match="'example' gives a column name twice: a, b, a, c"):
        query.first(Canned(["a", "b", "a", "c"], [(1, 2, 1, 3)]))
