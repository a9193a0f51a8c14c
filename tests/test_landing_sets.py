"""Set-based landing steps: which documents are already landed, moved files' logs, and the prune of
documents that left RAW_DIR (with the last good version of a file whose new version did not land kept)."""

from __future__ import annotations

import duckdb
import pytest

from pipelines import landing
from pipelines.operations.registry import RawFile


def _file(path: str, doc: str) -> RawFile:
    return RawFile(path, doc, "sha-" + doc, 10, 0, "budget_fascicle", None)


def _log(con, doc: str, path: str, status: str, version: str = "v1") -> None:
    con.execute(
        "INSERT INTO raw.ingest_log (document_id, source_path, status, message, pipeline_version) "
        "VALUES (?, ?, ?, ?, ?)",
        [doc, path, status, f"{path}: {status}", version],
    )


def _facts(con, doc: str | None, n: int) -> None:
    for i in range(n):
        con.execute("INSERT INTO raw.resources (document_id, source_line, value) VALUES (?, ?, ?)", [doc, i, 1.0])


@pytest.fixture
def con():
    con = duckdb.connect(":memory:")
    landing.ensure_tables(con)
    # RAW_DIR now: a.txt (doc A, landed), b.txt (new version B2 quarantined; B1 was the last good one)
    landing.write_registry(con, [_file("/raw/a.txt", "A"), _file("/raw/b.txt", "B2")])
    _log(con, "A", "/raw/a.txt", "parsed")
    _log(con, "B1", "/raw/b.txt", "parsed")
    _log(con, "B2", "/raw/b.txt", "quarantined")
    _log(con, "C", "/raw/c.txt", "parsed")  # c.txt left RAW_DIR
    _facts(con, "A", 3)
    _facts(con, "B1", 2)
    _facts(con, "C", 4)
    _facts(con, None, 1)  # a row without a document id is not a document's row: never pruned
    yield con
    con.close()


def _ids(con, table: str) -> dict:
    return dict(con.execute(f"SELECT document_id, count(*) FROM raw.{table} GROUP BY 1").fetchall())


def test_prune_removes_the_documents_that_left_and_keeps_the_last_good_version(con):
    assert landing.prune(con) == ["/raw/c.txt"]
    assert _ids(con, "resources") == {"A": 3, "B1": 2, None: 1}
    assert _ids(con, "ingest_log") == {"A": 1, "B1": 1, "B2": 1}


def test_a_second_prune_removes_nothing(con):
    landing.prune(con)
    assert landing.prune(con) == []
    assert _ids(con, "resources") == {"A": 3, "B1": 2, None: 1}


def test_landed_is_per_document_and_pipeline_version(con):
    assert landing.landed(con, ["A", "B2", "C", "D"], "v1") == {"A", "B2", "C"}
    assert landing.landed(con, ["A"], "v2") == set()
    assert landing.landed(con, [], "v1") == set()
    assert {d for d in ["A", "B2", "C", "D"] if landing.already_landed(con, d, "v1")} == {"A", "B2", "C"}


def test_record_paths_renames_the_logs_of_moved_documents(con):
    landing.record_paths(con, {"A": "/raw/moved/a.txt", "C": "/raw/c.txt"})
    rows = dict(con.execute("SELECT document_id, source_path || ' | ' || message FROM raw.ingest_log").fetchall())
    assert rows["A"] == "/raw/moved/a.txt | /raw/moved/a.txt: parsed"
    assert rows["C"] == "/raw/c.txt | /raw/c.txt: parsed"
    assert rows["B1"] == "/raw/b.txt | /raw/b.txt: parsed"
