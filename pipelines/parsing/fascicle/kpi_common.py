"""Shared by the fascicle's KPI tables: year/status headers, stable keys, numbers inside text."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from pipelines import vocab


@lru_cache(maxsize=2)
def status_words(every: bool = False) -> dict[str, str]:
    """The words a table header prints for actual and planned years (实际, 计划); ``every`` adds the
    target's, which only the narrative prints."""
    return {
        k: v
        for k, v in vocab.label_to_code("kpi_statuses", "status_code", "keyword_zh").items()
        if every or v in ("actual", "planned")
    }


@lru_cache(maxsize=1)
def _year_status() -> re.Pattern[str]:
    words = "|".join(map(re.escape, status_words()))
    year = re.escape(vocab.word("year_mark"))
    return re.compile(rf"(\d{{4}})\s*{year}?\s*[（(]?\s*({words})")


@lru_cache(maxsize=1)
def _status_word() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, status_words())))


def year_statuses(header: str) -> list[tuple[int, str]]:
    """``2022 年 计划 2022 年 实际 …`` or ``2020(实际) …`` -> [(2022, planned), (2022, actual), …]."""
    # a match names a status word: most lines are ruled out by one search for any of them
    if not _status_word().search(header):
        return []
    return list(_header_years(header))


@lru_cache(maxsize=1024)  # a table kind's header recurs table after table ("2020(实际) 2021(实际) …")
def _header_years(header: str) -> tuple[tuple[int, str], ...]:
    words = status_words()
    return tuple((int(m.group(1)), words[m.group(2)]) for m in _year_status().finditer(header))


def stable_key(*parts: str | None) -> str:
    """A key that stays the same across years and editions as long as the printed label does."""
    *head, label = parts
    digest = hashlib.sha1((label or "").encode("utf-8")).hexdigest()[:10]
    return ":".join([p or "-" for p in head] + [digest])


@lru_cache(maxsize=1)
def _cell_units() -> dict[str, str]:
    return {r["label_zh"]: r["unit_code"] for r in vocab.rows("kpi_units") if r["context"] in ("cells", "any")}


def unit_code(counter: str | None) -> str | None:
    """The unit code of a counter printed after a number in a cell (份 -> copies, % -> percent)."""
    return _cell_units().get(counter, counter) if counter else None


@lru_cache(maxsize=1)
def figure_units() -> list[str]:
    """Counters a performance figure's narrative prints after a number (kpi_units.csv, in_figure_text)."""
    return [r["label_zh"] for r in vocab.rows("kpi_units") if r.get("in_figure_text") == "true"]


@lru_cache(maxsize=1)
def _number_in_text() -> re.Pattern[str]:
    counters = "|".join(map(re.escape, _cell_units()))
    more = "|".join(map(re.escape, vocab.words("more_than_suffix")))
    return re.compile(rf"(?<![\d.])(\d{{1,3}}(?: \d{{3}})+|\d+)(\.\d+)?\s*({more})?\s*({counters})")


_DIGIT = re.compile(r"\d")


def number_in_text(text: str) -> tuple[float | None, str | None, str | None]:
    """(number, unit code, qualifier) when a cell's text states a count or a percentage; dates are not numbers."""
    # A match starts at a digit: the search starts at the first one (found by a scan sre runs in C),
    # not at every character, which the leading look-behind otherwise makes it try. The look-behind
    # still sees the characters before ``pos``.
    digit = _DIGIT.search(text)
    m = _number_in_text().search(text, digit.start()) if digit else None
    if not m:
        return None, None, None
    value = float(m.group(1).replace(" ", "") + (m.group(2) or ""))
    return value, unit_code(m.group(4)), "more_than" if m.group(3) else None
