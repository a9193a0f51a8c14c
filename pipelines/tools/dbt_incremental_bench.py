"""Measure dbt on a warehouse of N copies of the landed documents: a full build, a build with nothing changed,
and a build after one more document is landed (incremental marts keyed by document, issue 12).

`dbt build` (models, seeds and data tests, as the pipeline runs it); `--run` for models only.
Usage (after `make run`): .venv/bin/python -m pipelines.tools.dbt_incremental_bench [copies] [source.duckdb] [--run]
[--keep DIR] (copy each build's run_results.json into DIR, to read every node's timing).
Builds that are not full refreshes leave out dbt's unit tests, as the pipeline does (pipelines/defs/dbt.py).
After the full build and after the addition, the file is published (pipelines/publishing) and timed.
Last, the added document alone into an empty warehouse (seeds, build, publish), for the 1.5x comparison.
Copies get their own document ids (the content is the same, so the year-over-year marts see more candidates per
series, as more editions would give them). Prints dbt's elapsed seconds, the wall time (dbt's start-up
included), the seconds spent in models and in tests, and the slowest nodes of each build.
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
from pipelines.publishing import publish_file

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


def build(warehouse: Path, target: Path, *args: str, verb: str = "build") -> dict:
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
    kinds: dict[str, list[tuple[float, str]]] = {"model": [], "test": [], "unit_test": [], "seed": []}
    for r in run["results"]:
        kind = r["unique_id"].split(".")[0]
        kinds.setdefault(kind, []).append((r["execution_time"], r["unique_id"].split(".")[-1]))
    return {
        "wall": wall,
        "dbt": run["elapsed_time"],
        "seconds": {kind: sum(t for t, _ in nodes) for kind, nodes in kinds.items() if nodes},
        "slowest": sorted(kinds["model"], reverse=True)[:6],
        "slowest_tests": sorted(kinds["test"], reverse=True)[:4],
        "results": run,
    }


def report(label: str, result: dict, keep: Path | None = None) -> None:
    slowest = ", ".join(f"{name} {seconds:.2f}" for seconds, name in result["slowest"])
    tests = ", ".join(f"{name[:60]} {seconds:.2f}" for seconds, name in result["slowest_tests"])
    spent = ", ".join(f"{kind}s {seconds:.1f} s" for kind, seconds in result["seconds"].items())
    print(f"{label}: dbt {result['dbt']:.1f} s (wall {result['wall']:.1f} s; summed: {spent})")
    print(f"  slowest models: {slowest}")
    if tests:
        print(f"  slowest tests: {tests}")
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() else "_" for c in label)[:40]
        (keep / f"{name}.json").write_text(json.dumps(result["results"]))


def timed_publish(warehouse: Path) -> None:
    started = time.perf_counter()
    published = publish_file(warehouse)
    seconds = time.perf_counter() - started
    print(f"publish (checkpoint, copy, fsync, rename): {seconds:.1f} s, {published.stat().st_size / 1e6:.0f} MB")


def alone(source: Path, tmp: Path, verb: str, keep: Path | None) -> None:
    """The same document alone into an empty warehouse: what adding it should cost (issue 12: within 1.5x)."""
    warehouse, target = tmp / "alone.duckdb", tmp / "target_alone"
    land_copies(source, warehouse, 0, 1, ADDED)
    build(warehouse, target, verb="seed")
    incremental = ["--exclude-resource-type", "unit_test"] if verb == "build" else []
    report(f"{ADDED} alone into an empty warehouse", build(warehouse, target, *incremental, verb=verb), keep)
    timed_publish(warehouse)


def main(argv: list[str]) -> int:
    verb = "run" if "--run" in argv else "build"
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    positional = [a for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--keep")]
    copies = int(positional[0]) if positional else 50
    source = Path(positional[1] if len(positional) > 1 else "warehouse/un.duckdb").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        warehouse, target = Path(tmp) / "un.duckdb", Path(tmp) / "target"
        land_copies(source, warehouse, 0, copies)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            facts = con.execute(
                "SELECT (SELECT count(*) FROM raw.resources) + (SELECT count(*) FROM raw.posts)"
                " + (SELECT count(*) FROM raw.kpis)"
            ).fetchone()[0]
            documents = con.execute("SELECT count(*) FROM raw.ingest_log").fetchone()[0]
        print(f"{documents} documents, {facts} raw facts; dbt {verb}")
        build(warehouse, target, verb="seed")
        incremental = ["--exclude-resource-type", "unit_test"] if verb == "build" else []
        report("full build (--full-refresh)", build(warehouse, target, "--full-refresh", verb=verb), keep)
        timed_publish(warehouse)
        report("nothing changed", build(warehouse, target, *incremental, verb=verb), keep)
        land_copies(source, warehouse, copies, copies + 1, ADDED)
        report(f"one document ({ADDED}) added (incremental)", build(warehouse, target, *incremental, verb=verb), keep)
        timed_publish(warehouse)
        report("full build of the same (--full-refresh)", build(warehouse, target, "--full-refresh", verb=verb), keep)
        alone(source, Path(tmp), verb, keep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
