"""The lake side of the benchmark: the same corpus landed in DuckLake (PostgreSQL catalog, Parquet data)
with 1 and 2 writers, one document added, and readers' latency while a run writes, beside the file.

Called by benchmarks/run.py (``--backends file,lake``); starts and stops its own PostgreSQL cluster. Alone,
the lake's figures at one size without the file's whole benchmark (``--file`` adds the file's readers):

    .venv/bin/python -m benchmarks.lake --docs 1000 --writers 2 [--file]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from benchmarks import make_corpus
from benchmarks.run import fmt, wall
from pipelines.warehouse import pgcluster
from pipelines.warehouse.lake import load_extensions, secure_config

ROOT = Path(__file__).resolve().parent.parent
UNWH = Path(sys.executable).parent / "unwh"


def lake_env(cluster: pgcluster.Cluster, name: str, work: Path) -> dict[str, str]:
    catalog = pgcluster.create_database(cluster, name)
    return {
        "WAREHOUSE_CATALOG": catalog,
        "WAREHOUSE_DATA_PATH": str(work / name),
        "WAREHOUSE_PATH": str(work / name / "unused.duckdb"),
    }


def lake_reader(env: dict[str, str]) -> duckdb.DuckDBPyConnection:
    """What a BI user opens: the published lake, read-only."""
    con = duckdb.connect(config=secure_config())
    load_extensions(con)
    con.execute(f"ATTACH 'ducklake:{env['WAREHOUSE_CATALOG']}' AS unwh (READ_ONLY)")
    con.execute("USE unwh")
    return con


def file_reader(published: Path) -> Callable[[], duckdb.DuckDBPyConnection]:
    return lambda: duckdb.connect(str(published), read_only=True)


def latency_during_run(
    connect: Callable[[], duckdb.DuckDBPyConnection],
    queries: list[tuple[str, str]],
    run: Callable[[], dict],
    readers: int = 2,
) -> dict:
    """Readers loop over the cookbook queries while ``run`` writes: p50/p95 ms, queries, errors."""
    times: list[float] = []
    errors: list[str] = []
    stop = threading.Event()

    def loop() -> None:
        con = connect()
        try:
            while not stop.is_set():
                for _, sql in queries:
                    t = time.perf_counter()
                    try:
                        con.execute(sql).fetchall()
                        times.append((time.perf_counter() - t) * 1000)
                    except duckdb.Error as exc:
                        errors.append(str(exc).splitlines()[0])
        finally:
            con.close()

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(readers)]
    for t in threads:
        t.start()
    try:
        result = run()
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
    return {
        "run": result,
        "queries": len(times),
        "errors": len(errors),
        "first_error": errors[:1],
        "p50": statistics.median(times) if times else float("nan"),
        "p95": p95,
    }


def add_document(raw: Path, name: str, entity: int, section: int) -> Path:
    """A copy of ``raw`` with one more generated fascicle: what a daily run adds."""
    plus = raw.parent / f"{raw.name}_{name}"
    shutil.copytree(raw, plus)
    spec = make_corpus.Spec(f"{name}_fascicle_{entity}_{section}.txt", "fascicle", entity, section, 2)
    (plus / spec.name).write_text(make_corpus.render(spec), encoding="utf-8")
    return plus


def bench_lake(
    n: int,
    raw: Path,
    run_pipeline: Callable[..., dict],
    queries: list[tuple[str, str]],
    file_during: dict | None,
    writers: tuple[int, ...] = (1, 2),
) -> list[str]:
    """Lake runs at N documents (cold, with each number of writers), one document added, and readers
    looping over the cookbook while a second addition writes; Markdown lines."""
    work = Path(tempfile.mkdtemp(prefix="unwh-bench-lake-"))
    pg = Path(tempfile.mkdtemp(prefix="unwh-bench-pg-"))  # its own folder: the server's user must reach it
    cluster = pgcluster.up(pg)
    try:
        runs = {}
        for workers in writers:
            env = lake_env(cluster, f"bench_{n}_{workers}", work)
            runs[workers] = run_pipeline(raw, env, "--workers", str(workers))
            print(f"lake N={n} workers={workers}: {runs[workers]['wall']:.1f} s", flush=True)
        plus_one = add_document(raw, "99998", 121, 78)
        add_one = run_pipeline(plus_one, env, "--workers", "2")
        print(f"lake N={n} one added: {add_one['wall']:.1f} s", flush=True)
        # readers during a run that writes: the daily case, one more document landed, built and published
        plus_two = add_document(plus_one, "99997", 122, 79)
        during = latency_during_run(
            lambda: lake_reader(env), queries, lambda: run_pipeline(plus_two, env, "--workers", "2")
        )
    finally:
        pgcluster.down(pg)
        shutil.rmtree(pg, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return _report(n, runs, add_one, during, file_during)


def _report(n: int, runs: dict, add_one: dict, during: dict, file_during: dict | None) -> list[str]:
    lines = [
        f"\n## The lake (DuckLake: PostgreSQL catalog, Parquet data) at {n} documents\n",
        "| run | parse s | validate s | land s | dbt build s | publish s | total wall s | exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [(f"cold, {w} writer{'s' if w > 1 else ''}", r) for w, r in runs.items()] + [
        ("one document added, 2 writers", add_one)
    ]
    for name, r in rows:
        lines.append(
            f"| {name} | {fmt(r['parse'])} | {fmt(r['validate'])} | {fmt(r['land'])} | {fmt(r['dbt'])} | "
            f"{fmt(r['publish'])} | {wall(r)} | {r['exit']} |"
        )
    lines += [
        "\nReaders (2 threads looping over the cookbook queries on the published copy) while a run adds one more "
        "document (lands it, builds the marts and publishes):\n",
        "| backend | queries | errors | median ms | p95 ms | run wall s |",
        "|---|---:|---:|---:|---:|---:|",
        f"| lake | {during['queries']} | {during['errors']} | {during['p50']:.1f} | {during['p95']:.1f} | "
        f"{during['run']['wall']:.1f} |",
    ]
    if file_during:
        lines.append(
            f"| file (published copy) | {file_during['queries']} | {file_during['errors']} | "
            f"{file_during['p50']:.1f} | {file_during['p95']:.1f} | {file_during['run']['wall']:.1f} |"
        )
    return lines


def main() -> None:
    from benchmarks.run import cookbook_queries, run_pipeline

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--writers", default="1,2")
    parser.add_argument("--file", action="store_true", help="also the file: cold run, readers during an addition")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="unwh-bench-"))
    try:
        raw = work / f"raw_{args.docs}"
        make_corpus.write(raw, args.docs)
        file_during = None
        if args.file:
            wh = work / "wh" / "un.duckdb"
            cold = run_pipeline(raw, wh)
            print(f"file N={args.docs}: {cold['wall']:.1f} s", flush=True)
            published = wh.parent / "published" / wh.name
            plus = add_document(raw, "99997", 122, 79)
            file_during = latency_during_run(file_reader(published), cookbook_queries(), lambda: run_pipeline(plus, wh))
        writers = tuple(int(w) for w in args.writers.split(","))
        print("\n".join(bench_lake(args.docs, raw, run_pipeline, cookbook_queries(), file_during, writers)), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
