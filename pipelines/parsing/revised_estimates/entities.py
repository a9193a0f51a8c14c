"""Entity names as printed (English) -> entity codes, through dbt/seeds/entities.csv ``name_en`` and the
other printed names of dbt/seeds/entity_names_en.csv (abbreviations like "OHCHR", variants)."""

from __future__ import annotations

import re
from functools import cache

from pipelines import vocab


def normalise(name: str) -> str:
    """Case, spacing and apostrophe style do not distinguish entities ("Damage Caused" = "Damage caused")."""
    return re.sub(r"\s+", " ", name.replace("’", "'")).strip().casefold()


@cache
def _codes() -> dict[str, str]:
    codes = {normalise(r["name_en"]): r["entity_code"] for r in vocab.rows("entities") if r.get("name_en")}
    if (vocab.SEEDS_DIR / "entity_names_en.csv").exists():
        for r in vocab.rows("entity_names_en"):
            codes.setdefault(normalise(r["name_en"]), r["entity_code"])
    return codes


def entity_code(name: str) -> str | None:
    return _codes().get(normalise(name))
