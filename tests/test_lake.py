"""The DuckLake backend on the session's throwaway PostgreSQL cluster, one lake built by one sequence of
runs (tests/scenarios.py): a first run on two writers, one of them killed -9, that publishes the same marts
as the file; two runs at once (an addition after the lake's last good run: each builds only what reads the
landed rows), with readers of the published lake meanwhile; then a rerun with nothing changed, which stops
at the lake's last good run. (A whole run killed -9, while it lands or builds, is tested on the file,
tests/test_operations.py: the next run repairs it. On the lake it cost a run of its own, ~15 s of CPU, for
what the writer killed here shows: each document lands whole or not at all, and what is missing lands.)"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest

from benchmarks import make_corpus
from tests.conftest import RAW, ROOT
from tests.lake_helpers import UNWH, checksums, new_lake, reader, settings_for, unwh
from tests.scenarios import scenario


class Readers:
    """BI users querying the published lake in a loop while runs write: errors and every state seen. Each
    query costs ~15 ms of CPU here and in PostgreSQL: four a second, two readers, over a publish of ~30
    tables that a torn state would expose (every 0.1 s, they cost ~10 s of the suite's CPU)."""

    PAUSE = 0.25

    SQL = (
        "SELECT (SELECT count(*) FROM marts.fct_resources), (SELECT count(*) FROM marts.dim_document), "
        "(SELECT count(*) FROM analytics.resources)"
    )

    def __init__(self, env: dict, n: int = 2):
        self.env, self.errors, self.seen, self.stop = env, [], set(), threading.Event()
        self.threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(n)]

    def _loop(self) -> None:
        con = reader(self.env)
        try:
            while not self.stop.is_set():
                try:
                    self.seen.add(con.execute(self.SQL).fetchone())
                except duckdb.Error as exc:  # a reader must never see an error
                    self.errors.append(str(exc))
                self.stop.wait(self.PAUSE)
        finally:
            con.close()

    def await_state(self, state: tuple, timeout: float = 60) -> None:
        """Until a reader has seen ``state`` (the one the last run published), so that they straddled it."""
        deadline = time.monotonic() + timeout
        while state not in self.seen and not self.errors and time.monotonic() < deadline:
            time.sleep(0.1)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


def published_states(env: dict) -> set[tuple]:
    """The reader query's answer at every publish of the published lake (DuckLake time travel): the snapshots
    committed with the publish's message, so that a publish split over several commits would leave states
    a reader may see but that are not here."""
    con = reader(env)
    try:
        versions = [
            v
            for (v,) in con.execute(
                "SELECT snapshot_id FROM unwh.snapshots() WHERE commit_message LIKE 'publish % relations'"
            ).fetchall()
        ]
        states = set()
        for v in versions:
            at = f"AT (VERSION => {v})"
            states.add(
                con.execute(
                    f"SELECT (SELECT count(*) FROM marts.fct_resources {at}), (SELECT count(*) "
                    f"FROM marts.dim_document {at}), (SELECT count(*) FROM analytics.resources {at})"
                ).fetchone()
            )
        return states
    finally:
        con.close()


PER_DOCUMENT = """
    SELECT document_id, max(logged), sum(r), sum(p), sum(k) FROM (
        SELECT document_id, 1 AS logged, 0 AS r, 0 AS p, 0 AS k FROM raw.ingest_log WHERE status = 'parsed'
        UNION ALL SELECT document_id, 0, 1, 0, 0 FROM raw.resources
        UNION ALL SELECT document_id, 0, 0, 1, 0 FROM raw.posts
        UNION ALL SELECT document_id, 0, 0, 0, 1 FROM raw.kpis) GROUP BY 1"""


def per_document(env: dict) -> dict[str, tuple]:
    """Per landed document: (in ingest_log, resources, posts, kpis) rows in the working lake's raw schema."""
    from pipelines import warehouse

    with warehouse.reading(settings_for(env)) as con:
        return {r[0]: tuple(r[1:]) for r in con.execute(PER_DOCUMENT).fetchall()}


def in_the_file(built_warehouse: Path) -> dict[str, tuple]:
    """The same per document in the session's file warehouse of the bundled documents: what whole is."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        return {r[0]: tuple(r[1:]) for r in con.execute(PER_DOCUMENT).fetchall()}
    finally:
        con.close()


def touch(raw) -> None:
    for path in sorted(raw.glob("*.txt")):
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # new content, same facts


def start(env: dict, workers: int = 2, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [str(UNWH), "run", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kw,
    )


def wait_for(proc: subprocess.Popen, words: str) -> str:
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if words in line:
            break
    return "".join(seen)


def writer_processes(parent: int) -> list[int]:
    """The run's worker processes (multiprocessing spawn children), not its resource tracker."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmd = (stat.parent / "cmdline").read_bytes().decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and "spawn_main" in cmd:
            found.append(int(stat.parent.name))
    return sorted(found)


# One lake for the session. First a run from data/raw itself (the files of the same names as the session's file
# warehouse reads from its copy) on two writers (the four bundled documents in four chunks), one of which is killed:
# the same marts as the file. Then the same documents moved to a folder of their own (their paths are updated), every
# text document given new content (same facts, new document ids) and one generated fascicle (a document lands in
# every fact table at once) and three generated work reports (tiny) added: two runs at once land them (seven
# documents, the first run's in four chunks), each publishing while readers query the published lake. Two runs at
# once on the file: tests/test_operations.py.
ADDED = [
    make_corpus.Spec("f_11.txt", "fascicle", 79, 11, 2),
    *(make_corpus.Spec(f"r_{s}.txt", "report", s, 0, 1) for s in range(79, 82)),
]
BUNDLED = len(list(RAW.iterdir()))


def write(raw: Path, specs) -> None:
    raw.mkdir(exist_ok=True)
    for spec in specs:
        (raw / spec.name).write_text(make_corpus.render(spec), encoding="utf-8")


def losing_a_writer(env: dict) -> tuple[str, int]:
    """A run on two writers, one of which is killed -9 once the first chunk is landed (the run goes on):
    its output and exit code."""
    proc = start(env)
    out = wait_for(proc, "documents parsed, validated and landed by 2 writers")
    os.kill(writer_processes(proc.pid)[0], signal.SIGKILL)
    out += proc.communicate(timeout=1500)[0]
    return out, proc.wait()


def two_runs_at_once(env: dict) -> list[tuple[str, int]]:
    """Two runs at once, the first on two writers, the second on one, started once the first has landed a
    chunk, so that it lands beside the first's writers: (output, exit code) of each."""
    proc = start(env)
    out = wait_for(proc, "documents parsed, validated and landed by 2 writers")
    other = start(env, workers=1)
    out += proc.communicate(timeout=1500)[0]
    return [(out, proc.wait()), (other.communicate(timeout=1500)[0], other.wait())]


# the session's file warehouse reads a copy of data/raw in its own folder (tests/conftest.py), the lake data/raw
# itself: the documents' paths differ, their names and everything else are the same
WHERE_THE_FILES_ARE = ("source_path",)


def names_of_the_files(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    sql = "SELECT document_id, parse_filename(source_path) FROM marts.dim_document ORDER BY 1"
    return con.execute(sql).fetchall()


def published(env: dict) -> dict:
    """What the published lake holds (checksums, dim_document's rows, the reader query's answer), and
    whether this reader's process refuses unsigned extensions."""
    con = reader(env)
    unsigned = "SELECT current_setting('allow_unsigned_extensions')"
    try:
        return {
            "checksums": checksums(con, without=WHERE_THE_FILES_ARE),
            "file_names": names_of_the_files(con),
            "documents": con.execute("SELECT count(*) FROM marts.dim_document").fetchone()[0],
            "state": con.execute(Readers.SQL).fetchone(),
            "allow_unsigned_extensions": con.execute(unsigned).fetchone()[0],
        }
    finally:
        con.close()


@scenario(rank=3)  # four runs in turn, the longest scenario
def lake_runs(pg_cluster, tmp_path_factory) -> dict:
    """One lake: a run losing a writer to kill -9, then two runs at once, with readers querying the published
    lake meanwhile, then a rerun with nothing changed."""
    tmp = tmp_path_factory.mktemp("lake_runs")
    env = new_lake(pg_cluster, tmp, RAW)
    steps = {"losing_a_writer": losing_a_writer(env)}
    steps["first"], steps["clean"] = published(env), per_document(env)
    raw = tmp / "raw"
    shutil.copytree(RAW, raw)
    env["RAW_DIR"] = str(raw)
    write(raw, ADDED)
    touch(raw)
    with Readers(env) as readers:  # from the bundled documents' published state on
        steps["at_once"] = two_runs_at_once(env)
        steps["last"] = published(env)
        readers.await_state(steps["last"]["state"])
    steps["readers"], steps["published"] = readers, published_states(env)
    steps["after_at_once"] = per_document(env)
    after_a_good_run(env, raw, steps)
    return steps


def after_a_good_run(env: dict, raw: Path, steps: dict) -> None:
    """The lake's last good run (pipelines/publishing/lake_state.py) as the two runs at once left it, and a
    rerun with nothing changed. (One document added alone is tested on the file, tests/test_adding_documents.py:
    on the lake it would cost a run of its own, ~30 s of CPU, for what the two runs at once already show.)"""
    from pipelines.publishing import lake_state

    steps["raw"], steps["state_after_at_once"] = str(raw), lake_state.read(settings_for(env))
    steps["unchanged"] = unwh(env)


def _outputs(runs) -> str:
    return "\n".join(out[-2500:] for out, _ in runs)


def test_the_lake_publishes_the_same_marts_as_the_file(lake_runs, built_warehouse):
    out, code = lake_runs["losing_a_writer"]
    assert code == 0 and "RESULT: OK" in out and "by 2 writers" in out, out[-3000:]
    published_file = duckdb.connect(str(built_warehouse.parent / "published" / built_warehouse.name), read_only=True)
    try:
        expected = checksums(published_file, without=WHERE_THE_FILES_ARE)
        file_names = names_of_the_files(published_file)
    finally:
        published_file.close()
    got = lake_runs["first"]["checksums"]
    assert lake_runs["first"]["file_names"] == file_names
    # the extensions were loaded as DuckDB's signed builds: unsigned ones are refused in this process
    assert lake_runs["first"]["allow_unsigned_extensions"] is False
    assert {"marts.fct_resources", "marts.fct_kpis_yoy", "analytics.resources"} <= set(expected)
    assert got == expected, {
        k: (expected.get(k), got.get(k)) for k in expected.keys() | got.keys() if expected.get(k) != got.get(k)
    }


def test_parallel_writers_land_every_document_once(lake_runs, built_warehouse):
    # two writers, one killed, its chunks landed again by new ones: each bundled document's rows as the file's
    # single writer landed them
    file = in_the_file(built_warehouse)
    assert len(file) == BUNDLED and all(v[0] == 1 for v in file.values())
    assert lake_runs["clean"] == file


def test_two_runs_at_once_land_each_document_once_and_both_publish(lake_runs, built_warehouse):
    at_once = lake_runs["at_once"]  # each landing beside the other's writers
    assert [code for _, code in at_once] == [0, 0], _outputs(at_once)
    assert all("RESULT: OK" in out for out, _ in at_once) and "by 2 writers" in at_once[0][0]
    whole = set(in_the_file(built_warehouse).values())
    after = lake_runs["after_at_once"]  # all of each document's rows, with its log entry
    assert len(after) == BUNDLED + len(ADDED) and set(after.values()) <= whole
    assert lake_runs["last"]["documents"] >= BUNDLED + len(ADDED)


def test_readers_during_runs_see_only_whole_published_states(lake_runs):
    readers = lake_runs["readers"]
    assert readers.errors == [], readers.errors[:3]
    assert readers.seen <= lake_runs["published"], "a reader saw a state that was never published whole"
    # they read across a publish: the bundled documents' state, then the two runs' at once
    before, after = lake_runs["first"]["state"], lake_runs["last"]["state"]
    assert before != after and {before, after} <= readers.seen, readers.seen


def test_kill_9_of_a_writer_lands_each_document_whole_or_not_at_all(lake_runs, built_warehouse):
    out, code = lake_runs["losing_a_writer"]
    assert code == 0 and "a writer process died" in out, out[-3000:]
    assert lake_runs["clean"] == in_the_file(built_warehouse)


@pytest.mark.parametrize("missing", ["WAREHOUSE_CATALOG", "WAREHOUSE_DATA_PATH"])
def test_the_lake_needs_both_settings(monkeypatch, missing):
    from pipelines.operations.config import Settings

    monkeypatch.setenv("WAREHOUSE_CATALOG", "postgres:dbname=x")
    monkeypatch.setenv("WAREHOUSE_DATA_PATH", "/tmp/x")
    monkeypatch.delenv(missing)
    with pytest.raises(ValueError, match="needs both"):
        Settings.from_env()


def test_a_rerun_with_nothing_changed_stops_at_the_lakes_last_good_run(lake_runs):
    state = lake_runs["state_after_at_once"]  # recorded by their publish, in the lake itself
    assert state is not None and len(state["files"]) == BUNDLED + len(ADDED)
    assert all(path.startswith(lake_runs["raw"] + "/") for path, _ in state["files"])
    unchanged = lake_runs["unchanged"]
    assert unchanged.returncode == 0 and "RESULT: OK" in unchanged.stdout, unchanged.stdout[-2000:]
    assert "no change since the last successful run" in unchanged.stdout
    assert "Running dbt command" not in unchanged.stdout + unchanged.stderr


def test_an_addition_after_a_good_run_builds_only_what_reads_the_landed_rows(lake_runs):
    # the same dbt project as the last good build's (the first run): no seed, seed-only model or view is
    # built again (pipelines/defs/dbt.py rows_selection); its dbt step waits for the landing (the marts hold
    # every added document, test_two_runs_at_once_land_each_document_once_and_both_publish)
    (first, _), (second, _) = lake_runs["at_once"]
    assert "OK created sql incremental model marts.fct_resources" in first, first[-3000:]
    assert all("seed file" not in out and "sql view model" not in out for out in (first, second))


def test_the_lakes_state_is_recorded_read_and_removed(pg_cluster, tmp_path):
    from pipelines.landing import transaction
    from pipelines.publishing import lake_state
    from pipelines.warehouse import lake

    settings = settings_for(new_lake(pg_cluster, tmp_path, RAW))
    assert lake_state.read(settings) is None  # a new lake: no last good run
    state = {"files": [("/raw/a.txt", "doc-a"), ("/raw/b.txt", "doc-b")], "pipeline": "v1", "dbt": "d1"}
    published, con = lake.attached(settings, published=True), lake.cursor(settings, published=True)
    try:
        with transaction(con):  # as the publish transaction writes it
            lake_state.write(con, published, state)
        assert lake_state.read(settings) == state
        lake_state.forget(settings)  # a run that rebuilds what depends on the dbt project alone
        assert lake_state.read(settings) is None
        with transaction(con):
            lake_state.write(con, published, state)
        with transaction(con):  # a publish that computed no state (launched from Dagster)
            lake_state.write(con, published, None)
        assert lake_state.read(settings) is None
    finally:
        con.close()


def test_a_lake_lock_waits_on_an_instance_of_one_thread(pg_cluster, tmp_path):
    # with worker threads, a worker ran a lock's wait while the caller polled DuckDB's task queue without pause:
    # a run waiting 10 s for another's build spent 10 s of CPU (pipelines/warehouse/lake.py postgres_cursor)
    from pipelines.warehouse import lake

    settings = settings_for(new_lake(pg_cluster, tmp_path, RAW))
    con = lake.postgres_cursor(settings, settings.warehouse_catalog.removeprefix("postgres:"))
    assert con.execute("SELECT current_setting('threads')").fetchone() == (1,)
