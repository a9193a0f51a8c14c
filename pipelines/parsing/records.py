"""The frames parsers produce: one row per printed value, with provenance on every row."""

from __future__ import annotations

from datetime import date
from itertools import repeat
from operator import itemgetter

import polars as pl

# Shared by the resources and posts frames (posts carry whole numbers in ``value``).
FACT_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Utf8,
    "document_symbol": pl.Utf8,
    "language": pl.Utf8,  # zh, en
    "script": pl.Utf8,  # Hans, Hant, Latn
    "entity_code": pl.Utf8,
    "source_table": pl.Utf8,  # "3.24", "annex_iv"
    "table_kind": pl.Utf8,
    "funding_source": pl.Utf8,  # regular_budget | other_assessed | extrabudgetary | all_sources
    "scope_code": pl.Utf8,  # what the table covers: entity, a component or subprogramme
    "breakdown": pl.Utf8,  # object_of_expenditure | component | subprogramme | grade | category | ...
    "row_label": pl.Utf8,  # as printed (wrapped parts joined, footnote letter removed)
    "footnote": pl.Utf8,  # footnote letter glued to the label, if any
    "line_item_code": pl.Utf8,
    "is_total": pl.Boolean,
    "measure": pl.Utf8,  # amount | change_technical_adjustments | ... | change_percentage
    "fiscal_year": pl.Int32,
    "base_year": pl.Int32,  # for change measures: the year compared against
    "phase": pl.Utf8,  # for amounts: expenditure | appropriation | estimate_before_recosting | ...
    "value": pl.Float64,  # null when nil, not applicable or blank
    "value_text": pl.Utf8,  # the cell as printed
    "value_status": pl.Utf8,  # value | nil | not_applicable | blank
    "unit": pl.Utf8,  # thousands_usd | posts | percent
    "source_line": pl.Int64,  # text documents: the line; Word documents: the block (paragraph/row) ordinal
    "period": pl.Utf8,  # as printed in the column header: "2025", "2025/26"
    "period_start": pl.Date,  # calendar year: 1 Jan; "2025/26": 1 Jul 2025
    "period_end": pl.Date,
    "table_index": pl.Int32,  # 0-based Word table in document order (null for text documents)
    "row_index": pl.Int32,  # 0-based row inside that Word table (null for text documents)
    "column_header": pl.Utf8,  # the column's header cells as printed, top to bottom, joined " / "
    "base_phase": pl.Utf8,  # for change measures: the phase compared against
}

POST_CHANGE_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Utf8,
    "document_symbol": pl.Utf8,
    "entity_code": pl.Utf8,
    "source_table": pl.Utf8,
    "funding_source": pl.Utf8,  # regular_budget | support_account (dbt/seeds/funding_sources.csv)
    "row_label": pl.Utf8,
    "count_value": pl.Float64,
    "count_text": pl.Utf8,
    "detail_text": pl.Utf8,
    "grade_code": pl.Utf8,  # null for a row whose detail names no grade counts
    "grade_count": pl.Int32,
    "source_line": pl.Int64,
    "table_index": pl.Int32,
    "row_index": pl.Int32,
}

TABLE_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Utf8,
    "entity_code": pl.Utf8,
    "source_table": pl.Utf8,
    "title": pl.Utf8,
    "unit_label": pl.Utf8,
    "table_kind": pl.Utf8,
    "parse_status": pl.Utf8,  # parsed | not_yet (a later issue parses it) | unknown
    "values_parsed": pl.Int64,
    "first_line": pl.Int64,
    "last_line": pl.Int64,
    "table_index": pl.Int32,  # Word documents: 0-based table in document order
}


def with_calendar_periods(facts: pl.DataFrame) -> pl.DataFrame:
    """period / period_start / period_end for facts whose period is a calendar year (``fiscal_year``)."""
    fy = pl.col("fiscal_year")
    return facts.with_columns(
        period=pl.when(fy.is_not_null()).then(fy.cast(pl.Utf8)).otherwise(pl.col("period")),
        period_start=pl.when(fy.is_not_null()).then(pl.date(fy, 1, 1)).otherwise(pl.col("period_start")),
        period_end=pl.when(fy.is_not_null()).then(pl.date(fy, 12, 31)).otherwise(pl.col("period_end")),
    )


def calendar_period(year: int) -> tuple[str, date, date]:
    return str(year), date(year, 1, 1), date(year, 12, 31)


def columns(rows: list[dict], names) -> list:
    """The rows' values of each of ``names``, a column each: every row's fields read by one C call
    (itemgetter) and transposed by zip; when a row lacks a field, ``map(dict.get)`` per column (null there)."""
    if not rows or len(names) < 2:  # itemgetter of one name returns the value, not a 1-tuple
        return [list(map(dict.get, rows, repeat(name))) for name in names]
    try:
        return list(zip(*map(itemgetter(*names), rows), strict=True))
    except KeyError:
        return [list(map(dict.get, rows, repeat(name))) for name in names]


def frame(rows: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


KPI_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Utf8,
    "document_symbol": pl.Utf8,
    "language": pl.Utf8,
    "script": pl.Utf8,
    "kpi_family": pl.Utf8,  # deliverable | compliance | performance_measure | figure_measure | headline
    "kpi_key": pl.Utf8,  # stable across years and editions (see each parser)
    "entity_code": pl.Utf8,  # null for the work reports
    "subprogramme_code": pl.Utf8,  # subprogramme_N, or null
    "source_table": pl.Utf8,  # "3.6", "图 3.二", or the report's locator
    "category": pl.Utf8,  # deliverables: A-D
    "row_kind": pl.Utf8,  # deliverables: subtotal | item | narrative
    "label_zh": pl.Utf8,  # as printed (original script)
    "label_zh_hans": pl.Utf8,  # normalised to Simplified Chinese for matching
    "unit": pl.Utf8,
    "fiscal_year": pl.Int32,
    "status": pl.Utf8,  # actual | planned | target
    "value_numeric": pl.Float64,
    "value_text": pl.Utf8,
    "qualifier": pl.Utf8,  # more_than | nearly | about | at_least | less_than
    "confidence": pl.Utf8,  # certain | uncertain (performance measures' year assignment)
    "source_line": pl.Int64,
    "locator": pl.Utf8,  # paragraph N / tile: heading / table row
}
