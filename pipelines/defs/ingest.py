"""Raw files -> registry -> per-document parse, validate and land (one dynamic partition per document)."""

import time
from collections import Counter
from pathlib import Path

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines import ingest, landing, registry
from pipelines.config import Settings
from pipelines.frames import ALL_FRAMES
from pipelines.lock import warehouse_lock
from pipelines.validation import SUITE_FRAMES, blocking_failures, validate_documents
from pipelines.validation.suites import Timer, load_suite
from pipelines.version import pipeline_version

DOCUMENTS = dg.DynamicPartitionsDefinition(name="documents")
REGISTRY_KEY = dg.AssetKey(["raw", "documents"])
PER_DOCUMENT_TABLES = ["ingest_log", *ALL_FRAMES]
FULL_REFRESH_TAG = "unwh/full_refresh"
CHUNK = 50   # documents parsed, validated and landed together
SUITE_CHECKS = [dg.AssetCheckSpec(name=f"{suite}_suite", asset=dg.AssetKey(["raw", frame]),
                                  description=f"Great Expectations suite expectations/{suite}.json on each "
                                              f"document's {frame} frame, before it lands")
                for suite, frame in SUITE_FRAMES.items()]


def _md_table(df: pl.DataFrame, limit: int = 20) -> dg.MetadataValue:
    if df.is_empty():
        return dg.MetadataValue.md("none")
    head = "| " + " | ".join(df.columns) + " |\n|" + "---|" * len(df.columns)
    rows = ["| " + " | ".join("" if v is None else str(v).replace("|", "/")[:120] for v in r) + " |"
            for r in df.head(limit).iter_rows()]
    return dg.MetadataValue.md("\n".join([head, *rows]))


def _cache(con) -> dict:
    landing.ensure_tables(con)
    rows = con.execute("SELECT * FROM raw.documents").pl()
    return {r["source_path"]: {k: r[k] for k in registry.REGISTRY_SCHEMA} for r in rows.iter_rows(named=True)}


@dg.asset(key=REGISTRY_KEY, group_name="ingest", kinds={"duckdb"}, pool="duckdb_writer")
def document_registry(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    """Every file in RAW_DIR with its stable document id; documents that left RAW_DIR are removed."""
    settings = Settings.from_env()
    with warehouse_lock(settings.warehouse_path, log=context.log.info), duckdb.get_connection() as con:
        files = registry.scan(settings.raw_dir, _cache(con))
        landing.write_registry(con, files)
        gone = landing.prune(con)
    for path in gone:
        context.log.info(f"{path}: no longer in RAW_DIR; its facts were removed")
    kinds = Counter(f.document_kind for f in files if not f.duplicate_of and not f.refused)
    return dg.MaterializeResult(metadata={
        "raw_dir": str(settings.raw_dir),
        "files": len(files),
        "documents": len(registry.documents(files)),
        "duplicates": sum(1 for f in files if f.duplicate_of),
        "refused": sum(1 for f in files if f.refused),
        "removed": dg.MetadataValue.json(gone),
        **{f"kind_{k}": v for k, v in sorted(kinds.items())},
        "dagster/row_count": len(files),
    })


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", name], group_name="ingest", kinds={"duckdb"}, deps=[REGISTRY_KEY],
                        partitions_def=DOCUMENTS, description=f"raw.{name}: one document's rows per partition")
           for name in PER_DOCUMENT_TABLES],
    check_specs=SUITE_CHECKS,
    partitions_def=DOCUMENTS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool="duckdb_writer",
)
def ingested_documents(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    """Parse, validate and land each document of the run's partitions, one transaction per document.

    A document already landed with the same content and pipeline version is skipped (not re-parsed)
    unless the run is a full refresh. Bad input is quarantined with its reason; the others land.
    """
    settings = Settings.from_env()
    version = pipeline_version()
    force = context.run.tags.get(FULL_REFRESH_TAG) == "true"
    keys = context.partition_keys
    gx_before = Timer.seconds
    for suite in SUITE_FRAMES:
        load_suite(suite)   # a suite file the library rejects fails the run here, naming the file
    results, outcome, stage = [], Counter(), Counter()
    quarantined = []
    with warehouse_lock(settings.warehouse_path, log=context.log.info), duckdb.get_connection() as con:
        files = {r["document_id"]: r for r in con.execute(
            "SELECT * FROM raw.documents WHERE duplicate_of IS NULL").pl().iter_rows(named=True)}
        todo, moved = [], {}
        landed = set() if force else landing.landed(con, [k for k in keys if k in files], version)  # one query
        for key in keys:
            entry = files.get(key)
            if entry is None:
                context.log.warning(f"{key}: not in RAW_DIR any more; nothing to do")
                outcome["missing"] += 1
            elif key in landed:
                moved[key] = entry["source_path"]
                outcome["unchanged"] += 1
            else:
                todo.append((key, entry))
        landing.record_paths(con, moved)
        # Parse, validate and land in chunks: bounded memory, one Great Expectations run per suite and chunk.
        for first in range(0, len(todo), CHUNK):
            docs = []
            clock = time.perf_counter()
            for key, entry in todo[first:first + CHUNK]:
                doc = ingest.parse_file(Path(entry["source_path"]), settings.raw_dir)
                if doc.document_id != key:   # changed since it was registered: the sensor will see it
                    context.log.warning(f"{entry['source_path']}: changed since registration; skipped this run")
                    outcome["changed"] += 1
                    continue
                docs.append(doc)
            parsed = {d.document_id: d.frames for d in docs if d.status == ingest.PARSED}
            stage["parse"] += time.perf_counter() - clock
            clock = time.perf_counter()
            validated = validate_documents(parsed) if parsed else {}
            for doc in docs:
                if doc.document_id not in validated:
                    continue
                out = validated[doc.document_id]
                doc.frames.update(out)
                results.append(out["validation_results"].with_columns(pl.lit(doc.source_path).alias("source_path")))
                blocking = blocking_failures(out["validation_results"])
                if blocking.height:
                    doc.quarantine(ingest.VALIDATION_FAILED, f"{doc.source_path}: blocked by {blocking.height} failed "
                                   "error expectations: " + "; ".join(
                                       f"{r['suite']}.{r['expectation']}({r['column_name']})"
                                       for r in blocking.iter_rows(named=True)))
            stage["validate"] += time.perf_counter() - clock
            clock = time.perf_counter()
            landing.land_documents(con, docs, version)
            stage["land"] += time.perf_counter() - clock
            for doc in docs:
                outcome[doc.status] += 1
                if doc.status != ingest.PARSED:
                    quarantined.append({"file": doc.source_path, "reason": doc.reason, "line": doc.error_line,
                                        "message": doc.message})
                    context.log.warning(f"quarantined {doc.message}")
            context.log.info(f"[{min(first + CHUNK, len(todo))}/{len(todo)}] documents parsed, validated and "
                             f"landed ({len(keys) - len(todo)} unchanged or missing)")
        gone = landing.prune(con)
        counts = {name: con.execute(f"SELECT count(*) FROM raw.{name}").fetchone()[0] for name in PER_DOCUMENT_TABLES}
        previews = {name: con.execute(f"SELECT * EXCLUDE (document_id) FROM raw.{name} LIMIT 5").pl()
                    for name in ("resources", "posts", "kpis", "dq_findings", "ingest_log")}
    for path in gone:
        context.log.info(f"{path}: no longer in RAW_DIR; its facts were removed")
    context.log.info("stage seconds: " + ", ".join(f"{k}={stage[k]:.2f}" for k in ("parse", "validate", "land")))
    summary = {"partitions_in_run": len(keys), **{f"documents_{k}": v for k, v in sorted(outcome.items())},
               **{f"seconds_{k}": round(v, 2) for k, v in stage.items()},
               "great_expectations_seconds": round(Timer.seconds - gx_before, 2)}
    for name in PER_DOCUMENT_TABLES:
        meta = {"dagster/row_count": counts[name], **summary}
        if name in previews:
            meta["preview"] = _md_table(previews[name])
        if name == "ingest_log":
            meta["quarantined"] = _md_table(pl.DataFrame(quarantined)) if quarantined else "none"
        yield dg.MaterializeResult(asset_key=["raw", name], metadata=meta)
    all_results = pl.concat(results) if results else None
    for suite, frame in SUITE_FRAMES.items():
        res = all_results.filter(pl.col("suite") == suite) if all_results is not None else pl.DataFrame()
        failed = res.filter(~pl.col("success")) if res.height else res
        errors = failed.filter(pl.col("severity") == "error") if failed.height else failed
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(["raw", frame]), check_name=f"{suite}_suite", passed=failed.height == 0,
            severity=dg.AssetCheckSeverity.ERROR if errors.height else dg.AssetCheckSeverity.WARN,
            metadata={
                "documents_validated": res["document_id"].n_unique() if res.height else 0,
                "expectations_evaluated": res.height,
                "failed_error": errors.height,
                "failed_warn": failed.height - errors.height,
                "failures": _md_table(failed.select("source_path", "expectation", "column_name", "severity",
                                                    "unexpected_count", "unexpected_sample"))
                if failed.height else "none",
            },
        )


@dg.asset_check(asset=dg.AssetKey(["raw", "parse_findings"]), blocking=False,
                description="Parse findings of severity error: values the parser could not place.")
def no_parse_errors(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as con:
        errors = con.execute(
            "SELECT source_table, source_line, code, message FROM raw.parse_findings "
            "WHERE severity = 'error' ORDER BY source_table, source_line").fetchall()
    return dg.AssetCheckResult(
        passed=not errors,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"errors": len(errors),
                  "first_errors": dg.MetadataValue.md("\n".join(f"- {e[3]}" for e in errors[:20]) or "none")},
    )
