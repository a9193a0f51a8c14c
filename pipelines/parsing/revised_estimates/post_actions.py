"""Post actions: "Abolishment | 55 (1 ASG, 4 D-1, 7 P-5 …)", the count and the grades its text names.

Two layouts: one text cell per funding source ("55 (1 ASG, …)"), or a Number and a Level column
(special political missions' "Changes to human resources"). Only the regular-budget column is
read into post_changes (the frame has no funding-source column); a support-account column is
reported as not read.
"""

from __future__ import annotations

import re
from functools import cache

from pipelines import vocab
from pipelines.parsing.findings import Finding
from pipelines.parsing.revised_estimates.cells import read_value
from pipelines.parsing.revised_estimates.headers import read_header
from pipelines.parsing.revised_estimates.readers import ReadContext, reader
from pipelines.parsing.revised_estimates.structure import TableSpec

_COUNT_THEN_DETAIL = re.compile(r"^(\(?\d[\d\s]*\)?|[–—-])\s*(?:\((.*)\))?\s*$", re.S)


@cache
def _grade_pattern() -> re.Pattern:
    codes = sorted(vocab.grades(), key=len, reverse=True)
    return re.compile(r"(\d+)\s+(" + "|".join(re.escape(c) for c in codes) + r")(?![\w-])")


# "2 (GS PL)": the parenthesis misplaced around the level (A/80/400 table 80); read as 2 GS (PL), reported.
_MISPLACED_LEVEL = re.compile(r"(\d+)\s+\((GS)\s+(PL|OL)\)")


def grade_counts(detail: str) -> tuple[list[tuple[str, int]], list[str]]:
    """(grade, count) pairs the text names, and the misprints read with a repair."""
    counts = [(m.group(2), int(m.group(1))) for m in _grade_pattern().finditer(detail)]
    repairs = []
    for m in _MISPLACED_LEVEL.finditer(detail):
        grade = f"{m.group(2)} ({m.group(3)})"
        counts.append((grade, int(m.group(1))))
        repairs.append(f"{m.group(0)!r} read as {m.group(1)} {grade}")
    return counts, repairs


def _split(text: str) -> tuple[str, str]:
    m = _COUNT_THEN_DETAIL.match(text.strip())
    return (m.group(1).strip(), m.group(2) or "") if m else ("", text.strip())


@reader("post_actions", "post_changes")
def read_post_actions(spec: TableSpec, context: ReadContext) -> tuple[list[dict], list[Finding]]:
    doc, entity = context.doc, context.entity
    header = read_header(spec.table)
    names = [c.header.strip().casefold() for c in header.columns]
    table, findings, out = spec.source_table, [], []
    number_col = names.index("number") if "number" in names else None
    level_col = names.index("level") if "level" in names else None
    text_col = next((i for i, n in enumerate(names) if n.startswith("regular budget")), 1 if len(names) > 1 else None)
    for i, n in enumerate(names):
        if n.startswith("support account"):
            findings.append(
                Finding(
                    "info",
                    "column_not_read",
                    f"table {table}: column {header.columns[i].header!r} "
                    "(support account) is not read into post_changes",
                    table,
                    spec.first_line,
                )
            )
    for row_index, row in enumerate(spec.table.rows[header.rows :], start=header.rows):
        cells = [c.text.text for c in row.cells]
        if not cells or not cells[0]:
            continue
        if number_col is not None and level_col is not None:
            count_text = cells[number_col] if number_col < len(cells) else ""
            detail = cells[level_col] if level_col < len(cells) else ""
        elif text_col is not None and text_col < len(cells):
            count_text, detail = _split(cells[text_col])
        else:
            continue
        if not count_text and not detail:
            continue
        value = read_value(count_text)
        base = {
            **doc,
            "entity_code": entity,
            "source_table": table,
            "row_label": cells[0],
            "count_value": value.value,
            "count_text": count_text,
            "detail_text": detail,
            "source_line": row.ordinal,
            "table_index": spec.table.index,
            "row_index": row_index,
        }
        counts, repairs = grade_counts(detail)
        findings += [
            Finding("warn", "cell_repaired", f"table {table} row {row_index}: {r}", table, row.ordinal) for r in repairs
        ]
        out += [{**base, "grade_code": g, "grade_count": n} for g, n in counts] or [
            {**base, "grade_code": None, "grade_count": None}
        ]
    return out, findings
