"""A fingerprint of everything that decides what a document parses and validates into.

A document already landed with the same content and the same pipeline version is not parsed again;
changing a parser, a suite or a vocabulary seed changes the version and re-parses everything.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from pipelines.operations.config import EXPECTATIONS_DIR, PROJECT_ROOT, SEEDS_DIR

_SOURCES = [
    PROJECT_ROOT / "pipelines" / "parsing",
    PROJECT_ROOT / "pipelines" / "validation",
    PROJECT_ROOT / "pipelines" / "reading",
    PROJECT_ROOT / "pipelines" / "document.py",
    PROJECT_ROOT / "pipelines" / "frames.py",
    EXPECTATIONS_DIR,
    SEEDS_DIR,
]


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    digest = hashlib.sha256()
    for root in _SOURCES:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".csv", ".json"):
                digest.update(str(f.relative_to(PROJECT_ROOT)).encode())
                digest.update(f.read_bytes())
            elif not f.exists():  # a renamed source must not silently drop out of the fingerprint
                raise FileNotFoundError(f"pipeline_version: {f} is listed in _SOURCES but missing")
    return digest.hexdigest()[:12]
