"""Consistency by interval: what printed, rounded figures allow.

A printed figure stands for every value that rounds to it: ``12 345.6`` (thousands of dollars) for
12 345.55..12 345.65, a percentage ``1.4`` for 1.35..1.45. A rule instance (a total and its parts, a
change and its years, a percentage and its change and base) is consistent when the interval its
printed inputs allow intersects the printed result's own rounding interval. So eleven items rounded
to one decimal may drift from their printed total by up to 0.6, while a percentage printed 2.5 whose
inputs give 2.56-2.57 is a finding. This module is the only place that says how far rounding goes.
"""

from __future__ import annotations

import polars as pl

# Counts are printed exactly (a post, a deliverable), not rounded; every other unit is rounded to its
# last printed digit.
EXACT_UNITS = ("posts",)
# Floating-point slack only; far below any printed digit.
EPS = 1e-6


def decimals(text: pl.Expr) -> pl.Expr:
    """Digits after the decimal point as printed: ``(37 789.0)`` -> 1, ``12 345`` -> 0."""
    return text.str.extract(r"\.\s*(\d+)").str.len_chars().fill_null(0).cast(pl.Int32)


def half_unit(text: pl.Expr, unit: pl.Expr, status: pl.Expr, column: list[str], document: list[str]) -> pl.Expr:
    """Half a unit of the last printed digit: how far the true value may lie from the printed one.

    A nil (—, –) has no digit of its own: it is zero at the precision of its column (the finest decimal
    printed in the same column of the same table; failing that, in the same measure and unit across the
    document). So a change of (7.2) on 45 780.0 may print its percentage as — (A/78/6 line 4067) as well
    as (0.0) (line 3900), while a percentage printed — for a rise of 20 posts on 22 (line 9543) is still
    a finding. Counts are exact.
    """
    digits = decimals(text)
    printed = pl.when(status == "value").then(digits).otherwise(None)
    nil_digits = pl.coalesce(printed.max().over(column), printed.max().over(document))
    own = pl.lit(0.5) * pl.lit(10.0).pow(-digits.cast(pl.Float64))
    nil = (
        pl.when(nil_digits.is_null()).then(0.0).otherwise(pl.lit(0.5) * pl.lit(10.0).pow(-nil_digits.cast(pl.Float64)))
    )
    return (
        pl.when(unit.is_in(EXACT_UNITS))
        .then(pl.lit(0.0))
        .when(status == "nil")
        .then(nil)
        .otherwise(own)
        .alias("half_unit")
    )


def ratio_bounds(change: str, change_half: str, base: str, base_half: str) -> tuple[pl.Expr, pl.Expr]:
    """Lowest and highest change / base x 100 over the inputs' intervals (null when the base interval
    reaches zero: any percentage is then possible). With a base of constant sign the ratio is monotonic
    in each input, so its extremes are at the corners."""
    corners = [
        (pl.col(change) + sc * pl.col(change_half)) / (pl.col(base) + sb * pl.col(base_half)) * 100
        for sc in (-1, 1)
        for sb in (-1, 1)
    ]
    crosses_zero = (pl.col(base) - pl.col(base_half) <= 0) & (pl.col(base) + pl.col(base_half) >= 0)
    low = pl.when(crosses_zero).then(None).otherwise(pl.min_horizontal(corners))
    high = pl.when(crosses_zero).then(None).otherwise(pl.max_horizontal(corners))
    return low, high


def consistent(printed: pl.Expr, printed_half: pl.Expr, low: pl.Expr, high: pl.Expr) -> pl.Expr:
    """The printed figure's rounding interval meets the interval its inputs allow (an unbounded side,
    null, always meets)."""
    meets_low = (printed + printed_half >= low - EPS).fill_null(True)
    meets_high = (printed - printed_half <= high + EPS).fill_null(True)
    return meets_low & meets_high
