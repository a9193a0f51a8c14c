"""Every frame a document contributes to the warehouse, with its schema: one name, one raw.<name> table.

Fact frames land only when the document passes validation (otherwise the previously landed version
stays); diagnostic frames always land, so the warehouse shows why a document did not.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from pipelines.parsing.findings import FINDINGS_SCHEMA
from pipelines.parsing.records import FACT_SCHEMA, KPI_SCHEMA, POST_CHANGE_SCHEMA, TABLE_SCHEMA
from pipelines.validation import DQ_SCHEMA, RECONCILIATION_SCHEMA, RESULT_SCHEMA

FACT_FRAMES: dict[str, dict[str, pl.DataType]] = {
    "resources": FACT_SCHEMA,
    "posts": FACT_SCHEMA,
    "post_changes": POST_CHANGE_SCHEMA,
    "kpis": KPI_SCHEMA,
    "reconciliation": RECONCILIATION_SCHEMA,
}
DIAGNOSTIC_FRAMES: dict[str, dict[str, pl.DataType]] = {
    "source_tables": TABLE_SCHEMA,
    "parse_findings": {"document_id": pl.Utf8, **FINDINGS_SCHEMA},
    "validation_results": RESULT_SCHEMA,
    "dq_findings": DQ_SCHEMA,
}
ALL_FRAMES = {**FACT_FRAMES, **DIAGNOSTIC_FRAMES}
PARSED_FRAMES = ["resources", "posts", "post_changes", "kpis", "source_tables", "parse_findings"]


@cache
def _empty_template(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=ALL_FRAMES[name])


def empty(name: str) -> pl.DataFrame:
    """An empty frame of the schema: a copy of one made once (every document starts with six of
    them, and building a frame from a 30-column schema took a tenth of a millisecond)."""
    return _empty_template(name).clone()
