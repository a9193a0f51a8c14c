"""What analysts and BI tools read: the published warehouse, replaced whole after a good run.

The file: the pipeline writes WAREHOUSE_PATH; after a run whose blocking checks passed, the file is
copied next to itself and renamed over the published copy (PUBLISHED_PATH, default
warehouse/published/un.duckdb). The rename is atomic: a reader sees the old copy or the new one, never a
mix, and a reader holding the old copy open keeps reading it (the rename does not touch its inode).

The lake: dbt builds in the working lake; publishing replaces every table of ``marts`` and ``analytics``
in the published lake in ONE DuckLake transaction, i.e. one snapshot. A reader's query runs on one
snapshot, so it sees the previous run's complete state or the new one, never a half-built mart; earlier
snapshots stay queryable (time travel) until expired. Readers never block the pipeline.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from pipelines.operations.config import Settings
from pipelines.warehouse import lake

PUBLIC_SCHEMAS = ("marts", "ops", "analytics")  # what readers see; staging and intermediate are build detail


def published_path(warehouse: Path) -> Path:
    env = os.environ.get("PUBLISHED_PATH")
    return Path(env) if env else warehouse.parent / "published" / warehouse.name


def publish(settings: Settings, run_state: dict | None = None) -> dict:
    """Publish the working warehouse; returns what was published (for the run's metadata). The lake records
    ``run_state`` (what the run was made from, pipelines/publishing/lake_state.py) in the same snapshot."""
    if settings.lake:
        return publish_lake(settings, run_state)
    target = publish_file(settings.warehouse_path)
    return {"path": str(target), "bytes": target.stat().st_size}


def publish_file(warehouse: Path) -> Path:
    target = published_path(warehouse)
    target.parent.mkdir(parents=True, exist_ok=True)
    # fold the write-ahead log into the file first, so the copy is complete on its own
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(warehouse, tmp)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def _relations(con: duckdb.DuckDBPyConnection, catalog: str) -> set[tuple[str, str]]:
    return set(
        con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = ? "
            f"AND table_schema IN {PUBLIC_SCHEMAS}",
            [catalog],
        ).fetchall()
    )


def publish_lake(settings: Settings, run_state: dict | None = None) -> dict:
    """Copy the built marts, ops and analytics (analytics views become tables) into the published lake, in one
    transaction; tables the build no longer has are dropped in the same transaction, and the run's state is
    recorded (or, without one, removed) in it too."""
    from pipelines.publishing import lake_state
    from pipelines.warehouse import retry

    work = lake.attached(settings, read_only=True)  # the aliases in this process's lake instance
    published = lake.attached(settings, published=True)
    con = lake.cursor(settings, published=True)
    try:

        def swap() -> None:
            built, existing = _relations(con, work), _relations(con, published)
            con.execute("BEGIN TRANSACTION")
            try:
                for schema in PUBLIC_SCHEMAS:
                    con.execute(f"CREATE SCHEMA IF NOT EXISTS {published}.{schema}")
                for schema, name in sorted(built):
                    con.execute(
                        f'CREATE OR REPLACE TABLE {published}.{schema}."{name}" AS '
                        f'SELECT * FROM {work}.{schema}."{name}"'
                    )
                for schema, name in sorted(existing - built):
                    con.execute(f'DROP TABLE IF EXISTS {published}.{schema}."{name}"')
                lake_state.write(con, published, run_state)
                con.execute(f"CALL {published}.set_commit_message('unwh', 'publish {len(built)} relations')")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

        retry(swap)
        snapshot = con.execute(f"SELECT max(snapshot_id) FROM {published}.snapshots()").fetchone()[0]
        tables = len(_relations(con, published))
    finally:
        con.close()
    return {"catalog": settings.warehouse_catalog, "snapshot_id": snapshot, "tables": tables}
