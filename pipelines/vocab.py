"""Reviewed vocabularies (labels to codes), read from the dbt seeds so parser and marts share one source."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from pipelines.operations.config import SEEDS_DIR


def rows(name: str, seeds_dir: Path = SEEDS_DIR) -> list[dict[str, str]]:
    with open(seeds_dir / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def label_to_code(name: str, code_col: str, label_col: str = "label_zh") -> dict[str, str]:
    """Map every non-empty label of a seed to its code."""
    return {r[label_col]: r[code_col] for r in rows(name) if r[label_col]}


@cache
def entity_names() -> dict[str, str]:
    """Full and short Chinese names of entities -> entity code."""
    out: dict[str, str] = {}
    for r in rows("entities"):
        if r["name_zh"]:  # most entities of A/80/400 have no Chinese name printed
            out[r["name_zh"]] = r["entity_code"]
        if r["short_name_zh"]:
            out[r["short_name_zh"]] = r["entity_code"]
    return out


@cache
def phase_keywords() -> list[tuple[str, str]]:
    """(keyword, phase) pairs, longest keyword first so 估计(重计费用前) wins over 估计."""
    pairs = [(r["keyword_zh"], r["phase_code"]) for r in rows("phases") if r["keyword_zh"]]
    return sorted(pairs, key=lambda p: -len(p[0]))


def grades() -> dict[str, str]:
    return label_to_code("grades", "grade_code", "grade_code")


def funding_sources() -> dict[str, str]:
    return label_to_code("funding_sources", "funding_source_code")


def objects_of_expenditure() -> dict[str, str]:
    return label_to_code("objects_of_expenditure", "object_code")


def post_categories() -> dict[str, str]:
    return label_to_code("post_categories", "category_code")


def components() -> dict[str, str]:
    return label_to_code("components", "component_code")


@cache
def words(role: str) -> dict[str, str]:
    """The words a parser reads the layout by (dbt/seeds/parser_words.csv), of one role: label -> code."""
    found = {r["label_zh"]: r["code"] for r in rows("parser_words") if r["role"] == role}
    if not found:
        raise KeyError(f"dbt/seeds/parser_words.csv has no word of role {role!r}")
    return found


@cache
def word(role: str) -> str:
    """The one word of a role that has one (the note mark 注, the money unit 千美元 …)."""
    (label,) = words(role)
    return label
