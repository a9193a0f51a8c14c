"""The published copy of the warehouse that analysts and BI tools read.

The pipeline writes WAREHOUSE_PATH; after a run whose blocking checks passed, the file is copied next
to itself and renamed over the published copy (PUBLISHED_PATH, default warehouse/published/un.duckdb).
The rename is atomic: a reader sees the old copy or the new one, never a mix, and a reader holding the
old copy open keeps reading it (the rename does not touch its inode). Readers never block the pipeline.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def published_path(warehouse: Path) -> Path:
    env = os.environ.get("PUBLISHED_PATH")
    return Path(env) if env else warehouse.parent / "published" / warehouse.name


def publish(warehouse: Path) -> Path:
    target = published_path(warehouse)
    target.parent.mkdir(parents=True, exist_ok=True)
    # fold the write-ahead log into the file first, so the copy is complete on its own
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(warehouse, tmp)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target
