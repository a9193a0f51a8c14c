"""Compliance-rate tables (遵守率): one row per rate, 2020-2022 actual and 2023-2024 planned, in per cent;
不适用 (not applicable) stays distinct from a number."""

from __future__ import annotations

from pipelines.parsing.fascicle.kpi_common import stable_key, year_statuses
from pipelines.parsing.fascicle.kpi_rows import KpiRow
from pipelines.parsing.fascicle.readers import STOP, RowReader, row_reader
from pipelines.parsing.numbers import split_cells
from pipelines.parsing.text import Line


@row_reader("compliance", "kpis")
class ComplianceRates(RowReader):
    """Header lines name the years and statuses; each labelled row prints one rate per column."""

    def __init__(self, span, context, found):
        super().__init__(span, context, found)
        self.header_lines: list[str] = []
        self.columns: list[tuple[int, str]] = []

    def text(self, ln: Line) -> None:
        self.header_lines.append(ln.text)

    def row(self, ln: Line, label: str, tokens: list[str]) -> bool | str:
        span = self.span
        if not label:
            self.text(ln)
            return False
        if not self.columns:
            self.columns = year_statuses(" ".join(self.header_lines))
            if not self.columns:
                self.found.add("unknown_layout", f"table {span.number}: no year/status header", span.first_line)
                return STOP
        split = split_cells(tokens, len(self.columns), None)
        if split is None:
            self.found.at(
                "cells_do_not_fit", ln, f"{ln.text!r} does not split into {len(self.columns)} rates; row not loaded"
            )
            return False
        shared = {
            **self.context.doc,
            "kpi_family": "compliance",
            "entity_code": span.entity_code,
            "subprogramme_code": None,
            "source_table": span.number,
            "category": None,
            "row_kind": None,
            "label_zh": label,
            "label_zh_hans": label,
            "qualifier": None,
            "confidence": "certain",
            "source_line": ln.number,
            "locator": f"table {span.number}",
            "kpi_key": stable_key("compliance", span.entity_code, label),
        }
        cells = zip(self.columns, split.cells, strict=True)
        self.rows.append(KpiRow(shared, [("percent", year, status, c.value, c.text) for (year, status), c in cells]))
        return True
