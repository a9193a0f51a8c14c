"""A/80/400's overview tables (by part, section and entity) against themselves and the entity tables.

Sections add up to their part, sub-sections ("– Special political missions", "– Other") to their
section, parts to the total; the hierarchy comes from the reviewed seeds (budget_sections.csv), not
from the table. The entity rows of an overview list only some of a section's entities, so they are
not summed: each is compared with the entity's own table instead (its subtotal excluding transitional
capacity where it prints one, else its total, as the overview's revised estimate leaves transitional
capacity to a column of its own), column by column: same phase, same months.
"""

from __future__ import annotations

import polars as pl

from pipelines import vocab
from pipelines.validation.core import RECONCILIATION_SCHEMA, finish, numeric, sum_rule, with_optional
from pipelines.validation.rows import row_measures

_TABLE = ["document_id", "table_index"]


def _sections() -> pl.DataFrame:
    rows = vocab.rows("budget_sections")
    return pl.DataFrame(
        {
            "line_item_code": [r["section_code"] for r in rows],
            "part_code": [r["part_code"] for r in rows],
            "parent_section_code": [r["parent_section_code"] or None for r in rows],
        },
        schema={"line_item_code": pl.Utf8, "part_code": pl.Utf8, "parent_section_code": pl.Utf8},
    )


def _parts() -> pl.DataFrame:
    rows = vocab.rows("budget_parts")
    return pl.DataFrame({"line_item_code": [r["part_code"] for r in rows], "part_name": [r["name_en"] for r in rows]})


def _hierarchy_cells(facts: pl.DataFrame) -> pl.DataFrame:
    """Overview cells with their seeded part and parent section. A part row counts only where its label is
    the part's name (a heading the parser attached to the wrong row does not), and a row that prints no
    amount (section 32's commitment authority, a total change alone) takes no part."""
    overview = with_optional(facts).filter(pl.col("table_kind").is_in(row_measures()["overview_tables"]))
    with_amount = overview.filter((pl.col("measure") == "amount") & pl.col("value_status").is_in(["value", "nil"]))
    overview = overview.join(with_amount.select(*_TABLE, "row_index").unique(), on=[*_TABLE, "row_index"], how="semi")
    cells = overview.join(_sections(), on="line_item_code", how="left").join(_parts(), on="line_item_code", how="left")
    named = pl.col("row_label").str.to_lowercase().str.strip_chars() == pl.col("part_name").str.to_lowercase()
    return cells.filter(
        (pl.col("breakdown") != "part") | (pl.col("line_item_code") == "total") | named.fill_null(False)
    )


def hierarchy_sums(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    cells = _hierarchy_cells(facts)
    if cells.is_empty():
        return pl.DataFrame(schema=RECONCILIATION_SCHEMA)
    kind, code = pl.col("breakdown"), pl.col("line_item_code")
    top_section = (kind == "section") & pl.col("parent_section_code").is_null()
    # a section is summed from its sub-sections only where the table prints every seeded one
    seeded = _sections().filter(pl.col("parent_section_code").is_not_null()).group_by("parent_section_code").len()
    printed = (
        cells.filter((kind == "section") & pl.col("parent_section_code").is_not_null())
        .group_by(*_TABLE, "parent_section_code")
        .agg(pl.col("line_item_code").n_unique().alias("n"))
        .join(seeded, on="parent_section_code")
        .filter(pl.col("n") == pl.col("len"))
        .select(*_TABLE, pl.col("parent_section_code").alias("hier"))
    )
    out = [
        sum_rule(
            cells.with_columns(pl.when(kind == "part").then(code).otherwise(pl.col("part_code")).alias("hier")),
            top_section,
            (kind == "part") & (code != "total"),
            [*_TABLE, "hier"],
            "sections_sum_to_part",
            family,
            "the sections of a part sum to the part's row (sections to parts from budget_sections.csv)",
        ),
        sum_rule(
            cells.with_columns(pl.coalesce("parent_section_code", code).alias("hier")).join(
                printed, on=[*_TABLE, "hier"], how="semi"
            ),
            (kind == "section") & pl.col("parent_section_code").is_not_null(),
            top_section,
            [*_TABLE, "hier"],
            "subsections_sum_to_section",
            family,
            "the sub-sections of a section sum to the section's row",
        ),
        sum_rule(
            _columns_every_part_prints(cells),
            (kind == "part") & (code != "total"),
            code == "total",
            _TABLE,
            "parts_sum_to_total",
            family,
            "the parts sum to the overview's total",
        ),
    ]
    return pl.concat(out)


def _columns_every_part_prints(cells: pl.DataFrame) -> pl.DataFrame:
    """Only the columns in which every part row prints a cell: table 6 prints its transitional
    capacities by section and entity, not by part, so that column's total has no parts to sum."""
    part = (pl.col("breakdown") == "part") & (pl.col("line_item_code") != "total")
    printed = pl.col("value_status").is_in(["value", "nil"])
    parts = cells.filter(part).group_by(_TABLE).agg(pl.col("row_index").n_unique().alias("n_rows"))
    column = [*_TABLE, "measure", "fiscal_year", "column_header"]
    complete = (
        cells.filter(part & printed)
        .group_by(column)
        .agg(pl.col("row_index").n_unique().alias("n"))
        .join(parts, on=_TABLE)
        .filter(pl.col("n") == pl.col("n_rows"))
        .drop("n", "n_rows")
    )
    return cells.join(complete, on=column, how="semi", nulls_equal=True)


def _entity_table_rows(cells: pl.DataFrame) -> pl.DataFrame:
    """Per entity table, the row an overview compares with: the first matching meta.variance_rows."""
    patterns = row_measures()["variance_rows"]
    rank = pl.lit(None, pl.Int32)
    for i, pattern in reversed(list(enumerate(patterns))):
        rank = pl.when(pl.col("row_label").str.contains(pattern)).then(pl.lit(i, pl.Int32)).otherwise(rank)
    own = cells.filter(pl.col("table_kind").is_in(row_measures()["entity_tables"])).with_columns(rank.alias("rank"))
    chosen = (
        own.filter(pl.col("rank").is_not_null())
        .select(*_TABLE, "row_index", "rank")
        .unique()
        .sort("rank")
        .unique(_TABLE, keep="first")
    )
    return own.join(chosen.drop("rank"), on=[*_TABLE, "row_index"])


def overview_matches_entity_tables(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    # the support-account overview leaves an entity's corporate costs (its table's block III) to rows of
    # their own, so only the funding sources of meta.overview_entity_sources are compared
    sources = row_measures()["overview_entity_sources"]
    cells = numeric(with_optional(facts)).filter(
        (pl.col("measure") == "amount") & pl.col("funding_source").is_in(sources)
    )
    key = ["document_id", "entity", "funding_source", "phase", "period_start", "period_end"]
    own = (
        _entity_table_rows(cells)
        .select(
            "document_id",
            pl.col("entity_code").alias("entity"),
            "funding_source",
            "phase",
            "period_start",
            "period_end",
            pl.col("value").alias("computed_value"),
            pl.col("half_unit").alias("slack"),
        )
        .unique(key, keep="first")
    )
    # an entity listed in several blocks of one overview (posts, then positions) is a part of its table
    # the overviews' "Transitional capacities" column is the entity's transitional block, which the row
    # compared here (the subtotal excluding it) leaves out: only the row's own cells are compared
    rows = (
        cells.filter(
            pl.col("table_kind").is_in(row_measures()["overview_tables"])
            & (pl.col("breakdown") == "entity")
            & pl.col("scope_code").ne_missing("transitional_staffing_capacity")
        )
        .with_columns(pl.col("line_item_code").alias("entity"))
        .filter(pl.col("row_index").n_unique().over(*_TABLE, "entity") == 1)
    )
    joined = rows.join(own, on=key, nulls_equal=True).with_columns(
        pl.col("value").alias("printed_value"), pl.col("half_unit").alias("printed_half")
    )
    return finish(
        joined,
        "overview_matches_entity_tables",
        family,
        "an overview's entity row = the entity's own table (subtotal excluding transitional capacity, else total)",
    )
