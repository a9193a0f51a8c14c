"""Tables whose rows are line items and whose columns are amounts and changes: objects of
expenditure, posts by grade, the overviews by part/section/entity, cluster, mission and category.

Every printed cell of a row that prints values becomes one fact, with the column header as printed.
Variance rows ("Variance compared with 2025 approved (percentage)") print a percentage under the
revised-estimate column: they become change_percentage facts of the table's total, based on the
phase and period their label names.
"""

from __future__ import annotations

import re

from pipelines.parsing.findings import Finding
from pipelines.parsing.revised_estimates import columns as cols
from pipelines.parsing.revised_estimates.cells import read_value
from pipelines.parsing.revised_estimates.headers import cell_at, read_header
from pipelines.parsing.revised_estimates.lines import Context, block_header, code_row
from pipelines.parsing.revised_estimates.structure import TableSpec

_VARIANCE_ROW = re.compile(r"^Variance\b.*compared with", re.I)


def _unit(family: str, measure: str) -> str:
    if measure == "change_percentage":
        return "percent"
    return "posts" if family == "posts" else "thousands_usd"


def _fact(base: dict, meaning: cols.Meaning, value, header: str, family: str) -> dict:
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
        "value_status": value.status if value.status != "unreadable" else "blank",
        "unit": _unit(family, meaning.measure),
        "column_header": header,
    }


def read_matrix(spec: TableSpec, doc: dict, entity: str | None) -> tuple[list[dict], list[Finding]]:
    """Facts of one table (doc: document columns), and findings for what could not be read."""
    header = read_header(spec.table)
    kind, table = spec.kind, spec.source_table
    meanings = cols.with_table_context([cols.meaning(c) for c in header.columns])
    findings = [
        Finding(
            "info",
            "column_not_read",
            f"table {table}: column {c.header!r} names no phase, period or change measure; its cells are not read",
            table,
            spec.first_line,
        )
        for c, m in zip(header.columns[1:], meanings[1:], strict=True)
        if m is None and c.parts
    ]
    target = next((m for m in reversed(meanings) if m and m.measure == "amount"), None)
    ctx, facts, seen = Context(), [], {}
    for row_index, row in enumerate(spec.table.rows[header.rows :], start=header.rows):
        label_cell = row.cells[0] if row.cells else None
        label = label_cell.text.text if label_cell else ""
        printed = [(c, m, cell_at(row, c)) for c, m in zip(header.columns[1:], meanings[1:], strict=True)]
        printed = [(c, m, cell) for c, m, cell in printed if cell is not None and cell is not label_cell]
        if not label:
            continue
        if not any(cell.text.text for _, _, cell in printed):
            block_header(label, ctx)
            continue
        code = code_row(kind.breakdown, label, ctx)
        if code.breakdown == "part" and code.code is None:
            continue  # a part heading printing dashes (table 6 "Part XII"): the next row carries the part
        variance = _VARIANCE_ROW.match(label)
        if variance:
            code = code.__class__(code.breakdown if code.code else kind.breakdown, "total", True, "entity")
        if code.code is None and code.breakdown in ("entity", "mission"):
            findings.append(Finding("warn", "unknown_entity", label, table, row.ordinal))  # named in one finding
            continue
        if code.code is None:
            findings.append(
                Finding(
                    "warn",
                    "unknown_line_item",
                    f"table {table} row {row_index}: {label!r} is not in "
                    "the seed for its breakdown; its values are not landed (extend dbt/seeds)",
                    table,
                    row.ordinal,
                )
            )
            continue
        key = (code.scope, code.breakdown, code.code)
        if key in seen and not variance:  # printed twice in one block: reported with its values, not landed twice
            cells = "; ".join(f"{c.header}: {cell.text.text}" for c, _, cell in printed if cell.text.text)
            findings.append(
                Finding(
                    "warn",
                    "repeated_line_item",
                    f"table {table}: {label!r} (row {row_index}) "
                    f"repeats row {seen[key]} of the same block; not landed; printed {cells}",
                    table,
                    row.ordinal,
                )
            )
            continue
        seen.setdefault(key, row_index)
        base = {
            **doc,
            "entity_code": entity,
            "source_table": table,
            "table_kind": kind.table_kind,
            "funding_source": kind.funding_source,
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
        for column, meaning, cell in printed:
            value = read_value(cell.text.text)
            if variance:
                if not cell.text.text or target is None:
                    continue
                base_phase, base_period = cols.base_of(label)
                meaning = cols.Meaning("change_percentage", target.phase, target.period, base_phase, base_period)
            if meaning is None:
                continue
            if value.status == "unreadable" or value.note:
                findings.append(
                    Finding(
                        "warn" if value.note else "error",
                        "cell_unreadable" if not value.note else "cell_repaired",
                        f"table {table} row {row_index} column "
                        f"{column.header!r}: {value.note or f'{value.text!r} is not a number'}",
                        table,
                        row.ordinal,
                    )
                )
                if not value.note:
                    continue
            fact = _fact(base, meaning, value, column.header, kind.family)
            if cell.text.footnote and not fact["footnote"]:
                fact["footnote"] = cell.text.footnote
            facts.append(fact)
    return facts, findings
