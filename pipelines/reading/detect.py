"""What a raw document is, read from its content (never its file name): kind, symbol, script, period."""

from __future__ import annotations

import hashlib
import operator
import re
from dataclasses import dataclass

from pipelines.parsing.fascicle import structure
from pipelines.parsing.text import Line, to_simplified

FASCICLE = "budget_fascicle"
WORK_REPORT = "work_report"
WORK_REPORT_HIGHLIGHTS = "work_report_highlights"
REVISED_ESTIMATES = "revised_estimates"  # a Word file (see pipelines/parsing/revised_estimates)
UNKNOWN = "unknown"

_TABLE_LINE = re.compile(r"^\s*表\s*\d+\.\d+\s*$", re.M)
_PARTS = re.compile(r"^\s*[AB]\.\s*\d{4}\s*年", re.M)
_REPORT_TITLE = re.compile(r"秘书长关于联合国工作的报告")
_REPORT_SYMBOL = re.compile(r"\bA/(\d+)/1\b")
_NOT_HAN = re.compile("[^\u4e00-\u9fff]+")
_TILE = re.compile(r"^##\s+\S.*\n+\*\*[^*]+\*\*", re.M)


@dataclass(frozen=True)
class DocumentInfo:
    document_id: str  # stable: content hash plus symbol
    content_sha256: str
    kind: str
    document_symbol: str
    language: str
    script: str  # Hans | Hant
    title: str


def script_of(text: str) -> str:
    """Hant when converting to Simplified changes a noticeable share of the Han characters."""
    sample = _NOT_HAN.sub("", text[:20000])  # the Han characters: one pass, not one string each
    if not sample:
        return "Latn"
    converted = to_simplified(sample)
    # a Simplified text usually converts to itself: one comparison instead of one per character
    changed = 0 if converted == sample else sum(map(operator.ne, sample, converted))  # pairs as zip
    return "Hant" if changed / len(sample) > 0.05 else "Hans"


def _prints_tables(text: str, lines: list[Line], at_least: int = 3) -> bool:
    """At least ``at_least`` table title lines. Counted first from the parse's line index (built once,
    read again by the fascicle parser); every line it finds is also a match in the text, so the text is
    searched only when the index finds too few (a title wrapped over two lines, say)."""
    found = len(structure.kinds(lines).hits["table"])
    return found >= at_least or len(_TABLE_LINE.findall(text)) >= at_least


def classify(text: str, lines: list[Line]) -> tuple[str, str | None, str]:
    """(kind, symbol or None, title) from content alone."""
    # the parts heading first: a work report prints none, and then never builds the line index
    if _PARTS.search(text) and _prints_tables(text, lines) and structure.entity_sections(lines):
        symbol = structure.document_symbol(lines, text)
        return FASCICLE, symbol, "Proposed programme budget section"
    head = text[:3000]
    if _REPORT_TITLE.search(to_simplified(head)):  # matched in Simplified, whatever the script
        m = _REPORT_SYMBOL.search(head)
        return WORK_REPORT, (m.group(0) if m else None), lines[0].text if lines else ""
    if len(_TILE.findall(text)) >= 3 and ("联合国" in head or "聯合國" in head):
        return WORK_REPORT_HIGHLIGHTS, None, lines[0].text if lines else ""
    return UNKNOWN, None, lines[0].text[:80] if lines else ""


def document_key(sha256: str, label: str) -> str:
    """Stable document id and Dagster partition key: content hash plus a slug of the symbol."""
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return f"{sha256[:16]}-{slug}"


def describe(text: str, lines: list[Line], raw: bytes, encoding: str | None = None) -> DocumentInfo:
    """``encoding``: what ``raw`` was decoded from, when the caller knows (decode's name for it)."""
    # The identity is the decoded text: the same document saved as UTF-16 or GB18030 is the same document.
    # Bytes decoded as UTF-8 (strictly, no BOM) are the text's UTF-8 encoding: hashed without encoding it again.
    sha = hashlib.sha256(raw if encoding == "utf-8" else text.encode("utf-8")).hexdigest()
    kind, symbol, title = classify(text, lines)
    script = script_of(text)
    # Documents without a printed symbol are named by kind and content hash: stable across renames.
    symbol = symbol or f"{kind}:{sha[:12]}"
    return DocumentInfo(
        document_id=document_key(sha, symbol),
        content_sha256=sha,
        kind=kind,
        document_symbol=symbol,
        language="en" if script == "Latn" else "zh",
        script=script,
        title=title,
    )
