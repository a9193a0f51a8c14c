"""The lake's last good run, kept in the lake itself so that every writer, on any machine, sees it.

On the file, ``unwh run`` keeps what its last good run was made from (files by content, pipeline version,
dbt project: pipelines/cli.py ``run_state``) in a file beside the warehouse. The lake keeps the same state
in one row of ``pipeline_state.last_good_run`` in the published lake, written in the publish transaction:
the state and the marts published from it are one snapshot, so no run sees one without the other. A
publish without a state (a run launched from Dagster, which computes none) removes it in the same
transaction: the published marts are then of no known state, and the next run ranges over everything.

A run that will rebuild what depends on the dbt project alone (a first run, a changed project or pipeline,
a full refresh) removes the state first (``forget``): should it die half-way, a later run must not take
those nodes as built (``same_build``). A run that rebuilds only what depends on the landed rows leaves it.
"""

from __future__ import annotations

import json

import duckdb

from pipelines.operations.config import Settings

SCHEMA, TABLE = "pipeline_state", "last_good_run"
NAME = f"{SCHEMA}.{TABLE}"


def read(settings: Settings) -> dict | None:
    """The state the last publish recorded, or None (a new lake, or a publish that recorded none)."""
    from pipelines.warehouse import lake

    con = lake.cursor(settings, published=True)  # (read-only, a new lake's catalog could not be created)
    try:
        if not _exists(con):
            return None
        row = con.execute(f"SELECT state FROM {NAME}").fetchone()
    finally:
        con.close()
    if row is None:
        return None
    state = json.loads(row[0])
    state["files"] = [tuple(f) for f in state["files"]]
    return state


def write(con: duckdb.DuckDBPyConnection, catalog: str, state: dict | None) -> None:
    """Within the publish transaction on ``catalog`` (the published lake's alias): record ``state``, or none."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {catalog}.{SCHEMA}")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {catalog}.{NAME} "
        "(state VARCHAR, pipeline VARCHAR, dbt VARCHAR, files INTEGER, published_at TIMESTAMPTZ)"
    )
    con.execute(f"DELETE FROM {catalog}.{NAME}")
    if state is not None:
        con.execute(
            f"INSERT INTO {catalog}.{NAME} VALUES (?, ?, ?, ?, now())",
            [json.dumps(state), state["pipeline"], state["dbt"], len(state["files"])],
        )


def forget(settings: Settings) -> None:
    """Remove the recorded state (its own transaction, retried on a conflict with another writer)."""
    from pipelines.landing import transaction
    from pipelines.warehouse import lake, retry

    con = lake.cursor(settings, published=True)
    try:
        if not _exists(con) or not con.execute(f"SELECT count(*) FROM {NAME}").fetchone()[0]:
            return

        def clear() -> None:
            with transaction(con):
                con.execute(f"DELETE FROM {NAME}")

        retry(clear)
    finally:
        con.close()


def _exists(con: duckdb.DuckDBPyConnection) -> bool:
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() AND "
    return con.execute(sql + "table_schema = ? AND table_name = ?", [SCHEMA, TABLE]).fetchone()[0] > 0
