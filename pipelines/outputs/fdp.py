"""The resource facts as a Fiscal Data Package: a CSV and a datapackage.json whose ``model`` maps
measures (currency USD, factor 1000, phase executed/approved/proposed) and dimensions (entity,
funding source, classification, fiscal year).

The descriptor keeps frictionless's default data-package profile (the fiscal profile would be
downloaded at validation time); the ``model`` is checked against fdp_model.schema.json, written from
the Fiscal Data Package specification and shipped with the project.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

MODEL_SCHEMA = Path(__file__).with_name("fdp_model.schema.json")
PHASES = {
    "executed": "amount_executed",
    "approved": "amount_approved",
    "adjusted": "amount_adjusted",  # A/80/400 revised estimate
    "proposed": "amount_proposed",
}

_QUERY = """
SELECT
    document_symbol, entity_code, entity_name_zh, entity_name_en,
    funding_source, funding_source_zh, funding_source_en,
    breakdown AS classification_type, line_item_code AS classification_code,
    line_item_zh AS classification_zh, line_item_en AS classification_en, is_total,
    fiscal_year,
    {measures},
    source_table, source_line
FROM analytics.resources
WHERE value_status <> 'blank'
ORDER BY document_symbol, source_table, source_line, funding_source, fiscal_year
"""


def _fields() -> list[dict]:
    text = [
        "document_symbol",
        "entity_code",
        "entity_name_zh",
        "entity_name_en",
        "funding_source",
        "funding_source_zh",
        "funding_source_en",
        "classification_type",
        "classification_code",
        "classification_zh",
        "classification_en",
    ]
    fields = [{"name": n, "type": "string"} for n in text]
    fields += [{"name": "is_total", "type": "boolean"}, {"name": "fiscal_year", "type": "year"}]
    fields += [
        {"name": col, "type": "number", "description": f"{phase} amount, thousands of US dollars"}
        for phase, col in PHASES.items()
    ]
    fields += [{"name": "source_table", "type": "string"}, {"name": "source_line", "type": "integer"}]
    return fields


def descriptor() -> dict:
    return {
        "name": "un-budget-resources",
        "title": "UN programme budget: financial resources (thousands of US$)",
        "description": "Every money amount printed in the budget fascicles, by entity, funding source and "
        "classification, with one measure per budget phase.",
        "licenses": [{"name": "other-at", "title": "United Nations documents, see un.org/en/about-us/terms-of-use"}],
        "resources": [
            {
                "name": "resources",
                "path": "resources.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {"fields": _fields()},
            }
        ],
        "model": {
            "measures": {
                col: {
                    "source": col,
                    "currency": "USD",
                    "factor": 1000,
                    "direction": "expenditure",
                    "phase": phase,
                    "title": f"Amount ({phase})",
                }
                for phase, col in PHASES.items()
            },
            "dimensions": _dimensions(),
        },
    }


def _dimensions() -> dict:
    """Entity, funding source, classification and date: each with its code and both labels."""
    return {
        "entity": {
            "dimensionType": "entity",
            "primaryKey": ["entity_code"],
            "attributes": {
                "entity_code": {"source": "entity_code"},
                "entity_name_zh": {"source": "entity_name_zh"},
                "entity_name_en": {"source": "entity_name_en"},
            },
        },
        "funding_source": {
            "dimensionType": "classification",
            "primaryKey": ["funding_source"],
            "classificationType": "funding",
            "attributes": {
                "funding_source": {"source": "funding_source"},
                "funding_source_zh": {"source": "funding_source_zh"},
                "funding_source_en": {"source": "funding_source_en"},
            },
        },
        "classification": {
            "dimensionType": "classification",
            "primaryKey": ["classification_type", "classification_code"],
            "classificationType": "functional",
            "attributes": {
                "classification_type": {"source": "classification_type"},
                "classification_code": {"source": "classification_code"},
                "classification_zh": {"source": "classification_zh"},
                "classification_en": {"source": "classification_en"},
            },
        },
        "date": {
            "dimensionType": "datetime",
            "primaryKey": ["fiscal_year"],
            "attributes": {"fiscal_year": {"source": "fiscal_year"}},
        },
    }


def export(con: duckdb.DuckDBPyConnection, out_dir: Path) -> tuple[Path, int]:
    """The package's descriptor, and the rows written to its CSV (COPY's count: the CSV is not read back)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    measures = ",\n    ".join(
        f"CASE WHEN fdp_phase = '{phase}' THEN amount_thousands_usd END AS {col}" for phase, col in PHASES.items()
    )
    csv_path = out_dir / "resources.csv"
    (rows,) = con.execute(
        f"COPY ({_QUERY.format(measures=measures)}) TO '{csv_path}' (HEADER, DELIMITER ',')"
    ).fetchone()
    path = out_dir / "datapackage.json"
    path.write_text(json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path, rows
