"""Tables whose rows are line items and whose columns are amounts and changes: objects of
expenditure, posts by grade, the overviews by part/section/entity, cluster, mission and category.

Every printed cell of a row that prints values becomes one fact, with the column header as printed.
Variance rows ("Variance compared with 2025 approved (percentage)") print a percentage under the
revised-estimate column: they become change_percentage facts of the table's total, based on the
phase and period their label names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.parsing.findings import Finding, finding
from pipelines.parsing.revised_estimates import columns as cols
from pipelines.parsing.revised_estimates.cells import read_value
from pipelines.parsing.revised_estimates.docx import Row
from pipelines.parsing.revised_estimates.headers import cell_at, read_header
from pipelines.parsing.revised_estimates.lines import Context, RowCode, block_header, code_row
from pipelines.parsing.revised_estimates.readers import ReadContext, reader
from pipelines.parsing.revised_estimates.structure import TableSpec

_VARIANCE_ROW = re.compile(r"^Variance\b.*compared with", re.I)


def _unit(family: str, measure: str) -> str:
    if measure == "change_percentage":
        return "percent"
    return "posts" if family == "posts" else "thousands_usd"


def fact_record(base: dict, meaning: cols.Meaning, value, header: str, family: str) -> dict:
    p, bp = meaning.period, meaning.base_period
    return {
        **base,
        "measure": meaning.measure,
        "phase": meaning.phase,
        "fiscal_year": p.fiscal_year if p else None,
        "period": p.text if p else None,
        "period_start": p.start if p else None,
        "period_end": p.end if p else None,
        "base_year": (bp.fiscal_year or bp.end.year) if bp else None,
        "base_phase": meaning.base_phase,
        "value": value.value,
        "value_text": value.text,
        "value_status": value.status,
        "unit": _unit(family, meaning.measure),
        "column_header": header,
    }


@dataclass
class _Table:
    """One table being read: what every row needs."""

    spec: TableSpec
    doc: dict
    entity: str | None
    target: cols.Meaning | None  # the last amount column (the revised estimate): variance rows print under it
    ctx: Context = field(default_factory=Context)
    seen: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add(self, code: str, message: str, row: Row) -> None:
        self.findings.append(finding(code, message, self.spec.source_table, row.ordinal))


@reader("matrix", "facts")
def read_matrix(spec: TableSpec, context: ReadContext) -> tuple[list[dict], list[Finding]]:
    """Facts of one table, and findings for what could not be read."""
    header = read_header(spec.table)
    meanings = cols.with_table_context([cols.meaning(c) for c in header.columns])
    target = next((m for m in reversed(meanings) if m and m.measure == "amount" and m.scope is None), None)
    t = _Table(spec, context.doc, context.entity, target)
    for c, m in zip(header.columns[1:], meanings[1:], strict=True):
        if m is None and c.parts:
            t.findings.append(
                finding(
                    "column_not_read",
                    f"table {spec.source_table}: column {c.header!r} names "
                    "no phase, period or change measure; its cells are not read",
                    spec.source_table,
                    spec.first_line,
                )
            )
    facts = []
    for row_index, row in enumerate(spec.table.rows[header.rows :], start=header.rows):
        label_cell = row.cells[0] if row.cells else None
        printed = [(c, m, cell_at(row, c)) for c, m in zip(header.columns[1:], meanings[1:], strict=True)]
        printed = [(c, m, cell) for c, m, cell in printed if cell is not None and cell is not label_cell]
        if label_cell is None or not label_cell.text.text:
            continue
        if not any(cell.text.text for _, _, cell in printed):
            block_header(label_cell.text.text, t.ctx)
            continue
        code = _row_code(t, label_cell.text.text, row, row_index, printed)
        if code is not None:
            facts += _row_facts(t, code, label_cell, row, row_index, printed)
    return facts, t.findings


def _row_code(t: _Table, label: str, row: Row, row_index: int, printed: list) -> RowCode | None:
    """The row's line item, or None (with a finding when the row is not landed)."""
    table = t.spec.source_table
    code = code_row(t.spec.kind.breakdown, label, t.ctx)
    if code.breakdown == "part" and code.code is None:
        return None  # a part heading printing dashes (table 6 "Part XII"): the next row carries the part
    if _VARIANCE_ROW.match(label):
        return RowCode(code.breakdown if code.code else t.spec.kind.breakdown, "total", True, "entity")
    if code.code is None and code.breakdown in ("entity", "mission"):
        t.findings.append(finding("unknown_entity", label, table, row.ordinal))  # named in one finding
        return None
    if code.code is None:
        t.add(
            "unknown_line_item",
            f"table {table} row {row_index}: {label!r} is not in the seed for its "
            "breakdown; its values are not landed (extend dbt/seeds)",
            row,
        )
        return None
    key = (code.scope, code.breakdown, code.code)
    if key in t.seen:  # printed twice in one block: reported with its values, not landed twice
        cells = "; ".join(f"{c.header}: {cell.text.text}" for c, _, cell in printed if cell.text.text)
        t.add(
            "repeated_line_item",
            f"table {table}: {label!r} (row {row_index}) repeats row {t.seen[key]} of "
            f"the same block; not landed; printed {cells}",
            row,
        )
        return None
    t.seen[key] = row_index
    return code


def _row_facts(t: _Table, code: RowCode, label_cell, row: Row, row_index: int, printed: list) -> list[dict]:
    spec, label = t.spec, label_cell.text.text
    base = {
        **t.doc,
        "entity_code": t.entity,
        "source_table": spec.source_table,
        "table_kind": spec.kind.table_kind,
        "funding_source": spec.kind.funding_source,
        "scope_code": code.scope,
        "breakdown": code.breakdown,
        "row_label": label,
        "footnote": label_cell.text.footnote or None,
        "line_item_code": code.code,
        "is_total": code.is_total,
        "source_line": row.ordinal,
        "table_index": spec.table.index,
        "row_index": row_index,
    }
    variance = _VARIANCE_ROW.match(label)
    facts = []
    for column, meaning, cell in printed:
        value = read_value(cell.text.text)
        if variance:
            if not cell.text.text or t.target is None:
                continue
            base_phase, base_period = cols.base_of(label)
            meaning = cols.Meaning("change_percentage", t.target.phase, t.target.period, base_phase, base_period)
        if meaning is None or (meaning.scope and value.status == "blank"):
            continue  # a block column's blank cells are not part of the block
        where = f"table {spec.source_table} row {row_index} column {column.header!r}"
        if value.status == "unreadable":
            t.add("cell_unreadable", f"{where}: {value.text!r} is not a number", row)
            continue
        if value.note:
            t.add("cell_repaired", f"{where}: {value.note}", row)
        fact = fact_record(base, meaning, value, column.header, spec.kind.family)
        if meaning.scope and fact["scope_code"] == "entity":  # the entity's transitional capacity column
            fact["scope_code"] = meaning.scope
        elif spec.kind.scope and fact["scope_code"] == "entity":  # what the whole table covers
            fact["scope_code"] = spec.kind.scope
        fact["footnote"] = fact["footnote"] or cell.text.footnote or None
        facts.append(fact)
    return facts
