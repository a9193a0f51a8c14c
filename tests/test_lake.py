"""The DuckLake backend on the session's throwaway PostgreSQL cluster, one lake built by one sequence of
runs (tests/scenarios.py): the same marts as the file, parallel writers, readers during runs, kill -9 of
a writer and of a run, and the rerun that repairs it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import duckdb
import pytest

from benchmarks import make_corpus
from tests.conftest import RAW, ROOT
from tests.lake_helpers import UNWH, checksums, new_lake, reader, settings_for, unwh
from tests.scenarios import scenario


def test_the_lake_publishes_the_same_marts_as_the_file(lake_runs, built_warehouse):
    result = lake_runs["first"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "RESULT: OK" in result.stdout and "by 2 writers" in result.stdout + result.stderr
    published_file = duckdb.connect(str(built_warehouse.parent / "published" / built_warehouse.name), read_only=True)
    try:
        expected = checksums(published_file)
    finally:
        published_file.close()
    got = lake_runs["first_checksums"]
    # the extensions were loaded as DuckDB's signed builds: unsigned ones are refused in this process
    assert lake_runs["allow_unsigned_extensions"] is False
    assert {"marts.fct_resources", "marts.fct_kpis_yoy", "analytics.resources"} <= set(expected)
    assert got == expected, {
        k: (expected.get(k), got.get(k)) for k in expected.keys() | got.keys() if expected.get(k) != got.get(k)
    }


class Readers:
    """BI users querying the published lake in a loop while runs write: errors and every state seen."""

    SQL = (
        "SELECT (SELECT count(*) FROM marts.fct_resources), (SELECT count(*) FROM marts.dim_document), "
        "(SELECT count(*) FROM analytics.resources)"
    )

    def __init__(self, env: dict, n: int = 3):
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
                self.stop.wait(0.05)
        finally:
            con.close()

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


def published_states(env: dict) -> set[tuple]:
    """The reader query's answer at every snapshot of the published lake (DuckLake time travel)."""
    con = reader(env)
    try:
        versions = [v for (v,) in con.execute("SELECT snapshot_id FROM unwh.snapshots()").fetchall()]
        states = set()
        for v in versions:
            at = f"AT (VERSION => {v})"
            try:
                states.add(
                    con.execute(
                        f"SELECT (SELECT count(*) FROM marts.fct_resources {at}), (SELECT count(*) "
                        f"FROM marts.dim_document {at}), (SELECT count(*) FROM analytics.resources "
                        f"{at})"
                    ).fetchone()
                )
            except duckdb.Error:
                pass  # before the first publish the tables did not exist yet
        return states
    finally:
        con.close()


def per_document(env: dict) -> dict[str, tuple]:
    """Per landed document: (in ingest_log, resources, posts, kpis) rows in the working lake's raw schema."""
    from pipelines import warehouse

    with warehouse.reading(settings_for(env)) as con:
        rows = con.execute("""
            SELECT document_id, max(logged), sum(r), sum(p), sum(k) FROM (
                SELECT document_id, 1 AS logged, 0 AS r, 0 AS p, 0 AS k FROM raw.ingest_log WHERE status = 'parsed'
                UNION ALL SELECT document_id, 0, 1, 0, 0 FROM raw.resources
                UNION ALL SELECT document_id, 0, 0, 1, 0 FROM raw.posts
                UNION ALL SELECT document_id, 0, 0, 0, 1 FROM raw.kpis) GROUP BY 1""").fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


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


# One lake for the session: the bundled documents first (the same marts as the file), then two generated
# fascicles (a document lands in every fact table at once) and six generated work reports (tiny), landed by
# two runs at once, one of them on two writers (eight documents in four chunks), one of which is killed.
ADDED = [
    make_corpus.Spec("f_11.txt", "fascicle", 79, 11, 2),
    make_corpus.Spec("f_12.txt", "fascicle", 79, 12, 3),
    *(make_corpus.Spec(f"r_{s}.txt", "report", s, 0, 1) for s in range(79, 85)),
]
BUNDLED = len(list(RAW.iterdir()))


def write(raw: Path, specs) -> None:
    raw.mkdir(exist_ok=True)
    for spec in specs:
        (raw / spec.name).write_text(make_corpus.render(spec), encoding="utf-8")


def two_runs_at_once_one_losing_a_writer(env: dict) -> list[tuple[str, int]]:
    """Two runs at once, the first on two writers, one of which is killed -9 mid-run (the run goes on), the
    second on one writer: (output, exit code) of each."""
    proc = start(env)  # first: it plans while the other starts, so it has chunks to land
    other = start(env, workers=1)
    out = wait_for(proc, "documents parsed, validated and landed by 2 writers")
    os.kill(writer_processes(proc.pid)[0], signal.SIGKILL)
    out += proc.communicate(timeout=1500)[0]
    return [(out, proc.wait()), (other.communicate(timeout=1500)[0], other.wait())]


def kill_the_run(env: dict) -> tuple[int, str]:
    """kill -9 of the whole run in the middle of landing."""
    proc = start(env, start_new_session=True)
    out = wait_for(proc, "documents parsed, validated and landed by 2 writers")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=120)
    return proc.returncode, out


def first_run(env: dict) -> dict:
    """The bundled documents on an empty lake, by two writers: what it publishes, what it landed."""
    steps = {"first": unwh(env, "--workers", "2")}
    con = reader(env)
    try:
        steps["first_checksums"] = checksums(con)
        steps["allow_unsigned_extensions"] = con.execute(
            "SELECT current_setting('allow_unsigned_extensions')"
        ).fetchone()[0]
    finally:
        con.close()
    steps["clean"] = per_document(env)
    return steps


@scenario
def lake_runs(pg_cluster, tmp_path_factory) -> dict:
    """One lake: the bundled documents, then two runs at once with readers and kill -9 of a writer of one,
    kill -9 of a run, and the rerun that repairs it."""
    tmp = tmp_path_factory.mktemp("lake_runs")
    env = new_lake(pg_cluster, tmp, RAW)
    steps = first_run(env)  # from data/raw itself: dim_document names the same files as the file's
    raw = tmp / "raw"
    shutil.copytree(RAW, raw)  # the same documents moved to a folder of their own: their paths are updated
    env["RAW_DIR"] = str(raw)
    write(raw, ADDED)  # two runs writing at once, three readers querying the published marts meanwhile
    with Readers(env) as readers:
        steps["at_once"] = two_runs_at_once_one_losing_a_writer(env)
    steps["readers"], steps["published"] = readers, published_states(env)
    steps["after_at_once"] = per_document(env)
    touch(raw)
    steps["run_killed"] = kill_the_run(env)
    steps["after_run_killed"] = per_document(env)
    steps["rerun"] = unwh(env, "--workers", "1")  # the repair: the writers are tested above
    steps["after_rerun"] = per_document(env)
    con = reader(env)
    try:
        steps["published_documents"] = con.execute("SELECT count(*) FROM marts.dim_document").fetchone()[0]
    finally:
        con.close()
    return steps


def test_parallel_writers_land_every_document_once(lake_runs):
    first = lake_runs["first"]
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    clean = lake_runs["clean"]
    assert len(clean) == BUNDLED and all(v[0] == 1 for v in clean.values())


def test_two_runs_at_once_while_readers_query(lake_runs):
    outs = [out for out, _ in lake_runs["at_once"]]
    assert [code for _, code in lake_runs["at_once"]] == [0, 0], "\n".join(o[-2500:] for o in outs)
    readers = lake_runs["readers"]
    assert readers.errors == [] and readers.seen, readers.errors[:3]
    assert readers.seen <= lake_runs["published"], "a reader saw a state that was never published whole"
    assert len(lake_runs["after_at_once"]) == BUNDLED + len(ADDED)


def test_kill_9_of_a_writer_lands_each_document_whole_or_not_at_all(lake_runs):
    whole = set(lake_runs["clean"].values())
    out, code = lake_runs["at_once"][0]  # the run on two writers, one killed; the other run beside it
    assert code == 0 and "a writer process died" in out, out[-3000:]
    after = lake_runs["after_at_once"]
    assert len(after) == BUNDLED + len(ADDED) and set(after.values()) <= whole


def test_kill_9_of_the_run_and_the_rerun_that_repairs(lake_runs):
    whole = set(lake_runs["clean"].values())
    code, out = lake_runs["run_killed"]
    assert code == -signal.SIGKILL, out[-2000:]
    for doc, counts in lake_runs["after_run_killed"].items():
        assert counts in whole, (doc, counts)  # all of a document's rows, with its log entry
    rerun = lake_runs["rerun"]
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    after = lake_runs["after_rerun"]
    assert len(after) == BUNDLED + len(ADDED) and set(after.values()) <= whole
    assert lake_runs["published_documents"] >= BUNDLED + len(ADDED)


@pytest.mark.parametrize("missing", ["WAREHOUSE_CATALOG", "WAREHOUSE_DATA_PATH"])
def test_the_lake_needs_both_settings(monkeypatch, missing):
    from pipelines.operations.config import Settings

    monkeypatch.setenv("WAREHOUSE_CATALOG", "postgres:dbname=x")
    monkeypatch.setenv("WAREHOUSE_DATA_PATH", "/tmp/x")
    monkeypatch.delenv(missing)
    with pytest.raises(ValueError, match="needs both"):
        Settings.from_env()
