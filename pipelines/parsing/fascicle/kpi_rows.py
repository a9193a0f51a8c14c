"""KPI rows as the fascicle's readers collect them, and their frame.

A deliverable's row prints four values (2022 planned, 2022 actual, 2023 and 2024 planned) that share
every field but their year, status, unit and value. The readers keep that shape (one ``KpiRow`` per
printed row: the shared fields once, then a tuple of VALUE_FIELDS per value) and the frame is expanded
once per document: the shared fields by a Polars gather, the values' fields column by column. A
22-key dict per value, read back key by key, was a fifth of reading a deliverables table. A reader
may still return a dict per value (performance measures, figures): it is one KpiRow of one value.
"""

from __future__ import annotations

from itertools import chain, repeat
from operator import itemgetter
from typing import NamedTuple

import polars as pl

from pipelines.parsing.records import KPI_SCHEMA, columns

VALUE_FIELDS = ("unit", "fiscal_year", "status", "value_numeric", "value_text")
SHARED_FIELDS = tuple(n for n in KPI_SCHEMA if n not in VALUE_FIELDS)
_VALUE_OF = itemgetter(*VALUE_FIELDS)


class KpiRow(NamedTuple):
    """One printed row: ``shared`` holds every field but VALUE_FIELDS, ``values`` a tuple of those per value."""

    shared: dict
    values: list[tuple]


def kpi_frame(rows: list[KpiRow | dict]) -> pl.DataFrame:
    """KPI_SCHEMA's frame, one row per value in reader order; a dict is a row of one value."""
    rows = [r if type(r) is KpiRow else KpiRow(r, [_value_of(r)]) for r in rows]
    shared = columns([r.shared for r in rows], SHARED_FIELDS)
    by_row = pl.DataFrame([pl.Series(n, v, dtype=KPI_SCHEMA[n]) for n, v in zip(SHARED_FIELDS, shared, strict=True)])
    counts = [len(r.values) for r in rows]
    if by_row.height != sum(counts):  # each row's shared fields repeated for each of its values (a gather)
        by_row = by_row[pl.Series(list(chain.from_iterable(map(repeat, range(len(rows)), counts))), dtype=pl.UInt32)]
    values = list(zip(*chain.from_iterable(r.values for r in rows), strict=True)) or [[]] * len(VALUE_FIELDS)
    per_value = {n: pl.Series(n, v, dtype=KPI_SCHEMA[n]) for n, v in zip(VALUE_FIELDS, values, strict=True)}
    return pl.DataFrame([per_value[n] if n in per_value else by_row.get_column(n) for n in KPI_SCHEMA])


def _value_of(row: dict) -> tuple:
    try:
        return _VALUE_OF(row)
    except KeyError:  # a field the row does not set is null, as records.frame has it
        return tuple(map(row.get, VALUE_FIELDS))
