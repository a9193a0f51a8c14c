"""The marts an analyst reads, in the session's warehouse (`unwh run` on the bundled documents, built once in
tests/conftest.py). Reruns, bad files beside good ones, two runs at once and kill -9 are in test_operations.py."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

ENTITIES = {"DPPA", "SPM", "UNSCO", "UNRoD", "UNOAU", "OCT"}


@pytest.fixture()
def con(built_warehouse: Path):
    c = duckdb.connect(str(built_warehouse), read_only=True)
    yield c
    c.close()


def test_documents_are_registered_with_their_status(con):
    rows = set(con.execute("SELECT document_kind, status FROM marts.dim_document").fetchall())
    assert rows == {
        ("budget_fascicle", "parsed"),
        ("work_report", "parsed"),
        ("work_report_highlights", "parsed"),
        ("revised_estimates", "parsed"),
    }


def test_every_entity_has_resource_and_post_facts(con):
    assert {r[0] for r in con.execute("SELECT DISTINCT entity_code FROM marts.fct_resources").fetchall()} >= ENTITIES
    assert {r[0] for r in con.execute("SELECT DISTINCT entity_code FROM marts.fct_posts").fetchall()} >= ENTITIES


def test_every_parsed_value_reaches_the_marts(con):
    raw = con.execute("SELECT count(*) FROM raw.resources").fetchone()[0]
    marts = con.execute(
        "SELECT (SELECT count(*) FROM marts.fct_resources) + (SELECT count(*) FROM marts.fct_resource_changes)"
    ).fetchone()[0]
    assert raw == marts > 1000


def test_special_political_missions_come_from_annex_iv(con):
    # 附件四 line 11508: 特别政治任务 768 335.0 775 326.2 6 991.2 [blank other assessed] 57 747.3 53 810.0 …
    rows = con.execute("""
        SELECT funding_source, fiscal_year, amount_thousands_usd, value_status, source_line
        FROM marts.fct_resources WHERE entity_code = 'SPM' ORDER BY funding_source, fiscal_year""").fetchall()
    assert ("regular_budget", 2024, 775326.2, "value", 11508) in rows
    assert ("extrabudgetary", 2023, 57747.3, "value", 11508) in rows
    assert ("other_assessed", 2023, None, "blank", 11508) in rows
    posts = con.execute(
        "SELECT post_count FROM marts.fct_posts WHERE entity_code = 'SPM' AND "
        "funding_source = 'regular_budget' AND fiscal_year = 2024"
    ).fetchall()
    assert posts == [(4371,)]  # line 11528


def test_year_over_year_total_of_dppa_regular_budget(con):
    # 表 3.24 line 3924: 共计 47 859.0 50 605.7 … 51 212.8
    rows = con.execute("""
        SELECT fiscal_year, phase, value, prior_value, change, change_percent, source_line
        FROM marts.fct_resources_yoy
        WHERE entity_code = 'DPPA' AND funding_source = 'regular_budget'
          AND breakdown = 'object_of_expenditure' AND line_item_code = 'total'
        ORDER BY fiscal_year""").fetchall()
    assert rows == [
        (2022, "expenditure", 47859.0, None, None, None, 3924),
        (2023, "appropriation", 50605.7, 47859.0, 2746.7, 5.74, 3924),
        (2024, "estimate_before_recosting", 51212.8, 50605.7, 607.1, 1.2, 3924),
        # A/80/400 table 78, row Total (Word block 2364): 2025 approved 108 109.0, 2026 revised estimate 98 650.6
        (2025, "approved", 108109.0, 51212.8, 56896.2, 111.1, 2364),
        (2026, "revised_estimate", 98650.6, 108109.0, -9458.4, -8.75, 2364),
    ]


def test_year_over_year_posts_by_grade(con):
    # 表 3.77 (OCT) line 9361: P-4 6 — 11 — 11 17
    rows = con.execute("""
        SELECT fiscal_year, phase, value, prior_value, change FROM marts.fct_posts_yoy
        WHERE entity_code = 'OCT' AND breakdown = 'grade' AND line_item_code = 'P-4' ORDER BY fiscal_year""").fetchall()
    # A/80/400 table 93 (OCT), P-4: 2025 approved 20, 2026 revised 15
    assert rows == [
        (2023, "approved", 6.0, None, None),
        (2024, "proposed", 17.0, 6.0, 11.0),
        (2025, "approved", 20.0, 17.0, 3.0),
        (2026, "revised_estimate", 15.0, 20.0, -5.0),
    ]


def test_labels_are_bilingual(con):
    missing = con.execute("""
        SELECT DISTINCT breakdown, line_item_code FROM marts.fct_resources
        WHERE line_item_label_en IS NULL OR line_item_label_zh IS NULL""").fetchall()
    assert missing == []


def test_printed_changes_that_contradict_the_amounts_are_listed(con):
    rows = con.execute("""
        SELECT source_table, source_line, printed_change, computed_change FROM ops.rpt_change_reconciliation
        WHERE abs(difference) > 0.1 ORDER BY source_table, source_line, base_phase NULLS FIRST""").fetchall()
    # 表 3.68 line 8337: 共计 10 292.5 → 9 954.6 printed as +337.9;
    # 附件四 line 11520 (OCT) and 11522 (共计): 共计 differences printed 40.0 away from 2024 - 2023.
    # A/80/400: table 217 "Operational costs" prints variances (31 363.6) and (22 874.4) beside amounts
    # 216 646.4, 208 157.2 and 187 605.8; table 245 prints 398.9 for 389.9; table 310 prints (362.5) for
    # +362.5 (a sign typo); table 8 prints the Ethics Office's 2026 revised posts as "(8)".
    assert rows == [
        ("217", 5839, -31363.6, -29040.6),
        ("217", 5839, -22874.4, -20551.4),
        ("245", 6356, 398.9, 389.9),
        ("3.68", 8337, 337.9, -337.9),
        ("310", 7378, -362.5, 362.5),
        ("8", 696, -1.0, -17.0),
        ("annex_iv", 11520, -37789.0, -37749.0),
        ("annex_iv", 11522, -34467.4, -34427.4),
    ]


def test_kpi_marts(con):
    families = dict(con.execute("SELECT kpi_family, count(*) FROM marts.fct_kpis GROUP BY 1").fetchall())
    assert set(families) == {"deliverable", "compliance", "performance_measure", "figure_measure", "headline"}
    # 表 3.6 line 1871: 实质性会议服务(3 小时会议次数) 105 179 105 105
    rows = con.execute("""
        SELECT fiscal_year, status, value_numeric, unit FROM marts.fct_kpis
        WHERE kpi_family = 'deliverable' AND source_table = '3.6' AND source_line = 1871 ORDER BY 1, 2""").fetchall()
    assert rows == [
        (2022, "actual", 179.0, "three_hour_meetings"),
        (2022, "planned", 105.0, "three_hour_meetings"),
        (2023, "planned", 105.0, "three_hour_meetings"),
        (2024, "planned", 105.0, "three_hour_meetings"),
    ]


def test_headline_metrics_year_over_year(con):
    # A/78/1 paragraph 7 (line 32): 2.16億人; 2023 highlights line 206: 2.45亿人
    row = con.execute("""
        SELECT label_en, value, prior_value, change, prior_document_symbol FROM marts.fct_kpis_yoy
        WHERE kpi_key = 'people_targeted_by_humanitarian_response_plans' AND fiscal_year = 2023""").fetchone()
    assert row == ("People covered by humanitarian response plans", 245000000.0, 216000000.0, 29000000.0, "A/78/1")
