"""Landing a document's validated frames in DuckDB's ``raw`` schema, one document at a time.

Each document lands in one transaction that replaces that document's rows: landing the same inputs
twice leaves the same rows. Fact frames land only for a document that passed validation; its
diagnostic frames (findings, results) always land. ``prune`` removes the rows of files that left
RAW_DIR, except that the last good version of a file whose new version could not land is retained.
"""

from __future__ import annotations

from contextlib import contextmanager

import duckdb
import polars as pl
import pyarrow as pa

from pipelines.document import DOCUMENT_SCHEMA, PARSED, ParsedDocument
from pipelines.frames import ALL_FRAMES, DIAGNOSTIC_FRAMES, FACT_FRAMES
from pipelines.operations.registry import REGISTRY_SCHEMA, RawFile
from pipelines.operations.registry import frame as registry_frame

RAW_SCHEMA = "raw"


@contextmanager
def single_threaded(con: duckdb.DuckDBPyConnection):
    """DuckDB on one thread while landing beside worker processes that keep the cores busy: a second
    thread there only contends (measured: the INSERTs cost 2.4x the CPU, the COMMIT 1.3x, for no gain)."""
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(threads)}")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """All or nothing: a failure (or a kill) leaves the tables as they were."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except Exception:
        con.execute("ROLLBACK")
        raise
    # A commit that fails (on the lake: another writer committed a conflicting change first) has
    # already ended the transaction, with nothing applied; the caller may run it again.
    con.execute("COMMIT")


INGEST_LOG_SCHEMA = {**DOCUMENT_SCHEMA, "pipeline_version": pl.Utf8}
TABLES = {"documents": REGISTRY_SCHEMA, "ingest_log": INGEST_LOG_SCHEMA, **ALL_FRAMES}


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    if _tables_complete(con):
        return
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for name, schema in TABLES.items():
        empty = pl.DataFrame(schema=schema)  # noqa: F841 - read by DuckDB's replacement scan
        con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{name} AS SELECT * FROM empty LIMIT 0")
        _add_missing_columns(con, name, empty)


def _tables_complete(con: duckdb.DuckDBPyConnection) -> bool:
    """Every raw table there with every column, in one catalog query. A run calls ``ensure_tables`` at each
    step; on the lake each catalog query costs a walk of DuckLake's catalog, and the DDL path below made
    two per table (a run's parent spent about a fifth of its CPU there)."""
    have: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_catalog = current_database() "
        "AND table_schema = ?",
        [RAW_SCHEMA],
    ).fetchall():
        have.setdefault(table, set()).add(column)
    return all(set(pl.DataFrame(schema=schema).columns) <= have.get(name, set()) for name, schema in TABLES.items())


def _add_missing_columns(con: duckdb.DuckDBPyConnection, name: str, empty: pl.DataFrame) -> None:
    """A warehouse created before a frame gained columns gets them (null for the rows already landed)."""
    have = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
            "AND table_schema = ? AND table_name = ?",
            [RAW_SCHEMA, name],
        ).fetchall()
    }
    for column in empty.columns:
        if column not in have:
            sql_type = con.execute(f'DESCRIBE SELECT "{column}" FROM empty').fetchone()[1]
            con.execute(f'ALTER TABLE {RAW_SCHEMA}.{name} ADD COLUMN "{column}" {sql_type}')


def write_registry(con: duckdb.DuckDBPyConnection, files: list[RawFile]) -> None:
    ensure_tables(con)
    registry = registry_frame(files)  # noqa: F841
    with transaction(con):
        con.execute(f"DELETE FROM {RAW_SCHEMA}.documents")
        con.execute(f"INSERT INTO {RAW_SCHEMA}.documents BY NAME SELECT * FROM registry")


def already_landed(con: duckdb.DuckDBPyConnection, document_id: str, version: str) -> bool:
    """The same content was ingested by the same pipeline version: nothing to re-parse."""
    ensure_tables(con)
    return (
        con.execute(
            f"SELECT count(*) FROM {RAW_SCHEMA}.ingest_log WHERE document_id = ? AND pipeline_version = ?",
            [document_id, version],
        ).fetchone()[0]
        > 0
    )


def landed(con: duckdb.DuckDBPyConnection, document_ids: list[str], version: str) -> set[str]:
    """Of these documents, those the same pipeline version already ingested: one query for a run's
    partitions (already_landed, set-based)."""
    ensure_tables(con)
    ids = pl.DataFrame({"document_id": document_ids}, schema={"document_id": pl.Utf8})  # noqa: F841
    return {
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT l.document_id FROM {RAW_SCHEMA}.ingest_log l JOIN ids USING (document_id) "
            "WHERE l.pipeline_version = ?",
            [version],
        ).fetchall()
    }


def record_paths(con: duckdb.DuckDBPyConnection, paths: dict[str, str]) -> None:
    """record_path for many documents (document id -> source path) in one statement."""
    if not paths:
        return
    moved = pl.DataFrame(  # noqa: F841 - read by DuckDB's replacement scan
        {"document_id": list(paths), "source_path": list(paths.values())},
        schema={"document_id": pl.Utf8, "source_path": pl.Utf8},
    )
    con.execute(
        f"UPDATE {RAW_SCHEMA}.ingest_log AS l SET source_path = m.source_path, "
        "message = replace(l.message, l.source_path, m.source_path) FROM moved AS m "
        "WHERE l.document_id = m.document_id AND l.source_path <> m.source_path"
    )


def record_path(con: duckdb.DuckDBPyConnection, document_id: str, source_path: str) -> None:
    """An unchanged document found under another name: its log names the file where it is now."""
    con.execute(
        f"UPDATE {RAW_SCHEMA}.ingest_log SET source_path = ?, message = replace(message, source_path, ?) "
        "WHERE document_id = ? AND source_path <> ?",
        [source_path, source_path, document_id, source_path],
    )


def land_documents(con: duckdb.DuckDBPyConnection, docs: list[ParsedDocument], version: str) -> None:
    """Replace these documents' rows in one transaction (facts only for landable ones) and their log entries.

    One DELETE and one INSERT per table for the whole chunk. Only documents the ingest log knows can have
    rows (every landing writes its log entry in the same transaction, prune removes both), so new
    documents delete nothing: a cold run does not rescan tables that grow with every chunk.
    """
    ensure_tables(con)
    if not docs:
        return
    stacked = {name: _stacked(docs, name) for name in ALL_FRAMES}
    log = pl.DataFrame(  # noqa: F841 - read by DuckDB's replacement scan
        [{**d.document_row(), "pipeline_version": version} for d in docs],
        schema=INGEST_LOG_SCHEMA,
    )
    try:
        with transaction(con):
            known = set(_logged(con, [d.document_id for d in docs]))
            if not known and sum(len(t) for t in stacked.values() if t is not None) >= BULK_ROWS:
                con.execute("SET max_vacuum_tasks = 0")  # read by the checkpoint the COMMIT runs
            for name, new in stacked.items():  # `new`: read by DuckDB's replacement scan
                sources = _sources(docs, name)
                _delete(con, name, [d.document_id for d in sources if d.document_id in known])
                if new is not None:
                    con.execute(f"INSERT INTO {RAW_SCHEMA}.{name} BY NAME SELECT * FROM new")
            _delete(con, "ingest_log", sorted(known))
            con.execute(f"INSERT INTO {RAW_SCHEMA}.ingest_log BY NAME SELECT * FROM log")
    finally:
        con.execute("RESET max_vacuum_tasks")


# A chunk that appends at least a row group's worth of rows (DuckDB's 122,880) and deletes nothing is
# committed without vacuum. Such a COMMIT is a checkpoint (its WAL would be too large to write), and its
# vacuum rewrites the row groups earlier chunks left part-full to even them out: a quarter of the COMMIT's
# CPU, again at every chunk. Without it each chunk keeps its own row groups (at most one part-full per
# table); a landing that deletes rows (a changed document) or appends little still vacuums as before.
BULK_ROWS = 122_880


def _sources(docs: list[ParsedDocument], name: str) -> list[ParsedDocument]:
    return [d for d in docs if d.status == PARSED] if name in FACT_FRAMES else docs


def _stacked(docs: list[ParsedDocument], name: str) -> pa.Table | None:
    """The documents' frames of one table as one contiguous Arrow table with string views: DuckDB reads a
    frame of one chunk per document as that many small batches, and Polars' own export converts every
    string column to large strings first (together 40% of the INSERTs' CPU)."""
    parts = [d.frames[name] for d in _sources(docs, name) if name in d.frames and d.frames[name].height]
    if not parts:
        return None
    return pl.concat(parts, how="vertical", rechunk=True).to_arrow(compat_level=pl.CompatLevel.newest())


_IDS = "(SELECT unnest(?::VARCHAR[]))"


def _logged(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> list[str]:
    """Of these documents, those with an ingest log entry (any version, any status)."""
    sql = f"SELECT DISTINCT document_id FROM {RAW_SCHEMA}.ingest_log WHERE document_id IN {_IDS}"
    return [r[0] for r in con.execute(sql, [document_ids]).fetchall()]


def _delete(con: duckdb.DuckDBPyConnection, table: str, document_ids: list[str]) -> None:
    if document_ids:
        con.execute(f"DELETE FROM {RAW_SCHEMA}.{table} WHERE document_id IN {_IDS}", [document_ids])


def land_document(con: duckdb.DuckDBPyConnection, doc: ParsedDocument, version: str) -> None:
    land_documents(con, [doc], version)


# The "retained last good version" rule, written once: a file whose current version has not landed
# (quarantined, or not yet run) keeps the facts of its last version that did. prune() keeps these
# documents; dbt labels them 'retained' (int_documents: in the ingest log, no longer in the registry).
_RETAINED = f"""
    SELECT l.document_id FROM {RAW_SCHEMA}.ingest_log l
    JOIN {RAW_SCHEMA}.documents r ON r.source_path = l.source_path AND r.duplicate_of IS NULL
    WHERE l.status = '{PARSED}' AND l.document_id <> r.document_id
      AND r.document_id NOT IN (SELECT document_id FROM {RAW_SCHEMA}.ingest_log WHERE status = '{PARSED}')
"""
_KEEP = f"SELECT document_id FROM {RAW_SCHEMA}.documents WHERE duplicate_of IS NULL UNION {_RETAINED}"


def prune(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Remove the rows of documents no longer in RAW_DIR (nor retained); returns their source paths.

    The test runs on each table's distinct document ids (a few thousand at most), not on its rows
    (millions), and a table loses rows only when one of its ids is to go: a rerun deletes nothing.
    """
    ensure_tables(con)
    gone = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT source_path FROM {RAW_SCHEMA}.ingest_log WHERE document_id NOT IN ({_KEEP})"
        ).fetchall()
    ]
    with transaction(con):
        con.execute(f"CREATE OR REPLACE TEMP TABLE prune_keep AS {_KEEP}")
        for name in ["ingest_log", *ALL_FRAMES]:
            drop = con.execute(
                f"SELECT d FROM (SELECT DISTINCT document_id AS d FROM {RAW_SCHEMA}.{name}) "
                "WHERE d NOT IN (SELECT document_id FROM prune_keep)"
            ).fetchall()
            if drop:  # ids for which `document_id NOT IN keep` holds (never NULL), so IN deletes the same rows
                con.execute(
                    f"DELETE FROM {RAW_SCHEMA}.{name} WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
                    [[d for (d,) in drop]],
                )
        con.execute("DROP TABLE prune_keep")
    return gone


def retained(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The ingest-log rows of the retained last good versions (see _RETAINED)."""
    ensure_tables(con)
    return con.execute(f"SELECT * FROM {RAW_SCHEMA}.ingest_log WHERE document_id IN ({_RETAINED})").pl()


__all__ = [
    "DIAGNOSTIC_FRAMES",
    "INGEST_LOG_SCHEMA",
    "already_landed",
    "ensure_tables",
    "land_document",
    "land_documents",
    "landed",
    "prune",
    "record_paths",
    "retained",
    "single_threaded",
    "write_registry",
]
