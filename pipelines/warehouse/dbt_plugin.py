"""dbt-duckdb plugin for both targets (dbt/profiles.yml): attaches the warehouse that the environment names
when dbt connects, so that the profile does not hold where the warehouse is.

dbt keys its parse state on the profile's connection fields; with the warehouse's path (or the lake's
catalog) in the profile, every new warehouse re-parsed the whole project (~5.5 s of CPU). The profile
connects to ``:memory:`` and names the database only; this plugin ATTACHes the file (WAREHOUSE_PATH) or the
lake (WAREHOUSE_CATALOG, WAREHOUSE_DATA_PATH) under that name before dbt-duckdb runs the profile's own
``ATTACH IF NOT EXISTS`` of the same alias (a no-op then); the file's catalog is each connection's default
one, as when the file is opened directly. For the lake it first loads the signed DuckLake and PostgreSQL
extensions from the installed packages (never INSTALL, never a download; see pipelines/warehouse/lake.py).
"""

from __future__ import annotations

import os
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from pipelines.operations.config import Settings, catalog_name
from pipelines.warehouse.lake import WORK, attach, load_extensions, secure_config

DEFAULT_PATH = "../warehouse/un.duckdb"  # dbt run by hand in dbt/ (README): the default warehouse


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.lake = bool(os.environ.get("WAREHOUSE_CATALOG"))
        self.path = os.environ.get("WAREHOUSE_PATH") or DEFAULT_PATH
        database = self.creds.database
        if not self.lake and database != catalog_name(self.path):  # the profile names it from the same variable
            raise RuntimeError(f"dbt's database {database!r} is not the catalog of WAREHOUSE_PATH={self.path}")

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        if self.lake:
            config.update(secure_config())

    def configure_connection(self, conn) -> None:
        if self.lake:
            load_extensions(conn)
            attach(conn, Settings.from_env(), published=False, alias=WORK)
        else:
            path = self.path.replace("'", "''")
            conn.execute(f"ATTACH IF NOT EXISTS '{path}' AS \"{self.creds.database}\"")
            self.configure_cursor(conn)

    def configure_cursor(self, cursor) -> None:
        # The file's catalog is the default one, as when dbt opened the file itself (each dbt thread's cursor
        # starts on memory). The lake target never had a default catalog of its own: it stays on memory.
        if not self.lake:
            cursor.execute(f'USE "{self.creds.database}"')
