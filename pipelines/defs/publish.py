"""The published copy, replaced atomically after the marts are built and tested."""

import dagster as dg

from pipelines.config import Settings
from pipelines.defs.dbt import warehouse_dbt_assets
from pipelines.defs.outputs import fiscal_data_package, html_report
from pipelines.lock import warehouse_lock
from pipelines.publish import publish


@dg.asset(group_name="publish", kinds={"duckdb"}, deps=[warehouse_dbt_assets, html_report, fiscal_data_package],
          pool="duckdb_writer")
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """A read-only copy for analysts and BI tools (see README, Operations); renamed into place atomically."""
    settings = Settings.from_env()
    with warehouse_lock(settings.warehouse_path, log=context.log.info):
        target = publish(settings.warehouse_path)
    return dg.MaterializeResult(metadata={"path": str(target), "bytes": target.stat().st_size})
