"""The dbt project as Dagster sees it, with its manifest prepared without manual steps."""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from pathlib import Path

from dagster._utils import run_with_concurrent_update_guard
from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import DagsterDbtProjectPreparer

from pipelines.defs.dbt_cli import WarehouseDbtCli
from pipelines.operations.config import DBT_PROJECT_DIR, DEFAULT_WAREHOUSE, Settings, catalog_name

PARSE_WAIT_SECONDS = 900  # as long as a writer waits for the warehouse (pipelines/operations/lock.py)


def target_path(settings: Settings) -> Path:
    """dbt's target folder (relative to dbt/), whose parse state every warehouse of the same name shares.

    dbt keys its parse state on the profile's connection fields. The profile no longer holds where the
    warehouse is (dbt/profiles.yml; the plugin attaches it), only the catalog dbt builds in: ``un`` for
    every ``un.duckdb`` (the default, the test suite's and the benchmark's warehouses), whose state is
    ``target``; a file of another name, or the lake, has a state of its own under ``target/warehouses``
    (the catalog's name is in every relation dbt compiles)."""
    if settings.lake:
        return Path("target") / "warehouses" / "lake"
    name = catalog_name(settings.warehouse_path)
    return (
        Path("target") if name == catalog_name(DEFAULT_WAREHOUSE) else Path("target") / "warehouses" / f"{name}.duckdb"
    )


# dbt reads the backend from the environment (dbt/profiles.yml: the file, or the lake target); every
# entry point that imports this module therefore agrees with pipelines.operations.config on where the warehouse is.
# dagster-dbt takes its parse state from, and puts each command's folder under, DBT_TARGET_PATH.
_settings = Settings.from_env()
os.environ.update(_settings.dbt_env(), DBT_TARGET_PATH=str(target_path(_settings)))
# The dbt executable sits beside this interpreter (.venv/bin), also when the venv is not activated.
_bin = str(Path(sys.executable).parent)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")


def macros_digest() -> str:
    """Digest of dbt/macros: the incremental marts rebuild every document when a macro changes (macros have no
    checksum in dbt's graph; models and seeds do, see dbt/macros/incremental_by_document.sql)."""
    digest = hashlib.sha256()
    for path in sorted((DBT_PROJECT_DIR / "macros").rglob("*.sql")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


os.environ["UNWH_DBT_MACROS_SHA"] = macros_digest()
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=target_path(_settings))


def _inputs_newer_than(manifest: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    watched = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for sub in ("models", "macros", "seeds", "tests"):
        watched += list((DBT_PROJECT_DIR / sub).rglob("*"))
    return any(p.is_file() and p.stat().st_mtime > built for p in watched)


class WarehousePreparer(DagsterDbtProjectPreparer):
    """dagster-dbt's preparer (``dbt parse``) run through this project's dbt resource: without it a cold
    run paid the ``dbt --version`` subprocess and the in-process adapter that ``WarehouseDbtCli`` leaves
    out (~3.6 s). The seeds parsed here keep their checksums (see ``_keep_parsed_seeds``)."""

    def prepare(self, project: DbtProject) -> None:
        if any(project.project_dir.joinpath(name).exists() for name in ("dependencies.yml", "packages.yml")):
            return super().prepare(project)  # dbt deps first: this project has no packages
        # dagster-dbt's guard: one ``dbt parse`` at a time per target folder, which every un.duckdb shares (a
        # file lock beside the manifest; who waited finds the manifest newer and parses nothing). Its 60 s
        # are too short for four first runs at once on a loaded machine (the test suite's).
        run_with_concurrent_update_guard(
            project.manifest_path, self._prepare_manifest, guard_timeout_seconds=PARSE_WAIT_SECONDS, project=project
        )

    def _prepare_manifest(self, project: DbtProject) -> None:
        WarehouseDbtCli(project_dir=project).cli(self._prepare_project_cli_args, target_path=project.target_path).wait()
        self._invalidate_seeds_in_partial_parse(project)
        _keep_parsed_seeds(project.manifest_path.with_name("partial_parse.msgpack"))


_preparing: threading.Thread | None = None
_prepare_error: list[BaseException] = []


def _prepare() -> None:
    if _inputs_newer_than(dbt_project.manifest_path):
        WarehousePreparer().prepare(dbt_project)


def prepare_in_background() -> bool:
    """Start ``dbt parse`` in a thread when the manifest is stale (a fresh clone, a changed model); True if
    started. The thread waits on the dbt subprocess, so a cold run's registry scan and Great Expectations
    import use the other core meanwhile; ``ensure_manifest`` joins it before the manifest is read."""
    global _preparing
    if _preparing is not None or not _inputs_newer_than(dbt_project.manifest_path):
        return False
    import dbt.version  # noqa: F401  (imported here: the thread itself imports nothing)

    def run() -> None:
        try:
            _prepare()
        except BaseException as exc:  # re-raised by ensure_manifest, in the run's own thread
            _prepare_error.append(exc)

    _preparing = threading.Thread(target=run, name="dbt-parse", daemon=True)
    _preparing.start()
    return True


def ensure_manifest() -> Path:
    """The manifest, after ``dbt parse`` when it is missing or older than the project's files."""
    global _preparing
    if _preparing is not None:
        _preparing.join()
        _preparing = None
        if _prepare_error:
            raise _prepare_error.pop()
    _prepare()
    return dbt_project.manifest_path


def _keep_parsed_seeds(partial_parse: Path) -> None:
    """Give the seed files their checksums back in dbt's partial-parse state.

    dagster-dbt's preparer overwrites them with a sentinel so that a state built in another directory
    re-parses its seeds (their root_path is absolute). Every dbt command copies this state, so each run
    re-parsed all 21 seeds. A seed parsed in this very project directory keeps the checksum of its
    node (the file's content hash); any other seed keeps the sentinel and is re-parsed as before.
    """
    import msgpack

    if not partial_parse.exists():
        return
    state = msgpack.unpackb(partial_parse.read_bytes(), raw=False, strict_map_key=False)
    nodes = state.get("nodes", {})
    for entry in state.get("files", {}).values():
        seeds = [nodes.get(unique_id, {}) for unique_id in entry.get("nodes", [])]
        if entry.get("parse_file_type") == "seed" and len(seeds) == 1:
            here = seeds[0].get("root_path") == str(DBT_PROJECT_DIR) == entry["path"].get("project_root")
            if here and seeds[0].get("checksum", {}).get("name") == "sha256":
                entry["checksum"] = seeds[0]["checksum"]
    partial_parse.write_bytes(msgpack.packb(state))
