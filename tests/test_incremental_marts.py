"""Incremental marts keyed by document (issue 12): adding documents rebuilds only those documents' mart rows
(the year-over-year marts: only the years they touch), and the warehouse then holds exactly what a full build
of the same landed rows holds (a content checksum per table of marts, ops and analytics, the yoy marts included;
removing the documents again exercises the yoy years found only by their changed candidate counts). The raw
rows come from the session's warehouse: landing a document here is inserting its rows, as
pipelines/landing/__init__.py does in one transaction."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.operations.config import DBT_PROJECT_DIR
from pipelines.tools.mart_checksums import checksums
from tests.conftest import bundled_warehouse
from tests.scenarios import scenario

DBT = Path(sys.executable).parent / "dbt"
# Landed first: the Chinese fascicle (2022-2024) and the 2023 highlights. Then the English revised estimates, whose
# years extend the fascicle's series (a new year reads the year before it), and the 2022 work report, whose year
# comes before the highlights' (the year after a changed one has a new prior value): the yoy marts rebuild by year.
FIRST = ("A/78/6 (Sect. 3)", "work_report_highlights:5e86050d2290")
ADDED = ("A/80/400", "A/78/1")
# the builds here compare content; dbt's data and unit tests change none (the session's run builds with them)
NO_TESTS = ("--exclude-resource-type", "test", "unit_test")


def dbt_build(warehouse: Path, target: Path, *args: str) -> None:
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse), "UNWH_DBT_MACROS_SHA": "test"}
    result = subprocess.run(
        [str(DBT), "build", "--profiles-dir", ".", "--target-path", str(target), "-q", *NO_TESTS, *args],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def land(source: Path, warehouse: Path, symbols: tuple[str, ...]) -> list[str]:
    """Copy these documents' raw rows (registry and ingest log included) from the built warehouse."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        ids = [
            r[0]
            for r in con.execute(
                "SELECT document_id FROM src.raw.ingest_log WHERE document_symbol IN "
                f"({', '.join('?' for _ in symbols)})",
                list(symbols),
            ).fetchall()
        ]
        assert len(ids) == len(symbols), ids
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
    return sorted(ids)


def unland(warehouse: Path, symbols: tuple[str, ...]) -> None:
    """Remove these documents' raw rows, as pruning a file that left RAW_DIR does."""
    with duckdb.connect(str(warehouse)) as con:
        ids = [
            r[0]
            for r in con.execute(
                f"SELECT document_id FROM raw.ingest_log WHERE document_symbol IN ({', '.join('?' for _ in symbols)})",
                list(symbols),
            ).fetchall()
        ]
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
            ).fetchall()
        ]
        for table in tables:
            con.execute(f"DELETE FROM raw.{table} WHERE document_id IN ({', '.join('?' for _ in ids)})", ids)


def state(warehouse: Path) -> tuple[dict, list]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        changed = con.execute(
            "SELECT document_id FROM intermediate.int_document_builds WHERE changed ORDER BY 1"
        ).fetchall()
        return checksums(con), [r[0] for r in changed]


@scenario
def builds(tmp_path_factory):
    """One warehouse built incrementally (first documents, then one added, then removed again), one built whole;
    in the background from when the session's warehouse is built."""
    built_warehouse = bundled_warehouse()
    target = tmp_path_factory.mktemp("dbt_target")
    incremental = tmp_path_factory.mktemp("incremental") / "un.duckdb"
    first = land(built_warehouse, incremental, FIRST)
    dbt_build(incremental, target)
    before = state(incremental)
    added_ids = land(built_warehouse, incremental, ADDED)
    dbt_build(incremental, target)
    added = state(incremental)
    unland(incremental, ADDED)
    dbt_build(incremental, target)
    removed = state(incremental)
    full = tmp_path_factory.mktemp("full") / "un.duckdb"
    land(built_warehouse, full, FIRST + ADDED)
    dbt_build(full, target, "--full-refresh")
    return {
        "before": before,
        "added": added,
        "removed": removed,
        "full": state(full),
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
