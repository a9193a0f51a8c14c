"""Add every undocumented mart and analytics column to the dbt YAML, pointing at the column glossary.

Usage (after `make run`): .venv/bin/python -m pipelines.tools.document_columns
The glossary (dbt/models/_glossary.md) holds one description per column name; the YAML keeps the
model descriptions and tests written by hand. Review the diff before committing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from pipelines.operations.config import DBT_PROJECT_DIR, Settings

GLOSSARY = DBT_PROJECT_DIR / "models" / "_glossary.md"


def main() -> int:
    glossary = set(re.findall(r"{% docs col_(\w+) %}", GLOSSARY.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "WAREHOUSE_PATH": str(Settings.from_env().warehouse_path)}
        subprocess.run(
            [
                str(Path(sys.executable).parent / "dbt"),
                "docs",
                "generate",
                "--profiles-dir",
                ".",
                "--target-path",
                tmp,
                "-q",
            ],
            cwd=DBT_PROJECT_DIR,
            env=env,
            check=True,
        )
        catalog = json.loads(Path(tmp, "catalog.json").read_text())
        manifest = json.loads(Path(tmp, "manifest.json").read_text())
    columns = {
        n["name"]: list(catalog["nodes"].get(uid, {}).get("columns", {}))
        for uid, n in manifest["nodes"].items()
        if n["resource_type"] == "model"
    }
    missing_from_glossary = set()
    for path in (DBT_PROJECT_DIR / "models").rglob("_*.yml"):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        changed = False
        for model in spec.get("models", []):
            for existing in model.get("columns", []):
                name = existing["name"].lower()
                if not existing.get("description") and name in glossary:
                    existing["description"] = f"{{{{ doc('col_{name}') }}}}"
                    changed = True
            documented = {c["name"].lower() for c in model.get("columns", [])}
            for col in columns.get(model["name"], []):
                if col.lower() in documented:
                    continue
                if col.lower() not in glossary:
                    missing_from_glossary.add(col.lower())
                    continue
                ref = f"{{{{ doc('col_{col.lower()}') }}}}"
                model.setdefault("columns", []).append({"name": col, "description": ref})
                changed = True
        if changed:
            path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")
            print(f"updated {path}")
    if missing_from_glossary:
        print("add to the glossary:", sorted(missing_from_glossary))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
