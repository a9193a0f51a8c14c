"""The validation stage between parsing and landing.

For each parsed document: build its reconciliation frame (consistency rules as data), run every
Great Expectations suite on the frame it names, and turn failures into data-quality findings. An
``error`` expectation that fails blocks landing for that document; a ``warn`` one (a printed total
that disagrees with its parts) is recorded as a finding, because the warehouse keeps what the
document prints.
"""

from __future__ import annotations

import json

import polars as pl

from pipelines.validation.reconciliation import RECONCILIATION_SCHEMA, TOLERANCE, disagreements, reconcile
from pipelines.validation.suites import RESULT_SCHEMA, run_suite

# suite name -> frame it validates
SUITE_FRAMES = {"resources": "resources", "posts": "posts", "post_changes": "post_changes", "kpis": "kpis",
                "reconciliation": "reconciliation"}

DQ_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Utf8,
    "entity_code": pl.Utf8,
    "source_table": pl.Utf8,
    "row_label": pl.Utf8,
    "source_line": pl.Int64,
    "rule": pl.Utf8,
    "severity": pl.Utf8,
    "printed_value": pl.Utf8,
    "expected_value": pl.Float64,
    "difference": pl.Float64,
    "message": pl.Utf8,
}


def _reconciliation_findings(recon: pl.DataFrame) -> pl.DataFrame:
    bad = disagreements(recon)
    return bad.select(
        "document_id", "entity_code", "source_table", "row_label", "source_line", "rule",
        pl.lit("warn").alias("severity"),
        pl.col("printed_text").alias("printed_value"),
        pl.col("computed_value").alias("expected_value"),
        "difference",
        pl.format("table {} line {}: {} {} {} printed {}, but {} gives {} (difference {}, tolerance {})",
                  "source_table", "source_line", "row_label", "measure", "fiscal_year", "printed_text", "detail",
                  "computed_value", "difference", pl.lit(TOLERANCE)).alias("message"),
    )


def _expectation_findings(results: pl.DataFrame, frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One finding per offending row (up to 20 per expectation) of every failed expectation but the
    reconciliation tolerance, whose rows are the reconciliation findings themselves."""
    rows = []
    failed = results.filter(~pl.col("success") & ~((pl.col("suite") == "reconciliation")
                                                   & (pl.col("column_name") == "difference")))
    for r in failed.iter_rows(named=True):
        frame = frames.get(SUITE_FRAMES[r["suite"]], pl.DataFrame())
        indexes = json.loads(r["unexpected_rows"] or "[]")
        base = {"document_id": r["document_id"], "rule": f"{r['suite']}.{r['expectation']}",
                "severity": r["severity"], "expected_value": None, "difference": None}
        what = f"{r['suite']} suite: {r['expectation']}({r['column_name']}) failed for {r['unexpected_count']} rows"
        if not indexes or frame.is_empty():
            rows.append({**base, "entity_code": None, "source_table": None, "row_label": None, "source_line": None,
                         "printed_value": r["unexpected_sample"], "message": what})
            continue
        for i in indexes:
            row = frame.row(i, named=True)
            rows.append({**base, "entity_code": row.get("entity_code"), "source_table": row.get("source_table"),
                         "row_label": row.get("row_label"), "source_line": row.get("source_line"),
                         "printed_value": str(row.get("value_text", row.get(r["column_name"]))),
                         "message": f"{what}; e.g. table {row.get('source_table')} line {row.get('source_line')} "
                                    f"{r['column_name']}={row.get(r['column_name'])!r}"})
    return pl.DataFrame(rows, schema=DQ_SCHEMA)


def validate_frames(document_id: str, frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Reconciliation, suite results and findings for one document's frames."""
    recon = reconcile(frames["resources"], frames["posts"], frames["post_changes"], frames["kpis"])
    all_frames = {**frames, "reconciliation": recon}
    results = pl.concat([run_suite(suite, all_frames[frame], document_id) for suite, frame in SUITE_FRAMES.items()])
    findings = pl.concat([_reconciliation_findings(recon), _expectation_findings(results, all_frames)])
    return {"reconciliation": recon, "validation_results": results, "dq_findings": findings}


def blocking_failures(results: pl.DataFrame) -> pl.DataFrame:
    return results.filter(~pl.col("success") & (pl.col("severity") == "error"))


__all__ = ["DQ_SCHEMA", "RECONCILIATION_SCHEMA", "RESULT_SCHEMA", "SUITE_FRAMES", "blocking_failures",
           "validate_frames"]
