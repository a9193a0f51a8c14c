"""Column sums of Word tables (A/80/400), by the rows' order and roles rather than by label.

An object-of-expenditure or category-and-grade table is a run of blocks: items, then the subtotal
that closes them (a category's "Subtotal", "Subtotal for transitional staffing capacity"), a subtotal
of subtotals ("Subtotal, excluding transitional staffing capacity"), and finally "Total" over what
no earlier subtotal of subtotals has taken in. Heading rows ("Professional and higher",
"Transitional staffing capacity", "II. Non-post resources") print no number and take no part;
variance rows print only a percentage and are checked by the row rules.
"""

from __future__ import annotations

import polars as pl

from pipelines.validation.core import finish, numeric, with_optional
from pipelines.validation.intervals import consistent
from pipelines.validation.rows import row_measures

_TABLE = ["document_id", "table_index"]
_COLUMN = ["measure", "column_header"]


def _roles(facts: pl.DataFrame) -> pl.DataFrame:
    """One row per printed row that holds a number: item, subtotal or total. A row printing only nils
    and blanks is a heading (a stray – in "General Service and related", table 155) and takes no part."""
    breakdowns = row_measures()["block_breakdowns"]
    # tables whose rows are phases (grades across) have no blocks of rows (meta.phase_row_tables)
    facts = facts.filter(~pl.col("table_kind").is_in(row_measures()["phase_row_tables"]).fill_null(False))
    tables = facts.group_by(_TABLE).agg(pl.col("breakdown").drop_nulls().is_in(breakdowns).all().alias("blocks"))
    numbered = facts.filter((pl.col("value_status") == "value") & (pl.col("measure") != "change_percentage"))
    return (
        facts.join(tables.filter(pl.col("blocks")), on=_TABLE)
        .join(numbered.select(*_TABLE, "row_index").unique(), on=[*_TABLE, "row_index"], how="semi")
        .group_by(*_TABLE, "row_index")
        .agg(pl.col("is_total").first(), (pl.col("line_item_code").first() == "total").alias("grand"))
        .with_columns(
            pl.when(pl.col("grand"))
            .then(pl.lit("total"))
            .when(pl.col("is_total"))
            .then(pl.lit("subtotal"))
            .otherwise(pl.lit("item"))
            .alias("role")
        )
        .sort(*_TABLE, "row_index")
    )


def _walk(doc: str, table: int, indexes: list[int], kinds: list[str], lone_first: bool) -> list[dict]:
    items: list[int] = []
    closed: list[int] = []
    out: list[dict] = []
    for i, (row, role) in enumerate(zip(indexes, kinds, strict=True)):
        if role == "item":
            (closed if lone_first and i == 0 else items).append(row)
            continue
        parts = closed + items if role == "total" else (items or closed)
        out += [{"document_id": doc, "table_index": table, "total_row": row, "part_row": p} for p in parts]
        closed = [row] if role == "total" or not items else closed + [row]
        items = []
    return out


def block_parts(roles: pl.DataFrame) -> pl.DataFrame:
    """(document_id, table_index, reading, total_row, part_row): which rows each subtotal and total adds.

    A subtotal adds the items since the last subtotal, or, when none are open, the subtotals not yet
    taken in (a subtotal of subtotals); a total adds everything not yet taken in. A table that opens
    with one item and then a heading ("I. Posts", then "II. Non-post resources", seen as a gap in the
    numbered rows) has a second reading, reading 1, where that item is a block of its own: table 184's
    "Subtotal" closes block II alone, table 209's "Subtotal" closes I and II."""
    out: list[dict] = []
    for (doc, table), rows in roles.group_by(_TABLE, maintain_order=True):
        indexes, kinds = rows["row_index"].to_list(), rows["role"].to_list()
        out += [{**r, "reading": 0} for r in _walk(doc, table, indexes, kinds, False)]
        if len(indexes) > 2 and kinds[:2] == ["item", "item"] and indexes[1] > indexes[0] + 1:
            out += [{**r, "reading": 1} for r in _walk(doc, table, indexes, kinds, True)]
    schema = {
        "document_id": pl.Utf8,
        "table_index": pl.Int32,
        "total_row": pl.Int32,
        "part_row": pl.Int32,
        "reading": pl.Int32,
    }
    return pl.DataFrame(out, schema=schema)


def word_block_sums(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    """Each subtotal and total against its block; of two readings of a table, the one its own figures
    bear out in more cells (the first on a tie)."""
    facts = with_optional(facts).filter(pl.col("table_index").is_not_null())
    mapping = block_parts(_roles(facts))
    cells = numeric(facts).filter(pl.col("measure") != "change_percentage")
    summed = (
        mapping.join(cells.rename({"row_index": "part_row"}), on=[*_TABLE, "part_row"])
        .group_by(*_TABLE, "reading", "total_row", *_COLUMN)
        .agg(pl.col("value").sum().alias("computed_value"), pl.col("half_unit").sum().alias("slack"))
    )
    totals = cells.with_columns(
        pl.col("row_index").alias("total_row"),
        pl.col("value").alias("printed_value"),
        pl.col("half_unit").alias("printed_half"),
    )
    joined = totals.join(summed, on=[*_TABLE, "total_row", *_COLUMN], nulls_equal=True)
    holds = consistent(
        pl.col("printed_value"),
        pl.col("printed_half"),
        pl.col("computed_value") - pl.col("slack"),
        pl.col("computed_value") + pl.col("slack"),
    )
    score = joined.group_by(*_TABLE, "reading").agg(holds.sum().alias("held"))
    best = score.sort("held", "reading", descending=[True, False]).unique(_TABLE, keep="first").drop("held")
    return finish(
        joined.join(best, on=[*_TABLE, "reading"]),
        "block_rows_sum_to_subtotal",
        family,
        "rows of the block sum to its subtotal / total (Word table, by row order)",
    )
