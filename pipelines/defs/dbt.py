"""dbt models and tests as Dagster assets and asset checks."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines.config import Settings
from pipelines.dbt_project import dbt_project, ensure_manifest
from pipelines.lock import warehouse_lock

ensure_manifest()


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, pool="duckdb_writer")
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Seeds, staging, intermediate and marts, built and tested with ``dbt build``."""
    with warehouse_lock(Settings.from_env().warehouse_path, log=context.log.info):
        yield from dbt.cli(["build"], context=context).stream()
