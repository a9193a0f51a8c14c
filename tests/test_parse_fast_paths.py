"""The parser's fast paths (issue 12) give what the general code gives, on every line of the bundled
fascicle: a line skipped as text has no cells, a money row split without search splits as the
search does, a row with one token per cell too, and the line kinds combined into one alternation
rule out only lines none of them match; header lines read through a cache set what they set, and
the fact frames gathered per cell are the frames of the facts expanded one dict per cell."""

from __future__ import annotations

import gc
import re
from datetime import date

import polars as pl
import pytest

from pipelines.parsing import dispatch, fascicle, numbers
from pipelines.parsing.fascicle import structure
from pipelines.parsing.fascicle.facts import FactRow, fact_frames
from pipelines.parsing.fascicle.kinds import classify
from pipelines.parsing.fascicle.kpi_common import year_statuses
from pipelines.parsing.fascicle.kpi_rows import VALUE_FIELDS, KpiRow, kpi_frame
from pipelines.parsing.fascicle.line_index import _KINDS, any_of
from pipelines.parsing.fascicle.readers import ReadContext, registered
from pipelines.parsing.fascicle.rows import TableContext
from pipelines.parsing.gc_paused import gc_paused
from pipelines.parsing.numbers import may_end_in_cell, split_cells, split_trailing_cells
from pipelines.parsing.records import FACT_SCHEMA, KPI_SCHEMA, frame, with_calendar_periods
from pipelines.parsing.text import numbered_lines
from tests.conftest import FASCICLE


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [ln.text for ln in numbered_lines(FASCICLE.read_text(encoding="utf-8"))]


def test_a_line_that_cannot_end_in_a_cell_has_none(texts):
    skipped = [t for t in texts if not may_end_in_cell(t)]
    assert len(skipped) > 1000  # most lines of the fascicle end in a Chinese character
    assert [t for t in skipped if split_trailing_cells(t)[1]] == []
    # the marks a cell can end with are read from the cell tokens: nil, not applicable, ")", "."
    assert may_end_in_cell("差异 —") and may_end_in_cell("其他 不适用") and may_end_in_cell("(7.2)")
    assert not may_end_in_cell("支出用途")


def test_money_rows_split_without_search_as_the_search_splits_them(texts):
    fast = 0
    for t in texts:
        tokens = tuple(split_trailing_cells(t)[1])
        for expected in range(1, min(len(tokens), 9) + 1):
            searched = [list(o) for o in numbers._solve(tokens, [True] * expected)]
            split = split_cells(list(tokens), expected, True)
            assert (split.options if split else []) == searched, (t, expected)
            fast += split is not None and len(tokens) != expected
    assert fast >= 80  # money rows of the fascicle whose thousands groups make more tokens than cells
    # "43 526.4 (7.2) —": three cells, the first two tokens one number
    cells = split_cells(["43", "526.4", "(7.2)", "—"], 3, True).cells
    assert [(c.value, c.status) for c in cells] == [(43526.4, "value"), (-7.2, "value"), (None, "nil")]


def test_combined_line_kinds_match_exactly_when_one_kind_does(texts):
    patterns = list(_KINDS.values())
    combined = any_of(patterns)
    assert combined is not None
    assert [t for t in texts if bool(combined.match(t)) != any(p.match(t) for p in patterns)] == []
    # a backreference names a group by number, which an alternation renumbers: not combined
    assert any_of([re.compile(r"^(a)\1"), re.compile(r"^b")]) is None


def test_rows_with_one_token_per_cell_split_as_the_search_splits_them(texts):
    checked = 0
    for t in texts:
        tokens = split_trailing_cells(t)[1]
        if not tokens:
            continue
        n = len(tokens)
        # money, posts, either, and columns of both kinds (a percentage after post counts)
        for kinds in ([True] * n, [False] * n, [None] * n, [False] * (n - 1) + [True]):
            split = split_cells(tokens, n, kinds)
            assert (split.options if split else []) == [list(o) for o in numbers._solve(tuple(tokens), kinds)], t
            checked += split is not None
    assert checked > 500
    # an integer run that splits several ways into fewer cells (the search, then the row's arithmetic)
    # splits one way into as many cells as it has tokens
    ambiguous = ["400", "548", "400", "400"]
    assert split_cells(ambiguous, 3, False).alternatives >= 1
    one_each = split_cells(ambiguous, 4, False)
    assert one_each.options == [list(o) for o in numbers._solve(tuple(ambiguous), [False] * 4)]
    assert [c.value for c in one_each.cells] == [400.0, 548.0, 400.0, 400.0]
    # a token that is no cell, or a cell of the wrong kind, fits no column: no split
    assert split_cells(["12", "x"], 2, None) is None
    assert split_cells(["12", "3.5"], 2, False) is None and split_cells(["12", "3.5"], 2, [False, True]) is not None


def test_header_lines_set_what_later_rows_read():
    ctx = TableContext.new()
    ctx.observe_text("C. 工作方案")
    ctx.observe_text("专业及以上职类a")  # a footnote letter glued to the label
    assert (ctx.component_letters, ctx.category, ctx.section) == (
        {"C": "programme_of_work"},
        "professional_and_higher",
        None,
    )
    ctx.observe_text("员额资源")
    ctx.observe_text("支出用途")  # names nothing: what earlier lines set stays
    assert (ctx.category, ctx.section) == ("professional_and_higher", "posts")
    ctx.observe_text("一般事务及有关职类")
    ctx.observe_text("财政资源")
    assert (ctx.category, ctx.section) == ("general_service_and_related", "resources")
    assert TableContext.new().component_letters == {}  # the state is the table's, not the cache's


def test_fact_frames_are_the_frame_of_the_facts_expanded_cell_by_cell():
    """fact_frames (a row's fields gathered per cell, fields no row sets as null literals) against
    the plain reading: one dict per cell, framed by records.frame, calendar periods added."""
    rows = _numeric_rows()
    assert len(rows) > 200
    # a row that prints its own period (a Word document's "2025/26"), with no fiscal year
    period_row = FactRow(
        {**rows[0].shared, "period": "2025/26", "period_start": date(2025, 7, 1), "period_end": date(2026, 6, 30)},
        [{**rows[0].columns[0], "fiscal_year": None}],
        rows[0].cells[:1],
    )
    for facts in (rows, [*rows, period_row], []):
        fast = fact_frames(facts)
        plain = _plain_fact_frames(facts)
        for family in ("resources", "posts"):
            assert fast[family].equals(plain[family]) and fast[family].schema == plain[family].schema, family


def _numeric_rows() -> list[FactRow]:
    lines = numbered_lines(FASCICLE.read_text(encoding="utf-8"))
    doc = {"document_id": "d", "document_symbol": "A/78/6 (Sect. 3)", "language": "zh", "script": "Hans"}
    rows: list[FactRow] = []
    for span in structure.tables(lines, structure.entity_sections(lines)):
        kind, parser = classify(span.title)
        if parser == "numeric":
            rows += registered(parser).read(span, ReadContext(kind, doc))[0]
    return rows


def _plain_fact_frames(rows: list[FactRow]) -> dict[str, pl.DataFrame]:
    cells = [
        {**r.shared, **col, "value": c.value, "value_text": c.text, "value_status": c.status}
        for r in rows
        for col, c in zip(r.columns, r.cells, strict=True)
    ]
    return {
        family: with_calendar_periods(frame([d for d in cells if d["family"] == family], FACT_SCHEMA))
        for family in ("resources", "posts")
    }


def test_row_dicts_framed_column_by_column_as_records_frames_them():
    rows = [
        {"document_id": "d", "kpi_key": "k1", "fiscal_year": 2022, "value_numeric": 1.5, "extra": "ignored"},
        {"document_id": "d", "kpi_key": "k2", "fiscal_year": 2023, "value_numeric": None},
    ]
    full = [{**{name: None for name in KPI_SCHEMA}, **r} for r in rows]
    # every row with every field (one itemgetter per row), some rows without some (null there), none
    for case in (full, rows, []):
        fast = fascicle._frame(case, KPI_SCHEMA)
        assert fast.equals(frame(case, KPI_SCHEMA)) and fast.schema == frame(case, KPI_SCHEMA).schema
    assert fascicle._frame(rows, KPI_SCHEMA)["fiscal_year"].to_list() == [2022, 2023]


def test_a_header_read_through_the_cache_is_a_new_list_each_time():
    header = "2020(实际) 2021(实际) 2022(实际) 2023(计划) 2024(计划)"
    first = year_statuses(header)
    assert first == [(2020, "actual"), (2021, "actual"), (2022, "actual"), (2023, "planned"), (2024, "planned")]
    first.pop()  # a caller changing its list changes no later reading
    assert year_statuses(header)[-1] == (2024, "planned") and year_statuses("支出用途") == []


def test_kpi_frame_is_the_frame_of_the_rows_expanded_value_by_value():
    """kpi_frame (a row's shared fields gathered per value, a dict as a row of one value) against the
    plain reading: one dict per value, framed by records.frame; the fascicle's deliverables and
    compliance rows, with a dict that lacks fields between them."""
    lines = numbered_lines(FASCICLE.read_text(encoding="utf-8"))
    doc = {"document_id": "d", "document_symbol": "A/78/6 (Sect. 3)", "language": "zh", "script": "Hans"}
    rows: list = []
    for span in structure.tables(lines, structure.entity_sections(lines)):
        kind, parser = classify(span.title)
        if parser in ("deliverables", "compliance"):
            rows += registered(parser).read(span, ReadContext(kind, doc))[0]
    assert sum(len(r.values) > 1 for r in rows) > 100 and any(len(r.values) == 1 for r in rows)  # narrative items
    rows.insert(len(rows) // 2, {"document_id": "d", "kpi_key": "k", "fiscal_year": 2022, "value_numeric": 1.5})
    plain = [
        {**r.shared, **dict(zip(VALUE_FIELDS, v, strict=True))} if isinstance(r, KpiRow) else r
        for r in rows
        for v in (r.values if isinstance(r, KpiRow) else [None])
    ]
    for case, dicts in ((rows, plain), ([], [])):
        fast, slow = kpi_frame(case), frame(dicts, KPI_SCHEMA)
        assert fast.equals(slow) and fast.schema == slow.schema
    assert kpi_frame(rows).height == len(plain) > 600


def test_the_collector_is_paused_inside_a_text_parse_and_restored_after_it(monkeypatch):
    """gc_paused: no cyclic collection while a text document is parsed; the collector's state before
    the parse (on or off) is what it is after it, also when the parse raises."""
    seen = []

    def lines_seeing_the_collector(text):
        seen.append(gc.isenabled())
        return numbered_lines(text)

    monkeypatch.setattr(dispatch, "numbered_lines", lines_seeing_the_collector)
    assert gc.isenabled()
    assert dispatch.parse_file(FASCICLE).frames["resources"].height > 1000
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        dispatch.parse_file(FASCICLE)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("a parser bug")
    assert gc.isenabled()
