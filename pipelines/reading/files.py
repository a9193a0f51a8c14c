"""A raw file's bytes, or a quarantined document saying why they cannot be used (a symlink out of
RAW_DIR, a file over MAX_DOCUMENT_MB)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pipelines.document import OUTSIDE, QUARANTINED, TOO_LARGE, ParsedDocument, empty_frames
from pipelines.reading import detect

MAX_DOCUMENT_BYTES = int(float(os.environ.get("MAX_DOCUMENT_MB", "50")) * 1024 * 1024)


def refused(path: Path, raw: bytes, reason: str, message: str) -> ParsedDocument:
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
            return None, refused(
                path, str(target).encode(), OUTSIDE, f"{path}: symlink to {target}, outside RAW_DIR {raw_dir}; refused"
            )
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
        return None, refused(
            path,
            head + str(size).encode(),
            TOO_LARGE,
            f"{path}: {size / 1e6:.0f} MB, over the {MAX_DOCUMENT_BYTES / 1e6:.0f} MB limit "
            "(MAX_DOCUMENT_MB); not read",
        )
    return path.read_bytes(), None
