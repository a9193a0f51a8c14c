"""The dbt CLI resource, without two start-up costs dagster-dbt pays before every dbt command."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from dagster_dbt import DbtCliResource
from packaging import version


class WarehouseDbtCli(DbtCliResource):
    """``DbtCliResource`` as configured, minus two steps that do not change what dbt runs or reports:

    - the dbt version is that of the installed dbt-core (the ``dbt`` beside this interpreter), not the
      output of a ``dbt --version`` subprocess, a second dbt start-up (~1.5 s);
    - no dbt adapter is opened in this process: dagster-dbt uses it only for ``fetch_column_metadata``
      and ``fetch_row_counts``, which the warehouse asset does not call (~2.5 s to load the profile,
      project and macros).

    Both override private methods of dagster-dbt 0.29 (pinned ``<0.30`` in pyproject.toml); another
    executable (the Fusion engine, ``dbtf``) keeps dagster-dbt's own behaviour.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        if self.dbt_executable != "dbt":
            return super()._cli_version
        from dbt.version import __version__

        return version.parse(__version__)

    def _initialize_dbt_core_adapter(self, args: Sequence[str]):
        return None if self.dbt_executable == "dbt" else super()._initialize_dbt_core_adapter(args)
