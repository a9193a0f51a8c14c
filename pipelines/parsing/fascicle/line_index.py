"""Every line of a document classified once against a set of line patterns.

The structural readers (tables, entity sections, annex IV, contexts, figures) each look for a few
rare kinds of line; running each of their regexes on all ~6,000 lines of a fascicle, reader after
reader, was a third of the parse. Here each pattern's possible first characters are read from the
pattern itself (the ``re`` parser), a line is tested only against the patterns that can start with
its first character, and the result is kept for the document: later readers look the lines up.
A pattern whose start the analysis does not understand is tested on every line, so the index
always agrees with ``pattern.match(line.text)``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import chain, compress, count
from operator import itemgetter
from re import _constants as C  # noqa: N812
from re import _parser

from pipelines.parsing.text import Line

_DIGIT = "digit"  # \d: any Unicode decimal digit


def _first(items) -> tuple[frozenset, tuple] | None:
    """(characters and categories, code-point ranges) a match of ``items`` can start with; None: any."""
    for op, av in items:
        if op is C.AT and av is C.AT_BEGINNING:
            continue
        if op is C.LITERAL:
            return frozenset([chr(av)]), ()
        if op is C.IN:
            chars, ranges = set(), []
            for iop, iav in av:
                if iop is C.LITERAL:
                    chars.add(chr(iav))
                elif iop is C.RANGE:
                    ranges.append(iav)
                elif iop is C.CATEGORY and iav is C.CATEGORY_DIGIT:
                    chars.add(_DIGIT)
                else:  # a negated set or another category: anything
                    return None
            return frozenset(chars), tuple(ranges)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _, sub = av
            return _first(sub) if low >= 1 else None
        if op is C.SUBPATTERN:
            return _first(av[-1])
        if op is C.BRANCH:
            parts = [_first(alt) for alt in av[1]]
            if any(p is None for p in parts):
                return None
            return frozenset().union(*(p[0] for p in parts)), tuple(r for p in parts for r in p[1])
        return None
    return None


def first_characters(pattern: re.Pattern[str]) -> tuple[frozenset, tuple] | None:
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    return _first(_parser.parse(pattern.pattern, pattern.flags))


def _can_start(first: tuple[frozenset, tuple] | None, c: str) -> bool:
    if first is None:
        return True
    if not c:  # an empty line matches only what may match nothing (first is None)
        return False
    chars, ranges = first
    return c in chars or (_DIGIT in chars and c.isdecimal()) or any(lo <= ord(c) <= hi for lo, hi in ranges)


# A backreference or conditional group names a group by number, which an alternation renumbers.
_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One alternation of several line kinds' patterns, matching a line exactly when one of them does:
    a line that is none of them (most lines that start with a digit) costs one call instead of one
    per kind. None when there is nothing to combine or the patterns cannot be combined safely."""
    flags = {p.flags for p in patterns}
    if len(patterns) < 2 or len(flags) > 1 or any(_GROUP_REFERENCE.search(p.pattern) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), flags.pop())
    except re.error:  # e.g. a group name used by two kinds
        return None


# Every registered line kind (name -> pattern), and for each first character the kinds a line that
# starts with it may be, when there are any (filled as characters are met; cleared when a kind is registered).
_KINDS: dict[str, re.Pattern[str]] = {}
_by_first_character: dict[str, tuple[re.Pattern[str] | None, list[tuple[str, re.Pattern[str]]]]] = {}
_no_kind: set[str] = set()  # first characters no kind can start with
_version = 0


def register(patterns: dict[str, re.Pattern[str]]) -> None:
    """Add line kinds (their names unique across modules); every line is then classified against
    all registered kinds in the same single pass."""
    global _version
    for name, pattern in patterns.items():
        if _KINDS.setdefault(name, pattern) is not pattern:
            raise ValueError(f"line kind {name!r} is registered with another pattern")
    _by_first_character.clear()
    _no_kind.clear()
    _version += 1


_TEXT = itemgetter(2)  # Line.text (a Line is a tuple)
_FIRST_CHARACTER = itemgetter(slice(0, 1))  # "" for an empty line


def _classified(firsts: list[str]) -> dict[str, tuple[re.Pattern[str] | None, list[tuple[str, re.Pattern[str]]]]]:
    """The kinds a line may be, for each first character some kind can start with; the characters
    of ``firsts`` met for the first time are classified here (no kind: kept in ``_no_kind``)."""
    by_char, none = _by_first_character, _no_kind
    new = set(firsts).difference(by_char, none)
    if new:
        firsts_of = {name: first_characters(p) for name, p in _KINDS.items()}
        for c in new:
            candidates = [(n, p) for n, p in _KINDS.items() if _can_start(firsts_of[n], c)]
            if candidates:
                by_char[c] = (any_of([p for _, p in candidates]), candidates)
            else:
                none.add(c)
    return by_char


class LineIndex:
    """For each line kind, the positions (in ``lines``) of the lines whose text its pattern matches."""

    def __init__(self, lines: list[Line]):
        self.version = _version
        self.hits: dict[str, list[int]] = {name: [] for name in _KINDS}
        self.derived: dict[str, object] = {}  # what readers compute from the hits, kept with them
        texts = list(map(_TEXT, lines))
        firsts = list(map(_FIRST_CHARACTER, texts))
        by_char = _classified(firsts)
        # most lines start with a character no kind can start with: they are passed over in C
        for i in compress(count(), map(by_char.__contains__, firsts)):
            text = texts[i]
            combined, candidates = by_char[firsts[i]]
            if combined is not None and not combined.match(text):
                continue
            for name, pattern in candidates:
                if pattern.match(text):
                    self.hits[name].append(i)

    def positions(self, *names: str) -> list[int]:
        """Ascending positions of the lines any of ``names`` matches."""
        return sorted(set(chain.from_iterable(self.hits[n] for n in names)))

    def next_of(self, name: str, after: int) -> int | None:
        """The first position after ``after`` whose line ``name`` matches."""
        hits = self.hits[name]
        k = bisect_right(hits, after)
        return hits[k] if k < len(hits) else None


_last: tuple[list[Line], LineIndex] | None = None


def line_index(lines: list[Line]) -> LineIndex:
    """The index of ``lines``, built once per document: the last document's index is kept, since
    detection and parsing read the same list of lines."""
    global _last
    last = _last
    if last is not None and last[0] is lines and last[1].version == _version:
        return last[1]
    index = LineIndex(lines)
    _last = (lines, index)
    return index
