"""The Dagster code location: one asset graph from raw files to the dbt marts.

``dagster dev`` (see the README) and ``unwh run`` load these same definitions.
"""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from pipelines.config import Settings
from pipelines.dbt_project import dbt_project
from pipelines.defs import dbt as dbt_defs
from pipelines.defs import ingest as ingest_defs

settings = Settings.from_env()

all_assets = [ingest_defs.parsed_documents, ingest_defs.validated_documents, ingest_defs.raw_tables,
              dbt_defs.warehouse_dbt_assets]
all_checks = [ingest_defs.no_parse_errors]

full_refresh_job = dg.define_asset_job("full_refresh", selection=dg.AssetSelection.all())

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=all_checks,
    jobs=[full_refresh_job],
    resources={
        "duckdb": DuckDBResource(database=str(settings.warehouse_path)),
        "dbt": DbtCliResource(project_dir=dbt_project),
    },
)
