"""The dbt project as Dagster sees it, with its manifest prepared without manual steps."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from pipelines.operations.config import DBT_PROJECT_DIR, Settings

# dbt reads the backend from the environment (dbt/profiles.yml: the file, or the lake target); every
# entry point that imports this module therefore agrees with pipelines.operations.config on where the warehouse is.
os.environ.update(Settings.from_env().dbt_env())
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
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _inputs_newer_than(manifest: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    watched = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for sub in ("models", "macros", "seeds", "tests"):
        watched += list((DBT_PROJECT_DIR / sub).rglob("*"))
    return any(p.is_file() and p.stat().st_mtime > built for p in watched)


def ensure_manifest() -> Path:
    """Run ``dbt parse`` when the manifest is missing or older than the project's files."""
    if _inputs_newer_than(dbt_project.manifest_path):
        dbt_project.preparer.prepare(dbt_project)
    return dbt_project.manifest_path
