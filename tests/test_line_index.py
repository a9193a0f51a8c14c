"""The line index (each line tested only against the kinds its first character can start) finds exactly
the lines each kind's regex matches, and numbered_lines marks exactly the lines is_page_noise and
is_footnote accept."""

from __future__ import annotations

import re

import pytest

from pipelines.parsing.fascicle import line_index
from pipelines.parsing.fascicle.line_index import LineIndex, first_characters
from pipelines.parsing.text import is_footnote, is_page_noise, numbered_lines
from tests.conftest import FASCICLE, HIGHLIGHTS_2023, REPORT_2022

ODD_LINES = "\n".join(
    [
        "表 3.24",
        "表3.1",
        " 表 3.2 ",
        "图 3.一",
        "附件四",
        "附件",
        "A. 2024 年拟议方案计划",
        "B.2023年",
        "一. 政治事务部",
        "十一.  x",
        "3.116 如表 3.27 所示",
        "3.127 2024 年",
        "75.6 122.9",
        "٣.١ 阿拉伯数字",
        "次级方案 2",
        "成果 1：改进",
        "2022 年方案执行情况",
        "经验教训",
        "目标",
        "第 3 款 政治事务",
        "第二编 政治事务",
        "https://undocs.org/zh/A/78/6",
        "17/136 23-08138",
        "23-08138 26/136",
        "a 包括 1 484 400 美元",
        "b\tc",
        "z",
        "\u3000a b",
        "a\u3000注",  # an ideographic space after the letter: a footnote (str.isspace and re's \s agree)
        "c\x1cd",  # a separator control character: whitespace to both
        "ab c",  # a letter, then no space: not a footnote
        "(1) 经常预算",
        "—",
    ]
)


@pytest.mark.parametrize("path", [FASCICLE, REPORT_2022, HIGHLIGHTS_2023, None])
def test_index_agrees_with_each_pattern(path):
    lines = numbered_lines(path.read_text(encoding="utf-8") if path else ODD_LINES)
    index = LineIndex(lines)
    assert index.hits.keys() == line_index._KINDS.keys() and len(index.hits) >= 10
    for name, pattern in line_index._KINDS.items():
        assert index.hits[name] == [i for i, ln in enumerate(lines) if pattern.match(ln.text)], name
    if path is FASCICLE:  # and the bundled fascicle has lines of every kind but the odd ones
        assert len(index.hits["table"]) == 80 and len(index.hits["figure"]) > 30


@pytest.mark.parametrize("path", [FASCICLE, REPORT_2022, HIGHLIGHTS_2023, None])
def test_noise_and_footnotes_are_marked_as_the_tests_say(path):
    text = path.read_text(encoding="utf-8") if path else ODD_LINES
    for variant in (text, text.replace("\n", "\r\n")):
        lines = numbered_lines(variant)
        assert [ln.noise for ln in lines] == [is_page_noise(ln.text) for ln in lines]
        assert [ln.footnote for ln in lines] == [is_footnote(ln.text) for ln in lines]
    if path is FASCICLE:
        assert sum(ln.noise for ln in numbered_lines(text)) > 500


@pytest.mark.parametrize(
    "pattern,starts,not_starts",
    [
        (r"^表\s*\d", "表", "图a1"),
        (r"^([一二三]+)\.", "一二三", "四a1"),
        (r"^\d+\.\d+", "1٣", "a表"),
        (r"^(?:ab|[x-z]c)", "axyz", "bw"),
    ],
)
def test_first_characters(pattern, starts, not_starts):
    first = first_characters(re.compile(pattern))
    assert all(line_index._can_start(first, c) for c in starts)
    assert not any(line_index._can_start(first, c) for c in not_starts)


@pytest.mark.parametrize("pattern", [r"^\s*表", r"^.表", r"^(a?)b", r"^[^a]", r"(?i)^a"])
def test_patterns_the_analysis_does_not_narrow_are_tried_on_every_line(pattern):
    assert first_characters(re.compile(pattern)) is None
