"""Numeric tables of a fascicle: blocks, header layouts, rows and cells, with findings for anything odd."""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines import vocab
from pipelines.parsing.fascicle import rows as rowcodes
from pipelines.parsing.fascicle.arithmetic import choose
from pipelines.parsing.fascicle.facts import FactRow
from pipelines.parsing.fascicle.kinds import scope_of
from pipelines.parsing.fascicle.layout import Column, Layout, layout_from_header
from pipelines.parsing.fascicle.readers import ReadContext, RowReader, TableFindings, row_reader
from pipelines.parsing.fascicle.structure import TableSpan
from pipelines.parsing.numbers import Cell, split_cells
from pipelines.parsing.text import Line, strip_footnote_letter

_BLOCK = re.compile(r"^\(\d+\)\s*(\S+)$")
# Posts have no "appropriation" or "estimate before recosting": summary and annex headers are
# written for money, and the same columns hold the approved and proposed posts.
POST_PHASES = {"appropriation": "approved", "estimate_before_recosting": "proposed"}


@lru_cache(maxsize=1)
def _note_word() -> str:
    return vocab.word("table_note")


def unit_family(unit_label: str | None, section: str | None) -> str:
    """resources (a money unit line) or posts (员额数目); summary tables say which per section."""
    if section:
        return section
    return "posts" if unit_label and vocab.word("money_unit") not in unit_label else "resources"


@lru_cache(maxsize=1024)  # per layout and family; the list is only read
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
    return {
        "measure": col.measure,
        "fiscal_year": col.fiscal_year,
        "base_year": col.base_year,
        "phase": phase,
        "unit": unit,
    }


@lru_cache(maxsize=1024)
def _row_fields(columns: tuple[Column, ...], family: str) -> list[dict]:
    return [_column_fields(c, family) for c in columns]


def cells_record(base: dict, columns: tuple[Column, ...], cells: list[Cell], family: str) -> FactRow:
    """The facts of cells that share the fields ``base`` (with ``family``): their columns' fields and the cells."""
    return FactRow(base, _row_fields(columns, family), cells)


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


@row_reader("numeric", "facts")
class NumericTable(RowReader):
    """Money and post tables: funding-source blocks, each with its header layout, then labelled rows."""

    def __init__(self, span: TableSpan, context: ReadContext, found: TableFindings):
        super().__init__(span, context, found)
        self.ctx = rowcodes.TableContext.new()
        self.funding_source = "regular_budget"  # tables without block lines are regular-budget tables
        self.blocks_seen = 0
        self.layout: Layout | None = None
        self.skip_block = False
        self.pending: list[Line] = []
        self.scope = rowcodes.scope_code(scope_of(span.title))
        # the fields every row of the table shares, copied into each row's by one merge
        self.table_fields = {
            **context.doc,
            "entity_code": span.entity_code,
            "source_table": span.number,
            "table_kind": context.kind,
            "scope_code": self.scope,
        }
        self.note_word = _note_word()  # what a note line under the table starts with
        self.shape: tuple = (None, None, None)  # (layout, section, what _shape worked out for them)

    def claim(self, ln: Line) -> bool:
        text = ln.text
        if text.startswith(self.note_word):
            return True
        m = _BLOCK.match(text) if text.startswith("(") else None  # _BLOCK's first character
        if m and m.group(1) in vocab.funding_sources():
            self.funding_source = vocab.funding_sources()[m.group(1)]
            self.blocks_seen += 1
            self.layout, self.skip_block, self.pending = None, False, []
            return True
        return False

    def text(self, ln: Line) -> None:
        self.pending.append(ln)
        self.ctx.observe_text(ln.text)

    def _block_layout(self, ln: Line) -> Layout | None:
        """The layout of the block a first row opens, from the header lines above it."""
        if self.layout is None and not self.skip_block:
            header = " ".join(p.text for p in self.pending)
            self.layout = layout_from_header(header)
            if self.layout is None:
                self.skip_block = True
                self.found.add(
                    "unknown_layout",
                    f"table {self.span.number}: header before line {ln.number} names "
                    f"no known columns ({header[:80]!r}); block {self.funding_source} not loaded",
                    ln.number,
                )
        return None if self.skip_block else self.layout

    def _shape(self, layout: Layout) -> tuple[str, tuple[Column, ...], list[bool], list[dict]]:
        """(family, columns, whether each prints decimals, each one's fields) for the rows of a block:
        worked out once per layout and section, not per row (hashing the columns to look them up in
        the caches cost about a microsecond a row)."""
        kind = self.context.kind
        section = self.ctx.section if kind == "resource_summary" else None
        if self.shape[0] is not layout or self.shape[1] != section:
            family = unit_family(self.span.unit, section)
            columns = layout.columns
            if kind == "resource_summary" and family == "posts":
                columns = columns[1:]  # post rows print no expenditure-year cell
            worked_out = (family, columns, column_kinds(columns, family), _row_fields(columns, family))
            self.shape = (layout, section, worked_out)
        return self.shape[2]

    def row(self, ln: Line, label: str, tokens: list[str]) -> bool:
        layout = self._block_layout(ln)
        if layout is None:
            return False
        own_label = label
        label, footnote = strip_footnote_letter(label or wrapped_label(self.pending))
        self.pending = []
        kind = self.context.kind
        family, columns, decimal, fields = self._shape(layout)
        cells = self._cells(ln, label, own_label, tokens, columns, decimal)
        if cells is None:
            return False
        code = rowcodes.row_code(kind, label, self.ctx)
        source = self.funding_source
        if self.blocks_seen >= 2 and code.code == "total" and not label.startswith(rowcodes.subtotal_label()):
            source = "all_sources"  # the total row after the last block sums every funding source
        if code.code is None:
            # Kept with a null code: the validation stage blocks landing (a code the marts cannot label).
            self.found.at(
                "unknown_label",
                ln,
                f"row label {label!r} is not in the reviewed vocabulary for {kind} tables (dbt/seeds)",
            )
        base = {
            **self.table_fields,
            "funding_source": source,
            "breakdown": code.breakdown,
            "row_label": label,
            "footnote": footnote,
            "line_item_code": code.code,
            "is_total": code.is_total,
            "source_line": ln.number,
            "family": family,
        }
        self.rows.append(FactRow(base, fields, cells))
        return True

    def _cells(self, ln: Line, label: str, own_label: str, tokens: list[str], columns, decimal: list[bool]):
        """The row's cells, one per column; None (with a finding) when the figures do not fit."""
        split = split_cells(tokens, len(columns), decimal)
        if split is None:
            if not own_label and len(tokens) <= 2 < len(columns):
                self.found.at("leaked_chart_data", ln, f"{ln.text!r} is chart data leaked into the table, not a row")
            else:
                self.found.at(
                    "cells_do_not_fit",
                    ln,
                    f"row {label!r} prints {' '.join(tokens)!r}, which does not "
                    f"split into the {len(columns)} columns of this table; row not loaded",
                )
            return None
        if not split.alternatives:
            return split.cells
        cells, ambiguous = choose(split, [(self.funding_source, c) for c in columns])
        self.found.ambiguous(
            ln,
            f"{' '.join(tokens)!r} splits {len(split.options)} ways into {len(columns)} "
            f"cells; read as {[c.text for c in cells]}"
            + (
                " (no reading satisfies more of the row's arithmetic)"
                if ambiguous
                else " (the reading that satisfies the row's arithmetic)"
            ),
            resolved=not ambiguous,
        )
        return cells

    def finish(self) -> None:
        if self.pending and self.layout is None and not self.rows and not self.skip_block:
            self.found.add("no_rows", f"table {self.span.number}: no data rows found", self.span.first_line)
