"""The unit that flows through the stages: one raw file, what it was recognised as, its parsed frames,
and its status (parsed, or quarantined with a reason and a message naming the file and the place)."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pipelines import frames as frame_schemas

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
