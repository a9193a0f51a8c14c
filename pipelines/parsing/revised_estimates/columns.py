"""What a column measures, read from its header as printed: amount or change, phase, period, base.

Header words map to codes through reviewed data, not code: measures through dbt/seeds/measures.csv
(``keyword_en``, a case-insensitive pattern matched against one header part), phases through
header_words.csv beside this module. Periods are kept as printed: a calendar year "2025", or a
July-June period "2025/26"; a six-month apportionment of a July-June period is its second half
(January-June), as A/80/400 para. 7 says of the support account ("the second half of the period
(January to June 2026)").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from pipelines import vocab
from pipelines.parsing.revised_estimates.headers import Column

_PERIOD = re.compile(r"\b(\d{4})/(\d{2})\b|\b(\d{4})\b")
_SIX_MONTHS = re.compile(r"six[-–\s]months?", re.I)
_BASE = re.compile(r"compared with (.+?)(?:\(|$)", re.I)
# A column holding one block's amounts beside the entity's (tables 6-9 "Transitional capacities"): the
# amount of the table's last phase and period, in the block's scope.
_BLOCK_COLUMNS = {"transitional capacities": "transitional_staffing_capacity"}


@dataclass(frozen=True)
class Period:
    text: str  # as printed: "2025", "2025/26"
    start: date
    end: date
    fiscal_year: int | None  # calendar years only


@dataclass(frozen=True)
class Meaning:
    measure: str
    phase: str | None
    period: Period | None
    base_phase: str | None = None
    base_period: Period | None = None
    scope: str | None = None  # a block column's scope (else the row's)


@cache
def _phase_words() -> tuple[tuple[re.Pattern, str], ...]:
    with open(Path(__file__).with_name("header_words.csv"), encoding="utf-8", newline="") as fh:
        return tuple((re.compile(r["pattern"], re.I), r["phase"]) for r in csv.DictReader(fh))


@cache
def _measure_words() -> tuple[tuple[re.Pattern, str], ...]:
    rows = vocab.rows("measures")
    return tuple((re.compile(r["keyword_en"], re.I), r["measure_code"]) for r in rows if r.get("keyword_en"))


def period_of(text: str) -> Period | None:
    m = _PERIOD.search(text)
    if not m:
        return None
    if m.group(1):
        first = int(m.group(1))
        start, end = date(first, 7, 1), date(first + 1, 6, 30)
        if _SIX_MONTHS.search(text):
            start = date(first + 1, 1, 1)
        return Period(m.group(0), start, end, None)
    year = int(m.group(3))
    return Period(m.group(0), date(year, 1, 1), date(year, 12, 31), year)


def phase_of(text: str) -> str | None:
    return next((phase for pattern, phase in _phase_words() if pattern.search(text)), None)


def measure_of(part: str) -> str | None:
    return next((code for pattern, code in _measure_words() if pattern.search(part.strip())), None)


def base_of(text: str) -> tuple[str | None, Period | None]:
    """The phase and period a variance is "compared with", from a header or a row label."""
    m = _BASE.search(text)
    return (phase_of(m.group(1)), period_of(m.group(1))) if m else (None, None)


def meaning(column: Column) -> Meaning | None:
    """None when the header names neither a change nor a phase with its period."""
    full = " ".join(column.parts)
    for part in reversed(column.parts):  # the most specific (lowest) header part first
        measure = measure_of(part)
        if measure:
            base_phase, base_period = base_of(full)
            return Meaning(measure, None, None, base_phase, base_period)
    phase, period = phase_of(full), period_of(full)
    if phase and period:
        return Meaning("amount", phase, period)
    scope = block_scope(full)
    return Meaning("amount", None, None, scope=scope) if scope else None


def block_scope(text: str) -> str | None:
    """The scope of a block printed as one column or one row ("Transitional capacities"), else None."""
    return _BLOCK_COLUMNS.get(text.strip().casefold())


def with_table_context(meanings: list[Meaning | None]) -> list[Meaning | None]:
    """Change columns without a printed base compare the amount before them with the amount after."""
    out = list(meanings)
    last = next((x for x in reversed(out) if x and x.measure == "amount" and x.phase), None)
    for i, m in enumerate(out):
        if m is not None and m.scope and m.phase is None and last is not None:
            out[i] = Meaning("amount", last.phase, last.period, scope=m.scope)
        if m is None or m.measure == "amount":
            continue
        after = next((x for x in out[i + 1 :] if x and x.measure == "amount"), None)
        before = next((x for x in reversed(out[:i]) if x and x.measure == "amount"), None)
        base_phase, base_period = m.base_phase, m.base_period
        if base_phase is None and before is not None:
            base_phase, base_period = before.phase, before.period
        target = after if after and after.scope is None else last
        out[i] = Meaning(
            m.measure, target.phase if target else None, target.period if target else None, base_phase, base_period
        )
    return out
