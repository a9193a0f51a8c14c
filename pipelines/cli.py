"""``unwh``: run the whole pipeline in one process (the same assets Dagster runs)."""

from __future__ import annotations

import argparse
import sys

from pipelines.operations.config import Settings

# Quarantine reasons that mean "a document of ours could not land": `unwh run` exits 1 for them.
BLOCKING_REASONS = ("parse_errors", "truncated", "parser_crashed", "validation_failed")


def _run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"RAW_DIR={settings.raw_dir}\n{settings.describe()}", flush=True)
    if not args.full_refresh and nothing_changed(settings):
        # Decided from stat calls and hashes before Dagster, dbt or Great Expectations is imported.
        from pipelines.operations.summary import print_summary

        print("no change since the last successful run: nothing to parse, land, build or publish")
        return print_summary(
            settings, run_ok=True, failed_checks=[], validation_seconds=0.0, blocking_reasons=BLOCKING_REASONS
        )

    from pipelines.defs.dbt_project import prepare_in_background
    from pipelines.operations import registry
    from pipelines.operations.summary import print_summary
    from pipelines.stages import CHUNK
    from pipelines.validation.suites import Timer, import_library

    parsing_dbt = prepare_in_background()  # a stale manifest: `dbt parse` runs beside the scan below

    # files unchanged since the last run (same size and mtime) are not read again to identify them
    cache_path = registry_cache_path(settings)
    files = registry.scan(
        settings.raw_dir, registry.from_cache(cache_path.read_text()) if cache_path.exists() else None
    )
    cache_path.write_text(registry.to_cache(files))
    keys = list(registry.documents(files))
    state = run_state(settings, files)
    last = last_state(settings)
    if not args.full_refresh and state == last:
        # Nothing changed since the last good run: same files, same pipeline, same dbt project.
        print("no change since the last successful run: nothing to parse, land, build or publish")
        return print_summary(
            settings, run_ok=True, failed_checks=[], validation_seconds=0.0, blocking_reasons=BLOCKING_REASONS
        )
    rows_only = not args.full_refresh and same_build(last, state)
    forget_state(settings, rows_only)  # until this run succeeds, nothing is known to be current
    keys, changed = changed_first(keys, None if args.full_refresh else last, state)
    if parsing_dbt and 0 < changed <= CHUNK and validates_here(settings, args):
        # the documents will be validated in this process: Great Expectations' import (~3.5 s) overlaps dbt parse
        import_library()
    result, failed_checks = _execute(keys, changed, args, rows_only, state if settings.lake else None)
    code = print_summary(
        settings,
        run_ok=result.success,
        failed_checks=failed_checks,
        validation_seconds=Timer.seconds,
        blocking_reasons=BLOCKING_REASONS,
    )
    record_outcome(settings, state, code)
    return code


def record_outcome(settings: Settings, state: dict, code: int) -> None:
    """After a run: the file saves a good run's state beside the warehouse. The lake's publish recorded it in
    the lake already; a run that then exits 1 (a document of ours could not land) removes it, as the file
    never saves it, so the next run tries that document again instead of stopping at "no change"."""
    if code == 0 and not settings.lake:
        save_state(settings, state)
    elif code != 0 and settings.lake:
        forget_state(settings, rows_only=False)


def validates_here(settings: Settings, args: argparse.Namespace) -> bool:
    """Whether this process validates documents: not on the lake with several writers, where only the
    writer processes import Great Expectations (pipelines/stages.py ``ingest_documents``)."""
    return not settings.lake or (args.workers or settings.writers) == 1


def changed_first(keys: list[str], last: dict | None, state: dict) -> tuple[list[str], int]:
    """The document keys with those the last good run did not have first, and how many they are.

    The run's partition range is those documents only: Dagster records one materialization per partition
    and asset of a run (ten per document), so a range over every document made adding one document to
    1,000 write 10,000 events, while ``stages.plan`` skipped the 999 unchanged ones anyway. A document id
    hashes the content, so a changed file is a new key; a moved file is in the range too. Without a last
    good run of this pipeline version (first run, failed run, new version, full refresh), every document
    is in the range."""
    if last is None or last.get("pipeline") != state["pipeline"]:
        return keys, len(keys)
    known = {tuple(f) for f in last["files"]}  # (path, document id): a moved file has its new path recorded
    new_ids = {document_id for path, document_id in state["files"] if (path, document_id) not in known}
    new = [k for k in keys if k in new_ids]
    return new + [k for k in keys if k not in new_ids], len(new)


def same_build(last: dict | None, state: dict) -> bool:
    """True when the last good run built this dbt project with this pipeline: what depends on the project
    alone (seeds, the models that read only seeds, views) is then as that build left it, and a run rebuilds
    only what depends on the landed rows (pipelines/defs/dbt.py ``rows_selection``)."""
    return last is not None and (last["dbt"], last["pipeline"]) == (state["dbt"], state["pipeline"])


def _execute(
    keys: list[str], changed: int, args: argparse.Namespace, rows_only: bool = False, state: dict | None = None
):
    """The Dagster job over the first ``changed`` document partitions, in process: (result, failed blocking
    checks). With none (an empty RAW_DIR, or only removals or a dbt change), the assets that are not
    partitioned: the registry removes what left, the marts are rebuilt and published. ``rows_only``: the
    dbt nodes that depend on the project alone are left out of the run (``same_build``). ``state``: what the
    publish step records with the published marts (the lake)."""
    import json

    import dagster as dg

    from pipelines.definitions import all_assets, all_checks, defs
    from pipelines.defs.automation import range_tags
    from pipelines.defs.dbt import rows_selection
    from pipelines.defs.ingest import DOCUMENTS, FULL_REFRESH_TAG, WORKERS_TAG
    from pipelines.defs.run_instance import run_instance

    selection = rows_selection() if rows_only else dg.AssetSelection.all()

    instance = run_instance()  # ephemeral, storing only what the run reads back
    run_config = {"loggers": {"console": {"config": {"log_level": args.log_level}}}}
    if state is not None:
        run_config["ops"] = {"published_warehouse": {"config": {"run_state": json.dumps(state)}}}
    if keys:
        instance.add_dynamic_partitions(DOCUMENTS.name, keys)  # in this order: the changed ones a range
    if changed:
        tags = {
            **range_tags(keys[:changed]),
            **({FULL_REFRESH_TAG: "true"} if args.full_refresh else {}),
            **({WORKERS_TAG: str(args.workers)} if args.workers else {}),
        }
        job = defs.get_job_def("refresh")
        if rows_only:
            graph = defs.resolve_asset_graph()
            job = job.get_subset(
                asset_selection=selection.resolve(graph), asset_check_selection=selection.resolve_checks(graph)
            )
        result = job.execute_in_process(instance=instance, tags=tags, run_config=run_config, raise_on_error=False)
    else:
        result = dg.materialize(
            [*all_assets, *all_checks],
            resources=defs.resources,
            instance=instance,
            selection=selection - dg.AssetSelection.assets(*[a for a in all_assets if a.partitions_def is not None]),
            run_config=run_config,
            raise_on_error=False,
        )
    failed_checks = [
        str(e.event_specific_data.asset_check_key)
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.event_specific_data.passed
        and e.event_specific_data.severity == dg.AssetCheckSeverity.ERROR
    ]
    return result, failed_checks


def registry_cache_path(settings: Settings):
    from pipelines.operations.version import pipeline_version

    return settings.warehouse_path.with_name(f"{settings.warehouse_path.name}.registry-{pipeline_version()}.json")


def nothing_changed(settings: Settings) -> bool:
    """True when the last run succeeded and RAW_DIR, the pipeline and the dbt project are as it left them.

    Files are taken from the registry cache when their size and modification time are unchanged; any
    other file (new, removed, modified, a symlink) answers False, and the full run then identifies the
    files by content and compares the same state again. Standard library only (no Polars or Dagster).
    """
    from pipelines.operations.rawdir import unchanged_files

    files = unchanged_files(settings.raw_dir, registry_cache_path(settings))
    if files is None:
        return False
    last = last_state(settings)
    return last is not None and run_state(settings, files) == last


def _state_path(settings: Settings):
    return settings.warehouse_path.with_name(settings.warehouse_path.name + ".state.json")


def run_state(settings: Settings, files) -> dict:
    """What a run's result depends on: the files (by content), the pipeline version, the dbt project."""
    import hashlib
    import os
    from pathlib import Path

    from pipelines.operations.config import DBT_PROJECT_DIR
    from pipelines.operations.version import pipeline_version

    project = []
    for top, dirs, names in os.walk(DBT_PROJECT_DIR):
        dirs[:] = [
            d for d in dirs if d not in ("target", "logs")
        ]  # dbt's outputs (thousands of files), not the project
        # nor .user.yml, which dbt writes on its first run in the folder (a `dbt` command run there by hand made
        # the next `unwh run` rebuild every node)
        project += [Path(top, name) for name in names if name != ".user.yml"]
    dbt = hashlib.sha256()
    for f in sorted(project):
        dbt.update(str(f.relative_to(DBT_PROJECT_DIR)).encode() + f.read_bytes())
    return {
        "files": sorted((f.source_path, f.document_id) for f in files),
        "pipeline": pipeline_version(),
        "dbt": dbt.hexdigest()[:16],
    }


def last_state(settings: Settings) -> dict | None:
    """What the last good run was made from (``run_state``): on the file, the state file beside it; on the
    lake, the row its last publish recorded in the lake itself, which every writer on any machine sees."""
    import json

    from pipelines.publishing import published_path

    if settings.lake:
        from pipelines.publishing import lake_state

        return lake_state.read(settings)

    path = _state_path(settings)
    if not (path.exists() and settings.warehouse_path.exists() and published_path(settings.warehouse_path).exists()):
        return None
    state = json.loads(path.read_text())
    state["files"] = [tuple(f) for f in state["files"]]
    return state


def forget_state(settings: Settings, rows_only: bool) -> None:
    """Before a run: no state is current until it succeeds. The lake's state stays when the run rebuilds
    only what depends on the landed rows (pipelines/publishing/lake_state.py): other runs share it."""
    if not settings.lake:
        _state_path(settings).unlink(missing_ok=True)
    elif not rows_only:
        from pipelines.publishing import lake_state

        lake_state.forget(settings)


def save_state(settings: Settings, state: dict) -> None:
    import json

    _state_path(settings).write_text(json.dumps(state))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unwh", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run",
        help="parse, validate and land every document in RAW_DIR, build and test the marts, publish the warehouse",
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="re-parse every document, even those already landed with the same content",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        help="documents parsed, validated and landed in parallel (processes) on the lake; default "
        "WAREHOUSE_WRITERS (2 on the lake); always 1 on the file, which has one writer",
    )
    run.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
