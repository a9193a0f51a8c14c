"""The files of RAW_DIR, and what the last run's registry cache says about them, with the standard
library only: a rerun can tell that nothing changed without importing Polars, Dagster, dbt or
Great Expectations.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple


class CachedFile(NamedTuple):
    source_path: str
    document_id: str


def discover(raw_dir: Path) -> list[Path]:
    """Files under RAW_DIR (symlinks included, to be checked), in a stable order; hidden files are ignored."""
    return sorted(
        p
        for p in raw_dir.rglob("*")
        if (p.is_file() or p.is_symlink()) and not any(part.startswith(".") for part in p.relative_to(raw_dir).parts)
    )


def unchanged_files(raw_dir: Path, cache_path: Path) -> list[CachedFile] | None:
    """Every file of RAW_DIR with the document id the cache gave it, when the cache holds exactly these
    files with the same size and modification time; None as soon as one differs (a new, removed, changed
    or symlinked file), so that the caller identifies the files again from their content."""
    if not cache_path.exists():
        return None
    try:
        cache = json.loads(cache_path.read_text())
    except (OSError, ValueError):
        return None
    paths = discover(raw_dir)
    if len(paths) != len(cache):
        return None
    out = []
    for path in paths:
        hit = cache.get(str(path))
        if hit is None or path.is_symlink():  # a symlink is always re-checked (its target may have moved)
            return None
        stat = path.stat()
        if (hit.get("size_bytes"), hit.get("mtime_ns")) != (stat.st_size, stat.st_mtime_ns):
            return None
        out.append(CachedFile(str(path), hit["document_id"]))
    return out
