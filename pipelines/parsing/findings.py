"""Parse findings: what a parser could not read, or read with a repair, named by table and line."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Finding:
    severity: str  # error: a value was not loaded; warn: loaded with a repair; info: noise skipped
    code: str  # short machine-readable kind, e.g. cells_do_not_fit
    message: str
    source_table: str | None = None
    source_line: int | None = None


FINDINGS_SCHEMA = {
    "severity": pl.Utf8,
    "code": pl.Utf8,
    "message": pl.Utf8,
    "source_table": pl.Utf8,
    "source_line": pl.Int64,
}


def findings_frame(findings: list[Finding]) -> pl.DataFrame:
    rows = [(f.severity, f.code, f.message, f.source_table, f.source_line) for f in findings]
    return pl.DataFrame(rows, schema=FINDINGS_SCHEMA, orient="row")
