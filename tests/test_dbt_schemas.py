"""One source per schema (issue 13): dbt's staging YAML and the analytics contracts follow the frame schemas."""

from __future__ import annotations

import polars as pl
import yaml

from pipelines.landing import TABLES
from pipelines.tools import dbt_schemas


def test_dbt_staging_and_analytics_contracts_agree_with_the_frames():
    assert dbt_schemas.check() == []


def test_a_staging_model_per_raw_table_with_every_frame_column_typed():
    models = {m["name"]: m for m in yaml.safe_load(dbt_schemas.STAGING_YML.read_text())["models"]}
    assert set(models) == {f"stg_{t}" for t in TABLES}
    resources = {c["name"]: c["data_type"] for c in models["stg_resources"]["columns"]}
    assert resources["value"] == "double" and resources["fiscal_year"] == "integer"
    assert resources["period_start"] == "date" and resources["source_line"] == "bigint"
    assert list(resources) == list(TABLES["resources"])


def test_a_frame_column_that_changes_type_is_reported(monkeypatch):
    monkeypatch.setitem(TABLES, "resources", {**TABLES["resources"], "fiscal_year": pl.Int64})
    problems = dbt_schemas.check()
    assert any("_staging.yml differs from the frame schemas" in p for p in problems)
    assert "_analytics.yml: analytics_resources.fiscal_year is integer, its frame says bigint" in problems


def test_an_analytics_column_without_a_type_is_reported(tmp_path):
    text = dbt_schemas.ANALYTICS_YML.read_text(encoding="utf-8")
    broken = tmp_path / "_analytics.yml"
    broken.write_text(text.replace("    data_type: double\n", "", 1), encoding="utf-8")
    assert (
        len(dbt_schemas.analytics_drift(broken)) == 1 and "has no data_type" in dbt_schemas.analytics_drift(broken)[0]
    )
