"""Dagster definitions, one module per stage: ingest (parse, validate, land) and dbt."""
