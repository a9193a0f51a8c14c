"""The HTML report and the Fiscal Data Package, written next to the warehouse after the marts."""

from contextlib import contextmanager

import dagster as dg
import duckdb as duckdb_lib

from pipelines.config import Settings
from pipelines.defs.dbt import warehouse_dbt_assets
from pipelines.lock import warehouse_lock
from pipelines.outputs import fdp, report


def output_dir(name: str):
    return Settings.from_env().warehouse_path.parent / name


@contextmanager
def reading_warehouse(context: dg.AssetExecutionContext):
    """A read-only connection, taken under the writer lock (DuckDB refuses a reader beside a writer process)."""
    settings = Settings.from_env()
    with warehouse_lock(settings.warehouse_path, log=context.log.info):
        con = duckdb_lib.connect(str(settings.warehouse_path), read_only=True)
        try:
            yield con
        finally:
            con.close()


@dg.asset(group_name="publish", kinds={"html"}, deps=[warehouse_dbt_assets], pool="duckdb_writer")
def html_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """A static, self-contained HTML report (charts inline; opens with no network), Chinese and English."""
    with reading_warehouse(context) as con:
        path = report.write(con, output_dir("report"))
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)),
                                          "bytes": path.stat().st_size})


@dg.asset(group_name="publish", kinds={"csv"}, deps=[warehouse_dbt_assets], pool="duckdb_writer")
def fiscal_data_package(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """The resource facts as a Fiscal Data Package (CSV + datapackage.json)."""
    with reading_warehouse(context) as con:
        path = fdp.export(con, output_dir("export") / "fiscal-data-package")
    rows = sum(1 for _ in open(path.with_name("resources.csv"), encoding="utf-8")) - 1
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)), "dagster/row_count": rows})
