"""Post actions against the grade table's change columns (pipelines/validation/post_actions.py), on small
hand-made frames: neutral figures, the rule is under test. The real A/80/400 findings are asserted in
tests/test_validation_word.py."""

from __future__ import annotations

import polars as pl

from pipelines.parsing.records import FACT_SCHEMA, POST_CHANGE_SCHEMA, frame
from pipelines.validation.post_actions import action_type, post_action_notes, post_actions_to_grades

OTHER, UN80 = "change_other", "change_un80_redeployment"
HEADERS = {OTHER: "Changes / Other", UN80: "Changes / Posts redeployed across sections for UN80 consolidation"}


def posts(rows: list[tuple[int, str, dict[str, str]]], table_kind: str = "rb_posts_by_grade") -> pl.DataFrame:
    """A grade table (Word table 10, printed table 9): (row index, grade code or "total", {measure: cell text})."""
    out = []
    for row_index, code, cells in rows:
        for measure, text in cells.items():
            nil = text == "–"
            value = None if nil else -float(text.strip("()")) if text.startswith("(") else float(text)
            out.append(
                {
                    "document_id": "d",
                    "entity_code": "E",
                    "source_table": "9",
                    "table_kind": table_kind,
                    "funding_source": "regular_budget",
                    "breakdown": "category" if code == "total" else "grade",
                    "row_label": "Total" if code == "total" else code,
                    "line_item_code": code,
                    "is_total": code == "total",
                    "measure": measure,
                    "fiscal_year": 2026,
                    "value": value,
                    "value_text": text,
                    "value_status": "nil" if nil else "value",
                    "unit": "posts",
                    "table_index": 10,
                    "row_index": row_index,
                    "column_header": HEADERS[measure],
                }
            )
    return frame(out, FACT_SCHEMA)


def actions(rows: list[tuple[int, str, str, str, list[tuple[str, int]]]]) -> pl.DataFrame:
    """A post-action table (Word table 11, printed table 10): (row index, label, count, detail, grade counts)."""
    out = []
    for row_index, label, count, detail, grades in rows:
        base = {
            "document_id": "d",
            "entity_code": "E",
            "source_table": "10",
            "funding_source": "regular_budget",
            "row_label": label,
            "count_text": count,
            "count_value": float(count) if count.isdigit() else None,
            "detail_text": detail,
            "table_index": 11,
            "row_index": row_index,
        }
        out += [{**base, "grade_code": g, "grade_count": n} for g, n in grades] or [base]
    return frame(out, POST_CHANGE_SCHEMA)


GRADES = [
    (4, "D-1", {UN80: "–", OTHER: "–"}),
    (5, "P-5", {UN80: "–", OTHER: "–"}),
    (6, "P-4", {UN80: "(1)", OTHER: "(1)"}),
    (7, "GS (OL)", {UN80: "–", OTHER: "(2)"}),
    (8, "total", {UN80: "(1)", OTHER: "(3)"}),
]
ABOLISH = (2, "Abolishment", "3", "1 P-4, 2 GS (OL)", [("P-4", 1), ("GS (OL)", 2)])
CONSOLIDATE = (
    3,
    "Redeployment across sections for consolidation of Executive Office functions",
    "1",
    "1 P-4",
    [("P-4", 1)],
)


def test_consistent_tables_agree_at_both_levels():
    recon = post_actions_to_grades(actions([ABOLISH, CONSOLIDATE]), posts(GRADES))
    net = recon.filter(pl.col("rule") == "post_actions_net_to_grade_total")
    assert sorted(net.select("measure", "printed_value", "computed_value").rows()) == [
        (OTHER, -3.0, -3.0),
        (UN80, -1.0, -1.0),
    ]
    per_grade = recon.filter(pl.col("rule") == "post_actions_match_grade_changes")
    assert per_grade.height == 8 and recon["consistent"].all()
    p4 = per_grade.filter((pl.col("row_label") == "P-4") & (pl.col("measure") == OTHER))
    assert p4.select("table_index", "row_index", "column_header", "printed_text").row(0) == (
        10,
        6,
        "Changes / Other",
        "(1)",
    )
    assert post_action_notes(actions([ABOLISH, CONSOLIDATE]), posts(GRADES)) == []


def test_a_wrong_count_is_a_finding_at_the_total_and_at_its_grade():
    wrong = [(r, c, {**m, OTHER: "(3)"}) if c == "GS (OL)" else (r, c, m) for r, c, m in GRADES]
    wrong = [(r, c, {**m, OTHER: "(4)"}) if c == "total" else (r, c, m) for r, c, m in wrong]
    recon = post_actions_to_grades(actions([ABOLISH, CONSOLIDATE]), posts(wrong))
    bad = recon.filter(~pl.col("consistent"))
    assert sorted(bad.select("rule", "row_index", "printed_text", "computed_value").rows()) == [
        ("post_actions_match_grade_changes", 7, "(3)", -2.0),
        ("post_actions_net_to_grade_total", 8, "(4)", -3.0),
    ]
    assert all("table 10 (Word table 11) row 2" in d for d in bad["detail"])


def test_a_reclassification_moves_one_post_between_grades_and_nets_to_zero():
    grades = [
        (4, "D-1", {OTHER: "(1)"}),
        (5, "P-5", {OTHER: "1"}),
        (6, "P-4", {OTHER: "–"}),
        (8, "total", {OTHER: "–"}),
    ]
    reclassify = (2, "Reclassification", "", "1 D-1 to P-5", [("D-1", 1)])
    recon = post_actions_to_grades(actions([reclassify]), posts(grades))
    assert recon["consistent"].all()
    got = {(r, m): c for r, m, c in recon.select("row_label", "rule", "computed_value").rows()}
    assert got[("D-1", "post_actions_match_grade_changes")] == -1.0
    assert got[("P-5", "post_actions_match_grade_changes")] == 1.0
    assert got[("Total", "post_actions_net_to_grade_total")] == 0.0
    # read the wrong way round, the same table disagrees
    backwards = (2, "Reclassification", "", "1 P-5 to D-1", [("P-5", 1)])
    assert not post_actions_to_grades(actions([backwards]), posts(grades))["consistent"].all()


def test_an_unreadable_row_is_info_and_its_table_is_checked_net_only():
    # the text names 3 of the 4 posts its count says: not checked per grade, and said so
    partial = (2, "Establishment", "4", "P-4, 2 P-3, 1 LL", [("P-3", 2), ("LL", 1)])
    grades = [(4, "P-4", {OTHER: "1"}), (5, "P-3", {OTHER: "2"}), (6, "LL", {OTHER: "1"}), (8, "total", {OTHER: "4"})]
    recon = post_actions_to_grades(actions([partial]), posts(grades))
    assert recon["rule"].to_list() == ["post_actions_net_to_grade_total"] and recon["consistent"].all()
    notes = post_action_notes(actions([partial]), posts(grades))
    assert [n["severity"] for n in notes] == ["info"]
    assert (
        "not checked per grade" in notes[0]["message"] and "(3) do not account for its count (4)" in notes[0]["message"]
    )


def test_an_unknown_action_type_or_a_missing_grade_table_is_info_not_a_finding():
    unknown = (2, "Secondment", "1", "1 P-4", [("P-4", 1)])
    recon = post_actions_to_grades(actions([unknown]), posts(GRADES))
    assert recon.is_empty()
    notes = post_action_notes(actions([unknown]), posts(GRADES))
    assert any("not in dbt/seeds/post_action_types.csv" in n["message"] for n in notes)
    spm = post_action_notes(actions([ABOLISH]), posts(GRADES, table_kind="spm_mission_posts"))
    assert len(spm) == 1 and "no posts-by-grade table" in spm[0]["message"]


def test_the_direction_of_a_consolidation_redeployment_comes_from_the_seed():
    label = "Redeployment across sections for consolidation of Executive Office functions"
    assert action_type(label, "7 (1 D-1, 1 P-4) from section 1").sign == 1
    assert action_type(label, "1 P-3 (to section 29B, Department of Operational Support)").sign == -1
    assert action_type("Redeployment (within section across duty station)", "1 GS (OL) to Bonn as LL").per_grade == (
        "not_read"
    )
    assert action_type("2026 proposed programme budget", "").column == "not_an_action"
