"""Parse findings: what a parser could not read, or read with a repair, named by table and line.

Every reader of every document family reports through ``finding``, which takes a code's severity
from ``SEVERITY``: the same repair is ``warn`` and the same skip ``info`` whichever reader reports it.
A document with an ``error`` finding is quarantined, so ``error`` means a value was not loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl


@dataclass(frozen=True)
class Finding:
    severity: str  # error: a value was not loaded; warn: loaded with a repair; info: noise skipped
    code: str  # short machine-readable kind, e.g. cells_do_not_fit
    message: str
    source_table: str | None = None
    source_line: int | None = None


# error: a value was not loaded; warn: loaded with a repair or a guess, or a table/entity/row left
# out that the seeds can bring in; info: noise or a column/row that carries no fact, skipped
SEVERITY = {
    # both families
    "unknown_entity": "warn",  # an entity not in dbt/seeds/entities.csv: the rest of the document lands
    # text documents (the Chinese fascicle)
    "unknown_layout": "error",
    "cells_do_not_fit": "error",
    "unknown_label": "error",
    "unknown_unit": "error",
    "no_rows": "error",
    "post_change_row_unreadable": "error",
    "truncated": "error",
    "number_typo_repaired": "warn",
    "unknown_table_kind": "warn",
    "annex_iv_missing": "warn",
    "leaked_chart_data": "info",
    "blank_cells_inferred": "info",
    "uncertain_year": "info",
    # Word documents (the revised estimates)
    "cell_unreadable": "error",
    "cell_repaired": "warn",
    "table_number_damaged": "warn",
    "unknown_line_item": "warn",
    "repeated_line_item": "warn",
    "column_not_read": "info",
    "row_not_read": "info",
}


def finding(code: str, message: str, table: str | None = None, line: int | None = None) -> Finding:
    """A finding at its code's one severity."""
    return Finding(SEVERITY[code], code, message, table, line)


def at_one_severity(findings: list[Finding]) -> list[Finding]:
    """Findings whose code is in SEVERITY at that severity (a reader that built a Finding by hand)."""
    # most already are (finding() sets it): those are kept, not copied
    return [
        replace(f, severity=SEVERITY[f.code]) if f.code in SEVERITY and f.severity != SEVERITY[f.code] else f
        for f in findings
    ]


FINDINGS_SCHEMA = {
    "severity": pl.Utf8,
    "code": pl.Utf8,
    "message": pl.Utf8,
    "source_table": pl.Utf8,
    "source_line": pl.Int64,
}


def findings_frame(findings: list[Finding]) -> pl.DataFrame:
    """A column at a time: Polars reading row tuples costs about three times as much."""
    rows = [(f.severity, f.code, f.message, f.source_table, f.source_line) for f in findings]
    values = zip(*rows, strict=True) if rows else [[]] * len(FINDINGS_SCHEMA)
    return pl.DataFrame([pl.Series(n, v, dtype=t) for (n, t), v in zip(FINDINGS_SCHEMA.items(), values, strict=True)])
