"""Fact rows as the numeric readers collect them, and their frame.

A printed table row gives one fact per cell, and its cells share everything but their column's
fields and their value. The readers keep that shape (one ``FactRow`` per printed row: the shared
fields once, then the columns' fields and the cells), and the frame is expanded once per document:
the shared fields by a Polars gather of the row frame, the rest column by column. Building a
26-key dict per cell, then reading it back key by key, was a tenth of a fascicle's parse.
"""

from __future__ import annotations

from itertools import chain, repeat
from operator import attrgetter
from typing import NamedTuple

import polars as pl

from pipelines.parsing.fascicle.kpi_rows import KpiRow
from pipelines.parsing.numbers import Cell
from pipelines.parsing.records import FACT_SCHEMA, with_calendar_periods

# What a fact takes from its column (tables._column_fields) and from its cell.
COLUMN_FIELDS = ("measure", "fiscal_year", "base_year", "phase", "unit")
CELL_FIELDS = {"value": attrgetter("value"), "value_text": attrgetter("text"), "value_status": attrgetter("status")}


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


def _series(name: str, values: list, dtype: pl.DataType) -> pl.Series:
    return pl.Series(name, values, dtype=dtype)


def fact_frames(rows: list[FactRow]) -> dict[str, pl.DataFrame]:
    """The resources and posts frames (FACT_SCHEMA, calendar periods filled), each in reader order."""
    # resources first, then posts (a stable partition of the rows): one frame, cut in two by a slice
    by_family = {f: [r for r in rows if r.shared["family"] == f] for f in ("resources", "posts")}
    rows = by_family["resources"] + by_family["posts"]
    n_resources = sum(len(r.cells) for r in by_family["resources"])
    shared = [r.shared for r in rows]
    present = set().union(*shared)  # a field no row sets is a null literal, not a column of Nones
    # per cell: the position of its row, its column's fields, its cell
    row_of = pl.Series(list(chain.from_iterable(repeat(i, len(r.cells)) for i, r in enumerate(rows))), dtype=pl.UInt32)
    columns = list(chain.from_iterable(r.columns for r in rows))
    cells = list(chain.from_iterable(r.cells for r in rows))
    per_cell = {n: _series(n, list(map(dict.get, columns, repeat(n))), FACT_SCHEMA[n]) for n in COLUMN_FIELDS}
    per_cell |= {n: _series(n, list(map(get, cells)), FACT_SCHEMA[n]) for n, get in CELL_FIELDS.items()}
    by_row = pl.DataFrame(
        [_series(n, list(map(dict.get, shared, repeat(n))), FACT_SCHEMA[n]) for n in _shared(present)]
    )
    fy = pl.lit(per_cell["fiscal_year"])
    calendar = {"period": fy.cast(pl.Utf8), "period_start": pl.date(fy, 1, 1), "period_end": pl.date(fy, 12, 31)}
    gathered = not present.isdisjoint(calendar)  # a row that prints its own period: records' rule
    facts = by_row.select(  # each row's fields repeated for each of its cells, in one query
        pl.lit(per_cell[n])
        if n in per_cell
        else pl.col(n).gather(row_of)
        if n in present
        else calendar[n].alias(n)
        if n in calendar and not gathered
        else pl.lit(None, dtype=dtype).alias(n)
        for n, dtype in FACT_SCHEMA.items()
    )
    facts = with_calendar_periods(facts) if gathered else facts
    return {"resources": facts.slice(0, n_resources), "posts": facts.slice(n_resources)}


def _shared(present: set[str]) -> list[str]:
    """The row fields of FACT_SCHEMA some row sets (its column's and its cell's aside)."""
    return [n for n in FACT_SCHEMA if n in present and n not in COLUMN_FIELDS and n not in CELL_FIELDS]
