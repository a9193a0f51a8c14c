"""The HTML report and the Fiscal Data Package, written next to the warehouse after the marts."""

import dagster as dg

from pipelines import warehouse
from pipelines.defs.dbt import BUILD_POOL, warehouse_dbt_assets
from pipelines.operations.config import Settings
from pipelines.outputs import fdp, report


def output_dir(name: str):
    return Settings.from_env().local_dir / name


def reading_warehouse(context: dg.AssetExecutionContext):
    """The warehouse just built (the working file or lake), read-only."""
    return warehouse.reading(Settings.from_env(), log=context.log.info)


@dg.asset(group_name="publish", kinds={"html"}, deps=[warehouse_dbt_assets], pool=BUILD_POOL)
def html_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """A static, self-contained HTML report (charts inline; opens with no network), Chinese and English."""
    with reading_warehouse(context) as con:
        path = report.write(con, output_dir("report"))
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)), "bytes": path.stat().st_size})


@dg.asset(group_name="publish", kinds={"csv"}, deps=[warehouse_dbt_assets], pool=BUILD_POOL)
def fiscal_data_package(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """The resource facts as a Fiscal Data Package (CSV + datapackage.json)."""
    with reading_warehouse(context) as con:
        path, rows = fdp.export(con, output_dir("export") / "fiscal-data-package")
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)), "dagster/row_count": rows})
