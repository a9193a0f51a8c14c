"""Where each Word table sits: its printed number and title, its unit line, and the entity whose
heading it falls under, read from the paragraphs before it.

A table is announced by "Table N" and a title paragraph just before it. Entities are headed
"18. Section 3, Department of Political and Peacebuilding Affairs" (IV.B); special political
missions by an unnumbered heading just before their "Financial resources" table (IV.C), under
"C. Revised resource requirements for special political missions".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.parsing.revised_estimates.docx import Paragraph, Table
from pipelines.parsing.revised_estimates.kinds import Kind, kind_of

_TABLE_NUMBER = re.compile(r"^T?able\s+(\d+)$")
_UNIT = re.compile(r"^\((?:Thousands|Number)\b.*\)$")
_ENTITY_HEADING = re.compile(r"^\d+\.\s*Section\s+(\w+),\s*(.+)$")
_CHAPTER_FOR = re.compile(r"^[A-Z]\.\s*.*requirements for (.+)$")
_NUMBERED = re.compile(r"^\d+\.\s*\S")


@dataclass(frozen=True)
class TableSpec:
    table: Table
    number: str | None  # as printed ("78"); None for an unnumbered table
    number_text: str | None  # the paragraph as printed ("Table 78", or a damaged "able 281")
    title: str
    unit: str | None
    kind: Kind
    entity_name: str | None  # as printed in the heading it falls under
    section: str | None  # "3", "29A"
    first_line: int

    @property
    def source_table(self) -> str:
        return self.number or f"word_table_{self.table.index}"


@dataclass
class _State:
    entity: str | None = None
    section: str | None = None
    chapter_entity: str | None = None  # IV.C: "special political missions"
    free_heading: str | None = None  # the last unnumbered heading (a mission's name in IV.C)
    number: str | None = None
    number_text: str | None = None
    title: str | None = None
    unit: str | None = None
    first_line: int | None = None
    last_text: str | None = None

    def observe(self, p: Paragraph) -> None:
        text = p.text.text
        if not text:
            return
        m = _TABLE_NUMBER.match(text)
        if m:
            self.number, self.number_text, self.title, self.first_line = m.group(1), text, None, p.ordinal
        elif self.number and self.title is None:
            self.title = text
        elif _UNIT.match(text):
            self.unit = text
        elif p.style.startswith("H1"):
            c = _CHAPTER_FOR.match(text)
            self.chapter_entity = c.group(1) if c else None
            self.entity = self.section = self.free_heading = None
        elif p.style.startswith("H2") and (h := _ENTITY_HEADING.match(text)):
            self.section, self.entity, self.free_heading = h.group(1), h.group(2), None
        elif p.style.startswith("H2") and _NUMBERED.match(text):
            self.free_heading = None
            if self.chapter_entity:
                self.entity = None
        elif p.style.startswith("H"):
            self.free_heading = text
        self.last_text = text


def table_specs(blocks: list[Paragraph | Table]) -> list[TableSpec]:
    st = _State()
    specs = []
    for block in blocks:
        if isinstance(block, Paragraph):
            st.observe(block)
            continue
        title = st.title if st.number else (st.last_text or "")
        kind = kind_of(title)
        if kind.table_kind == "spm_mission_resources" and st.chapter_entity and st.free_heading:
            st.entity = st.free_heading  # a mission's first table names it
        entity = st.entity or st.chapter_entity
        specs.append(
            TableSpec(
                block,
                st.number,
                st.number_text,
                title,
                st.unit,
                kind,
                entity,
                st.section,
                st.first_line if st.number else (block.rows[0].ordinal if block.rows else 0),
            )
        )
        st.number = st.number_text = st.title = st.unit = None
    return specs
