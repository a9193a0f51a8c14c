"""Row labels as printed -> canonical codes, per table kind, through the reviewed vocabularies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from pipelines import vocab
from pipelines.parsing.text import strip_footnote_letter

_COMPONENT = re.compile(r"^([A-Z])\.\s*(.+)$")
_SUBPROGRAMME = re.compile(r"^(\d+)\.\s*(.+)$")
_GRADE_SPACING = re.compile(r"^GS\s*\((PL|OL)\)$")
# a summary table for one subprogramme is titled "次级方案 N：…" (the word from parser_words.csv)
_SCOPE_SUBPROGRAMME = re.compile(rf"^(?:{'|'.join(map(re.escape, vocab.words('subprogramme_heading')))})\s*(\d+)$")


class RowCode(NamedTuple):  # a tuple: built for every row of every table, cheaply
    breakdown: str  # object_of_expenditure, component, subprogramme, grade, category, expenditure_class, entity
    code: str | None  # None: label not in the vocabulary (reported as a finding)
    is_total: bool


@dataclass
class TableContext:
    """What earlier lines of a table said that later rows need."""

    component_letters: dict[str, str]  # "C" -> programme_of_work, from "C. 工作方案"
    category: str | None = None  # current post category group header
    section: str | None = None  # resource_summary: the family of its section, resources | posts

    @classmethod
    def new(cls) -> TableContext:
        return cls(component_letters={})

    def observe_text(self, text: str) -> None:
        """Group headers: component letters, post categories, summary sections."""
        category, letter, section = _header_says(text)
        if category is not None:
            self.category = category
        if letter is not None:
            self.component_letters[letter[0]] = letter[1]
        if section is not None:
            self.section = section


@lru_cache(maxsize=8192)  # header lines recur table after table
def _header_says(text: str) -> tuple[str | None, tuple[str, str] | None, str | None]:
    """(post category, (component letter, component code), summary section) a text line names, each
    None when it names none."""
    label, _ = strip_footnote_letter(text.strip())
    category = vocab.post_categories().get(label)
    m = _COMPONENT.match(label)
    letter = (m.group(1), vocab.components()[m.group(2)]) if m and m.group(2) in vocab.components() else None
    # the first heading of the seed a line names decides
    section = next((family for heading, family in vocab.words("section_heading").items() if heading in label), None)
    return category, letter, section


def normalise_grade(label: str) -> str:
    m = _GRADE_SPACING.match(label)
    return f"GS ({m.group(1)})" if m else label


def component_row(label: str, ctx: TableContext) -> RowCode:
    m = _COMPONENT.match(label)
    if m:
        code = vocab.components().get(m.group(2))
        if code:
            ctx.component_letters[m.group(1)] = code
        return RowCode("component", code, False)
    m = _SUBPROGRAMME.match(label)
    if m:
        return RowCode("subprogramme", f"subprogramme_{m.group(1)}", False)
    m = _subtotal_pattern().match(label)
    if m:
        key = m.group(1)
        if key.isdigit():  # 小计(1): the funding-source block's total
            return RowCode("component", "total", True)
        # 小计(C): the programme-of-work component, as the sum of its subprogrammes
        return RowCode("component", ctx.component_letters.get(key), True)
    if label in vocab.components():
        return RowCode("component", vocab.components()[label], False)
    if label == subtotal_label():  # a bare 小计 closes a block that has one component
        return RowCode("component", "total", True)
    if label == total_label():
        return RowCode("component", "total", True)
    return RowCode("component", None, False)


@lru_cache(maxsize=1)  # asked for by rows of every table: the seed is scanned once
def total_label() -> str:
    return next(k for k, v in vocab.objects_of_expenditure().items() if v == "total")


@lru_cache(maxsize=1)
def subtotal_label() -> str:
    return next(k for k, v in vocab.post_categories().items() if v == "subtotal")


@lru_cache(maxsize=1)
def _subtotal_pattern() -> re.Pattern[str]:
    """``小计(C)``: the subtotal of component C, or ``小计(1)`` of funding-source block 1."""
    return re.compile(rf"^{re.escape(subtotal_label())}\s*\((\w+)\)$")


def row_code(kind: str, label: str, ctx: TableContext) -> RowCode:
    if kind == "object_of_expenditure":
        code = vocab.objects_of_expenditure().get(label)
        return RowCode("object_of_expenditure", code, code == "total")
    if kind in ("funding_source_component", "posts_funding_component"):
        return component_row(label, ctx)
    if kind == "posts_by_grade":
        grade = normalise_grade(label)
        if grade in vocab.grades():
            return RowCode("grade", grade, False)
        if label == subtotal_label():
            return RowCode("category", ctx.category, True)
        if label == total_label():
            return RowCode("category", "total", True)
        return RowCode("grade", None, False)
    if kind == "resource_summary":
        if ctx.section == "posts":
            code = vocab.post_categories().get(label)
            return RowCode("category", code, code == "total")
        code = vocab.objects_of_expenditure().get(label)
        return RowCode("expenditure_class", code, code == "total")
    return RowCode("unknown", None, False)


def scope_code(scope_label: str) -> str | None:
    """``entity``, a component code, or ``subprogramme_N`` for a summary table's subject."""
    if scope_label == "entity":
        return "entity"
    if scope_label in vocab.components():
        return vocab.components()[scope_label]
    m = _SCOPE_SUBPROGRAMME.match(scope_label)
    return f"subprogramme_{m.group(1)}" if m else None
