"""One raw file in, parsed frames out: read, decode, recognise, dispatch to the parser for its kind.

Nothing here touches the warehouse; a document that cannot be read is returned with a status and
a message naming the file, so that one bad file never stops the others.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import polars as pl

from pipelines import frames as frame_schemas
from pipelines.document import (
    BINARY,
    EMPTY,
    PARSE_ERRORS,
    PARSED,
    PARSER_CRASHED,
    TRUNCATED,
    UNDECODABLE,
    UNKNOWN_KIND,
    ParsedDocument,
    empty_frames,
)
from pipelines.parsing.fascicle import parse_fascicle
from pipelines.parsing.findings import findings_frame
from pipelines.parsing.gc_paused import gc_paused
from pipelines.parsing.records import KPI_SCHEMA, frame
from pipelines.parsing.reports import parse_report
from pipelines.parsing.revised_estimates import docx, parse_blocks, revised_estimates_frames
from pipelines.parsing.revised_estimates.word import describe_word
from pipelines.parsing.text import numbered_lines
from pipelines.reading import detect
from pipelines.reading.decode import decode
from pipelines.reading.files import read_raw, refused

REPORT_KINDS = (detect.WORK_REPORT, detect.WORK_REPORT_HIGHLIGHTS)


def parse_file(path: Path, raw_dir: Path | None = None, tables: bool = True) -> ParsedDocument:
    """The file's document: parsed frames and findings, or quarantined with a reason naming the file.
    ``tables=False``: a Word file is recognised (id, kind, symbol) but its tables are not parsed, as the
    registry needs it (the run's parse, in this process or a writer's, parses them)."""
    raw, rejected = read_raw(path, raw_dir)
    if rejected:
        return rejected
    if not raw or raw.isspace():  # as raw.strip() would say, without copying the file
        return refused(path, raw, EMPTY, f"{path}: empty file")
    if docx.is_docx(raw):  # by content: a zip holding word/document.xml, whatever the file is called
        return parse_word(path, raw, tables)
    if raw.startswith(b"PK\x03\x04"):  # a zip (a Word file, say) whose directory cannot be read
        return refused(
            path,
            raw,
            TRUNCATED,
            f"{path}: a zip archive (such as a Word file) that cannot be opened: truncated or damaged; nothing loaded",
        )
    with gc_paused():  # a text document's parse makes no cycles for the collector to find (gc_paused.py)
        return _parse_text_file(path, raw)


def _parse_text_file(path: Path, raw: bytes) -> ParsedDocument:
    """A text file's bytes decoded (or refused, naming the file), then parsed."""
    t_read = time.perf_counter()
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError as exc:
        reason = BINARY if "binary" in exc.reason else UNDECODABLE
        return refused(
            path,
            raw,
            reason,
            f"{path}: not text in UTF-8, UTF-16, GB18030 or Big5 (byte {exc.start}: {exc.reason})"
            if reason == UNDECODABLE
            else f"{path}: a binary file (NUL bytes), not a text document",
        )
    return parse_text(path, raw, text, encoding, time.perf_counter() - t_read)


def parse_text(path: Path, raw: bytes, text: str, encoding: str, read_seconds: float) -> ParsedDocument:
    """A decoded text document: recognised from its content, then parsed by the parser for its kind."""
    lines = numbered_lines(text)
    info = detect.describe(text, lines, raw, encoding)
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
        read_seconds=read_seconds,
    )
    if info.kind != detect.FASCICLE and info.kind not in REPORT_KINDS:
        doc.quarantine(
            UNKNOWN_KIND,
            f"{path}: not a recognised document (no budget-fascicle tables, "
            "work-report title or highlight tiles found); nothing loaded",
        )
        return doc
    fact_doc = {k: getattr(info, k) for k in ("document_id", "document_symbol", "language", "script")}
    t_parse = time.perf_counter()
    try:
        findings = (
            _parse_fascicle(doc, lines, fact_doc)
            if info.kind == detect.FASCICLE
            else _parse_report(doc, lines, fact_doc)
        )
    except Exception as exc:  # a parser bug must name the file, not abort the run
        doc.quarantine(PARSER_CRASHED, f"{path}: parser failed: {type(exc).__name__}: {exc}")
        return doc
    doc.parse_seconds = time.perf_counter() - t_parse
    decoded_note = "" if encoding.startswith("utf-8") else f" (decoded from {encoding.upper()})"
    return _with_findings(doc, findings, path, decoded_note, doc.message)


def _parse_fascicle(doc: ParsedDocument, lines: list, fact_doc: dict) -> pl.DataFrame:
    parsed = parse_fascicle(lines, fact_doc)
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
    return parsed.findings


def _parse_report(doc: ParsedDocument, lines: list, fact_doc: dict) -> pl.DataFrame:
    rows, found = parse_report(lines, fact_doc, doc.kind)
    doc.frames["kpis"] = frame(rows, KPI_SCHEMA)
    matched = sum(1 for r in rows if not r["kpi_key"].startswith("headline:unmatched"))
    doc.message = f"{len(rows)} headline facts ({matched} matched to the metric dictionary)"
    return findings_frame(found)


def _with_findings(doc: ParsedDocument, findings: pl.DataFrame, path: Path, note: str, message: str) -> ParsedDocument:
    """Attach the parse findings; a document with parse errors is quarantined, naming the first."""
    # the document's id, then the findings' columns: a frame put together, no query to run
    doc_ids = pl.Series("document_id", [doc.document_id] * findings.height, dtype=pl.Utf8)
    doc.frames["parse_findings"] = pl.DataFrame(
        [doc_ids if n == "document_id" else findings.get_column(n) for n in frame_schemas.ALL_FRAMES["parse_findings"]]
    )
    n_errors = (findings.get_column("severity") == "error").sum()  # most documents have none to sort
    doc.message = f"{path.name}{note}: {message}; {n_errors} parse errors"
    if n_errors:
        errors = findings.filter(pl.col("severity") == "error").sort("source_line")
        first = errors.row(0, named=True)
        reason = TRUNCATED if "truncated" in errors["code"].to_list() else PARSE_ERRORS
        doc.quarantine(
            reason,
            f"{path}{note}: {errors.height} parse errors, first at line {first['source_line']}: {first['message']}",
            first["source_line"],
        )
    return doc


def parse_word(path: Path, raw: bytes, tables: bool = True) -> ParsedDocument:
    """A Word file: the revised estimates when its headers print a symbol and its tables known titles; its
    tables parsed unless ``tables`` is False."""
    t0 = time.perf_counter()
    sha = hashlib.sha256(raw).hexdigest()
    hashed = time.perf_counter() - t0
    try:
        info = describe_word(raw)
    except Exception as exc:  # a damaged zip or XML names the file, not abort the run
        return refused(path, raw, UNDECODABLE, f"{path}: a Word file that cannot be read: {type(exc).__name__}: {exc}")
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
        read_seconds=hashed + info.read_seconds,  # the read itself, also when the registry did it
    )
    if not info.known_tables:
        doc.kind = detect.UNKNOWN
        doc.quarantine(
            UNKNOWN_KIND,
            f"{path}: a Word file with no table of a known kind "
            "(pipelines/parsing/revised_estimates/table_kinds.csv); nothing loaded",
        )
        return doc
    return _word_tables(doc, info.blocks, path, t1) if tables else doc


def _word_tables(doc: ParsedDocument, blocks: list, path: Path, t1: float) -> ParsedDocument:
    """The recognised Word document's tables parsed into its frames (``t1``: when its parse began)."""
    symbol = doc.document_symbol
    fact_doc = {"document_id": doc.document_id, "document_symbol": symbol, "language": "en", "script": "Latn"}
    try:
        parsed = revised_estimates_frames(*parse_blocks(blocks, fact_doc), fact_doc)
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
