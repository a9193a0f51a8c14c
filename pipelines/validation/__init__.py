"""The validation stage between parsing and landing.

For each parsed document: build its reconciliation frame (consistency rules as data), run every
Great Expectations suite on the frame it names, and turn failures into data-quality findings. An
``error`` expectation that fails blocks landing for that document; a ``warn`` one (a printed total
that disagrees with its parts) is recorded as a finding, because the warehouse keeps what the
document prints.
"""

from __future__ import annotations

import json
from collections import Counter

import polars as pl

from pipelines.validation.post_actions import post_action_notes
from pipelines.validation.reconciliation import RECONCILIATION_SCHEMA, disagreements, reconcile
from pipelines.validation.suites import RESULT_SCHEMA, run_suite

# suite name -> frame it validates
SUITE_FRAMES = {
    "resources": "resources",
    "posts": "posts",
    "post_changes": "post_changes",
    "kpis": "kpis",
    "reconciliation": "reconciliation",
}

DQ_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Utf8,
    "entity_code": pl.Utf8,
    "source_table": pl.Utf8,
    "row_label": pl.Utf8,
    "source_line": pl.Int64,
    "table_index": pl.Int32,
    "row_index": pl.Int32,
    "column_header": pl.Utf8,
    "measure": pl.Utf8,
    "fiscal_year": pl.Int32,
    "rule": pl.Utf8,
    "severity": pl.Utf8,
    "printed_value": pl.Utf8,
    "expected_value": pl.Float64,
    "difference": pl.Float64,
    "message": pl.Utf8,
}


def _reconciliation_findings(recon: pl.DataFrame) -> pl.DataFrame:
    bad = disagreements(recon)
    # where: a line of the text, or a Word table's row and column as printed
    where = (
        pl.when(pl.col("table_index").is_not_null())
        .then(pl.format("(Word table {}) row {} column '{}'", "table_index", "row_index", "column_header"))
        .otherwise(pl.format("line {}", pl.col("source_line")))
    )
    allowed = pl.format("{}..{}", pl.col("allowed_low").round(2), pl.col("allowed_high").round(2))
    return bad.select(
        "document_id",
        "entity_code",
        "source_table",
        "row_label",
        "source_line",
        "table_index",
        "row_index",
        "column_header",
        "measure",
        "fiscal_year",
        "rule",
        pl.lit("warn").alias("severity"),
        pl.col("printed_text").alias("printed_value"),
        pl.col("computed_value").alias("expected_value"),
        "difference",
        pl.format(
            "table {} {}: {} {} {} printed {}, but {} gives {} (its rounded inputs allow {}; the printed figure "
            "stands for ±{})",
            "source_table",
            where,
            "row_label",
            "measure",
            "fiscal_year",
            "printed_text",
            "detail",
            "computed_value",
            allowed.fill_null("any value"),
            "printed_half_unit",
        ).alias("message"),
    )


def _expectation_findings(failed: list[dict], frame: pl.DataFrame) -> pl.DataFrame:
    """One finding per offending row (up to 20 per expectation and document) of every failed expectation
    but the reconciliation tolerance, whose rows are the reconciliation findings themselves."""
    rows = []
    for r in failed:
        what = f"{r['suite']} suite: {r['expectation']}({r['column_name']}) failed for {r['unexpected_count']} rows"
        base = {
            "rule": f"{r['suite']}.{r['expectation']}",
            "severity": r["severity"],
            "expected_value": None,
            "difference": None,
        }
        if r["rows"] is None:
            rows.append(
                {
                    **base,
                    "document_id": r["document_id"],
                    "entity_code": None,
                    "source_table": None,
                    "row_label": None,
                    "source_line": None,
                    "printed_value": json.dumps(r["unexpected_sample"], ensure_ascii=False, default=str),
                    "message": what,
                }
            )
            continue
        for i in r["rows"][:20]:
            row = frame.row(i, named=True)
            rows.append(
                {
                    **base,
                    "document_id": row["document_id"],
                    "entity_code": row.get("entity_code"),
                    "source_table": row.get("source_table"),
                    "row_label": row.get("row_label"),
                    "source_line": row.get("source_line"),
                    **{k: row.get(k) for k in ("table_index", "row_index", "column_header", "measure", "fiscal_year")},
                    "printed_value": str(row.get("value_text", row.get(r["column_name"]))),
                    "message": f"{what}; e.g. table {row.get('source_table')} line {row.get('source_line')} "
                    f"{r['column_name']}={row.get(r['column_name'])!r}",
                }
            )
    return pl.DataFrame(rows, schema=DQ_SCHEMA)


def validate_documents(frames_by_document: dict[str, dict[str, pl.DataFrame]]) -> dict[str, dict[str, pl.DataFrame]]:
    """Validate many documents at once (one Great Expectations run per suite over all their rows) and
    return, per document, its reconciliation frame, suite results and findings."""
    ids = list(frames_by_document)
    frames = {
        name: pl.concat([frames_by_document[i][name] for i in ids], how="vertical")
        for name in ("resources", "posts", "post_changes", "kpis")
    }
    recon = reconcile(frames["resources"], frames["posts"], frames["post_changes"], frames["kpis"])
    all_frames = {**frames, "reconciliation": recon}
    result_rows, findings = [], [_reconciliation_findings(recon)]
    # post-action tables (or levels of them) that cannot be checked: info, not disagreements
    findings.append(pl.DataFrame(post_action_notes(frames["post_changes"], frames["posts"]), schema=DQ_SCHEMA))
    for suite, frame_name in SUITE_FRAMES.items():
        frame = all_frames[frame_name]
        failures = []
        doc_of_row = frame["document_id"].to_list()
        rows_per_doc = Counter(doc_of_row)
        # a row's position in its own document's frame: what a document lands must not depend on the
        # documents validated beside it
        position = frame.select(pl.int_range(pl.len()).over("document_id")).to_series().to_list()
        for r in run_suite(suite, frame):
            by_doc: dict[str, list[int]] = {}
            for i in r["rows"] or []:
                by_doc.setdefault(doc_of_row[i], []).append(i)
            for doc_id in ids:
                offending = by_doc.get(doc_id, [])
                success = r["success"] if r["rows"] is None else not offending
                sample = (
                    [str(frame.row(i, named=True).get(r["column_name"], "")) for i in offending[:20]]
                    if r["rows"] is not None
                    else r["unexpected_sample"]
                )
                result_rows.append(
                    {
                        "document_id": doc_id,
                        "suite": suite,
                        "expectation": r["expectation"],
                        "column_name": r["column_name"],
                        "severity": r["severity"],
                        "success": success,
                        "element_count": rows_per_doc.get(doc_id, 0),
                        "unexpected_count": len(offending) if r["rows"] is not None else r["unexpected_count"],
                        "unexpected_sample": json.dumps(sample, ensure_ascii=False, default=str),
                        "unexpected_rows": json.dumps([position[i] for i in offending[:20]]),
                    }
                )
                tolerance = suite == "reconciliation" and r["column_name"] == "consistent"
                if not success and not tolerance:
                    failures.append({**r, "document_id": doc_id, "rows": offending if r["rows"] is not None else None})
        findings.append(_expectation_findings(failures, frame))
    by_doc = {
        "reconciliation": _by_document(recon),
        "validation_results": _by_document(pl.DataFrame(result_rows, schema=RESULT_SCHEMA)),
        "dq_findings": _by_document(pl.concat(findings)),
    }
    return {doc_id: {name: split(doc_id) for name, split in by_doc.items()} for doc_id in ids}


def _by_document(frame: pl.DataFrame):
    """doc_id -> its rows, in order: one pass over the frame, not one filter per document."""
    parts = {key[0]: part for key, part in frame.partition_by("document_id", as_dict=True, maintain_order=True).items()}
    return lambda doc_id: parts.get(doc_id, frame.clear())


def validate_frames(document_id: str, frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Reconciliation, suite results and findings for one document's frames."""
    return validate_documents({document_id: frames})[document_id]


def blocking_failures(results: pl.DataFrame) -> pl.DataFrame:
    return results.filter(~pl.col("success") & (pl.col("severity") == "error"))


__all__ = [
    "DQ_SCHEMA",
    "RECONCILIATION_SCHEMA",
    "RESULT_SCHEMA",
    "SUITE_FRAMES",
    "blocking_failures",
    "validate_documents",
    "validate_frames",
]
