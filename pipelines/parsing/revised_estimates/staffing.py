"""Special political missions' "Human resources" tables: grades are the columns, phases the rows.

Rows "Approved 2025", "2026 proposed programme budget", "2026 revised estimates" are amounts; a
"Change" row is the change between the amount rows around it. Columns are grades (their codes as
printed, or a printed variant in dbt/seeds/line_item_names_en.csv), the "Subtotal" of each staff
group (its scope: international_staff, national_staff, unv) and the "Total"; United Nations
Volunteers are grade UNV in scope unv_international or unv_national. Rows naming no phase ("As at
1 January 2026", a drawdown schedule) are reported as not read.
"""

from __future__ import annotations

from pipelines.parsing.findings import Finding, finding
from pipelines.parsing.revised_estimates import columns as cols
from pipelines.parsing.revised_estimates.headers import Column, read_header, row_values
from pipelines.parsing.revised_estimates.lines import RowCode, grade_code, slug
from pipelines.parsing.revised_estimates.matrix import fact_record
from pipelines.parsing.revised_estimates.readers import ReadContext, reader
from pipelines.parsing.revised_estimates.structure import TableSpec


def _column_code(column: Column) -> RowCode | None:
    leaf = column.parts[-1] if column.parts else ""
    group = column.parts[0] if len(column.parts) > 1 else ""
    if leaf.casefold() == "total":
        return RowCode("category", "total", True, "entity")
    if leaf.casefold() == "subtotal" and group:
        return RowCode("category", "subtotal", True, slug(group))
    if group.casefold() == "unv" and grade_code("UNV"):  # volunteers, international or national
        return RowCode("grade", "UNV", False, f"unv_{slug(leaf.replace('-', ''))}")
    code = grade_code(leaf)
    return RowCode("grade", code, False) if code else None


def row_meanings(labels: list[str]) -> list[cols.Meaning | None]:
    meanings = []
    for label in labels:
        measure = cols.measure_of(label)
        phase, period = cols.phase_of(label), cols.period_of(label)
        if measure and measure != "amount":
            meanings.append(cols.Meaning(measure, None, None))
        elif scope := cols.block_scope(label):  # "Transitional capacities": the last phase's block
            meanings.append(cols.Meaning("amount", None, None, scope=scope))
        else:
            meanings.append(cols.Meaning("amount", phase, period) if phase and period else None)
    return cols.with_table_context(meanings)


@reader("staffing", "facts")
def read_staffing(spec: TableSpec, context: ReadContext) -> tuple[list[dict], list[Finding]]:
    """Facts of a table with grades across and phases down (a mission's human resources, the
    Secretariat-wide post changes by category and grade)."""
    header = read_header(spec.table)
    table, findings, facts = spec.source_table, [], []
    codes = [_column_code(c) for c in header.columns[1:]]
    for c, code in zip(header.columns[1:], codes, strict=True):
        if code is None:
            findings.append(
                finding(
                    "column_not_read",
                    f"table {table}: column {c.header!r} names no grade "
                    "of dbt/seeds/grades.csv; its cells are not read",
                    table,
                    spec.first_line,
                )
            )
    rows = [
        (i, r)
        for i, r in enumerate(spec.table.rows[header.rows :], start=header.rows)
        if r.cells and r.cells[0].text.text
    ]
    meanings = row_meanings([r.cells[0].text.text for _, r in rows])
    seen: dict[tuple, int] = {}
    for (row_index, row), meaning in zip(rows, meanings, strict=True):
        label = row.cells[0].text.text
        key = meaning and (
            meaning.measure,
            meaning.phase,
            meaning.period,
            meaning.base_phase,
            meaning.base_period,
            meaning.scope,
        )
        if meaning is None:
            findings.append(
                finding(
                    "row_not_read",
                    f"table {table} row {row_index}: {label!r} names no phase and period; its cells are not read",
                    table,
                    row.ordinal,
                )
            )
        elif key in seen:  # "Revised proposed 1 November 2026" beside "2026 proposed programme budget"
            findings.append(
                finding(
                    "repeated_line_item",
                    f"table {table} row {row_index}: {label!r} reads "
                    f"as the same phase and period as row {seen[key]}; not landed",
                    table,
                    row.ordinal,
                )
            )
        else:
            seen[key] = row_index
            facts += _row_facts(spec, context, header, codes, row_index, row, meaning, findings)
    return facts, findings


def _row_facts(spec: TableSpec, context: ReadContext, header, codes, row_index, row, meaning, findings) -> list[dict]:
    """One fact per grade column of a row that names a phase and period."""
    table, label, facts = spec.source_table, row.cells[0].text.text, []
    for column, code, cell, value in row_values(table, row, row_index, header.columns[1:], codes, findings):
        scope = meaning.scope or (spec.kind.scope if code.scope == "entity" and spec.kind.scope else code.scope)
        base = {
            **context.doc,
            "entity_code": context.entity,
            "source_table": table,
            "table_kind": spec.kind.table_kind,
            "funding_source": spec.kind.funding_source,
            "scope_code": scope,
            "breakdown": code.breakdown,
            "row_label": label,
            "footnote": cell.text.footnote or None,
            "line_item_code": code.code,
            "is_total": code.is_total,
            "source_line": row.ordinal,
            "table_index": spec.table.index,
            "row_index": row_index,
        }
        facts.append(fact_record(base, meaning, value, column.header, "posts"))
    return facts
