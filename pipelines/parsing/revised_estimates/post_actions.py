"""Post actions: "Abolishment | 55 (1 ASG, 4 D-1, 7 P-5 …)", the count and the grades its text names.

Two layouts: one text cell per funding source ("55 (1 ASG, …)"), its column headed by the source's
English label (dbt/seeds/funding_sources.csv: "Regular budget", "Support account (posts and …)"),
or a Number and a Level column (special political missions' "Changes to human resources"), whose
funding source is the table kind's (table_kinds.csv). Each row carries its funding_source.

The count is the number printed before a parenthesis that holds the whole rest of the cell ("55 (…)",
or "9 (…" whose parenthesis never closes); a cell that opens with a sub-count ("3 (…) from …; 4 (…)
from …") or with a grade count ("1 P-3") prints no count of its own: count_text stays empty.
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

_COUNT = re.compile(r"^(\(?\d[\d\s]*\)?|[–—-])\s*(?=\(|$)")


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


def _closing(text: str) -> int | None:
    """Index of the parenthesis closing the one that opens ``text``, or None when it never closes."""
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return i
    return None


def _split(text: str) -> tuple[str, str]:
    """(count as printed, detail): see the module docstring."""
    text = text.strip()
    m = _COUNT.match(text)
    if not m:
        return "", text
    rest = text[m.end() :]
    if not rest:
        return m.group(1).strip(), ""
    end = _closing(rest)
    if end is None:  # "9 (1 P-5 … and 1 P-3 from Beirut to Amman": never closed, the rest is its detail
        return m.group(1).strip(), rest[1:].strip()
    if not rest[end + 1 :].strip(" )"):  # "105 (… 3 LL))": a stray closing parenthesis after the group
        return m.group(1).strip(), rest[1:end].strip()
    return "", text


@cache
def _funding_labels() -> list[tuple[str, str]]:
    labels = vocab.label_to_code("funding_sources", "funding_source_code", "label_en")
    return sorted(((k.casefold(), v) for k, v in labels.items()), key=lambda kv: -len(kv[0]))


def _funding_source(header: str) -> str | None:
    """The funding source a column header names by its English label ("Support account (posts and …)")."""
    text = header.strip().casefold()
    return next((code for label, code in _funding_labels() if text.startswith(label)), None)


def _columns(spec: TableSpec, names: list[str], headers: list[str]) -> list[tuple[int, int | None, str]]:
    """(count column, level column or None, funding source) for each funding source the table prints."""
    if "number" in names and "level" in names:
        return [(names.index("number"), names.index("level"), spec.kind.funding_source)]
    sources = [(i, None, _funding_source(h)) for i, h in enumerate(headers) if i > 0 and _funding_source(h)]
    if sources:
        return sources
    return [(1, None, spec.kind.funding_source)] if len(names) > 1 else []


def _row(cells: list[str], count_col: int, level_col: int | None) -> tuple[str, str]:
    cell = cells[count_col] if count_col < len(cells) else ""
    if level_col is None:
        return _split(cell)
    return cell, cells[level_col] if level_col < len(cells) else ""


@reader("post_actions", "post_changes")
def read_post_actions(spec: TableSpec, context: ReadContext) -> tuple[list[dict], list[Finding]]:
    doc, entity = context.doc, context.entity
    header = read_header(spec.table)
    headers = [c.header for c in header.columns]
    columns = _columns(spec, [h.strip().casefold() for h in headers], headers)
    table, findings, out = spec.source_table, [], []
    for row_index, row in enumerate(spec.table.rows[header.rows :], start=header.rows):
        cells = [c.text.text for c in row.cells]
        if not cells or not cells[0]:
            continue
        for count_col, level_col, source in columns:
            count_text, detail = _row(cells, count_col, level_col)
            if not count_text and not detail:
                continue
            base = {
                **doc,
                "entity_code": entity,
                "source_table": table,
                "funding_source": source,
                "row_label": cells[0],
                "count_value": read_value(count_text).value,
                "count_text": count_text,
                "detail_text": detail,
                "source_line": row.ordinal,
                "table_index": spec.table.index,
                "row_index": row_index,
            }
            counts, repairs = grade_counts(detail)
            findings += [
                Finding("warn", "cell_repaired", f"table {table} row {row_index}: {r}", table, row.ordinal)
                for r in repairs
            ]
            out += [{**base, "grade_code": g, "grade_count": n} for g, n in counts] or [
                {**base, "grade_code": None, "grade_count": None}
            ]
    return out, findings
