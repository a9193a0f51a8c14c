"""Settings read from the environment, shared by every entry point (CLI, Dagster, dbt, tests).

RAW_DIR         folder of raw documents (default: the bundled ``data/raw``)
WAREHOUSE_PATH  DuckDB file the pipeline writes (default: ``warehouse/un.duckdb``)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse_path: Path

    @classmethod
    def from_env(cls) -> Settings:
        raw = Path(os.environ.get("RAW_DIR") or PROJECT_ROOT / "data" / "raw")
        wh = Path(os.environ.get("WAREHOUSE_PATH") or PROJECT_ROOT / "warehouse" / "un.duckdb")
        # Relative paths are relative to the project root, so dbt (which runs from dbt/) agrees.
        raw = raw if raw.is_absolute() else PROJECT_ROOT / raw
        wh = wh if wh.is_absolute() else PROJECT_ROOT / wh
        return cls(raw_dir=raw, warehouse_path=wh)

    def export_for_dbt(self) -> dict[str, str]:
        """Environment for a dbt subprocess: profiles.yml reads WAREHOUSE_PATH."""
        return {**os.environ, "WAREHOUSE_PATH": str(self.warehouse_path), "RAW_DIR": str(self.raw_dir)}
