"""Settings read from the environment, shared by every entry point (CLI, Dagster, dbt, tests, benchmark).

RAW_DIR              folder of raw documents (default: the bundled ``data/raw``)
WAREHOUSE_PATH       DuckDB file the pipeline writes (default: ``warehouse/un.duckdb``): the default backend
WAREHOUSE_CATALOG    a DuckLake catalog (``postgres:dbname=unwh host=/tmp port=5432 user=postgres``): when set,
                     with WAREHOUSE_DATA_PATH, every entry point uses the lake instead of the file
WAREHOUSE_DATA_PATH  where the lake's Parquet files go (a folder here; object storage in production)
WAREHOUSE_WRITERS    documents landed in parallel (processes): always 1 on the file, default 2 on the lake
PIPELINE_WORKERS     processes that parse and validate documents on the file, which one writer lands
                     (default: the machine's cores, at most 4; 1 parses and validates in the writer)
PUBLISHED_PATH       the published copy of the file (default: ``warehouse/published/<name>``)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "un.duckdb"


def catalog_name(path: str | Path) -> str:
    """The catalog DuckDB names a file after when it opens it: the file name up to its first dot, leading
    dots aside (``un`` for un.duckdb). dbt builds the file under this name (dbt/profiles.yml reads it the same way)."""
    return os.path.basename(str(path)).lstrip(".").split(".")[0]


def _path(value: str | None, default: Path) -> Path:
    # Relative paths are relative to the project root, so dbt (which runs from dbt/) agrees.
    path = Path(value) if value else default
    return path if path.is_absolute() else PROJECT_ROOT / path


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse_path: Path
    warehouse_catalog: str | None = None
    warehouse_data_path: Path | None = None
    writers: int = 1
    workers: int = 1

    @classmethod
    def from_env(cls) -> Settings:
        catalog = os.environ.get("WAREHOUSE_CATALOG") or None
        data = os.environ.get("WAREHOUSE_DATA_PATH") or None
        if bool(catalog) != bool(data):
            raise ValueError(
                "the lake needs both WAREHOUSE_CATALOG and WAREHOUSE_DATA_PATH (see `make lake-up`); "
                f"got only {'WAREHOUSE_CATALOG' if catalog else 'WAREHOUSE_DATA_PATH'}"
            )
        writers = int(os.environ.get("WAREHOUSE_WRITERS") or (2 if catalog else 1))
        return cls(
            raw_dir=_path(os.environ.get("RAW_DIR"), PROJECT_ROOT / "data" / "raw"),
            warehouse_path=_path(os.environ.get("WAREHOUSE_PATH"), DEFAULT_WAREHOUSE),
            warehouse_catalog=catalog,
            warehouse_data_path=_path(data, PROJECT_ROOT) if data else None,
            writers=max(1, writers) if catalog else 1,
            workers=max(1, int(os.environ.get("PIPELINE_WORKERS") or min(os.cpu_count() or 1, 4))),
        )

    @property
    def lake(self) -> bool:
        return self.warehouse_catalog is not None

    @property
    def backend(self) -> str:
        return "lake" if self.lake else "file"

    @property
    def local_dir(self) -> Path:
        """Where this backend keeps its local files: locks, run state, the report and the export."""
        return self.warehouse_data_path if self.lake else self.warehouse_path.parent

    @property
    def lock_path(self) -> Path:
        """The lock a writer of the file takes (and, on the lake, the dbt build and publish step)."""
        return self.local_dir / ".build" if self.lake else self.warehouse_path

    def describe(self) -> str:
        if self.lake:
            return f"WAREHOUSE_CATALOG={self.warehouse_catalog}\nWAREHOUSE_DATA_PATH={self.warehouse_data_path}"
        return f"WAREHOUSE_PATH={self.warehouse_path}"

    def dbt_env(self) -> dict[str, str]:
        """Environment for dbt: profiles.yml and its plugin read these (the lake when WAREHOUSE_CATALOG is set)."""
        env = {"WAREHOUSE_PATH": str(self.warehouse_path), "RAW_DIR": str(self.raw_dir)}
        if self.lake:
            env |= {"WAREHOUSE_CATALOG": self.warehouse_catalog, "WAREHOUSE_DATA_PATH": str(self.warehouse_data_path)}
        return env


def set_dagster_pools(settings: Settings) -> dict[str, int]:
    """The instance's pool limits from the configuration (DAGSTER_HOME): writers 1 on the file, N on the lake."""
    import dagster as dg

    limits = {"duckdb_writer": settings.writers, "warehouse_build": 1}
    with dg.DagsterInstance.get() as instance:
        for pool, limit in limits.items():
            instance.event_log_storage.set_concurrency_slots(pool, limit)
    return limits


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["pools"]:
        print(f"Dagster pool limits: {set_dagster_pools(Settings.from_env())}")
