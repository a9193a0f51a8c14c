"""Raw files -> parsed frames -> validated frames -> landed ``raw.*`` tables."""

from collections import Counter

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines import ingest, landing
from pipelines.config import Settings
from pipelines.frames import ALL_FRAMES
from pipelines.ingest import ParsedDocument
from pipelines.validation import SUITE_FRAMES, blocking_failures, validate_frames
from pipelines.validation.suites import Timer, load_suite

RAW_TABLES = ["documents", *ALL_FRAMES]
SUITE_CHECKS = [dg.AssetCheckSpec(name=f"{suite}_suite", asset="validated_documents",
                                  description=f"Great Expectations suite expectations/{suite}.json on every "
                                              f"document's {frame} frame")
                for suite, frame in SUITE_FRAMES.items()]


def _status_table(docs: list[ParsedDocument]) -> dg.MetadataValue:
    lines = ["| file | kind | symbol | status | message |", "|---|---|---|---|---|"]
    for d in docs:
        lines.append(f"| {d.source_path.rsplit('/', 1)[-1]} | {d.kind} | {d.document_symbol or ''} | {d.status} "
                     f"| {d.message.replace('|', '/')} |")
    return dg.MetadataValue.md("\n".join(lines))


def _md_table(df: pl.DataFrame, limit: int = 20) -> dg.MetadataValue:
    head = "| " + " | ".join(df.columns) + " |\n|" + "---|" * len(df.columns)
    rows = ["| " + " | ".join("" if v is None else str(v).replace("|", "/") for v in r) + " |"
            for r in df.head(limit).iter_rows()]
    return dg.MetadataValue.md("\n".join([head, *rows]) if rows else "none")


@dg.asset(group_name="ingest", compute_kind="python")
def parsed_documents(context: dg.AssetExecutionContext) -> list:
    """Every file in RAW_DIR, recognised from its content and parsed into Polars frames."""
    settings = Settings.from_env()
    paths = ingest.discover(settings.raw_dir)
    docs = []
    for i, path in enumerate(paths, start=1):
        doc = ingest.parse_file(path)
        context.log.info(f"[{i}/{len(paths)}] {path.name}: {doc.status}: {doc.message}")
        docs.append(doc)
    docs = landing.deduplicate(docs)
    statuses = Counter(d.status for d in docs)
    context.add_output_metadata({
        "raw_dir": str(settings.raw_dir),
        "documents": len(docs),
        **{f"status_{k}": v for k, v in sorted(statuses.items())},
        "documents_table": _status_table(docs),
    })
    return docs


@dg.asset(group_name="ingest", compute_kind="great_expectations", check_specs=SUITE_CHECKS)
def validated_documents(context: dg.AssetExecutionContext, parsed_documents: list):
    """Each parsed document's frames validated by the Great Expectations suites in expectations/.

    A failed ``error`` expectation blocks landing for that document (its last good version stays);
    ``warn`` expectations (printed totals that disagree with their parts) become data-quality findings.
    """
    seconds_before = Timer.seconds
    for suite in SUITE_FRAMES:
        load_suite(suite)  # a suite file the library rejects fails the run here, naming the file
    results = []
    for doc in parsed_documents:
        if doc.status != ingest.PARSED:
            continue
        out = validate_frames(doc.document_id, doc.frames)
        doc.frames.update(out)
        results.append(out["validation_results"].with_columns(pl.lit(doc.source_path).alias("source_path")))
        blocking = blocking_failures(out["validation_results"])
        if blocking.height:
            doc.status = ingest.VALIDATION_FAILED
            doc.message = (f"{doc.source_path}: blocked by {blocking.height} failed error expectations: "
                           + "; ".join(f"{r['suite']}.{r['expectation']}({r['column_name']})"
                                       for r in blocking.iter_rows(named=True)))
            context.log.error(doc.message)
        context.log.info(f"{doc.source_path}: {out['dq_findings'].height} data-quality findings")
    all_results = pl.concat(results) if results else None
    yield dg.Output(parsed_documents, metadata={
        "great_expectations_seconds": round(Timer.seconds - seconds_before, 2),
        "blocked_documents": sum(d.status == ingest.VALIDATION_FAILED for d in parsed_documents),
    })
    for suite in SUITE_FRAMES:
        res = all_results.filter(pl.col("suite") == suite) if all_results is not None else pl.DataFrame()
        failed = res.filter(~pl.col("success")) if res.height else res
        errors = failed.filter(pl.col("severity") == "error") if failed.height else failed
        yield dg.AssetCheckResult(
            check_name=f"{suite}_suite",
            passed=failed.height == 0,
            severity=dg.AssetCheckSeverity.ERROR if errors.height else dg.AssetCheckSeverity.WARN,
            metadata={
                "documents": res["document_id"].n_unique() if res.height else 0,
                "expectations_evaluated": res.height,
                "failed_error": errors.height,
                "failed_warn": failed.height - errors.height,
                "failures": _md_table(failed.select("source_path", "expectation", "column_name", "severity",
                                                    "unexpected_count", "unexpected_sample"))
                if failed.height else "none",
            },
        )


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", name], group_name="ingest", kinds={"duckdb"}, deps=["validated_documents"],
                        description=f"raw.{name}: landed frames (pipelines/landing.py)") for name in RAW_TABLES],
    ins={"validated_documents": dg.AssetIn()},
)
def raw_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, validated_documents: list):
    """Land every validated document's frames in one transaction, replacing its earlier rows."""
    landable = {d.document_id for d in validated_documents if d.status == ingest.PARSED}
    with duckdb.get_connection() as con:
        counts = landing.land(con, validated_documents, landable)
        previews = {name: con.execute(f"SELECT * FROM raw.{name} LIMIT 5").pl()
                    for name in ("resources", "posts", "dq_findings")}
    for name in RAW_TABLES:
        meta = {"dagster/row_count": counts.get(name, 0)}
        if name in previews:
            meta["preview"] = _md_table(previews[name])
        yield dg.MaterializeResult(asset_key=["raw", name], metadata=meta)


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
