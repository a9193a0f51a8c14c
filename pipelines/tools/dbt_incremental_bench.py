"""Measure dbt on a warehouse of N copies of the landed documents: a full build, a build with nothing changed,
and a build after one more document is landed (incremental marts keyed by document, issue 12).

Models only (`dbt run`; the data tests bound candidates per series, which copies exceed).
Usage (after `make run`): .venv/bin/python -m pipelines.tools.dbt_incremental_bench [copies] [source.duckdb]
Copies get their own document ids (the content is the same, so the year-over-year marts see more candidates per
series, as more editions would give them). Prints dbt's elapsed seconds and the slowest models of each build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.operations.config import DBT_PROJECT_DIR

DBT = Path(sys.executable).parent / "dbt"
ADDED = "A/80/400"  # the document added to the built warehouse: the largest (13 177 money and post facts)


def land_copies(source: Path, warehouse: Path, first: int, last: int, symbol: str | None = None) -> None:
    """Copies first..last-1 of every document's (or one symbol's) raw rows, each under the id <document_id>~<n>."""
    only = (
        ""
        if symbol is None
        else (f"WHERE document_id IN (SELECT document_id FROM src.raw.ingest_log WHERE document_symbol = '{symbol}')")
    )
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'src' AND table_schema = 'raw'"
            ).fetchall()
        ]
        for table in tables:
            con.execute(f"CREATE TABLE IF NOT EXISTS raw.{table} AS SELECT * FROM src.raw.{table} LIMIT 0")
            con.execute(
                f"INSERT INTO raw.{table} SELECT t.* REPLACE (t.document_id || '~' || n AS document_id) "
                f"FROM src.raw.{table} AS t, range({first}, {last}) AS r(n) {only}"
            )


def build(warehouse: Path, target: Path, *args: str, verb: str = "run") -> dict:
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse)}
    started = time.perf_counter()
    result = subprocess.run(
        [str(DBT), verb, "--profiles-dir", ".", "--target-path", str(target), "-q", *args],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if result.returncode:
        raise RuntimeError(result.stdout[-3000:])
    run = json.loads((target / "run_results.json").read_text())
    models = sorted(
        (
            (r["execution_time"], r["unique_id"].split(".")[-1])
            for r in run["results"]
            if r["unique_id"].startswith("model.")
        ),
        reverse=True,
    )
    return {"wall": wall, "dbt": run["elapsed_time"], "slowest": models[:6]}


def report(label: str, result: dict) -> None:
    slowest = ", ".join(f"{name} {seconds:.2f}" for seconds, name in result["slowest"])
    print(f"{label}: dbt {result['dbt']:.1f} s (wall {result['wall']:.1f} s); slowest models: {slowest}")


def main(argv: list[str]) -> int:
    copies = int(argv[0]) if argv else 50
    source = Path(argv[1] if len(argv) > 1 else "warehouse/un.duckdb").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        warehouse, target = Path(tmp) / "un.duckdb", Path(tmp) / "target"
        land_copies(source, warehouse, 0, copies)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            facts = con.execute(
                "SELECT (SELECT count(*) FROM raw.resources) + (SELECT count(*) FROM raw.posts)"
                " + (SELECT count(*) FROM raw.kpis)"
            ).fetchone()[0]
            documents = con.execute("SELECT count(*) FROM raw.ingest_log").fetchone()[0]
        print(f"{documents} documents, {facts} raw facts")
        build(warehouse, target, verb="seed")
        report("full build (--full-refresh)", build(warehouse, target, "--full-refresh"))
        report("nothing changed", build(warehouse, target))
        land_copies(source, warehouse, copies, copies + 1, ADDED)
        report(f"one document ({ADDED}) added (incremental)", build(warehouse, target))
        report("full build of the same (--full-refresh)", build(warehouse, target, "--full-refresh"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
