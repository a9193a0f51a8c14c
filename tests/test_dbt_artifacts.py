"""dbt's per-command folders and other warehouses' target folders are pruned after a build
(pipelines/defs/dbt_artifacts.py), so a scheduled pipeline's disk use does not grow with its runs."""

from __future__ import annotations

import os
import time

import pytest

from pipelines.defs import dbt_artifacts

DAY = 86400


def folder(path, age_days: float):
    path.mkdir(parents=True)
    (path / "run_results.json").write_text("{}")
    stamp = time.time() - age_days * DAY
    os.utime(path, (stamp, stamp))
    return path


@pytest.mark.parametrize("layout", ["default", "lake"])
def test_the_newest_runs_stay_and_unused_warehouses_go(tmp_path, layout):
    root = tmp_path / "target"
    target = root if layout == "default" else root / "warehouses" / "lake"
    runs = [folder(target / f"warehouse_dbt_assets-{i:07d}-abcdef{i % 10}", age_days=i / 100) for i in range(13)]
    current = runs[-1]  # the command that just ran, older than others by its clock (it started first)
    other_op = folder(target / "other_op-0000000-abcdef0", age_days=1)
    stale = folder(root / "warehouses" / "old.duckdb", age_days=dbt_artifacts.STALE_DAYS + 1)
    recent = folder(root / "warehouses" / "wh.duckdb", age_days=dbt_artifacts.STALE_DAYS - 1)
    os.utime(target, (0, 0))  # the warehouse being built is never removed, whatever its time
    dbt_artifacts.prune(current, keep=10)
    left = sorted(p.name for p in target.glob("warehouse_dbt_assets-*"))
    assert left == sorted([r.name for r in runs[:9]] + [current.name])  # the 9 newest and the current one
    assert other_op.is_dir() and recent.is_dir() and target.is_dir()
    assert not stale.exists()


def test_the_folders_of_the_last_hour_stay_beyond_the_newest(tmp_path):
    """Every un.duckdb builds in dbt's own target: of four builds at once, one's folder may be beyond the newest
    ten when it ends while another still runs, and a build's folder goes only when it is an hour old."""
    target = tmp_path / "target"
    older = [folder(target / f"warehouse_dbt_assets-{i:07d}-abcdef0", age_days=0.05 + i / 100) for i in range(3)]
    recent = [folder(target / f"warehouse_dbt_assets-{i:07d}-abcdef1", age_days=0.04 - i / 1000) for i in range(12)]
    dbt_artifacts.prune(recent[-1], keep=10)
    assert not any(p.exists() for p in older)
    assert all(p.is_dir() for p in recent)
