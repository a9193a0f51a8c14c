"""What every consistency rule shares: the reconciliation row, numeric cells with their rounding, the
interval verdict, and the generic "parts sum to a total" rule.

Facts of both documents go through here: the Chinese fascicle's (rows keyed by line number) and the
Word file's (rows keyed by Word table and row index, columns by their printed header, several phases
of one year side by side). Optional provenance columns a frame lacks are added as nulls.
"""

from __future__ import annotations

import polars as pl

from pipelines.validation.intervals import consistent, half_unit

RECONCILIATION_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Utf8,
    "rule": pl.Utf8,
    "family": pl.Utf8,
    "entity_code": pl.Utf8,
    "source_table": pl.Utf8,
    "funding_source": pl.Utf8,
    "row_label": pl.Utf8,
    "source_line": pl.Int64,
    "table_index": pl.Int32,
    "row_index": pl.Int32,
    "column_header": pl.Utf8,
    "measure": pl.Utf8,
    "fiscal_year": pl.Int32,
    "printed_value": pl.Float64,
    "printed_text": pl.Utf8,
    "computed_value": pl.Float64,
    "difference": pl.Float64,
    # the interval the rounded inputs allow, and half a unit of the printed figure's last digit
    "allowed_low": pl.Float64,
    "allowed_high": pl.Float64,
    "printed_half_unit": pl.Float64,
    "consistent": pl.Boolean,
    "detail": pl.Utf8,
}

OPTIONAL: dict[str, pl.DataType] = {
    "table_index": pl.Int32,
    "row_index": pl.Int32,
    "column_header": pl.Utf8,
    "base_phase": pl.Utf8,
    "period": pl.Utf8,
}
# a printed row: its document, table, funding group and line (text) or Word table and row (docx)
ROW_KEYS = [
    "document_id",
    "entity_code",
    "source_table",
    "funding_source",
    "row_label",
    "source_line",
    "table_index",
    "row_index",
]


# a printed column: one table's measure and year, and its header where the document prints one
COLUMN_KEYS = ["document_id", "source_table", "table_index", "measure", "fiscal_year", "column_header"]


def with_optional(facts: pl.DataFrame) -> pl.DataFrame:
    missing = [pl.lit(None, t).alias(c) for c, t in OPTIONAL.items() if c not in facts.columns]
    return facts.with_columns(missing) if missing else facts


def numeric(facts: pl.DataFrame) -> pl.DataFrame:
    """Cells that hold a number, with half a unit of their last printed digit (intervals.half_unit);
    nil (—) counts as zero, blank and not-applicable cells drop out."""
    return (
        with_optional(facts)
        .filter(pl.col("value_status").is_in(["value", "nil"]))
        .with_columns(
            pl.col("value").fill_null(0.0),
            half_unit(
                pl.col("value_text"),
                pl.col("unit"),
                pl.col("value_status"),
                COLUMN_KEYS,
                ["document_id", "measure", "unit"],
            ),
        )
    )


def finish(df: pl.DataFrame, rule: str, family: str, detail: str) -> pl.DataFrame:
    """Rule instances -> reconciliation rows. ``df`` holds printed_value, printed_half, computed_value
    and either ``slack`` (the inputs' half-units summed) or ``allowed_low``/``allowed_high``."""
    df = with_optional(df)
    if "printed_text" not in df.columns:
        text = pl.col("value_text") if "value_text" in df.columns else pl.lit(None)
        df = df.with_columns(text.cast(pl.Utf8).alias("printed_text"))
    if "allowed_low" not in df.columns:
        df = df.with_columns(
            (pl.col("computed_value") - pl.col("slack")).alias("allowed_low"),
            (pl.col("computed_value") + pl.col("slack")).alias("allowed_high"),
        )
    verdict = consistent(pl.col("printed_value"), pl.col("printed_half"), pl.col("allowed_low"), pl.col("allowed_high"))
    how = pl.lit(detail)
    if "how" in df.columns:  # a null how: the rule's detail alone
        how = pl.coalesce(pl.format("{}: {}", pl.lit(detail), pl.col("how")), how)
    return df.with_columns(
        pl.lit(rule).alias("rule"),
        pl.lit(family).alias("family"),
        how.alias("detail"),
        (pl.col("printed_value") - pl.col("computed_value")).round(1).alias("difference"),
        verdict.alias("consistent"),
        pl.col("computed_value").round(1),
        pl.col("allowed_low").round(4),
        pl.col("allowed_high").round(4),
        pl.col("printed_half").alias("printed_half_unit"),
    ).select([pl.col(c).cast(t) for c, t in RECONCILIATION_SCHEMA.items()])


def sum_rule(
    facts: pl.DataFrame, parts: pl.Expr, total: pl.Expr, group: list[str], rule: str, family: str, detail: str
) -> pl.DataFrame:
    """Within each group and column, the sum of the part rows against the total row. A column is its
    measure and year, and its printed header where the document has one (2026 proposed and 2026
    revised are two columns of one year)."""
    cells = numeric(facts).filter(pl.col("measure") != "change_percentage")
    column = ["measure", "fiscal_year", "column_header"]
    summed = (
        cells.filter(parts)
        .group_by(group + column)
        .agg(
            pl.col("value").sum().alias("computed_value"),
            pl.col("half_unit").sum().alias("slack"),
            pl.len().alias("n_parts"),
        )
    )
    carried = [
        "row_label",
        "source_line",
        "table_index",
        "row_index",
        "entity_code",
        "funding_source",
        "source_table",
        "document_id",
    ]
    totals = cells.filter(total).select(
        list(dict.fromkeys(group + column + carried))
        + [pl.col("value").alias("printed_value"), pl.col("half_unit").alias("printed_half"), "value_text"]
    )
    return finish(totals.join(summed, on=group + column, nulls_equal=True), rule, family, detail)
