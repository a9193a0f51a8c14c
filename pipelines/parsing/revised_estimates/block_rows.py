"""Tables of blocks: a heading row names a cluster or mission, the rows under it are phases and the
change between them, the columns are staff categories (A/80/400 table 218, "Human resources: summary
of changes by cluster": "Cluster I", then "Approved 2025", "2026 proposed programme budget", "Change",
"2026 revised estimates" across "Posts / International" ... "GTA positions", "Total").

A heading is coded as the rows of the kind's breakdown are (lines.code_row: clusters by their
numbering, missions by dbt/seeds/entities.csv, "Subtotal, ...", "Total"); a heading it cannot code
("Discontinuing mission" above the mission's own heading) leaves the rows below it unread until the
next heading that it can. A heading is a row printing no figures. A column's scope comes from
column_words.csv (by its header as printed).
"""

from __future__ import annotations

from pipelines.parsing.findings import Finding, finding
from pipelines.parsing.revised_estimates.headers import read_header, row_values
from pipelines.parsing.revised_estimates.lines import Context, RowCode, code_row
from pipelines.parsing.revised_estimates.matrix import fact_record
from pipelines.parsing.revised_estimates.phase_rows import column_words
from pipelines.parsing.revised_estimates.readers import ReadContext, reader
from pipelines.parsing.revised_estimates.staffing import row_meanings
from pipelines.parsing.revised_estimates.structure import TableSpec


@reader("block_rows", "facts")
def read_block_rows(spec: TableSpec, context: ReadContext) -> tuple[list[dict], list[Finding]]:
    """Facts of a table whose heading rows name the line item and whose other rows are phases."""
    header = read_header(spec.table)
    table, findings, facts = spec.source_table, [], []
    words = [column_words(c) for c in header.columns[1:]]
    for c, w in zip(header.columns[1:], words, strict=True):
        if w is None:
            message = f"table {table}: column {c.header!r} is not in column_words.csv; its cells are not read"
            findings.append(finding("column_not_read", message, table, spec.first_line))
    rows = [
        (i, r)
        for i, r in enumerate(spec.table.rows[header.rows :], start=header.rows)
        if r.cells and r.cells[0].text.text
    ]
    ctx, current = Context(), None
    for (row_index, row), meaning in zip(rows, row_meanings([r.cells[0].text.text for _, r in rows]), strict=True):
        label = row.cells[0].text.text
        if not any(c.text.text for c in row.cells[1:]):  # a heading: the cluster or mission of the rows below
            code = code_row(spec.kind.breakdown, label, ctx)
            current = code if code.code else None
            continue
        if current is None or meaning is None:
            message = f"table {table} row {row_index}: {label!r} names no phase or is under no heading; not read"
            findings.append(finding("row_not_read", message, table, row.ordinal))
            continue
        facts += _row_facts(spec, context, header, words, current, row_index, row, meaning, findings)
    return facts, findings


def _row_facts(spec, context, header, words, code: RowCode, row_index, row, meaning, findings) -> list[dict]:
    table, facts = spec.source_table, []
    for column, w, cell, value in row_values(table, row, row_index, header.columns[1:], words, findings):
        base = {
            **context.doc,
            "entity_code": context.entity,
            "source_table": table,
            "table_kind": spec.kind.table_kind,
            "funding_source": spec.kind.funding_source,
            "scope_code": w[1],
            "breakdown": code.breakdown,
            "row_label": row.cells[0].text.text,
            "footnote": cell.text.footnote or row.cells[0].text.footnote or None,
            "line_item_code": code.code,
            "is_total": code.is_total,
            "source_line": row.ordinal,
            "table_index": spec.table.index,
            "row_index": row_index,
        }
        facts.append(fact_record(base, meaning, value, column.header, w[0]))
    return facts
