"""dbt models and tests as Dagster assets and asset checks, in the ``warehouse`` group."""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, build_dbt_asset_selection, dbt_assets

from pipelines import warehouse
from pipelines.defs import dbt_artifacts
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

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        """Each node also depends on every source (raw.*) it reads through other nodes. A run that builds
        only what reads the landed rows (``rows_selection``) leaves out the staging views between the raw
        tables and the marts; without these edges nothing ordered its dbt step after the landing, and the
        dbt build could run first, missing the documents that run landed.

        Memoized as dagster-dbt memoizes its own: it asks for each node's spec again for every node downstream
        (1,986 calls for 500 nodes, each walking the node's ancestors)."""
        memo = self.__dict__.setdefault("_specs_with_sources", {})
        memo_id = (id(manifest), unique_id, id(project))
        if memo_id not in memo:
            spec = super().get_asset_spec(manifest, unique_id, project)
            direct = {dep.asset_key for dep in spec.deps}
            sources = {self.get_asset_spec(manifest, s, project).key for s in _sources_read(manifest, unique_id)}
            memo[memo_id] = spec.merge_attributes(deps=sorted(sources - direct, key=str)) if sources - direct else spec
        return memo[memo_id]


def _sources_read(manifest: Mapping[str, Any], unique_id: str) -> set[str]:
    """The dbt sources upstream of a node, however far (dbt's parent_map)."""
    parents, seen, sources = manifest["parent_map"], set(), set()
    todo = list(parents.get(unique_id, []))
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if node.startswith("source."):
            sources.add(node)
        else:
            todo.extend(parents.get(node, []))
    return sources


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    pool=BUILD_POOL,
    dagster_dbt_translator=WarehouseTranslator(),
)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Seeds, staging, intermediate, marts and ops, built and tested with ``dbt build``. The marts keyed by
    document are incremental: only changed documents are rebuilt (dbt/macros/incremental_by_document.sql).
    A run that selects some of these assets and checks (``rows_selection``) builds those nodes only: dagster-dbt
    derives dbt's ``--select`` from the run's selection."""
    # the nightly full refresh rebuilds every mart whole, as a run before incremental marts did
    full_refresh = context.run.tags.get(FULL_REFRESH_TAG) == "true"
    with warehouse.building(Settings.from_env(), log=context.log.info):
        invocation = dbt.cli(["build", *build_args(full_refresh)], context=context)
        try:
            yield from invocation.stream()
        finally:
            dbt_artifacts.prune(invocation.target_path)


def build_args(full_refresh: bool) -> list[str]:
    """The full refresh runs everything. Other runs leave out dbt's unit tests: their inputs are fixed rows, not
    the warehouse, so they say nothing new about an added document (the test suite and the full refresh run
    them, as dbt advises). Data tests on the marts keyed by document read the changed documents' rows only
    (`where: __changed_documents__`, dbt/macros/tests_on_changed_documents.sql).

    No build writes dbt's JSON artifacts (manifest, semantic manifest, run results, twice per command): Dagster
    reads the build's events from its output and the manifest from ``dbt parse`` (pipelines/defs/dbt_project.py);
    writing them cost about 1.5 s of CPU per build at 1,000 documents (issue 12).

    The run folder's dbt.log is text at info, as Dagster shows the build: dbt's defaults (debug, and JSON like
    the output Dagster reads) also held every statement and formatted each line twice, about 1.5 s of the ~11 s
    of CPU of a build of the bundled documents (issue 13). DBT_LOG_LEVEL_FILE and DBT_LOG_FORMAT_FILE in the
    environment (debug, json) write them again."""
    log_file = [
        *([] if "DBT_LOG_LEVEL_FILE" in os.environ else ["--log-level-file", "info"]),
        *([] if "DBT_LOG_FORMAT_FILE" in os.environ else ["--log-format-file", "text", "--no-use-colors-file"]),
    ]
    return [
        "--no-write-json",
        *log_file,
        *(["--full-refresh"] if full_refresh else ["--exclude-resource-type", "unit_test"]),
    ]


# What depends on the landed rows: dbt's graph downstream of the sources (raw.*). Of it, a view stores its
# query only, so it is what the dbt project defines, whatever the rows.
ROWS, VIEWS = "source:*+", "config.materialized:view"


def rows_selection() -> dg.AssetSelection:
    """The run of a build whose dbt project is the one the last good build built (issue 12): every asset but
    the dbt nodes that depend on the project alone, which that build left as they must be.

    Left out: the 21 seeds, the models that read only seeds (the dimensions, the line-item labels) with their
    tests, and the views downstream of the sources (DuckDB reads the tables under a view when it is queried).
    Kept: the tables and incremental marts downstream of the sources, and every data test downstream of the
    sources, the views' included (their rows are the new ones) and the relationships tests to the dimensions.
    dagster-dbt turns the selected assets and checks into dbt's `--select` (the models, their tests by dbt's
    eager indirect selection, the views' tests by name), so Dagster expects exactly the materializations and
    check results dbt produces. pipelines/cli.py decides when this applies: the same dbt project and pipeline
    as the last good run, and no full refresh; a first run, a changed project, a failed last run and the
    nightly refresh build everything (86 of the 203 nodes at 4 documents are left out, 110 with the views).
    """
    rows = build_dbt_asset_selection([warehouse_dbt_assets], dbt_select=ROWS)
    stored = build_dbt_asset_selection([warehouse_dbt_assets], dbt_select=ROWS, dbt_exclude=VIEWS)
    tests_on_rows = rows - rows.without_checks()  # the checks of those assets, not the assets
    not_dbt = dg.AssetSelection.all() - dg.AssetSelection.assets(warehouse_dbt_assets)
    return not_dbt | stored | tests_on_rows
