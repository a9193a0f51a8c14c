"""Headline facts of the Secretary-General's work reports (Traditional or Simplified Chinese).

Every number the report states with a magnitude (亿/億, 万/萬) or a unit (美元, 人, 个国家, %, 公顷, …)
becomes a fact: the value normalised to a plain number, its unit, its qualifier (more than, nearly,
about, at least, less than) kept as data, the year the report covers (read from its footnote, not the
publication date), the paragraph or tile, and the line. Text is normalised to Simplified Chinese for
matching (OpenCC t2s); the original is kept. The reviewed metric dictionary (dbt/seeds/kpi_metrics.csv)
maps facts of either report to shared metrics by the wording around the number, never by the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from pipelines import vocab
from pipelines.parsing.fascicle.kpi_common import stable_key
from pipelines.parsing.findings import Finding
from pipelines.parsing.text import Line, to_simplified

_NUM = r"\d{1,3}(?: \d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _alt(role: str) -> str:
    """The words of a role of dbt/seeds/parser_words.csv as an alternation, in the seed's order."""
    return "|".join(map(re.escape, vocab.words(role)))


# The words around a number are the seed's (parser_words.csv); punctuation and the number's shape are layout.
_QUALIFIER = vocab.words("report_qualifier_before")  # 近 -> nearly, 约 -> about, 至少, 不到, 超过 …
_MAGNITUDE = {w: Decimal(10) ** int(p) for w, p in vocab.words("magnitude").items()}  # 亿 -> 10^8, 万 -> 10^4
_FACT = re.compile(
    rf"(?P<pre>{_alt('report_qualifier_before')})?(?P<num>{_NUM})\s*(?P<more1>{_alt('more_than_suffix')})?"
    rf"\s*(?P<mag>{_alt('magnitude')})?(?P<more2>{_alt('more_than_suffix')}|\+)?\s*"
)
_PERIOD_WORD = vocab.word("report_period")
_PERIOD = re.compile(rf"{re.escape(_PERIOD_WORD)}\s*(\d{{4}})\s*{re.escape(vocab.word('year_mark'))}")
_PARAGRAPH = re.compile(r"^(\d{1,3})\.(?=\S)")
_HEADING = re.compile(r"^#+\s*(.+?)\s*$")
_TILE_VALUE = re.compile(rf"^\*\*(.+)\*\*$|^(?:{_NUM})\s*\+?$")
_CLAUSE_SPLIT = re.compile(r"[，,。；;：:！？]")
_NOT_A_QUANTITY = re.compile(rf"^\s*({_alt('not_a_quantity')})")
_ORDINAL_PREFIX = vocab.word("ordinal_prefix")  # 第 3: an ordinal, not a quantity
_MORE_AFTER = re.compile(rf"^\s*({_alt('report_more_than_after')})")
_PEOPLE_AFTER = re.compile(rf"^[^，,。；]{{0,8}}({_alt('people_noun')})")
_PEOPLE_BEFORE = re.compile(rf"({_alt('people_count_word')})[^，,。；]*$")
_COUNTRY_BEFORE = re.compile(rf"({_alt('country_word')})[^，,。；]*$")
_PEOPLE_TILE = re.compile(rf"^[^，,]*?({_alt('people_word')})")
_PERCENT = tuple(vocab.words("percent_sign"))


@lru_cache(maxsize=1)
def _units() -> list[tuple[str, str]]:
    pairs = [(r["label_zh"], r["unit_code"]) for r in vocab.rows("kpi_units") if r["context"] in ("reports", "any")]
    return sorted(pairs, key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def _currency() -> re.Pattern[str]:
    """The currency word (kpi_units: the reports' USD label) after a number, spaces allowed between."""
    return re.compile(rf"^\s*({'|'.join(re.escape(w) for w, c in _units() if c == 'USD')})")


@lru_cache(maxsize=1)
def _unit_suffix_pattern() -> re.Pattern[str]:
    words = [w for w, c in _units() if c == "USD"] + list(_PERCENT)
    return re.compile(rf"^({'|'.join(map(re.escape, words))})")


@dataclass(frozen=True)
class Metric:
    key: str
    unit: str
    context: re.Pattern | None
    before: re.Pattern | None
    after: re.Pattern | None


@lru_cache(maxsize=1)
def metrics() -> list[Metric]:
    out = []
    for r in vocab.rows("kpi_metrics"):
        comp = {k: re.compile(r[f"{k}_pattern"]) if r[f"{k}_pattern"] else None for k in ("context", "before", "after")}
        out.append(Metric(r["metric_key"], r["unit"], comp["context"], comp["before"], comp["after"]))
    return out


def match_metric(unit: str, context: str, before: str, after: str) -> str | None:
    """The dictionary metric whose wording patterns all match around the number (Simplified text)."""
    for m in metrics():
        if m.unit != unit:
            continue
        if m.context and not m.context.search(context):
            continue
        if m.before and not m.before.search(before):
            continue
        if m.after and not m.after.search(after):
            continue
        return m.key
    return None


def unit_of(text_after: str, value_unit: str | None = None) -> str | None:
    if value_unit:
        return value_unit
    for label, code in _units():
        if text_after.startswith(label):
            return code
    return None


def report_period(hans: str) -> int | None:
    m = _PERIOD.search(hans)
    return int(m.group(1)) if m else None


def _facts_in(text_hans: str, skip_prefix: int = 0):
    """(match, value, unit, qualifier, before, after) for each quantity in one clause."""
    found = [m for m in _FACT.finditer(text_hans) if m.start() >= skip_prefix]
    out = []
    for i, m in enumerate(found):
        tail = text_hans[m.end() :]
        if (
            _NOT_A_QUANTITY.match(text_hans[m.end("num") :])
            or text_hans[max(0, m.start() - 1) : m.start()] == _ORDINAL_PREFIX
        ):
            continue
        if _currency().match(tail):
            unit = "USD"
        elif tail.startswith(_PERCENT):
            unit = "percent"
        else:
            unit = unit_of(tail)
        before_clause = text_hans[: m.start()]
        if unit is None and m.group("mag") and (_PEOPLE_AFTER.match(tail) or _PEOPLE_BEFORE.search(before_clause)):
            unit = "people"  # "近1.6亿急需救助的人", "世界人口…达到80亿", "妇女人数达到了…1500万"
        if unit is None and tail.startswith(vocab.word("country_counter")) and _COUNTRY_BEFORE.search(before_clause):
            unit = "countries"  # "缔约国增加到182个"
        if unit is None:
            continue
        # exact decimal arithmetic: 1.23亿 is 123000000, not 122999999.99999999
        value = float(Decimal(m.group("num").replace(" ", "")) * _MAGNITUDE.get(m.group("mag") or "", 1))
        qualifier = _QUALIFIER.get(m.group("pre") or "")
        if m.group("more1") or m.group("more2") or _MORE_AFTER.match(tail):
            qualifier = "more_than"
        prev_end = found[i - 1].end() if i else 0
        nxt = found[i + 1].start() if i + 1 < len(found) else len(text_hans)
        out.append((m, value, unit, qualifier, text_hans[prev_end : m.start()], text_hans[m.end() : nxt]))
    return out


def parse_report(lines: list[Line], doc: dict, kind: str) -> tuple[list[dict], list[Finding]]:
    hans_lines = {ln.number: to_simplified(ln.text) for ln in lines}
    year = report_period("\n".join(hans_lines.values()))
    findings: list[Finding] = []
    if year is None:
        message = (
            f"no '{_PERIOD_WORD}YYYY{vocab.word('year_mark')}' footnote: the year the report covers is unknown; "
            "facts carry no fiscal_year"
        )
        findings.append(Finding("error", "report_period_missing", message, None, None))
    report = (doc, kind, year)
    rows: list[dict] = []
    heading = None
    for i, ln in enumerate(lines):
        hans = hans_lines[ln.number]
        if m := _HEADING.match(hans):
            heading = m.group(1)
            continue
        if hans.startswith(("<sup>", "(", "（", "!", "[")):
            continue  # footnotes, captions, images
        tile = _TILE_VALUE.match(hans)
        if tile and i + 1 < len(lines):
            wording_line = lines[i + 1]
            rows += _tile_rows(
                report, ln, (tile.group(1) or hans).strip(), wording_line, hans_lines[wording_line.number], heading
            )
            continue
        rows += _text_rows(report, ln, hans, heading)
    return rows, findings


def _tile_rows(report: tuple, ln: Line, value_text: str, wording_line: Line, wording: str, heading) -> list[dict]:
    """A highlight tile: the value on its own line, the wording on the next."""
    facts = _facts_in(value_text + wording[:4])
    if not facts and _PEOPLE_TILE.match(wording):
        people = vocab.word("people_noun")
        facts = [(f[0], f[1], "people", f[3], f[4], f[5]) for f in _facts_in(value_text + people)]
    metric = lambda unit: match_metric(unit, f"{heading} {wording}", "", wording)  # noqa: E731
    return [
        _row(
            *report,
            ln,
            f"tile: {heading}",
            wording_line.text,
            wording,
            value,
            unit,
            qualifier,
            value_text,
            metric(unit),
        )
        for m, value, unit, qualifier, _before, _after in facts
        if m.start() == 0
    ]


def _text_rows(report: tuple, ln: Line, hans: str, heading: str | None) -> list[dict]:
    """A line of text (a numbered paragraph in a work report): each quantity of each clause."""
    rows = []
    locator = f"section: {heading}" if heading else "text"
    skip = 0
    if report[1] == "work_report" and (p := _PARAGRAPH.match(hans)):
        locator, skip = f"paragraph {p.group(1)}", p.end()
    for sentence in re.split(r"(?<=[。！？])", hans):
        offset = 0
        for clause in _CLAUSE_SPLIT.split(sentence):
            start = hans.find(clause, skip if skip > offset else 0) if clause else -1
            for m, value, unit, qualifier, before, after in _facts_in(clause):
                if start >= 0 and start + m.start() < skip:
                    continue
                original = _original_clause(ln.text, hans, clause)
                metric = match_metric(unit, f"{heading or ''} {sentence}", before, after)
                value_text = m.group(0).strip() + _unit_suffix(after)
                rows.append(
                    _row(*report, ln, locator, original, clause, value, unit, qualifier, value_text, metric, before)
                )
            offset += len(clause) + 1
    return rows


def _unit_suffix(after: str) -> str:
    m = _unit_suffix_pattern().match(after)
    return m.group(1) if m else ""


def _original_clause(original: str, hans: str, clause: str) -> str:
    """The clause in the original script: OpenCC t2s keeps character positions."""
    pos = hans.find(clause)
    return original[pos : pos + len(clause)] if pos >= 0 and len(original) == len(hans) else clause


def _row(
    doc, kind, year, ln, locator, label, label_hans, value, unit, qualifier, value_text, metric, before: str = ""
) -> dict:
    # unmatched facts are keyed by their wording, the words just before the number and the unit
    return {
        **doc,
        "kpi_family": "headline",
        "kpi_key": metric or stable_key("headline", "unmatched", f"{label_hans}|{before}|{unit}"),
        "entity_code": None,
        "subprogramme_code": None,
        "source_table": kind,
        "category": None,
        "row_kind": None,
        "label_zh": label,
        "label_zh_hans": label_hans,
        "unit": unit,
        "fiscal_year": year,
        "status": "actual",
        "value_numeric": value,
        "value_text": value_text,
        "qualifier": qualifier,
        "confidence": "certain",
        "source_line": ln.number,
        "locator": locator,
    }
