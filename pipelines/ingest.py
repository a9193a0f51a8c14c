"""One raw file in, parsed frames out: read, decode, recognise, dispatch to the parser for its kind.

Nothing here touches the warehouse; a document that cannot be read is returned with a status and
a message naming the file, so that one bad file never stops the others.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines import frames as frame_schemas
from pipelines.parsing import detect
from pipelines.parsing.fascicle import parse_fascicle
from pipelines.parsing.findings import findings_frame
from pipelines.parsing.records import KPI_SCHEMA, frame
from pipelines.parsing.reports import parse_report
from pipelines.parsing.revised_estimates import docx, parse_blocks, revised_estimates_frames
from pipelines.parsing.revised_estimates.word import describe_word
from pipelines.parsing.text import numbered_lines
from pipelines.rawdir import discover  # noqa: F401  (re-exported: ingest.discover)

# Status of a document after parsing; a quarantined document carries a reason and does not land.
PARSED = "parsed"
QUARANTINED = "quarantined"
# reasons
EMPTY = "empty_file"
BINARY = "binary_file"
UNDECODABLE = "undecodable"
TOO_LARGE = "too_large"
OUTSIDE = "outside_raw_dir"
UNKNOWN_KIND = "unknown_kind"
TRUNCATED = "truncated"
PARSE_ERRORS = "parse_errors"
PARSER_CRASHED = "parser_crashed"
VALIDATION_FAILED = "validation_failed"

REPORT_KINDS = (detect.WORK_REPORT, detect.WORK_REPORT_HIGHLIGHTS)
MAX_DOCUMENT_BYTES = int(float(os.environ.get("MAX_DOCUMENT_MB", "50")) * 1024 * 1024)


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
    reason: str | None = None
    encoding: str | None = None
    error_line: int | None = None
    read_seconds: float | None = None  # reading and decoding (a Word file: unzip and XML parse)
    parse_seconds: float | None = None  # recognising and parsing into frames

    def quarantine(self, reason: str, message: str, line: int | None = None) -> None:
        self.status, self.reason, self.message, self.error_line = QUARANTINED, reason, message, line

    def document_row(self) -> dict:
        return {
            "document_id": self.document_id,
            "source_path": self.source_path,
            "content_sha256": self.content_sha256,
            "document_kind": self.kind,
            "document_symbol": self.document_symbol,
            "language": self.language,
            "script": self.script,
            "title": self.title,
            "status": self.status,
            "reason": self.reason,
            "message": self.message,
            "error_line": self.error_line,
            "encoding": self.encoding,
            "size_bytes": self.size_bytes,
            "read_seconds": self.read_seconds,
            "parse_seconds": self.parse_seconds,
        }


DOCUMENT_SCHEMA = {
    "document_id": pl.Utf8,
    "source_path": pl.Utf8,
    "content_sha256": pl.Utf8,
    "document_kind": pl.Utf8,
    "document_symbol": pl.Utf8,
    "language": pl.Utf8,
    "script": pl.Utf8,
    "title": pl.Utf8,
    "status": pl.Utf8,
    "reason": pl.Utf8,
    "message": pl.Utf8,
    "error_line": pl.Int64,
    "encoding": pl.Utf8,
    "size_bytes": pl.Int64,
    "read_seconds": pl.Float64,
    "parse_seconds": pl.Float64,
}


def empty_frames() -> dict[str, pl.DataFrame]:
    return {name: frame_schemas.empty(name) for name in frame_schemas.PARSED_FRAMES}


def _cjk_share(text: str) -> float:
    sample = text[:20000]
    return sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff") / max(1, len(sample.strip()))


# Very frequent characters of Chinese prose, in both scripts: text decoded with the wrong legacy
# codec is still "Chinese" character by character, but rarely hits these.
_COMMON = set("的是在和了有人年国國会會为為发發这這中大上不一合联聯计計作们們工报報。，")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # below 32, except \t \n \f \r


def _control_share(text: str) -> float:
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / max(1, len(sample))


def _common_share(text: str) -> float:
    sample = text[:20000]
    return sum(1 for ch in sample if ch in _COMMON) / max(1, len(sample.strip()))


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 (with or without BOM), UTF-16 (BOM, or NUL-interleaved), GB18030 and
    Big5 for real documents saved in a legacy Chinese encoding; anything else raises UnicodeDecodeError."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    head = raw[:4096]
    if b"\x00" in head:  # UTF-16 without a BOM (NUL halves of ASCII characters), or a binary file
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            if _cjk_share(text) > 0.2 and _control_share(text) < 0.01:
                return text, enc
        raise UnicodeDecodeError("utf-8", raw, head.index(b"\x00"), 1, "NUL bytes: a binary file, not text")
    try:
        text = raw.decode("utf-8")
        if _control_share(text) > 0.01:
            raise UnicodeDecodeError("utf-8", raw, 0, 1, "control characters: a binary file, not text")
        return text, "utf-8"
    except UnicodeDecodeError as exc:
        first_error = exc
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_share(text), _cjk_share(text), enc, text))
    if candidates:
        common, share, enc, text = max(candidates)
        if share > 0.2 and common > 0.02:
            return text, enc
    raise first_error


def _failed(path: Path, raw: bytes, reason: str, message: str) -> ParsedDocument:
    sha = hashlib.sha256(raw).hexdigest()
    doc = ParsedDocument(
        str(path),
        detect.document_key(sha, reason),
        sha,
        detect.UNKNOWN,
        None,
        None,
        None,
        None,
        QUARANTINED,
        message,
        len(raw),
        empty_frames(),
    )
    doc.reason = reason
    return doc


def read_raw(path: Path, raw_dir: Path | None = None) -> tuple[bytes | None, ParsedDocument | None]:
    """The file's bytes, or a quarantined document saying why they cannot be used."""
    if raw_dir is not None and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(raw_dir.resolve()):
            return None, _failed(
                path, str(target).encode(), OUTSIDE, f"{path}: symlink to {target}, outside RAW_DIR {raw_dir}; refused"
            )
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
        return None, _failed(
            path,
            head + str(size).encode(),
            TOO_LARGE,
            f"{path}: {size / 1e6:.0f} MB, over the {MAX_DOCUMENT_BYTES / 1e6:.0f} MB limit "
            "(MAX_DOCUMENT_MB); not read",
        )
    return path.read_bytes(), None


def parse_file(path: Path, raw_dir: Path | None = None) -> ParsedDocument:
    raw, refused = read_raw(path, raw_dir)
    if refused:
        return refused
    if not raw.strip():
        return _failed(path, raw, EMPTY, f"{path}: empty file")
    if docx.is_docx(raw):  # by content: a zip holding word/document.xml, whatever the file is called
        return parse_word(path, raw)
    if raw.startswith(b"PK\x03\x04"):  # a zip (a Word file, say) whose directory cannot be read
        return _failed(
            path,
            raw,
            TRUNCATED,
            f"{path}: a zip archive (such as a Word file) that cannot be opened: truncated or damaged; nothing loaded",
        )
    t_read = time.perf_counter()
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError as exc:
        reason = BINARY if "binary" in exc.reason else UNDECODABLE
        return _failed(
            path,
            raw,
            reason,
            f"{path}: not text in UTF-8, UTF-16, GB18030 or Big5 (byte {exc.start}: {exc.reason})"
            if reason == UNDECODABLE
            else f"{path}: a binary file (NUL bytes), not a text document",
        )
    lines = numbered_lines(text)
    info = detect.describe(text, lines, raw)
    doc = ParsedDocument(
        str(path),
        info.document_id,
        info.content_sha256,
        info.kind,
        info.document_symbol,
        info.language,
        info.script,
        info.title,
        PARSED,
        "",
        len(raw),
        empty_frames(),
        encoding=encoding,
        read_seconds=time.perf_counter() - t_read,
    )
    decoded_note = "" if encoding.startswith("utf-8") else f" (decoded from {encoding.upper()})"
    fact_doc = {
        "document_id": info.document_id,
        "document_symbol": info.document_symbol,
        "language": info.language,
        "script": info.script,
    }
    t_parse = time.perf_counter()
    try:
        if info.kind == detect.FASCICLE:
            parsed = parse_fascicle(lines, fact_doc)
            findings = parsed.findings
            doc.frames = {
                "resources": parsed.resources,
                "posts": parsed.posts,
                "post_changes": parsed.post_changes,
                "kpis": parsed.kpis,
                "source_tables": parsed.tables,
            }
            doc.message = (
                f"{parsed.resources.height} resource values, {parsed.posts.height} post values, "
                f"{parsed.post_changes.height} post-change rows, {parsed.kpis.height} KPI values"
            )
        elif info.kind in REPORT_KINDS:
            rows, found = parse_report(lines, fact_doc, info.kind)
            findings = findings_frame(found)
            doc.frames["kpis"] = frame(rows, KPI_SCHEMA)
            matched = sum(1 for r in rows if not r["kpi_key"].startswith("headline:unmatched"))
            doc.message = f"{len(rows)} headline facts ({matched} matched to the metric dictionary)"
        else:
            doc.quarantine(
                UNKNOWN_KIND,
                f"{path}: not a recognised document (no budget-fascicle tables, "
                "work-report title or highlight tiles found); nothing loaded",
            )
            return doc
    except Exception as exc:  # a parser bug must name the file, not abort the run
        doc.quarantine(PARSER_CRASHED, f"{path}: parser failed: {type(exc).__name__}: {exc}")
        return doc
    doc.parse_seconds = time.perf_counter() - t_parse
    return _with_findings(doc, findings, path, decoded_note, doc.message)


def _with_findings(doc: ParsedDocument, findings: pl.DataFrame, path: Path, note: str, message: str) -> ParsedDocument:
    """Attach the parse findings; a document with parse errors is quarantined, naming the first."""
    findings_schema = list(frame_schemas.ALL_FRAMES["parse_findings"])
    doc.frames["parse_findings"] = findings.with_columns(pl.lit(doc.document_id).alias("document_id")).select(
        findings_schema
    )
    errors = findings.filter(pl.col("severity") == "error").sort("source_line")
    doc.message = f"{path.name}{note}: {message}; {errors.height} parse errors"
    if errors.height:
        first = errors.row(0, named=True)
        reason = TRUNCATED if "truncated" in errors["code"].to_list() else PARSE_ERRORS
        doc.quarantine(
            reason,
            f"{path}{note}: {errors.height} parse errors, first at line {first['source_line']}: {first['message']}",
            first["source_line"],
        )
    return doc


def parse_word(path: Path, raw: bytes) -> ParsedDocument:
    """A Word file: the revised estimates when its headers print a symbol and its tables known titles."""
    t0 = time.perf_counter()
    sha = hashlib.sha256(raw).hexdigest()
    try:
        info = describe_word(raw)
    except Exception as exc:  # a damaged zip or XML names the file, not abort the run
        return _failed(path, raw, UNDECODABLE, f"{path}: a Word file that cannot be read: {type(exc).__name__}: {exc}")
    t1 = time.perf_counter()
    symbol = info.symbol or f"{detect.REVISED_ESTIMATES}:{sha[:12]}"
    doc = ParsedDocument(
        str(path),
        detect.document_key(sha, symbol),
        sha,
        detect.REVISED_ESTIMATES,
        symbol,
        "en",
        "Latn",
        info.title,
        PARSED,
        "",
        len(raw),
        empty_frames(),
        encoding="docx",
        read_seconds=t1 - t0,
    )
    if not info.known_tables:
        doc.kind = detect.UNKNOWN
        doc.quarantine(
            UNKNOWN_KIND,
            f"{path}: a Word file with no table of a known kind "
            "(pipelines/parsing/revised_estimates/table_kinds.csv); nothing loaded",
        )
        return doc
    fact_doc = {"document_id": doc.document_id, "document_symbol": symbol, "language": "en", "script": "Latn"}
    try:
        parsed = revised_estimates_frames(*parse_blocks(info.blocks, fact_doc), fact_doc)
    except Exception as exc:  # a parser bug must name the file, not abort the run
        doc.quarantine(PARSER_CRASHED, f"{path}: parser failed: {type(exc).__name__}: {exc}")
        return doc
    doc.parse_seconds = time.perf_counter() - t1
    doc.frames.update(
        {
            "resources": parsed.resources,
            "posts": parsed.posts,
            "post_changes": parsed.post_changes,
            "source_tables": parsed.tables,
        }
    )
    return _with_findings(
        doc,
        parsed.findings,
        path,
        "",
        f"{parsed.resources.height} resource values, {parsed.posts.height} post values, "
        # no timings here: the message is content (dim_document) and must not change between runs
        f"{parsed.post_changes.height} post-change rows from {parsed.tables.height} Word tables",
    )
