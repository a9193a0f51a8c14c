"""Deliverables tables: categories A-D; numeric subtotal rows (unit in the label) and numbered items
for A and B, narrative text items for C and D. Four columns: 2022 planned, 2022 actual, 2023 planned,
2024 planned, read from the header."""

from __future__ import annotations

import re

from pipelines import vocab
from pipelines.parsing.fascicle.kinds import scope_of
from pipelines.parsing.fascicle.kpi_common import stable_key, year_statuses
from pipelines.parsing.fascicle.rows import scope_code
from pipelines.parsing.fascicle.structure import TableSpan
from pipelines.parsing.fascicle.tables import wrapped_label
from pipelines.parsing.findings import Finding
from pipelines.parsing.numbers import split_cells, split_trailing_cells
from pipelines.parsing.text import Line

_CATEGORY = re.compile(r"^([A-D])\.\s*(\S.*)$")
_ITEM = re.compile(r"^\d+\.\s*\S")
_UNIT = re.compile(r"\(([^()]+)\)$")
_HEADER_WORD = re.compile(r"^(\d{4}\s*年|计划|实际|类别和次类别)$")
NARRATIVE = ("C", "D")


def read_deliverables(span: TableSpan, doc: dict) -> tuple[list[dict], list[Finding]]:
    rows: list[dict] = []
    findings: list[Finding] = []
    header = " ".join(ln.text for ln in span.lines[:12])
    columns = year_statuses(header)
    if len(columns) < 2:
        return rows, [Finding("error", "unknown_layout", f"table {span.number}: no year/status header found",
                              span.number, span.first_line)]
    scope = scope_code(scope_of(span.title)) or "entity"
    units = vocab.label_to_code("kpi_units", "unit_code")
    category = None
    unit = None
    pending: list[Line] = []   # text lines since the last row (wrapped labels, sub-headers)
    narrative: dict | None = None

    def base(kind: str, label: str, line: int) -> dict:
        return {**doc, "kpi_family": "deliverable", "entity_code": span.entity_code,
                "subprogramme_code": scope if scope.startswith("subprogramme") else None,
                "source_table": span.number, "category": category, "row_kind": kind, "label_zh": label,
                "label_zh_hans": label, "qualifier": None, "confidence": "certain", "source_line": line,
                "locator": f"table {span.number} {category}",
                "kpi_key": stable_key("deliverable", span.entity_code, scope, category, kind, label)}

    def close_narrative():
        nonlocal narrative
        if narrative:
            rows.append({**narrative, "unit": None, "fiscal_year": None, "status": None, "value_numeric": None,
                         "value_text": None})
        narrative = None

    for ln in span.lines:
        text = ln.text
        if ln.noise or ln.footnote or _HEADER_WORD.match(text):
            continue
        m = _CATEGORY.match(text)
        if m:
            close_narrative()
            category, unit, pending = m.group(1), None, []
            continue
        if category in NARRATIVE:
            if narrative and narrative["_continues"]:
                narrative["label_zh"] += text
                narrative["label_zh_hans"] = narrative["label_zh"]
                narrative["_continues"] = ln.continues
                continue
            if "：" in text[:30]:
                close_narrative()
                narrative = {**base("narrative", text, ln.number), "_continues": ln.continues}
                continue
            break   # neither a text item nor its continuation: the table has ended
        label, tokens, repairs = split_trailing_cells(text)
        if not tokens:
            pending.append(ln)   # a wrapped label, or a sub-header like 秘书长的报告：
            continue
        split = split_cells(tokens, len(columns), False)
        if split is None:
            findings.append(Finding("info", "leaked_chart_data", f"table {span.number} line {ln.number}: "
                                    f"{text!r} does not fit the {len(columns)} columns; not a row", span.number,
                                    ln.number))
            pending = []
            continue
        if split.alternatives:
            findings.append(Finding("warn", "ambiguous_split", f"table {span.number} line {ln.number}: "
                                    f"{' '.join(tokens)!r} splits {len(split.options)} ways", span.number, ln.number))
        for r in repairs:
            findings.append(Finding("warn", "number_typo_repaired", f"table {span.number} line {ln.number}: {r}",
                                    span.number, ln.number))
        if label:   # lines that run on into this one belong to its label
            lead = [p for p in pending if p.continues][-1:] if pending and pending[-1].continues else []
            label = "".join(p.text for p in lead) + label
        else:
            label = wrapped_label(pending)
        pending = []
        kind = "item" if _ITEM.match(label) else "subtotal"
        if kind == "subtotal":
            um = _UNIT.search(label)
            unit = units.get(um.group(1)) if um else None
            if unit is None:
                findings.append(Finding("error", "unknown_unit", f"table {span.number} line {ln.number}: subtotal "
                                        f"{label!r} names no unit of dbt/seeds/kpi_units.csv", span.number,
                                        ln.number))
        row = base(kind, label, ln.number)
        for (year, status), cell in zip(columns, split.cells, strict=True):
            rows.append({**row, "unit": unit, "fiscal_year": year, "status": status,
                         "value_numeric": cell.value, "value_text": cell.text})
    close_narrative()
    for r in rows:
        r.pop("_continues", None)
    return rows, findings
