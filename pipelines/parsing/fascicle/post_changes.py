"""Post-change tables (表 3.25 …): label · 数目 · 详情, with the grade counts the 详情 text gives.

数目 is not additive (reclassifications and redeployments move posts without changing the count),
so it is kept as printed, and the grade breakdown is read from the free text ("1 个 USG、3 个 ASG…").
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines import vocab
from pipelines.parsing.fascicle.readers import STOP, RowReader, row_reader
from pipelines.parsing.fascicle.rows import normalise_grade
from pipelines.parsing.numbers import NIL, parse_number_text
from pipelines.parsing.text import Line

_ROW = re.compile(r"^(?P<label>.+?)\s+(?P<count>\(?\d+\)?|—)(?:\s+(?P<detail>.+))?$")


@lru_cache(maxsize=1)
def _counter() -> str:
    """The counter word between a count and its grade ("3 个 P-4"), as a pattern."""
    return "|".join(map(re.escape, vocab.words("post_counter")))


@lru_cache(maxsize=1)
def _continuation() -> re.Pattern[str]:
    return re.compile(rf"^\d+\s*(?:{_counter()})")


@lru_cache(maxsize=1)
def _grade_count_pattern() -> re.Pattern[str]:
    alts = sorted(vocab.grades(), key=len, reverse=True)
    grade_re = "|".join(re.escape(g).replace(r"\ ", r"\s*") for g in alts)
    c = _counter()
    # A footnote letter may be glued to the grade ("3 P-3b"): it must not be read as part of it.
    return re.compile(rf"(\d+)\s*(?:{c})\s*({grade_re})(?![A-Za-z0-9/\-])|(\d+)\s*(?:{c})\s*({grade_re})[a-h](?![a-z])")


def grade_counts(detail: str) -> list[tuple[str, int]]:
    out = []
    for m in _grade_count_pattern().finditer(detail):
        count, grade = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        out.append((normalise_grade(grade), int(count)))
    return out


@row_reader("post_changes", "post_changes")
class PostChanges(RowReader):
    """Rows read whole (label, count, free text), not split into figures: every line is claimed."""

    def __init__(self, span, context, found):
        super().__init__(span, context, found)
        self.started = False

    def claim(self, ln: Line) -> bool | str:
        text = ln.text
        if text.startswith(vocab.word("table_note")):
            return STOP  # the abbreviations note closes the table
        if not self.started:
            self.started = vocab.word("post_change_header") in text  # the header "数目 详情" precedes the rows
            return True
        rows = self.rows
        if rows and (_continuation().match(text) or rows[-1]["detail_text"].endswith(_list_joins())):
            rows[-1]["detail_text"] += text
            return True
        m = _ROW.match(text)
        if not m:
            self.found.at("post_change_row_unreadable", ln, f"{text!r} is not label · 数目 · 详情")
            return True
        rows.append(
            {
                "row_label": m.group("label"),
                "count_text": m.group("count"),
                "count_value": None if m.group("count") == NIL else parse_number_text(m.group("count")),
                "detail_text": m.group("detail") or "",
                "source_line": ln.number,
            }
        )
        return True

    def finish(self) -> None:
        out = []
        for r in self.rows:
            base = {
                **self.context.doc,
                "entity_code": self.span.entity_code,
                "source_table": self.span.number,
                # 总表 "拟议员额和员额变动" prints no funding source: its 核定 / 拟议 rows are the regular
                # budget's posts (checked against 按职类和职等列示的员额 by post_change_text_matches_grades)
                "funding_source": "regular_budget",
                **r,
            }
            counts = grade_counts(r["detail_text"])
            if not counts:
                out.append({**base, "grade_code": None, "grade_count": None})
            for grade, n in counts:
                out.append({**base, "grade_code": grade, "grade_count": n})
        self.rows = out
        if not self.started:
            self.found.add(
                "unknown_layout", f"table {self.span.number}: no '数目 详情' header found", self.span.first_line
            )


@lru_cache(maxsize=1)
def _list_joins() -> tuple[str, ...]:
    """Words a wrapped list of grade counts ends a line with ("、", "和"): the next line continues it."""
    return tuple(vocab.words("list_join"))
