"""Summary tables whose rows are phases and whose columns are a funding source's money or posts
(A/80/400 table 5, "Financial and human resources": "Appropriation for 2025" ... across "Regular
budget / Financial", "Regular budget / Posts, except special political missions" ...).

A column's funding source is its group header (a label_en of dbt/seeds/funding_sources.csv), its
frame and scope come from column_words.csv beside this module. A row naming a phase and period is an
amount of that phase; a block row ("Transitional capacities", "One-time costs related to ...") is
the block's amount in the phase and period of the last phase row printing a figure in that column.
Every fact is the Secretariat-wide total of its column (line item ``total``, entity null).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines import vocab
from pipelines.parsing.findings import Finding, finding
from pipelines.parsing.revised_estimates import columns as cols
from pipelines.parsing.revised_estimates.cells import read_value
from pipelines.parsing.revised_estimates.entities import normalise
from pipelines.parsing.revised_estimates.headers import Column, cell_at, read_header
from pipelines.parsing.revised_estimates.matrix import fact_record
from pipelines.parsing.revised_estimates.readers import ReadContext, reader
from pipelines.parsing.revised_estimates.structure import TableSpec


@dataclass(frozen=True)
class _Target:
    funding_source: str
    family: str  # resources | posts
    scope: str


@cache
def _column_words() -> tuple[tuple[re.Pattern, str, str], ...]:
    with open(Path(__file__).with_name("column_words.csv"), encoding="utf-8", newline="") as fh:
        return tuple((re.compile(r["pattern"], re.I), r["family"], r["scope"]) for r in csv.DictReader(fh))


@cache
def _funding_sources() -> dict[str, str]:
    return {normalise(r["label_en"]): r["funding_source_code"] for r in vocab.rows("funding_sources")}


def column_words(column: Column | str) -> tuple[str, str] | None:
    """(frame, scope) of a column by its header as printed (column_words.csv), or of a group's name, or None."""
    text = column if isinstance(column, str) else column.header
    return next(((f, s) for p, f, s in _column_words() if p.search(text.strip())), None)


def _target(column: Column) -> _Target | None:
    if len(column.parts) < 2:
        return None
    source = _funding_sources().get(normalise(column.parts[0]))
    words = column_words(column)
    return _Target(source, *words) if source and words else None


def _row_scope(label: str) -> str | None:
    """A block row: the transitional capacities (columns.block_scope) or a scope of scopes.csv by its label."""
    if scope := cols.block_scope(label):
        return scope
    labels = {normalise(r["label_en"]): r["scope_code"] for r in vocab.rows("scopes")}
    return next((code for text, code in labels.items() if normalise(label).startswith(text)), None)


@reader("phase_rows", "facts")
def read_phase_rows(spec: TableSpec, context: ReadContext) -> tuple[list[dict], list[Finding]]:
    """Facts of a summary table with phases down and funding sources' money and posts across."""
    header = read_header(spec.table)
    table, findings, facts = spec.source_table, [], []
    targets = [_target(c) for c in header.columns[1:]]
    for c, t in zip(header.columns[1:], targets, strict=True):
        if t is None:
            message = f"table {table}: column {c.header!r} names no funding source and family; not read"
            findings.append(finding("column_not_read", message, table, spec.first_line))
    last: dict[int, cols.Meaning] = {}  # per column, the last phase row printing a figure there
    for row_index, row in enumerate(spec.table.rows[header.rows :], start=header.rows):
        label = row.cells[0].text.text if row.cells else ""
        phase, period = cols.phase_of(label), cols.period_of(label)
        scope = None if phase and period else _row_scope(label)
        if not label or not ((phase and period) or scope):
            if label:
                message = f"table {table} row {row_index}: {label!r} names no phase, period or block; not read"
                findings.append(finding("row_not_read", message, table, row.ordinal))
            continue
        for i, (column, target) in enumerate(zip(header.columns[1:], targets, strict=True)):
            cell = cell_at(row, column)
            if target is None or cell is None or cell is row.cells[0] or not cell.text.text:
                continue
            value = read_value(cell.text.text)
            if value.status == "unreadable":
                where = f"table {table} row {row_index} column {column.header!r}"
                findings.append(
                    finding("cell_unreadable", f"{where}: {value.text!r} is not a number", table, row.ordinal)
                )
                continue
            meaning = cols.Meaning("amount", phase, period) if phase else last.get(i)
            if meaning is None:
                continue
            if phase:
                last[i] = meaning
            base = {
                **context.doc,
                "entity_code": None,
                "source_table": table,
                "table_kind": spec.kind.table_kind,
                "funding_source": target.funding_source,
                "scope_code": scope or target.scope,
                "breakdown": "entity",
                "row_label": label,
                "footnote": cell.text.footnote or row.cells[0].text.footnote or None,
                "line_item_code": "total",
                "is_total": True,
                "source_line": row.ordinal,
                "table_index": spec.table.index,
                "row_index": row_index,
                "_frame": target.family,
            }
            facts.append(fact_record(base, meaning, value, column.header, target.family))
    return facts, findings
