"""Post-change tables (表 3.25 …): label · 数目 · 详情, with the grade counts the 详情 text gives.

数目 is not additive (reclassifications and redeployments move posts without changing the count),
so it is kept as printed, and the grade breakdown is read from the free text ("1 个 USG、3 个 ASG…").
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines import vocab
from pipelines.parsing.fascicle.rows import normalise_grade
from pipelines.parsing.fascicle.structure import TableSpan
from pipelines.parsing.findings import Finding
from pipelines.parsing.numbers import NIL, parse_number_text

_ROW = re.compile(r"^(?P<label>.+?)\s+(?P<count>\(?\d+\)?|—)(?:\s+(?P<detail>.+))?$")
_CONTINUATION = re.compile(r"^\d+\s*个")


@lru_cache(maxsize=1)
def _grade_count_pattern() -> re.Pattern[str]:
    alts = sorted(vocab.grades(), key=len, reverse=True)
    grade_re = "|".join(re.escape(g).replace(r"\ ", r"\s*") for g in alts)
    # A footnote letter may be glued to the grade ("3 P-3b"): it must not be read as part of it.
    return re.compile(rf"(\d+)\s*个\s*({grade_re})(?![A-Za-z0-9/\-])|(\d+)\s*个\s*({grade_re})[a-h](?![a-z])")


def grade_counts(detail: str) -> list[tuple[str, int]]:
    out = []
    for m in _grade_count_pattern().finditer(detail):
        count, grade = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        out.append((normalise_grade(grade), int(count)))
    return out


def read_post_changes(span: TableSpan, doc: dict) -> tuple[list[dict], list[Finding]]:
    rows: list[dict] = []
    findings: list[Finding] = []
    started = False
    for ln in span.lines:
        text = ln.text
        if text.startswith("注"):
            break   # the abbreviations note closes the table
        if ln.noise or ln.footnote:
            continue
        if not started:
            started = "详情" in text   # the header "数目 详情" precedes the rows
            continue
        if rows and (_CONTINUATION.match(text) or rows[-1]["detail_text"].endswith(("、", "和"))):
            rows[-1]["detail_text"] += text
            continue
        m = _ROW.match(text)
        if not m:
            findings.append(Finding("error", "post_change_row_unreadable",
                                    f"table {span.number} line {ln.number}: {text!r} is not label · 数目 · 详情",
                                    span.number, ln.number))
            continue
        rows.append({
            "row_label": m.group("label"),
            "count_text": m.group("count"),
            "count_value": None if m.group("count") == NIL else parse_number_text(m.group("count")),
            "detail_text": m.group("detail") or "",
            "source_line": ln.number,
        })
    out = []
    for r in rows:
        base = {**doc, "entity_code": span.entity_code, "source_table": span.number, **r}
        counts = grade_counts(r["detail_text"])
        if not counts:
            out.append({**base, "grade_code": None, "grade_count": None})
        for grade, n in counts:
            out.append({**base, "grade_code": grade, "grade_count": n})
    if not started:
        findings.append(Finding("error", "unknown_layout",
                                f"table {span.number}: no '数目 详情' header found", span.number, span.first_line))
    return out, findings
