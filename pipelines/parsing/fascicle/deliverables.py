"""Deliverables tables: categories A-D; numeric subtotal rows (unit in the label) and numbered items
for A and B, narrative text items for C and D. Four columns: 2022 planned, 2022 actual, 2023 planned,
2024 planned, read from the header."""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines import vocab
from pipelines.parsing.fascicle.kinds import scope_of
from pipelines.parsing.fascicle.kpi_common import stable_key, status_words, year_statuses
from pipelines.parsing.fascicle.kpi_rows import VALUE_FIELDS, KpiRow
from pipelines.parsing.fascicle.readers import STOP, RowReader, row_reader
from pipelines.parsing.fascicle.rows import scope_code
from pipelines.parsing.fascicle.tables import wrapped_label
from pipelines.parsing.numbers import split_cells
from pipelines.parsing.text import Line

_CATEGORY = re.compile(r"^([A-D])\.\s*(\S.*)$")
_ITEM = re.compile(r"^\d+\.\s*\S")
_UNIT = re.compile(r"\(([^()]+)\)$")
NARRATIVE = ("C", "D")
_CATEGORY_LETTERS = "ABCD"  # what _CATEGORY can start with: most lines skip its regex
_NO_VALUE = (None,) * len(VALUE_FIELDS)  # a narrative item prints no figure


@lru_cache(maxsize=1)
def _header_word() -> re.Pattern[str]:
    """A header line of its own: a year, a status word, or the first column's heading."""
    words = [*status_words(), *vocab.words("deliverables_header")]
    year = re.escape(vocab.word("year_mark"))
    return re.compile(rf"^(\d{{4}}\s*{year}|{'|'.join(map(re.escape, words))})$")


@lru_cache(maxsize=1)
def _item_mark() -> str:
    """The colon after a narrative item's name ("秘书长的报告：…")."""
    return vocab.word("item_colon")


@row_reader("deliverables", "kpis")
class Deliverables(RowReader):
    """Category headings A-D; in A and B labelled rows of figures, in C and D narrative items."""

    def __init__(self, span, context, found):
        super().__init__(span, context, found)
        self.columns = year_statuses(" ".join(ln.text for ln in span.lines[:12]))
        if len(self.columns) < 2:
            found.add("unknown_layout", f"table {span.number}: no year/status header found", span.first_line)
        self.scope = scope_code(scope_of(span.title)) or "entity"
        self.units = vocab.label_to_code("kpi_units", "unit_code")
        self.category: str | None = None
        self.unit: str | None = None
        self.pending: list[Line] = []  # text lines since the last row (wrapped labels, sub-headers)
        self.narrative: dict | None = None
        self.header_line = _header_word().match  # a pattern per line: looked up once a table

    def base(self, kind: str, label: str, line: int) -> dict:
        span, scope, category = self.span, self.scope, self.category
        return {
            **self.context.doc,
            "kpi_family": "deliverable",
            "entity_code": span.entity_code,
            "subprogramme_code": scope if scope.startswith("subprogramme") else None,
            "source_table": span.number,
            "category": category,
            "row_kind": kind,
            "label_zh": label,
            "label_zh_hans": label,
            "qualifier": None,
            "confidence": "certain",
            "source_line": line,
            "locator": f"table {span.number} {category}",
            "kpi_key": stable_key("deliverable", span.entity_code, scope, category, kind, label),
        }

    def close_narrative(self) -> None:
        if self.narrative:
            self.narrative.pop("_continues")
            self.rows.append(KpiRow(self.narrative, [_NO_VALUE]))
        self.narrative = None

    def claim(self, ln: Line) -> bool | str:
        text = ln.text
        if len(self.columns) < 2:
            return STOP
        if self.header_line(text):
            return True
        m = _CATEGORY.match(text) if text[:1] in _CATEGORY_LETTERS else None
        if m:
            self.close_narrative()
            self.category, self.unit, self.pending = m.group(1), None, []
            return True
        if self.category not in NARRATIVE:
            return False
        narrative = self.narrative
        if narrative and narrative["_continues"]:
            narrative["label_zh"] += text
            narrative["label_zh_hans"] = narrative["label_zh"]
            narrative["_continues"] = ln.continues
            return True
        if _item_mark() in text[:30]:
            self.close_narrative()
            self.narrative = {**self.base("narrative", text, ln.number), "_continues": ln.continues}
            return True
        return STOP  # neither a text item nor its continuation: the table has ended

    def text(self, ln: Line) -> None:
        self.pending.append(ln)  # a wrapped label, or a sub-header like 秘书长的报告：

    def row(self, ln: Line, label: str, tokens: list[str]) -> bool:
        split = split_cells(tokens, len(self.columns), False)
        if split is None:
            self.found.at(
                "leaked_chart_data", ln, f"{ln.text!r} does not fit the {len(self.columns)} columns; not a row"
            )
            self.pending = []
            return False
        if split.alternatives:
            self.found.ambiguous(ln, f"{' '.join(tokens)!r} splits {len(split.options)} ways", resolved=False)
        pending = self.pending
        if label:  # lines that run on into this one belong to its label
            lead = [p for p in pending if p.continues][-1:] if pending and pending[-1].continues else []
            label = "".join(p.text for p in lead) + label
        else:
            label = wrapped_label(pending)
        self.pending = []
        kind = "item" if _ITEM.match(label) else "subtotal"
        if kind == "subtotal":
            um = _UNIT.search(label)
            self.unit = self.units.get(um.group(1)) if um else None
            if self.unit is None:
                self.found.at("unknown_unit", ln, f"subtotal {label!r} names no unit of dbt/seeds/kpi_units.csv")
        unit = self.unit
        columns = zip(self.columns, split.cells, strict=True)
        values = [(unit, year, status, cell.value, cell.text) for (year, status), cell in columns]
        self.rows.append(KpiRow(self.base(kind, label, ln.number), values))  # values: kpi_rows.VALUE_FIELDS
        return True

    def finish(self) -> None:
        self.close_narrative()
