"""The stage pipeline, outside any orchestrator: register -> parse -> validate -> decide -> land.

The Dagster assets (pipelines/defs/ingest.py), ``unwh run`` (through them), the tests and the benchmark
call these functions; nothing here imports Dagster.

- ``register``: every file in RAW_DIR identified (registry), written to ``raw.documents``; the facts of
  files that left RAW_DIR removed (``landing.prune``).
- ``ingest``: for the documents of a run, parse, validate with the suites, decide (a blocking
  expectation quarantines the document; its last good version is retained) and land. On the file,
  chunks of documents land in one transaction each, in this process (one writer). On the lake, worker
  processes parse, validate and land documents in parallel, each document in its own transaction,
  retried when another writer committed a conflicting change first.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines import document, landing, warehouse, worker_pool
from pipelines.operations import registry
from pipelines.operations.config import Settings
from pipelines.operations.version import pipeline_version
from pipelines.parsing.dispatch import parse_file
from pipelines.validation import SUITE_FRAMES, blocking_failures, validate_documents
from pipelines.validation.suites import Timer, load_suite

CHUNK = 100  # documents parsed and validated together: bounded memory, one Great Expectations run per suite


@dataclass
class IngestReport:
    """What a run of the stages did: documents by outcome, seconds by stage, quarantined documents."""

    outcome: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    quarantined: list[dict] = field(default_factory=list)
    results: list[pl.DataFrame] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)

    def add(self, other: IngestReport) -> None:
        self.outcome.update(other.outcome)
        self.seconds.update(other.seconds)
        self.quarantined += other.quarantined
        self.results += other.results
        self.warnings += other.warnings

    @property
    def validation_results(self) -> pl.DataFrame | None:
        return pl.concat(self.results, how="diagonal_relaxed") if self.results else None


def _registry_cache(con, log=None) -> dict:
    # the DDL, retried: two runs starting at once on a new lake both create the raw tables
    warehouse.retry(lambda: landing.ensure_tables(con), log=log)
    rows = con.execute("SELECT * FROM raw.documents").pl()
    return {r["source_path"]: {k: r[k] for k in registry.REGISTRY_SCHEMA} for r in rows.iter_rows(named=True)}


def register(settings: Settings, log=None) -> tuple[list[registry.RawFile], list[str]]:
    """Identify every file in RAW_DIR, record the registry, remove the facts of files that left."""
    with warehouse.writing(settings, log=log) as con:
        files = registry.scan(settings.raw_dir, _registry_cache(con, log))
        with _registry_lock(settings) as held:
            held(lambda: landing.write_registry(con, files))
            gone = held(lambda: landing.prune(con))
    return files, gone


@contextmanager
def _registry_lock(settings: Settings):
    """Writers of the registry and prune take turns on the lake (both replace rows other runs also write)."""
    if not settings.lake:
        yield lambda work: work()
        return
    with warehouse.lake_locks(settings) as lock:

        def held(work):
            with lock("registry"):
                return warehouse.retry(work)

        yield held


def parse_and_validate(todo: list[tuple[str, str]], raw_dir: Path, report: IngestReport) -> list:
    """Parse the documents, validate the parsed ones together, quarantine those an error expectation blocks."""
    docs = []
    clock = time.perf_counter()
    for key, source_path in todo:
        doc = parse_file(Path(source_path), raw_dir)
        if doc.document_id != key:  # changed since it was registered: the next scan sees it
            report.warnings.append(f"{source_path}: changed since registration; skipped this run")
            report.outcome["changed"] += 1
            continue
        docs.append(doc)
    report.seconds["parse"] += time.perf_counter() - clock
    clock, gx_before = time.perf_counter(), Timer.seconds
    parsed = {d.document_id: d.frames for d in docs if d.status == document.PARSED}
    validated = validate_documents(parsed) if parsed else {}
    for doc in docs:
        out = validated.get(doc.document_id)
        if out is None:
            continue
        doc.frames.update(out)
        report.results.append(out["validation_results"].with_columns(pl.lit(doc.source_path).alias("source_path")))
        blocking = blocking_failures(out["validation_results"])
        if blocking.height:
            doc.quarantine(
                document.VALIDATION_FAILED,
                f"{doc.source_path}: blocked by {blocking.height} failed error "
                "expectations: "
                + "; ".join(
                    f"{r['suite']}.{r['expectation']}({r['column_name']})" for r in blocking.iter_rows(named=True)
                ),
            )
    report.seconds["validate"] += time.perf_counter() - clock
    report.seconds["great_expectations"] += Timer.seconds - gx_before
    return docs


def land(con, settings: Settings, docs: list, version: str, report: IngestReport, log=None) -> None:
    """The file: the chunk in one transaction. The lake: one transaction per document, retried on conflict."""
    clock, cpu = time.perf_counter(), time.thread_time()
    if settings.lake:
        with warehouse.lake_locks(settings) as lock:
            for doc in docs:  # two runs may land the same new document: its lock makes them take turns
                with lock(f"document:{doc.document_id}"):
                    warehouse.retry(lambda doc=doc: landing.land_documents(con, [doc], version), log=log)
    else:
        with landing.single_threaded(con):  # so this thread's CPU time is all of landing's
            landing.land_documents(con, docs, version)
        report.seconds["land_cpu"] += time.thread_time() - cpu
    report.seconds["land"] += time.perf_counter() - clock
    for doc in docs:
        report.outcome[doc.status] += 1
        if doc.status != document.PARSED:
            report.quarantined.append(
                {"file": doc.source_path, "reason": doc.reason, "line": doc.error_line, "message": doc.message}
            )


def process_chunk(settings: Settings, todo: list[tuple[str, str]], version: str, con=None) -> IngestReport:
    """Parse, validate, decide and land one chunk of documents (in a worker process when ``con`` is None)."""
    report = IngestReport()
    docs = parse_and_validate(todo, settings.raw_dir, report)
    if con is not None:
        land(con, settings, docs, version, report)
    else:
        with warehouse.writing(settings) as own:
            land(own, settings, docs, version, report, log=report.warnings.append)
    return report


def prepare_chunk(settings: Settings, todo: list[tuple[str, str]]) -> tuple[list, IngestReport]:
    """Parse, validate and decide one chunk in a worker process; the file's writer lands it."""
    _load_suites()
    report = IngestReport()
    return parse_and_validate(todo, settings.raw_dir, report), report


def _load_suites() -> None:
    for suite in SUITE_FRAMES:
        load_suite(suite)  # a suite file the library rejects fails the run here, naming the file


def _crashed(key: str, source_path: str) -> tuple[list, IngestReport]:
    return [worker_pool.crashed(key, source_path)], IngestReport()


def _prepared_and_landed(con, settings: Settings, chunks: list, version: str, workers: int, report, log) -> None:
    """The file: chunks parsed and validated in ``workers`` processes, landed here in chunk order."""
    total, done = sum(map(len, chunks)), 0
    for parts in worker_pool.prepared(settings, chunks, workers, prepare_chunk, _crashed):
        docs = []
        for chunk_docs, part in parts:
            docs += chunk_docs
            report.add(part)
            Timer.seconds += part.seconds["great_expectations"]  # spent in the worker, counted for the summary
        land(con, settings, docs, version, report)
        done += len(docs) + sum(parts_report.outcome["changed"] for _, parts_report in parts)
        log(f"[{done}/{total}] documents parsed and validated by {workers} processes, landed")


def plan(con, keys: list[str], version: str, force: bool, report: IngestReport) -> list[tuple[str, str]]:
    """The documents of ``keys`` to (re)process; unchanged ones only have their path recorded."""
    files = dict(
        con.execute("SELECT document_id, source_path FROM raw.documents WHERE duplicate_of IS NULL").fetchall()
    )
    todo, moved = [], {}
    landed = set() if force else landing.landed(con, [k for k in keys if k in files], version)  # one query
    for key in keys:
        path = files.get(key)
        if path is None:
            report.warnings.append(f"{key}: not in RAW_DIR any more; nothing to do")
            report.outcome["missing"] += 1
        elif key in landed:
            moved[key] = path
            report.outcome["unchanged"] += 1
        else:
            todo.append((key, path))
    landing.record_paths(con, moved)
    return todo


def _chunks(todo: list, workers: int, lake: bool = True) -> list[list]:
    # at most CHUNK documents. The lake's writers: two chunks per writer at least, so they finish
    # together. The file's workers: as few chunks as give every worker one (each chunk is one Great
    # Expectations run per suite, whose fixed cost is about that of validating 50 documents' rows).
    share = workers if workers == 1 else (2 * workers if lake else workers)
    size = max(1, min(CHUNK, -(-len(todo) // share)))
    return [todo[i : i + size] for i in range(0, len(todo), size)]


def ingest_documents(
    settings: Settings, keys: list[str], force: bool = False, workers: int | None = None, log=print
) -> IngestReport:
    """Parse, validate, decide and land the documents ``keys`` (registered by ``register``)."""
    version = pipeline_version()
    workers = max(1, workers or (settings.writers if settings.lake else settings.workers))
    report = IngestReport()
    with warehouse.writing(settings, log=log) as con:
        warehouse.retry(lambda: landing.ensure_tables(con), log=log)  # the DDL once, before any parallel writer
        todo = warehouse.retry(lambda: plan(con, keys, version, force, report), log=log)
        # the file: worker processes only when there is more than one chunk's work (each imports GX)
        pool = not settings.lake and workers > 1 and len(todo) > CHUNK
        chunks = _chunks(todo, workers if settings.lake or pool else 1, settings.lake)
        if pool:
            _prepared_and_landed(con, settings, chunks, version, workers, report, log)
        elif workers == 1 or not settings.lake:
            _load_suites()
            for i, chunk in enumerate(chunks):
                report.add(process_chunk(settings, chunk, version, con=con))
                log(
                    f"[{sum(map(len, chunks[: i + 1]))}/{len(todo)}] documents parsed, validated and landed "
                    f"({len(keys) - len(todo)} unchanged or missing)"
                )
    if settings.lake and workers > 1 and chunks:
        # the writers validate: only they import Great Expectations (a suite file the library rejects fails
        # the run from the first writer that loads it, naming the file)
        _in_parallel(settings, chunks, version, workers, report, log)
    with warehouse.writing(settings, log=log) as con, _registry_lock(settings) as held:
        report.gone = held(lambda: landing.prune(con))
    if not settings.lake and todo:  # the benchmark compares both figures with its COPY floor
        log(f"landing seconds: wall={report.seconds['land']:.2f}, cpu={report.seconds['land_cpu']:.2f}")
    return report


def _in_parallel(settings: Settings, chunks: list, version: str, workers: int, report: IngestReport, log) -> None:
    """Chunks in ``workers`` writer processes, each a pool of its own: a writer that dies (killed, out of
    memory) loses its chunk alone, whose transaction never committed (the lake holds each document whole or
    not at all), and the others go on. The chunk runs once more in a fresh writer; a chunk whose writer dies
    twice fails the run, naming its documents. (With one pool for all, a death broke the pool: the other
    writers' chunks were lost too and redone in a new pool, whose processes import everything again.)"""
    total, done, lost = sum(map(len, chunks)), 0, []
    queue = deque((chunk, 1) for chunk in chunks)
    writers: list = [None] * min(workers, len(chunks))
    running: dict = {}  # future: (writer, chunk, attempt)
    try:
        while queue or running:
            for i, writer in enumerate(writers):
                if queue and i not in {w for w, _, _ in running.values()}:
                    chunk, attempt = queue.popleft()
                    # spawn, not fork: the parent may hold threads (Dagster, DuckDB) a forked child must not inherit
                    writers[i] = writer or ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
                    running[writers[i].submit(process_chunk, settings, chunk, version)] = (i, chunk, attempt)
            for future in wait(running, return_when=FIRST_COMPLETED).done:
                i, chunk, attempt = running.pop(future)
                try:
                    part = future.result()
                except BrokenProcessPool:
                    writers[i].shutdown(wait=False)
                    writers[i] = None
                    names = [path for _, path in chunk]
                    log(
                        f"a writer process died; {len(names)} documents not confirmed landed"
                        + (", retrying" if attempt == 1 else "")
                    )
                    if attempt == 1:
                        queue.append((chunk, 2))
                    else:
                        lost += names
                    continue
                report.add(part)
                Timer.seconds += part.seconds["great_expectations"]  # spent in the writer, counted for the summary
                done += sum(part.outcome.values())
                log(f"[{done}/{total}] documents parsed, validated and landed by {workers} writers")
    finally:
        for writer in writers:
            if writer is not None:
                writer.shutdown(cancel_futures=True)
    if lost:
        raise RuntimeError(f"writer processes died twice on these documents: {', '.join(lost)}")
