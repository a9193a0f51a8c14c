"""dbt-duckdb plugin for the lake target (dbt/profiles.yml): loads the signed DuckLake and PostgreSQL
extensions from the installed packages before dbt-duckdb attaches the lake (never INSTALL, never a
download, unsigned extensions disallowed; see pipelines/warehouse/lake.py)."""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from pipelines.warehouse.lake import load_extensions, secure_config


class Plugin(BasePlugin):
    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        config.update(secure_config())

    def configure_connection(self, conn) -> None:
        load_extensions(conn)
