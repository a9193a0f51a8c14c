"""KPI gold fixtures (tests/gold/kpi, typed by hand with source lines) against the parsers, cell by cell."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from pipelines.parsing.fascicle.kpi_common import unit_code
from pipelines.parsing.numbers import parse_number_text

GOLD = Path(__file__).parent / "gold" / "kpi"


def gold(name: str) -> list[dict]:
    with open(GOLD / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def kpis(fascicle) -> pl.DataFrame:
    return fascicle.frames["kpis"]


def test_deliverables_every_row(kpis):
    rows = gold("deliverables")
    tables = {r["source_table"] for r in rows}
    got = kpis.filter((pl.col("kpi_family") == "deliverable") & pl.col("source_table").is_in(tables))
    expected, actual = set(), set()
    for r in rows:
        if r["row_kind"] == "narrative":
            expected.add(
                (r["source_table"], int(r["line"]), r["category"], "narrative", r["row_label"], None, None, None)
            )
            continue
        year, _, status = r["column"].partition("_")
        value = None if r["printed"] in ("—", "") else parse_number_text(r["printed"])
        expected.add(
            (r["source_table"], int(r["line"]), r["category"], r["row_kind"], r["row_label"], int(year), status, value)
        )
    for r in got.iter_rows(named=True):
        actual.add(
            (
                r["source_table"],
                r["source_line"],
                r["category"],
                r["row_kind"],
                r["label_zh"],
                r["fiscal_year"],
                r["status"],
                r["value_numeric"],
            )
        )
    assert actual - expected == set(), sorted(actual - expected)[:10]
    assert expected - actual == set(), sorted(expected - actual)[:10]


def test_deliverable_units_come_from_the_subtotal_label(kpis):
    units = {r["unit_label"] for r in gold("deliverables") if r["unit_label"]}
    got = kpis.filter(pl.col("kpi_family") == "deliverable")["unit"].drop_nulls().unique().to_list()
    assert units and set(got) >= {"documents", "three_hour_meetings", "days"}


def test_compliance_every_cell(kpis):
    expected = {
        (r["source_table"], int(r["line"]), r["row_label"], int(r["year"]), r["status"], r["printed"])
        for r in gold("compliance")
    }
    got = kpis.filter((pl.col("kpi_family") == "compliance") & pl.col("source_table").is_in(["3.32", "3.50"]))
    actual = {
        (r["source_table"], r["source_line"], r["label_zh"], r["fiscal_year"], r["status"], r["value_text"])
        for r in got.iter_rows(named=True)
    }
    assert actual == expected


def test_not_applicable_is_not_zero(kpis):
    na = kpis.filter(pl.col("value_text") == "不适用")
    assert na["value_numeric"].null_count() == na.height


def test_performance_measures_every_cell_in_the_right_year(kpis):
    rows = gold("performance_measures")
    got = kpis.filter(pl.col("kpi_family") == "performance_measure")
    # an empty (—) cell and the first item can share a line: key by line and text
    by_line = {(r["source_table"], r["source_line"], r["value_text"]): r for r in got.iter_rows(named=True)}
    problems = []
    for g in rows:
        ours = by_line.get((g["source_table"], int(g["first_line"]), g["cell_text"]))
        if ours is None:
            problems.append(f"missing {g['source_table']} {g['cell_text']!r}")
            continue
        if g["confidence"] == "certain" and (ours["fiscal_year"], ours["status"]) != (int(g["year"]), g["status"]):
            problems.append(f"{g['cell_text']!r}: year {ours['fiscal_year']} != {g['year']}")
        if g["confidence"] == "uncertain" and ours["confidence"] != "uncertain":
            problems.append(f"{g['cell_text']!r}: the layout leaves its year uncertain, but it is not flagged")
        if g["number"]:
            if ours["value_numeric"] != float(g["number"]) or ours["unit"] != unit_code(g["unit"]):
                problems.append(
                    f"{g['cell_text']!r}: number {ours['value_numeric']} {ours['unit']} != {g['number']} {g['unit']}"
                )
    tables = {g["source_table"] for g in rows}
    assert got.filter(pl.col("source_table").is_in(tables)).height == len(rows)
    assert not problems, "\n".join(problems)


def test_figure_values_come_from_the_narrative(kpis):
    # 3.36 (line 1985): "…平均百分比达到 26%，超过了 25.5%的计划目标" (图 3.二)
    fig = kpis.filter((pl.col("kpi_family") == "figure_measure") & (pl.col("source_table") == "图 3.二"))
    assert sorted(fig.select("status", "value_numeric", "unit", "fiscal_year", "source_line").rows()) == [
        ("actual", 26.0, "percent", 2022, 1985),
        ("target", 25.5, "percent", 2022, 1985),
    ]
    # 3.51 (line 2281): "…10 660 次访问，超过了 600 次访问的计划目标" (图 3.六)
    fig = kpis.filter((pl.col("kpi_family") == "figure_measure") & (pl.col("source_table") == "图 3.六"))
    assert sorted(fig.select("status", "value_numeric").rows()) == [("actual", 10660.0), ("target", 600.0)]
