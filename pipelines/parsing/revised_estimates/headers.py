"""A Word table's header rows, read into logical columns with their header text as printed.

Headers take two or three rows; merged cells span grid columns horizontally (gridSpan) or carry on
from the row above (vMerge); a last row may number the columns ("(1)", "(4)=(3)-(1)"). Header rows
do not always share the data rows' cell boundaries, so the columns are the data rows' cells and a
column's header is every header cell overlapping it, top to bottom.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipelines.parsing.findings import finding
from pipelines.parsing.revised_estimates.cells import read_value
from pipelines.parsing.revised_estimates.docx import Row, Table

_VALUE = re.compile(r"^\(?-?\d[\d\s ,]*(?:\.\d+)?\)?$|^[–—-]$")
_NUMBERING = re.compile(r"^\(\d+\)(?:\s*=\s*[\d()+\-−–/*x\s]+)?$")
MAX_HEADER_ROWS = 4


@dataclass(frozen=True)
class Column:
    position: int  # 0-based among the data row's cells (0 = the label column)
    grid_start: int
    grid_span: int
    parts: tuple[str, ...]  # header texts top to bottom, numbering left out
    numbering: str  # "(4)=(3)-(1)" or ""

    @property
    def header(self) -> str:
        """As printed, top to bottom, numbering included."""
        return " / ".join([*self.parts, self.numbering] if self.numbering else self.parts)


@dataclass(frozen=True)
class Header:
    rows: int  # number of header rows (a blank separator row counts)
    columns: tuple[Column, ...]


def is_value(text: str) -> bool:
    return bool(_VALUE.match(text.strip()))


def _blank(row: Row) -> bool:
    return all(not c.text.text for c in row.cells)


def _data_like(row: Row) -> bool:
    values = [c.text.text for c in row.cells[1:] if c.text.text]
    return bool(
        row.cells
        and row.cells[0].text.text
        and values
        and all(is_value(v) for v in values)
        and not all(_NUMBERING.match(v) for v in values)
    )


def header_rows(table: Table) -> int:
    """How many leading rows are header (a blank separator row included)."""
    for i, row in enumerate(table.rows[: MAX_HEADER_ROWS + 1]):
        if _blank(row) and i > 0:
            return i + 1
        if _data_like(row):
            return i
    return 1


def _layout(rows: list[Row]) -> tuple[tuple[int, int], ...]:
    """The most common cell boundaries among the data rows."""
    shapes = Counter(tuple((c.grid_start, c.grid_span) for c in r.cells) for r in rows if not _blank(r))
    return shapes.most_common(1)[0][0] if shapes else ()


def read_header(table: Table) -> Header:
    n = header_rows(table)
    head, body = table.rows[:n], table.rows[n:]
    layout = _layout(body) or tuple((c.grid_start, c.grid_span) for c in head[-1].cells)
    columns = []
    for pos, (start, span) in enumerate(layout):
        parts, numbering = [], ""
        for row in head:
            texts = [
                c.text.text
                for c in row.cells
                if c.text.text
                and not c.merged_from_above
                and c.grid_start < start + span
                and start < c.grid_start + c.grid_span
            ]
            for text in texts:
                if _NUMBERING.match(text):
                    numbering = text
                elif text not in parts:
                    parts.append(text)
        columns.append(Column(pos, start, span, tuple(parts), numbering))
    return Header(n, tuple(columns))


def cell_at(row: Row, column: Column):
    """The row's cell that starts at the column's grid position (None when the row has none there)."""
    return next((c for c in row.cells if c.grid_start == column.grid_start), None) or next(
        (
            c
            for c in row.cells
            if c.grid_start < column.grid_start + column.grid_span and column.grid_start < c.grid_start + c.grid_span
        ),
        None,
    )


def row_values(table: str, row, row_index: int, columns: list, mapped: list, findings: list):
    """(column, what it maps to, cell, value) for each body cell of a row whose column maps to something;
    the label cell is skipped, and an unreadable cell is a ``cell_unreadable`` finding, not a value."""
    for column, target in zip(columns, mapped, strict=True):
        cell = cell_at(row, column)
        if target is None or cell is None or cell is row.cells[0]:
            continue
        value = read_value(cell.text.text)
        if value.status == "unreadable":
            where = f"table {table} row {row_index} column {column.header!r}"
            findings.append(finding("cell_unreadable", f"{where}: {value.text!r} is not a number", table, row.ordinal))
            continue
        yield column, target, cell, value
