from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path

import pytest

from pipelines.document import ParsedDocument
from pipelines.parsing.dispatch import parse_file
from tests import scenarios

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
FASCICLE = RAW / "002_76b708e149a256cd.txt"
REPORT_2022 = RAW / "001_b234d91e145fc020.txt"
HIGHLIGHTS_2023 = RAW / "000_96f0efd4942c3e09.txt"
REVISED_ESTIMATES = RAW / "A_80_400.docx"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def fascicle() -> ParsedDocument:
    return parse_file(FASCICLE)


@pytest.fixture(scope="session")
def fascicle_validated(fascicle) -> dict:
    """The bundled fascicle's validation (suites, consistency rules, findings), once per session."""
    from pipelines.validation import validate_frames

    return validate_frames(fascicle.document_id, fascicle.frames)


@pytest.fixture(scope="session")
def revised_estimates() -> ParsedDocument:
    """A/80/400 read from the 38 MB Word file, once per session (the modules that read it share it: read it,
    never change it)."""
    assert REVISED_ESTIMATES.is_file(), f"{REVISED_ESTIMATES} is missing: bundle ../shared/documents/en/A_80_400.docx"
    doc = parse_file(REVISED_ESTIMATES)
    assert doc.status == "parsed", f"{REVISED_ESTIMATES.name}: {doc.status} {doc.reason} {doc.message}"
    return doc


class BundledRun:
    """`unwh run` on the bundled documents into a temporary warehouse, once per test session. It starts
    in the background as soon as the tests are collected, so it builds while the parser tests run, and
    the first test that reads it waits for it. Its RAW_DIR is a copy of data/raw in its folder, which
    tests/test_adding_documents.py changes once the run is over (adding to a copy of the warehouse)."""

    def __init__(self) -> None:
        self.lock, self.result = threading.Lock(), None
        self.folder = Path(tempfile.mkdtemp(prefix="unwh-test-warehouse-"))
        self.warehouse = self.folder / "un.duckdb"
        self.raw = self.folder / "raw"
        shutil.copytree(RAW, self.raw)
        self.output = open(self.folder / "run.log", "w+", encoding="utf-8")  # noqa: SIM115 - closed in finish()
        env = {**os.environ, "RAW_DIR": str(self.raw), "WAREHOUSE_PATH": str(self.warehouse)}
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "unwh"), "run"],
            cwd=ROOT,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def wait(self) -> Path:
        with self.lock:  # the main thread and a scenario's thread may both wait for it
            if self.result is None:
                code = self.proc.wait(timeout=900)
                self.output.seek(0)
                out = self.output.read()
                self.result = (code, out)
        code, out = self.result
        assert code == 0, out[-6000:]
        assert "RESULT: OK" in out and "=== unwh run summary ===" in out
        return self.warehouse

    def finish(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.output.close()
        shutil.rmtree(self.folder, ignore_errors=True)


# in tests/scenarios.py, not here: this module is imported twice (as pytest's ``conftest`` and as
# ``tests.conftest``, by a scenario that awaits the warehouse), and the session's run must be one
_bundled: list[BundledRun] = scenarios.bundled


class PgCluster:
    """The lake tests' throwaway PostgreSQL cluster (Debian's server, started as a non-root user). It starts in
    a thread before the collection, so that neither the lake's chain of runs, the suite's longest, nor the
    main thread waits for initdb once the tests begin."""

    def __init__(self) -> None:
        from pipelines.warehouse import pgcluster

        self.folder, self.started = Path(tempfile.mkdtemp(prefix="unwh-test-pg-")), Future()
        self.thread = threading.Thread(target=self._up, args=(pgcluster,), daemon=True)
        self.thread.start()

    def _up(self, pgcluster) -> None:
        try:
            self.started.set_result(pgcluster.up(self.folder))
        except BaseException as exc:  # raised by the fixture, in the test that needs it
            self.started.set_exception(exc)

    def finish(self) -> None:
        from pipelines.warehouse import pgcluster

        self.thread.join()
        pgcluster.down(self.folder)
        shutil.rmtree(self.folder, ignore_errors=True)


_cluster: list[PgCluster] = scenarios.cluster


def _postgres_missing() -> str | None:
    """Why the lake tests cannot have their cluster, or None."""
    from pipelines.warehouse import pgcluster

    try:
        pgcluster.bin_dir()
    except pgcluster.PostgresMissing as exc:
        return str(exc)
    return None


@pytest.fixture(scope="session", autouse=True)
def _start_scenarios(request):
    scenarios.start_needed(request)
    yield
    scenarios.cancel_pending()


def pytest_sessionstart(session) -> None:
    # the session's run and the cluster start before the collection, which imports the test modules on one
    # core for ~4 s
    if session.config.option.collectonly:
        return
    if not _bundled:
        _bundled.append(BundledRun())
    if not _cluster and _postgres_missing() is None:
        _cluster.append(PgCluster())


def pytest_collection_modifyitems(session, config, items) -> None:
    # the tests that read what is built in the background run last, the in-process tests meanwhile
    items.sort(key=lambda item: scenarios.rank(item.fixturenames))
    if _bundled and all(scenarios.rank(item.fixturenames) < 0 for item in items):
        _bundled.pop().finish()  # no selected test reads it, nor any scenario they use
    if _cluster and not any(scenarios.uses(item.fixturenames, "pg_cluster") for item in items):
        _cluster.pop().finish()


def pytest_sessionfinish(session, exitstatus) -> None:
    while _bundled:
        _bundled.pop().finish()
    while _cluster:
        _cluster.pop().finish()


def bundled_warehouse() -> Path:
    """The session's warehouse of the bundled documents (see BundledRun), awaited: read it, never write it.
    A scenario's thread calls this (not the fixture, which would wait in the main thread)."""
    if not _bundled:  # selected after collection (not expected): start it now
        _bundled.append(BundledRun())
    return _bundled[0].wait()


def bundled_run_output() -> str:
    """What the session's `unwh run` of the bundled documents printed (awaited)."""
    bundled_warehouse()
    return _bundled[0].result[1]


@pytest.fixture(scope="session")
def built_warehouse() -> Path:
    """The session's warehouse of the bundled documents (see BundledRun): read it, never write it."""
    return bundled_warehouse()


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's PostgreSQL cluster for the lake tests (see PgCluster), awaited."""
    missing = _postgres_missing()
    if missing:
        pytest.skip(f"lake tests need PostgreSQL: {missing}")
    if not _cluster:  # selected after collection (not expected): start it now
        _cluster.append(PgCluster())
    return _cluster[0].started.result()
