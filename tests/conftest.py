from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.document import ParsedDocument
from pipelines.parsing.dispatch import parse_file

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
FASCICLE = RAW / "002_76b708e149a256cd.txt"
REPORT_2022 = RAW / "001_b234d91e145fc020.txt"
HIGHLIGHTS_2023 = RAW / "000_96f0efd4942c3e09.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def fascicle() -> ParsedDocument:
    return parse_file(FASCICLE)


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """`unwh run` on the bundled documents into a temporary warehouse, once per test session."""
    wh = tmp_path_factory.mktemp("warehouse") / "un.duckdb"
    env = {**os.environ, "RAW_DIR": str(RAW), "WAREHOUSE_PATH": str(wh)}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "unwh"), "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "RESULT: OK" in result.stdout and "=== unwh run summary ===" in result.stdout
    return wh


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the lake tests (Debian's server, started as a non-root user)."""
    import shutil
    import tempfile

    from pipelines.warehouse import pgcluster

    try:
        pgcluster.bin_dir()
    except pgcluster.PostgresMissing as exc:
        pytest.skip(f"lake tests need PostgreSQL: {exc}")
    folder = Path(tempfile.mkdtemp(prefix="unwh-test-pg-"))
    cluster = pgcluster.up(folder)
    try:
        yield cluster
    finally:
        pgcluster.down(folder)
        shutil.rmtree(folder, ignore_errors=True)
