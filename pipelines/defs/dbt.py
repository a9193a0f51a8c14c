"""dbt models and tests as Dagster assets and asset checks, in the ``warehouse`` group."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines import warehouse
from pipelines.defs.dbt_project import dbt_project, ensure_manifest
from pipelines.defs.ingest import FULL_REFRESH_TAG
from pipelines.operations.config import Settings

ensure_manifest()
# The dbt build, the outputs and publishing: one step at a time on either backend (dagster.yaml).
BUILD_POOL = "warehouse_build"

GROUP = "warehouse"  # beside "ingest" and "publish": seeds, staging, intermediate, marts, ops, analytics


class WarehouseTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return GROUP


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    pool=BUILD_POOL,
    dagster_dbt_translator=WarehouseTranslator(),
)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Seeds, staging, intermediate, marts and ops, built and tested with ``dbt build``. The marts keyed by
    document are incremental: only changed documents are rebuilt (dbt/macros/incremental_by_document.sql)."""
    # the nightly full refresh rebuilds every mart whole, as a run before incremental marts did
    full_refresh = context.run.tags.get(FULL_REFRESH_TAG) == "true"
    with warehouse.building(Settings.from_env(), log=context.log.info):
        yield from dbt.cli(["build", *build_args(full_refresh)], context=context).stream()


def build_args(full_refresh: bool) -> list[str]:
    """The full refresh runs everything. Other runs leave out dbt's unit tests: their inputs are fixed rows, not
    the warehouse, so they say nothing new about an added document (the test suite and the full refresh run
    them, as dbt advises). Data tests on the marts keyed by document read the changed documents' rows only
    (`where: __changed_documents__`, dbt/macros/tests_on_changed_documents.sql)."""
    return ["--full-refresh"] if full_refresh else ["--exclude-resource-type", "unit_test"]
