"""Consistency by interval (pipelines/validation/intervals.py): real figures of A/78/6 (Sect. 3), cited by
line of data/raw/002_76b708e149a256cd.txt, and constructed edge cases."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.validation.intervals import consistent, half_unit, ratio_bounds


def halves(
    texts: list[str], statuses: list[str], unit: str = "thousands_usd", cols: list[str] | None = None
) -> list[float]:
    df = pl.DataFrame({"t": texts, "s": statuses, "u": [unit] * len(texts), "col": cols or ["c"] * len(texts)})
    return df.select(half_unit(pl.col("t"), pl.col("u"), pl.col("s"), ["col"], ["u"]))["half_unit"].to_list()


def verdict(printed: float, printed_half: float, low: float | None, high: float | None) -> bool:
    df = pl.DataFrame(
        {"p": [printed], "h": [printed_half], "lo": [low], "hi": [high]},
        schema={"p": pl.Float64, "h": pl.Float64, "lo": pl.Float64, "hi": pl.Float64},
    )
    return df.select(consistent(pl.col("p"), pl.col("h"), pl.col("lo"), pl.col("hi")))["p"].item()


def percentage(change: str, base: str, printed: str) -> tuple[float, float, bool]:
    """Bounds of change / base x 100 from the printed texts, and whether ``printed`` is consistent."""
    c, b, p = (
        float(x.replace(" ", "").strip("()")) * (-1 if x.startswith("(") else 1) for x in (change, base, printed)
    )
    ch, bh, ph = halves([change, base, printed], ["value"] * 3)
    df = pl.DataFrame({"c": [c], "ch": [ch], "b": [b], "bh": [bh]})
    low, high = ratio_bounds("c", "ch", "b", "bh")
    lo, hi = df.select(low.alias("lo"), high.alias("hi")).row(0)
    return lo, hi, verdict(p, ph, lo, hi)


def test_half_a_unit_of_the_last_printed_digit():
    assert halves(["(37 789.0)", "12 345", "1.4", "0.25"], ["value"] * 4) == pytest.approx([0.05, 0.5, 0.05, 0.005])
    assert halves(["20", "—"], ["value", "nil"], unit="posts") == [0.0, 0.0]  # posts are counted, not rounded


def test_a_nil_is_zero_at_its_columns_precision():
    # line 4067 prints — in a percentage column whose other cells print one decimal, e.g. (0.0) on line 3900
    assert halves(["(0.0)", "—"], ["value", "nil"], unit="percent") == pytest.approx([0.05, 0.05])
    # a column printing nothing but nils takes the precision the document prints that measure with:
    # A/80/400 table 87 (Word table 90) rows 9-10 print – for variances of 0.017 per cent
    assert halves(["(7.2)", "–", "–"], ["value", "nil", "nil"], "percent", ["t81", "t90", "t90"]) == pytest.approx(
        [0.05, 0.05, 0.05]
    )
    # and none at all where the document prints no digit for it
    assert halves(["—", "—"], ["nil", "nil"], unit="percent") == [0.0, 0.0]


def test_a_percentage_printed_a_tenth_too_low_is_a_finding():
    # table 3.56 line 7227 共计: change 84.2 on 3 282.0 prints 2.5; 84.15/3 282.05 .. 84.25/3 281.95 = 2.564..2.567
    lo, hi, ok = percentage("84.2", "3 282.0", "2.5")
    assert (round(lo, 4), round(hi, 4), ok) == (2.5639, 2.5671, False)
    # the block above it, line 7205 小计(1): 84.2 on 3 082.0 prints 2.7 (2.730..2.734)
    assert percentage("84.2", "3 082.0", "2.7")[2] is True


def test_a_decrease_printed_as_an_increase_is_a_finding():
    # table 3.68 line 8313: (128.4) on 9 076.0 prints 1.4 per cent
    lo, hi, ok = percentage("(128.4)", "9 076.0", "1.4")
    assert ok is False and -1.42 < lo < hi < -1.41


def test_a_small_change_may_print_its_percentage_as_zero():
    # line 3900 员额: (7.2) on 47 278.1 prints (0.0)
    assert percentage("(7.2)", "47 278.1", "(0.0)")[2] is True


def test_eleven_rounded_items_may_drift_by_half_a_unit_and_more():
    items = ["1.1"] * 11  # 11 x 0.05 from the items + 0.05 from the total = 0.6
    slack = sum(halves(items, ["value"] * 11))
    assert slack == pytest.approx(0.55)
    total_half = 0.05
    assert verdict(12.1 + 0.5, total_half, 12.1 - slack, 12.1 + slack) is True
    assert verdict(12.1 + 0.6, total_half, 12.1 - slack, 12.1 + slack) is True
    assert verdict(12.1 + 0.7, total_half, 12.1 - slack, 12.1 + slack) is False


def test_a_total_off_by_ten_is_a_finding():
    # annex IV line 11520 OCT: 10 112.1 + — + 19 540.4 = 29 652.5, printed 29 662.5
    slack = sum(halves(["10 112.1", "—", "19 540.4"], ["value", "nil", "value"]))
    assert verdict(29662.5, 0.05, 29652.5 - slack, 29652.5 + slack) is False
    # table 3.24 line 3924: the 2022 items add up to 47 858.9, the total prints 47 859.0
    assert verdict(47859.0, 0.05, 47858.9 - 0.6, 47858.9 + 0.6) is True


def test_posts_are_exact():
    # table 3.80 line 9543: 22 posts up by 20, percentage printed — (nil, and the column prints no decimal)
    c, b = 20.0, 22.0
    df = pl.DataFrame({"c": [c], "ch": [0.0], "b": [b], "bh": [0.0]})
    low, high = ratio_bounds("c", "ch", "b", "bh")
    lo, hi = df.select(low.alias("lo"), high.alias("hi")).row(0)
    assert lo == hi == pytest.approx(90.909, abs=1e-3)
    assert verdict(0.0, 0.0, lo, hi) is False


def test_a_base_whose_interval_reaches_zero_allows_any_percentage():
    df = pl.DataFrame({"c": [5.0], "ch": [0.05], "b": [0.0], "bh": [0.05]})
    low, high = ratio_bounds("c", "ch", "b", "bh")
    lo, hi = df.select(low.alias("lo"), high.alias("hi")).row(0)
    assert (lo, hi) == (None, None) and verdict(123.4, 0.05, lo, hi) is True
