"""DuckLake without a network: the official signed extension binaries from installed packages.

DuckDB's ``ducklake`` and ``postgres_scanner`` extensions come from the packages
``duckdb-extension-ducklake`` and ``duckdb-extension-postgres-scanner`` (pinned with duckdb in
pyproject.toml: an extension loads only into the DuckDB version it was built for). They are loaded
from the installed files with ``LOAD '<path>'``; nothing is ever INSTALLed or downloaded, autoloading
is off, and unsigned extensions stay disallowed, so DuckDB itself verifies that each file is its own
signed build and refuses any other.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import duckdb

from pipelines.operations.config import Settings

EXTENSIONS = {"ducklake": "duckdb_extension_ducklake", "postgres_scanner": "duckdb_extension_postgres_scanner"}
WORK_METADATA_SCHEMA = "unwh_work"


def secure_config() -> dict:
    return {
        "allow_unsigned_extensions": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }


def extension_path(name: str) -> Path:
    """The installed binary of ``name`` for the running DuckDB version; a clear error if it is missing."""
    spec = importlib.util.find_spec(EXTENSIONS[name])
    version = f"v{duckdb.__version__}"
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {name} extension package {EXTENSIONS[name]} is not installed: run `make install`")
    path = Path(spec.submodule_search_locations[0]) / "extensions" / version / f"{name}.duckdb_extension"
    if not path.exists():
        raise RuntimeError(
            f"{EXTENSIONS[name]} has no binary for DuckDB {version} ({path}); the duckdb pin and "
            "the extension packages in pyproject.toml must name the same version"
        )
    return path


def load_extensions(con: duckdb.DuckDBPyConnection) -> None:
    for name in EXTENSIONS:
        con.execute(f"LOAD '{extension_path(name)}'")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def attach_options(settings: Settings, published: bool) -> dict[str, str]:
    data = settings.warehouse_data_path / ("published" if published else "work")
    options = {"DATA_PATH": str(data) + "/"}
    if not published:
        options["METADATA_SCHEMA"] = WORK_METADATA_SCHEMA
    return options


def attach_sql(settings: Settings, published: bool, alias: str, read_only: bool = False) -> str:
    options = [f"{k} {_quote(v)}" for k, v in attach_options(settings, published).items()]
    if read_only:
        options.append("READ_ONLY")
    return f"ATTACH IF NOT EXISTS {_quote('ducklake:' + settings.warehouse_catalog)} AS {alias} ({', '.join(options)})"


def attach(
    con: duckdb.DuckDBPyConnection, settings: Settings, published: bool, alias: str, read_only: bool = False
) -> None:
    """ATTACH the working or the published lake. The first ATTACH of a catalog creates its metadata schema
    and tables; PostgreSQL's ``CREATE ... IF NOT EXISTS`` is not safe against a concurrent one, so of two
    runs started at once on a new lake one failed ("duplicate key value violates unique constraint"). It
    attaches again, and finds the catalog the other created."""
    for attempt in range(1, 6):
        try:
            con.execute(attach_sql(settings, published, alias, read_only))
            return
        except duckdb.Error as exc:
            text = str(exc)
            racing = "Failed to initialize DuckLake" in text and ("duplicate key" in text or "already exists" in text)
            if not racing or attempt == 5:
                raise
            time.sleep(0.1 * attempt)
