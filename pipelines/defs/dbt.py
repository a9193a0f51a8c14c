"""dbt models and tests as Dagster assets and asset checks."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines import warehouse
from pipelines.config import Settings
from pipelines.dbt_project import dbt_project, ensure_manifest

ensure_manifest()
# The dbt build, the outputs and publishing: one step at a time on either backend (dagster.yaml).
BUILD_POOL = "warehouse_build"


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, pool=BUILD_POOL)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Seeds, staging, intermediate and marts, built and tested with ``dbt build``."""
    with warehouse.building(Settings.from_env(), log=context.log.info):
        yield from dbt.cli(["build"], context=context).stream()
