"""A/80/400 read from the Word file (data/raw/A_80_400.docx): values typed by hand from the document.

Each expected value cites its table (as printed), row label and column header. The document is
parsed once per module (about two seconds); nothing here touches the warehouse.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.parsing.dispatch import parse_file
from pipelines.parsing.revised_estimates.cells import read_value

DOCX = Path(__file__).resolve().parent.parent / "data" / "raw" / "A_80_400.docx"


@pytest.fixture(scope="module")
def doc(revised_estimates):
    return revised_estimates  # read once per session (tests/conftest.py)


def _cell(frame: pl.DataFrame, table: str, label: str, header: str) -> dict:
    rows = frame.filter(
        (pl.col("source_table") == table) & (pl.col("row_label") == label) & (pl.col("column_header") == header)
    )
    assert rows.height == 1, f"table {table} {label!r} {header!r}: {rows.height} rows"
    return rows.row(0, named=True)


def test_recognised_from_content_under_any_name(tmp_path, doc):
    renamed = tmp_path / "upload.bin"
    shutil.copyfile(DOCX, renamed)
    other = parse_file(renamed)
    assert (other.kind, other.document_symbol, other.status) == ("revised_estimates", "A/80/400", "parsed")
    assert other.document_id == doc.document_id  # the identity is the content, not the name
    assert other.frames["resources"].height == doc.frames["resources"].height > 0


def test_dppa_table_78_objects_of_expenditure(doc):
    res = doc.frames["resources"]
    # Table 78, row "Posts": 53 346.3 | 54 955.1 | (1 377.1) | (8 657.4) | 44 920.6
    posts = _cell(res, "78", "Posts", "2025 approved")
    assert (posts["entity_code"], posts["value"], posts["phase"], posts["fiscal_year"]) == (
        "DPPA",
        53346.3,
        "approved",
        2025,
    )
    assert (posts["period"], posts["period_start"], posts["period_end"]) == (
        "2025",
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    assert _cell(res, "78", "Posts", "2026 proposed programme budget")["value"] == 54955.1
    redeployed = _cell(res, "78", "Posts", "Changes / Resources redeployed across sections for UN80 consolidation")
    assert (redeployed["measure"], redeployed["value"], redeployed["value_text"]) == (
        "change_un80_redeployment",
        -1377.1,
        "(1 377.1)",
    )
    assert (redeployed["base_phase"], redeployed["base_year"]) == ("proposed", 2026)
    assert _cell(res, "78", "Posts", "Changes / Other")["value"] == -8657.4
    revised = _cell(res, "78", "Posts", "2026 revised estimate")
    assert (revised["value"], revised["phase"], revised["table_index"], revised["row_index"]) == (
        44920.6,
        "revised_estimate",
        81,
        3,
    )
    # Table 78, row "Hospitality", "Resources redeployed ...": an en dash, nil
    nil = _cell(res, "78", "Hospitality", "Changes / Resources redeployed across sections for UN80 consolidation")
    assert (nil["value"], nil["value_status"], nil["value_text"]) == (None, "nil", "–")
    # Table 78, row "Total": 108 109.0 | 109 320.5 | (1 843.8) | (8 826.1) | 98 650.6
    total = _cell(res, "78", "Total", "2026 revised estimate")
    assert (total["value"], total["is_total"], total["line_item_code"]) == (98650.6, True, "total")
    # Table 78, variance rows: (7.2) against 2025 approved, (8.2) against the 2026 proposed programme budget
    variance = res.filter((pl.col("source_table") == "78") & (pl.col("measure") == "change_percentage"))
    got = {(r["base_phase"], r["base_year"]): r["value"] for r in variance.iter_rows(named=True)}
    assert got == {("approved", 2025): -7.2, ("proposed", 2026): -8.2}


def test_dppa_table_79_posts_by_grade(doc):
    posts = doc.frames["posts"]
    # Table 79, row "P-4": 55 | 58 | (2) | (8) | 48
    p4 = [
        _cell(posts, "79", "P-4", h)["value"]
        for h in (
            "2025 approved",
            "2026 proposed programme budget",
            "Changes / Posts redeployed across sections for UN80 consolidation",
            "Changes / Other",
            "2026 revised",
        )
    ]
    assert p4 == [55, 58, -2, -8, 48]
    # Table 79, first "Subtotal" (Professional and higher): 190 | 197 | (3) | (32) | 162
    subtotals = posts.filter(
        (pl.col("source_table") == "79")
        & (pl.col("row_label").str.strip_chars() == "Subtotal")
        & (pl.col("column_header") == "2026 revised")
    )
    assert dict(zip(subtotals["line_item_code"], subtotals["value"], strict=True)) == {
        "professional_and_higher": 162,
        "general_service_and_related": 64,
    }
    assert _cell(posts, "79", "Total", "2026 revised")["value"] == 226


def test_dppa_table_80_post_actions(doc):
    pc = doc.frames["post_changes"].filter(pl.col("source_table") == "80")
    # Table 80, "Abolishment": "55 (1 ASG, 4 D-1, 7 P-5, 8 P-4, 8 P-3, 4 P-2/1, 22 GS (OL), 1 LL)"
    abolished = pc.filter(pl.col("row_label") == "Abolishment")
    assert set(abolished["count_value"]) == {55}
    assert dict(zip(abolished["grade_code"], abolished["grade_count"], strict=True)) == {
        "ASG": 1,
        "D-1": 4,
        "P-5": 7,
        "P-4": 8,
        "P-3": 8,
        "P-2/1": 4,
        "GS (OL)": 22,
        "LL": 1,
    }
    # "10 (2 P-4, 1 P-2/1, 2 (GS PL), 5 GS (OL))": the misplaced "2 (GS PL)" is read as 2 GS (PL) and reported
    moved = pc.filter(pl.col("row_label").str.starts_with("Redeployment across sections"))
    assert set(moved["count_value"]) == {10}
    assert dict(zip(moved["grade_code"], moved["grade_count"], strict=True)) == {
        "P-4": 2,
        "P-2/1": 1,
        "GS (PL)": 2,
        "GS (OL)": 5,
    }
    assert "2 (GS PL)" in moved["detail_text"][0]
    repaired = doc.frames["parse_findings"].filter(
        (pl.col("code") == "cell_repaired") & (pl.col("source_table") == "80")
    )
    assert repaired["message"].to_list() == ["table 80 row 4: '2 (GS PL)' read as 2 GS (PL)"]


def test_support_account_table_22_periods(doc):
    res = doc.frames["resources"]
    # Table 22 (EOSG, support account), row "I. Posts": 1 347.1 | 673.6 | – | (133.0) | 539.4
    annual = _cell(res, "22", "I. Posts", "Apportionment (2025/26)")
    assert (annual["value"], annual["funding_source"], annual["phase"]) == (1347.1, "support_account", "approved")
    assert (annual["period"], annual["period_start"], annual["period_end"], annual["fiscal_year"]) == (
        "2025/26",
        date(2025, 7, 1),
        date(2026, 6, 30),
        None,
    )
    half = _cell(res, "22", "I. Posts", "Six-month apportionment (2025/26)")
    assert (half["value"], half["period"], half["period_start"], half["period_end"]) == (
        673.6,
        "2025/26",
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    revised = _cell(res, "22", "I. Posts", "2025/26 revised estimate for six months")
    assert (revised["value"], revised["phase"], revised["period_start"]) == (
        539.4,
        "revised_estimate",
        date(2026, 1, 1),
    )
    # Table 22, "Variance compared with 2025/26 apportionment (percentage)": (18.7)
    variance = res.filter((pl.col("source_table") == "22") & (pl.col("measure") == "change_percentage"))
    assert variance["value"].to_list() == [-18.7]


def test_spm_mission_table_221(doc):
    res = doc.frames["resources"].filter(pl.col("source_table") == "221")
    assert set(res["entity_code"]) == {"OSA_CYPRUS"}  # heading "Office of the Special Adviser ... on Cyprus"
    # Table 221, row "Civilian personnel": 2 654.8 | 2 919.5 | 1 712.8 | (942.0) | (35.5) | (1 206.7) | (41.3)
    civ = res.filter(pl.col("row_label") == "Civilian personnel").sort("row_index", "column_header")
    assert sorted(civ["value"].to_list()) == sorted([2654.8, 2919.5, 1712.8, -942.0, -35.5, -1206.7, -41.3])
    amount = _cell(res, "221", "Civilian personnel", "Variance compared with 2025 approved / Amount / (4)=(3)-(1)")
    assert (amount["measure"], amount["base_phase"], amount["base_year"], amount["value"]) == (
        "change_total",
        "approved",
        2025,
        -942.0,
    )
    # "Military and police personnel": en dashes throughout
    assert set(res.filter(pl.col("row_label") == "Military and police personnel")["value_status"]) == {"nil"}


def test_source_tables_cover_every_word_table(doc):
    tables = doc.frames["source_tables"]
    assert tables["table_index"].to_list() == list(range(346))
    dppa = tables.filter(pl.col("source_table") == "78").row(0, named=True)
    assert (dppa["title"], dppa["table_kind"], dppa["parse_status"]) == (
        "Regular budget: proposed resource changes by object of expenditure",
        "rb_resources_by_object",
        "parsed",
    )
    assert set(tables["parse_status"]) <= {"parsed", "not_yet", "unknown"}


def test_unknown_entity_lands_everything_else(tmp_path):
    renamed = tmp_path / "renamed.docx"
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(renamed, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b">Section 3, Department of Political and Peacebuilding Affairs<",
                    b">Section 3, Department of Imaginary Affairs<",
                )
            dst.writestr(item, data)
    doc = parse_file(renamed)
    assert doc.status == "parsed"
    found = doc.frames["parse_findings"].filter(pl.col("code") == "unknown_entity")
    messages = [m for m in found["message"] if "Department of Imaginary Affairs" in m]
    assert len(messages) == 1 and "extend dbt/seeds/entities.csv" in messages[0]
    assert found.filter(pl.col("message") == messages[0])["severity"].to_list() == ["warn"]
    res = doc.frames["resources"]
    assert res.filter(pl.col("source_table").is_in(["78", "79"])).height == 0  # its tables do not land
    assert res.filter(pl.col("source_table") == "81")["entity_code"].unique().to_list() == ["UNSCO"]  # others do


@pytest.mark.parametrize(
    ("text", "value", "status"),
    [
        ("1 347.1", 1347.1, "value"),
        ("(1 377.1)", -1377.1, "value"),
        ("–", None, "nil"),
        ("", None, "blank"),
    ],
)
def test_printed_numbers(text, value, status):
    cell = read_value(text)
    assert (cell.value, cell.status) == (value, status)


def test_spm_mission_table_222_human_resources(doc):
    posts = doc.frames["posts"].filter(pl.col("source_table") == "222")
    assert set(posts["entity_code"]) == {"OSA_CYPRUS"}

    def value(row: str, header: str):
        return _cell(posts, "222", row, header)["value"]

    # Table 222: "Approved 2025" P-4 5, international subtotal 15, total 21; "Change" P-4 (4), total (8);
    # "2026 revised estimates" P-4 1, national subtotal 4, total 13
    assert value("Approved 2025", "International staff / P-4") == 5
    assert value("Approved 2025", "International staff / Subtotal") == 15
    assert value("Approved 2025", "UNV / Total") == 21
    change = _cell(posts, "222", "Change", "International staff / P-4")
    assert (change["value"], change["measure"], change["base_phase"], change["phase"]) == (
        -4,
        "change_total",
        "proposed",
        "revised_estimate",
    )
    assert value("Change", "UNV / Total") == -8
    assert value("2026 revised estimates", "International staff / P-4") == 1
    assert value("2026 revised estimates", "National staff / Subtotal") == 4
    # "GS" under National staff is GS (OL): the table's footnote says "Other level, unless otherwise stated"
    assert _cell(posts, "222", "Approved 2025", "National staff / GS")["line_item_code"] == "GS (OL)"


def test_a_damaged_word_file_is_quarantined_naming_the_file_and_the_place(tmp_path):
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(DOCX) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    doc = parse_file(damaged)
    assert (doc.status, doc.reason) == ("quarantined", "undecodable")
    assert str(damaged) in doc.message and "XMLSyntaxError" in doc.message and "line 2, column" in doc.message


def test_a_truncated_word_file_is_quarantined_as_truncated(tmp_path):
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(DOCX.read_bytes()[:500_000])
    doc = parse_file(truncated)
    assert (doc.status, doc.reason) == ("quarantined", "truncated")
    assert str(truncated) in doc.message and "cannot be opened" in doc.message
