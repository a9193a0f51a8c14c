"""Budget fascicle (proposed programme budget section) -> resource, post and post-change frames."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import polars as pl

# The readers register themselves (readers.READERS) under the parser names of table_kinds.csv.
from pipelines.parsing.fascicle import annex_iv, compliance, deliverables, post_changes, structure, tables  # noqa: F401
from pipelines.parsing.fascicle.facts import fact_frames, values_in
from pipelines.parsing.fascicle.kinds import classify
from pipelines.parsing.fascicle.kpi_rows import kpi_frame
from pipelines.parsing.fascicle.performance import contexts, read_figures
from pipelines.parsing.fascicle.readers import ReadContext, finding, registered
from pipelines.parsing.fascicle.structure import TableSpan
from pipelines.parsing.findings import Finding, findings_frame
from pipelines.parsing.records import POST_CHANGE_SCHEMA, TABLE_SCHEMA, columns
from pipelines.parsing.text import Line

# Annex IV holds the special political missions' figures and nothing else does: a fascicle without it
# is reported (or, ending inside a table, is a truncated file).
REQUIRED_ANNEX = "annex_iv"


def _frame(rows: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """records.frame, built a column at a time (half the time of Polars reading the row dicts); a key
    a row lacks is null, keys outside the schema are ignored, as there."""
    return pl.DataFrame(
        [
            pl.Series(name, values, dtype=dtype)
            for (name, dtype), values in zip(schema.items(), columns(rows, schema), strict=True)
        ]
    )


@dataclass
class ParsedFascicle:
    resources: pl.DataFrame
    posts: pl.DataFrame
    post_changes: pl.DataFrame
    kpis: pl.DataFrame
    tables: pl.DataFrame
    findings: pl.DataFrame


@dataclass
class _Collected:
    """What the readers returned, by frame, with the tables read and the findings."""

    # facts: FactRow per printed row (facts.py); KPIs: KpiRow per printed row or a dict per value
    # (kpi_rows.py); post changes: a dict per row
    frames: dict[str, list] = field(default_factory=lambda: {"facts": [], "post_changes": [], "kpis": []})
    tables: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def read(self, span: TableSpan, kind: str, parser: str, context: ReadContext) -> None:
        """Read one table with the reader its kind names, and list it in source_tables."""
        found = registered(parser)
        n = 0
        if found is not None:
            rows, findings = found.read(span, context)
            self.frames[found.frame] += rows
            self.findings += findings
            n = values_in(rows)
        elif parser == "unknown":
            self.findings.append(
                finding(
                    "unknown_table_kind",
                    f"table {span.number} (line {span.first_line}): "
                    f"title {span.title!r} is not a known table kind "
                    "(pipelines/parsing/fascicle/table_kinds.csv)",
                    span.number,
                    span.first_line,
                )
            )
        self.tables.append(
            {
                "document_id": context.doc["document_id"],
                "entity_code": span.entity_code,
                "source_table": span.number,
                "title": span.title,
                "unit_label": span.unit,
                "table_kind": kind,
                "parse_status": "parsed" if found is not None else parser,
                "values_parsed": n,
                "first_line": span.first_line,
                "last_line": span.lines[-1].number if span.lines else span.first_line,
            }
        )


def parse_fascicle(lines: list[Line], doc: dict) -> ParsedFascicle:
    """``doc`` carries document_id, document_symbol, language and script onto every row."""
    sections = structure.entity_sections(lines)
    fact_doc = {k: doc[k] for k in ("document_id", "document_symbol", "language", "script")}
    ctx_at = contexts(lines)
    out = _Collected()
    for span in structure.tables(lines, sections):
        kind, parser = classify(span.title)
        out.read(span, kind, parser, ReadContext(kind, fact_doc, ctx_at.get(span.first_line)))

    def entity_at(number: int) -> str | None:
        return next((s.entity_code for s in sections if s.first_line <= number <= s.last_line), None)

    out.frames["kpis"] += read_figures(lines, fact_doc, entity_at, ctx_at)
    _read_annexes(lines, fact_doc, out)
    return _parsed(out, sections)


def _read_annexes(lines: list[Line], fact_doc: dict, out: _Collected) -> None:
    """The annexes whose titles name a kind of table_kinds.csv (found_in annex), each named by its kind."""
    numbered = list(out.tables)
    annexes = {}
    for annex in structure.annexes(lines):
        kind, parser = classify(annex.title, "annex")
        if parser != "unknown" and kind not in annexes:
            annexes[kind] = (replace(annex, number=kind), parser)
    if REQUIRED_ANNEX not in annexes and numbered and numbered[-1]["last_line"] >= lines[-1].number:
        last = numbered[-1]
        out.findings.append(
            finding(
                "truncated",
                f"the document ends inside table {last['source_table']} "
                f"(line {lines[-1].number}) and has no annex IV: a truncated file",
                last["source_table"],
                lines[-1].number,
            )
        )
    elif REQUIRED_ANNEX not in annexes:
        out.findings.append(
            finding(
                "annex_iv_missing",
                "no 附件四 (annex IV) found: special political missions' figures are only there",
                REQUIRED_ANNEX,
            )
        )
    for kind, (span, parser) in annexes.items():
        out.read(span, kind, parser, ReadContext(kind, fact_doc))


def _parsed(out: _Collected, sections: list[structure.EntitySection]) -> ParsedFascicle:
    """The frames, without the sections of entities the seed does not know (each reported)."""
    unknown = [s for s in sections if s.entity_code is None]
    findings = out.findings + [_unknown_entity(s) for s in unknown]
    known = _outside(unknown, "source_line")
    facts = fact_frames(out.frames["facts"])
    return ParsedFascicle(
        resources=known(facts["resources"]),
        posts=known(facts["posts"]),
        post_changes=known(_frame(out.frames["post_changes"], POST_CHANGE_SCHEMA)),
        kpis=known(kpi_frame(out.frames["kpis"])),
        tables=_outside(unknown, "first_line")(_frame(out.tables, TABLE_SCHEMA)),
        findings=findings_frame(findings),
    )


def _unknown_entity(section: structure.EntitySection) -> Finding:
    return finding(
        "unknown_entity",
        f"entity {section.name!r} (heading line {section.first_line}, lines {section.first_line}-"
        f"{section.last_line}) is not in the entity seed: its tables are not landed; extend "
        "dbt/seeds/entities.csv (name_zh or short_name_zh) to land them",
        None,
        section.first_line,
    )


def _outside(sections: list[structure.EntitySection], line: str) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A frame's rows printed outside the given sections (the entities the seed does not know); with
    no such section, the frame itself (no query to run)."""
    if not sections:
        return lambda frame: frame
    inside = pl.lit(False)
    for s in sections:
        inside = inside | pl.col(line).is_between(s.first_line, s.last_line)
    return lambda frame: frame.filter(~inside.fill_null(False))
