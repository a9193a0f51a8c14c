"""Incremental marts keyed by document (issue 12): adding documents rebuilds only those documents' mart rows
(the year-over-year marts: only the years they touch), and the warehouse then holds exactly what a full build
of the same landed rows holds (a content checksum per table of marts, ops and analytics, the yoy marts included;
removing the documents again exercises the yoy years found only by their changed candidate counts). The raw
rows come from the session's warehouse: landing a document here is inserting its rows, as
pipelines/landing/__init__.py does in one transaction. The full build compared with is the session's warehouse
itself (`unwh run` on the bundled documents into an empty warehouse builds every model whole), so the documents
landed here are the bundled ones: two first, then the other two."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.defs.dbt import ROWS, VIEWS
from pipelines.defs.dbt_project import macros_digest, target_path
from pipelines.operations.config import DBT_PROJECT_DIR, Settings
from pipelines.tools.mart_checksums import checksums
from tests.conftest import RAW, bundled_warehouse
from tests.scenarios import scenario

DBT = Path(sys.executable).parent / "dbt"
# Landed first: the Chinese fascicle (2022-2024) and the 2023 highlights. Then the English revised estimates, whose
# years extend the fascicle's series (a new year reads the year before it), and the 2022 work report, whose year
# comes before the highlights' (the year after a changed one has a new prior value). Together the four bundled ones.
ADDED = ("A/80/400", "A/78/1")
# the builds here compare content; dbt's data and unit tests change none (the session's run builds with them)
NO_TESTS = ("--exclude-resource-type", "test", "unit_test")
# a failed build's output is the assertion's message; no debug log is written into the checkout's dbt/logs
NO_LOG = ("--log-level-file", "none")
# after the first build, what `unwh run` builds on an addition (pipelines/defs/dbt.py rows_selection): what reads
# the landed rows, but the views; seeds, the models of seeds alone and the views stay as the first build left them
ROWS_ONLY = ("--select", ROWS, "--exclude", VIEWS)


def dbt_build(warehouse: Path, target: Path, *args: str) -> None:
    # the macros' digest as `unwh run` sets it: it is part of every document's build key in ops.document_builds
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse), "UNWH_DBT_MACROS_SHA": macros_digest()}
    result = subprocess.run(
        [str(DBT), "build", "--profiles-dir", ".", "--target-path", str(target), "-q", *NO_LOG, *NO_TESTS, *args],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def bundled_ids(source: Path) -> tuple[list[str], list[str]]:
    """The ids of the session warehouse's documents: (the first ones, the added ones)."""
    with duckdb.connect(str(source), read_only=True) as con:
        rows = con.execute("SELECT document_id, document_symbol FROM raw.ingest_log ORDER BY 1").fetchall()
    first, added = [i for i, s in rows if s not in ADDED], [i for i, s in rows if s in ADDED]
    assert (len(first), len(added)) == (2, 2), rows
    return first, added


def land(source: Path, warehouse: Path, ids: list[str]) -> None:
    """Copy these documents' raw rows (registry and ingest log included) from the built warehouse."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'src' AND table_schema = 'raw'"
            ).fetchall()
        ]
        for table in tables:
            con.execute(f"CREATE TABLE IF NOT EXISTS raw.{table} AS SELECT * FROM src.raw.{table} LIMIT 0")
            con.execute(
                f"INSERT INTO raw.{table} SELECT * FROM src.raw.{table} WHERE document_id IN "
                f"({', '.join('?' for _ in ids)})",
                ids,
            )


def unland(warehouse: Path, ids: list[str]) -> None:
    """Remove these documents' raw rows, as pruning a file that left RAW_DIR does."""
    with duckdb.connect(str(warehouse)) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
            ).fetchall()
        ]
        for table in tables:
            con.execute(f"DELETE FROM raw.{table} WHERE document_id IN ({', '.join('?' for _ in ids)})", ids)


def state(warehouse: Path) -> tuple[dict, list]:
    with duckdb.connect(str(warehouse), read_only=True) as con:  # the session's warehouse: read it, never write it
        changed = con.execute(
            "SELECT document_id FROM intermediate.int_document_builds WHERE changed ORDER BY 1"
        ).fetchall()
        return checksums(con), [r[0] for r in changed]


@scenario
def builds(tmp_path_factory):
    """One warehouse built incrementally (the first documents, then two added, then removed again); in the
    background from when the session's warehouse, the whole build of all four, is built."""
    built_warehouse = bundled_warehouse()
    target = tmp_path_factory.mktemp("dbt_target")
    incremental = tmp_path_factory.mktemp("incremental") / "un.duckdb"
    # the parse state the session's run left, which every un.duckdb shares: dbt parses what changed since
    # (nothing), not the whole project (~5.5 s of CPU)
    parsed = DBT_PROJECT_DIR / target_path(Settings(raw_dir=RAW, warehouse_path=incremental)) / "partial_parse.msgpack"
    if parsed.is_file():
        shutil.copy(parsed, target / parsed.name)
    first, added_ids = bundled_ids(built_warehouse)
    land(built_warehouse, incremental, first)
    dbt_build(incremental, target)
    before = state(incremental)
    land(built_warehouse, incremental, added_ids)
    dbt_build(incremental, target, *ROWS_ONLY)
    added = state(incremental)
    unland(incremental, added_ids)
    dbt_build(incremental, target, *ROWS_ONLY)
    return {
        "before": before,
        "added": added,
        "removed": state(incremental),
        "full": state(built_warehouse),
        "first_ids": first,
        "added_ids": added_ids,
    }


def test_adding_a_document_rebuilds_only_that_document(builds):
    assert builds["before"][1] == builds["first_ids"]  # the first build: every document
    assert builds["added"][1] == builds["added_ids"]


def test_incremental_build_equals_a_full_build_table_by_table(builds):
    incremental, full = builds["added"][0], builds["full"][0]
    assert set(incremental) == set(full)
    assert {name for name in full if name.startswith("marts.fct_resources")} == {
        "marts.fct_resources",
        "marts.fct_resources_yoy",
    }
    different = {name: (incremental[name], full[name]) for name in full if incremental[name] != full[name]}
    assert different == {}
    assert full["marts.fct_resources"][0] > 0 and full["ops.rpt_change_reconciliation"][0] > 0


def test_removing_a_document_removes_its_rows(builds):
    assert (
        builds["removed"][1] == builds["added_ids"]
    )  # gone from raw: its rows are deleted although it has no new ones
    assert builds["removed"][0] == builds["before"][0]


def test_the_build_state_is_written_after_every_incremental_mart():
    """ops.document_builds must run after every mart keyed by document or by series (the year-over-year marts,
    which read int_document_builds' changed documents), or a failed mart would be skipped next time."""
    models = DBT_PROJECT_DIR / "models"
    texts = {p.stem: p.read_text(encoding="utf-8") for p in models.rglob("*.sql")}
    incremental = {name for name, text in texts.items() if "by_document_config()" in text}
    by_series = {name for name, text in texts.items() if "by_series_config(" in text or "{{ yoy(" in text}
    state = texts["document_builds"]
    assert {"fct_resources", "fct_posts", "fct_kpis", "rpt_reconciliation"} <= incremental
    assert by_series == {"fct_resources_yoy", "fct_posts_yoy", "fct_kpis_yoy"}
    assert {name for name in incremental | by_series if f"ref('{name}')" not in state} == set()
