"""The benchmark: parse throughput, the whole pipeline at N = 3, 100 and 1 000 documents, reruns,
analyst query latency, and the COPY floor. Prints a Markdown report (commit it as RESULTS.md).

    .venv/bin/python -m benchmarks.run [--sizes 3,100,1000] [--out benchmarks/RESULTS.md]

Targets are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks import make_corpus
from pipelines.parsing.dispatch import parse_file

ROOT = Path(__file__).resolve().parent.parent
UNWH = Path(sys.executable).parent / "unwh"
COOKBOOK = ROOT / "docs" / "sql-cookbook.md"
# Dagster prints step durations as 533ms, 5.6s, 4m52s or 1h4m
_STEP = re.compile(r'STEP_SUCCESS - Finished execution of step "([^"]+)" in ((?:[\d.]+(?:ms|h|m|s))+)')
_UNIT = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}


def _seconds(text: str) -> float:
    return sum(float(v) * _UNIT[u] for v, u in re.findall(r"([\d.]+)(ms|h|m|s)", text))


_STAGES = re.compile(r"stage seconds: parse=([\d.]+), validate=([\d.]+), land=([\d.]+)")
_LANDING = re.compile(r"landing seconds: wall=([\d.]+), cpu=([\d.]+)")


def parse_throughput(repeats: int = 15) -> list[tuple[str, float, float]]:
    rows = []
    for path, family in [
        (make_corpus.FASCICLE, "budget fascicle"),
        (make_corpus.REPORT, "work report (2022)"),
        (make_corpus.HIGHLIGHTS, "work report highlights (2023)"),
    ]:
        parse_file(path)  # warm caches (vocabularies, OpenCC)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            parse_file(path)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        rows.append((family, path.stat().st_size / 1e6 / med, med * 1000))
    return rows


WORD_FILE = ROOT / "data" / "raw" / "A_80_400.docx"


def word_file_times(repeats: int = 5) -> tuple[float, float, float]:
    """The Word file (A/80/400): MB of word/document.xml, median read (unzip + XML parse) and parse seconds."""
    import zipfile

    parse_file(WORD_FILE)  # warm caches (seeds, table kinds)
    reads, parses = [], []
    for _ in range(repeats):
        doc = parse_file(WORD_FILE)
        reads.append(doc.read_seconds)
        parses.append(doc.parse_seconds)
    with zipfile.ZipFile(WORD_FILE) as zf:
        xml_mb = zf.getinfo("word/document.xml").file_size / 1e6
    return xml_mb, statistics.median(reads), statistics.median(parses)


def run_pipeline(raw: Path, wh: Path | dict, *extra: str) -> dict:
    """One `unwh run` in a child process: wall time, peak RSS of the largest process, stage times.
    ``wh`` is the file's path, or the lake's environment (WAREHOUSE_CATALOG, WAREHOUSE_DATA_PATH)."""
    backend = wh if isinstance(wh, dict) else {"WAREHOUSE_PATH": str(wh)}
    env = {**os.environ, "RAW_DIR": str(raw), **backend}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run(
        [str(UNWH), "run", "--log-level", "DEBUG", *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = proc.stdout + proc.stderr
    steps = {}
    for name, duration in _STEP.findall(out):
        steps[name] = _seconds(duration)
    stages = _STAGES.findall(out)
    parse_s, validate_s, land_s = (float(x) for x in stages[-1]) if stages else (None, None, None)
    landing_cpu = _LANDING.findall(out)
    # a run is measured only when it succeeded: exit 0 and RESULT: OK (exit 1 is RESULT: FAILED)
    ok = proc.returncode == 0 and "RESULT: OK" in proc.stdout
    if not ok:  # say why, in the benchmark's own output
        print(f"run FAILED (exit {proc.returncode}); its last output:\n{out[-3000:]}", flush=True)
    return {
        "ok": ok,
        "status": "OK" if ok else f"FAILED (exit {proc.returncode})",
        "exit": proc.returncode,
        "wall": wall,
        "rss_mb": max(rss, before) / 1024,
        "parse": parse_s,
        "validate": validate_s,
        "land": land_s,
        "land_cpu": float(landing_cpu[-1][1]) if landing_cpu else None,  # the writer's CPU while landing
        # a step that did not succeed has no duration: None, printed as "failed", never as 0.0
        "dbt": steps.get("warehouse_dbt_assets"),
        "report": _sum_steps(steps, "html_report", "fiscal_data_package"),
        "publish": steps.get("published_warehouse"),
        "registry": steps.get("raw__documents"),
        "tail": proc.stdout[-800:],
    }


def _sum_steps(steps: dict, *names: str) -> float | None:
    return sum(steps[n] for n in names) if all(n in steps for n in names) else None


def fmt(value: float | None, spec: str = ".1f", run: dict | None = None) -> str:
    """A measured figure; where there is none, "failed" (the run failed) or "-" (a step the run skipped,
    such as every stage of a no-change rerun)."""
    if value is not None:
        return format(value, spec)
    return "-" if run is not None and run["ok"] else "failed"


def wall(r: dict) -> str:
    """The run's wall time, or FAILED: a failed run is reported as such, never as a time."""
    return f"{r['wall']:.1f}" if r["ok"] else f"{r['status']} after {r['wall']:.1f}"


def cookbook_queries() -> list[tuple[str, str]]:
    found = re.findall(r"### (\d+)\. (.+?)\n\n```sql\n(.+?)```", COOKBOOK.read_text(encoding="utf-8"), re.S)
    return [(f"{n}. {title.split(' · ')[0]}", sql) for n, title, sql in found][:10]


def query_latency(db: Path, repeats: int = 21) -> list[tuple[str, float, float]]:
    con = duckdb.connect(str(db), read_only=True)
    rows = []
    try:
        for name, sql in cookbook_queries():
            con.execute(sql).fetchall()
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                con.execute(sql).fetchall()
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            rows.append((name, statistics.median(times), times[int(0.95 * (len(times) - 1))]))
    finally:
        con.close()
    return rows


def copy_floor(db: Path, work: Path) -> tuple[float, float, int]:
    """Seconds (wall, then CPU of all DuckDB's threads) to load the same landed facts from CSV with COPY
    into a fresh DuckDB file, and the rows loaded."""
    con = duckdb.connect(str(db), read_only=True)
    tables = [
        "resources",
        "posts",
        "post_changes",
        "kpis",
        "reconciliation",
        "parse_findings",
        "validation_results",
        "dq_findings",
        "source_tables",
        "ingest_log",
    ]
    rows = 0
    try:
        for t in tables:
            con.execute(f"COPY raw.{t} TO '{work / t}.csv' (HEADER)")
            rows += con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0]
        schemas = {t: con.execute(f"DESCRIBE raw.{t}").fetchall() for t in tables}
    finally:
        con.close()
    target = duckdb.connect(str(work / "floor.duckdb"))
    try:
        for t in tables:
            cols = ", ".join(f'"{c[0]}" {c[1]}' for c in schemas[t])
            target.execute(f"CREATE TABLE {t} ({cols})")
        start, cpu = time.perf_counter(), time.process_time()
        for t in tables:
            target.execute(f"COPY {t} FROM '{work / t}.csv' (HEADER)")
        target.execute("CHECKPOINT")
        return time.perf_counter() - start, time.process_time() - cpu, rows
    finally:
        target.close()


def parse_section() -> list[str]:
    xml_mb, read_s, parse_s = word_file_times()
    return [
        "## Parse throughput (single process, median of 15)\n",
        "| family | MB/s | ms per document |",
        "|---|---:|---:|",
        *(f"| {f} | {mbs:.1f} | {ms:.1f} |" for f, mbs, ms in parse_throughput()),
        "\n## The Word file (A/80/400, median of 5)\n",
        "| word/document.xml MB | read s (unzip + XML) | parse s |",
        "|---:|---:|---:|",
        f"| {xml_mb:.1f} | {read_s:.2f} | {parse_s:.2f} |",
    ]


def cold_section(results: dict[int, dict]) -> list[str]:
    table = [
        "\n## The whole pipeline, cold (imports, validation, dbt, report and publish included)\n",
        "| documents | parse s | validate s | land s | dbt build s | report + export s | total wall s | "
        "s per document | peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in results.items():
        table.append(
            f"| {n} | {fmt(r['parse'])} | {fmt(r['validate'])} | {fmt(r['land'])} | {fmt(r['dbt'])} | "
            f"{fmt(r['report'])} | {wall(r)} | {fmt(r['wall'] / n if r['ok'] else None, '.3f')} | {r['rss_mb']:.0f} |"
        )
    return table


def floor_section(wh: Path, work: Path, run: dict) -> list[str]:
    """The COPY floor beside the landing of the same run (not compared when the run failed): wall against
    wall, and CPU against CPU (the run lands while its worker processes keep the cores busy, so landing's
    wall time there includes waiting for a core; the COPY runs alone)."""
    floor_s, floor_cpu, rows = copy_floor(wh, work)
    land = run["land"] if run["ok"] else None
    land_cpu = run.get("land_cpu") if run["ok"] else None
    ratio = f"i.e. {land / floor_s:.1f} x the floor" if land else "not compared: the run did not succeed"
    cpu = f"{land_cpu / floor_cpu:.1f} x" if land_cpu else "not measured"
    return [
        f"\n## The floor: the same landed rows ({rows:,}) loaded from CSV with COPY\n",
        f"COPY into a fresh DuckDB file: {floor_s:.2f} s wall, {floor_cpu:.2f} s CPU. The pipeline's landing of "
        f"the same documents: {fmt(land, '.2f')} s wall, {ratio}; {fmt(land_cpu, '.2f')} s CPU in the writer "
        f"process, {cpu} the floor's CPU (landing includes deleting the earlier rows of documents landed "
        "before and writing the ingest log, in one transaction per chunk of documents; DuckDB lands on one "
        "thread beside the worker processes that parse and validate, so its wall time includes waiting for a core).",
    ]


def reruns_section(n: int, raw: Path, wh: Path) -> list[str]:
    """A no-change rerun, then one document added, on the largest warehouse; that document alone into an empty one."""
    rerun = run_pipeline(raw, wh)
    extra_doc = make_corpus.Spec("99999_fascicle_120_77.txt", "fascicle", 120, 77, 2)
    (raw / extra_doc.name).write_text(make_corpus.render(extra_doc), encoding="utf-8")
    add_one = run_pipeline(raw, wh)
    # issue 12: the addition's cost against the same document alone into an empty warehouse
    alone_raw = raw.parent / f"{raw.name}_alone"
    alone_raw.mkdir()
    shutil.copy2(raw / extra_doc.name, alone_raw / extra_doc.name)
    alone = run_pipeline(alone_raw, raw.parent / f"{raw.name}_alone_wh" / "un.duckdb")
    reruns = [
        f"\n## Reruns on the {n}-document warehouse\n",
        "| run | total wall s | parse s | validate s | land s | dbt build s |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {wall(r)} | "
            + " | ".join(fmt(r[k], run=r) for k in ("parse", "validate", "land", "dbt"))
            + " |"
            for name, r in (
                ("no change", rerun),
                ("one document added", add_one),
                ("the same document alone, into an empty warehouse", alone),
            )
        ),
    ]
    print("\n".join(reruns), flush=True)
    return reruns


def lake_section(n: int, raw: Path, wh: Path, published: Path, writers: tuple[int, ...]) -> list[str]:
    """The lake beside the file (benchmarks/lake.py): 1 and 2 writers, one added, readers during a run."""
    from benchmarks import lake
    from pipelines.warehouse import pgcluster

    try:
        pgcluster.bin_dir()
    except pgcluster.PostgresMissing as exc:
        return [f"\n## The lake\n\nNot measured: {exc}"]
    # the same N documents as the file's cold run (without the one the reruns added)
    base = raw.parent / f"{raw.name}_lake"
    shutil.copytree(raw, base, ignore=shutil.ignore_patterns("99999_*"))
    plus = lake.add_document(raw, "99997", 122, 79)
    file_during = lake.latency_during_run(
        lake.file_reader(published), cookbook_queries(), lambda: run_pipeline(plus, wh)
    )
    section = lake.bench_lake(n, base, run_pipeline, cookbook_queries(), file_during, writers)
    print("\n".join(section), flush=True)
    return section


def corpus(n: int, work: Path) -> Path:
    raw = work / f"raw_{n}"
    if n == 3:
        shutil.copytree(make_corpus.BUNDLED, raw)
    else:
        make_corpus.write(raw, n)
    return raw


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
        platform.processor(),
    )
    mem = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) / 1024**2
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3,100,1000")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--backends",
        default="file,lake",
        help="'file,lake' (default) adds the lake at the largest "
        "size (its own PostgreSQL cluster; skipped if none is installed); 'file' leaves it out",
    )
    parser.add_argument("--lake-writers", default="1,2", help="the lake's cold runs, one per number of writers")
    args = parser.parse_args()
    backends = args.backends.split(",")
    sizes = [int(x) for x in args.sizes.split(",")]
    lines = [
        f"# Benchmark results\n\nRun on {dt.date.today()} on {machine()}.\n",
        "Command: `.venv/bin/python -m benchmarks.run` (see benchmarks/run.py).\n",
    ]

    lines += parse_section()
    print("\n".join(lines), flush=True)

    work = Path(tempfile.mkdtemp(prefix="unwh-bench-"))
    results = {}
    biggest = None
    for n in sizes:
        raw = corpus(n, work)
        wh = work / f"wh_{n}" / "un.duckdb"
        results[n] = run_pipeline(raw, wh)
        print(f"N={n}: {wall(results[n])} s", flush=True)
        biggest = (n, raw, wh)
    table = cold_section(results)
    lines += table
    print("\n".join(table), flush=True)

    n, raw, wh = biggest
    lines += reruns_section(n, raw, wh)

    published = wh.parent / "published" / "un.duckdb"
    lat = [
        f"\n## Analyst queries on the {n}-document warehouse (published copy, 21 runs each)\n",
        "| query (docs/sql-cookbook.md) | median ms | p95 ms |",
        "|---|---:|---:|",
    ]
    lat += [f"| {name} | {med:.1f} | {p95:.1f} |" for name, med, p95 in query_latency(published)]
    lines += lat
    print("\n".join(lat), flush=True)

    floor = floor_section(wh, work, results[n])
    lines += floor
    print("\n".join(floor), flush=True)
    if "lake" in backends:
        lines += lake_section(n, raw, wh, published, tuple(int(w) for w in args.lake_writers.split(",")))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
