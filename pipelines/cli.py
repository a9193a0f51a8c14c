"""``unwh``: run the whole pipeline in one process, or print where things are."""

from __future__ import annotations

import argparse
import sys

from pipelines.config import Settings


def _run(_args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"RAW_DIR={settings.raw_dir}\nWAREHOUSE_PATH={settings.warehouse_path}", flush=True)

    import dagster as dg

    from pipelines.definitions import all_assets, all_checks, defs
    from pipelines.summary import print_summary

    result = dg.materialize([*all_assets, *all_checks], resources=defs.resources, raise_on_error=False,
                            instance=dg.DagsterInstance.ephemeral(),
                            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}})
    blocking_failures = [
        str(e.event_specific_data.asset_check_key)
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.event_specific_data.passed
        and e.event_specific_data.severity == dg.AssetCheckSeverity.ERROR
    ]
    blocked_documents = _blocked_documents(result)
    ok = result.success and not blocking_failures and not blocked_documents
    from pipelines.validation.suites import Timer

    print_summary(settings, ok=ok, blocking_check_failures=blocking_failures, validation_seconds=Timer.seconds)
    return 0 if ok else 1


def _blocked_documents(result) -> list[str]:
    """Documents that could not land because their parse or validation failed (others still landed)."""
    from pipelines.ingest import PARSE_FAILED, VALIDATION_FAILED

    try:
        docs = result.output_for_node("validated_documents")
    except Exception:  # the step did not run: the run itself failed and says so
        return []
    return [d.source_path for d in docs if d.status in (PARSE_FAILED, VALIDATION_FAILED)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unwh", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="parse, validate and land every document in RAW_DIR, then dbt build")
    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
