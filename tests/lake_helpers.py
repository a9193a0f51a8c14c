"""Helpers for the lake tests: a lake per test on the session's PostgreSQL cluster, runs, checksums."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.operations.config import Settings
from pipelines.warehouse import pgcluster
from pipelines.warehouse.lake import load_extensions, secure_config
from tests.conftest import ROOT

UNWH = Path(sys.executable).parent / "unwh"
_names = itertools.count()


def new_lake(cluster: pgcluster.Cluster, tmp: Path, raw: Path) -> dict[str, str]:
    """The environment of a fresh lake: its own PostgreSQL database and data folder."""
    catalog = pgcluster.create_database(cluster, f"lake_{os.getpid()}_{next(_names)}")
    return {
        **os.environ,
        "RAW_DIR": str(raw),
        "WAREHOUSE_CATALOG": catalog,
        "WAREHOUSE_DATA_PATH": str(tmp / "lake"),
        "WAREHOUSE_PATH": str(tmp / "not-used" / "un.duckdb"),
        "WAREHOUSE_LOCK_TIMEOUT": "900",
    }


def unwh(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(UNWH), "run", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500, check=False
    )


def reader(env: dict) -> duckdb.DuckDBPyConnection:
    """A BI reader as the README tells it: the published lake, read-only, by its catalog alone."""
    con = duckdb.connect(config=secure_config())
    load_extensions(con)
    con.execute(f"ATTACH 'ducklake:{env['WAREHOUSE_CATALOG']}' AS unwh (READ_ONLY)")
    con.execute("USE unwh")
    return con


def checksums(con: duckdb.DuckDBPyConnection, schemas=("marts", "analytics"), without=()) -> dict[str, tuple]:
    """Per table or view: row count and an order-independent checksum of the rows' content, leaving out the
    columns ``without``. Doubles are normalised with ``+ 0.0``: -0.0 and 0.0 are the same number (rounding
    a difference of -1e-14 gives -0.0 on one engine path and 0.0 on another), but their text and hash differ."""
    names = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = "
        f"current_database() AND table_schema IN {tuple(schemas)}"
    ).fetchall()
    out = {}
    for s, t in names:
        columns = [c for c in con.execute(f'DESCRIBE {s}."{t}"').fetchall() if c[0] not in without]
        select = ", ".join(
            f'"{c}" + 0.0 AS "{c}"' if kind in ("DOUBLE", "FLOAT") else f'"{c}"' for c, kind, *_ in columns
        )
        out[f"{s}.{t}"] = con.execute(
            f'SELECT count(*), sum(hash(x::VARCHAR)) FROM (SELECT {select} FROM {s}."{t}") AS x'
        ).fetchone()
    return out


def settings_for(env: dict) -> Settings:
    return Settings(
        raw_dir=Path(env["RAW_DIR"]),
        warehouse_path=Path(env["WAREHOUSE_PATH"]),
        warehouse_catalog=env["WAREHOUSE_CATALOG"],
        warehouse_data_path=Path(env["WAREHOUSE_DATA_PATH"]),
    )
