"""Raw files -> parsed frames -> validated frames -> landed ``raw.*`` tables."""


from collections import Counter

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines import ingest, landing, validation
from pipelines.config import Settings
from pipelines.ingest import FRAME_SCHEMAS, ParsedDocument

RAW_TABLES = ["documents", *FRAME_SCHEMAS]


def _status_table(docs: list[ParsedDocument]) -> dg.MetadataValue:
    lines = ["| file | kind | symbol | status | message |", "|---|---|---|---|---|"]
    for d in docs:
        lines.append(f"| {d.source_path.rsplit('/', 1)[-1]} | {d.kind} | {d.document_symbol or ''} | {d.status} "
                     f"| {d.message.replace('|', '/')} |")
    return dg.MetadataValue.md("\n".join(lines))


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


@dg.asset(group_name="ingest", compute_kind="python")
def validated_documents(context: dg.AssetExecutionContext, parsed_documents: list[ParsedDocument]
                        ) -> list:
    """Frames checked before landing; a document whose frames break the schema or key does not land."""
    blocked = 0
    for doc in parsed_documents:
        if doc.status != ingest.PARSED:
            continue
        violations = validation.validate_document(doc)
        if violations:
            blocked += 1
            doc.status = ingest.VALIDATION_FAILED
            doc.message = f"{doc.source_path}: " + "; ".join(f"{v.frame}.{v.rule}: {v.detail}" for v in violations)
            context.log.error(doc.message)
    context.add_output_metadata({"blocked_documents": blocked})
    return parsed_documents


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", name], group_name="ingest", kinds={"duckdb"}, deps=["validated_documents"],
                        description=f"raw.{name}: landed frames (pipelines/landing.py)") for name in RAW_TABLES],
    ins={"validated_documents": dg.AssetIn()},
)
def raw_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource,
               validated_documents: list[ParsedDocument]):
    """Land every validated document's frames in one transaction, replacing its earlier rows."""
    landable = {d.document_id for d in validated_documents if d.status == ingest.PARSED}
    with duckdb.get_connection() as con:
        counts = landing.land(con, validated_documents, landable)
        previews = {
            name: con.execute(f"SELECT * FROM raw.{name} LIMIT 5").pl() for name in ("resources", "posts")
        }
    for name in RAW_TABLES:
        meta = {"dagster/row_count": counts.get(name, 0)}
        if name in previews:
            meta["preview"] = dg.MetadataValue.md(_preview(previews[name]))
        yield dg.MaterializeResult(asset_key=["raw", name], metadata=meta)


def _preview(df: pl.DataFrame) -> str:
    cols = ["entity_code", "source_table", "funding_source", "row_label", "fiscal_year", "phase", "value_text",
            "source_line"]
    df = df.select(cols)
    head = "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols)
    rows = ["| " + " | ".join("" if v is None else str(v) for v in r) + " |" for r in df.iter_rows()]
    return "\n".join([head, *rows])


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
