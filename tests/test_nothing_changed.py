"""`unwh run` stops before importing Dagster only when nothing its result depends on has changed.

The decision (pipelines.cli.nothing_changed) is tested on a temporary RAW_DIR and warehouse whose
"last successful run" state is written the way a run writes it; no pipeline runs here.
"""

from __future__ import annotations

import os
import shutil

import pytest

from pipelines import cli
from pipelines.operations import config, registry, version
from pipelines.operations.config import Settings
from pipelines.publishing import published_path
from tests.conftest import HIGHLIGHTS_2023, REPORT_2022


@pytest.fixture
def settled(tmp_path, monkeypatch):
    """A RAW_DIR of two documents, a dbt project copy, and the state a successful run leaves behind."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for src in (HIGHLIGHTS_2023, REPORT_2022):
        shutil.copy2(src, raw / src.name)
    dbt = tmp_path / "dbt"
    shutil.copytree(config.DBT_PROJECT_DIR, dbt, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(config, "DBT_PROJECT_DIR", dbt)
    monkeypatch.delenv("PUBLISHED_PATH", raising=False)
    settings = Settings(raw_dir=raw, warehouse_path=tmp_path / "wh" / "un.duckdb")
    settings.warehouse_path.parent.mkdir()
    settings.warehouse_path.write_bytes(b"")  # existence is what the state check asks of the files
    published_path(settings.warehouse_path).parent.mkdir()
    published_path(settings.warehouse_path).write_bytes(b"")
    files = registry.scan(raw)
    cli.registry_cache_path(settings).write_text(registry.to_cache(files))
    cli.save_state(settings, cli.run_state(settings, files))
    return settings


def test_nothing_changed_when_files_pipeline_and_dbt_are_as_left(settled):
    assert cli.nothing_changed(settled)


def test_a_modified_file_is_a_change(settled):
    path = settled.raw_dir / REPORT_2022.name
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一行\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: the size still tells
    assert path.stat().st_size != stat.st_size
    assert not cli.nothing_changed(settled)


def test_a_touched_file_goes_to_the_full_check(settled):
    path = settled.raw_dir / REPORT_2022.name
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert not cli.nothing_changed(settled)  # the full run re-identifies it by content


def test_an_added_or_removed_file_is_a_change(settled):
    shutil.copy2(REPORT_2022, settled.raw_dir / "copy.txt")
    assert not cli.nothing_changed(settled)
    (settled.raw_dir / "copy.txt").unlink()
    assert cli.nothing_changed(settled)
    (settled.raw_dir / HIGHLIGHTS_2023.name).unlink()
    assert not cli.nothing_changed(settled)


def test_a_hidden_file_is_not_a_document(settled):
    (settled.raw_dir / ".DS_Store").write_bytes(b"x")
    assert cli.nothing_changed(settled)


def test_a_symlink_is_always_checked_in_full(settled):
    (settled.raw_dir / "link.txt").symlink_to(settled.raw_dir / REPORT_2022.name)
    files = registry.scan(settled.raw_dir)
    cli.registry_cache_path(settled).write_text(registry.to_cache(files))
    cli.save_state(settled, cli.run_state(settled, files))
    assert not cli.nothing_changed(settled)


def test_a_changed_pipeline_is_a_change(settled, monkeypatch):
    monkeypatch.setattr(version, "pipeline_version", lambda: "another")
    assert not cli.nothing_changed(settled)


def test_a_changed_dbt_project_is_a_change(settled):
    model = next(config.DBT_PROJECT_DIR.rglob("*.sql"))
    model.write_text(model.read_text() + "\n-- edited\n")
    assert not cli.nothing_changed(settled)


def test_no_successful_run_or_no_warehouse_is_a_change(settled):
    published_path(settled.warehouse_path).unlink()
    assert not cli.nothing_changed(settled)


def test_a_failed_last_run_is_a_change(settled):
    cli._state_path(settled).unlink()  # a run removes the state when it starts and saves it only on success
    assert not cli.nothing_changed(settled)


LAST = {"pipeline": "v1", "dbt": "d", "files": [["raw/a.txt", "A"], ["raw/b.txt", "B"]]}  # as JSON keeps it


def test_a_run_after_a_good_run_ranges_over_the_new_documents_only():
    state = {"pipeline": "v1", "dbt": "d", "files": [("raw/a.txt", "A"), ("raw/b.txt", "B2"), ("raw/c.txt", "C")]}
    assert cli.changed_first(["A", "B2", "C"], LAST, state) == (["B2", "C", "A"], 2)


def test_a_moved_file_is_in_the_range_so_its_new_path_is_recorded():
    state = {"pipeline": "v1", "dbt": "d", "files": [("raw/a.txt", "A"), ("raw/moved/b.txt", "B")]}
    assert cli.changed_first(["A", "B"], LAST, state) == (["B", "A"], 1)


def test_only_removals_range_over_nothing():
    state = {"pipeline": "v1", "dbt": "d", "files": [("raw/a.txt", "A")]}
    assert cli.changed_first(["A"], LAST, state) == (["A"], 0)


@pytest.mark.parametrize("last", [None, {**LAST, "pipeline": "v0"}], ids=["no good run", "another pipeline version"])
def test_without_a_good_run_of_this_version_every_document_is_in_the_range(last):
    state = {"pipeline": "v1", "dbt": "d", "files": [("raw/a.txt", "A"), ("raw/b.txt", "B")]}
    assert cli.changed_first(["A", "B"], last, state) == (["A", "B"], 2)


def test_an_addition_with_the_last_good_runs_dbt_project_builds_only_what_reads_the_rows(settled):
    """Seeds, seed-only models and views are left out of the build (pipelines/defs/dbt.py rows_selection)
    only when the last good run built the same dbt project with the same pipeline."""
    files = registry.scan(settled.raw_dir)
    assert cli.same_build(cli.last_state(settled), cli.run_state(settled, files))


def test_a_changed_seed_builds_everything_again(settled):
    seed = config.DBT_PROJECT_DIR / "seeds" / "phases.csv"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    files = registry.scan(settled.raw_dir)
    assert not cli.same_build(cli.last_state(settled), cli.run_state(settled, files))


@pytest.mark.parametrize(
    "last", [None, {**LAST, "pipeline": "v0"}, {**LAST, "dbt": "c"}], ids=["no good run", "pipeline", "dbt project"]
)
def test_without_a_good_run_of_this_project_and_pipeline_everything_is_built(last):
    assert not cli.same_build(last, {"pipeline": "v1", "dbt": "d", "files": []})
    assert cli.same_build(LAST, {"pipeline": "v1", "dbt": "d", "files": []})


@pytest.mark.parametrize(
    ("lake", "code", "saved", "forgotten"),
    [(False, 0, 1, 0), (False, 1, 0, 0), (True, 0, 0, 0), (True, 1, 0, 1)],
)
def test_only_a_run_that_exits_0_leaves_a_state(monkeypatch, lake, code, saved, forgotten):
    # the lake's publish records the state in the lake (pipelines/publishing/lake_state.py) before the run's
    # exit code is known: a run that exits 1 removes it, as the file never saves it
    from types import SimpleNamespace

    from pipelines.publishing import lake_state

    calls = {"saved": 0, "forgotten": 0}
    monkeypatch.setattr(cli, "save_state", lambda settings, state: calls.update(saved=calls["saved"] + 1))
    monkeypatch.setattr(lake_state, "forget", lambda settings: calls.update(forgotten=calls["forgotten"] + 1))
    cli.record_outcome(SimpleNamespace(lake=lake), {"files": []}, code)
    assert calls == {"saved": saved, "forgotten": forgotten}
