"""Entity names as printed (English) -> entity codes, through dbt/seeds/entities.csv ``name_en``."""

from __future__ import annotations

import re
from functools import cache

from pipelines import vocab


def normalise(name: str) -> str:
    """Case, spacing and apostrophe style do not distinguish entities ("Damage Caused" = "Damage caused")."""
    return re.sub(r"\s+", " ", name.replace("’", "'")).strip().casefold()


@cache
def _codes() -> dict[str, str]:
    # entity_names_en holds every English name A/80/400 prints for an entity (canonical ones and others: UNTSO, OHCHR)
    return {normalise(r["name_en"]): r["entity_code"] for r in vocab.rows("entity_names_en") if r.get("name_en")}


def entity_code(name: str) -> str | None:
    return _codes().get(normalise(name))
