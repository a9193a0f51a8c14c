"""A fascicle with a mangled table yields a finding naming table and line; the rest still loads."""

import polars as pl

from pipelines.document import PARSE_ERRORS, QUARANTINED
from pipelines.parsing.dispatch import parse_file
from tests.conftest import FASCICLE

# Lines of the bundled fascicle (1-based), checked below before they are mangled.
STAFF_ROW = 3900  # 表 3.24 "员额 43 526.4 47 278.1 — — (7.2) (7.2) (0.0) 47 270.9"
HEADER_LINE = 4037  # 表 3.27 "批款 技术调整"


def mangled_copy(tmp_path, edits: dict[int, str]):
    lines = FASCICLE.read_text(encoding="utf-8").split("\n")
    for number, new in edits.items():
        lines[number - 1] = new
    path = tmp_path / "mangled.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_the_lines_to_mangle_are_the_expected_ones():
    lines = FASCICLE.read_text(encoding="utf-8").split("\n")
    assert lines[STAFF_ROW - 1].split()[0] == "员额" and lines[STAFF_ROW - 1].split()[-1] == "270.9"
    assert lines[HEADER_LINE - 1].strip() == "批款 技术调整"


def test_a_row_missing_a_cell_is_reported_and_not_shifted(tmp_path):
    path = mangled_copy(tmp_path, {STAFF_ROW: "员额 43 526.4 47 278.1 — — (7.2) (7.2) 47 270.9 "})
    doc = parse_file(path)
    # the document is quarantined (it does not land; its last good version stays) with the line named
    assert (doc.status, doc.reason, doc.error_line) == (QUARANTINED, PARSE_ERRORS, STAFF_ROW)
    assert "3.24" in doc.message and str(STAFF_ROW) in doc.message
    findings = doc.frames["parse_findings"]
    hit = findings.filter((pl.col("code") == "cells_do_not_fit") & (pl.col("source_line") == STAFF_ROW))
    assert hit.height == 1 and hit["source_table"][0] == "3.24" and hit["severity"][0] == "error"
    res = doc.frames["resources"]
    assert res.filter(pl.col("source_line") == STAFF_ROW).is_empty()  # not loaded, not shifted
    assert res.filter(pl.col("source_table") == "3.24").height == 12 * 8  # the other 12 rows are
    assert res.filter(pl.col("source_table") == "3.27").height > 0  # other tables still load


def test_an_unknown_header_is_reported_and_the_block_skipped(tmp_path):
    path = mangled_copy(tmp_path, {HEADER_LINE: "某某 某某"})
    doc = parse_file(path)
    findings = doc.frames["parse_findings"]
    hit = findings.filter(pl.col("code") == "unknown_layout")
    assert hit.height == 1 and hit["source_table"][0] == "3.27" and hit["severity"][0] == "error"
    res = doc.frames["resources"]
    assert res.filter((pl.col("source_table") == "3.27") & (pl.col("funding_source") == "regular_budget")).is_empty()
    # the extrabudgetary block has its own header and still loads
    assert res.filter((pl.col("source_table") == "3.27") & (pl.col("funding_source") == "extrabudgetary")).height == 60


def test_an_unknown_row_label_is_reported(tmp_path):
    path = mangled_copy(tmp_path, {STAFF_ROW: "员工奖金 43 526.4 47 278.1 — — (7.2) (7.2) (0.0) 47 270.9 "})
    doc = parse_file(path)
    hit = doc.frames["parse_findings"].filter(pl.col("code") == "unknown_label")
    assert hit.height == 1 and hit["source_line"][0] == STAFF_ROW and "员工奖金" in hit["message"][0]
    kept = doc.frames["resources"].filter(pl.col("source_line") == STAFF_ROW)
    assert kept.height == 8 and kept["line_item_code"].null_count() == 8  # the validation stage blocks it
