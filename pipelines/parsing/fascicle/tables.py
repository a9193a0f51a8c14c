"""Numeric tables of a fascicle: blocks, header layouts, rows and cells, with findings for anything odd."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines import vocab
from pipelines.parsing.fascicle import rows as rowcodes
from pipelines.parsing.fascicle.arithmetic import choose
from pipelines.parsing.fascicle.kinds import scope_of
from pipelines.parsing.fascicle.layout import Column, Layout, layout_from_header
from pipelines.parsing.fascicle.structure import TableSpan
from pipelines.parsing.findings import Finding
from pipelines.parsing.numbers import Cell, split_cells, split_trailing_cells
from pipelines.parsing.text import Line, strip_footnote_letter

_BLOCK = re.compile(r"^\(\d+\)\s*(\S+)$")
# Posts have no "appropriation" or "estimate before recosting": summary and annex headers are
# written for money, and the same columns hold the approved and proposed posts.
POST_PHASES = {"appropriation": "approved", "estimate_before_recosting": "proposed"}


@dataclass
class TableResult:
    facts: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def unit_family(unit_label: str | None, section: str | None) -> str:
    """resources (千美元) or posts (员额数目); summary tables say which per section."""
    if section == "posts":
        return "posts"
    if section == "money":
        return "resources"
    return "posts" if unit_label and "千美元" not in unit_label else "resources"


@lru_cache(maxsize=1024)   # per layout and family; the list is only read
def column_kinds(columns: tuple[Column, ...], family: str) -> list[bool]:
    """Whether each column prints decimals: money and percentages do, post counts do not."""
    return [c.measure == "change_percentage" or family == "resources" for c in columns]


@lru_cache(maxsize=1024)
def _column_fields(col: Column, family: str) -> dict:
    """What a cell's record takes from its column (the same for every row of a table); only read."""
    phase = col.phase
    if family == "posts" and phase in POST_PHASES:
        phase = POST_PHASES[phase]
    unit = "percent" if col.measure == "change_percentage" else ("posts" if family == "posts" else "thousands_usd")
    return {"measure": col.measure, "fiscal_year": col.fiscal_year, "base_year": col.base_year, "phase": phase,
            "unit": unit}


@lru_cache(maxsize=1024)
def _row_fields(columns: tuple[Column, ...], family: str) -> list[dict]:
    return [_column_fields(c, family) for c in columns]


def cell_record(base: dict, col: Column, cell: Cell, family: str) -> dict:
    return {**base, **_column_fields(col, family), "value": cell.value, "value_text": cell.text,
            "value_status": cell.status}


def wrapped_label(pending: list[Line]) -> str:
    """The label of a numbers-only line: the last text line, with the lines it continues."""
    if not pending:
        return ""
    parts = [pending[-1]]
    for ln in reversed(pending[:-1]):
        if not ln.continues:
            break
        parts.insert(0, ln)
    return "".join(p.text for p in parts)


def read_numeric_table(span: TableSpan, kind: str, doc: dict) -> TableResult:
    res = TableResult()
    ctx = rowcodes.TableContext.new()
    table = span.number
    funding_source = "regular_budget"   # tables without block lines are regular-budget tables
    blocks_seen = 0
    layout: Layout | None = None
    skip_block = False
    pending: list[Line] = []
    scope = rowcodes.scope_code(scope_of(span.title))

    for ln in span.lines:
        text = ln.text
        if ln.noise or ln.footnote or text.startswith("注"):
            continue
        m = _BLOCK.match(text)
        if m and m.group(1) in vocab.funding_sources():
            funding_source = vocab.funding_sources()[m.group(1)]
            blocks_seen += 1
            layout, skip_block, pending = None, False, []
            continue
        label, tokens, repairs = split_trailing_cells(text)
        if not tokens:
            pending.append(ln)
            ctx.observe_text(text)
            continue
        if layout is None and not skip_block:
            layout = layout_from_header(" ".join(p.text for p in pending))
            if layout is None:
                skip_block = True
                res.findings.append(Finding(
                    "error", "unknown_layout",
                    f"table {table}: header before line {ln.number} names no known columns "
                    f"({' '.join(p.text for p in pending)[:80]!r}); block {funding_source} not loaded",
                    table, ln.number))
        if skip_block:
            continue
        own_label = label
        if not label:
            label = wrapped_label(pending)
        pending = []
        label, footnote = strip_footnote_letter(label)

        family = unit_family(span.unit, ctx.section if kind == "resource_summary" else None)
        columns = layout.columns
        if kind == "resource_summary" and family == "posts":
            columns = columns[1:]   # post rows print no expenditure-year cell
        split = split_cells(tokens, len(columns), column_kinds(columns, family))
        if split is None:
            if not own_label and len(tokens) <= 2 < len(columns):
                res.findings.append(Finding(
                    "info", "leaked_chart_data",
                    f"table {table} line {ln.number}: {text!r} is chart data leaked into the table, not a row",
                    table, ln.number))
            else:
                res.findings.append(Finding(
                    "error", "cells_do_not_fit",
                    f"table {table} line {ln.number}: row {label!r} prints {' '.join(tokens)!r}, which does not "
                    f"split into the {len(columns)} columns of this table; row not loaded",
                    table, ln.number))
            continue
        cells, ambiguous = choose(split, [(funding_source, c) for c in columns]) if split.alternatives \
            else (split.cells, False)   # what choose returns for a single option
        if split.alternatives:
            res.findings.append(Finding(
                "warn" if ambiguous else "info", "ambiguous_split",
                f"table {table} line {ln.number}: {' '.join(tokens)!r} splits {len(split.options)} ways into "
                f"{len(columns)} cells; read as {[c.text for c in cells]}"
                + (" (no reading satisfies more of the row's arithmetic)" if ambiguous
                   else " (the reading that satisfies the row's arithmetic)"), table, ln.number))
        for r in repairs:
            res.findings.append(Finding("warn", "number_typo_repaired",
                                        f"table {table} line {ln.number}: {r}", table, ln.number))

        code = rowcodes.row_code(kind, label, ctx)
        source = funding_source
        if blocks_seen >= 2 and code.code == "total" and not label.startswith("小计"):
            source = "all_sources"   # the 共计 row after the last block sums every funding source
        if code.code is None:
            # Kept with a null code: the validation stage blocks landing (a code the marts cannot label).
            res.findings.append(Finding(
                "error", "unknown_label",
                f"table {table} line {ln.number}: row label {label!r} is not in the reviewed vocabulary "
                f"for {kind} tables (dbt/seeds)", table, ln.number))
        base = {
            **doc,
            "entity_code": span.entity_code,
            "source_table": table,
            "table_kind": kind,
            "funding_source": source,
            "scope_code": scope,
            "breakdown": code.breakdown,
            "row_label": label,
            "footnote": footnote,
            "line_item_code": code.code,
            "is_total": code.is_total,
            "source_line": ln.number,
            "family": family,
        }
        res.facts += [{**base, **fields, "value": cell.value, "value_text": cell.text, "value_status": cell.status}
                      for fields, cell in zip(_row_fields(columns, family), cells, strict=True)]   # cell_record
    if pending and layout is None and not res.facts and not skip_block:
        res.findings.append(Finding("error", "no_rows",
                                    f"table {table}: no data rows found", table, span.first_line))
    return res
