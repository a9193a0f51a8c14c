"""The dbt staging YAML and the analytics contracts' column types follow from the frame schemas.

The fact and diagnostic columns are declared once, in the frame schemas (pipelines/frames.py: FACT_SCHEMA and
the others; the registry and ingest log beside them). This module writes dbt/models/staging/_staging.yml from
them (one staging model per raw table: every column with its type; the staging SQL casts to these types, see
dbt/macros/staged.sql) and checks that a column of an analytics view that carries a frame column keeps its type.

Usage:  .venv/bin/python -m pipelines.tools.dbt_schemas           write _staging.yml
        .venv/bin/python -m pipelines.tools.dbt_schemas --check   exit 1, naming each difference (tests call check())
        .venv/bin/python -m pipelines.tools.dbt_schemas --analytics WAREHOUSE
            give every analytics column without a data_type the type it has in a built warehouse, and every
            analytics view an enforced contract (then --check compares the frame columns with their frames)
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import yaml

from pipelines.landing import TABLES
from pipelines.operations.config import DBT_PROJECT_DIR

STAGING_YML = DBT_PROJECT_DIR / "models" / "staging" / "_staging.yml"
ANALYTICS_YML = DBT_PROJECT_DIR / "models" / "analytics" / "_analytics.yml"
HEADER = (
    "# Generated from the frame schemas by `python -m pipelines.tools.dbt_schemas`; do not edit by hand\n"
    "# (tests/test_dbt_schemas.py fails when this file and the frames differ).\n"
)
DUCKDB_TYPES = {
    pl.Utf8: "varchar",
    pl.Int32: "integer",
    pl.Int64: "bigint",
    pl.Float64: "double",
    pl.Boolean: "boolean",
    pl.Date: "date",
}
# Analytics views whose columns come from a frame (renamed columns are not compared: their type is the mart's).
ANALYTICS_FRAMES = {
    "analytics_resources": "resources",
    "analytics_posts": "posts",
    "analytics_resource_changes": "resources",
    "analytics_post_count_changes": "posts",
    "analytics_kpis": "kpis",
    "analytics_dq_findings": "dq_findings",
    "analytics_documents": "ingest_log",
}


def duckdb_type(dtype: pl.DataType) -> str:
    for polars_type, sql in DUCKDB_TYPES.items():
        if dtype == polars_type:
            return sql
    raise ValueError(f"no DuckDB type for the frame type {dtype}; add it to DUCKDB_TYPES")


def staging_models() -> dict:
    """One staging model per raw table, its columns typed as the frame declares them."""
    models = []
    for table, schema in TABLES.items():
        models.append(
            {
                "name": f"stg_{table}",
                "description": f"raw.{table} as landed, each column cast to its frame type.",
                "config": {"contract": {"enforced": True}},
                "columns": [{"name": c, "data_type": duckdb_type(t)} for c, t in schema.items()],
            }
        )
    return {"version": 2, "models": models}


def render_staging() -> str:
    return HEADER + yaml.safe_dump(staging_models(), sort_keys=False, allow_unicode=True, width=120)


def analytics_drift(path: Path = ANALYTICS_YML) -> list[str]:
    """Analytics columns whose contract type differs from their frame's, and views without an enforced contract."""
    problems = []
    for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]:
        name = model["name"]
        if not model.get("config", {}).get("contract", {}).get("enforced"):
            problems.append(f"{path.name}: {name} has no enforced contract")
        frame = TABLES.get(ANALYTICS_FRAMES.get(name, ""), {})
        for column in model.get("columns", []):
            declared = column.get("data_type")
            if not declared:
                problems.append(f"{path.name}: {name}.{column['name']} has no data_type")
            elif column["name"] in frame and declared.lower() != duckdb_type(frame[column["name"]]):
                problems.append(
                    f"{path.name}: {name}.{column['name']} is {declared}, its frame says "
                    f"{duckdb_type(frame[column['name']])}"
                )
    return problems


def check() -> list[str]:
    """Every difference between the dbt YAML and the frame schemas (empty when they agree)."""
    problems = []
    if not STAGING_YML.exists() or STAGING_YML.read_text(encoding="utf-8") != render_staging():
        problems.append(
            f"{STAGING_YML.relative_to(DBT_PROJECT_DIR.parent)} differs from the frame schemas: "
            "run python -m pipelines.tools.dbt_schemas"
        )
    return problems + analytics_drift()


def type_analytics(warehouse: Path, path: Path = ANALYTICS_YML) -> int:
    """Insert the missing data_type lines and contracts into the analytics YAML, leaving the rest as written."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT table_name, column_name, lower(data_type) FROM information_schema.columns "
            "WHERE table_schema = 'analytics'"
        ).fetchall()
    types = {(f"analytics_{table}", column): sql for table, column, sql in rows}
    out, model, added = [], None, 0
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        out.append(line)
        if line.startswith("- name: "):
            model = line.split(": ", 1)[1].strip()
            if not any(ln.startswith("  config:") for ln in _model_lines(lines, i)):
                out += ["  config:", "    contract:", "      enforced: true"]
        elif line.startswith("  - name: ") and (model, line.split(": ", 1)[1].strip()) in types:
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if not following.startswith("    data_type:"):
                out.append(f"    data_type: {types[(model, line.split(': ', 1)[1].strip())]}")
                added += 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return added


def _model_lines(lines: list[str], start: int) -> list[str]:
    end = next((j for j in range(start + 1, len(lines)) if lines[j].startswith("- name: ")), len(lines))
    return lines[start + 1 : end]


def main(argv: list[str]) -> int:
    if "--analytics" in argv:
        added = type_analytics(Path(argv[argv.index("--analytics") + 1]))
        print(f"{ANALYTICS_YML}: {added} data types added")
        return 0
    if "--check" in argv:
        problems = check()
        for p in problems:
            print(p)
        return 1 if problems else 0
    STAGING_YML.write_text(render_staging(), encoding="utf-8")
    print(f"wrote {STAGING_YML}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
