"""dbt's artifacts on disk, kept bounded for a pipeline scheduled for years.

dagster-dbt gives each dbt command a folder of its own (compiled SQL, logs, run_results.json; 6-11 MB)
under the target folder (pipelines/defs/dbt_project.py target_path), and never removes it: an hourly
schedule would keep about 70 GB a year. The last KEEP_RUNS builds' folders stay, to look into a run after
the fact. A whole target folder under target/warehouses (its parse state and folders: a file not named
un.duckdb, the lake, or one warehouse's folder from before the warehouses shared one parse state) goes when
no dbt command has used it for STALE_DAYS; dbt's own ``target`` (every un.duckdb's) is never removed.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

KEEP_RUNS = 10
STALE_DAYS = 30
# Every un.duckdb builds in dbt's own target (one parse state), so the folders there are also those of other
# warehouses' builds, some still running (the test suite runs four at once): none younger than this goes.
BUSY_SECONDS = 3600


def prune(invocation_dir: Path, keep: int = KEEP_RUNS, stale_days: float = STALE_DAYS) -> None:
    """After a dbt command whose folder is ``invocation_dir`` (``<target>/<op>-<run>-<id>``): the same op's
    folders beyond the ``keep`` newest but those of the last hour, and the other target folders unused for
    ``stale_days``."""
    target, op = invocation_dir.parent, invocation_dir.name.split("-", 1)[0]
    others = sorted((p for p in target.glob(f"{op}-*-*") if p != invocation_dir), key=_mtime, reverse=True)
    busy = time.time() - BUSY_SECONDS
    for old in others[keep - 1 :]:  # this command's folder is one of the ``keep``
        if _mtime(old) < busy:
            shutil.rmtree(old, ignore_errors=True)  # another process may prune it at the same time
    warehouses = target.parent if target.parent.name == "warehouses" else target / "warehouses"
    cutoff = time.time() - stale_days * 86400
    for folder in warehouses.glob("*"):
        if folder != target and folder.is_dir() and _mtime(folder) < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # removed meanwhile by another run's prune
        return 0.0
