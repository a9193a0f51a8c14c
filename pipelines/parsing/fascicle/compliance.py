"""Compliance-rate tables (遵守率): one row per rate, 2020-2022 actual and 2023-2024 planned, in per cent;
不适用 (not applicable) stays distinct from a number."""

from __future__ import annotations

from pipelines.parsing.fascicle.kpi_common import stable_key, year_statuses
from pipelines.parsing.fascicle.structure import TableSpan
from pipelines.parsing.findings import Finding
from pipelines.parsing.numbers import split_cells, split_trailing_cells


def read_compliance(span: TableSpan, doc: dict) -> tuple[list[dict], list[Finding]]:
    rows: list[dict] = []
    findings: list[Finding] = []
    header_lines: list[str] = []
    columns: list[tuple[int, str]] = []
    for ln in span.lines:
        text = ln.text
        if ln.noise or ln.footnote:
            continue
        label, tokens, repairs = split_trailing_cells(text)
        if not tokens or not label:
            header_lines.append(text)
            continue
        if not columns:
            columns = year_statuses(" ".join(header_lines))
            if not columns:
                findings.append(Finding("error", "unknown_layout", f"table {span.number}: no year/status header",
                                        span.number, span.first_line))
                return rows, findings
        for r in repairs:
            findings.append(Finding("warn", "cell_repaired", f"table {span.number} line {ln.number}: {r}",
                                    span.number, ln.number))
        split = split_cells(tokens, len(columns), None)
        if split is None:
            findings.append(Finding("error", "cells_do_not_fit", f"table {span.number} line {ln.number}: {text!r} "
                                    f"does not split into {len(columns)} rates; row not loaded", span.number,
                                    ln.number))
            continue
        for (year, status), cell in zip(columns, split.cells, strict=True):
            rows.append({**doc, "kpi_family": "compliance", "entity_code": span.entity_code,
                         "subprogramme_code": None, "source_table": span.number, "category": None, "row_kind": None,
                         "label_zh": label, "label_zh_hans": label, "unit": "percent", "fiscal_year": year,
                         "status": status, "value_numeric": cell.value, "value_text": cell.text, "qualifier": None,
                         "confidence": "certain", "source_line": ln.number, "locator": f"table {span.number}",
                         "kpi_key": stable_key("compliance", span.entity_code, label)})
    return rows, findings
