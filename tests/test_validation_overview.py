"""A/80/400's overview rules on cells typed from the Word file: table 6 (Word table 9), "Regular
budget: financial resources, by factor and budget part, section and entity", 2025 approved column,
and table 78 (Word table 81), DPPA's object-of-expenditure table."""

from __future__ import annotations

from datetime import date

import polars as pl

from pipelines.parsing.records import FACT_SCHEMA, POST_CHANGE_SCHEMA
from pipelines.validation.reconciliation import reconcile

# (Word table, table kind, row, label, breakdown, code, 2025 approved as printed)
TABLE_6 = [
    (9, "overview_rb_resources", 35, "Political affairs", "part", "part_II", "915 068.7"),
    (9, "overview_rb_resources", 36, "3. Political affairs", "section", "section_3", "829 371.0"),
    (
        9,
        "overview_rb_resources",
        37,
        "– Special political missions",
        "section",
        "section_3_special_political_missions",
        "693 041.2",
    ),
    (9, "overview_rb_resources", 38, "– Other", "section", "section_3_other", "136 329.8"),
    (
        9,
        "overview_rb_resources",
        39,
        "Department of Political and Peacebuilding Affairs",
        "entity",
        "DPPA",
        "108 109.0",
    ),
    (9, "overview_rb_resources", 44, "4. Disarmament", "section", "section_4", "19 127.7"),
    (9, "overview_rb_resources", 45, "5. Peacekeeping operations", "section", "section_5", "61 027.0"),
    (9, "overview_rb_resources", 49, "6. Peaceful uses of outer space", "section", "section_6", "5 543.0"),
    # table 78 row 14: DPPA's own total
    (81, "rb_resources_by_object", 14, "Total", "object_of_expenditure", "total", "108 109.0"),
]


def frame(rows: list[tuple]) -> pl.DataFrame:
    facts = []
    for index, kind, row, label, breakdown, code, text in rows:
        facts.append(
            {
                "document_id": "a80400",
                "entity_code": "DPPA" if index == 81 else None,
                "source_table": "6" if index == 9 else "78",
                "table_kind": kind,
                "funding_source": "regular_budget",
                "breakdown": breakdown,
                "row_label": label,
                "line_item_code": code,
                "is_total": code == "total",
                "measure": "amount",
                "fiscal_year": 2025,
                "phase": "approved",
                "period": "2025",
                "period_start": date(2025, 1, 1),
                "period_end": date(2025, 12, 31),
                "table_index": index,
                "row_index": row,
                "source_line": row,
                "column_header": "2025 approved",
                "unit": "thousands_usd",
                "value": float(text.replace(" ", "")),
                "value_text": text,
                "value_status": "value",
            }
        )
    return pl.DataFrame(facts, schema=FACT_SCHEMA)


def rules(rows: list[tuple]) -> pl.DataFrame:
    recon = reconcile(frame(rows), pl.DataFrame(schema=FACT_SCHEMA), pl.DataFrame(schema=POST_CHANGE_SCHEMA))
    return recon.filter(pl.col("table_index") == 9).sort("rule", "row_index")


def test_sections_parts_and_the_entity_table_agree():
    got = rules(TABLE_6).select("rule", "row_index", "printed_value", "computed_value", "consistent").rows()
    assert got == [
        # DPPA's overview row against table 78's total
        ("overview_matches_entity_tables", 39, 108109.0, 108109.0, True),
        # 829 371.0 + 19 127.7 + 61 027.0 + 5 543.0 = 915 068.7
        ("sections_sum_to_part", 35, 915068.7, 915068.7, True),
        # 693 041.2 + 136 329.8 = 829 371.0
        ("subsections_sum_to_section", 36, 829371.0, 829371.0, True),
    ]


def test_a_changed_figure_is_found_by_each_rule_that_reads_it():
    changed = [r if r[2] != 39 else (*r[:6], "108 190.0") for r in TABLE_6]  # transposed digits in DPPA's row
    changed = [r if r[2] != 36 else (*r[:6], "829 317.0") for r in changed]  # and in section 3's
    bad = rules(changed).filter(~pl.col("consistent"))
    assert bad.select("rule", "row_index", "printed_text", "computed_value").rows() == [
        ("overview_matches_entity_tables", 39, "108 190.0", 108109.0),
        ("sections_sum_to_part", 35, "915 068.7", 915014.7),
        ("subsections_sum_to_section", 36, "829 317.0", 829371.0),
    ]


def test_a_part_heading_attached_to_another_row_is_not_a_part():
    # table 8 (posts) prints its part headings without numbers; a part code on an entity's row is ignored
    wrong = [
        r
        if r[2] != 35
        else (9, "overview_rb_resources", 35, "– Special political missions", "part", "part_II", "3 742")
        for r in TABLE_6
    ]
    assert "sections_sum_to_part" not in set(rules(wrong)["rule"])


# Table 11 (Word table 14) row 3 "2025 approved", grades across; table 8 (Word table 11) rows 38 and 121
TABLE_11_ROW_3 = [
    ("USG", "40"),
    ("ASG", "36"),
    ("D-2", "118"),
    ("D-1", "316"),
    ("P-5", "955"),
    ("P-4", "1 702"),
    ("P-3", "1 636"),
    ("P-2/1", "593"),
    ("GS (PL)", "278"),
    ("GS (OL)", "2 311"),
    ("FS", "108"),
    ("NPO", "118"),
    ("TC/SS/LL", "2 322"),
]


def secretariat_posts(total_11: str) -> pl.DataFrame:
    common = {
        "document_id": "a80400",
        "funding_source": "regular_budget",
        "measure": "amount",
        "fiscal_year": 2025,
        "phase": "approved",
        "period": "2025",
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 12, 31),
        "unit": "posts",
        "value_status": "value",
    }
    cells = [
        (14, "11", "overview_post_changes_by_grade", 3, "grade", grade, text) for grade, text in TABLE_11_ROW_3
    ] + [
        (14, "11", "overview_post_changes_by_grade", 3, "category", "total", total_11),
        (11, "8", "overview_rb_posts", 38, "entity", "SPM", "3 742"),
        (11, "8", "overview_rb_posts", 121, "part", "total", "14 275"),
    ]
    facts = [
        {
            **common,
            "table_index": index,
            "source_table": table,
            "table_kind": kind,
            "row_index": row,
            "source_line": row,
            "breakdown": breakdown,
            "line_item_code": code,
            "is_total": code == "total",
            "row_label": code,
            "scope_code": "all_entities_excluding_special_political_missions" if index == 14 else "entity",
            "column_header": code if index == 14 else "2025 approved",
            "value": float(text.replace(" ", "")),
            "value_text": text,
        }
        for index, table, kind, row, breakdown, code, text in cells
    ]
    return pl.DataFrame(facts, schema=FACT_SCHEMA)


def secretariat_rules(posts: pl.DataFrame) -> list[tuple]:
    recon = reconcile(pl.DataFrame(schema=FACT_SCHEMA), posts, pl.DataFrame(schema=POST_CHANGE_SCHEMA))
    rules = ("grades_sum_to_total", "secretariat_totals_match_overview")
    got = recon.filter(pl.col("rule").is_in(rules)).sort("rule")
    return got.select("rule", "printed_value", "computed_value", "consistent").rows()


def test_the_secretariat_table_by_grade_adds_up_and_matches_the_posts_overview():
    # 40 + 36 + ... + 2 322 = 10 533 = 14 275 (table 8 Total) - 3 742 ("– Special political missions")
    assert secretariat_rules(secretariat_posts("10 533")) == [
        ("grades_sum_to_total", 10533.0, 10533.0, True),
        ("secretariat_totals_match_overview", 10533.0, 10533.0, True),
    ]
    # post counts are integers: one post off is a finding in both rules
    assert secretariat_rules(secretariat_posts("10 534")) == [
        ("grades_sum_to_total", 10534.0, 10533.0, False),
        ("secretariat_totals_match_overview", 10534.0, 10533.0, False),
    ]
