"""Fact rows as the numeric readers collect them, and their frame.

A printed table row gives one fact per cell, and its cells share everything but their column's
fields and their value. The readers keep that shape (one ``FactRow`` per printed row: the shared
fields once, then the columns' fields and the cells), and the frame is expanded once per document:
the shared fields by a Polars gather of the row frame, the columns' fields by a gather of the few
distinct columns, the cells' values by one transpose. Building a 26-key dict per cell, then reading
it back key by key, was a tenth of a fascicle's parse.
"""

from __future__ import annotations

from itertools import chain, repeat
from operator import add
from typing import NamedTuple

import polars as pl

from pipelines.parsing.fascicle.kpi_rows import KpiRow
from pipelines.parsing.numbers import Cell
from pipelines.parsing.records import FACT_SCHEMA, calendar_period, columns, with_calendar_periods

# What a fact takes from its column (tables._column_fields) and from its cell.
COLUMN_FIELDS = ("measure", "fiscal_year", "base_year", "phase", "unit")
CELL_FIELDS = ("value", "value_text", "value_status")  # a Cell's value, text and status
CALENDAR = ("period", "period_start", "period_end")


class FactRow(NamedTuple):
    """One printed row: ``shared`` holds the row's fields (and ``family``, resources or posts: the
    frame it goes to), ``columns[i]`` the fields of the column of ``cells[i]``."""

    shared: dict
    columns: list[dict]
    cells: list[Cell]


def values_in(rows: list) -> int:
    """How many values a reader's rows hold: a FactRow one per cell, a KpiRow one per value, any other
    row one (a reader's rows are all of one kind)."""
    if rows and isinstance(rows[0], FactRow):
        return sum(len(r.cells) for r in rows)
    if rows and isinstance(rows[0], KpiRow):
        return sum(len(r.values) for r in rows)
    return len(rows)


def fact_frames(rows: list[FactRow]) -> dict[str, pl.DataFrame]:
    """The resources and posts frames (FACT_SCHEMA, calendar periods filled), each in reader order."""
    # resources first, then posts (a stable partition of the rows): one frame, cut in two by a slice
    by_family = {f: [r for r in rows if r.shared["family"] == f] for f in ("resources", "posts")}
    rows = by_family["resources"] + by_family["posts"]
    n_resources = sum(len(r.cells) for r in by_family["resources"])
    shared = [r.shared for r in rows]
    present = set().union(*shared)  # a field no row sets is null, not a column of Nones read row by row
    names = _shared(present)
    by_row = pl.DataFrame([_series(n, v) for n, v in zip(names, columns(shared, names), strict=True)])
    # each row's fields repeated for each of its cells (a gather), then the cells' own columns
    counts = list(map(len, (r.cells for r in rows)))
    by_cell = by_row[pl.Series(list(chain.from_iterable(map(repeat, range(len(rows)), counts))), dtype=pl.UInt32)]
    per_cell = _per_cell(rows, counts)
    n = sum(counts)
    gathered = not present.isdisjoint(CALENDAR)  # a row that prints its own period: records' rule
    facts = pl.DataFrame(
        [
            per_cell.get_column(name)
            if name in per_cell.columns and (name not in CALENDAR or not gathered)
            else by_cell.get_column(name)
            if name in present
            else pl.Series(name, [None] * n, dtype=dtype)  # not pl.repeat: a query per column
            for name, dtype in FACT_SCHEMA.items()
        ]
    )
    facts = with_calendar_periods(facts) if gathered else facts
    return {"resources": facts.slice(0, n_resources), "posts": facts.slice(n_resources)}


def _series(name: str, values) -> pl.Series:
    return pl.Series(name, values, dtype=FACT_SCHEMA[name])


def _per_cell(rows: list[FactRow], counts: list[int]) -> pl.DataFrame:
    """What each cell takes from its column (and the calendar period of the column's fiscal year) and
    from the cell itself. A document's tables print a few dozen distinct columns: their fields are
    framed once and gathered per cell, not read from a dict per cell."""
    first_of: dict[int, int] = {}  # a row's list of column fields (shared by a block's rows) -> where it starts
    distinct: list[dict] = []
    starts = []
    for r in rows:
        start = first_of.get(id(r.columns))
        if start is None:
            start = first_of[id(r.columns)] = len(distinct)
            distinct += r.columns
        starts.append(start)
    of_columns = dict(zip(COLUMN_FIELDS, columns(distinct, COLUMN_FIELDS), strict=True))
    periods = [calendar_period(y) if y is not None else (None, None, None) for y in of_columns["fiscal_year"]]
    of_columns |= dict(zip(CALENDAR, zip(*periods, strict=True) if periods else [[]] * 3, strict=True))
    at = chain.from_iterable(map(range, starts, map(add, starts, counts)))
    by_column = pl.DataFrame([_series(n, v) for n, v in of_columns.items()])[pl.Series(list(at), dtype=pl.UInt32)]
    cells = list(chain.from_iterable(r.cells for r in rows))
    texts, values, statuses, _ = zip(*cells, strict=True) if cells else [[]] * len(Cell._fields)
    return by_column.hstack([_series(n, v) for n, v in zip(CELL_FIELDS, (values, texts, statuses), strict=True)])


def _shared(present: set[str]) -> list[str]:
    """The row fields of FACT_SCHEMA some row sets (its column's and its cell's aside)."""
    return [n for n in FACT_SCHEMA if n in present and n not in COLUMN_FIELDS and n not in CELL_FIELDS]
