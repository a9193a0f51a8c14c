"""Raw files -> registry -> per-document parse, validate and land (one dynamic partition per document).

The stages themselves live in pipelines/stages.py; these assets run them and report what they did.
"""

from collections import Counter

import dagster as dg
import polars as pl

from pipelines import stages, warehouse
from pipelines.frames import ALL_FRAMES
from pipelines.operations import registry
from pipelines.operations.config import Settings
from pipelines.validation import SUITE_FRAMES

DOCUMENTS = dg.DynamicPartitionsDefinition(name="documents")
REGISTRY_KEY = dg.AssetKey(["raw", "documents"])
PER_DOCUMENT_TABLES = ["ingest_log", *ALL_FRAMES]
FULL_REFRESH_TAG = "unwh/full_refresh"
WORKERS_TAG = "unwh/workers"  # documents processed in parallel on the lake (`unwh run --workers N`)
# Steps that land documents: limit 1 on the file (one writer), N on the lake (see dagster.yaml, `make dev`).
WRITER_POOL = "duckdb_writer"
SUITE_CHECKS = [
    dg.AssetCheckSpec(
        name=f"{suite}_suite",
        asset=dg.AssetKey(["raw", frame]),
        description=f"Great Expectations suite expectations/{suite}.json on each "
        f"document's {frame} frame, before it lands",
    )
    for suite, frame in SUITE_FRAMES.items()
]


def _md_table(df: pl.DataFrame, limit: int = 20) -> dg.MetadataValue:
    if df.is_empty():
        return dg.MetadataValue.md("none")
    head = "| " + " | ".join(df.columns) + " |\n|" + "---|" * len(df.columns)
    rows = [
        "| " + " | ".join("" if v is None else str(v).replace("|", "/")[:120] for v in r) + " |"
        for r in df.head(limit).iter_rows()
    ]
    return dg.MetadataValue.md("\n".join([head, *rows]))


@dg.asset(key=REGISTRY_KEY, group_name="ingest", kinds={"duckdb"}, pool=WRITER_POOL)
def document_registry(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Every file in RAW_DIR with its stable document id; documents that left RAW_DIR are removed."""
    settings = Settings.from_env()
    files, gone = stages.register(settings, log=context.log.info)
    for path in gone:
        context.log.info(f"{path}: no longer in RAW_DIR; its facts were removed")
    kinds = Counter(f.document_kind for f in files if not f.duplicate_of and not f.refused)
    return dg.MaterializeResult(
        metadata={
            "raw_dir": str(settings.raw_dir),
            "files": len(files),
            "documents": len(registry.documents(files)),
            "duplicates": sum(1 for f in files if f.duplicate_of),
            "refused": sum(1 for f in files if f.refused),
            "removed": dg.MetadataValue.json(gone),
            **{f"kind_{k}": v for k, v in sorted(kinds.items())},
            "dagster/row_count": len(files),
        }
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", name],
            group_name="ingest",
            kinds={"duckdb"},
            deps=[REGISTRY_KEY],
            partitions_def=DOCUMENTS,
            description=f"raw.{name}: one document's rows per partition",
        )
        for name in PER_DOCUMENT_TABLES
    ],
    check_specs=SUITE_CHECKS,
    partitions_def=DOCUMENTS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WRITER_POOL,
)
def ingested_documents(context: dg.AssetExecutionContext):
    """Parse, validate and land each document of the run's partitions (pipelines/stages.py).

    A document already landed with the same content and pipeline version is skipped (not re-parsed)
    unless the run is a full refresh. Bad input is quarantined with its reason; the others land. On the
    lake, ``unwh/workers`` documents are processed in parallel (default WAREHOUSE_WRITERS).
    """
    settings = Settings.from_env()
    workers = context.run.tags.get(WORKERS_TAG)
    report = stages.ingest_documents(
        settings,
        list(context.partition_keys),
        force=context.run.tags.get(FULL_REFRESH_TAG) == "true",
        workers=int(workers) if workers else None,
        log=context.log.info,
    )
    for warning in report.warnings:
        context.log.warning(warning)
    for q in report.quarantined:
        context.log.warning(f"quarantined {q['message']}")
    for path in report.gone:
        context.log.info(f"{path}: no longer in RAW_DIR; its facts were removed")
    context.log.info(
        "stage seconds: " + ", ".join(f"{k}={report.seconds[k]:.2f}" for k in ("parse", "validate", "land"))
    )
    with warehouse.reading(settings, log=context.log.info) as con:
        counts = {name: con.execute(f"SELECT count(*) FROM raw.{name}").fetchone()[0] for name in PER_DOCUMENT_TABLES}
        previews = {
            name: con.execute(f"SELECT * EXCLUDE (document_id) FROM raw.{name} LIMIT 5").pl()
            for name in ("resources", "posts", "kpis", "dq_findings", "ingest_log")
        }
    summary = {
        "partitions_in_run": len(context.partition_keys),
        **{f"documents_{k}": v for k, v in sorted(report.outcome.items())},
        **{f"seconds_{k}": round(report.seconds[k], 2) for k in ("parse", "validate", "land")},
        "great_expectations_seconds": round(report.seconds["great_expectations"], 2),
    }
    for name in PER_DOCUMENT_TABLES:
        meta = {"dagster/row_count": counts[name], **summary}
        if name in previews:
            meta["preview"] = _md_table(previews[name])
        if name == "ingest_log":
            meta["quarantined"] = _md_table(pl.DataFrame(report.quarantined)) if report.quarantined else "none"
        yield dg.MaterializeResult(asset_key=["raw", name], metadata=meta)
    yield from _suite_checks(report.validation_results)


def _suite_checks(all_results: pl.DataFrame | None):
    for suite, frame in SUITE_FRAMES.items():
        res = all_results.filter(pl.col("suite") == suite) if all_results is not None else pl.DataFrame()
        failed = res.filter(~pl.col("success")) if res.height else res
        errors = failed.filter(pl.col("severity") == "error") if failed.height else failed
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(["raw", frame]),
            check_name=f"{suite}_suite",
            passed=failed.height == 0,
            severity=dg.AssetCheckSeverity.ERROR if errors.height else dg.AssetCheckSeverity.WARN,
            metadata={
                "documents_validated": res["document_id"].n_unique() if res.height else 0,
                "expectations_evaluated": res.height,
                "failed_error": errors.height,
                "failed_warn": failed.height - errors.height,
                "failures": _md_table(
                    failed.select(
                        "source_path", "expectation", "column_name", "severity", "unexpected_count", "unexpected_sample"
                    )
                )
                if failed.height
                else "none",
            },
        )


@dg.asset_check(
    asset=dg.AssetKey(["raw", "parse_findings"]),
    blocking=False,
    description="Parse findings of severity error: values the parser could not place.",
)
def no_parse_errors() -> dg.AssetCheckResult:
    with warehouse.reading(Settings.from_env()) as con:
        errors = con.execute(
            "SELECT source_table, source_line, code, message FROM raw.parse_findings "
            "WHERE severity = 'error' ORDER BY source_table, source_line"
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not errors,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "errors": len(errors),
            "first_errors": dg.MetadataValue.md("\n".join(f"- {e[3]}" for e in errors[:20]) or "none"),
        },
    )
