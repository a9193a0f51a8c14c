"""2022 expenditure against the independent extraction in ../shared/reference (others' work, not copied).

Every reference node that the fascicle also prints (entity totals by funding source, components,
DPPA subprogrammes) must agree exactly; nodes the Chinese fascicle does not print (the section total,
special political missions' 2022 expenditure, which come from A/78/6 (Sect. 3)/Add.1) are listed with
the reason and not compared.
"""

from __future__ import annotations

import csv
import re

import polars as pl
import pytest

from pipelines import vocab
from tests.conftest import SHARED

REFERENCE = SHARED / "reference" / "section3_expenditure_from_un_open.csv"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def entity_of(segment: str) -> str | None:
    """Our entity code for the reference's node slug (a possibly truncated slug of the English name)."""
    for name_en, code in vocab.label_to_code("entities", "entity_code", "name_en").items():
        if slug(name_en)[: len(segment)] == segment:
            return code
    return None


def node_key(row: dict) -> tuple[tuple, str | None]:
    """(entity, breakdown, line item) of a reference node in our terms, or None with the reason."""
    parts = row["node_id"].split("~")
    if row["kind"] in ("section", "programme") or "special-political-missions" in row["node_id"]:
        return None, "special political missions' 2022 expenditure is in A/78/6 (Sect. 3)/Add.1, not this fascicle"
    if "not-itemized" in row["node_id"]:
        return None, "a residual the reference computes, not a printed node"
    entity = entity_of(parts[1])
    if entity is None:
        return None, f"no entity for {parts[1]}"
    if row["kind"] == "entity":
        return (entity, "entity_total"), None
    components_en = vocab.label_to_code("components", "component_code", "label_en")
    if row["kind"] in ("component", "allocation") and row["label"] in components_en:
        return (entity, "component", components_en[row["label"]]), None
    if row["kind"] == "subprogramme":
        return (entity, "subprogramme", f"subprogramme_{row['code']}"), None
    return None, f"unmapped kind {row['kind']}"


@pytest.fixture(scope="module")
def reference_rows() -> list[dict]:
    if not REFERENCE.exists():
        pytest.skip(
            f"{REFERENCE} is absent (../shared is not beside this clone); the reference is never copied "
            "into the project"
        )
    with open(REFERENCE, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["fiscal_year"] == "2022" and r["measure"] == "expenditure"]


def our_value(resources: pl.DataFrame, key: tuple, funding_source: str) -> float | None:
    f = resources.filter(
        (pl.col("fiscal_year") == 2022)
        & (pl.col("phase") == "expenditure")
        & (pl.col("entity_code") == key[0])
        & (pl.col("funding_source") == funding_source)
    )
    if key[1] == "entity_total":
        # regular budget: the object-of-expenditure table's total; other sources: their block total
        kind = "object_of_expenditure" if funding_source == "regular_budget" else "funding_source_component"
        f = f.filter((pl.col("table_kind") == kind) & (pl.col("line_item_code") == "total"))
    else:
        f = f.filter(
            (pl.col("table_kind") == "funding_source_component")
            & (pl.col("breakdown") == key[1])
            & (pl.col("line_item_code") == key[2])
        )
    values = f.filter(pl.col("value_status") != "blank")["value"].to_list()
    if not values:
        return None
    assert len(set(values)) == 1, (key, funding_source, values)
    return values[0] or 0.0


def test_2022_expenditure_agrees_with_the_reference(reference_rows, fascicle):
    resources = fascicle.frames["resources"]
    compared, differ, not_compared = 0, [], []
    for row in reference_rows:
        key, reason = node_key(row)
        if key is None:
            not_compared.append(f"{row['label']} ({row['funding_source']}): {reason}")
            continue
        ours = our_value(resources, key, row["funding_source"])
        if ours is None:
            differ.append(f"{key} {row['funding_source']}: the fascicle prints this node but we have no value")
            continue
        compared += 1
        if abs(ours - float(row["amount_thousands"])) > 1e-9:
            differ.append(f"{key} {row['funding_source']}: ours {ours} vs reference {row['amount_thousands']}")
    print(f"\ncompared {compared} reference nodes; not compared ({len(not_compared)}):")
    for line in not_compared:
        print("  -", line)
    assert compared >= 35, compared
    assert not differ, "\n".join(differ)
