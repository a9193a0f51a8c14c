"""Budget fascicle (proposed programme budget section) -> resource, post and post-change frames."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.parsing.fascicle import structure
from pipelines.parsing.fascicle.annex_iv import read_annex_iv
from pipelines.parsing.fascicle.compliance import read_compliance
from pipelines.parsing.fascicle.deliverables import read_deliverables
from pipelines.parsing.fascicle.kinds import classify
from pipelines.parsing.fascicle.performance import contexts, read_figures, read_performance_measures
from pipelines.parsing.fascicle.post_changes import read_post_changes
from pipelines.parsing.fascicle.tables import read_numeric_table
from pipelines.parsing.findings import Finding, findings_frame
from pipelines.parsing.records import (
    FACT_SCHEMA,
    KPI_SCHEMA,
    POST_CHANGE_SCHEMA,
    TABLE_SCHEMA,
    with_calendar_periods,
)
from pipelines.parsing.text import Line


def _frame(rows: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """records.frame, built a column at a time (a third faster than Polars reading the row dicts);
    a key a row lacks is null, keys outside the schema are ignored, as there."""
    return pl.DataFrame([pl.Series(name, [r.get(name) for r in rows], dtype=dtype) for name, dtype in schema.items()])


@dataclass
class ParsedFascicle:
    resources: pl.DataFrame
    posts: pl.DataFrame
    post_changes: pl.DataFrame
    kpis: pl.DataFrame
    tables: pl.DataFrame
    findings: pl.DataFrame


def parse_fascicle(lines: list[Line], doc: dict) -> ParsedFascicle:
    """``doc`` carries document_id, document_symbol, language and script onto every row."""
    findings: list[Finding] = []
    facts: list[dict] = []
    changes: list[dict] = []
    table_rows: list[dict] = []
    kpis: list[dict] = []
    sections = structure.entity_sections(lines)
    fact_doc = {k: doc[k] for k in ("document_id", "document_symbol", "language", "script")}
    ctx_at = contexts(lines)
    kpi_readers = {"deliverables": read_deliverables, "compliance": read_compliance}

    for span in structure.tables(lines, sections):
        kind, parser = classify(span.title)
        n = 0
        if parser == "numeric":
            res = read_numeric_table(span, kind, fact_doc)
            facts += res.facts
            findings += res.findings
            n = len(res.facts)
        elif parser == "post_changes":
            rows, f = read_post_changes(span, {"document_id": doc["document_id"],
                                               "document_symbol": doc["document_symbol"]})
            changes += rows
            findings += f
            n = len(rows)
        elif parser in kpi_readers:
            rows, f = kpi_readers[parser](span, fact_doc)
            kpis += rows
            findings += f
            n = len(rows)
        elif parser == "performance":
            rows, f = read_performance_measures(span, fact_doc, ctx_at.get(span.first_line))
            kpis += rows
            findings += f
            n = len(rows)
        elif parser == "unknown":
            findings.append(Finding("warn", "unknown_table_kind",
                                    f"table {span.number} (line {span.first_line}): title {span.title!r} is "
                                    "not a known table kind (pipelines/parsing/fascicle/table_kinds.csv)",
                                    span.number, span.first_line))
        status = "parsed" if parser in ("numeric", "post_changes", "performance", *kpi_readers) else parser
        table_rows.append({
            "document_id": doc["document_id"], "entity_code": span.entity_code, "source_table": span.number,
            "title": span.title, "unit_label": span.unit, "table_kind": kind, "parse_status": status,
            "values_parsed": n, "first_line": span.first_line,
            "last_line": span.lines[-1].number if span.lines else span.first_line,
        })

    def entity_at(number: int) -> str | None:
        return next((s.entity_code for s in sections if s.first_line <= number <= s.last_line), None)

    kpis += read_figures(lines, fact_doc, entity_at, ctx_at)

    annex = structure.annex_iv(lines)
    spans = [t for t in table_rows if t["source_table"] != "annex_iv"]
    if annex is None and spans and spans[-1]["last_line"] >= lines[-1].number:
        last = spans[-1]
        findings.append(Finding("error", "truncated", f"the document ends inside table {last['source_table']} "
                                f"(line {lines[-1].number}) and has no annex IV: a truncated file",
                                last["source_table"], lines[-1].number))
    elif annex is None:
        findings.append(Finding("warn", "annex_iv_missing", "no 附件四 (annex IV) found: special political "
                                "missions' figures are only there", "annex_iv", None))
    else:
        heading, body = annex
        annex_facts, f = read_annex_iv(heading, body, fact_doc)
        facts += annex_facts
        findings += f
        table_rows.append({
            "document_id": doc["document_id"], "entity_code": None, "source_table": "annex_iv",
            "title": body[0].text if body else "", "unit_label": None, "table_kind": "annex_iv",
            "parse_status": "parsed", "values_parsed": len(annex_facts), "first_line": heading.number,
            "last_line": body[-1].number if body else heading.number,
        })

    unknown = [s for s in sections if s.entity_code is None]
    findings += [_unknown_entity(s) for s in unknown]
    known = _outside(unknown, "source_line")
    return ParsedFascicle(
        resources=with_calendar_periods(_frame([f for f in facts if f["family"] == "resources"], FACT_SCHEMA))
        .filter(known),
        posts=with_calendar_periods(_frame([f for f in facts if f["family"] == "posts"], FACT_SCHEMA)).filter(known),
        post_changes=_frame(changes, POST_CHANGE_SCHEMA).filter(known),
        kpis=_frame(kpis, KPI_SCHEMA).filter(known),
        tables=_frame(table_rows, TABLE_SCHEMA).filter(_outside(unknown, "first_line")),
        findings=findings_frame(findings),
    )


def _unknown_entity(section: structure.EntitySection) -> Finding:
    return Finding("warn", "unknown_entity",
                   f"entity {section.name!r} (heading line {section.first_line}, lines {section.first_line}-"
                   f"{section.last_line}) is not in the entity seed: its tables are not landed; extend "
                   "dbt/seeds/entities.csv (name_zh or short_name_zh) to land them", None, section.first_line)


def _outside(sections: list[structure.EntitySection], line: str) -> pl.Expr:
    """Rows printed outside the given sections (the entities the seed does not know)."""
    inside = pl.lit(False)
    for s in sections:
        inside = inside | pl.col(line).is_between(s.first_line, s.last_line)
    return ~inside.fill_null(False)
