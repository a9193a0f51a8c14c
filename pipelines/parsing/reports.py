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
_FACT = re.compile(rf"(?P<pre>近|约|至少|不到|超过|逾|多达)?(?P<num>{_NUM})\s*(?P<more1>多)?\s*(?P<mag>亿|万)?"
                   rf"(?P<more2>多|\+)?\s*")
_MAGNITUDE = {"亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
_QUALIFIER = {"近": "nearly", "约": "about", "至少": "at_least", "不到": "less_than", "超过": "more_than",
              "逾": "more_than", "多达": "more_than"}
_PERIOD = re.compile(r"报告期为\s*(\d{4})\s*年")
_PARAGRAPH = re.compile(r"^(\d{1,3})\.(?=\S)")
_HEADING = re.compile(r"^#+\s*(.+?)\s*$")
_TILE_VALUE = re.compile(rf"^\*\*(.+)\*\*$|^(?:{_NUM})\s*\+?$")
_CLAUSE_SPLIT = re.compile(r"[，,。；;：:！？]")
_NOT_A_QUANTITY = re.compile(r"^\s*(年|月|日|号|點|点|世纪|届|/)")


@lru_cache(maxsize=1)
def _units() -> list[tuple[str, str]]:
    pairs = [(r["label_zh"], r["unit_code"]) for r in vocab.rows("kpi_units") if r["context"] in ("reports", "any")]
    return sorted(pairs, key=lambda p: -len(p[0]))


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
        tail = text_hans[m.end():]
        if _NOT_A_QUANTITY.match(text_hans[m.end("num"):]) or text_hans[max(0, m.start() - 1):m.start()] == "第":
            continue
        if re.match(r"^\s*(美元)", tail):
            unit = "USD"
        elif tail.startswith(("%", "％")):
            unit = "percent"
        else:
            unit = unit_of(tail)
        before_clause = text_hans[:m.start()]
        if unit is None and m.group("mag") and (re.match(r"^[^，,。；]{0,8}人", tail)
                                               or re.search(r"(人数|人口)[^，,。；]*$", before_clause)):
            unit = "people"     # "近1.6亿急需救助的人", "世界人口…达到80亿", "妇女人数达到了…1500万"
        if unit is None and tail.startswith("个") and re.search(r"国[^，,。；]*$", before_clause):
            unit = "countries"  # "缔约国增加到182个"
        if unit is None:
            continue
        # exact decimal arithmetic: 1.23亿 is 123000000, not 122999999.99999999
        value = float(Decimal(m.group("num").replace(" ", "")) * _MAGNITUDE.get(m.group("mag") or "", 1))
        qualifier = _QUALIFIER.get(m.group("pre") or "")
        if m.group("more1") or m.group("more2") or re.match(r"^\s*(以上|多)", tail):
            qualifier = "more_than"
        prev_end = found[i - 1].end() if i else 0
        nxt = found[i + 1].start() if i + 1 < len(found) else len(text_hans)
        out.append((m, value, unit, qualifier, text_hans[prev_end:m.start()], text_hans[m.end():nxt]))
    return out


def parse_report(lines: list[Line], doc: dict, kind: str) -> tuple[list[dict], list[Finding]]:
    hans_lines = {ln.number: to_simplified(ln.text) for ln in lines}
    year = report_period("\n".join(hans_lines.values()))
    findings: list[Finding] = []
    if year is None:
        findings.append(Finding("error", "report_period_missing", "no '报告期为YYYY年' footnote: the year the "
                                "report covers is unknown; facts carry no fiscal_year", None, None))
    rows: list[dict] = []
    heading = None
    for i, ln in enumerate(lines):
        hans = hans_lines[ln.number]
        if m := _HEADING.match(hans):
            heading = m.group(1)
            continue
        if hans.startswith(("<sup>", "(", "（", "!", "[")):
            continue   # footnotes, captions, images
        tile = _TILE_VALUE.match(hans)
        if tile and i + 1 < len(lines):
            wording_line = lines[i + 1]
            wording = hans_lines[wording_line.number]
            value_text = (tile.group(1) or hans).strip()
            facts = _facts_in(value_text + wording[:4])
            if not facts and re.match(r"^[^，,]*?(人|者|儿童|难民|妇女)", wording):
                facts = [(f[0], f[1], "people", f[3], f[4], f[5]) for f in _facts_in(value_text + "人")]
            for m, value, unit, qualifier, _before, _after in facts:
                if m.start() > 0:
                    continue
                rows.append(_row(doc, kind, year, ln, f"tile: {heading}", wording_line.text, wording, value,
                                 unit, qualifier, value_text,
                                 match_metric(unit, f"{heading} {wording}", "", wording)))
            continue
        locator = f"section: {heading}" if heading else "text"
        skip = 0
        if kind == "work_report" and (p := _PARAGRAPH.match(hans)):
            locator, skip = f"paragraph {p.group(1)}", p.end()
        for sentence in re.split(r"(?<=[。！？])", hans):
            clauses = _CLAUSE_SPLIT.split(sentence)
            offset = 0
            for clause in clauses:
                start = hans.find(clause, skip if skip > offset else 0) if clause else -1
                for m, value, unit, qualifier, before, after in _facts_in(clause):
                    if start >= 0 and start + m.start() < skip:
                        continue
                    original = _original_clause(ln.text, hans, clause)
                    rows.append(_row(doc, kind, year, ln, locator, original, clause, value, unit, qualifier,
                                     m.group(0).strip() + _unit_suffix(after),
                                     match_metric(unit, f"{heading or ''} {sentence}", before, after), before))
                offset += len(clause) + 1
    return rows, findings


def _unit_suffix(after: str) -> str:
    m = re.match(r"^(美元|%|％)", after)
    return m.group(1) if m else ""


def _original_clause(original: str, hans: str, clause: str) -> str:
    """The clause in the original script: OpenCC t2s keeps character positions."""
    pos = hans.find(clause)
    return original[pos:pos + len(clause)] if pos >= 0 and len(original) == len(hans) else clause


def _row(doc, kind, year, ln, locator, label, label_hans, value, unit, qualifier, value_text, metric,
         before: str = "") -> dict:
    # unmatched facts are keyed by their wording, the words just before the number and the unit
    return {**doc, "kpi_family": "headline",
            "kpi_key": metric or stable_key("headline", "unmatched", f"{label_hans}|{before}|{unit}"),
            "entity_code": None, "subprogramme_code": None, "source_table": kind, "category": None,
            "row_kind": None, "label_zh": label, "label_zh_hans": label_hans, "unit": unit, "fiscal_year": year,
            "status": "actual", "value_numeric": value, "value_text": value_text, "qualifier": qualifier,
            "confidence": "certain", "source_line": ln.number, "locator": locator}
