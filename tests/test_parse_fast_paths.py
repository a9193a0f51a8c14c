"""The parser's fast paths (issue 12) give what the general code gives, on every line of the bundled
fascicle: a line skipped as text has no cells, a money row split without search splits as the
search does, and the line kinds combined into one alternation rule out only lines none of them match."""

from __future__ import annotations

import re

import pytest

from pipelines.parsing import numbers
from pipelines.parsing.fascicle.line_index import _KINDS, any_of
from pipelines.parsing.numbers import may_end_in_cell, split_cells, split_trailing_cells
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
