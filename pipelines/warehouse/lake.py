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
import os
import threading
import time
from pathlib import Path

import duckdb

from pipelines.operations.config import Settings

EXTENSIONS = {"ducklake": "duckdb_extension_ducklake", "postgres_scanner": "duckdb_extension_postgres_scanner"}
WORK_METADATA_SCHEMA = "unwh_work"
WORK, PUBLISHED = "lake", "published"  # the aliases the two lake catalogs are attached under
# No data inlining (DuckLake's default keeps a table's rows in the catalog up to 10 rows): on PostgreSQL each
# inlined table version is a PostgreSQL table of its own (219 after two runs of the bundled documents), scanned
# by every query that reads the table. Small Parquet files instead (a first lake run 47.9 to 43.1 s of CPU, the
# repair rerun 33.8 to 26.3 s). dbt attaches the lake through ``attach`` too (pipelines/warehouse/dbt_plugin.py).
INLINING = {"DATA_INLINING_ROW_LIMIT": "0"}


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


def load_extensions(con: duckdb.DuckDBPyConnection, names=tuple(EXTENSIONS)) -> None:
    for name in names:
        con.execute(f"LOAD '{extension_path(name)}'")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def attach_options(settings: Settings, published: bool) -> dict[str, str]:
    data = settings.warehouse_data_path / ("published" if published else "work")
    options = {"DATA_PATH": str(data) + "/", **INLINING}
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


# One in-memory DuckDB per process and lake: loading the two extensions verifies their signatures (~0.2 s of
# CPU for 78 MB of binaries), which a run paid at each of its ~14 lake connections. A connection is now a
# cursor of this instance: the loaded extensions and the ATTACHed catalogs belong to the instance, while
# each cursor has its own transactions and its own USE. Keyed by process id too: a child never uses its
# parent's instance (the writers are spawned, but a forked child would inherit the dict).
# The advisory locks have an instance of their own, with one thread (``postgres_cursor``).
_instances: dict[tuple, tuple[duckdb.DuckDBPyConnection, set[str]]] = {}
_instances_lock = threading.Lock()


def _instance(settings: Settings, locks: bool = False) -> tuple[duckdb.DuckDBPyConnection, set[str]]:
    key = (os.getpid(), settings.warehouse_catalog, str(settings.warehouse_data_path), locks)
    with _instances_lock:
        if key not in _instances:
            db = duckdb.connect(config={**secure_config(), **({"threads": 1} if locks else {})})
            load_extensions(db, ("postgres_scanner",) if locks else tuple(EXTENSIONS))
            _instances[key] = (db, set())
        return _instances[key]


def attached(settings: Settings, published: bool = False, read_only: bool = False) -> str:
    """The alias under which this process's instance has the working or the published lake attached (a
    read-only attachment of its own for read-only use)."""
    db, done = _instance(settings)
    alias = (PUBLISHED if published else WORK) + ("_ro" if read_only else "")
    with _instances_lock:
        if alias not in done:
            attach(db, settings, published=published, alias=alias, read_only=read_only)
            done.add(alias)
    return alias


def cursor(settings: Settings, published: bool = False, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the working or the published lake, under its plain schema names (``USE``)."""
    alias = attached(settings, published=published, read_only=read_only)
    con = _instance(settings)[0].cursor()
    con.execute(f"USE {alias}")
    return con


def postgres_cursor(settings: Settings, dsn: str, alias: str = "unwh_locks") -> duckdb.DuckDBPyConnection:
    """A connection with the lake's PostgreSQL database attached as ``alias``, for its advisory locks: from
    an instance of one thread. A lock that must wait blocks in PostgreSQL's client until it is granted. On
    an instance with worker threads, a worker ran that wait while the calling thread polled DuckDB's task
    queue without pause: a run waiting 10 s for another run's build spent 10 s of CPU doing so."""
    db, attached = _instance(settings, locks=True)
    with _instances_lock:
        if alias not in attached:
            db.execute(f"ATTACH {_quote(dsn)} AS {alias} (TYPE postgres)")
            attached.add(alias)
    return db.cursor()
