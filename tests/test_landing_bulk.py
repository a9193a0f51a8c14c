"""Landing a chunk in bulk (pipelines/landing: one contiguous Arrow table per table, DuckDB on one thread,
no vacuum in a commit that deletes nothing) lands exactly the documents' frames, the same rows as landing
them one at a time, leaves the same rows when run again, and gives the connection its settings back."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from benchmarks import make_corpus
from pipelines import landing
from pipelines.frames import ALL_FRAMES
from pipelines.parsing.dispatch import parse_file


@pytest.fixture(scope="module")
def docs():
    return [parse_file(path) for path in (make_corpus.FASCICLE, make_corpus.REPORT, make_corpus.HIGHLIGHTS)]


def _table(con, name: str) -> pl.DataFrame:
    return con.execute(f"SELECT * FROM raw.{name} ORDER BY ALL").pl()


def _settings(con) -> tuple:
    return con.execute("SELECT current_setting('threads'), current_setting('max_vacuum_tasks')").fetchone()


def test_a_bulk_chunk_lands_the_frames_themselves(tmp_path, docs, monkeypatch):
    monkeypatch.setattr(landing, "BULK_ROWS", 1)  # these three documents count as a bulk chunk
    con = duckdb.connect(str(tmp_path / "bulk.duckdb"))
    before = _settings(con)
    with landing.single_threaded(con):
        assert _settings(con)[0] == 1
        landing.land_documents(con, docs, "v1")
    assert _settings(con) == before
    resources = pl.concat([d.frames["resources"] for d in docs])
    assert resources.height > 1000  # the fascicle alone prints hundreds of resource figures
    landed = con.execute("SELECT * FROM raw.resources").pl()  # in landing order
    assert_frame_equal(landed, resources.select(landed.columns))
    assert con.execute("SELECT count(*) FROM raw.ingest_log").fetchone()[0] == 3
    con.close()


def test_bulk_and_one_by_one_land_the_same_rows_and_a_rerun_changes_nothing(tmp_path, docs, monkeypatch):
    one = duckdb.connect(str(tmp_path / "one.duckdb"))
    for doc in docs:
        landing.land_document(one, doc, "v1")
    monkeypatch.setattr(landing, "BULK_ROWS", 1)
    bulk = duckdb.connect(str(tmp_path / "bulk.duckdb"))
    landing.land_documents(bulk, docs, "v1")
    first = {name: _table(bulk, name) for name in ALL_FRAMES}
    landing.land_documents(bulk, docs, "v1")  # known documents: their rows are replaced, with vacuum
    for name in ALL_FRAMES:
        assert_frame_equal(_table(bulk, name), _table(one, name))
        assert_frame_equal(_table(bulk, name), first[name])
    one.close()
    bulk.close()
