"""The published warehouse, replaced atomically after the marts are built and tested."""

import json

import dagster as dg

from pipelines import warehouse
from pipelines.defs.dbt import BUILD_POOL, warehouse_dbt_assets
from pipelines.defs.outputs import fiscal_data_package, html_report
from pipelines.operations.config import Settings
from pipelines.publishing import publish


class PublishConfig(dg.Config):
    """``run_state``: what the run was made from, as JSON (pipelines/cli.py ``run_state``), which the lake
    records in the publish transaction; empty for a run that computed none (launched from Dagster)."""

    run_state: str = ""


@dg.asset(
    group_name="publish",
    kinds={"duckdb"},
    deps=[warehouse_dbt_assets, html_report, fiscal_data_package],
    pool=BUILD_POOL,
)
def published_warehouse(context: dg.AssetExecutionContext, config: PublishConfig) -> dg.MaterializeResult:
    """What analysts and BI tools read (see README, Operations): the file's copy renamed into place, or the
    lake's published marts, ops and analytics replaced in one transaction (one DuckLake snapshot)."""
    settings = Settings.from_env()
    with warehouse.building(settings, log=context.log.info):
        published = publish(settings, json.loads(config.run_state) if config.run_state else None)
    return dg.MaterializeResult(metadata=published)
