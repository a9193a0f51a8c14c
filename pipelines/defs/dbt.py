"""dbt models and tests as Dagster assets and asset checks."""


import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines.dbt_project import dbt_project, ensure_manifest

ensure_manifest()


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Seeds, staging, intermediate and marts, built and tested with ``dbt build``."""
    yield from dbt.cli(["build"], context=context).stream()
