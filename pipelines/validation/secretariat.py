"""A/80/400's Secretariat-wide tables against themselves and the overviews by part, section and entity:
the post tables by category and grade (tables 11-13) and the financial and human resources summary
(table 5) against tables 6-9 of the same funding source and family.

Within a row, the grade columns sum to the Total column. Each table's Total is also a combination of
the overview's rows, as meta.secretariat_scopes says for the table's scope: "excluding special political
missions" is the overview's Total less its "– Special political missions" row, "special political
missions" that row, the transitional capacities row the overview's "Transitional capacities" column of
its Total. Same funding source, phase and months. Post counts are integers: the check is exact.
"""

from __future__ import annotations

import polars as pl

from pipelines.validation.core import RECONCILIATION_SCHEMA, finish, numeric, with_optional
from pipelines.validation.rows import row_measures

_ROW = ["document_id", "table_index", "row_index", "scope_code", "measure", "phase", "period_start", "period_end"]
_SLICE = ["document_id", "funding_source", "phase", "period_start", "period_end"]


def _grade_tables(facts: pl.DataFrame) -> pl.DataFrame:
    kinds = row_measures()["secretariat_tables"]
    return numeric(with_optional(facts)).filter(pl.col("table_kind").is_in(kinds) & (pl.col("measure") == "amount"))


def grades_sum_to_total(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    cells = _grade_tables(facts)
    grades = (
        cells.filter(pl.col("breakdown") == "grade")
        .group_by(_ROW)
        .agg(pl.col("value").sum().alias("computed_value"), pl.col("half_unit").sum().alias("slack"))
    )
    totals = cells.filter(pl.col("line_item_code") == "total").with_columns(
        pl.col("value").alias("printed_value"), pl.col("half_unit").alias("printed_half")
    )
    return finish(
        totals.join(grades, on=_ROW, nulls_equal=True),
        "grades_sum_to_total",
        family,
        "the grade columns of a row sum to its Total column",
    )


def _overview_combinations(facts: pl.DataFrame) -> pl.DataFrame:
    """Per scope of meta.secretariat_scopes, the signed sum of the overview rows it names, per column slice."""
    spec = row_measures()["secretariat_scopes"]
    terms = pl.DataFrame(
        [(scope, code, float(sign)) for scope, rows in spec.items() for code, sign in rows],
        schema={"scope_code": pl.Utf8, "line_item_code": pl.Utf8, "sign": pl.Float64},
        orient="row",
    )
    overview = numeric(with_optional(facts)).filter(
        pl.col("table_kind").is_in(row_measures()["overview_tables"]) & (pl.col("measure") == "amount")
    )
    # the overview's own cells stand for every scope but the transitional one, which is its column
    column_scope = pl.when(pl.col("scope_code") == "transitional_staffing_capacity").then(pl.col("scope_code"))
    joined = overview.with_columns(column_scope.alias("column_scope")).join(terms, on="line_item_code")
    joined = joined.filter(
        (pl.col("column_scope") == pl.col("scope_code_right")).fill_null(
            pl.col("scope_code_right") != "transitional_staffing_capacity"
        )
    )
    return (
        joined.group_by(*_SLICE, pl.col("scope_code_right").alias("scope_code"))
        .agg(
            (pl.col("value") * pl.col("sign")).sum().alias("computed_value"),
            pl.col("half_unit").sum().alias("slack"),
            pl.col("line_item_code").n_unique().alias("n_rows"),
        )
        .join(terms.group_by("scope_code").len("n_terms"), on="scope_code")
        .filter(pl.col("n_rows") == pl.col("n_terms"))  # every row it names is printed
        .drop("n_rows", "n_terms")
    )


def totals_match_overview(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    totals = _grade_tables(facts).filter(pl.col("line_item_code") == "total")
    if totals.is_empty():
        return pl.DataFrame(schema=RECONCILIATION_SCHEMA)
    joined = totals.join(_overview_combinations(facts), on=[*_SLICE, "scope_code"], nulls_equal=True)
    return finish(
        joined.with_columns(pl.col("value").alias("printed_value"), pl.col("half_unit").alias("printed_half")),
        "secretariat_totals_match_overview",
        family,
        "a Secretariat-wide table's Total = the posts overview's rows its scope names (meta.secretariat_scopes)",
    )
