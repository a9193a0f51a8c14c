"""Landing validated frames in DuckDB's ``raw`` schema, one document's facts replaced at a time.

Everything a run lands happens in one transaction: a failure leaves the warehouse as the last good
run left it. A document's rows are keyed by ``document_id`` (content hash plus symbol), so landing
the same inputs twice leaves the same rows, and a changed or removed file takes its old facts with it.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.ingest import DOCUMENT_SCHEMA, FRAME_SCHEMAS, ParsedDocument

RAW_SCHEMA = "raw"
DUPLICATE = "duplicate"


def _ensure_table(con: duckdb.DuckDBPyConnection, name: str, schema: dict) -> None:
    empty = pl.DataFrame(schema=schema)  # noqa: F841 - read by DuckDB's replacement scan
    con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{name} AS SELECT * FROM empty LIMIT 0")


def deduplicate(docs: list[ParsedDocument]) -> list[ParsedDocument]:
    """The same content under two names lands once; the second name is recorded as a duplicate."""
    seen: dict[str, str] = {}
    for d in docs:
        if d.document_id in seen and d.status != DUPLICATE:
            d.status = DUPLICATE
            d.message = f"{d.source_path}: same content as {seen[d.document_id]}; not loaded twice"
            d.frames = {}
        else:
            seen.setdefault(d.document_id, d.source_path)
    return docs


def land(con: duckdb.DuckDBPyConnection, docs: list[ParsedDocument], landable: set[str]) -> dict[str, int]:
    """Replace the raw tables' content with these documents' frames, in one transaction.

    ``landable`` is the set of document ids whose frames passed validation; the others are
    registered in raw.documents with their status but keep whatever facts they had before
    (nothing, for a new document).
    """
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for name, schema in {"documents": DOCUMENT_SCHEMA, **FRAME_SCHEMAS}.items():
        _ensure_table(con, name, schema)
    current = [d.document_id for d in docs if d.document_id and d.status != DUPLICATE]
    counts: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        keep = pl.DataFrame({"document_id": current}, schema={"document_id": pl.Utf8})  # noqa: F841
        replace = pl.DataFrame({"document_id": sorted(landable)}, schema={"document_id": pl.Utf8})  # noqa: F841
        for name, schema in FRAME_SCHEMAS.items():
            # Documents no longer in RAW_DIR, and those landed anew, lose their old rows.
            con.execute(f"DELETE FROM {RAW_SCHEMA}.{name} WHERE document_id NOT IN (SELECT document_id FROM keep) "
                        f"OR document_id IN (SELECT document_id FROM replace)")
            parts = [d.frames[name] for d in docs if d.document_id in landable and name in d.frames]
            new = pl.concat(parts, how="vertical") if parts else pl.DataFrame(schema=schema)  # noqa: F841
            con.execute(f"INSERT INTO {RAW_SCHEMA}.{name} BY NAME SELECT * FROM new")
            counts[name] = con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{name}").fetchone()[0]
        registry = pl.DataFrame([d.document_row() for d in docs], schema=DOCUMENT_SCHEMA)  # noqa: F841
        con.execute(f"DELETE FROM {RAW_SCHEMA}.documents")
        con.execute(f"INSERT INTO {RAW_SCHEMA}.documents BY NAME SELECT * FROM registry")
        counts["documents"] = len(docs)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts
