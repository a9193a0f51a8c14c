"""Column layouts read from a table's (split, reordered) header text.

A header names its years (``2022 年``) each followed by a phase word (支出, 批款, 估计(重计费用前),
核定, 拟议, 估计) and the change columns it has (技术调整 … 共计, or one 变动/差异; 百分比). Header cells
are split over lines and sometimes printed out of order, so the layout is built from what the
header contains, not from where it says it: year columns in ascending order, the change columns
between the last two years, the last year at the right-hand end, as every fascicle table prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from pipelines import vocab

_YEAR = re.compile(rf"(\d{{4}})\s*{re.escape(vocab.word('year_mark'))}")  # "2024 年"
# a phase qualifier (parser_words.csv) refines the phase it follows: 估计(重计费用前) is an estimate before recosting
_QUALIFIES = {"estimate_before_recosting": "estimate"}
FULL_CHANGES = ("change_technical_adjustments", "change_new_expanded_mandates", "change_other", "change_total")


class Column(NamedTuple):  # a tuple: hashed in C (layouts key caches)
    measure: str  # amount | change_* (see dbt/seeds/measures.csv)
    fiscal_year: int | None  # for amounts; for changes the later year compared
    phase: str | None  # for amounts
    base_year: int | None = None  # for changes: the earlier year compared


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]


def year_phases(header: str) -> list[tuple[int, str | None]]:
    """Each printed year with the first phase word that follows it, in order of appearance."""
    matches = list(_YEAR.finditer(header))
    out = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(header)
        segment = re.sub(r"\s+", "", header[m.end() : end])
        phase = None
        best = len(segment) + 1
        for keyword, code in vocab.phase_keywords():
            pos = segment.find(keyword)
            # The earliest keyword wins; at equal position the longer keyword (they come first) wins.
            if pos != -1 and pos < best:
                phase, best = code, pos
        for qualifier, qualified in vocab.words("phase_qualifier").items():
            if phase == _QUALIFIES[qualified] and qualifier in segment:
                phase = qualified
        out.append((int(m.group(1)), phase))
    return out


def _change_columns(compact: str) -> list[str]:
    """The change columns a header names: the full breakdown, or one change column; then a percentage.
    The words are dbt/seeds/parser_words.csv's (role change_header), first match in the seed's order."""
    changes: list[str] = []
    for word, code in vocab.words("change_header").items():
        if code == "change_percentage" or changes or word not in compact:
            continue
        changes = list(FULL_CHANGES) if code == "change_breakdown" else [code]
    percentage = [w for w, c in vocab.words("change_header").items() if c == "change_percentage"]
    if any(w in compact for w in percentage):
        changes.append("change_percentage")
    return changes


@lru_cache(maxsize=4096)  # a Layout is immutable, and the same headers recur table after table
def layout_from_header(header: str) -> Layout | None:
    """The layout of a funding-source block or table; None when the header is not one we know."""
    compact = re.sub(r"\s+", "", header)
    years = sorted(set(year_phases(header)))
    if len(years) < 2 or any(p is None for _, p in years):
        return None
    changes = _change_columns(compact)
    base, last = years[-2][0], years[-1][0]
    cols = [Column("amount", y, p) for y, p in years[:-1]]
    cols += [Column(m, last, None, base) for m in changes]
    cols.append(Column("amount", years[-1][0], years[-1][1]))
    return Layout(tuple(cols))
