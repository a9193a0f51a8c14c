"""Which documents are in RAW_DIR: one entry per file with its stable document id (= partition key).

Identifying a file needs its content (hash, and the symbol the document prints), so a cache keyed by
path, size and modification time lets the sensor and each run skip files that have not changed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from pipelines.operations.rawdir import discover
from pipelines.parsing.dispatch import parse_file
from pipelines.reading.decode import decode
from pipelines.reading.files import read_raw

REGISTRY_SCHEMA = {
    "source_path": pl.Utf8,
    "document_id": pl.Utf8,
    "content_sha256": pl.Utf8,
    "size_bytes": pl.Int64,
    "mtime_ns": pl.Int64,
    "document_kind": pl.Utf8,
    "document_symbol": pl.Utf8,
    "duplicate_of": pl.Utf8,
    "refused": pl.Utf8,
}


@dataclass
class RawFile:
    source_path: str
    document_id: str
    content_sha256: str
    size_bytes: int
    mtime_ns: int
    document_kind: str
    document_symbol: str | None
    duplicate_of: str | None = None
    refused: str | None = None  # a reason the file is never parsed (outside RAW_DIR, too large, …)


def identify(path: Path, raw_dir: Path) -> RawFile:
    """Read and recognise a file without parsing its tables."""
    from pipelines.parsing.text import numbered_lines
    from pipelines.reading import detect

    stat = path.lstat() if path.is_symlink() else path.stat()
    raw, refused = read_raw(path, raw_dir)
    if refused:
        return RawFile(
            str(path),
            refused.document_id,
            refused.content_sha256,
            refused.size_bytes,
            stat.st_mtime_ns,
            detect.UNKNOWN,
            None,
            refused=refused.reason,
        )
    try:
        text, _ = decode(raw) if raw.strip() else ("", "")
    except UnicodeDecodeError:
        text = ""
    if not text:
        # cheap: it stops at the bytes (a Word file is recognised, its tables are not parsed)
        doc = parse_file(path, raw_dir, tables=False)
        return RawFile(str(path), doc.document_id, doc.content_sha256, len(raw), stat.st_mtime_ns, doc.kind, None)
    info = detect.describe(text, numbered_lines(text), raw)
    return RawFile(
        str(path), info.document_id, info.content_sha256, len(raw), stat.st_mtime_ns, info.kind, info.document_symbol
    )


# Files this process identified, by path, RAW_DIR, size, mtime and inode: `unwh run` scans RAW_DIR to
# choose the partitions, then the registry asset scans it again in the same process.
_identified: dict[tuple, RawFile] = {}


def scan(raw_dir: Path, cache: dict[str, dict] | None = None) -> list[RawFile]:
    """Every file in RAW_DIR, identified; ``cache`` (path -> earlier entry) is reused when unchanged."""
    cache = cache or {}
    files, scanned = [], set()
    for path in discover(raw_dir):
        stat = path.lstat() if path.is_symlink() else path.stat()
        hit = cache.get(str(path))
        if hit and hit["size_bytes"] == stat.st_size and hit["mtime_ns"] == stat.st_mtime_ns and not path.is_symlink():
            files.append(RawFile(**{**hit, "duplicate_of": None}))
            continue
        key = (str(path), str(raw_dir), stat.st_size, stat.st_mtime_ns, stat.st_ino)
        scanned.add(key)
        known = None if path.is_symlink() else _identified.get(key)
        files.append(RawFile(**{**asdict(known), "duplicate_of": None}) if known else identify(path, raw_dir))
        if not (known or files[-1].refused or path.is_symlink()):
            _identified[key] = files[-1]
    # only what this RAW_DIR holds now: a long-running process (the sensor's) does not grow with every file
    for gone in [k for k in _identified if k[1] == str(raw_dir) and k not in scanned]:
        del _identified[gone]
    # The same content twice, or two contents printing the same symbol (two versions of one document
    # side by side): the first path in sorted order is loaded, the others are recorded as duplicates.
    seen: dict[str, str] = {}
    for f in files:
        symbol_key = (
            f"symbol:{f.document_symbol}"
            if f.document_symbol and not f.refused and ":" not in f.document_symbol
            else None
        )
        if f.document_id in seen:
            f.duplicate_of = seen[f.document_id]
        elif symbol_key and symbol_key in seen:
            f.duplicate_of = seen[symbol_key]
        else:
            seen[f.document_id] = f.source_path
            if symbol_key:
                seen[symbol_key] = f.source_path
    return files


def documents(files: list[RawFile]) -> dict[str, RawFile]:
    """Partition key -> the file to parse (first path for duplicated content)."""
    return {f.document_id: f for f in files if f.duplicate_of is None}


def to_cache(files: list[RawFile]) -> str:
    return json.dumps({f.source_path: asdict(f) for f in files})


def from_cache(text: str | None) -> dict[str, dict]:
    return json.loads(text) if text else {}


def frame(files: list[RawFile]) -> pl.DataFrame:
    rows = [{k: v for k, v in asdict(f).items() if k in REGISTRY_SCHEMA} for f in files]
    return pl.DataFrame(rows, schema=REGISTRY_SCHEMA) if rows else pl.DataFrame(schema=REGISTRY_SCHEMA)
