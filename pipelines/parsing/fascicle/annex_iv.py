"""Annex IV: financial and post resources by entity and funding source (the only table with SPM).

Chosen by its title (table_kinds.csv, parser ``annex_iv``), not by its number. Each row has one group
of cells per funding source in header order (经常预算, 其他分摊资源, 预算外, 共计), each group
``2023 · 2024 · 差异``. A group an entity does not have may be printed as nothing at all (the SPM money
row prints 9 numbers for 12 cells); the blank group is placed where the row's widest run of spaces
is, and the inference is reported.
"""

from __future__ import annotations

import re

from pipelines import vocab
from pipelines.parsing.fascicle.arithmetic import choose
from pipelines.parsing.fascicle.layout import Column, year_phases
from pipelines.parsing.fascicle.readers import STOP, RowReader, row_reader
from pipelines.parsing.fascicle.rows import total_label
from pipelines.parsing.fascicle.tables import cells_record, column_kinds, wrapped_label
from pipelines.parsing.numbers import BLANK, Cell, split_cells
from pipelines.parsing.text import Line

TABLE = "annex_iv"


def _groups(header_lines: list[Line]) -> list[str]:
    """Funding-source groups in the order the header names them."""
    labels = vocab.funding_sources()
    for ln in header_lines:
        found = [labels[t] for t in ln.text.split() if t in labels]
        if len(found) >= 2:
            return found
    return []


def _columns(groups: list[str], header: str) -> list[tuple[str, Column]]:
    pairs = year_phases(header)
    cols: list[tuple[str, Column]] = []
    for g, source in enumerate(groups):
        (y0, p0), (y1, p1) = pairs[2 * g], pairs[2 * g + 1]
        cols += [
            (source, Column("amount", y0, p0)),
            (source, Column("amount", y1, p1)),
            (source, Column("change_total", y1, None, y0)),
        ]
    return cols


def _split_with_blank_group(line: Line, tokens: list[str], cols, family: str):
    """Fit a row that prints whole groups fewer; the blank group sits at the widest gap."""
    n_groups = len(cols) // 3
    gaps = [(len(m.group(0)), m.start()) for m in re.finditer(r" {3,}", line.raw.strip())]
    if not gaps:
        return None, None
    _, pos = max(gaps)
    left_tokens = line.raw.strip()[:pos].split()
    # tokens before the gap that are cells: the label's tokens come first
    n_label = len(line.raw.strip().split()) - len(tokens)
    left = left_tokens[n_label:]
    right = tokens[len(left) :]
    for g in range(n_groups):
        lcols, rcols = cols[: 3 * g], cols[3 * (g + 1) :]
        ls = split_cells(left, len(lcols), column_kinds(tuple(c for _, c in lcols), family)) if lcols else None
        rs = split_cells(right, len(rcols), column_kinds(tuple(c for _, c in rcols), family)) if rcols else None
        if (ls or not lcols and not left) and (rs or not rcols and not right):
            cells = (ls.cells if ls else []) + [BLANK] * 3 + (rs.cells if rs else [])
            return cells, cols[3 * g][0]
    return None, None


@row_reader("annex_iv", "facts")
class AnnexIV(RowReader):
    """One row per entity (and the total), one group of three cells per funding source."""

    skip_footnotes = False
    where = "annex IV"

    def __init__(self, span, context, found):
        super().__init__(span, context, found)
        self.header_lines: list[Line] = []
        self.pending: list[Line] = []
        self.cols: list[tuple[str, Column]] | None = None
        self.family: str | None = None

    def text(self, ln: Line) -> None:
        if self.cols is None:
            self.header_lines.append(ln)
        family = vocab.words("section_heading").get(ln.text.strip())
        if family:
            self.family = family
        else:
            self.pending.append(ln)

    def _columns(self) -> bool:
        """The columns, from the header above the first row; False (with a finding) when unknown."""
        if self.cols is None:
            groups = _groups(self.header_lines)
            header = " ".join(h.text for h in self.header_lines)
            if not groups or len(year_phases(header)) != 2 * len(groups):
                self.found.add(
                    "unknown_layout",
                    f"annex IV (line {self.span.first_line}): header names no known "
                    "funding groups with two years each; annex not loaded",
                    self.span.first_line,
                )
                return False
            self.cols = _columns(groups, header)
        return True

    def row(self, ln: Line, label: str, tokens: list[str]) -> bool | str:
        if not self._columns():
            return STOP
        if self.family is None:
            self.found.add(
                "unknown_layout",
                f"annex IV line {ln.number}: row before any {'/'.join(vocab.words('section_heading'))} section",
                ln.number,
            )
            return False
        row_label = label or wrapped_label(self.pending)
        self.pending = []
        cells = self._cells(ln, row_label, tokens)
        if cells is None:
            return False
        is_total = row_label == total_label()
        entity = vocab.entity_names().get(row_label)
        if entity is None and not is_total:
            # Kept with a null code: the validation stage blocks landing.
            self.found.at("unknown_label", ln, f"entity {row_label!r} is not in dbt/seeds/entities.csv")
        base = {
            **self.context.doc,
            "entity_code": entity,
            "source_table": TABLE,
            "table_kind": "annex_iv",
            "scope_code": "section",
            "breakdown": "entity",
            "row_label": row_label,
            "footnote": None,
            "line_item_code": "total" if is_total else entity,
            "is_total": is_total,
            "source_line": ln.number,
            "family": self.family,
        }
        for g in range(0, len(cells), 3):  # a group of three cells per funding source shares its fields
            source = self.cols[g][0]
            columns = tuple(col for _, col in self.cols[g : g + 3])
            record = {**base, "funding_source": source}
            self.rows.append(cells_record(record, columns, cells[g : g + 3], self.family))
        return True

    def _cells(self, ln: Line, row_label: str, tokens: list[str]) -> list[Cell] | None:
        cols, family = self.cols, self.family
        split = split_cells(tokens, len(cols), column_kinds(tuple(c for _, c in cols), family))
        if split:
            cells, ambiguous = choose(split, cols)
            if split.alternatives:
                self.found.ambiguous(
                    ln,
                    f"{' '.join(tokens)!r} splits {len(split.options)} ways; read as {[c.text for c in cells]}",
                    resolved=not ambiguous,
                )
            return cells
        cells, blank_group = _split_with_blank_group(ln, tokens, cols, family)
        if cells is not None:
            self.found.at("blank_cells_inferred", ln, f"{row_label!r} prints no {blank_group} cells; recorded as blank")
            return cells
        self.found.at(
            "cells_do_not_fit",
            ln,
            f"row {row_label!r} prints {' '.join(tokens)!r}, "
            f"which does not split into {len(cols)} cells; row not loaded",
        )
        return None
