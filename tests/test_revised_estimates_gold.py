"""A/80/400 gold tables (tests/gold/a80400, typed by hand from the Word file; see its README) against the
parser's output, cell by cell: every gold cell found exactly once, with the printed value and status."""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl
import pytest

GOLD = Path(__file__).parent / "gold" / "a80400"
NUMERIC_FIXTURES = [
    "table_78",
    "table_79",
    "table_55",
    "table_57",
    "table_56",
    "table_6_section_3",
    "table_8_section_3",
    "table_216",
    "table_224",
    "table_225",
    "table_11",
    "table_118",
    "table_5",
    "table_218",
    "table_219",
]
# Fixtures that hold only some rows of their table (the Section 3 rows of the overviews).
PARTIAL_FIXTURES = {"table_6_section_3", "table_8_section_3", "table_218", "table_219"}
# Measure codes the contract defines; a gold column outside it (README: transitional_capacities) is a
# judgement the parser need not share, so its measure is not compared.
CONTRACT_MEASURES = {
    "amount",
    "change_un80_redeployment",
    "change_relocation",
    "change_other",
    "change_total",
    "change_percentage",
}
_FOOTNOTE = re.compile(r"(?<=[A-Z0-9)])[a-z]$")


def read_gold(name: str) -> list[dict]:
    with open(GOLD / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def header_forms(header: str | None) -> set[str]:
    """A parsed header as given and with footnote letters glued to its parts removed ("USGa" -> "USG")."""
    text = norm(header)
    return {text, " / ".join(_FOOTNOTE.sub("", part) for part in text.split(" / "))}


@pytest.fixture(scope="module")
def parsed_facts(revised_estimates) -> list[dict]:
    frames = [revised_estimates.frames[name] for name in ("resources", "posts")]
    return pl.concat(frames, how="diagonal_relaxed").to_dicts()


def codes(cell: dict) -> tuple:
    return (cell.get("period"), cell.get("phase"), cell.get("measure"), cell.get("base_phase") or "")


def find_cell(g: dict, row_cells: list[dict], codes_unique: bool) -> list[dict]:
    """The parsed cells of the gold cell's row under its column: by column header, else by
    period/phase/measure/base_phase when those name one column of the row (they do not in a table whose
    columns are grades, nor where two columns share a period and phase, as table 56's apportionments)."""
    by_header = [c for c in row_cells if norm(g["column_header"]) in header_forms(c.get("column_header"))]
    if by_header or g["value_status"] == "blank" or not codes_unique:
        return by_header
    return [c for c in row_cells if codes(c) == codes(g)]


def cell_problems(g: dict, got: dict) -> list[str]:
    """What differs between a gold cell and the parsed cell found for it."""
    out = []
    expected = float(g["value"]) if g["value"] else None
    value = got.get("value")
    if (expected is None) != (value is None) or (expected is not None and not math.isclose(value, expected)):
        out.append(f"value {value!r} != {expected!r}")
    if got.get("value_status") != g["value_status"]:
        out.append(f"value_status {got.get('value_status')!r} != {g['value_status']!r}")
    if g["value_status"] == "blank":
        return out
    text, printed = norm(got.get("value_text")), norm(g["value_text"])
    if text not in (printed, printed.removesuffix(g["cell_footnote"]) if g["cell_footnote"] else printed):
        out.append(f"value_text {text!r} != {printed!r}")
    checks = [
        ("row_label", norm(got.get("row_label")), norm(g["row_label"])),
        # the frame's one footnote column may carry the letter glued to the number instead of the label's
        ("footnote", got.get("footnote") or "", g["footnote"] or g["cell_footnote"]),
        ("table_index", got.get("table_index"), int(g["table_index"])),
        ("period", got.get("period"), g["period"]),
        ("unit", got.get("unit"), g["unit"]),
    ]
    if g["measure"] in CONTRACT_MEASURES:
        checks.append(("measure", got.get("measure"), g["measure"]))
    if g["measure"] == "amount":
        checks.append(("phase", got.get("phase"), g["phase"]))
    elif g["measure"] in CONTRACT_MEASURES:
        checks.append(("base_phase", got.get("base_phase"), g["base_phase"]))
        if re.fullmatch(r"\d{4}", g["base_period"]):
            checks.append(("base_year", got.get("base_year"), int(g["base_period"])))
    out += [f"{name} {have!r} != {want!r}" for name, have, want in checks if have != want]
    return out


def compare_cells(gold: list[dict], parsed: list[dict], partial: bool) -> list[str]:
    """Every mismatch between the gold cells of a fixture and the parsed cells of the same tables."""
    tables = {g["source_table"] for g in gold}
    gold_rows = {(g["source_table"], int(g["row_index"])) for g in gold}
    rows: dict[tuple, list[dict]] = defaultdict(list)
    for c in parsed:
        key = (c.get("source_table"), c.get("row_index"))
        if key[0] in tables and (not partial or key in gold_rows):
            rows[key].append(c)
    problems, matched = [], set()
    per_row = Counter((g["source_table"], g["row_index"], codes(g)) for g in gold)
    for g in gold:
        where = f"table {g['source_table']} row {g['row_index']} ({g['row_label'][:40]}) [{g['column_header']}]"
        unique = per_row[(g["source_table"], g["row_index"], codes(g))] == 1
        found = find_cell(g, rows[(g["source_table"], int(g["row_index"]))], unique)
        if len(found) != 1:
            if found or g["value_status"] != "blank":
                problems.append(f"{where}: found {len(found)} parsed cells (printed {g['value_text']!r})")
            continue
        matched.add(id(found[0]))
        problems += [f"{where}: {p}" for p in cell_problems(g, found[0])]
    for key, cells in sorted(rows.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or -1)):
        for c in cells:
            if id(c) not in matched and not (c.get("value_status") == "blank" and c.get("value") is None):
                problems.append(
                    f"table {key[0]} row {key[1]} [{c.get('column_header')}]: parsed but not in gold "
                    f"({c.get('value_text')!r})"
                )
    return problems


@pytest.mark.parametrize("fixture", NUMERIC_FIXTURES)
def test_every_gold_cell_is_parsed_exactly(fixture, parsed_facts):
    gold = read_gold(fixture)
    assert gold, fixture
    problems = compare_cells(gold, parsed_facts, partial=fixture in PARTIAL_FIXTURES)
    assert not problems, f"{len(problems)} mismatches in {fixture}:\n" + "\n".join(problems)


def test_post_actions_counts_and_grades(revised_estimates):
    """Table 80: each post action's count and the grade breakdown its text gives."""
    gold = read_gold("table_80")
    got = revised_estimates.frames["post_changes"].filter(pl.col("source_table") == "80").to_dicts()
    want = Counter(
        (int(g["row_index"]), norm(g["row_label"]), float(g["count"]), g["grade"], int(g["grade_count"])) for g in gold
    )
    have = Counter(
        (r["row_index"], norm(r["row_label"]), r["count_value"], r["grade_code"], r["grade_count"]) for r in got
    )
    problems = [f"missing {k}" for k in want - have] + [f"not in gold {k}" for k in have - want]
    printed = {int(g["row_index"]): (norm(g["value_text"]), g["count"]) for g in gold}
    for r in got:
        cell, count = printed.get(r["row_index"], ("", ""))
        if r["table_index"] != 83:
            problems.append(f"row {r['row_index']}: table_index {r['table_index']!r} != 83")
        if norm(r["count_text"]) != count or norm(r["detail_text"]) not in cell:
            problems.append(
                f"row {r['row_index']}: count/detail {r['count_text']!r} {r['detail_text']!r} not as printed {cell!r}"
            )
    assert not problems, "\n".join(problems)


def test_post_actions_funding_source_columns(revised_estimates):
    """Post actions by funding source: hand-typed cells of the regular-budget and support-account columns
    (post_actions_support_account.csv), each with its count and grade counts, found exactly once."""
    gold = read_gold("post_actions_support_account")
    pc = revised_estimates.frames["post_changes"]
    problems = []
    for g in gold:
        hit = pc.filter(
            (pl.col("table_index") == int(g["table_index"]))
            & (pl.col("row_index") == int(g["row_index"]))
            & (pl.col("funding_source") == g["funding_source"])
            & (pl.col("grade_code").eq_missing(g["grade"] or None))
        )
        want = (g["source_table"], norm(g["row_label"]), g["count"], int(g["grade_count"]) if g["grade"] else None)
        have = [(r["source_table"], norm(r["row_label"]), r["count_text"], r["grade_count"]) for r in hit.to_dicts()]
        if have != [want]:
            problems.append(
                f"table {g['source_table']} row {g['row_index']} {g['funding_source']} {g['grade']}: {have}"
            )
        elif g["count"] not in ("", "–") and hit["count_value"][0] != float(g["count"]):
            problems.append(f"table {g['source_table']} row {g['row_index']}: count {hit['count_value'][0]}")
    assert not problems, "\n".join(problems)


def _as_parsed(g: dict) -> dict:
    """A gold cell in the shape of a parsed fact row (used to check that the comparison can fail)."""
    return {
        **g,
        "table_index": int(g["table_index"]),
        "row_index": int(g["row_index"]),
        "value": float(g["value"]) if g["value"] else None,
        "footnote": g["footnote"] or g["cell_footnote"] or None,
        "phase": g["phase"],
        "base_phase": g["base_phase"] or None,
        "base_year": int(g["base_period"]) if re.fullmatch(r"\d{4}", g["base_period"]) else None,
    }


def test_the_comparison_accepts_the_gold_and_reports_each_wrong_cell():
    gold = read_gold("table_78")
    parsed = [_as_parsed(g) for g in gold if g["value_status"] != "blank"]
    assert compare_cells(gold, parsed, partial=False) == []
    wrong = [dict(c) for c in parsed]
    wrong[0]["value"] = 53346.4  # Posts, 2025 approved: printed 53 346.3
    wrong[12]["value_status"] = "value"  # Hospitality, a nil change
    del wrong[-1]  # the last variance percentage
    wrong.append({**wrong[1], "column_header": "2027 invented"})
    problems = compare_cells(gold, wrong, partial=False)
    assert len(problems) == 4, problems
    assert "table 78 row 3 (Posts) [2025 approved]: value 53346.4 != 53346.3" in problems
