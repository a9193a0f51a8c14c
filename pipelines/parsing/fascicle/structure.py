"""Where things are in a fascicle: its symbol, entity sections, numbered tables and annex IV."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

from pipelines import vocab
from pipelines.parsing.fascicle.line_index import LineIndex, line_index, register
from pipelines.parsing.text import Line

ENTITY_HEADING = re.compile(r"^([一二三四五六七八九十]+)\.\s*(\S+)$")
_PART_HEADING = re.compile(r"^[AB]\.\s*\d{4}\s*年")
_TABLE_START = re.compile(r"^表\s*(\d+\.\d+)$")
FIGURE_START = re.compile(r"^图\s*(\d+\.\S+)$")
_ANNEX = re.compile(r"^附件([一二三四五六七八九十]+)$")
_PARAGRAPH = re.compile(r"^\d+\.\d+\s+(\S+)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SYMBOL = re.compile(r"A/(\d+)/6\s*\(Sect\.\s*(\d+)\)")
_TEXT = itemgetter(2)  # Line.text, read by C (Line is a tuple)
_SECTION_HEADER = re.compile(r"^第\s*(\d+)\s*款\s+\S+$")
# The line kinds the readers below look for, each line classified once per document (line_index).
register(
    {
        "table": _TABLE_START,
        "figure": FIGURE_START,
        "annex": _ANNEX,
        "part": _PART_HEADING,
        "entity": ENTITY_HEADING,
        "paragraph": _PARAGRAPH,
        "section_header": _SECTION_HEADER,
    }
)


def kinds(lines: list[Line]) -> LineIndex:
    return line_index(lines)


@dataclass(frozen=True)
class EntitySection:
    entity_code: str | None  # None: the heading names an entity the seed does not know
    heading: str
    first_line: int
    last_line: int

    @property
    def name(self) -> str:
        return ENTITY_HEADING.match(self.heading).group(2)


@dataclass(frozen=True)
class TableSpan:
    number: str  # "3.24"
    entity_code: str | None
    title: str
    unit: str | None
    lines: list[Line]  # body lines after title and unit, page noise included
    first_line: int


def document_symbol(lines: list[Line], text: str | None = None) -> str | None:
    """The fascicle's own symbol, e.g. ``A/78/6 (Sect. 3)``, as its references to itself print it.

    The Chinese fascicle names itself only through references (``A/78/6 (Sect. 3)/Add.1-6``);
    the section number must agree with its running page header ``第 3 款``. ``text``: the document the
    lines were numbered from, when the caller has it (searched as it is instead of the lines joined).
    """
    # one search of the whole text (a C-level scan for "A/"), not one test per line; a match that runs
    # from one line into the next (``\s*`` taking the line break) is not a match on one line
    joined = "\n".join(map(_TEXT, lines)) if text is None else text
    found = Counter((m.group(1), m.group(2)) for m in _SYMBOL.finditer(joined) if "\n" not in m.group(0))
    sections = Counter(_SECTION_HEADER.match(lines[i].text).group(1) for i in kinds(lines).hits["section_header"])
    for (session, sect), _ in found.most_common():
        if not sections or sect == sections.most_common(1)[0][0]:
            return f"A/{session}/6 (Sect. {sect})"
    return None


_ORDINAL = {ch: i + 1 for i, ch in enumerate("一二三四五六七八九")}
_SENTENCE = re.compile(r"[。，；：、,;:()（）]")


def _ordinal(numeral: str) -> int | None:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23."""
    if "十" not in numeral:
        return _ORDINAL.get(numeral) if len(numeral) == 1 else None
    tens, _, units = numeral.partition("十")
    t = _ORDINAL.get(tens, 0) if tens else 1
    return t * 10 + (_ORDINAL.get(units, 0) if units else 0) if t else None


def entity_headings(lines: list[Line]) -> list[Line]:
    """The fascicle's entity headings, recognised by their structure, not their names: a line holding
    only a Chinese ordinal and a name (``一. 政治和建设和平事务部``), before the annexes, with the
    ordinals running 一, 二, 三 … in order (a numbered list item in the text does not continue it)."""
    out: list[Line] = []
    for ln in (lines[i] for i in kinds(lines).positions("entity", "annex")):
        if _ANNEX.match(ln.text):
            break
        m = ENTITY_HEADING.match(ln.text)
        if m and _CJK.search(m.group(2)) and not _SENTENCE.search(m.group(2)) and _ordinal(m.group(1)) == len(out) + 1:
            out.append(ln)
    return out


def entity_sections(lines: list[Line]) -> list[EntitySection]:
    """Each entity heading's span up to the next heading or annex; the code from the reviewed seed by the
    name as printed (None when the seed does not know it: the caller reports it and keeps it out)."""
    names = vocab.entity_names()
    starts: list[tuple[str | None, str, int]] = [
        (names.get(ENTITY_HEADING.match(ln.text).group(2)), ln.text, ln.number) for ln in entity_headings(lines)
    ]
    starts += [("", lines[i].text, lines[i].number) for i in kinds(lines).positions("annex")]
    starts.sort(key=lambda s: s[2])
    out = []
    for i, (code, heading, first) in enumerate(starts):
        last = starts[i + 1][2] - 1 if i + 1 < len(starts) else lines[-1].number
        if code != "":
            out.append(EntitySection(code, heading, first, last))
    return out


def is_paragraph_start(text: str) -> bool:
    """A numbered paragraph ("3.116 如表 3.27 所示…", "3.127 2024 年…"), not a row of numbers ("75.6 122.9 …")."""
    return bool(_PARAGRAPH.match(text)) and bool(_CJK.search(text))


def paragraph_starts(lines: list[Line]) -> list[int]:
    """Ascending positions of the lines that start a numbered paragraph, found once per document (the
    table spans and the figures' narrative both need them): of the lines the paragraph kind matches,
    those that print Chinese."""
    index = kinds(lines)
    if "paragraph_starts" not in index.derived:
        index.derived["paragraph_starts"] = [i for i in index.hits["paragraph"] if _CJK.search(lines[i].text)]
    return index.derived["paragraph_starts"]


_ENDS = ("table", "figure", "annex", "part", "entity")  # the line kinds that end a table body


def _table_ends(lines: list[Line]) -> list[int]:
    """Ascending positions of the lines that end a table body: a table, figure, annex, part or entity
    heading, or a numbered paragraph (each kind read from the line index, not matched again)."""
    index = kinds(lines)
    return sorted({*chain.from_iterable(index.hits[n] for n in _ENDS), *paragraph_starts(lines)})


def tables(lines: list[Line], sections: list[EntitySection]) -> list[TableSpan]:
    """Every ``表 N.M`` with its title, unit line and body lines up to the next structural break."""

    def entity_at(number: int) -> str | None:
        for s in sections:
            if s.first_line <= number <= s.last_line:
                return s.entity_code
        return None

    index = kinds(lines)
    ends = _table_ends(lines)
    out: list[TableSpan] = []
    i = 0
    while (i := _next_at_or_after(index.hits["table"], i)) is not None:
        m = _TABLE_START.match(lines[i].text)
        start = lines[i]
        j = i + 1
        title = lines[j].text if j < len(lines) else ""
        while j + 1 < len(lines) and lines[j].continues and not lines[j + 1].text.startswith("("):
            j += 1  # a wrapped title goes on on the next line
            title += lines[j].text
        j += 1
        unit = None
        if j < len(lines) and lines[j].text.startswith("(") and lines[j].text.endswith(")"):
            unit = lines[j].text[1:-1]
            j += 1
        end = _next_at_or_after(ends, j)
        end = len(lines) if end is None else end
        body = lines[j:end] if end > j else []
        j = max(j, end)
        out.append(TableSpan(m.group(1), entity_at(start.number), title, unit, body, start.number))
        i = j
    return out


def annexes(lines: list[Line]) -> list[TableSpan]:
    """Every annex as a table: its heading line, its title (the line after it) and its body (the title
    and what follows, to the next annex or the end). Which annex is which is read from its title."""
    index = kinds(lines)
    out = []
    for i in index.hits["annex"]:
        end = index.next_of("annex", i)
        body = lines[i + 1 : end]
        out.append(TableSpan(lines[i].text, None, body[0].text if body else "", None, body, lines[i].number))
    return out


def _next_at_or_after(positions: list[int], i: int) -> int | None:
    k = bisect_left(positions, i)
    return positions[k] if k < len(positions) else None
