"""dbt's artifacts on disk, kept bounded for a pipeline scheduled for years.

dagster-dbt gives each dbt command a folder of its own (compiled SQL, logs, run_results.json; 6-11 MB)
under the warehouse's target folder (pipelines/defs/dbt_project.py target_path), and never removes it: an
hourly schedule would keep about 70 GB a year. The last KEEP_RUNS builds' folders stay, to look into a
run after the fact. A warehouse's whole target folder under target/warehouses (its parse state and
folders) goes when no dbt command has used it for STALE_DAYS (a temporary warehouse of the benchmark or
of a test session); the default warehouse's is never removed.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

KEEP_RUNS = 10
STALE_DAYS = 30


def prune(invocation_dir: Path, keep: int = KEEP_RUNS, stale_days: float = STALE_DAYS) -> None:
    """After a dbt command whose folder is ``invocation_dir`` (``<target>/<op>-<run>-<id>``): the same op's
    folders beyond the ``keep`` newest, and other warehouses' target folders unused for ``stale_days``."""
    target, op = invocation_dir.parent, invocation_dir.name.split("-", 1)[0]
    others = sorted((p for p in target.glob(f"{op}-*-*") if p != invocation_dir), key=_mtime, reverse=True)
    for old in others[keep - 1 :]:  # this command's folder is one of the ``keep``
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
