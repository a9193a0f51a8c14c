"""The validation slot between parsing and landing.

Today: structural rules that must hold for a document's frames to land (schema, non-null keys,
unique fact key). A failure blocks landing for that document only. The Great Expectations suites
(issue: validation stage) plug in here and add the consistency findings.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.ingest import FRAME_SCHEMAS, ParsedDocument

FACT_KEY = ["document_id", "source_table", "source_line", "funding_source", "measure", "fiscal_year"]
NOT_NULL = ["document_id", "document_symbol", "source_table", "funding_source", "measure", "fiscal_year",
            "unit", "value_status", "source_line"]


@dataclass(frozen=True)
class Violation:
    frame: str
    rule: str
    detail: str


def check_frame(name: str, df: pl.DataFrame) -> list[Violation]:
    out: list[Violation] = []
    expected = FRAME_SCHEMAS[name]
    if dict(df.schema) != expected:
        out.append(Violation(name, "schema", f"columns/types {dict(df.schema)} differ from {expected}"))
        return out
    if name in ("resources", "posts"):
        for col in NOT_NULL:
            n = df.get_column(col).null_count()
            if n:
                out.append(Violation(name, "not_null", f"{n} rows with null {col}"))
        if name == "resources" and df.filter(pl.col("entity_code").is_null() & ~pl.col("is_total")).height:
            out.append(Violation(name, "not_null", "rows without entity_code that are not totals"))
        dupes = df.group_by(FACT_KEY).len().filter(pl.col("len") > 1)
        if dupes.height:
            first = dupes.row(0, named=True)
            out.append(Violation(name, "unique_fact_key", f"{dupes.height} duplicated keys, e.g. {first}"))
    return out


def validate_document(doc: ParsedDocument) -> list[Violation]:
    return [v for name, df in doc.frames.items() for v in check_frame(name, df)]
