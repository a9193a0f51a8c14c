"""Row arithmetic used to choose between splits of an ambiguous integer run.

``400 548 400 400`` or ``4 747 4 798 51`` can be grouped in several ways that all give the table's
column count; the document's own row identities (2023 + change = 2024; the change components sum
to the total change; funding groups sum to the all-sources group) pick the reading it means.
"""

from __future__ import annotations

from pipelines.parsing.fascicle.layout import Column
from pipelines.parsing.numbers import Cell, Split

TOLERANCE = 0.11  # the document rounds to one decimal


def _v(cell: Cell) -> float | None:
    if cell.status == "nil":
        return 0.0
    return cell.value


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= TOLERANCE


def identities_held(cells: list[Cell], columns: list[tuple[str, Column]]) -> int:
    """How many of the row's arithmetic identities hold, per group of columns (a funding source)."""
    held = 0
    groups: dict[str, dict[str, float | None]] = {}
    for (group, col), cell in zip(columns, cells, strict=True):
        key = col.measure if col.measure != "amount" else f"y{col.fiscal_year}"
        groups.setdefault(group, {})[key] = _v(cell)
    for g in groups.values():
        years = sorted(k for k in g if k.startswith("y"))
        if len(years) >= 2 and "change_total" in g and g[years[-2]] is not None and g["change_total"] is not None:
            held += _close(g[years[-2]] + g["change_total"], g[years[-1]])
        parts = [g.get(m) for m in ("change_technical_adjustments", "change_new_expanded_mandates", "change_other")]
        if all(p is not None for p in parts) and "change_total" in g:
            held += _close(sum(parts), g["change_total"])
    if "all_sources" in groups and len(groups) > 1:
        for key, total in groups["all_sources"].items():
            parts = [v.get(key) for name, v in groups.items() if name != "all_sources"]
            if all(p is not None for p in parts):
                held += _close(sum(parts), total)
    return held


def choose(split: Split, columns: list[tuple[str, Column]]) -> tuple[list[Cell], bool]:
    """(cells, still_ambiguous): the option that satisfies most identities; ties keep the first."""
    if len(split.options) == 1:
        return split.cells, False
    scored = [(identities_held(o, columns), -i) for i, o in enumerate(split.options)]
    best = max(scored)
    ties = sum(1 for s in scored if s[0] == best[0])
    return split.options[-best[1]], ties > 1
