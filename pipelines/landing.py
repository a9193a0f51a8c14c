"""Landing validated frames in DuckDB's ``raw`` schema, one document's rows replaced at a time.

Everything a run lands happens in one transaction: a failure leaves the warehouse as the last good
run left it. Rows are keyed by ``document_id`` (content hash plus symbol), so landing the same inputs
twice leaves the same rows, and a changed or removed file takes its old facts with it, except that a
new version which fails validation leaves the last good version of that file in place (recorded in
raw.documents with status ``retained``).
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.frames import ALL_FRAMES, DIAGNOSTIC_FRAMES, FACT_FRAMES
from pipelines.ingest import DOCUMENT_SCHEMA, PARSED, ParsedDocument

RAW_SCHEMA = "raw"
DUPLICATE = "duplicate"
RETAINED = "retained"


def deduplicate(docs: list[ParsedDocument]) -> list[ParsedDocument]:
    """The same content under two names lands once; the second name is recorded as a duplicate."""
    seen: dict[str, str] = {}
    for d in docs:
        if d.document_id in seen and d.status != DUPLICATE:
            d.status = DUPLICATE
            d.message = f"{d.source_path}: same content as {seen[d.document_id]}; not loaded twice"
            d.document_id = f"{d.document_id}~duplicate~{len(seen)}"  # unique registry key
            d.frames = {}
        else:
            seen.setdefault(d.document_id, d.source_path)
    return docs


def _ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for name, schema in {"documents": DOCUMENT_SCHEMA, **ALL_FRAMES}.items():
        empty = pl.DataFrame(schema=schema)  # noqa: F841 - read by DuckDB's replacement scan
        con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{name} AS SELECT * FROM empty LIMIT 0")


def _retained_versions(con: duckdb.DuckDBPyConnection, docs: list[ParsedDocument], landable: set[str]) -> pl.DataFrame:
    """Registry rows of the last landed version of each file whose new version may not land."""
    blocked_paths = [d.source_path for d in docs if d.document_id not in landable and d.status != DUPLICATE]
    if not blocked_paths:
        return pl.DataFrame(schema=DOCUMENT_SCHEMA)
    paths = pl.DataFrame({"source_path": blocked_paths})  # noqa: F841
    current_ids = [d.document_id for d in docs]
    prev = con.execute(f"""
        SELECT * FROM {RAW_SCHEMA}.documents
        WHERE source_path IN (SELECT source_path FROM paths) AND status IN ('{PARSED}', '{RETAINED}')
    """).pl()
    prev = prev.filter(~pl.col("document_id").is_in(current_ids))
    return prev.with_columns(
        pl.lit(RETAINED).alias("status"),
        pl.format("{}: facts of this earlier version kept because the current version did not land",
                  "source_path").alias("message"))


def land(con: duckdb.DuckDBPyConnection, docs: list[ParsedDocument], landable: set[str]) -> dict[str, int]:
    """Replace the raw tables' content with these documents' frames, in one transaction.

    ``landable``: ids of the documents whose frames passed validation. Their fact frames replace
    their old rows; every current document's diagnostic frames replace its old ones.
    """
    _ensure_tables(con)
    counts: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        retained = _retained_versions(con, docs, landable)
        current = [d.document_id for d in docs if d.status != DUPLICATE]
        keep = pl.DataFrame({"document_id": current + retained["document_id"].to_list()},  # noqa: F841
                            schema={"document_id": pl.Utf8})
        replace_facts = pl.DataFrame({"document_id": sorted(landable)}, schema={"document_id": pl.Utf8})  # noqa: F841
        for name, schema in ALL_FRAMES.items():
            replaced = "replace_facts" if name in FACT_FRAMES else "keep"
            # Files gone from RAW_DIR lose their rows; re-landed documents lose their old ones.
            con.execute(f"DELETE FROM {RAW_SCHEMA}.{name} WHERE document_id NOT IN (SELECT document_id FROM keep) "
                        f"OR document_id IN (SELECT document_id FROM {replaced})")
            sources = [d for d in docs if d.status != DUPLICATE
                       and (d.document_id in landable or name in DIAGNOSTIC_FRAMES)]
            parts = [d.frames[name] for d in sources if name in d.frames]
            new = pl.concat(parts, how="vertical") if parts else pl.DataFrame(schema=schema)  # noqa: F841
            con.execute(f"INSERT INTO {RAW_SCHEMA}.{name} BY NAME SELECT * FROM new")
            counts[name] = con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{name}").fetchone()[0]
        registry = pl.concat([pl.DataFrame([d.document_row() for d in docs], schema=DOCUMENT_SCHEMA),  # noqa: F841
                              retained.select(list(DOCUMENT_SCHEMA)).cast(DOCUMENT_SCHEMA)])
        con.execute(f"DELETE FROM {RAW_SCHEMA}.documents")
        con.execute(f"INSERT INTO {RAW_SCHEMA}.documents BY NAME SELECT * FROM registry")
        counts["documents"] = registry.height
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts
