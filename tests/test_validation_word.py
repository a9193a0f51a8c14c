"""Consistency rules on A/80/400's Word tables, on frames typed from the Word file
(data/raw/A_80_400.docx; Word table index 0-based among body tables, row index 0-based with the
header rows), in the frame contract's columns."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pipelines.parsing.records import FACT_SCHEMA, POST_CHANGE_SCHEMA
from pipelines.validation import validate_documents
from pipelines.validation.reconciliation import reconcile
from pipelines.validation.word_tables import block_parts

RB = [  # regular budget object-of-expenditure columns: header, measure, year, phase
    ("2025 approved", "amount", 2025, "approved"),
    ("2026 proposed programme budget", "amount", 2026, "proposed"),
    (
        "Changes / Resources redeployed across sections for UN80 consolidation",
        "change_un80_redeployment",
        2026,
        "revised_estimate",
    ),
    ("Changes / Other changes", "change_other", 2026, "revised_estimate"),
    ("2026 revised estimate", "amount", 2026, "revised_estimate"),
]


def _cell(text: str) -> tuple[str, float | None]:
    if text == "–":
        return "nil", None
    if text == "":
        return "blank", None
    v = float(text.strip("()").replace(" ", ""))
    return "value", -v if text.startswith("(") else v


def _variance(common: dict, base_year: int, base_phase: str, text: str) -> dict:
    status, value = _cell(text)
    return {
        **common,
        "measure": "change_percentage",
        "fiscal_year": 2026,
        "phase": "revised_estimate",
        "base_year": base_year,
        "base_phase": base_phase,
        "column_header": RB[-1][0],
        "unit": "percent",
        "value": value,
        "value_text": text,
        "value_status": status,
    }


def word_table(table: str, index: int, rows: list[tuple], unit: str = "thousands_usd", columns=RB) -> pl.DataFrame:
    """rows: (row_index, label, role, [cell texts by RB column]) with role item | subtotal | total, or
    (row_index, label, "variance", base_year, base_phase, percentage text)."""
    facts = []
    base = {
        "document_id": "a80400",
        "document_symbol": "A/80/400",
        "language": "en",
        "script": "Latn",
        "entity_code": "X",
        "source_table": table,
        "table_kind": "object_of_expenditure",
        "funding_source": "regular_budget",
        "breakdown": "object_of_expenditure" if unit != "posts" else "grade",
        "table_index": index,
    }
    for row in rows:
        r, label, role = row[:3]
        common = {
            **base,
            "row_index": r,
            "source_line": 1000 + r,
            "row_label": label,
            "is_total": role in ("subtotal", "total"),
            "line_item_code": "total" if role == "total" else label.lower(),
        }
        if role == "variance":
            facts.append(_variance(common, *row[3:6]))
            continue
        for (header, measure, year, phase), text in zip(columns, row[3], strict=True):
            status, value = _cell(text)
            change = measure != "amount"
            facts.append(
                {
                    **common,
                    "measure": measure,
                    "fiscal_year": year,
                    "phase": phase,
                    "column_header": header,
                    "base_year": 2026 if change else None,
                    "base_phase": "proposed" if change else None,
                    "period_start": None if change or year is None else date(year, 1, 1),
                    "period_end": None if change or year is None else date(year, 12, 31),
                    "unit": unit,
                    "value": value,
                    "value_text": text,
                    "value_status": status,
                }
            )
    return pl.DataFrame(facts, schema=FACT_SCHEMA)


# Table 142 (Word table 145): a transposed pair of digits in Travel of staff's revised estimate (row 8)
TABLE_142 = [
    (3, "Posts", "item", ["60 965.0", "62 245.9", "(177.3)", "(5 844.2)", "56 224.4"]),
    (4, "Other staff costs", "item", ["5 965.3", "4 424.5", "–", "(535.7)", "3 888.8"]),
    (5, "Hospitality", "item", ["24.6", "24.6", "–", "–", "24.6"]),
    (6, "Consultants", "item", ["1 283.6", "1 606.0", "–", "(160.6)", "1 445.4"]),
    (7, "Experts", "item", ["2 760.6", "2 566.5", "–", "(256.7)", "2 309.8"]),
    (8, "Travel of staff", "item", ["1 464.5", "1 553.3", "–", "(155.3)", "1 389.0"]),
    (9, "Contractual services", "item", ["9 194.9", "8 895.7", "–", "(889.6)", "8 006.1"]),
    (10, "General operating expenses", "item", ["6 783.2", "6 952.0", "–", "(695.2)", "6 256.8"]),
    (11, "Supplies and materials", "item", ["907.5", "839.8", "–", "(100.8)", "739.0"]),
    (12, "Furniture and equipment", "item", ["3 202.7", "3 078.9", "–", "(377.9)", "2 701.0"]),
    (13, "Improvement of premises", "item", ["71.9", "207.4", "–", "(20.7)", "186.7"]),
    (14, "Grants and contributions", "item", ["1 237.7", "1 061.7", "–", "(106.2)", "955.5"]),
    (15, "Total", "total", ["93 861.5", "93 456.3", "(177.3)", "(9 142.9)", "84 136.1"]),
    (
        16,
        "Variance compared with 2025 approved (excluding resources redeployed for consolidation) (percentage)",
        "variance",
        2025,
        "approved",
        "(10.2)",
    ),
    (
        17,
        "Variance compared with 2026 proposed programme budget (excluding resources redeployed for consolidation) "
        "(percentage)",
        "variance",
        2026,
        "proposed",
        "(9.8)",
    ),
]

# Table 178 (Word table 181): the Total prints – in both change columns (row 18)
TABLE_178 = [
    (3, "Posts", "item", ["50 505.8", "52 047.8", "(1 812.8)", "(8 429.9)", "41 805.1"]),
    (4, "Other staff costs", "item", ["3 236.6", "1 978.8", "–", "(225.5)", "1 753.3"]),
    (5, "Hospitality", "item", ["0.2", "0.2", "–", "–", "0.2"]),
    (6, "Consultants", "item", ["572.8", "631.8", "–", "(57.0)", "574.8"]),
    (7, "Travel of staff", "item", ["425.1", "448.1", "–", "(31.6)", "416.5"]),
    (8, "Contractual services", "item", ["8 919.0", "9 887.1", "(30.5)", "(1 411.1)", "8 445.5"]),
    (9, "General operating expenses", "item", ["333.9", "278.4", "(9.9)", "(2.7)", "265.8"]),
    (10, "Supplies and materials", "item", ["53.8", "46.9", "(1.3)", "(5.0)", "40.6"]),
    (11, "Furniture and equipment", "item", ["210.2", "398.6", "(6.5)", "(12.9)", "379.2"]),
    (12, "Grants and contributions", "item", ["4 101.5", "4 102.8", "(20.5)", "(102.8)", "3 979.5"]),
    (
        13,
        "Subtotal, excluding transitional staffing capacity",
        "subtotal",
        ["68 358.9", "69 820.5", "(1 881.5)", "(10 278.5)", "57 660.5"],
    ),
    (15, "Posts", "item", ["–", "–", "–", "1 259.7", "1 259.7"]),
    (16, "Other non-posts costs", "item", ["–", "–", "–", "20.8", "20.8"]),
    (17, "Subtotal for transitional staffing capacity", "subtotal", ["–", "–", "–", "1 280.5", "1 280.5"]),
    (18, "Total", "total", ["68 358.9", "69 820.5", "–", "–", "58 941.0"]),
    (
        19,
        "Variance compared with 2025 approved (excluding resources redeployed for consolidation and transitional "
        "staffing capacity) (percentage)",
        "variance",
        2025,
        "approved",
        "(13.3)",
    ),
    (
        20,
        "Variance compared with 2026 proposed programme budget (excluding resources redeployed for consolidation "
        "and transitional staffing capacity) (percentage)",
        "variance",
        2026,
        "proposed",
        "(15.1)",
    ),
]


def findings_of(frame: pl.DataFrame) -> set[tuple]:
    recon = reconcile(frame, pl.DataFrame(schema=FACT_SCHEMA), pl.DataFrame(schema=POST_CHANGE_SCHEMA))
    bad = recon.filter(~pl.col("consistent"))
    return {
        (r["rule"], r["row_index"], r["column_header"], r["printed_text"], r["computed_value"])
        for r in bad.iter_rows(named=True)
    }


def test_transposed_digits_in_a_row_and_the_total_it_unbalances():
    got = findings_of(word_table("142", 145, TABLE_142))
    assert got == {
        # 1 553.3 + – + (155.3) = 1 398.0, printed 1 389.0
        ("base_plus_change_equals_year", 8, "2026 revised estimate", "1 389.0", 1398.0),
        # the revised column's items add up to 84 127.1 (with 1 389.0), the Total prints 84 136.1
        ("block_rows_sum_to_subtotal", 15, "2026 revised estimate", "84 136.1", 84127.1),
    }


def test_variances_exclude_the_redeployment_and_are_consistent():
    recon = reconcile(
        word_table("142", 145, TABLE_142), pl.DataFrame(schema=FACT_SCHEMA), pl.DataFrame(schema=POST_CHANGE_SCHEMA)
    )
    pct = recon.filter(pl.col("rule") == "percentage_is_change_over_base").sort("row_index")
    # (84 136.1 - (93 861.5 - 177.3)) / 93 684.2 = -10.19 %; (84 136.1 - (93 456.3 - 177.3)) / 93 279.0 = -9.80 %
    assert pct.select("row_index", "printed_text", "computed_value", "consistent").rows() == [
        (16, "(10.2)", -10.2, True),
        (17, "(9.8)", -9.8, True),
    ]


def test_a_total_whose_change_columns_print_a_dash():
    got = findings_of(word_table("178", 181, TABLE_178))
    assert got == {
        # 69 820.5 + – + – = 69 820.5, printed 58 941.0
        ("base_plus_change_equals_year", 18, "2026 revised estimate", "58 941.0", 69820.5),
        # the subtotals' change columns add up to (1 881.5) and (8 998.0); the Total prints –
        ("block_rows_sum_to_subtotal", 18, RB[2][0], "–", -1881.5),
        ("block_rows_sum_to_subtotal", 18, RB[3][0], "–", -8998.0),
    }


def test_variance_rows_measure_the_subtotal_excluding_transitional_capacity():
    recon = reconcile(
        word_table("178", 181, TABLE_178), pl.DataFrame(schema=FACT_SCHEMA), pl.DataFrame(schema=POST_CHANGE_SCHEMA)
    )
    pct = recon.filter(pl.col("rule") == "percentage_is_change_over_base").sort("row_index")
    # (57 660.5 - (68 358.9 - 1 881.5)) / 66 477.4 = -13.26 %; (57 660.5 - 67 939.0) / 67 939.0 = -15.13 %
    assert pct.select("row_index", "computed_value", "consistent").rows() == [(19, -13.3, True), (20, -15.1, True)]


def test_blocks_by_row_order():
    # Table 158 (Word table 161), posts by grade with a transitional block: rows 4-10 grades, 11 Subtotal,
    # 13-15 grades, 16 Subtotal, 17 Subtotal excluding transitional, 21-24 transitional grades, 25 its
    # Subtotal, 26 Total
    roles = [(r, "item") for r in [4, 5, 6, 7, 8, 9, 10]] + [(11, "subtotal")] + [(r, "item") for r in (13, 14, 15)]
    roles += [
        (16, "subtotal"),
        (17, "subtotal"),
        (21, "item"),
        (22, "item"),
        (24, "item"),
        (25, "subtotal"),
        (26, "total"),
    ]
    frame = pl.DataFrame(
        {"document_id": "d", "table_index": 161, "row_index": [r for r, _ in roles], "role": [x for _, x in roles]},
        schema_overrides={"table_index": pl.Int32, "row_index": pl.Int32},
    )
    parts = block_parts(frame)
    assert set(parts["reading"]) == {0}  # it opens with two items in a row: one reading only
    parts = parts.group_by("total_row").agg(pl.col("part_row").sort()).sort("total_row")
    assert dict(parts.iter_rows()) == {
        11: [4, 5, 6, 7, 8, 9, 10],
        16: [13, 14, 15],
        17: [11, 16],
        25: [21, 22, 24],
        26: [17, 25],
    }


def test_a_word_document_validated_beside_the_fascicle(fascicle):
    word = word_table("142", 145, TABLE_142)
    empty = {
        "posts": pl.DataFrame(schema=FACT_SCHEMA),
        "post_changes": pl.DataFrame(schema=POST_CHANGE_SCHEMA),
        "kpis": fascicle.frames["kpis"].clear(),
    }
    out = validate_documents({"a80400": {"resources": word, **empty}, fascicle.document_id: fascicle.frames})
    # (the frame suites' accepted codes for A/80/400 come with the seeds of the parser's branch)
    findings = out["a80400"]["dq_findings"].filter(~pl.col("rule").str.contains(r"\."))
    assert findings.select("row_index", "column_header", "printed_value").sort("row_index").rows() == [
        (8, "2026 revised estimate", "1 389.0"),
        (15, "2026 revised estimate", "84 136.1"),
    ]
    assert findings["message"][0].startswith("table 142 (Word table 145) row 8 column '2026 revised estimate'")


@pytest.mark.parametrize("sign", ["(175.5)"])
def test_a_sign_typo(sign):
    # Table 136 (Word table 139) row 11 General operating expenses: 197.6 + – + (22.1) = 175.5, printed (175.5)
    rows = [(11, "General operating expenses", "item", ["156.4", "197.6", "–", "(22.1)", sign])]
    assert findings_of(word_table("136", 139, rows)) == {
        ("base_plus_change_equals_year", 11, "2026 revised estimate", sign, 175.5)
    }


# --- the bundled Word file ------------------------------------------------------------------------------

SA = [
    ("Apportionment (2025/26)", "amount", None, "approved"),
    ("Six-month apportionment (2025/26)", "amount", None, "approved"),
    (
        "Changes / Resources redeployed across sections for UN80 consolidation",
        "change_un80_redeployment",
        None,
        "revised_estimate",
    ),
    ("Changes / Other", "change_other", None, "revised_estimate"),
    ("2025/26 revised estimate for six months", "amount", None, "revised_estimate"),
]
TABLE_209 = [
    (3, "I. Posts", "item", ["3 755.5", "1 877.8", "–", "(217.9)", "1 659.9"]),
    (5, "General temporary assistance", "item", ["309.4", "154.7", "–", "–", "154.7"]),
    (6, "Official travel", "item", ["390.4", "195.2", "–", "(106.1)", "89.1"]),
    (7, "Facilities and infrastructure", "item", ["0.9", "0.5", "–", "–", "0.5"]),
    (8, "Communications and information technology", "item", ["62.8", "31.4", "–", "(7.6)", "23.8"]),
    (9, "Other supplies, services and equipment", "item", ["7.4", "3.7", "–", "(3.8)", "(0.1)"]),
    (10, "Subtotal", "subtotal", ["4 526.4", "2 263.2", "–", "(335.4)", "1 927.8"]),
]
# Word table 189, five of its eight columns: both apportionments, "Resources related to Executive Office
# consolidation" (in the redeployment column's place), "Other changes" and the revised estimate (excluding
# consolidation); only the column sums are asserted, the row arithmetic needs the columns left out
TABLE_184 = [
    (2, "I. Posts", "item", ["92 138.0", "46 069.0", "(1 176.7)", "(6 226.5)", "38 616.1"]),
    (4, "United Nations Volunteers", "item", ["50.6", "25.3", "–", "–", "25.3"]),
    (5, "General temporary assistance", "item", ["5 015.3", "2 507.7", "(121.3)", "(652.4)", "1 734.0"]),
    (6, "Consultants", "item", ["462.4", "231.2", "–", "(59.0)", "172.2"]),
    (7, "Official travel", "item", ["1 257.9", "629.0", "–", "(55.0)", "574.0"]),
    (8, "Facilities and infrastructure", "item", ["20 022.2", "10 011.1", "(0.4)", "(65.2)", "9 945.5"]),
    (9, "Air operations", "item", ["6.6", "3.3", "–", "(1.4)", "1.9"]),
    (10, "Communications and information technology", "item", ["1 849.1", "924.6", "(21.8)", "(252.3)", "650.5"]),
    (11, "Medical", "item", ["50.1", "25.1", "–", "(15.0)", "10.1"]),
    (12, "Other supplies, services and equipment", "item", ["1 336.3", "668.2", "–", "(10.6)", "657.6"]),
    (13, "Subtotal", "subtotal", ["30 050.5", "15 025.3", "(143.4)", "(1 110.9)", "13 770.9"]),
]


@pytest.mark.parametrize("table,index,rows", [("209", 220, TABLE_209), ("184", 189, TABLE_184)])
def test_a_lone_first_block_is_read_as_the_figures_bear_out(table, index, rows):
    recon = reconcile(
        word_table(table, index, rows, columns=SA),
        pl.DataFrame(schema=FACT_SCHEMA),
        pl.DataFrame(schema=POST_CHANGE_SCHEMA),
    )
    sums = recon.filter(pl.col("rule") == "block_rows_sum_to_subtotal")
    assert sums.height == 5 and sums["consistent"].all()
