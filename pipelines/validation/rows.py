"""Row arithmetic, for every document: the change columns sum to the total change; the base amount plus
the change gives the later amount; a percentage is the change over its base.

The Chinese fascicle prints technical adjustments + new/expanded mandates + other = total change, and
2023 + change = 2024. A/80/400 prints 2026 proposed + redeployed across sections + [relocation +] other
= 2026 revised estimate, most tables without a total-change column; its variance percentages exclude
the resources redeployed for consolidation from both sides ("excluding resources redeployed for
consolidation"), so their base is the base amount plus the (negative) redeployment. Which measure is a
change part, and which one is excluded from a variance, is data (expectations/reconciliation.json).
"""

from __future__ import annotations

import json
from functools import cache

import polars as pl

from pipelines.operations.config import EXPECTATIONS_DIR
from pipelines.validation.core import ROW_KEYS, finish, numeric, with_optional
from pipelines.validation.intervals import consistent, ratio_bounds

# a column with a scope of its own (A/80/400 table 6's "Transitional capacities" beside the revised
# estimate) prints a second amount of the same phase and year on the row: the scope keeps it apart
KEYS = [*ROW_KEYS, "scope_code"]
# a row's change against one base: the base year and phase it names, and the phase it leads to
CHANGE_KEY = KEYS + ["fiscal_year", "base_year", "base_phase", "change_phase"]


@cache
def row_measures() -> dict[str, list[str]]:
    """The rules' vocabulary, from the reconciliation suite's meta: change_parts, excluded_from_variance,
    variance_rows (label patterns), block_breakdowns."""
    spec = json.loads((EXPECTATIONS_DIR / "reconciliation.json").read_text(encoding="utf-8"))
    return spec["meta"]["rules"]


def _cells(facts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    cells = numeric(facts)
    amounts = cells.filter(pl.col("measure") == "amount").select(
        *KEYS,
        "fiscal_year",
        "phase",
        "period_start",
        "period_end",
        "column_header",
        pl.col("value").alias("amount"),
        pl.col("value_text").alias("amount_text"),
        pl.col("half_unit").alias("amount_half"),
    )
    changes = cells.filter(pl.col("measure") != "amount").select(
        *KEYS,
        "measure",
        "fiscal_year",
        "base_year",
        "base_phase",
        pl.col("phase").alias("change_phase"),
        "column_header",
        "footnote",
        "table_kind",
        "value",
        "value_text",
        "half_unit",
    )
    return amounts, changes


def _parts(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    """Per row and base: the change columns' sum (a change cell left blank counts as no change) and the
    redeployment among them; only rows where every change column holds a number or is blank."""
    key = CHANGE_KEY
    measures, redeployed = row_measures()["change_parts"][family], row_measures()["excluded_from_variance"]
    printed = facts.filter(pl.col("measure").is_in(measures)).with_columns(pl.col("phase").alias("change_phase"))
    blank = printed.filter(pl.col("value_status") == "blank").with_columns(
        pl.lit(0.0).alias("value"), pl.lit(0.0).alias("half_unit")
    )
    cells = pl.concat([numeric(printed), blank], how="diagonal_relaxed")
    is_redeployed = pl.col("measure").is_in(redeployed)
    summed = cells.group_by(key).agg(
        pl.col("value").sum().alias("parts_sum"),
        pl.col("half_unit").sum().alias("parts_slack"),
        pl.len().alias("n_read"),
        pl.col("value").filter(is_redeployed).sum().alias("redeployed"),
        pl.col("half_unit").filter(is_redeployed).sum().alias("redeployed_half"),
        (pl.col("value_status") == "blank").all().alias("all_blank"),
    )
    columns = printed.group_by(key).agg(pl.len().alias("n_columns"))
    return summed.join(columns, on=key, nulls_equal=True).filter(pl.col("n_read") == pl.col("n_columns"))


def _change_per_row(facts: pl.DataFrame, changes: pl.DataFrame, family: str) -> pl.DataFrame:
    """The row's change against each base: its printed total change, else the sum of its change columns."""
    key = CHANGE_KEY
    parts = _parts(facts, family)
    total = changes.filter(pl.col("measure") == "change_total").select(
        *key,
        pl.col("value").alias("change"),
        pl.col("half_unit").alias("change_half"),
        pl.lit("total change").alias("change_source"),
    )
    from_parts = parts.select(
        *key,
        pl.col("parts_sum").alias("change"),
        pl.col("parts_slack").alias("change_half"),
        pl.when(pl.col("all_blank"))
        .then(pl.lit("no change (every change column printed blank)"))
        .otherwise(pl.lit("sum of the change columns"))
        .alias("change_source"),
    ).join(total, on=key, how="anti", nulls_equal=True)
    redeployed = parts.select(*key, "redeployed", "redeployed_half")
    return (
        pl.concat([total, from_parts])
        .join(redeployed, on=key, how="left", nulls_equal=True)
        .with_columns(pl.col("redeployed").fill_null(0.0), pl.col("redeployed_half").fill_null(0.0))
    )


def _with_amounts(change: pl.DataFrame, amounts: pl.DataFrame) -> pl.DataFrame:
    """Attach the base amount and the later amount (the change's year, in the change's own phase).

    The text names a base by its year; a Word table by its phase and year, or, for a period that is not
    a calendar year (2025/26), by its phase alone. Where the base is a phase of the same period (2026
    proposed -> 2026 revised; six-month apportionment -> six-month revised estimate) both cover the same
    months. A base or later column that is still not unique (a table with an intermediate "proposed
    (excluding ...)" column) is not guessed: such rows are left out."""
    base = amounts.rename(
        {
            "fiscal_year": "base_fy",
            "phase": "amount_base_phase",
            "amount": "base_amount",
            "amount_half": "base_half",
            "period_start": "base_start",
            "period_end": "base_end",
            "column_header": "base_header",
        }
    ).drop("amount_text")
    later = amounts.rename({"amount": "year_amount", "amount_half": "year_half"})
    named_base = (
        pl.when(pl.col("base_phase").is_null())
        .then(pl.col("base_fy").eq(pl.col("base_year")))
        .otherwise(
            (pl.col("amount_base_phase") == pl.col("base_phase"))
            & (
                pl.col("base_fy").eq(pl.col("base_year"))
                | (pl.col("base_fy").is_null() & pl.col("fiscal_year").is_null())
            )
        )
    )
    same_months = (
        pl.col("base_phase").is_null()
        | pl.col("base_fy").ne_missing(pl.col("fiscal_year"))
        | pl.col("base_start").is_null()
        | pl.col("period_start").is_null()
        | ((pl.col("base_start") == pl.col("period_start")) & (pl.col("base_end") == pl.col("period_end")))
    )
    later_phase = (pl.col("base_phase").is_null() | (pl.col("phase") != pl.col("base_phase"))) & (
        pl.col("change_phase").is_null() | (pl.col("phase") == pl.col("change_phase"))
    )
    return (
        change.join(base, on=KEYS, nulls_equal=True)
        .filter(named_base.fill_null(False))
        .join(later, on=KEYS + ["fiscal_year"], nulls_equal=True)
        .filter(later_phase & same_months)
        .filter(pl.len().over(CHANGE_KEY) == 1)
    )


def row_arithmetic(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    facts = with_optional(facts)
    amounts, changes = _cells(facts)
    parts = _parts(facts, family)
    key = CHANGE_KEY
    out = []
    total = changes.filter(pl.col("measure") == "change_total")
    complete = parts.filter(~pl.col("all_blank"))  # a total change printed alone (a commitment authority)
    out.append(
        finish(
            total.join(complete, on=key, nulls_equal=True).with_columns(
                pl.col("value").alias("printed_value"),
                pl.col("half_unit").alias("printed_half"),
                pl.col("parts_sum").alias("computed_value"),
                pl.col("parts_slack").alias("slack"),
            ),
            "change_parts_sum_to_total",
            family,
            "the change columns sum to the total change",
        )
    )
    joined = _with_amounts(_change_per_row(facts, changes, family), amounts)
    out.append(
        finish(
            joined.with_columns(
                pl.col("year_amount").alias("printed_value"),
                pl.col("amount_text").alias("printed_text"),
                pl.col("year_half").alias("printed_half"),
                (pl.col("base_amount") + pl.col("change")).alias("computed_value"),
                (pl.col("base_half") + pl.col("change_half")).alias("slack"),
                pl.lit("amount").alias("measure"),
                pl.format("base amount + {}", pl.col("change_source")).alias("how"),
            ),
            "base_plus_change_equals_year",
            family,
            "amount of the base column + change = amount of the later column",
        )
    )
    out.append(_percentages(changes, amounts, joined, family))
    return pl.concat(out)


def _variance_targets(pct: pl.DataFrame, amounts: pl.DataFrame) -> pl.DataFrame:
    """A percentage printed on a row of its own (A/80/400's "Variance compared with ..." rows under a
    Word table) measures another row of that table: the first whose label matches, in order, a pattern
    of meta.variance_rows (the subtotal excluding transitional capacity before the total). ``t_*``
    columns name the measured row; a percentage printed on a row with amounts measures its own row."""
    rows = amounts.select(KEYS).unique()
    own = pct.join(rows, on=KEYS, how="semi", nulls_equal=True)
    alone = pct.join(rows, on=KEYS, how="anti", nulls_equal=True).filter(pl.col("table_index").is_not_null())
    patterns = row_measures()["variance_rows"]
    rank = pl.lit(None, pl.Int32)
    for i, pattern in reversed(list(enumerate(patterns))):
        rank = pl.when(pl.col("row_label").str.contains(pattern)).then(pl.lit(i, pl.Int32)).otherwise(rank)
    candidates = (
        rows.filter(pl.col("table_index").is_not_null())
        .with_columns(rank.alias("rank"))
        .filter(pl.col("rank").is_not_null())
        .sort("rank", "row_index")
        .unique(["document_id", "table_index"], keep="first")
        .select("document_id", "table_index", *[pl.col(k).alias(f"t_{k}") for k in KEYS if k != "document_id"])
    )
    same = own.with_columns(*[pl.col(k).alias(f"t_{k}") for k in KEYS if k != "document_id"])
    return pl.concat([same, alone.join(candidates, on=["document_id", "table_index"])], how="diagonal_relaxed")


def _later_amounts(joined: pl.DataFrame) -> pl.DataFrame:
    """Per row and year, the later amount as printed, and as the row's other base and change give it: a
    percentage computed from a later amount the row misprints (a sign typo) is checked against the latter
    too; the typo is reported at its own cell."""
    return (
        joined.select(
            *KEYS,
            "fiscal_year",
            "year_amount",
            "year_half",
            "redeployed",
            "redeployed_half",
            "period_start",
            "period_end",
            (pl.col("base_amount") + pl.col("change")).alias("implied_year"),
            (pl.col("base_half") + pl.col("change_half")).alias("implied_half"),
        )
        .sort(KEYS + ["fiscal_year", "implied_year"], nulls_last=True)
        .unique(KEYS + ["fiscal_year"], keep="first", maintain_order=True)
    )


def _percentage_inputs(changes: pl.DataFrame, amounts: pl.DataFrame, joined: pl.DataFrame) -> pl.DataFrame:
    """Each printed percentage with the row it measures: its base (the base column it names; of two
    such columns, the one covering the same months as the later amount), later amount, change against
    that base where printed, and redeployment."""
    # a Word cell with a footnote letter glued to it is computed as its footnote says (A/80/400 table 6,
    # 29B "(12.9)f": "excludes the inward redeployment ..."): the rules do not read footnotes
    footnoted = pl.col("table_index").is_not_null() & pl.col("footnote").is_not_null()
    # a change against its own column (base phase = its phase, same year) measures nothing
    against_itself = pl.col("base_phase").eq(pl.col("change_phase")) & pl.col("base_year").eq_missing(
        pl.col("fiscal_year")
    )
    # the support-account overviews compute an entity's variance on its whole support-account budget
    # (corporate costs and positions included), which the row does not print (meta.variance_not_on_row)
    elsewhere = pl.col("table_kind").is_in(row_measures()["variance_not_on_row"]).fill_null(False)
    printed = changes.filter(
        (pl.col("measure") == "change_percentage") & ~footnoted & ~against_itself.fill_null(False) & ~elsewhere
    )
    pct = _variance_targets(printed, amounts)
    target = [f"t_{k}" if k != "document_id" else k for k in KEYS]
    base_key = ["fiscal_year", "base_year", "base_phase"]
    direct = joined.select(*KEYS, *base_key, "base_amount", "base_half", "change", "change_half")
    base = amounts.rename(
        {
            "fiscal_year": "base_year",
            "phase": "base_phase",
            "amount": "b2",
            "amount_half": "b2_half",
            "period_start": "b2_start",
            "period_end": "b2_end",
            "column_header": "b2_header",
        }
    ).drop("amount_text")
    later = _later_amounts(joined)
    same_months = (pl.col("b2_start") == pl.col("period_start")) & (pl.col("b2_end") == pl.col("period_end"))
    identity = KEYS + base_key
    return (
        pct.join(direct, left_on=target + base_key, right_on=KEYS + base_key, how="left", nulls_equal=True)
        .join(
            base,
            left_on=target + ["base_year", "base_phase"],
            right_on=KEYS + ["base_year", "base_phase"],
            how="left",
            nulls_equal=True,
        )
        .join(later, left_on=target + ["fiscal_year"], right_on=KEYS + ["fiscal_year"], how="left", nulls_equal=True)
        .sort(same_months.fill_null(False), descending=True)
        .unique(identity, keep="first", maintain_order=True)
        .with_columns(
            pl.col("redeployed").fill_null(0.0).alias("r"),
            pl.col("redeployed_half").fill_null(0.0).alias("r_half"),
            pl.coalesce("base_amount", "b2").alias("b"),
            pl.coalesce("base_half", "b2_half").alias("b_half"),
        )
    )


def _adjusted_change(year: str, year_half: str) -> tuple[pl.Expr, pl.Expr]:
    """The change net of the redeployment: printed where the row prints it against this base, else the
    later amount (column ``year``) less the base and the redeployment."""
    direct = pl.col("change").is_not_null()
    change = pl.when(direct).then(pl.col("change") - pl.col("r")).otherwise(pl.col(year) - pl.col("b") - pl.col("r"))
    half = (
        pl.when(direct)
        .then(pl.col("change_half") + pl.col("r_half"))
        .otherwise(pl.col(year_half) + pl.col("b_half") + pl.col("r_half"))
    )
    return change, half


def _percentages(changes: pl.DataFrame, amounts: pl.DataFrame, joined: pl.DataFrame, family: str) -> pl.DataFrame:
    """percentage = change / base x 100, with the redeployment for consolidation taken out of both: the
    adjusted base is base + redeployment (a negative change), the adjusted change is later - adjusted
    base. Where the document has no redeployment this is the plain change / base. A percentage that
    does not fit the printed later amount but fits the later amount the row's other base and change
    give is consistent: the misprinted amount is the finding (base_plus_change_equals_year), once."""
    printed_change, printed_change_half = _adjusted_change("year_amount", "year_half")
    implied_change, implied_change_half = _adjusted_change("implied_year", "implied_half")
    adjusted = (
        _percentage_inputs(changes, amounts, joined)
        .with_columns(
            (pl.col("b") + pl.col("r")).alias("adj_base"),
            (pl.col("b_half") + pl.col("r_half")).alias("adj_base_half"),
            printed_change.alias("adj_change"),
            printed_change_half.alias("adj_change_half"),
            implied_change.alias("imp_change"),
            implied_change_half.alias("imp_change_half"),
        )
        .filter(pl.col("adj_base").is_not_null() & pl.col("adj_change").is_not_null() & (pl.col("adj_base") != 0))
    )
    low, high = ratio_bounds("adj_change", "adj_change_half", "adj_base", "adj_base_half")
    imp_low, imp_high = ratio_bounds("imp_change", "imp_change_half", "adj_base", "adj_base_half")
    printed, half = pl.col("value"), pl.col("half_unit")
    implied = (
        ~consistent(printed, half, low, high)
        & pl.col("imp_change").is_not_null()
        & consistent(printed, half, imp_low, imp_high).fill_null(False)
    )
    return finish(
        adjusted.with_columns(
            printed.alias("printed_value"),
            half.alias("printed_half"),
            (
                pl.when(implied).then(pl.col("imp_change")).otherwise(pl.col("adj_change")) / pl.col("adj_base") * 100
            ).alias("computed_value"),
            pl.when(implied).then(imp_low).otherwise(low).alias("allowed_low"),
            pl.when(implied).then(imp_high).otherwise(high).alias("allowed_high"),
            pl.when(implied)
            .then(pl.lit("later amount as the row's base + change give it (the printed one is a finding)"))
            .otherwise(pl.lit(None, pl.Utf8))
            .alias("how"),
        ),
        "percentage_is_change_over_base",
        family,
        "percentage = change / base x 100 (redeployment for consolidation excluded from both)",
    )
