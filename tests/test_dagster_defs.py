"""The Dagster code location: asset graph, checks, sensor and schedule."""

from __future__ import annotations

import shutil

import dagster as dg

from pipelines.definitions import defs
from pipelines.defs.automation import RANGE_END, RANGE_START, nightly_full_refresh, raw_dir_sensor
from tests.conftest import RAW


def test_one_asset_graph_from_raw_files_to_the_published_copy():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {
        "raw/documents",
        "raw/resources",
        "raw/kpis",
        "raw/ingest_log",
        "marts/fct_resources",
        "marts/fct_kpis_yoy",
        "ops/dq_findings",
        "published_warehouse",
    } <= keys
    checks = {c.name for c in graph.asset_check_keys}
    assert {"resources_suite", "posts_suite", "post_changes_suite", "kpis_suite", "reconciliation_suite"} <= checks
    assert any(name.startswith("unique_") for name in checks)  # dbt tests are asset checks too
    assert graph.get(dg.AssetKey(["raw", "resources"])).partitions_def.name == "documents"
    assert graph.get(dg.AssetKey(["marts", "fct_resources"])).group_name == "warehouse"  # dbt assets, one group


def test_sensor_registers_documents_and_requests_one_run(tmp_path, monkeypatch):
    raw = tmp_path / "raw"  # the bundled text documents: nothing here is about the 38 MB Word file
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns("*.docx"))
    monkeypatch.setenv("RAW_DIR", str(raw))
    instance = dg.DagsterInstance.ephemeral()
    first = raw_dir_sensor(dg.build_sensor_context(instance=instance, definitions=defs))
    added = first.dynamic_partitions_requests[0].partition_keys
    assert len(added) == len(list(raw.iterdir())) == 3 and len(first.run_requests) == 1  # the text documents
    assert {first.run_requests[0].tags[RANGE_START], first.run_requests[0].tags[RANGE_END]} <= set(added)
    instance.add_dynamic_partitions("documents", added)
    again = raw_dir_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor, definitions=defs))
    assert again.run_requests == [] and again.dynamic_partitions_requests == []
    (raw / "000_96f0efd4942c3e09.txt").unlink()
    removed = raw_dir_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor, definitions=defs))
    assert len(removed.dynamic_partitions_requests[0].partition_keys) == 1
    assert len(removed.run_requests) == 1


def test_sensor_and_schedule_are_off_until_turned_on():
    assert raw_dir_sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert nightly_full_refresh.default_status == dg.DefaultScheduleStatus.STOPPED


def test_the_instance_config_of_make_dev_loads(tmp_path, monkeypatch):
    """dagster.yaml (copied to DAGSTER_HOME by `make dev`) is valid for this Dagster version."""
    from tests.conftest import ROOT

    shutil.copy(ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    instance = dg.DagsterInstance.get()
    try:
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
    finally:
        instance.dispose()


def test_a_build_of_the_same_dbt_project_selects_only_what_reads_the_landed_rows():
    """pipelines/defs/dbt.py rows_selection: no seed, no model that reads only seeds, no view; every data test
    downstream of the sources, the views' and the relationships tests to the dimensions included."""
    from pipelines.defs.dbt import rows_selection

    graph = defs.resolve_asset_graph()
    selection = rows_selection()
    assets = {k.to_user_string() for k in selection.resolve(graph)}
    checks = {(c.asset_key.to_user_string(), c.name) for c in selection.resolve_checks(graph)}
    everything = {k.to_user_string() for k in graph.get_all_asset_keys()}
    left_out = everything - assets
    assert {"seeds/phases", "seeds/entities", "marts/dim_entity", "marts/dim_phase"} <= left_out
    assert {"analytics/analytics_resources", "staging/stg_resources", "intermediate/int_documents"} <= left_out
    assert {"marts/fct_resources", "marts/fct_resources_yoy", "ops/rpt_change_reconciliation"} <= assets
    assert {"marts/dim_document", "raw/resources", "published_warehouse", "html_report"} <= assets
    assert not {a for a in left_out if a.startswith(("raw/", "marts/fct_", "ops/"))}
    names = {name for _, name in checks}
    assert {"resources_suite", "unique_int_documents_document_id"} <= names  # ingest's and a view's
    assert any(a == "analytics/analytics_resources" and n.startswith("labels_present") for a, n in checks)
    assert "relationships_fct_resources_phase__phase__ref_dim_phase_" in names
    assert not {(a, n) for a, n in checks if a.startswith(("seeds/", "marts/dim_entity", "marts/dim_phase"))}


def test_dbt_builds_write_their_log_file_as_text_at_info_unless_the_environment_asks(monkeypatch):
    from pipelines.defs.dbt import build_args

    monkeypatch.delenv("DBT_LOG_LEVEL_FILE", raising=False)
    monkeypatch.delenv("DBT_LOG_FORMAT_FILE", raising=False)
    args = build_args(full_refresh=False)
    assert args[args.index("--log-level-file") + 1] == "info" and "unit_test" in args
    assert args[args.index("--log-format-file") + 1] == "text"
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "debug")  # dbt reads them itself
    monkeypatch.setenv("DBT_LOG_FORMAT_FILE", "json")
    assert not {"--log-level-file", "--log-format-file"} & set(build_args(full_refresh=True))
