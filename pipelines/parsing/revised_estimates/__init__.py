"""The revised estimates A/80/400, read from the Word file: every table in document order, its kind
recognised from its title, its entity from the heading above it, its columns from its header rows.

An entity heading whose name is not in dbt/seeds/entities.csv does not stop the document: that
entity's tables are not landed and one finding (``unknown_entity``) names it and the seed to extend.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import polars as pl

from pipelines.parsing.findings import Finding, finding, findings_frame
from pipelines.parsing.records import FACT_SCHEMA, POST_CHANGE_SCHEMA, TABLE_SCHEMA, frame

# the readers (block_rows ... staffing) register themselves under table_kinds.csv's reader names
from pipelines.parsing.revised_estimates import (  # noqa: F401
    block_rows,
    docx,
    matrix,
    overall_rows,
    phase_rows,
    post_actions,
    staffing,
)
from pipelines.parsing.revised_estimates.entities import entity_code
from pipelines.parsing.revised_estimates.readers import ReadContext, registered
from pipelines.parsing.revised_estimates.structure import TableSpec, table_specs


@dataclass
class ParsedRevisedEstimates:
    resources: pl.DataFrame
    posts: pl.DataFrame
    post_changes: pl.DataFrame
    tables: pl.DataFrame
    findings: pl.DataFrame
    read_seconds: float = 0.0  # unzip and XML parse of word/document.xml
    parse_seconds: float = 0.0  # tables into frames
    counts: dict[str, int] = field(default_factory=dict)  # facts per table kind


def _entity(spec: TableSpec, unknown: dict[str, list[str]]) -> tuple[str | None, bool]:
    """(entity code, known). Tables under no entity heading (the overviews) belong to no entity."""
    if spec.entity_name is None:
        return None, True
    code = entity_code(spec.entity_name)
    if code is None:
        unknown.setdefault(spec.entity_name, []).append(spec.source_table)
    return code, code is not None


def _table_row(doc: dict, spec: TableSpec, entity: str | None, status: str, n: int) -> dict:
    rows = spec.table.rows
    return {
        "document_id": doc["document_id"],
        "entity_code": entity,
        "source_table": spec.source_table,
        "title": spec.title,
        "unit_label": spec.unit,
        "table_kind": spec.kind.table_kind,
        "parse_status": status,
        "values_parsed": n,
        "first_line": spec.first_line,
        "last_line": rows[-1].ordinal if rows else spec.first_line,
        "table_index": spec.table.index,
    }


def _unknown_entity_findings(unknown: dict[str, list[str]]) -> list[Finding]:
    return [
        finding(
            "unknown_entity",
            f"entity {name!r} (tables {', '.join(dict.fromkeys(tables))}) is not in "
            "dbt/seeds/entities.csv: its rows are not landed; extend dbt/seeds/entities.csv",
            tables[0],
            None,
        )
        for name, tables in unknown.items()
    ]


def parse_blocks(blocks: list, doc: dict) -> tuple[dict[str, list[dict]], list[dict], list[Finding]]:
    out: dict[str, list[dict]] = {"resources": [], "posts": [], "post_changes": []}
    tables, findings, unknown = [], [], {}
    for spec in table_specs(blocks):
        if spec.number_text and not spec.number_text.startswith("Table"):
            findings.append(
                finding(
                    "table_number_damaged",
                    f"Word table {spec.table.index}: its number is "
                    f"printed {spec.number_text!r}; read as table {spec.number}",
                    spec.source_table,
                    spec.first_line,
                )
            )
        reader = registered(spec.kind.reader)
        entity, known = _entity(spec, unknown)
        if reader is None:
            tables.append(_table_row(doc, spec, entity, "not_yet" if spec.kind.reader == "not_yet" else "unknown", 0))
            continue
        context = ReadContext(spec.kind.table_kind, doc, entity=entity)
        rows, found = ([], []) if not known else reader.read(spec, context)
        for f in found:  # entity rows of overview tables: one finding per entity name, with its tables
            if f.code == "unknown_entity":
                unknown.setdefault(f.message, []).append(spec.source_table)
        findings += [f for f in found if f.code != "unknown_entity"]
        for r in rows:  # a summary table's facts name their frame (money or posts) themselves
            out[r.pop("_frame", None) or spec.kind.family].append(r)
        tables.append(_table_row(doc, spec, entity, "parsed", len(rows)))
    return out, tables, findings + _unknown_entity_findings(unknown)


def revised_estimates_frames(
    out: dict[str, list[dict]], tables: list[dict], findings: list[Finding], doc: dict
) -> ParsedRevisedEstimates:
    fact_doc = {k: doc[k] for k in ("document_id", "document_symbol", "language", "script")}
    resources = frame([{**fact_doc, **r} for r in out["resources"]], FACT_SCHEMA)
    posts = frame([{**fact_doc, **r} for r in out["posts"]], FACT_SCHEMA)
    changes = frame(
        [{k: v for k, v in r.items() if k in POST_CHANGE_SCHEMA} for r in out["post_changes"]], POST_CHANGE_SCHEMA
    )
    counts: dict[str, int] = {}
    for fam in (resources, posts):
        for kind, n in fam.group_by("table_kind").len().iter_rows():
            counts[kind] = n
    if changes.height:
        counts["post_changes"] = changes.height
    return ParsedRevisedEstimates(
        resources, posts, changes, frame(tables, TABLE_SCHEMA), findings_frame(findings), counts=counts
    )


def parse_revised_estimates(raw: bytes, doc: dict) -> ParsedRevisedEstimates:
    """doc: document_id, document_symbol, language, script (copied onto every fact)."""
    t0 = time.perf_counter()
    blocks = docx.read_blocks(raw)
    t1 = time.perf_counter()
    parsed = revised_estimates_frames(*parse_blocks(blocks, doc), doc)
    parsed.read_seconds, parsed.parse_seconds = t1 - t0, time.perf_counter() - t1
    return parsed
