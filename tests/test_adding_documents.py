"""After a good run, `unwh run` ranges over the documents new since then (pipelines/cli.py changed_first):
one document added and one moved land as a full run would land them, and the run's range is those two.
The good run is the session's run of the bundled documents (tests/conftest.py): its warehouse is copied,
and its RAW_DIR, a copy of data/raw that nothing reads once that run is over, gains one and moves one."""

from __future__ import annotations

import shutil

from benchmarks import make_corpus
from tests.conftest import RAW, REPORT_2022, bundled_run_output, bundled_warehouse
from tests.scenarios import scenario
from tests.test_operations import query, run

ADDED = make_corpus.Spec("r_81.txt", "report", 81, 0, 1)  # a generated work report (benchmarks/make_corpus.py)
MOVED = REPORT_2022.name


@scenario
def added_after_a_good_run(tmp_path_factory) -> dict:
    built = bundled_warehouse()
    raw, wh = built.parent / "raw", tmp_path_factory.mktemp("adding") / "wh" / built.name
    # the warehouse, its published copy and the state and registry cache the good run left beside it
    shutil.copytree(built.parent, wh.parent, ignore=shutil.ignore_patterns("raw", "run.log"))
    (raw / "moved").mkdir()
    shutil.move(raw / MOVED, raw / "moved" / MOVED)
    (raw / ADDED.name).write_text(make_corpus.render(ADDED), encoding="utf-8")
    steps = {"first": bundled_run_output(), "second": run(raw, wh)}
    steps["log"] = dict(query(wh, "SELECT source_path, status FROM raw.ingest_log"))
    published = wh.parent / "published" / wh.name
    steps["published"] = sorted(p for (p,) in query(published, "SELECT source_path FROM marts.dim_document"))
    steps["raw"] = raw
    return steps


def test_the_run_after_a_good_run_succeeds(added_after_a_good_run):
    proc = added_after_a_good_run["second"]
    assert proc.returncode == 0 and "RESULT: OK" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_the_second_run_parses_the_added_document_and_records_the_moved_one(added_after_a_good_run):
    # two partitions in the run (the added and the moved document), of which only the added one is parsed;
    # the three unchanged documents are not in the run at all (a run over every document says "4 unchanged")
    out = added_after_a_good_run["second"].stdout + added_after_a_good_run["second"].stderr
    assert "[1/1] documents parsed, validated and landed (1 unchanged or missing)" in out


def test_every_document_lands_under_its_current_path(added_after_a_good_run):
    raw = added_after_a_good_run["raw"]
    unmoved = [str(raw / p.name) for p in RAW.iterdir() if p.name != MOVED]
    current = sorted([*unmoved, str(raw / "moved" / MOVED), str(raw / ADDED.name)])
    assert len(current) == 5
    assert sorted(added_after_a_good_run["log"]) == current
    assert set(added_after_a_good_run["log"].values()) == {"parsed"}
    assert added_after_a_good_run["published"] == current


def test_the_addition_builds_only_what_reads_the_landed_rows(added_after_a_good_run):
    # the same dbt project as the first run's: no seed, seed-only model or view is built again
    # (pipelines/defs/dbt.py rows_selection), the incremental marts are, and the views' data tests run
    first, second = added_after_a_good_run["first"], added_after_a_good_run["second"].stdout
    assert "loaded seed file seeds.entities" in first and "sql view model analytics.resources" in first
    assert "OK created sql incremental model marts.fct_resources" in second
    assert "PASS unique_int_documents_document_id" in second and "PASS labels_present_analytics_resources" in second
    assert "seed file" not in second and "sql view model" not in second and "marts.dim_entity" not in second
