"""Numeric cells of PDF-extracted tables.

The text separates thousands with a space (``12 345.6``), writes negatives in parentheses
(``(7.2)``), nil as ``—`` and not-applicable as ``不适用``. Integer runs are ambiguous under greedy
grouping (``400 548 400 400`` is four cells, ``4 346 4 371 25`` three), so a row's trailing tokens
are split into exactly the number of cells its table layout expects, and any other split that also
fits is reported rather than guessed silently.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pipelines import vocab

NIL = "—"
NOT_APPLICABLE = vocab.word("not_applicable")  # 不适用 (dbt/seeds/parser_words.csv)

# A token that can be (part of) a numeric cell.
_NUMERIC_TOKEN = re.compile(r"^\(?\d+(?:\.\d+)?\)?\.?$|^\.\d+\)?$")
_ATOMIC = {NIL, NOT_APPLICABLE, "-"}
_FIRST = re.compile(r"^(\()?(\d{1,3}|[1-9]\d{3,})(\.\d+)?(\))?$")  # first group of a number
_FOOTNOTE_TOKEN = re.compile(r"^[a-h]$")
_NEXT = re.compile(r"^(\d{3})(\.\d+)?(\))?$")  # a following 3-digit group
# The characters a cell token can end with (a digit aside): _ATOMIC's, or ")" and "." of _NUMERIC_TOKEN.
CELL_ENDS = frozenset(tok[-1] for tok in _ATOMIC) | frozenset(").")


class Cell(NamedTuple):  # a tuple: the fact frames read a document's cells by one transpose (zip)
    text: str  # as printed, tokens joined by one space
    value: float | None  # None for nil / not applicable / blank
    status: str  # value | nil | not_applicable | blank
    is_integer: bool = False


BLANK = Cell("", None, "blank")


@lru_cache(maxsize=16384)
def is_cell_token(tok: str) -> bool:
    return tok in _ATOMIC or bool(_NUMERIC_TOKEN.match(tok))


def may_end_in_cell(text: str) -> bool:
    """Whether a stripped line can end in a cell: split_trailing_cells finds cells only when the last
    token is one. About half of a table's lines end in a Chinese character and skip the split."""
    c = text[-1:]
    return c in CELL_ENDS or c.isdecimal()


def _has_stray_stop(tokens: list[str]) -> bool:
    """Whether a token starts or ends with a full stop (the only tokens a repair touches), tested on
    the tokens joined by spaces: four substring searches instead of a loop over the tokens."""
    joined = " ".join(tokens)
    return joined.startswith(".") or joined.endswith(".") or " ." in joined or ". " in joined


def split_trailing_cells(line: str) -> tuple[str, list[str], list[str]]:
    """Split a line into (label, cell tokens, repairs) reading from the right-hand end.

    Repairs fix the document's known number typos and say so: a stray space before the decimals
    (``51 069 .7``) and a trailing full stop (``391.8.``).
    """
    tokens = line.split()
    repairs: list[str] = []
    i = len(tokens)
    while i > 0:
        if is_cell_token(tokens[i - 1]):
            i -= 1
        elif _FOOTNOTE_TOKEN.match(tokens[i - 1]) and i >= 2 and is_cell_token(tokens[i - 2]) and i < len(tokens):
            repairs.append(f"dropped footnote letter {tokens[i - 1]!r} after cell {tokens[i - 2]!r}")
            del tokens[i - 1]  # "不适用 a 100": a footnote marker glued to a cell
            i -= 1
        else:
            break
    label_tokens, cells = tokens[:i], tokens[i:]
    if not _has_stray_stop(cells):  # the usual row: nothing to repair
        return " ".join(label_tokens), cells, repairs
    fixed: list[str] = []
    for tok in cells:
        if tok.startswith(".") and fixed and re.match(r"^\(?\d+$", fixed[-1]):
            repairs.append(f"joined '{fixed[-1]} {tok}' into '{fixed[-1]}{tok}'")
            fixed[-1] = fixed[-1] + tok
            continue
        if tok.endswith(".") and tok not in _ATOMIC and re.match(r"^\(?\d+\.\d+\)?\.$", tok):
            repairs.append(f"dropped trailing full stop of '{tok}'")
            tok = tok[:-1]
        fixed.append(tok)
    # A label made only of a leading list number ("1.") keeps its tokens; nothing else to do here.
    return " ".join(label_tokens), fixed, repairs


@lru_cache(maxsize=16384)
def _cell_from_group(group: tuple[str, ...]) -> Cell | None:
    """A run of tokens read as one number, or None when they cannot form one."""
    if len(group) == 1 and group[0] in _ATOMIC:
        tok = group[0]
        return Cell(tok, None, "not_applicable" if tok == NOT_APPLICABLE else "nil")
    m = _FIRST.match(group[0])
    if not m:
        return None
    opened = bool(m.group(1))
    digits = m.group(2)
    if len(group) == 1:
        decimals, closed = m.group(3) or "", bool(m.group(4))
    else:
        if m.group(3) or m.group(4) or len(digits) > 3:
            return None
        for mid in group[1:-1]:
            if not re.match(r"^\d{3}$", mid):
                return None
        last = _NEXT.match(group[-1])
        if not last:
            return None
        digits += "".join(group[1:-1]) + last.group(1)
        decimals, closed = last.group(2) or "", bool(last.group(3))
    if opened != closed:
        return None
    if len(digits) > 1 and digits.startswith("0"):
        return None
    value = float(digits + decimals)
    value = -value if opened and value else value  # "(0.0)" is a rounded small decrease: store 0.0
    return Cell(" ".join(group), value, "value", is_integer=not decimals)


class Split(NamedTuple):  # a tuple: one for every row split
    cells: list[Cell]  # the chosen split
    options: list[list[Cell]]  # every split that fits (the chosen one first); >1 means ambiguous

    @property
    def alternatives(self) -> int:
        return len(self.options) - 1


MAX_OPTIONS = 64
_THREE = re.compile(r"^\d{3}$")


@lru_cache(maxsize=8192)
def _token_cell(tok: str) -> Cell | None:
    return _cell_from_group((tok,))


@lru_cache(maxsize=8192)
def _extends(tok: str, first: bool) -> bool:
    """Whether a group holding ``tok`` (first, or as its latest token) can go on to the next token:
    only a plain 1-3 digit lead and 3-digit middles continue a number, so longer groups are never tried."""
    if first:
        m = _FIRST.match(tok)
        return bool(m) and not (m.group(3) or m.group(4) or len(m.group(2)) > 3)
    return bool(_THREE.match(tok))


def _fits(cell: Cell, want: bool | None) -> bool:
    return not (want is not None and cell.status == "value" and cell.is_integer == want)


@lru_cache(maxsize=16384)
def _token_fitting(tok: str, want: bool | None) -> Cell | None:
    """The cell one token makes in a column of kind ``want``; None when it makes none or does not fit."""
    cell = _token_cell(tok)
    return cell if cell is not None and _fits(cell, want) else None


def split_cells(tokens: list[str], expected: int, decimal: bool | None | list[bool | None] = None) -> Split | None:
    """Split cell tokens into exactly ``expected`` cells; every split that fits is returned.

    ``decimal`` says, for the whole row or per column, whether numeric cells are printed with
    decimals (True: money, percentages), as integers (False: posts) or either (None).
    Returns None when no split fits. The first option has the shortest leading cells.
    """
    toks = tuple(tokens)
    kinds = decimal if isinstance(decimal, list) else [decimal] * expected
    if len(kinds) != expected:
        raise ValueError(f"{len(kinds)} column kinds for {expected} cells")
    if len(toks) == expected:
        # Every cell takes at least one token, so one token per cell is the only split: no search.
        cells = list(map(_token_fitting, toks, kinds))
        return Split(cells, [cells]) if all(cells) else None  # a Cell is always true, a misfit None
    if kinds.count(True) == expected:  # every column prints decimals (kinds are True, False or None)
        cells = _decimal_cells(toks)
        if cells is not None and len(cells) == expected:
            return Split(cells, [cells])
    options = [list(o) for o in _solve(toks, kinds)]
    if not options:
        return None
    return Split(options[0], options)


def _decimal_cells(toks: tuple[str, ...]) -> list[Cell] | None:
    """A row whose every cell prints decimals (money, percentages) has one split, no search: a cell
    is a nil or not-applicable mark, or a number whose one token with decimals is its last (only the
    last group of ``12 345.6`` carries them). None when a group is not such a cell; the caller then
    searches, which finds no split either."""
    cells, start = [], 0
    for end, tok in enumerate(toks, start=1):
        if tok in _ATOMIC or "." in tok:
            cell = _cell_from_group(toks[start:end])
            if cell is None or cell.is_integer:
                return None
            cells.append(cell)
            start = end
    return cells if start == len(toks) else None


def _solve(toks: tuple[str, ...], kinds: list[bool | None]) -> tuple[tuple[Cell, ...], ...]:
    """Every split of ``toks`` into ``len(kinds)`` cells, shortest leading cells first (at most MAX_OPTIONS)."""
    n, expected = len(toks), len(kinds)
    memo: dict[tuple[int, int], tuple[tuple[Cell, ...], ...]] = {}

    def solve(start: int, remaining: int) -> tuple[tuple[Cell, ...], ...]:
        if start == n:
            return ((),) if remaining == 0 else ()
        if remaining == 0 or n - start < remaining:  # each cell needs a token of its own
            return ()
        key = (start, remaining)
        if key in memo:
            return memo[key]
        out: list[tuple[Cell, ...]] = []
        want = kinds[expected - remaining]
        for end in range(start + 1, n - remaining + 2):
            cell = _cell_from_group(toks[start:end])
            if cell is not None and _fits(cell, want):
                out += [(cell, *rest) for rest in solve(end, remaining - 1)]
                if len(out) >= MAX_OPTIONS:
                    break
            if not _extends(toks[end - 1], end - 1 == start) or toks[start] in _ATOMIC:
                break
        memo[key] = result = tuple(out[:MAX_OPTIONS])
        return result

    return solve(0, expected)


def parse_number_text(text: str) -> float | None:
    """A single number as the narrative prints it (``51 212 800``, ``(7.2)``); None if not a number."""
    toks = text.split()
    if not toks:
        return None
    cell = _cell_from_group(tuple(toks))
    return cell.value if cell and cell.status == "value" else None
