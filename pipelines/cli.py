"""``unwh``: run the whole pipeline in one process (the same assets Dagster runs)."""

from __future__ import annotations

import argparse
import sys

from pipelines.config import Settings

# Quarantine reasons that mean "a document of ours could not land": `unwh run` exits 1 for them.
BLOCKING_REASONS = ("parse_errors", "truncated", "parser_crashed", "validation_failed")


def _run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"RAW_DIR={settings.raw_dir}\nWAREHOUSE_PATH={settings.warehouse_path}", flush=True)

    import dagster as dg

    from pipelines import registry
    from pipelines.definitions import all_assets, all_checks, defs
    from pipelines.defs.automation import range_tags
    from pipelines.defs.ingest import DOCUMENTS, FULL_REFRESH_TAG
    from pipelines.summary import print_summary
    from pipelines.validation.suites import Timer

    keys = list(registry.documents(registry.scan(settings.raw_dir)))
    instance = dg.DagsterInstance.ephemeral()
    run_config = {"loggers": {"console": {"config": {"log_level": args.log_level}}}}
    if keys:
        instance.add_dynamic_partitions(DOCUMENTS.name, keys)
        tags = {**range_tags(keys), **({FULL_REFRESH_TAG: "true"} if args.full_refresh else {})}
        result = defs.get_job_def("refresh").execute_in_process(
            instance=instance, tags=tags, run_config=run_config, raise_on_error=False)
    else:   # an empty RAW_DIR: the registry removes what was there, the marts are rebuilt empty
        result = dg.materialize([*all_assets, *all_checks], resources=defs.resources, instance=instance,
                                selection=dg.AssetSelection.all() - dg.AssetSelection.assets(
                                    *[a for a in all_assets if a.partitions_def is not None]),
                                run_config=run_config, raise_on_error=False)
    failed_checks = [
        str(e.event_specific_data.asset_check_key)
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed
        and e.event_specific_data.severity == dg.AssetCheckSeverity.ERROR
    ]
    return print_summary(settings, run_ok=result.success, failed_checks=failed_checks,
                         validation_seconds=Timer.seconds, blocking_reasons=BLOCKING_REASONS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unwh", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="parse, validate and land every document in RAW_DIR, build and test the "
                                     "marts, publish the warehouse")
    run.add_argument("--full-refresh", action="store_true",
                     help="re-parse every document, even those already landed with the same content")
    run.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
