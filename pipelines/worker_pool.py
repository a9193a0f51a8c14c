"""Parsing and validation in worker processes, for the file's single writer to land.

Parsing and validating are pure CPU and per document; landing on the file is one writer. So worker
processes prepare chunks of documents (parse, validate, decide) and hand them back in chunk order;
the main process lands each as it arrives. At most ``workers + 1`` chunks are in flight, so memory
stays bounded whatever the run's size. A worker that dies (killed, out of memory, a crash in native
code) breaks the pool: the chunks it held are then prepared again one document at a time, each in a
fresh process if need be, and the document whose process dies again is quarantined, naming the file;
the others land.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from pipelines.document import PARSER_CRASHED, ParsedDocument
from pipelines.reading.files import refused

Chunk = list[tuple[str, str]]  # (document id, source path)
SYSTEMIC = 3  # processes dying on this many documents in a row: the run fails instead
# The workers yield the core to the writer: landing is the run's one serial step, and a writer that waits
# for a core holds back every worker (at most workers + 1 chunks in flight). Measured at 1,000 documents:
# the writer spent 17 s landing for 10 s of CPU, waiting for the cores the workers held.
WORKER_NICENESS = 5


@contextmanager
def _pool(workers: int):
    """Spawned processes (never forked: the parent may hold threads, Dagster's or DuckDB's), each with
    one Polars thread (the processes already share the cores, more threads only contend), at a lower
    priority than the writer (WORKER_NICENESS)."""
    before = os.environ.get("POLARS_MAX_THREADS")
    os.environ["POLARS_MAX_THREADS"] = "1"  # read by Polars when a spawned child imports it
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=os.nice,
            initargs=(WORKER_NICENESS,),
        ) as pool:
            try:
                yield pool
            except BaseException:  # the run fails (or its consumer stops): the chunks not started are dropped
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:
        if before is None:
            os.environ.pop("POLARS_MAX_THREADS", None)
        else:
            os.environ["POLARS_MAX_THREADS"] = before


def prepared(settings, chunks: list[Chunk], workers: int, prepare, on_crash) -> Iterator[list]:
    """``[prepare(settings, chunk)]`` for every chunk, in chunk order, computed in ``workers`` processes
    (``prepare`` is a module-level function: it is pickled by name). For a chunk whose process died, one
    result per document instead, ``on_crash(document id, source path)`` for a document that kills its
    process again."""
    queue = deque(chunks)
    while queue:
        broken: list[Chunk] = []
        with _pool(workers) as pool:
            flight = deque()
            while queue or flight:
                while queue and len(flight) < workers + 1:
                    chunk = queue.popleft()
                    flight.append((chunk, pool.submit(prepare, settings, chunk)))
                chunk, future = flight.popleft()
                try:
                    yield [future.result()]
                except BrokenProcessPool:
                    broken = [chunk] + [c for c, _ in flight]
                    break
        for chunk in broken:  # one document at a time: only the one that kills its process is lost
            yield _one_by_one(settings, chunk, prepare, on_crash)


def _one_by_one(settings, chunk: Chunk, prepare, on_crash) -> list:
    """``prepare`` on each document alone; a document whose process dies is quarantined as crashed."""
    parts, pool, in_a_row = [], None, 0
    try:
        for key, path in chunk:
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            try:
                parts.append(pool.submit(prepare, settings, [(key, path)]).result())
                in_a_row = 0
            except BrokenProcessPool:
                pool.shutdown()
                pool, in_a_row = None, in_a_row + 1
                if in_a_row == SYSTEMIC:  # not the documents: the processes cannot work at all
                    raise RuntimeError(
                        f"worker processes died on {SYSTEMIC} documents in a row, up to {path}"
                    ) from None
                parts.append(on_crash(key, path))
    finally:
        if pool is not None:
            pool.shutdown()
    return parts


def crashed(key: str, source_path: str) -> ParsedDocument:
    """A document whose worker process died while parsing or validating it: quarantined, naming the file."""
    path = Path(source_path)
    raw = path.read_bytes() if path.is_file() else b""
    doc = refused(
        path,
        raw,
        PARSER_CRASHED,
        f"{source_path}: the process parsing and validating it died (killed, out of memory or a crash in "
        "native code), twice; nothing of it landed",
    )
    doc.document_id = key  # its registered id, so the run accounts for it like any other document
    return doc
