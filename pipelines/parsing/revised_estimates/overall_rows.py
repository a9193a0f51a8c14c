"""Number-and-details tables of phases (A/80/400 table 219, "Overall: proposed posts and post
changes"): a row naming a phase prints, per group of staff, a number and its details, "3 742 | Posts
(18 USG, 18 ASG, ..., and 1 527 LL)", the group's next rows leaving the label blank ("23 | GTA
positions (...)", "321 | UNV (...)").

The number is the group's total (scope by the group's name, column_words.csv), and each "<count>
<grade>" of the details a grade of dbt/seeds/grades.csv. Counts print a space between thousands
("1 527 LL"); a comma instead ("1,215 LL") is read the same and reported. The post actions under
"Changes" (their text names moves between grades, "1 ASG to USG") are not read here: a finding
lists them.
"""

from __future__ import annotations

import re
from functools import cache

from pipelines import vocab
from pipelines.parsing.findings import Finding, finding
from pipelines.parsing.revised_estimates import columns as cols
from pipelines.parsing.revised_estimates.cells import read_value
from pipelines.parsing.revised_estimates.headers import read_header
from pipelines.parsing.revised_estimates.matrix import fact_record
from pipelines.parsing.revised_estimates.phase_rows import column_words
from pipelines.parsing.revised_estimates.readers import ReadContext, reader
from pipelines.parsing.revised_estimates.structure import TableSpec

_GROUP = re.compile(r"^([^(]+?)\s*\((.*)\)\s*$", re.S)


@cache
def _grade_counts() -> re.Pattern:
    codes = sorted(vocab.grades(), key=len, reverse=True)
    grades = "|".join(re.escape(c) for c in codes)
    return re.compile(r"(?<![\d,])(\d{1,3}(?:[ ,]\d{3})*|\d+)\s+(" + grades + r")(?![\w-])")


def grade_counts(details: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(grade, count as printed) named in the details, and the counts read with a repair (a comma)."""
    out, repairs = [], []
    for m in _grade_counts().finditer(details):
        if "," in m.group(1):
            repairs.append(f"{m.group(0)!r} read as {m.group(1).replace(',', '')} {m.group(2)}")
        out.append((m.group(2), m.group(1)))
    return out, repairs


@reader("overall_rows", "facts")
def read_overall_rows(spec: TableSpec, context: ReadContext) -> tuple[list[dict], list[Finding]]:
    """Posts and positions of each phase, by group and grade, from a number-and-details table."""
    header = read_header(spec.table)
    table, findings, facts, meaning, skipped = spec.source_table, [], [], None, []
    for row_index, row in enumerate(spec.table.rows[header.rows :], start=header.rows):
        cells = [c.text.text for c in row.cells]
        if len(cells) < 3 or not (cells[0] or cells[1] or cells[2]):
            continue
        if cells[0]:
            phase, period = cols.phase_of(cells[0]), cols.period_of(cells[0])
            meaning = cols.Meaning("amount", phase, period) if phase and period else None
        m = _GROUP.match(cells[2])
        words = column_words(m.group(1)) if m else None
        if meaning is None or words is None:
            skipped.append(str(row_index))
            continue
        label = cells[0] or next(
            r.cells[0].text.text for r in reversed(spec.table.rows[:row_index]) if r.cells[0].text.text
        )
        base = {
            **context.doc,
            "entity_code": context.entity,
            "source_table": table,
            "table_kind": spec.kind.table_kind,
            "funding_source": spec.kind.funding_source,
            "scope_code": words[1],
            "row_label": label,
            "footnote": None,
            "source_line": row.ordinal,
            "table_index": spec.table.index,
            "row_index": row_index,
        }
        total = {**base, "breakdown": "category", "line_item_code": "total", "is_total": True}
        facts.append(fact_record(total, meaning, read_value(cells[1]), header.columns[1].header, "posts"))
        counts, repairs = grade_counts(m.group(2))
        for r in repairs:
            findings.append(finding("cell_repaired", f"table {table} row {row_index}: {r}", table, row.ordinal))
        for grade, printed in counts:
            cell = read_value(printed)
            grade_base = {**base, "breakdown": "grade", "line_item_code": grade, "is_total": False}
            # one Details cell holds every grade: the grade names the fact's part of it ("Details / P-4")
            facts.append(fact_record(grade_base, meaning, cell, f"{header.columns[2].header} / {grade}", "posts"))
    if skipped:
        message = f"table {table} rows {', '.join(skipped)}: post actions or rows naming no phase; not read"
        findings.append(finding("row_not_read", message, table, spec.first_line))
    return facts, findings
