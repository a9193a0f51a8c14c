"""Headline facts of the two work reports against tests/gold/kpi/headline_facts.csv (typed by hand)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipelines import vocab
from pipelines.parsing.reports import parse_report
from pipelines.parsing.text import numbered_lines
from tests.conftest import HIGHLIGHTS_2023, REPORT_2022

GOLD = Path(__file__).parent / "gold" / "kpi" / "headline_facts.csv"
# units the extractor reads (dbt/seeds/kpi_units.csv); gold facts in other units (missions, laws, …) are
# counted as not yet covered, not compared
UNITS = {"people", "USD", "countries", "percent", "hectares", "tonnes"}


def load_gold() -> list[dict]:
    with open(GOLD, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def facts() -> dict[str, list[dict]]:
    out = {}
    for path, kind in [(REPORT_2022, "work_report"), (HIGHLIGHTS_2023, "work_report_highlights")]:
        rows, findings = parse_report(numbered_lines(path.read_text(encoding="utf-8")), {}, kind)
        assert not findings
        out[path.name] = rows
    return out


def _find(facts, g):
    return [
        f
        for f in facts[g["file"]]
        if f["source_line"] == int(g["line"])
        and f["unit"] == g["unit"]
        and abs(f["value_numeric"] - float(g["value"])) < 1e-6
    ]


def test_every_gold_fact_in_a_known_unit_is_extracted_exactly(facts):
    gold = [g for g in load_gold() if g["unit"] in UNITS]
    assert len(gold) >= 80
    problems = []
    for g in gold:
        found = _find(facts, g)
        if not found:
            problems.append(f"{g['file']}:{g['line']} {g['value_printed']} ({g['unit']}) not extracted")
            continue
        f = found[0]
        if (f["qualifier"] or "") != g["qualifier"]:
            problems.append(
                f"{g['file']}:{g['line']} {g['value_printed']}: qualifier {f['qualifier']} != {g['qualifier']}"
            )
        if f["fiscal_year"] != int(g["year_covered"]):
            problems.append(f"{g['file']}:{g['line']}: year {f['fiscal_year']} != {g['year_covered']}")
        if g["locator"].startswith("paragraph") and f["locator"] != g["locator"]:
            problems.append(f"{g['file']}:{g['line']}: locator {f['locator']} != {g['locator']}")
    assert not problems, "\n".join(problems)


def test_shared_metrics_line_up_by_meaning(facts):
    dictionary = {r["metric_key"] for r in vocab.rows("kpi_metrics")}
    gold = [g for g in load_gold() if g["unit"] in UNITS]
    problems = []
    for g in gold:
        found = _find(facts, g)
        if not found:
            continue
        key = found[0]["kpi_key"]
        if g["metric_key"] in dictionary and key != g["metric_key"]:
            problems.append(f"{g['file']}:{g['line']} {g['value_printed']}: {key} != {g['metric_key']}")
        if key in dictionary and key != g["metric_key"]:
            problems.append(f"{g['file']}:{g['line']} {g['value_printed']}: wrongly matched {key}")
    assert not problems, "\n".join(problems)
    # each dictionary metric is found in both reports (that is what the dictionary is for)
    years = {}
    for rows in facts.values():
        for f in rows:
            if f["kpi_key"] in dictionary:
                years.setdefault(f["kpi_key"], set()).add(f["fiscal_year"])
    assert years == {k: {2022, 2023} for k in dictionary}


def test_the_same_number_with_another_meaning_is_not_matched(facts):
    # 40%: a shortfall in 2022 (A/78/1 line 373), a coverage share in 2023 (highlights line 206)
    forty = [f for rows in facts.values() for f in rows if f["unit"] == "percent" and f["value_numeric"] == 40]
    assert len(forty) == 2 and all(f["kpi_key"].startswith("headline:unmatched:") for f in forty)
    assert forty[0]["kpi_key"] != forty[1]["kpi_key"]
