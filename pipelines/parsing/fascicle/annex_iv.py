"""Annex IV: financial and post resources by entity and funding source (the only table with SPM).

Each row has one group of cells per funding source in header order (经常预算, 其他分摊资源, 预算外,
共计), each group ``2023 · 2024 · 差异``. A group an entity does not have may be printed as nothing at
all (the SPM money row prints 9 numbers for 12 cells); the blank group is placed where the row's
widest run of spaces is, and the inference is reported.
"""

from __future__ import annotations

import re

from pipelines import vocab
from pipelines.parsing.fascicle.arithmetic import choose
from pipelines.parsing.fascicle.layout import Column, year_phases
from pipelines.parsing.fascicle.rows import total_label
from pipelines.parsing.fascicle.tables import cell_record, column_kinds, wrapped_label
from pipelines.parsing.findings import Finding
from pipelines.parsing.numbers import BLANK, split_cells, split_trailing_cells
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
        cols += [(source, Column("amount", y0, p0)), (source, Column("amount", y1, p1)),
                 (source, Column("change_total", y1, None, y0))]
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
    right = tokens[len(left):]
    for g in range(n_groups):
        lcols, rcols = cols[: 3 * g], cols[3 * (g + 1):]
        ls = split_cells(left, len(lcols), column_kinds(tuple(c for _, c in lcols), family)) if lcols else None
        rs = split_cells(right, len(rcols), column_kinds(tuple(c for _, c in rcols), family)) if rcols else None
        if (ls or not lcols and not left) and (rs or not rcols and not right):
            cells = (ls.cells if ls else []) + [BLANK] * 3 + (rs.cells if rs else [])
            return cells, cols[3 * g][0]
    return None, None


def read_annex_iv(heading: Line, body: list[Line], doc: dict) -> tuple[list[dict], list[Finding]]:
    facts: list[dict] = []
    findings: list[Finding] = []
    entities = vocab.entity_names()
    header_lines: list[Line] = []
    pending: list[Line] = []
    cols = None
    family = None
    for ln in body:
        if ln.noise:
            continue
        label, tokens, _ = split_trailing_cells(ln.text)
        if not tokens:
            if cols is None:
                header_lines.append(ln)
            if ln.text in ("财政资源",) or "财政资源" == ln.text.strip():
                family = "resources"
            elif ln.text.strip() == "员额资源":
                family = "posts"
            else:
                pending.append(ln)
            continue
        if cols is None:
            groups = _groups(header_lines)
            header = " ".join(h.text for h in header_lines)
            if not groups or len(year_phases(header)) != 2 * len(groups):
                findings.append(Finding("error", "unknown_layout",
                                        f"annex IV (line {heading.number}): header names no known funding "
                                        "groups with two years each; annex not loaded", TABLE, heading.number))
                return facts, findings
            cols = _columns(groups, header)
        if family is None:
            findings.append(Finding("error", "unknown_layout", f"annex IV line {ln.number}: row before any "
                                    "财政资源/员额资源 section", TABLE, ln.number))
            continue
        row_label = label or wrapped_label(pending)
        pending = []
        split = split_cells(tokens, len(cols), column_kinds(tuple(c for _, c in cols), family))
        cells = None
        if split:
            cells, ambiguous = choose(split, cols)
            if split.alternatives:
                findings.append(Finding("warn" if ambiguous else "info", "ambiguous_split",
                                        f"annex IV line {ln.number}: {' '.join(tokens)!r} splits "
                                        f"{len(split.options)} ways; read as {[c.text for c in cells]}",
                                        TABLE, ln.number))
        if cells is None:
            cells, blank_group = _split_with_blank_group(ln, tokens, cols, family)
            if cells is not None:
                findings.append(Finding("info", "blank_cells_inferred",
                                        f"annex IV line {ln.number}: {row_label!r} prints no {blank_group} cells; "
                                        "recorded as blank", TABLE, ln.number))
        if cells is None:
            findings.append(Finding("error", "cells_do_not_fit",
                                    f"annex IV line {ln.number}: row {row_label!r} prints {' '.join(tokens)!r}, "
                                    f"which does not split into {len(cols)} cells; row not loaded", TABLE, ln.number))
            continue
        is_total = row_label == total_label()
        entity = entities.get(row_label)
        if entity is None and not is_total:
            # Kept with a null code: the validation stage blocks landing.
            findings.append(Finding("error", "unknown_label", f"annex IV line {ln.number}: entity {row_label!r} "
                                    "is not in dbt/seeds/entities.csv", TABLE, ln.number))
        for (source, col), cell in zip(cols, cells, strict=True):
            base = {
                **doc, "entity_code": entity, "source_table": TABLE, "table_kind": "annex_iv",
                "funding_source": source, "scope_code": "section", "breakdown": "entity",
                "row_label": row_label, "footnote": None, "line_item_code": "total" if is_total else entity,
                "is_total": is_total, "source_line": ln.number, "family": family,
            }
            facts.append(cell_record(base, col, cell, family))
    return facts, findings
