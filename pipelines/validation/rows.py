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

from pipelines.config import EXPECTATIONS_DIR
from pipelines.validation.core import ROW_KEYS, finish, numeric, with_optional
from pipelines.validation.intervals import ratio_bounds

KEYS = ROW_KEYS


@cache
def row_measures() -> dict[str, list[str]]:
    """{"change_parts": [...], "excluded_from_variance": [...]} from the reconciliation suite's meta."""
    spec = json.loads((EXPECTATIONS_DIR / "reconciliation.json").read_text(encoding="utf-8"))
    return spec["meta"]["row_measures"]


def _cells(facts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    cells = numeric(facts)
    amounts = cells.filter(pl.col("measure") == "amount").select(
        *KEYS,
        "fiscal_year",
        "phase",
        pl.col("value").alias("amount"),
        pl.col("value_text").alias("amount_text"),
        pl.col("half_unit").alias("amount_half"),
    )
    changes = cells.filter(pl.col("measure") != "amount").select(
        *KEYS, "measure", "fiscal_year", "base_year", "base_phase", "value", "value_text", "half_unit"
    )
    return amounts, changes


def _parts(facts: pl.DataFrame) -> pl.DataFrame:
    """Per row and year: the change parts' sum, when every part column of the row holds a number, and
    whether the row prints no change at all (every change cell blank)."""
    parts = row_measures()["change_parts"]
    redeployed = row_measures()["excluded_from_variance"]
    cells = numeric(facts).filter(pl.col("measure").is_in(parts))
    summed = cells.group_by(KEYS + ["fiscal_year", "base_year", "base_phase"]).agg(
        pl.col("value").sum().alias("parts_sum"),
        pl.col("half_unit").sum().alias("parts_slack"),
        pl.len().alias("n_numeric"),
        pl.col("value").filter(pl.col("measure").is_in(redeployed)).sum().alias("redeployed"),
        pl.col("half_unit").filter(pl.col("measure").is_in(redeployed)).sum().alias("redeployed_half"),
    )
    printed = (
        facts.filter(pl.col("measure").is_in(parts))
        .group_by(KEYS + ["fiscal_year", "base_year", "base_phase"])
        .agg(pl.len().alias("n_columns"), (pl.col("value_status") == "blank").all().alias("all_blank"))
    )
    return printed.join(summed, on=KEYS + ["fiscal_year", "base_year", "base_phase"], how="left", nulls_equal=True)


def _change_per_row(facts: pl.DataFrame, changes: pl.DataFrame) -> pl.DataFrame:
    """The row's change: its printed total change, or else its parts' sum, or else (a row that prints
    every change cell blank) an exact zero, so that amounts that differ are still caught."""
    parts = _parts(facts)
    total = changes.filter(pl.col("measure") == "change_total").select(
        *KEYS,
        "fiscal_year",
        "base_year",
        "base_phase",
        pl.col("value").alias("change"),
        pl.col("half_unit").alias("change_half"),
        pl.lit("total change").alias("change_source"),
    )
    from_parts = parts.filter(pl.col("n_numeric") == pl.col("n_columns")).select(
        *KEYS,
        "fiscal_year",
        "base_year",
        "base_phase",
        pl.col("parts_sum").alias("change"),
        pl.col("parts_slack").alias("change_half"),
        pl.lit("sum of the change columns").alias("change_source"),
    )
    blank = parts.filter(pl.col("all_blank")).select(
        *KEYS,
        "fiscal_year",
        "base_year",
        "base_phase",
        pl.lit(0.0).alias("change"),
        pl.lit(0.0).alias("change_half"),
        pl.lit("change columns printed blank").alias("change_source"),
    )
    key = KEYS + ["fiscal_year", "base_year", "base_phase"]
    rest = pl.concat([from_parts, blank]).join(total, on=key, how="anti", nulls_equal=True)
    redeployed = parts.select(*key, pl.col("redeployed").fill_null(0.0), pl.col("redeployed_half").fill_null(0.0))
    return pl.concat([total, rest]).join(redeployed, on=key, how="left", nulls_equal=True)


def _with_amounts(change: pl.DataFrame, amounts: pl.DataFrame) -> pl.DataFrame:
    """Attach the base amount (base year, and base phase when named) and the later amount (the change's
    year, in another phase than the base's)."""
    base = amounts.rename(
        {"fiscal_year": "base_year", "phase": "amount_base_phase", "amount": "base_amount", "amount_half": "base_half"}
    ).drop("amount_text")
    later = amounts.rename({"amount": "year_amount", "amount_half": "year_half"})
    return (
        change.join(base, on=KEYS + ["base_year"], nulls_equal=True)
        .filter(pl.col("base_phase").is_null() | (pl.col("base_phase") == pl.col("amount_base_phase")))
        .join(later, on=KEYS + ["fiscal_year"], nulls_equal=True)
        .filter(pl.col("base_phase").is_null() | (pl.col("phase") != pl.col("base_phase")))
    )


def row_arithmetic(facts: pl.DataFrame, family: str) -> pl.DataFrame:
    facts = with_optional(facts)
    amounts, changes = _cells(facts)
    parts = _parts(facts)
    key = KEYS + ["fiscal_year", "base_year", "base_phase"]
    out = []
    total = changes.filter(pl.col("measure") == "change_total")
    complete = parts.filter(pl.col("n_numeric") == pl.col("n_columns"))
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
    joined = _with_amounts(_change_per_row(facts, changes), amounts)
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


def _percentage_inputs(changes: pl.DataFrame, amounts: pl.DataFrame, joined: pl.DataFrame) -> pl.DataFrame:
    """Each printed percentage with its base (the base column it names) and its row's later amount,
    change and redeployment."""
    pct = changes.filter(pl.col("measure") == "change_percentage")
    key = KEYS + ["fiscal_year", "base_year", "base_phase"]
    # the change measured against this very base, where the row prints one
    direct = joined.select(*key, "base_amount", "base_half", "change", "change_half")
    # else the base amount itself, and the later amount and redeployment of the row (any base)
    base = amounts.rename({"fiscal_year": "base_year", "phase": "base_phase", "amount": "b2", "amount_half": "b2_half"})
    later = joined.select(*KEYS, "fiscal_year", "year_amount", "year_half", "redeployed", "redeployed_half")
    return (
        pct.join(direct, on=key, how="left", nulls_equal=True)
        .join(base.drop("amount_text"), on=KEYS + ["base_year", "base_phase"], how="left", nulls_equal=True)
        .join(later.unique(KEYS + ["fiscal_year"]), on=KEYS + ["fiscal_year"], how="left", nulls_equal=True)
        .with_columns(
            pl.col("redeployed").fill_null(0.0).alias("r"),
            pl.col("redeployed_half").fill_null(0.0).alias("r_half"),
            pl.coalesce("base_amount", "b2").alias("b"),
            pl.coalesce("base_half", "b2_half").alias("b_half"),
        )
    )


def _percentages(changes: pl.DataFrame, amounts: pl.DataFrame, joined: pl.DataFrame, family: str) -> pl.DataFrame:
    """percentage = change / base x 100, with the redeployment for consolidation taken out of both: the
    adjusted base is base + redeployment (a negative change), the adjusted change is later - adjusted
    base. Where the document has no redeployment this is the plain change / base."""
    direct = pl.col("change").is_not_null()
    adjusted = (
        _percentage_inputs(changes, amounts, joined)
        .with_columns(
            (pl.col("b") + pl.col("r")).alias("adj_base"),
            (pl.col("b_half") + pl.col("r_half")).alias("adj_base_half"),
            pl.when(direct)
            .then(pl.col("change") - pl.col("r"))
            .otherwise(pl.col("year_amount") - pl.col("b") - pl.col("r"))
            .alias("adj_change"),
            pl.when(direct)
            .then(pl.col("change_half") + pl.col("r_half"))
            .otherwise(pl.col("year_half") + pl.col("b_half") + pl.col("r_half"))
            .alias("adj_change_half"),
        )
        .filter(pl.col("adj_base").is_not_null() & pl.col("adj_change").is_not_null() & (pl.col("adj_base") != 0))
    )
    low, high = ratio_bounds("adj_change", "adj_change_half", "adj_base", "adj_base_half")
    return finish(
        adjusted.with_columns(
            pl.col("value").alias("printed_value"),
            pl.col("half_unit").alias("printed_half"),
            (pl.col("adj_change") / pl.col("adj_base") * 100).alias("computed_value"),
            low.alias("allowed_low"),
            high.alias("allowed_high"),
        ),
        "percentage_is_change_over_base",
        family,
        "percentage = change / base x 100 (redeployment for consolidation excluded from both)",
    )
