"""Performance measures (业绩计量 tables) and performance figures (图 3.N whose values are in the text).

Performance-measure tables were flattened column by column: the text of the 2020 cell, then 2021, …,
each wrapped at about nine characters; a line ending in a space closes an item, leading ``—`` tokens
mark empty leading cells, and a repeated header starts the rest of the columns on the next page. A
cell may hold several items, so items are assigned to years by the only rules the layout guarantees
(years in order, every non-empty year has an item, an item naming one of the table's years belongs to
it), preferring one item per planned year and spreading the others evenly, later years taking the
extra. Where the rules allow another year the row says ``confidence = uncertain``.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from pipelines import vocab
from pipelines.parsing.fascicle.kpi_common import (
    figure_units,
    number_in_text,
    stable_key,
    status_words,
    unit_code,
    year_statuses,
)
from pipelines.parsing.fascicle.line_index import register
from pipelines.parsing.fascicle.readers import ReadContext, TableFindings, reader
from pipelines.parsing.fascicle.structure import ENTITY_HEADING, FIGURE_START, TableSpan, kinds, paragraph_starts
from pipelines.parsing.findings import Finding
from pipelines.parsing.numbers import NIL, parse_number_text
from pipelines.parsing.text import Line


def _alt(role: str, code: str | None = None) -> str:
    """The words of a role of dbt/seeds/parser_words.csv (of one code, if given), as an alternation."""
    return "|".join(re.escape(w) for w, c in vocab.words(role).items() if code in (None, c))


# The programme plan's headings, from the seed; the shapes around them (a year, a number, a colon) are layout.
_COLON, _YEAR_MARK = vocab.word("item_colon"), re.escape(vocab.word("year_mark"))
_SUBPROGRAMME = re.compile(rf"^(?:{_alt('subprogramme_heading')})\s*(\d+)$")
_RESULT = re.compile(rf"^(?:{_alt('result_heading')})\s*\S+{_COLON}\s*(.+)$")
_PERFORMANCE_YEAR = re.compile(rf"^(\d{{4}})\s*{_YEAR_MARK}(?:{_alt('year_heading', 'programme_performance')})")
_HEADING = re.compile(
    rf"^(\d{{4}}\s*{_YEAR_MARK}({_alt('year_heading')})|(?:{_alt('result_heading')})\s*\S+{_COLON}"
    rf"|{_alt('plan_heading')}|(?:{_alt('plan_heading_line')})$"
    rf"|(?:{_alt('subprogramme_heading')})\s*\d+$)"
)
_YEAR_IN_TEXT = re.compile(rf"(\d{{4}})\s*{_YEAR_MARK}")


@dataclass
class Context:
    subprogramme: str | None = None
    result: str | None = None
    performance_year: int | None = None


register(
    {
        "subprogramme": _SUBPROGRAMME,
        "result": _RESULT,
        "performance_year": _PERFORMANCE_YEAR,
        "performance_heading": _HEADING,
    }
)


_NUMBER = attrgetter("number")


class ContextAt:
    """The Context in force at each line, looked up by line number (``get`` as on a dict of every line)."""

    def __init__(self, lines: list[Line], changes: list[tuple[int, Context]], initial: Context):
        self._lines = lines  # ascending by number: searched by it, without a list of the numbers
        self._numbers = [n for n, _ in changes]
        self._contexts = [c for _, c in changes]
        self._initial = initial

    def get(self, number: int, default: Context | None = None) -> Context | None:
        k = bisect_left(self._lines, number, key=_NUMBER)
        if k == len(self._lines) or self._lines[k].number != number:
            return default
        j = bisect_right(self._numbers, number) - 1
        return self._contexts[j] if j >= 0 else self._initial


def contexts(lines: list[Line]) -> ContextAt:
    """The subprogramme, result heading and performance year in force at each line."""
    ctx = initial = Context()
    changes: list[tuple[int, Context]] = []
    for i in kinds(lines).positions("entity", "subprogramme", "result", "performance_year"):
        ln = lines[i]
        if ENTITY_HEADING.match(ln.text):
            ctx = Context()
        elif m := _SUBPROGRAMME.match(ln.text):
            ctx = Context(subprogramme=f"subprogramme_{m.group(1)}")
        elif m := _RESULT.match(ln.text):
            ctx = Context(ctx.subprogramme, m.group(1), None)
        elif m := _PERFORMANCE_YEAR.match(ln.text):
            ctx = Context(ctx.subprogramme, ctx.result, int(m.group(1)))
        changes.append((ln.number, ctx))
    return ContextAt(lines, changes, initial)


def _items(lines: list[Line]) -> list[tuple[list[dict], list[int]]]:
    """Page segments of items: [(items, lines of the leading empty cells)], items = {text, first, last},
    from the year/status header to the next heading, page noise skipped (one pass over the lines)."""
    segments: list[tuple[list[dict], list[int]]] = []
    items: list[dict] = []
    empties: list[int] = []
    current: dict | None = None
    heading = _HEADING.match
    for ln in lines:
        text = ln.text
        if heading(text):
            break
        if ln.noise:
            continue
        if year_statuses(text):  # a (repeated) header starts a segment
            if items or empties:
                segments.append((items, empties))
            items, empties, current = [], [], None
            continue
        if current is None:
            while text.startswith(NIL):
                empties.append(ln.number)
                text = text[len(NIL) :].strip()
            if not text:
                continue
            current = {"text": text, "first": ln.number, "last": ln.number}
        else:
            current["text"] += text
            current["last"] = ln.number
        if not ln.continues:
            items.append(current)
            current = None
    if current:
        items.append(current)
    if items or empties:
        segments.append((items, empties))
    return segments


def _assignments(n_items: int, years: list[int], pins: dict[int, int], surjective: bool):
    """Every monotone assignment of items to year indexes (respecting pins; onto when surjective)."""
    for combo in itertools.combinations_with_replacement(range(len(years)), n_items):
        if surjective and set(combo) != set(range(len(years))):
            continue
        if all(combo[i] == y for i, y in pins.items()):
            yield combo


def _preferred(options: list[tuple[int, ...]], planned: set[int], n_years: int) -> tuple[int, ...]:
    def score(combo):
        counts = [combo.count(y) for y in range(n_years)]
        one_per_planned = sum(1 for y in planned if counts[y] == 1)
        spread = max(counts) - min(c for c in counts if c) if combo else 0
        return (one_per_planned, -spread, combo)  # later years take the extra: larger tuples win

    return max(options, key=score)


def assign_years(items: list[dict], years: list[tuple[int, str]], continuation: bool) -> list[tuple[int, bool]]:
    """(year index, certain) per item."""
    year_values = [y for y, _ in years]
    if not items:
        return []
    if not continuation and len(items) == len(years):
        return [(i, True) for i in range(len(items))]
    pins = {}
    for i, item in enumerate(items):
        named = {int(y) for y in _YEAR_IN_TEXT.findall(item["text"])} & set(year_values)
        if len(named) == 1:
            pins[i] = year_values.index(named.pop())
    return list(_assign(len(items), tuple(years), tuple(pins.items()), continuation))


@lru_cache(maxsize=4096)
def _assign(
    n_items: int, years: tuple[tuple[int, str], ...], pin_items: tuple[tuple[int, int], ...], continuation: bool
) -> tuple[tuple[int, bool], ...]:
    """assign_years for a table shape: the answer depends on the item count, the years, the pins and
    the page, not on the items' text, and the same shapes recur table after table."""
    year_values, pins = [y for y, _ in years], dict(pin_items)
    options = list(_assignments(n_items, year_values, pins, surjective=not continuation))
    if not options:
        options = list(_assignments(n_items, year_values, {}, surjective=not continuation))
    planned = {i for i, (_, s) in enumerate(years) if s == "planned"}
    if continuation:  # overflow of long cells: actual years only, by the same preferences
        actual = [i for i in range(len(years)) if i not in planned]
        options = [o for o in options if set(o) <= set(actual)] or options
    best = _preferred(options, planned, len(years))
    return tuple((best[i], not continuation and len({o[i] for o in options}) == 1) for i in range(n_items))


@reader("performance", "kpis")
def read_performance_measures(span: TableSpan, context: ReadContext) -> tuple[list[dict], list[Finding]]:
    """Items of the flattened columns, from the year/status header to the next heading, each given a year."""
    doc, ctx = context.doc, context.heading
    findings = TableFindings(span.number, f"table {span.number}")
    start = next((i for i, ln in enumerate(span.lines) if year_statuses(ln.text)), None)
    if start is None:
        findings.add("unknown_layout", f"table {span.number}: no year/status header", span.first_line)
        return [], findings
    years = year_statuses(span.lines[start].text)
    rows: list[dict] = []
    label = ctx.result or span.title
    key = stable_key("performance_measure", span.entity_code, ctx.subprogramme, label)
    for s, (items, empties) in enumerate(_items(span.lines[start:])):
        open_years = years[len(empties) :] if s == 0 else years
        assigned = assign_years(items, open_years, continuation=s > 0)
        if s == 0:
            for (year, status), line in zip(years, empties, strict=False):
                rows.append(_row(doc, span, ctx, key, label, year, status, NIL, line, line, "certain"))
        for item, (yi, certain) in zip(items, assigned, strict=True):
            year, status = open_years[yi]
            rows.append(
                _row(
                    doc,
                    span,
                    ctx,
                    key,
                    label,
                    year,
                    status,
                    item["text"],
                    item["first"],
                    item["last"],
                    "certain" if certain else "uncertain",
                )
            )
            if not certain:
                findings.add(
                    "uncertain_year",
                    f"table {span.number} lines {item['first']}-{item['last']}: the "
                    f"flattened layout allows another year than {year} for {item['text'][:20]!r}…",
                    item["first"],
                )
    return rows, list(findings)


def _row(doc, span, ctx, key, label, year, status, text, first, last, confidence) -> dict:
    value, unit, qualifier = number_in_text(text) if text != NIL else (None, None, None)
    return {
        **doc,
        "kpi_family": "performance_measure",
        "kpi_key": key,
        "entity_code": span.entity_code,
        "subprogramme_code": ctx.subprogramme,
        "source_table": span.number,
        "category": None,
        "row_kind": None,
        "label_zh": label,
        "label_zh_hans": label,
        "unit": unit,
        "fiscal_year": year,
        "status": status,
        "value_numeric": value,
        "value_text": text,
        "qualifier": qualifier,
        "confidence": confidence,
        "source_line": first,
        "locator": f"table {span.number} lines {first}-{last}",
    }


# --- performance figures ---------------------------------------------------------------------------

# "…达到 26%，超过了 25.5%的计划目标": a comparison verb, the target (within the clause: punctuation is
# layout), the target word
_TARGET = re.compile(
    rf"({_alt('target_verb')})\s*([^，。；]*?)(?:{_alt('possessive')})?"
    rf"(?:{re.escape(next(k for k, v in status_words(every=True).items() if v == 'target'))})"
)
_FIGURE_UNITS = "|".join(map(re.escape, figure_units()))
_NUMBER_UNIT = re.compile(rf"(?<![\d.])(\d{{1,3}}(?: \d{{3}})+|\d+)(\.\d+)?\s*({_FIGURE_UNITS})?(?!\s*{_YEAR_MARK})")
_DATE_AFTER = re.compile(rf"\s*({_alt('date_unit')})")
_CAPTION = vocab.word("figure_caption") + _COLON


def _last_number(text: str) -> tuple[float, str, str] | None:
    found = [m for m in _NUMBER_UNIT.finditer(text) if not _DATE_AFTER.match(text[m.end() :])]
    if not found:
        return None
    m = found[-1]
    return parse_number_text(m.group(1) + (m.group(2) or "")), unit_code(m.group(3)), m.group(0).strip()


class _Paragraphs:
    """(first line, joined text) of each numbered paragraph, up to 40 lines, headings and figures left
    out. A paragraph is joined only when asked for: a figure reads the few paragraphs before it, and
    joining all of a fascicle's paragraphs up front was most of reading its figures."""

    def __init__(self, lines: list[Line]):
        index = kinds(lines)
        self._lines = lines
        self._starts = paragraph_starts(lines)
        self._not_text = set(index.hits["figure"]) | set(index.hits["performance_heading"])
        self.firsts = [lines[i].number for i in self._starts]  # ascending
        self._joined: dict[int, str] = {}

    def __getitem__(self, k: int) -> tuple[int, str]:
        if k not in self._joined:
            self._joined[k] = self._join(k)
        return self.firsts[k], self._joined[k]

    def _join(self, k: int) -> str:
        # a paragraph runs to the next one's start
        lines, i = self._lines, self._starts[k]
        end = self._starts[k + 1] if k + 1 < len(self._starts) else len(lines)
        first = lines[i].number
        parts = [lines[i].text]
        parts += [
            ln.text
            for j, ln in enumerate(lines[i + 1 : end], start=i + 1)
            if ln.number - first < 40 and not ln.noise and j not in self._not_text
        ]
        return "".join(parts)


def read_figures(lines: list[Line], doc: dict, entity_at, ctx_at: ContextAt) -> list[dict]:
    """For each ``图 N 业绩计量：…``, the actual and target values its neighbouring narrative states."""
    rows: list[dict] = []
    paragraphs = _Paragraphs(lines)
    firsts = paragraphs.firsts
    for i in kinds(lines).hits["figure"]:
        ln = lines[i]
        m = FIGURE_START.match(ln.text)
        if i + 1 >= len(lines) or not lines[i + 1].text.startswith(_CAPTION):
            continue
        figure = m.group(1)
        measure = lines[i + 1].text.split(_COLON, 1)[1]
        ref = f"图 {figure}"  # as the text cites it (the figure's own label, a layout mark like 表)
        # the last paragraph before the figure that names it
        k = next((k for k in range(bisect_left(firsts, ln.number) - 1, -1, -1) if ref in paragraphs[k][1]), None)
        if not k:  # none, or the first paragraph (no paragraph before it to read)
            continue
        first, text = paragraphs[k - 1]
        ctx = ctx_at.get(ln.number, Context())
        base = {
            **doc,
            "kpi_family": "figure_measure",
            "kpi_key": stable_key("figure_measure", entity_at(ln.number), ctx.subprogramme, measure),
            "entity_code": entity_at(ln.number),
            "subprogramme_code": ctx.subprogramme,
            "source_table": ref,
            "category": None,
            "row_kind": None,
            "label_zh": measure,
            "label_zh_hans": measure,
            "fiscal_year": ctx.performance_year,
            "qualifier": None,
            "confidence": "certain",
            "source_line": first,
            "locator": f"paragraph {text.split()[0]} (figure {ref})",
        }
        rows += _figure_values(base, text)
    return rows


def _figure_values(base: dict, text: str) -> list[dict]:
    """The actual and the target the paragraph states ("…达到 26%，超过了 25.5%的计划目标")."""
    t = _TARGET.search(text)
    if not t:
        return []
    target = _last_number(t.group(2))
    actual = _last_number(text[len(text.split()[0]) : t.start()])
    if not (target and actual):
        # "…达到了计划目标": the narrative says the target was met without a number
        return [{**base, "status": "actual", "value_numeric": None, "value_text": t.group(0), "unit": None}]
    return [
        {
            **base,
            "status": "actual",
            "value_numeric": actual[0],
            "value_text": actual[2],
            "unit": actual[1] or target[1],
        },
        {
            **base,
            "status": "target",
            "value_numeric": target[0],
            "value_text": target[2],
            "unit": target[1] or actual[1],
        },
    ]
