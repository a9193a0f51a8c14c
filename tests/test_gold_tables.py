"""Every cell of the hand-typed gold tables (tests/gold, see its README) against the parser's output."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from pipelines.parsing.fascicle.tables import POST_PHASES
from pipelines.parsing.numbers import parse_number_text

GOLD = Path(__file__).parent / "gold"
NUMERIC_FIXTURES = [
    "table_3_24",
    "table_3_26",
    "table_3_27",
    "table_3_28",
    "table_3_29",
    "table_3_68",
    "table_3_69",
    "table_3_75",
    "table_3_77",
    "annex_iv",
    "dppa_component_summaries",
]


def read_gold(name: str) -> list[dict]:
    with open(GOLD / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def column_key(row: dict) -> str:
    """The gold fixture's column name for a parsed cell."""
    if row["source_table"] == "annex_iv":
        return "difference" if row["measure"] == "change_total" else str(row["fiscal_year"])
    if row["measure"] != "amount":
        return row["measure"]
    return f"{row['fiscal_year']}_{row['phase']}"


def gold_column(g: dict, unit: str) -> str:
    """Summary tables print one header for money and posts; post rows carry the post phases."""
    year, _, phase = g["column"].partition("_")
    if unit == "posts" and phase in POST_PHASES:
        return f"{year}_{POST_PHASES[phase]}"
    return g["column"]


@pytest.fixture(scope="module")
def parsed_cells(fascicle) -> dict[tuple, dict]:
    facts = pl.concat([fascicle.frames["resources"], fascicle.frames["posts"]])
    out = {}
    for r in facts.iter_rows(named=True):
        key = (r["source_table"], r["source_line"], r["funding_source"], column_key(r))
        assert key not in out, f"two parsed cells for {key}"
        out[key] = r
    return out


@pytest.mark.parametrize("fixture", NUMERIC_FIXTURES)
def test_every_gold_cell_is_parsed_exactly(fixture, parsed_cells):
    gold = read_gold(fixture)
    assert gold, fixture
    problems = []
    tables = {g["source_table"] for g in gold}
    seen = set()
    for g in gold:
        line = int(g["line"])
        candidates = [k for k in parsed_cells if k[0] == g["source_table"] and k[1] == line and k[2] == g["block"]]
        unit = parsed_cells[candidates[0]]["unit"] if candidates else "thousands_usd"
        key = (g["source_table"], line, g["block"], gold_column(g, unit if unit != "percent" else "posts"))
        if key not in parsed_cells:
            key = (g["source_table"], line, g["block"], g["column"])
        got = parsed_cells.get(key)
        if got is None:
            problems.append(f"missing {key} (printed {g['printed']!r})")
            continue
        seen.add(key)
        if got["value_text"] != g["printed"]:
            problems.append(f"{key}: text {got['value_text']!r} != printed {g['printed']!r}")
        expected = parse_number_text(g["printed"]) if g["printed"] not in ("—", "", "不适用") else None
        if got["value"] != expected:
            problems.append(f"{key}: value {got['value']!r} != {expected!r}")
        if got["row_label"] != g["row_label"]:
            problems.append(f"{key}: label {got['row_label']!r} != {g['row_label']!r}")
    extra = [k for k in parsed_cells if k[0] in tables and k not in seen]
    problems += [f"parsed but not in gold: {k} = {parsed_cells[k]['value_text']!r}" for k in extra]
    assert not problems, "\n".join(problems[:40])


def test_post_change_table_rows_and_grade_counts(fascicle):
    gold = read_gold("table_3_25")
    got = fascicle.frames["post_changes"].filter(pl.col("source_table") == "3.25")
    expected = sorted(
        (
            int(g["line"]),
            g["row_label"],
            g["count_printed"],
            g["detail_printed"],
            g["grade"] or None,
            int(g["grade_count"]) if g["grade_count"] else None,
        )
        for g in gold
    )
    actual = sorted(
        (r["source_line"], r["row_label"], r["count_text"], r["detail_text"], r["grade_code"], r["grade_count"])
        for r in got.iter_rows(named=True)
    )
    assert actual == expected


def test_post_change_grade_counts_agree_with_the_grade_table(fascicle):
    """The 详情 text of the 2024 row names the same grade counts as table 3.26's 2024 column."""
    changes = fascicle.frames["post_changes"].filter(
        (pl.col("source_table") == "3.25") & pl.col("row_label").str.starts_with("2024")
    )
    grades = fascicle.frames["posts"].filter(
        (pl.col("source_table") == "3.26") & (pl.col("breakdown") == "grade") & (pl.col("phase") == "proposed")
    )
    assert dict(zip(changes["grade_code"], changes["grade_count"], strict=True)) == {
        g: int(v) for g, v in zip(grades["line_item_code"], grades["value"], strict=True)
    }
