"""The Dagster code location: one asset graph from raw files to the dbt marts and the published copy.

``dagster dev`` (see the README) and ``unwh run`` load these same definitions.
"""

from __future__ import annotations

import dagster as dg

from pipelines.defs import automation
from pipelines.defs import dbt as dbt_defs
from pipelines.defs import ingest as ingest_defs
from pipelines.defs import outputs as output_defs
from pipelines.defs import publish as publish_defs
from pipelines.defs.dbt_cli import WarehouseDbtCli
from pipelines.defs.dbt_project import dbt_project

all_assets = [
    ingest_defs.document_registry,
    ingest_defs.ingested_documents,
    dbt_defs.warehouse_dbt_assets,
    output_defs.html_report,
    output_defs.fiscal_data_package,
    publish_defs.published_warehouse,
]
all_checks = [ingest_defs.no_parse_errors]

# Registry, the documents of the run's partitions, marts, publish: what the sensor and schedule run.
refresh_job = dg.define_asset_job("refresh", selection=dg.AssetSelection.all(), partitions_def=ingest_defs.DOCUMENTS)

resources = {
    "dbt": WarehouseDbtCli(project_dir=dbt_project),
}

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=all_checks,
    jobs=[refresh_job],
    sensors=[automation.raw_dir_sensor],
    schedules=[automation.nightly_full_refresh],
    resources=resources,
)
