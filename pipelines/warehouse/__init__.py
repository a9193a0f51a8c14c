"""One connection factory for every entry point: the embedded DuckDB file, or the DuckLake lake.

The file (WAREHOUSE_PATH) is the default. With WAREHOUSE_CATALOG and WAREHOUSE_DATA_PATH set, the
warehouse is a DuckLake: its catalog in PostgreSQL, its data as Parquet files under the data path.
The lake holds two DuckLake catalogs in the same PostgreSQL database:

- the working lake (metadata schema ``unwh_work``, data in ``<data path>/work``): raw, seeds, staging,
  intermediate, marts and analytics exactly as the pipeline and dbt build them, like the working file;
- the published lake (the default metadata schema, data in ``<data path>/published``): only ``marts``
  and ``analytics``, replaced in one transaction after a good build (pipelines/publishing/__init__.py). This is
  what readers attach: ``ATTACH 'ducklake:<WAREHOUSE_CATALOG>' AS unwh (READ_ONLY)``.

Every connection, whichever the backend, sees the schemas under their plain names (``marts.fct_resources``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import duckdb

from pipelines.operations.config import Settings
from pipelines.operations.lock import warehouse_lock
from pipelines.warehouse import lake
from pipelines.warehouse.lake import PUBLISHED, WORK

__all__ = ["PUBLISHED", "WORK", "building", "connect", "lake_locks", "reading", "retry", "writing"]
T = TypeVar("T")


def connect(settings: Settings, read_only: bool = False, published: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the working warehouse (or the published one), schemas under their plain names."""
    if not settings.lake:
        path = settings.warehouse_path
        if published:
            from pipelines.publishing import published_path

            path = published_path(path)
        return duckdb.connect(str(path), read_only=read_only)
    return lake.cursor(settings, published=published, read_only=read_only)  # this process's lake instance


@contextmanager
def writing(settings: Settings, log=None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writer's connection. The file allows one writing process: its lock queues the others. The lake
    takes many writers at once (each transaction is checked for conflicts at commit; see ``retry``)."""
    lock = warehouse_lock(settings.lock_path, log=log) if not settings.lake else _nothing()
    with lock:
        con = connect(settings)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def reading(settings: Settings, log=None, published: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection. DuckDB refuses a reader process beside a writer of the same file, so the
    working file is read under the writer lock; the lake and the published copy need none."""
    lock = warehouse_lock(settings.lock_path, log=log) if not settings.lake and not published else _nothing()
    with lock:
        con = connect(settings, read_only=True, published=published)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def building(settings: Settings, log=None) -> Iterator[None]:
    """The dbt build, the outputs and publishing: one at a time on either backend (dbt replaces whole
    tables; two builds at once would conflict). The file: its lock. The lake: a PostgreSQL lock, so builds
    on different machines take turns too."""
    if settings.lake and _pg_dsn(settings):
        with lake_locks(settings) as lock, lock("build", log=log):
            yield
    else:
        with warehouse_lock(settings.lock_path, log=log):
            yield


def _pg_dsn(settings: Settings) -> str | None:
    catalog = settings.warehouse_catalog or ""
    return catalog.removeprefix("postgres:") if catalog.startswith("postgres:") else None


@contextmanager
def lake_locks(settings: Settings):
    """Named locks shared by every writer of the lake, on any machine: PostgreSQL advisory locks held by a
    transaction of a connection of their own. DuckLake sees no conflict between two transactions that
    both insert a new document's rows, so writers take the document's lock before landing it; a writer
    that dies loses its connection, and with it the lock."""
    dsn = _pg_dsn(settings)
    if dsn is None:  # a catalog that is not PostgreSQL: one machine, the file lock beside the data
        yield lambda name, log=None: warehouse_lock(settings.lock_path.with_name(f".lock-{name}"), log=log)
        return
    con = lake.postgres_cursor(settings, dsn)
    try:

        @contextmanager
        def lock(name: str, log=None):
            key = f"unwh:{settings.warehouse_data_path}:{name}".replace("'", "")
            con.execute("BEGIN TRANSACTION")
            try:
                sql = f"SELECT pg_advisory_xact_lock(hashtext('{key}'))"
                con.execute("CALL postgres_execute('unwh_locks', ?)", [sql])
                yield
            finally:
                con.execute("ROLLBACK")  # ends the PostgreSQL transaction: the lock is released

        yield lock
    finally:
        con.close()


@contextmanager
def _nothing():
    yield


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.TransactionException) or "conflict" in str(exc).lower()


def retry(work: Callable[[], T], attempts: int = 30, log=None) -> T:
    """Run a lake transaction again when another writer committed a conflicting change first (DuckLake
    checks conflicts at commit: optimistic concurrency). The work must be a whole transaction."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except duckdb.Error as exc:
            if not is_conflict(exc) or attempt == attempts:
                raise
            if log:
                log(f"lake transaction conflict (attempt {attempt}), retrying: {str(exc).splitlines()[-1][:160]}")
            time.sleep(min(2.0, 0.05 * 2 ** min(attempt, 6)) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")
