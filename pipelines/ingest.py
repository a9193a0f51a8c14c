"""One raw file in, parsed frames out: read, decode, recognise, dispatch to the parser for its kind.

Nothing here touches the warehouse; a document that cannot be read is returned with a status and
a message naming the file, so that one bad file never stops the others.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines import frames as frame_schemas
from pipelines.parsing import detect
from pipelines.parsing.fascicle import parse_fascicle
from pipelines.parsing.findings import findings_frame
from pipelines.parsing.records import KPI_SCHEMA, frame
from pipelines.parsing.reports import parse_report
from pipelines.parsing.text import numbered_lines

# Status of a document after parsing.
PARSED = "parsed"
UNREADABLE = "unreadable"
UNKNOWN_KIND = "unknown_kind"
PARSE_FAILED = "parse_failed"
VALIDATION_FAILED = "validation_failed"

REPORT_KINDS = (detect.WORK_REPORT, detect.WORK_REPORT_HIGHLIGHTS)


@dataclass
class ParsedDocument:
    source_path: str
    document_id: str | None
    content_sha256: str
    kind: str
    document_symbol: str | None
    language: str | None
    script: str | None
    title: str | None
    status: str
    message: str
    size_bytes: int
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)

    def document_row(self) -> dict:
        return {
            "document_id": self.document_id, "source_path": self.source_path,
            "content_sha256": self.content_sha256, "document_kind": self.kind,
            "document_symbol": self.document_symbol, "language": self.language, "script": self.script,
            "title": self.title, "status": self.status, "message": self.message,
            "size_bytes": self.size_bytes,
        }


DOCUMENT_SCHEMA = {
    "document_id": pl.Utf8, "source_path": pl.Utf8, "content_sha256": pl.Utf8, "document_kind": pl.Utf8,
    "document_symbol": pl.Utf8, "language": pl.Utf8, "script": pl.Utf8, "title": pl.Utf8,
    "status": pl.Utf8, "message": pl.Utf8, "size_bytes": pl.Int64,
}


def empty_frames() -> dict[str, pl.DataFrame]:
    return {name: frame_schemas.empty(name) for name in frame_schemas.PARSED_FRAMES}


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 (with or without BOM) and BOM-marked UTF-16; anything else is refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw[:4096]:
        raise UnicodeDecodeError("utf-8", raw[:1], 0, 1, "NUL bytes: a binary file, not text")
    return raw.decode("utf-8"), "utf-8"


def _failed(path: Path, raw: bytes, status: str, message: str) -> ParsedDocument:
    sha = hashlib.sha256(raw).hexdigest()
    return ParsedDocument(str(path), f"{sha[:16]}:{status}", sha, detect.UNKNOWN, None, None, None, None,
                          status, message, len(raw), empty_frames())


def parse_file(path: Path) -> ParsedDocument:
    raw = path.read_bytes()
    if not raw.strip():
        return _failed(path, raw, UNREADABLE, f"{path}: empty file")
    try:
        text, _encoding = decode(raw)
    except UnicodeDecodeError as exc:
        return _failed(path, raw, UNREADABLE, f"{path}: not UTF-8/UTF-16 text at byte {exc.start}: {exc.reason}")
    lines = numbered_lines(text)
    info = detect.describe(text, lines, raw)
    doc = ParsedDocument(str(path), info.document_id, info.content_sha256, info.kind, info.document_symbol,
                         info.language, info.script, info.title, PARSED, "", len(raw), empty_frames())
    if info.kind == detect.FASCICLE:
        try:
            parsed = parse_fascicle(lines, {"document_id": info.document_id,
                                            "document_symbol": info.document_symbol,
                                            "language": info.language, "script": info.script})
        except Exception as exc:  # a parser bug must name the file, not abort the run
            doc.status, doc.message = PARSE_FAILED, f"{path}: parser failed: {type(exc).__name__}: {exc}"
            return doc
        doc.frames = {
            "resources": parsed.resources, "posts": parsed.posts, "post_changes": parsed.post_changes,
            "kpis": parsed.kpis,
            "source_tables": parsed.tables,
            "parse_findings": parsed.findings.with_columns(pl.lit(info.document_id).alias("document_id"))
                                              .select(list(frame_schemas.ALL_FRAMES["parse_findings"])),
        }
        errors = parsed.findings.filter(pl.col("severity") == "error").height
        doc.message = (f"{parsed.resources.height} resource values, {parsed.posts.height} post values, "
                       f"{parsed.post_changes.height} post-change rows, {parsed.kpis.height} KPI values; "
                       f"{errors} parse errors")
    elif info.kind in REPORT_KINDS:
        fact_doc = {"document_id": info.document_id, "document_symbol": info.document_symbol,
                    "language": info.language, "script": info.script}
        try:
            rows, findings = parse_report(lines, fact_doc, info.kind)
        except Exception as exc:
            doc.status, doc.message = PARSE_FAILED, f"{path}: parser failed: {type(exc).__name__}: {exc}"
            return doc
        doc.frames["kpis"] = frame(rows, KPI_SCHEMA)
        doc.frames["parse_findings"] = findings_frame(findings).with_columns(
            pl.lit(info.document_id).alias("document_id")).select(list(frame_schemas.ALL_FRAMES["parse_findings"]))
        matched = sum(1 for r in rows if not r["kpi_key"].startswith("headline:unmatched"))
        doc.message = f"{len(rows)} headline facts ({matched} matched to the metric dictionary)"
    else:
        doc.status = UNKNOWN_KIND
        doc.message = (f"{path}: not a recognised document (no budget-fascicle tables, work-report title "
                       "or highlight tiles found); nothing loaded")
    return doc


def discover(raw_dir: Path) -> list[Path]:
    """Regular files under RAW_DIR, in a stable order; hidden files are ignored."""
    return sorted(p for p in raw_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
