"""The corpus generator is a test input too: the parser extracts exactly the generated values."""

from __future__ import annotations

import polars as pl
import pytest

from benchmarks import make_corpus
from pipelines.document import PARSED
from pipelines.parsing.dispatch import parse_file
from pipelines.validation import validate_frames
from tests.conftest import FASCICLE

SPECS = [
    make_corpus.Spec("a.txt", "fascicle", 79, 7, 3),
    make_corpus.Spec("b.txt", "fascicle", 85, 12, 2),
    make_corpus.Spec("c.txt", "report", 80, 3, 1),
    make_corpus.Spec("d.txt", "highlights", 81, 4, 1),
]
KEY = ["source_table", "source_line", "funding_source", "measure", "fiscal_year"]


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_generated_document_parses_to_the_generated_values(tmp_path, spec):
    path = tmp_path / spec.name
    path.write_text(make_corpus.render(spec), encoding="utf-8")
    doc = parse_file(path)
    assert doc.status == PARSED, doc.message
    expected = make_corpus.expected_frames(spec)
    for name in ("resources", "posts"):
        got = doc.frames[name].select(*KEY, "value").sort(KEY)
        want = expected[name].select(*KEY, "value").sort(KEY)
        assert got.height == want.height > (0 if spec.source == "fascicle" else -1)
        assert got.equals(want), name
    kpi_key = ["kpi_family", "source_table", "source_line", "fiscal_year", "status"]
    got = doc.frames["kpis"].select(*kpi_key, "value_numeric").sort(kpi_key, nulls_last=True)
    want = expected["kpis"].select(*kpi_key, "value_numeric").sort(kpi_key, nulls_last=True)
    assert got.equals(want)
    if spec.source == "fascicle":
        assert doc.document_symbol == f"A/{spec.session}/6 (Sect. {spec.section})"


def test_consistency_rules_still_hold_after_scaling(tmp_path, fascicle_validated):
    """Scaled by 3, the document contradicts itself exactly where the original does, and nowhere else."""
    spec = SPECS[0]
    path = tmp_path / spec.name
    path.write_text(make_corpus.render(spec), encoding="utf-8")
    doc = parse_file(path)
    findings = validate_frames(doc.document_id, doc.frames)["dq_findings"]
    assert make_corpus.FASCICLE.samefile(FASCICLE)  # the original is the session's fascicle (tests/conftest.py)
    original_findings = fascicle_validated["dq_findings"]
    assert sorted(zip(findings["rule"], findings["source_line"], strict=True)) == sorted(
        zip(original_findings["rule"], original_findings["source_line"], strict=True)
    )
    # table 3.68's percentages (lines 8313, 8315, 8337), table 3.80's (9543-9547) and table 3.56's line 7227,
    # which prints 2.5 where its inputs allow 2.564-2.567 (a finding since consistency is judged by interval)
    assert findings.filter(pl.col("rule") == "percentage_is_change_over_base").height == 7
